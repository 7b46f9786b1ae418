/**
 * One machine process per machine directory: `machine.pid` holds
 * "PID HOST\n" of the process that owns the directory.
 *
 * The file is created complete (written to a temporary name, then hard-linked
 * into place, which fails if it exists), so a reader never sees a half-written
 * one. A pid file that is empty, garbage, or names a process that is gone is
 * stale and is taken over; one that is a directory or cannot be read is
 * reported, never spun on.
 */
import { closeSync, linkSync, lstatSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { describeError, StateError } from "./state_dir.js";

/** Whether process `pid` runs (a zombie, killed but not yet reaped, does not). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    // "PID (comm) STATE ...": comm may hold spaces and parentheses, the state follows the last ')'
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true; // no procfs: trust kill(2)
  }
}

/** The live owner recorded in a pid file, or null when there is none (no file, stale, empty or garbage). Throws StateError when the path cannot be used. */
export function readOwner(path: string): number | null {
  let st;
  try {
    st = lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new StateError(`iaa: cannot use ${path}: ${describeError(e)}`);
  }
  if (!st.isFile()) throw new StateError(`iaa: ${path} is not a regular file (remove it; the machine process keeps its pid there)`);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new StateError(`iaa: cannot read ${path}: ${describeError(e)}`);
  }
  const m = /^(\d+) (\S+)\n$/.exec(text);
  if (m === null) return null;
  const pid = Number(m[1]);
  if (m[2] !== hostname()) return null;
  return pid !== process.pid && pidAlive(pid) ? pid : null;
}

/**
 * Makes this process the directory's owner. Returns the pid of another live
 * owner instead when there is one.
 */
export function acquirePidFile(path: string): number | null {
  for (let attempt = 0; attempt < 5; attempt++) {
    const tmp = `${path}.${process.pid}`;
    try {
      const fd = openSync(tmp, "w", 0o600);
      try {
        writeSync(fd, `${process.pid} ${hostname()}\n`);
      } finally {
        closeSync(fd);
      }
      try {
        linkSync(tmp, path);
        return null;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
    } catch (e) {
      if (e instanceof StateError) throw e;
      throw new StateError(`iaa: cannot create ${path}: ${describeError(e)}`);
    } finally {
      try {
        unlinkSync(tmp);
      } catch {
        // not created
      }
    }
    const owner = readOwner(path);
    if (owner !== null) return owner;
    // stale, empty or garbage: take it over
    try {
      unlinkSync(path);
    } catch {
      // another starter removed it first
    }
  }
  throw new StateError(`iaa: cannot take ${path}: other processes keep replacing it`);
}

/** Removes the pid file if it is still ours. */
export function releasePidFile(path: string): void {
  try {
    if (readFileSync(path, "utf8").startsWith(`${process.pid} `)) unlinkSync(path);
  } catch {
    // gone already
  }
}
