/**
 * The builtin table, as bash's builtins/ directory: one file per builtin or
 * family, one line here per name. Adding a builtin is one file and one line.
 */
import { alias, unalias } from "./alias.js";
import type { Builtin } from "./api.js";
import { cd, pwd } from "./cd.js";
import { colon, falseBuiltin } from "./colon.js";
import { builtin, command, type } from "./command.js";
import { declare } from "./declare.js";
import { echo } from "./echo.js";
import { evalBuiltin } from "./eval.js";
import { exec } from "./exec.js";
import { breakContinue, exit, returnBuiltin } from "./exit.js";
import { getopts } from "./getopts.js";
import { letBuiltin } from "./let.js";
import { help } from "./help.js";
import { bg, disown, fg, jobs, wait } from "./jobs.js";
import { kill } from "./kill.js";
import { mapfile } from "./mapfile.js";
import { noop, umask } from "./misc.js";
import { shopt } from "./shopt.js";
import { ulimit } from "./ulimit.js";
import { printf } from "./printf.js";
import { read } from "./read.js";
import { set } from "./set.js";
import { shift } from "./shift.js";
import { source } from "./source.js";
import { test } from "./test.js";
import { trap } from "./trap.js";
import { unset } from "./unset.js";

export type { Builtin, ShellState } from "./api.js";
export { echoText } from "./echo.js";

/** Every builtin by name. */
export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  [":", colon],
  ["true", colon],
  ["false", falseBuiltin],
  [".", source],
  ["source", source],
  ["[", test],
  ["test", test],
  ["alias", alias],
  ["unalias", unalias],
  ["break", breakContinue],
  ["continue", breakContinue],
  ["cd", cd],
  ["pwd", pwd],
  ["command", command],
  ["builtin", builtin],
  ["type", type],
  ["declare", declare],
  ["typeset", declare],
  ["local", declare],
  ["export", declare],
  ["readonly", declare],
  ["echo", echo],
  ["eval", evalBuiltin],
  ["exec", exec],
  ["exit", exit],
  ["return", returnBuiltin],
  ["getopts", getopts],
  ["hash", noop],
  ["let", letBuiltin],
  ["printf", printf],
  ["read", read],
  ["set", set],
  ["shift", shift],
  ["shopt", shopt],
  ["trap", trap],
  ["umask", umask],
  ["unset", unset],
  ["wait", wait],
  ["jobs", jobs],
  ["kill", kill],
  ["disown", disown],
  ["fg", fg],
  ["bg", bg],
  ["mapfile", mapfile],
  ["readarray", mapfile],
  ["ulimit", ulimit],
  ["help", help],
]);
