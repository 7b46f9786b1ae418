/** `exit [n]`, `return [n]`, `break [n]`, `continue [n]`. */
import { ExitSignal, LoopSignal, ReturnSignal } from "../signals.js";
import type { Builtin } from "./api.js";

export const exit: Builtin = (sh, args, io) => {
  let st = sh.status;
  if (args.length > 0) {
    if (!/^[+-]?\d+$/.test(args[0]!)) {
      sh.err(io, `exit: ${args[0]}: numeric argument required`);
      st = 2;
    } else st = Number(args[0]) & 0xff;
  }
  throw new ExitSignal(st);
};

export const returnBuiltin: Builtin = (sh, args, io) => {
  if (sh.funcDepth === 0 && sh.sourceDepth === 0) {
    sh.err(io, "return: can only `return' from a function or sourced script");
    return 2;
  }
  let st = sh.status;
  if (args.length > 0) {
    if (!/^[+-]?\d+$/.test(args[0]!)) {
      sh.err(io, `return: ${args[0]}: numeric argument required`);
      st = 2;
    } else st = Number(args[0]) & 0xff;
  }
  throw new ReturnSignal(st);
};

export const breakContinue: Builtin = (sh, args, io, name) => {
  if (sh.loopDepth === 0) {
    sh.err(io, `${name}: only meaningful in a \`for', \`while', or \`until' loop`);
    return 0;
  }
  let n = 1;
  if (args.length > 0) {
    n = Number(args[0]);
    if (!Number.isInteger(n) || n < 1) {
      sh.err(io, `${name}: ${args[0]}: loop count out of range`);
      return 1;
    }
  }
  throw new LoopSignal(name === "break" ? "break" : "continue", Math.min(n, sh.loopDepth));
};
