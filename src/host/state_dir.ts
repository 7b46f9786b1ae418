/**
 * The persistent machine's state directory (`$IAA_EMU_HOME`).
 *
 * One command at a time: a command takes the directory's lock (waiting while
 * another command holds it; a lock left by a dead process is taken over), reads
 * the snapshot, runs, and commits the new snapshot with write-to-temp + fsync +
 * rename, so a command killed mid-write leaves the last committed state. The
 * snapshot carries a SHA-256 of its payload: a damaged file is detected and
 * reported with the fix, never half-read.
 */
import { createHash } from "node:crypto";
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { homedir, hostname } from "node:os";
import { join } from "node:path";

export const SNAPSHOT_FORMAT = 1;
const SNAPSHOT_FILE = "machine.json";
const LOCK_FILE = "lock";

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

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Holds the state directory's lock for the lifetime of one command.
 *
 * @example
 * const dir = StateDir.open(stateDirPath());
 * try { const snap = dir.read(); …; dir.commit(next); } finally { dir.release(); }
 */
export class StateDir {
  private locked = false;

  private constructor(readonly path: string) {}

  /** Creates the directory if needed and takes its lock (waiting up to `timeoutMs`). */
  static open(path: string, timeoutMs = 120_000): StateDir {
    mkdirSync(path, { recursive: true });
    const d = new StateDir(path);
    d.lock(timeoutMs);
    return d;
  }

  private lock(timeoutMs: number): void {
    const lockPath = join(this.path, LOCK_FILE);
    const deadline = Date.now() + timeoutMs;
    let wait = 2;
    for (;;) {
      try {
        const fd = openSync(lockPath, "wx");
        writeSync(fd, `${process.pid} ${hostname()}\n`);
        closeSync(fd);
        this.locked = true;
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      let holder = NaN;
      let host = "";
      try {
        const [p, h] = readFileSync(lockPath, "utf8").trim().split(/\s+/);
        holder = Number(p);
        host = h ?? "";
      } catch {
        // vanished between open and read: retry at once
        continue;
      }
      if (Number.isInteger(holder) && host === hostname() && !pidAlive(holder)) {
        try {
          unlinkSync(lockPath);
        } catch {
          // another waiter removed it first
        }
        continue;
      }
      if (Date.now() > deadline) {
        throw new StateError(`iaa: the machine in ${this.path} is busy (locked by process ${holder}); try again later`);
      }
      sleepSync(wait);
      wait = Math.min(wait * 2, 50);
    }
  }

  /** Releases the lock. */
  release(): void {
    if (!this.locked) return;
    this.locked = false;
    try {
      unlinkSync(join(this.path, LOCK_FILE));
    } catch {
      // already gone
    }
  }

  /** Whether a snapshot exists. */
  hasSnapshot(): boolean {
    return existsSync(join(this.path, SNAPSHOT_FILE));
  }

  /** Reads and verifies the snapshot payload; throws StateError when it is missing or damaged. */
  read(): unknown {
    const file = join(this.path, SNAPSHOT_FILE);
    if (!existsSync(file)) {
      throw new StateError(`iaa: no machine in ${this.path}; run \`iaa boot\` first`);
    }
    const damaged = (why: string): StateError =>
      new StateError(`iaa: the machine state in ${this.path} is damaged (${why}); run \`iaa boot\` to start over`);
    let doc: { format?: unknown; sha256?: unknown; payload?: unknown };
    let text: string;
    try {
      text = readFileSync(file, "utf8");
      doc = JSON.parse(text) as typeof doc;
    } catch (e) {
      throw damaged(e instanceof SyntaxError ? "not valid JSON" : (e as Error).message);
    }
    if (typeof doc !== "object" || doc === null || doc.format !== SNAPSHOT_FORMAT || typeof doc.sha256 !== "string") {
      throw damaged("unknown format");
    }
    const body = JSON.stringify(doc.payload);
    if (sha256(body) !== doc.sha256) throw damaged("checksum mismatch");
    return doc.payload;
  }

  /** Atomically replaces the snapshot with `payload`. */
  commit(payload: unknown): void {
    if (!this.locked) throw new Error("StateDir.commit without the lock");
    const body = JSON.stringify(payload);
    const text = `{"format":${SNAPSHOT_FORMAT},"sha256":"${sha256(body)}","payload":${body}}\n`;
    const file = join(this.path, SNAPSHOT_FILE);
    const tmp = `${file}.tmp-${process.pid}`;
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    try {
      const dfd = openSync(this.path, "r");
      fsyncSync(dfd);
      closeSync(dfd);
    } catch {
      // directories cannot be fsynced on every platform
    }
  }
}

function sha256(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}
