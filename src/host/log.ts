/**
 * The machine process's own messages, appended to `machine.log` one line at a
 * time (opened per message, so the process keeps no file of the directory open:
 * the directory's file system can be remounted read-only under it).
 */
import { appendFileSync } from "node:fs";

let logPath: string | null = null;

export function setLogFile(path: string): void {
  logPath = path;
}

/** Logs one message with a wall-clock timestamp; never throws. */
export function log(message: string): void {
  if (logPath === null) return;
  try {
    appendFileSync(logPath, `${new Date().toISOString()} [${process.pid}] ${message}\n`, { mode: 0o600 });
  } catch {
    // a full or read-only file system: the message is lost, the machine is not
  }
}
