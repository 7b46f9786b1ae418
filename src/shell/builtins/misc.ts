/** Builtins with nothing to do in the emulation: `hash`; and `umask`. */
import type { Builtin } from "./api.js";

export const noop: Builtin = () => 0;

export const umask: Builtin = (sh, args, io) => (args.length === 0 ? sh.out(io, "umask", "0022\n") : 0);
