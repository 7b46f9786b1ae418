/**
 * The machine directory (`$IAA_EMU_HOME`): where the machine process keeps
 * its committed snapshot, its socket, its pid file and its log.
 *
 *   machine.snap   the last committed snapshot: a JSON header line (format,
 *                  length, SHA-256 of the body) and the body
 *   machine.sock   the machine process's Unix socket (mode 0600)
 *   machine.pid    "PID HOST\n" of the running machine process
 *   machine.log    the machine process's own messages
 *
 * A commit writes a temporary file, fsyncs it, renames it over the snapshot
 * and fsyncs the directory, so a crash at any moment leaves either the old
 * snapshot or the new one, never a mix. Any failure (ENOSPC, EROFS, a short
 * write) throws a StateError and leaves the old snapshot in place.
 */
import { createHash } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { strerror } from "../lib/errno.js";

/** Version of the snapshot file's framing (the body carries its own format and version). */
export const SNAPSHOT_FILE_FORMAT = 2;

/** A user-facing failure: printed as one line, exit status 1. */
export class StateError extends Error {
  override name = "StateError";
}

/** The state directory: `$IAA_EMU_HOME`, else `$XDG_STATE_HOME/iaa-emu`, else `~/.local/state/iaa-emu`. */
export function stateDirPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env["IAA_EMU_HOME"] !== undefined && env["IAA_EMU_HOME"] !== "") return env["IAA_EMU_HOME"];
  const xdg = env["XDG_STATE_HOME"];
  return join(xdg !== undefined && xdg !== "" ? xdg : join(homedir(), ".local", "state"), "iaa-emu");
}

/** Paths inside a machine directory. */
export function machinePaths(dir: string): { dir: string; snap: string; sock: string; pid: string; log: string; mnt: string } {
  return { dir, snap: join(dir, "machine.snap"), sock: join(dir, "machine.sock"), pid: join(dir, "machine.pid"), log: join(dir, "machine.log"), mnt: join(dir, "mnt") };
}

/** "No space left on device (ENOSPC)" for a Node error. */
export function describeError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (typeof err.errno === "number" && typeof err.code === "string") return `${strerror(-err.errno)} (${err.code})`;
  return err instanceof Error ? err.message : String(e);
}

/** Creates the machine directory (0700: only its owner may reach the socket) or explains why it cannot. */
export function ensureMachineDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new StateError(`iaa: cannot create the machine directory ${dir}: ${describeError(e)}`);
  }
  let st;
  try {
    st = statSync(dir);
  } catch (e) {
    throw new StateError(`iaa: cannot use the machine directory ${dir}: ${describeError(e)}`);
  }
  if (!st.isDirectory()) throw new StateError(`iaa: ${dir} is not a directory (set IAA_EMU_HOME to a directory)`);
}

function sha256(b: Uint8Array): string {
  return createHash("sha256").update(b).digest("hex");
}

/** Reads and verifies the committed snapshot's body; null when there is none. Throws StateError when damaged. */
export function readSnapshot(dir: string): Uint8Array | null {
  const file = machinePaths(dir).snap;
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new StateError(`iaa: cannot read the machine state ${file}: ${describeError(e)}`);
  }
  const damaged = (why: string): StateError => new StateError(`iaa: the machine state in ${dir} is damaged (${why}); run \`iaa boot\` to start over`);
  const nl = raw.indexOf(0x0a);
  if (nl < 0 || nl > 4096) throw damaged("no header");
  let head: { format?: unknown; bytes?: unknown; sha256?: unknown };
  try {
    head = JSON.parse(raw.subarray(0, nl).toString("utf8")) as typeof head;
  } catch {
    throw damaged("bad header");
  }
  if (typeof head !== "object" || head === null) throw damaged("bad header");
  if (head.format !== SNAPSHOT_FILE_FORMAT) {
    throw new StateError(`iaa: the machine state in ${dir} was written by another iaa-emu version (snapshot format ${String(head.format)}, this version reads ${SNAPSHOT_FILE_FORMAT}); run \`iaa boot\` to start a new machine`);
  }
  const body = raw.subarray(nl + 1);
  if (head.bytes !== body.length) throw damaged(`truncated: ${body.length} of ${String(head.bytes)} bytes`);
  if (head.sha256 !== sha256(body)) throw damaged("checksum mismatch");
  return body;
}

/** Atomically replaces the committed snapshot with `body`; throws StateError (old snapshot intact) on any failure. */
export function commitSnapshot(dir: string, body: Uint8Array): void {
  const file = machinePaths(dir).snap;
  const tmp = `${file}.tmp-${process.pid}`;
  const head = Buffer.from(JSON.stringify({ format: SNAPSHOT_FILE_FORMAT, bytes: body.length, sha256: sha256(body) }) + "\n", "utf8");
  let fd = -1;
  try {
    fd = openSync(tmp, "w", 0o600);
    writeAll(fd, head);
    writeAll(fd, body);
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
    throw new StateError(`iaa: cannot save the machine state in ${dir}: ${describeError(e)}; the machine is back at its last saved state`);
  }
  try {
    const dfd = openSync(dir, "r");
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // directories cannot be fsynced on every file system; the rename is done
  }
}

function writeAll(fd: number, b: Uint8Array): void {
  let off = 0;
  while (off < b.length) {
    const n = writeSync(fd, b, off, b.length - off);
    if (n <= 0) throw Object.assign(new Error("short write"), { code: "EIO", errno: -5 });
    off += n;
  }
}
