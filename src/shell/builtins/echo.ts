/** `echo [-neE] [arg ...]`. */
import { decodeEscape } from "../parser.js";
import type { Builtin } from "./api.js";

/** The text `echo` writes for its arguments (options -n -e -E). */
export function echoText(args: string[]): string {
  let nl = true;
  let esc = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (!/^-[neE]+$/.test(a)) break;
    for (const f of a.slice(1)) {
      if (f === "n") nl = false;
      else if (f === "e") esc = true;
      else esc = false;
    }
  }
  let s = args.slice(i).join(" ");
  if (esc) {
    let o = "";
    for (let j = 0; j < s.length; j++) {
      if (s[j] === "\\") {
        const r = decodeEscape(s, j + 1, false);
        if (r.stop === true) return o;
        o += r.text;
        j = r.end - 1;
      } else o += s[j];
    }
    s = o;
  }
  return nl ? s + "\n" : s;
}

export const echo: Builtin = (sh, args, io) => sh.out(io, "echo", echoText(args));
