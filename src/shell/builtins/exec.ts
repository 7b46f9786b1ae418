/** `exec command [arg ...]` (`exec` with only redirections is handled by the interpreter). */
import { ExitSignal } from "../signals.js";
import type { Builtin } from "./api.js";

export const exec: Builtin = (sh, args, io) => {
  const st = sh.runExternal(args, io, {});
  throw new ExitSignal(st);
};
