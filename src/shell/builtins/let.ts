/** `let arg [arg ...]`. */
import { ArithError } from "../arith.js";
import type { Builtin } from "./api.js";

export const letBuiltin: Builtin = (sh, args, io) => {
  if (args.length === 0) {
    sh.err(io, "let: expression expected");
    return 1;
  }
  let v = 0n;
  try {
    for (const a of args) v = sh.arith(a);
  } catch (e) {
    if (e instanceof ArithError) {
      sh.err(io, `let: ${e.message}`);
      return 1;
    }
    throw e;
  }
  return v !== 0n ? 0 : 1;
};
