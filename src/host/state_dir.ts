/**
 * The machine directory (`$IAA_EMU_HOME`): where the machine process keeps
 * its committed snapshot, its socket, its pid file and its log.
 *
 *   machine.snap   the last committed snapshot (with its machine.part-*
 *                  files; snapshot_store.ts says how it is committed)
 *   machine.sock   the machine process's Unix socket (mode 0600)
 *   machine.pid    "PID HOST\n" of the running machine process
 *   machine.log    the machine process's own messages
 *   machine.build  "PID BUILD\n": the iaa-emu build the running machine
 *                  process is (version.ts)
 */
import { mkdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { strerror } from "../lib/errno.js";

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
export function machinePaths(dir: string): { dir: string; snap: string; sock: string; pid: string; build: string; log: string; mnt: string } {
  return { dir, snap: join(dir, "machine.snap"), sock: join(dir, "machine.sock"), pid: join(dir, "machine.pid"), build: join(dir, "machine.build"), log: join(dir, "machine.log"), mnt: join(dir, "mnt") };
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
