/** `set [-eufx] [-o option] [--] [arg ...]`. */
import { shellQuote } from "../printf.js";
import { byteCompare } from "../pattern.js";
import type { Builtin, ShellOpts } from "./api.js";

export const set: Builtin = (sh, args, io) => {
  if (args.length === 0) {
    let text = "";
    for (const k of [...sh.vars.keys()].sort(byteCompare)) {
      const v = sh.vars.get(k)!;
      if (Array.isArray(v.value)) text += `${k}=(${v.value.map((x, i) => `[${i}]="${x}"`).join(" ")})\n`;
      else text += `${k}=${shellQuote(v.value)}\n`;
    }
    return sh.out(io, "set", text);
  }
  const names: Record<string, keyof ShellOpts> = { errexit: "errexit", nounset: "nounset", xtrace: "xtrace", pipefail: "pipefail", noglob: "noglob", errtrace: "errtrace" };
  const letters: Record<string, keyof ShellOpts> = { e: "errexit", u: "nounset", x: "xtrace", f: "noglob", E: "errtrace" };
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      sh.positional = args.slice(i + 1);
      return 0;
    }
    if (a === "-o" || a === "+o") {
      const on = a === "-o";
      const o = args[++i];
      if (o === undefined) {
        let text = "";
        for (const k of ["errexit", "noglob", "nounset", "pipefail", "xtrace"]) text += on ? `${k.padEnd(15)}\t${sh.opts[names[k]!] ? "on" : "off"}\n` : `set ${sh.opts[names[k]!] ? "-" : "+"}o ${k}\n`;
        return sh.out(io, "set", text);
      }
      if (names[o] !== undefined) sh.opts[names[o]!] = on;
      else if (!["nounset", "noclobber", "monitor", "emacs", "vi", "allexport", "posix", "history", "hashall", "braceexpand", "interactive-comments", "notify", "verbose", "noexec", "errtrace", "functrace", "ignoreeof", "keyword", "onecmd", "physical", "privileged"].includes(o)) {
        sh.err(io, `set: ${o}: invalid option name`);
        return 1;
      }
      if (o === "allexport") sh.allExport = on;
      continue;
    }
    if (/^[-+][a-zA-Z]+$/.test(a)) {
      const on = a[0] === "-";
      for (const f of a.slice(1)) {
        if (f === "o") {
          const o = args[++i];
          if (o !== undefined && names[o] !== undefined) sh.opts[names[o]!] = on;
          else if (o !== undefined && o !== "allexport") {
            sh.err(io, `set: ${o}: invalid option name`);
            return 1;
          }
          if (o === "allexport") sh.allExport = on;
          continue;
        }
        if (letters[f] !== undefined) sh.opts[letters[f]!] = on;
        else if (f === "a") sh.allExport = on;
        else if (!"BhHmCvnbkPT".includes(f)) {
          sh.err(io, `set: ${a[0]}${f}: invalid option`);
          return 2;
        }
      }
      continue;
    }
    break;
  }
  if (i < args.length) sh.positional = args.slice(i);
  return 0;
};
