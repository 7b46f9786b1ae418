/** `:`, `true`, `false`. */
import type { Builtin } from "./api.js";

export const colon: Builtin = () => 0;
export const falseBuiltin: Builtin = () => 1;
