/** `printf [-v var] format [arguments]`. */
import { formatPrintf } from "../printf.js";
import type { Builtin } from "./api.js";

export const printf: Builtin = (sh, args, io) => {
  let target: string | null = null;
  let a = args;
  if (a[0] === "-v") {
    target = a[1] ?? "";
    a = a.slice(2);
  }
  if (a[0] === "--") a = a.slice(1);
  if (a.length === 0) {
    sh.err(io, "printf: usage: printf [-v var] format [arguments]");
    return 2;
  }
  const r = formatPrintf(a[0]!, a.slice(1));
  if (target !== null) {
    sh.setVar(target, r.out, io);
    for (const e of r.errors) sh.err(io, `printf: ${e}`);
    return r.status;
  }
  const st = sh.out(io, "printf", r.out);
  for (const e of r.errors) sh.err(io, `printf: ${e}`);
  return st || r.status;
};
