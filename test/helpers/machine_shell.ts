/** A script run by the machine's own shell on a World, in process: its status and both streams as text. */
import type { World } from "../../src/host/world.js";

export interface ShellRan {
  code: number;
  stdout: string;
  stderr: string;
}

/** `script` run by the machine's own shell on `world` (one shell; `cwd` is /root). */
export function machineShell(world: World, script: string): ShellRan {
  let stdout = "";
  let stderr = "";
  const dec = new TextDecoder();
  const text = (s: string | Uint8Array): string => (typeof s === "string" ? s : dec.decode(s));
  const sh = world.shell({ stdout: { write: (s: string | Uint8Array) => void (stdout += text(s)) }, stderr: { write: (s: string | Uint8Array) => void (stderr += text(s)) } });
  const code = sh.runString(script);
  return { code, stdout, stderr };
}
