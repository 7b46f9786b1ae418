/** cut, sort, uniq and tr: line-oriented text filters. */
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

function parseList(spec: string): ((n: number) => boolean) | null {
  const ranges: [number, number][] = [];
  for (const part of spec.split(",")) {
    const m = /^(\d*)(-?)(\d*)$/.exec(part);
    if (m === null || (m[1] === "" && m[3] === "")) return null;
    const a = m[1] === "" ? 1 : Number(m[1]);
    const b = m[2] === "" ? a : m[3] === "" ? Infinity : Number(m[3]);
    if (a < 1) return null;
    ranges.push([a, b]);
  }
  return (n) => ranges.some(([a, b]) => n >= a && n <= b);
}

export function cut(ctx: CommandContext): number {
  const p = parseArgs(ctx, { short: "d:f:c:b:s", long: { delimiter: { key: "d", arg: true }, fields: { key: "f", arg: true }, characters: { key: "c", arg: true }, bytes: { key: "b", arg: true }, "only-delimited": { key: "s" } } });
  if (typeof p === "number") return p;
  const prog = ctx.argv[0]!;
  const spec = (p.opts.get("f") ?? p.opts.get("c") ?? p.opts.get("b")) as string | undefined;
  if (spec === undefined) {
    ctx.stderr.write(`${prog}: you must specify a list of bytes, characters, or fields\nTry '${prog} --help' for more information.\n`);
    return 1;
  }
  const sel = parseList(spec);
  if (sel === null) {
    ctx.stderr.write(`${prog}: invalid field value '${spec}'\nTry '${prog} --help' for more information.\n`);
    return 1;
  }
  const d = (p.opts.get("d") as string | undefined) ?? "\t";
  if (d.length !== 1) {
    ctx.stderr.write(`${prog}: the delimiter must be a single character\nTry '${prog} --help' for more information.\n`);
    return 1;
  }
  const { t, st } = inputText(ctx, p.operands);
  let out = "";
  for (const l of lines(t)) {
    if (p.opts.has("f")) {
      if (!l.includes(d)) {
        if (!p.opts.has("s")) out += l + "\n";
        continue;
      }
      out += l.split(d).filter((_, i) => sel(i + 1)).join(d) + "\n";
    } else out += [...l].filter((_, i) => sel(i + 1)).join("") + "\n";
  }
  ctx.stdout.write(out);
  return st;
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

export function uniq(ctx: CommandContext): number {
  const p = parseArgs(ctx, { short: "cdui", long: { count: { key: "c" }, repeated: { key: "d" }, unique: { key: "u" }, "ignore-case": { key: "i" } } });
  if (typeof p === "number") return p;
  const { t, st } = inputText(ctx, p.operands.slice(0, 1));
  const ls = lines(t);
  let out = "";
  const eq = (a: string, b: string): boolean => (p.opts.has("i") ? a.toLowerCase() === b.toLowerCase() : a === b);
  for (let i = 0; i < ls.length; ) {
    let j = i + 1;
    while (j < ls.length && eq(ls[j]!, ls[i]!)) j++;
    const n = j - i;
    if (!(p.opts.has("d") && n < 2) && !(p.opts.has("u") && n > 1)) out += (p.opts.has("c") ? `${String(n).padStart(7)} ` : "") + ls[i] + "\n";
    i = j;
  }
  ctx.stdout.write(out);
  return st;
}

function expandSet(s: string): string[] {
  const out: string[] = [];
  const cls: Record<string, string> = { upper: "ABCDEFGHIJKLMNOPQRSTUVWXYZ", lower: "abcdefghijklmnopqrstuvwxyz", digit: "0123456789", space: " \t\n\r\f\v", blank: " \t", alpha: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", alnum: "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", punct: "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~" };
  const esc: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", f: "\f", v: "\v", a: "\x07", b: "\b" };
  const chars: string[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "[" && s[i + 1] === ":") {
      const e = s.indexOf(":]", i);
      if (e > 0 && cls[s.slice(i + 2, e)] !== undefined) {
        chars.push(...[...cls[s.slice(i + 2, e)]!].map((c) => "\0cls" + c));
        i = e + 1;
        continue;
      }
    }
    if (s[i] === "\\" && i + 1 < s.length) {
      const n = s[++i]!;
      if (/[0-7]/.test(n)) {
        const m = /^[0-7]{1,3}/.exec(s.slice(i))![0];
        chars.push(String.fromCharCode(parseInt(m, 8)));
        i += m.length - 1;
      } else chars.push(esc[n] ?? n);
      continue;
    }
    chars.push(s[i]!);
  }
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c.startsWith("\0cls")) {
      out.push(c.slice(4));
      continue;
    }
    if (chars[i + 1] === "-" && i + 2 < chars.length && !chars[i + 2]!.startsWith("\0cls")) {
      const a = c.codePointAt(0)!;
      const b = chars[i + 2]!.codePointAt(0)!;
      for (let x = a; x <= b; x++) out.push(String.fromCodePoint(x));
      i += 2;
      continue;
    }
    out.push(c);
  }
  return out;
}

export function tr(ctx: CommandContext): number {
  const p = parseArgs(ctx, { short: "dsc", long: { delete: { key: "d" }, "squeeze-repeats": { key: "s" }, complement: { key: "c" } } });
  if (typeof p === "number") return p;
  const prog = ctx.argv[0]!;
  const del = p.opts.has("d");
  const need = del && !p.opts.has("s") ? 1 : p.opts.has("s") && !del && p.operands.length === 1 ? 1 : 2;
  if (p.operands.length < need) {
    ctx.stderr.write(p.operands.length === 0 ? `${prog}: missing operand\nTry '${prog} --help' for more information.\n` : `${prog}: missing operand after '${p.operands[p.operands.length - 1]}'\nTwo strings must be given when translating.\nTry '${prog} --help' for more information.\n`);
    return 1;
  }
  const s1 = expandSet(p.operands[0]!);
  const s2 = p.operands[1] === undefined ? [] : expandSet(p.operands[1]);
  const inS1 = (c: string): boolean => s1.includes(c) !== p.opts.has("c");
  const input = text(ctx.stdin.readAll());
  let out = "";
  let last = "";
  const squeezeSet = del ? s2 : s2.length > 0 ? s2 : s1;
  for (const c of input) {
    let o = c;
    if (del && inS1(c)) continue;
    if (!del && s2.length > 0 && inS1(c)) {
      const i = s1.indexOf(c);
      o = s2[Math.min(i < 0 ? s2.length - 1 : i, s2.length - 1)]!;
    }
    if (p.opts.has("s") && o === last && squeezeSet.includes(o)) continue;
    out += o;
    last = o;
  }
  ctx.stdout.write(out);
  return 0;
}
