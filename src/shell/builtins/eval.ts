/** `eval [arg ...]`. */
import { Parser, ShellSyntaxError } from "../parser.js";
import type { Builtin } from "./api.js";

export const evalBuiltin: Builtin = (sh, args, io) => {
  const text = args.join(" ");
  const p = new Parser(text, sh.line);
  let st = 0;
  try {
    for (let l = p.next(); l !== null; l = p.next()) st = sh.execList(l, io);
  } catch (e) {
    if (e instanceof ShellSyntaxError) {
      sh.err(io, e.message);
      if (e.sourceLine !== null) sh.err(io, `\`${e.sourceLine}'`);
      return 2;
    }
    throw e;
  }
  return st;
};
