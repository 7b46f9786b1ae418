/** `mapfile` / `readarray [-d delim] [-n count] [-O origin] [-s count] [-t] [array]`. */
import { usage } from "./usage.js";
import type { Builtin } from "./api.js";

export const mapfile: Builtin = (sh, args, io, name) => {
  let strip = false;
  let delim = "\n";
  let count = 0;
  let origin = 0;
  let skip = 0;
  let target = "MAPFILE";
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-t") strip = true;
    else if (["-d", "-n", "-O", "-s", "-u", "-C", "-c"].includes(a)) {
      const v = args[++i];
      if (v === undefined) {
        sh.err(io, `${name}: ${a}: option requires an argument`);
        return 2;
      }
      if (a === "-d") delim = v === "" ? "\0" : v[0]!;
      else if (a === "-u" || a === "-C" || a === "-c") continue;
      else if (!/^\d+$/.test(v)) {
        sh.err(io, `${name}: ${v}: invalid ${a === "-O" ? "array origin" : "line count"}`);
        return 1;
      } else if (a === "-n") count = Number(v);
      else if (a === "-O") origin = Number(v);
      else skip = Number(v);
    } else if (a.startsWith("-") && a.length > 1) {
      sh.err(io, `${name}: ${a}: invalid option`);
      usage(io, `${name}: usage: ${name} [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [-C callback] [-c quantum] [array]`);
      return 2;
    } else target = a;
  }
  const cur = sh.vars.get(target);
  if (cur?.readonly === true) {
    sh.err(io, `${name}: ${target}: readonly variable`);
    return 1;
  }
  const items: string[] = [];
  let rest = "";
  const dec = new TextDecoder();
  const want = count === 0 ? Infinity : count + skip;
  // read as the data arrives (a line at a time for newline-delimited input)
  for (;;) {
    if (items.length >= want) break;
    if (delim === "\n") {
      const l = io.stdin.readLine();
      if (l === null) break;
      items.push(l + "\n");
    } else {
      const all = rest + dec.decode(io.stdin.readAll());
      let pos = 0;
      while (pos < all.length && items.length < want) {
        const e = all.indexOf(delim, pos);
        const end = e < 0 ? all.length : e + 1;
        items.push(all.slice(pos, end));
        pos = end;
      }
      rest = "";
      break;
    }
    sh.checkSize(0, items.length);
  }
  const lines = items.slice(skip).map((l) => (strip && l.endsWith(delim) ? l.slice(0, -1) : l));
  const arr: string[] = origin === 0 || cur === undefined || !Array.isArray(cur.value) ? [] : cur.value.slice(0, origin);
  for (let k = 0; k < lines.length; k++) arr[origin + k] = lines[k]!;
  sh.vars.set(target, { value: arr, exported: cur?.exported ?? false, readonly: false });
  return 0;
};
