/**
 * What every accel-config command gets: the library context, the output
 * sinks and the caller's environment.
 */
import type { Vfs } from "../kernfs/vfs.js";
import type { AccfgCtx, Sink } from "./lib/libaccfg.js";
import type { OptDef, OptValues } from "./parse_options.js";
import { parseOptions } from "./parse_options.js";

export interface CmdEnv {
  ctx: AccfgCtx;
  vfs: Vfs;
  stdout: Sink;
  stderr: Sink;
  env: Record<string, string>;
}

/** A command returns the C command's int; main() turns a nonzero one into exit status 1. */
export type CommandFn = (argv: string[], cmd: CmdEnv) => number;

/** exit(code) from inside a command (usage errors, -h). */
export class CommandExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** parse_options() for a command: the remaining arguments, or a thrown CommandExit. */
export function parseCmdOptions(argv: string[], options: readonly OptDef[], usage: readonly string[], values: OptValues, cmd: CmdEnv, prefix?: string): string[] {
  const r = parseOptions(argv, options, usage, values, cmd, prefix);
  if ("exit" in r) throw new CommandExit(r.exit);
  return r.args;
}

/** An absolute path for a user-given file name, relative ones taken from $PWD. */
export function absPath(name: string, env: Record<string, string>): string {
  if (name.startsWith("/")) return name;
  const cwd = env["PWD"] ?? "/";
  const base = cwd.endsWith("/") ? cwd : cwd + "/";
  return base + name.replace(/^\.\//, "");
}
