/**
 * The committed snapshot in the machine directory, and its atomic commit.
 *
 *   machine.snap           a JSON header line (file format, length and
 *                          SHA-256 of the body, and of each part) and the
 *                          body: the machine's structure and object graph
 *   machine.part-SHA256    one large part of the snapshot (the page frames in
 *                          use, the printk ring), named by its content's hash
 *
 * A commit writes each part whose content the last committed snapshot does
 * not already have (a temporary file, fsynced, renamed to its hash's name),
 * then the header and body the same way over machine.snap, fsyncs the
 * directory, and only then removes the parts nothing refers to any more. A
 * crash at any moment leaves either the old snapshot or the new one whole;
 * a command that changed no part rewrites only machine.snap. Any failure
 * (ENOSPC, EROFS, a short write) throws a StateError and leaves the old
 * snapshot in place.
 */
import { createHash } from "node:crypto";
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { describeError, machinePaths, StateError } from "./state_dir.js";

/** Version of the snapshot file's framing (the body carries its own format and version). */
export const SNAPSHOT_FILE_FORMAT = 3;

/** A snapshot as the store holds it: the body and its named parts. */
export interface StoredSnapshot {
  body: Uint8Array;
  parts: Record<string, Uint8Array>;
}

interface Header {
  format: number;
  bytes: number;
  sha256: string;
  parts: Record<string, { bytes: number; sha256: string }>;
}

const PART = /^machine\.part-[0-9a-f]{64}$/;

function sha256(b: Uint8Array): string {
  return createHash("sha256").update(b).digest("hex");
}

/** Hashes of part buffers already hashed (a part that did not change is the same buffer: see saveWorldParts). */
const hashed = new WeakMap<Uint8Array, string>();

function partHash(b: Uint8Array): string {
  let h = hashed.get(b);
  if (h === undefined) {
    h = sha256(b);
    hashed.set(b, h);
  }
  return h;
}

function partName(sha: string): string {
  return `machine.part-${sha}`;
}

function writeAll(fd: number, b: Uint8Array): void {
  let off = 0;
  while (off < b.length) {
    const n = writeSync(fd, b, off, b.length - off);
    if (n <= 0) throw Object.assign(new Error("short write"), { code: "EIO", errno: -5 });
    off += n;
  }
}

/** Writes `chunks` to `tmp`, fsyncs it and renames it to `file`; removes `tmp` on failure. */
function writeFileAtomic(tmp: string, file: string, chunks: Uint8Array[]): void {
  let fd = -1;
  try {
    fd = openSync(tmp, "w", 0o600);
    for (const c of chunks) writeAll(fd, c);
    fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    renameSync(tmp, file);
  } catch (e) {
    if (fd >= 0) {
      try {
        closeSync(fd);
      } catch {
        // already failing
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      // never created
    }
    throw e;
  }
}

function fsyncDir(dir: string): void {
  try {
    const dfd = openSync(dir, "r");
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // directories cannot be fsynced on every file system; the renames are done
  }
}

/**
 * The snapshot of one machine directory.
 *
 * @example
 * const store = new SnapshotStore(dir);
 * const snap = store.read();            // null: no machine yet
 * store.commit({ body, parts: { printk } });
 */
export class SnapshotStore {
  /** Hashes of the parts the committed snapshot refers to (their files exist). */
  private committed = new Set<string>();

  constructor(readonly dir: string) {}

  /** Reads and verifies the committed snapshot; null when there is none. Throws StateError when it is damaged or of another format. */
  read(): StoredSnapshot | null {
    const file = machinePaths(this.dir).snap;
    let raw: Buffer;
    try {
      raw = readFileSync(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw new StateError(`iaa: cannot read the machine state ${file}: ${describeError(e)}`);
    }
    const damaged = (why: string): StateError => new StateError(`iaa: the machine state ${file} is damaged (${why}); run \`iaa boot\` to start over`);
    const nl = raw.indexOf(0x0a);
    if (nl < 0 || nl > 65536) throw damaged("no header");
    let head: Partial<Header>;
    try {
      head = JSON.parse(raw.subarray(0, nl).toString("utf8")) as Partial<Header>;
    } catch {
      throw damaged("bad header");
    }
    if (typeof head !== "object" || head === null) throw damaged("bad header");
    if (head.format !== SNAPSHOT_FILE_FORMAT) {
      throw new StateError(`iaa: the machine state ${file} was written by another build of iaa-emu (snapshot format ${String(head.format)}; this build reads format ${SNAPSHOT_FILE_FORMAT} only); run \`iaa boot\` to start a new machine`);
    }
    const body = raw.subarray(nl + 1);
    if (head.bytes !== body.length) throw damaged(`truncated: ${body.length} of ${String(head.bytes)} bytes`);
    if (head.sha256 !== sha256(body)) throw damaged("checksum mismatch");
    if (typeof head.parts !== "object" || head.parts === null) throw damaged("bad header");
    const parts: Record<string, Uint8Array> = {};
    const shas = new Set<string>();
    for (const [name, p] of Object.entries(head.parts)) {
      if (typeof p?.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(p.sha256)) throw damaged("bad header");
      const path = join(this.dir, partName(p.sha256));
      let data: Buffer;
      try {
        data = readFileSync(path);
      } catch (e) {
        throw damaged(`its part ${name}, ${path}: ${describeError(e)}`);
      }
      if (data.length !== p.bytes) throw damaged(`its part ${name} is truncated: ${data.length} of ${String(p.bytes)} bytes`);
      if (sha256(data) !== p.sha256) throw damaged(`its part ${name} has a checksum mismatch`);
      parts[name] = data;
      shas.add(p.sha256);
    }
    this.committed = shas;
    return { body, parts };
  }

  /**
   * Atomically replaces the committed snapshot; throws StateError (the old
   * snapshot intact) on any failure. A part's hash is remembered by its
   * buffer: pass a part unchanged as the same buffer, a changed one as a new
   * buffer, never a buffer modified since.
   */
  commit(snap: StoredSnapshot): void {
    const { dir } = this;
    const file = machinePaths(dir).snap;
    const head: Header = { format: SNAPSHOT_FILE_FORMAT, bytes: snap.body.length, sha256: sha256(snap.body), parts: {} };
    const written: string[] = [];
    try {
      for (const [name, data] of Object.entries(snap.parts)) {
        const sha = partHash(data);
        head.parts[name] = { bytes: data.length, sha256: sha };
        if (this.committed.has(sha) || written.includes(sha)) continue;
        writeFileAtomic(join(dir, `machine.part.tmp-${process.pid}`), join(dir, partName(sha)), [data]);
        written.push(sha);
      }
      // the parts are on disk before the header that names them
      if (written.length > 0) fsyncDir(dir);
      writeFileAtomic(`${file}.tmp-${process.pid}`, file, [Buffer.from(JSON.stringify(head) + "\n", "utf8"), snap.body]);
    } catch (e) {
      for (const sha of written) {
        try {
          unlinkSync(join(dir, partName(sha)));
        } catch {
          // gone
        }
      }
      throw new StateError(`iaa: cannot save the machine state in ${dir}: ${describeError(e)}; the machine is back at its last saved state`);
    }
    fsyncDir(dir);
    this.committed = new Set(Object.values(head.parts).map((p) => p.sha256));
    this.removeStale();
  }

  /** Removes part files the committed snapshot does not refer to (a replaced part, or one a crash left behind). */
  private removeStale(): void {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const n of names) {
      if (!PART.test(n) || this.committed.has(n.slice("machine.part-".length))) continue;
      try {
        unlinkSync(join(this.dir, n));
      } catch {
        // another time
      }
    }
  }
}
