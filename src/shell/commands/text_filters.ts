/** sort: a line-oriented filter that reads its whole input. */
import type { CommandContext } from "../types.js";
import { lines, parseArgs, readAll, text } from "./_util.js";

function inputText(ctx: CommandContext, files: string[]): { t: string; st: number } {
  let t = "";
  let st = 0;
  for (const r of readAll(ctx, files)) {
    if (r.data === null) st = 1;
    else {
      const s = text(r.data);
      t += s.length > 0 && !s.endsWith("\n") ? s + "\n" : s;
    }
  }
  return { t, st };
}

export function sort(ctx: CommandContext): number {
  const p = parseArgs(ctx, { short: "nrufk:t:hV", long: { "numeric-sort": { key: "n" }, reverse: { key: "r" }, unique: { key: "u" }, "ignore-case": { key: "f" }, key: { key: "k", arg: true }, "field-separator": { key: "t", arg: true } } });
  if (typeof p === "number") return p;
  const { t, st } = inputText(ctx, p.operands);
  const sep = p.opts.get("t") as string | undefined;
  const k = p.opts.has("k") ? Number(/^\d+/.exec(p.opts.get("k") as string)?.[0] ?? "1") : 0;
  const keyOf = (l: string): string => {
    if (k === 0) return l;
    const f = sep !== undefined ? l.split(sep) : l.trim().split(/\s+/);
    return f.slice(k - 1).join(sep ?? " ");
  };
  const num = (s: string): number => {
    const m = /^\s*(-?\d+(\.\d+)?)/.exec(s);
    return m === null ? 0 : Number(m[1]);
  };
  const cmp = (a: string, b: string): number => {
    let ka = keyOf(a);
    let kb = keyOf(b);
    if (p.opts.has("f")) {
      ka = ka.toUpperCase();
      kb = kb.toUpperCase();
    }
    let r = p.opts.has("n") ? num(ka) - num(kb) : 0;
    if (r === 0 && !p.opts.has("n")) r = ka < kb ? -1 : ka > kb ? 1 : 0;
    if (r === 0 && !p.opts.has("u")) r = a < b ? -1 : a > b ? 1 : 0;
    return p.opts.has("r") ? -r : r;
  };
  let ls = lines(t).sort(cmp);
  if (p.opts.has("u")) ls = ls.filter((l, i) => i === 0 || cmp(ls[i - 1]!, l) !== 0);
  if (ls.length > 0) ctx.stdout.write(ls.join("\n") + "\n");
  return st;
}

