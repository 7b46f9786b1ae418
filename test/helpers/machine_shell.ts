/** A script run by the machine's own shell on a World, in process: its status and both streams as text. */
import type { World } from "../../src/host/world.js";

export interface ShellRan {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `script` run by the machine's own shell on `world` (one shell; `cwd` is /root).
 * `opts.tty` makes its standard output a terminal; `opts.env` adds to its environment.
 */
export function machineShell(world: World, script: string, opts: { tty?: boolean; env?: Record<string, string> } = {}): ShellRan {
  let stdout = "";
  let stderr = "";
  const dec = new TextDecoder();
  const text = (s: string | Uint8Array): string => (typeof s === "string" ? s : dec.decode(s));
  const sh = world.shell({
    stdout: { isTty: opts.tty === true, write: (s: string | Uint8Array) => void (stdout += text(s)) },
    stderr: { write: (s: string | Uint8Array) => void (stderr += text(s)) },
    ...(opts.env === undefined ? {} : { env: opts.env }),
  });
  const code = sh.runString(script);
  return { code, stdout, stderr };
}
