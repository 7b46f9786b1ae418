/**
 * Differential tests of the machine's programs: the same shell line run by
 * the host's bash (in a host directory) and by the machine's shell (in
 * /root, on the script's first line, so messages name the same line), and a machine shell whose standard input is handed out as it is
 * read (to show a program reads only what it needs) and whose SIGINT comes
 * when the test says.
 */
import { spawnSync } from "node:child_process";
import { bootWorld, type World } from "../../src/host/world.js";
import { machineShell } from "./machine_shell.js";

export interface BothRan {
  host: { stdout: string; stderr: string; status: number | null };
  mach: { stdout: string; stderr: string; code: number };
}

/** `script` run by bash on the host in `dir` and by the machine's shell of `w` in /root: both streams and the status. */
export function hostAndMachine(w: World, dir: string, script: string): BothRan {
  const host = spawnSync("bash", ["-c", script], { cwd: dir, encoding: "utf8", timeout: 10_000 });
  const mach = machineShell(w, `cd /root; ${script}`);
  return { host: { stdout: host.stdout, stderr: host.stderr, status: host.status }, mach };
}

export interface LazyShell {
  run(script: string): number;
  out(): string;
  err(): string;
  /** Bytes of standard input handed out so far. */
  bytesRead(): number;
}

/** A shell on a fresh machine whose stdin is `lines` copies of "y\n" handed out as read, and whose SIGINT comes when `stop()` says. */
export function lazyShell(lines: number, stop: (out: string) => boolean): LazyShell {
  const w = bootWorld("tiny");
  const chunk = new TextEncoder().encode("y\n".repeat(4096));
  let sent = 0;
  let out = "";
  let err = "";
  const dec = new TextDecoder();
  const text = (s: string | Uint8Array): string => (typeof s === "string" ? s : dec.decode(s));
  const stdin = {
    read(max: number): Uint8Array | null {
      if (sent >= lines * 2) return null;
      const n = Math.min(max, chunk.length, lines * 2 - sent);
      sent += n;
      return chunk.subarray(0, n);
    },
    readAll(): Uint8Array {
      throw new Error("the program read all of its input at once");
    },
    readLine(): string | null {
      throw new Error("not used");
    },
  };
  const sh = w.shell({ stdin, stdout: { write: (s) => void (out += text(s)) }, stderr: { write: (s) => void (err += text(s)) }, interrupted: () => stop(out) });
  return { run: (script) => sh.runString(script), out: () => out, err: () => err, bytesRead: () => sent };
}
