/**
 * The coreutils programs that are also bash builtins (echo, printf, test, [,
 * true, false, pwd): /usr/bin has them as on any Debian or RHEL machine, so
 * that what runs programs rather than builtins (`env echo`, `xargs`, `find
 * -exec`, `nice`) finds them. Each runs the shell's builtin of that name, with
 * its arguments as given; the typed command `echo` still runs the builtin
 * (bash looks up builtins before PATH).
 */
import { shellQuote } from "../printf.js";
import type { Command } from "../types.js";

function viaBuiltin(name: string): Command {
  return (ctx) => ctx.run(["builtin", name, ...ctx.argv.slice(1)].map(shellQuote).join(" "));
}

/** The programs, by name. */
export const builtinPrograms: Readonly<Record<string, Command>> = Object.fromEntries(["echo", "printf", "test", "[", "true", "false", "pwd"].map((n) => [n, viaBuiltin(n)]));
