/** tr: translate, delete (-d) or squeeze (-s) characters of stdin (-c complements the first set); streams. */
import { streaming } from "../stream.js";
import { STATUS_SIGINT, type CommandContext, type StreamRun } from "../types.js";
import { eachChunk, parseArgs } from "./_util.js";

/** The characters of a tr set operand: ranges a-z, classes [:upper:], escapes. */
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

function* trRun(ctx: CommandContext): StreamRun {
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
  const set1 = new Set(s1);
  const first = new Map<string, number>();
  s1.forEach((c, i) => first.has(c) || first.set(c, i));
  const inS1 = (c: string): boolean => set1.has(c) !== p.opts.has("c");
  let last = "";
  const squeezeSet = new Set(del ? s2 : s2.length > 0 ? s2 : s1);
  const td = new TextDecoder();
  const translate = (input: string): void => {
    let out = "";
    for (const c of input) {
      let o = c;
      if (del && inS1(c)) continue;
      if (!del && s2.length > 0 && inS1(c)) {
        const i = first.get(c) ?? -1;
        o = s2[Math.min(i < 0 ? s2.length - 1 : i, s2.length - 1)]!;
      }
      if (p.opts.has("s") && o === last && squeezeSet.has(o)) continue;
      out += o;
      last = o;
    }
    if (out !== "") ctx.stdout.write(out);
  };
  const r = yield* eachChunk(ctx, "-", (c) => translate(td.decode(c, { stream: true })));
  if (r === "interrupted") return STATUS_SIGINT;
  translate(td.decode());
  return 0;
}

export const tr = streaming(trRun);
