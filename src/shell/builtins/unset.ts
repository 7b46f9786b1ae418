/** `unset [-fv] name ...`. */
import type { Builtin } from "./api.js";

export const unset: Builtin = (sh, args, io) => {
  let fn = false;
  for (const a of args) {
    if (a === "-f") fn = true;
    else if (a === "-v") fn = false;
    else if (fn) sh.funcs.delete(a);
    else {
      const v = sh.vars.get(a);
      if (v?.readonly === true) {
        sh.err(io, `unset: ${a}: cannot unset: readonly variable`);
        return 1;
      }
      if (sh.vars.has(a)) sh.vars.delete(a);
      else sh.funcs.delete(a);
    }
  }
  return 0;
};
