/** `help [-dms] [pattern ...]`: bash 5.2's list of builtins, or the topics matching. */
import type { Builtin } from "./api.js";
import { HELP_LIST, HELP_TOPICS } from "./help_text.js";

export const help: Builtin = (sh, args, io) => {
  let mode: "long" | "d" | "s" = "long";
  const pats: string[] = [];
  for (const a of args) {
    if (/^-[dms]+$/.test(a) && pats.length === 0) mode = a.includes("s") ? "s" : a.includes("d") ? "d" : "long";
    else if (a === "--") continue;
    else pats.push(a);
  }
  if (pats.length === 0) return sh.out(io, "help", HELP_LIST);
  let text = "";
  let st = 1;
  for (const p of pats) {
    const names = p in HELP_TOPICS ? [p] : Object.keys(HELP_TOPICS).filter((n) => n.startsWith(p));
    if (names.length === 0) continue;
    st = 0;
    for (const n of names) {
      const t = HELP_TOPICS[n]!;
      if (mode === "s") text += t.synopsis + "\n";
      else if (mode === "d") text += t.short + "\n";
      else text += `${t.synopsis}\n    ${t.short.slice(t.short.indexOf(" - ") + 3)}\n`;
    }
  }
  if (st !== 0) {
    const p = pats[pats.length - 1]!;
    sh.err(io, `help: no help topics match \`${p}'.  Try \`help help' or \`man -k ${p}' or \`info ${p}'.`);
    return 1;
  }
  return sh.out(io, "help", text);
};
