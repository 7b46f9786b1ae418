/** `shift [n]`. */
import type { Builtin } from "./api.js";

export const shift: Builtin = (sh, args, io) => {
  const n = args.length > 0 ? Number(args[0]) : 1;
  if (!Number.isInteger(n) || n < 0) {
    sh.err(io, `shift: ${args[0]}: numeric argument required`);
    return 1;
  }
  if (n > sh.positional.length) return 1;
  sh.positional = sh.positional.slice(n);
  return 0;
};
