/** `read [-rs] [-a array] [-p prompt] [name ...]`. */
import type { Builtin } from "./api.js";

function escapeClass(s: string): string {
  return s.replace(/[\]\\^-]/g, "\\$&").replace(/\t/g, "\\t").replace(/\n/g, "\\n");
}

export const read: Builtin = (sh, args, io) => {
  let raw = false;
  let prompt: string | null = null;
  let arrayName: string | null = null;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (names.length === 0 && a.startsWith("-") && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const f = a[j]!;
        if (f === "r") raw = true;
        else if (f === "s") continue;
        else if (f === "p" || f === "a" || f === "t" || f === "n" || f === "d" || f === "u") {
          const v = a.slice(j + 1) || args[++i] || "";
          if (f === "p") prompt = v;
          if (f === "a") arrayName = v;
          break;
        } else {
          sh.err(io, `read: -${f}: invalid option`);
          sh.err(io, "read: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]");
          return 2;
        }
      }
      continue;
    }
    names.push(a);
  }
  if (prompt !== null && io.stdin.isTty === true) io.stderr.write(prompt);
  let line = io.stdin.readLine();
  const eof = line === null;
  if (line === null) line = "";
  if (!raw) {
    while (line.endsWith("\\")) {
      const more = io.stdin.readLine();
      line = line.slice(0, -1) + (more ?? "");
      if (more === null) break;
    }
    line = line.replace(/\\(.)/g, "$1");
  }
  const ifs = sh.getVar("IFS") ?? " \t\n";
  const ws = [...ifs].filter((c) => " \t\n".includes(c)).join("");
  const trimmed = ws === "" ? line : line.replace(new RegExp(`^[${escapeClass(ws)}]+|[${escapeClass(ws)}]+$`, "g"), "");
  if (arrayName !== null) {
    const parts = ifs === "" ? [trimmed] : trimmed.split(new RegExp(`[${escapeClass(ifs)}]+`)).filter((x) => x !== "");
    sh.vars.set(arrayName, { value: parts, exported: false, readonly: false });
    return eof ? 1 : 0;
  }
  const targets = names.length === 0 ? ["REPLY"] : names;
  if (names.length === 0) {
    sh.setVar("REPLY", line);
    return eof ? 1 : 0;
  }
  let rest = trimmed;
  for (let i = 0; i < targets.length; i++) {
    if (i === targets.length - 1) {
      sh.setVar(targets[i]!, rest, io);
      break;
    }
    const m = ifs === "" ? null : new RegExp(`[${escapeClass(ifs)}]+`).exec(rest);
    if (m === null) {
      sh.setVar(targets[i]!, rest, io);
      rest = "";
      continue;
    }
    sh.setVar(targets[i]!, rest.slice(0, m.index), io);
    rest = rest.slice(m.index + m[0].length);
  }
  return eof ? 1 : 0;
};
