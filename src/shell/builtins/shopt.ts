/** `shopt [-pqsuo] [optname ...]`: bash 5.2's shell options (nullglob, dotglob, failglob… act on globbing). */
import { usage } from "./usage.js";
import type { Builtin, ShellState } from "./api.js";

/** bash 5.2.15's shopt options and their defaults in a non-interactive shell. */
export const SHOPT_DEFAULTS: readonly [string, boolean][] = [
  ["autocd", false], ["assoc_expand_once", false], ["cdable_vars", false], ["cdspell", false], ["checkhash", false],
  ["checkjobs", false], ["checkwinsize", true], ["cmdhist", true], ["compat31", false], ["compat32", false],
  ["compat40", false], ["compat41", false], ["compat42", false], ["compat43", false], ["compat44", false],
  ["complete_fullquote", true], ["direxpand", false], ["dirspell", false], ["dotglob", false], ["execfail", false],
  ["expand_aliases", false], ["extdebug", false], ["extglob", false], ["extquote", true], ["failglob", false],
  ["force_fignore", true], ["globasciiranges", true], ["globskipdots", true], ["globstar", false], ["gnu_errfmt", false],
  ["histappend", false], ["histreedit", false], ["histverify", false], ["hostcomplete", true], ["huponexit", false],
  ["inherit_errexit", false], ["interactive_comments", true], ["lastpipe", false], ["lithist", false],
  ["localvar_inherit", false], ["localvar_unset", false], ["login_shell", false], ["mailwarn", false],
  ["no_empty_cmd_completion", false], ["nocaseglob", false], ["nocasematch", false], ["noexpand_translation", false],
  ["nullglob", false], ["patsub_replacement", true], ["progcomp", true], ["progcomp_alias", false], ["promptvars", true],
  ["restricted_shell", false], ["shift_verbose", false], ["sourcepath", true], ["varredir_close", false], ["xpg_echo", false],
];

const DEFAULTS = new Map(SHOPT_DEFAULTS);

/** The current value of a shopt option. */
export function shoptOn(sh: ShellState, name: string): boolean {
  return sh.shopts.get(name) ?? DEFAULTS.get(name) ?? false;
}

const line = (n: string, on: boolean): string => `${n.padEnd(15)}\t${on ? "on" : "off"}\n`;

export const shopt: Builtin = (sh, args, io) => {
  let set: boolean | null = null;
  let print = false;
  let quiet = false;
  const names: string[] = [];
  for (const a of args) {
    if (names.length === 0 && /^-[pqsuo]+$/.test(a)) {
      for (const f of a.slice(1)) {
        if (f === "s") set = true;
        else if (f === "u") set = false;
        else if (f === "p") print = true;
        else if (f === "q") quiet = true;
      }
      continue;
    }
    if (names.length === 0 && a.startsWith("-") && a !== "-") {
      sh.err(io, `shopt: ${a.slice(0, 2)}: invalid option`);
      usage(io, "shopt: usage: shopt [-pqsu] [-o] [optname ...]");
      return 2;
    }
    names.push(a);
  }
  let st = 0;
  for (const n of names) {
    if (!DEFAULTS.has(n)) {
      sh.err(io, `shopt: ${n}: invalid shell option name`);
      st = 1;
    }
  }
  const valid = names.filter((n) => DEFAULTS.has(n));
  if (set !== null && names.length > 0) {
    for (const n of valid) sh.shopts.set(n, set);
    return st;
  }
  const list = names.length > 0 ? valid : SHOPT_DEFAULTS.map(([n]) => n).filter((n) => set === null || shoptOn(sh, n) === set);
  let text = "";
  for (const n of list) {
    const on = shoptOn(sh, n);
    if (names.length > 0 && !on) st = st || 1;
    if (quiet) continue;
    text += print ? `shopt ${on ? "-s" : "-u"} ${n}\n` : line(n, on);
  }
  return sh.out(io, "shopt", text) || st;
};
