/** `getopts optstring name [arg ...]`. */
import type { Builtin } from "./api.js";

export const getopts: Builtin = (sh, args, io) => {
  const [spec, name] = args;
  if (spec === undefined || name === undefined) {
    sh.err(io, "getopts: usage: getopts optstring name [arg ...]");
    return 2;
  }
  const argv = args.length > 2 ? args.slice(2) : sh.positional;
  let ind = Number(sh.getVar("OPTIND") ?? "1");
  const sub = Number(sh.getVar("_GETOPTS_SUB") ?? "1");
  const cur = argv[ind - 1];
  if (cur === undefined || !cur.startsWith("-") || cur === "-") {
    sh.setVar(name, "?");
    return 1;
  }
  if (cur === "--") {
    sh.setVar("OPTIND", String(ind + 1));
    sh.setVar(name, "?");
    return 1;
  }
  const ch = cur[sub]!;
  let nextSub = sub + 1;
  const k = spec.indexOf(ch);
  const silent = spec.startsWith(":");
  if (k < 0 || ch === ":") {
    if (!silent) sh.err(io, `illegal option -- ${ch}`);
    sh.setVar(name, "?");
    if (silent) sh.setVar("OPTARG", ch);
  } else if (spec[k + 1] === ":") {
    let arg = cur.slice(sub + 1);
    if (arg === "") {
      arg = argv[ind] ?? "";
      ind++;
    }
    sh.setVar("OPTARG", arg);
    sh.setVar(name, ch);
    nextSub = cur.length;
  } else sh.setVar(name, ch);
  if (nextSub >= cur.length) {
    ind++;
    nextSub = 1;
  }
  sh.setVar("OPTIND", String(ind));
  sh.setVar("_GETOPTS_SUB", String(nextSub));
  return 0;
};
