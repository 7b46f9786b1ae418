/** `alias [name[=value] ...]` and `unalias [-a] name ...`. */
import { byteCompare } from "../pattern.js";
import type { Builtin } from "./api.js";

export const alias: Builtin = (sh, args, io) => {
  if (args.length === 0) {
    let text = "";
    for (const [k, v] of [...sh.aliases].sort((a, b) => byteCompare(a[0], b[0]))) text += `alias ${k}='${v}'\n`;
    return sh.out(io, "alias", text);
  }
  let st = 0;
  for (const a of args) {
    const i = a.indexOf("=");
    if (i > 0) sh.aliases.set(a.slice(0, i), a.slice(i + 1));
    else if (sh.aliases.has(a)) sh.out(io, "alias", `alias ${a}='${sh.aliases.get(a)}'\n`);
    else {
      sh.err(io, `alias: ${a}: not found`);
      st = 1;
    }
  }
  return st;
};

export const unalias: Builtin = (sh, args) => {
  for (const a of args) {
    if (a === "-a") sh.aliases.clear();
    else sh.aliases.delete(a);
  }
  return 0;
};
