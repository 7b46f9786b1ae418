/** `command [-vV] name [arg ...]`, `builtin name [arg ...]` and `type [-tpPa] name ...`. */
import type { Builtin } from "./api.js";

export const command: Builtin = (sh, args, io) => {
  if (args[0] === "-v" || args[0] === "-V") {
    const verbose = args[0] === "-V";
    let st = 0;
    let text = "";
    for (const n of args.slice(1)) {
      const d = sh.describe(n);
      if (d === null) {
        if (verbose) sh.err(io, `command: ${n}: not found`);
        st = 1;
        continue;
      }
      text += verbose ? d.long + "\n" : (d.kind === "file" ? d.path : d.kind === "alias" ? `alias ${n}='${sh.aliases.get(n)}'` : n) + "\n";
    }
    return sh.out(io, "command", text) || st;
  }
  const rest = args[0] === "--" ? args.slice(1) : args;
  if (rest.length === 0) return 0;
  if (sh.isBuiltin(rest[0]!)) return sh.builtin(rest, io);
  return sh.runExternal(rest, io, {});
};

/** `builtin NAME [ARG ...]`: the shell builtin NAME, never a function or program of that name. */
export const builtin: Builtin = (sh, args, io) => {
  const rest = args[0] === "--" ? args.slice(1) : args;
  if (rest.length === 0) return 0;
  if (!sh.isBuiltin(rest[0]!)) {
    sh.err(io, `builtin: ${rest[0]}: not a shell builtin`);
    return 1;
  }
  return sh.builtin(rest, io);
};

export const type: Builtin = (sh, args, io) => {
  let mode: "long" | "t" | "p" | "P" = "long";
  const names: string[] = [];
  for (const a of args) {
    if (a === "-t") mode = "t";
    else if (a === "-p") mode = "p";
    else if (a === "-P") mode = "P";
    else if (a === "-a") continue;
    else names.push(a);
  }
  let st = 0;
  let text = "";
  for (const n of names) {
    const d = mode === "P" ? (sh.lookPath(n) !== null ? { kind: "file", path: sh.lookPath(n)!, long: "" } : null) : sh.describe(n);
    if (d === null) {
      if (mode === "long") {
        sh.out(io, "type", text);
        text = "";
        sh.err(io, `type: ${n}: not found`);
      }
      st = 1;
      continue;
    }
    if (mode === "t") text += d.kind + "\n";
    else if (mode === "p" || mode === "P") text += d.kind === "file" ? d.path + "\n" : "";
    else text += d.long + "\n";
  }
  return sh.out(io, "type", text) || st;
};
