/**
 * awk (POSIX awk as the host's mawk 1.3.4 runs it, for what this implements):
 * -F, -v, -f, `var=value` operands; BEGIN, END, patterns, ranges; fields,
 * NF, NR, FNR, FS, OFS, ORS, RS (one character or paragraphs), FILENAME,
 * SUBSEP, CONVFMT, OFMT, ENVIRON, ARGV; arrays, user functions, the string
 * and arithmetic functions, printf, getline (plain, var, `< file`), print to
 * a file or /dev/stderr, system(). Not implemented: pipes to and from
 * commands (`print | cmd`, `cmd | getline`). Compared with the host's awk in
 * test/shell/awk.test.ts.
 */
import { SysError, strerror } from "../../lib/errno.js";
import { STATUS_SIGINT, type CommandContext } from "../types.js";
import { AwkSyntaxError, parseAwk, type Expr, type Program, type Stmt } from "./awk_parse.js";
import { posixToJs } from "./grep.js";

/** An uninitialized value: "" as a string, 0 as a number. */
const UNINIT = Symbol("uninit");
/** Input text (fields, getline, -v, ARGV): a number when it looks like one. */
class StrNum {
  constructor(readonly s: string) {}
}
type Val = number | string | StrNum | typeof UNINIT;

const NUM_RE = /^[ \t\n]*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[ \t\n]*$/;
const PREFIX_RE = /^[ \t\n]*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const MAX_INT = 0x7fffffff;

function toNum(v: Val): number {
  if (typeof v === "number") return v;
  if (v === UNINIT) return 0;
  const s = typeof v === "string" ? v : v.s;
  const m = PREFIX_RE.exec(s);
  return m === null ? 0 : Number(m[0]);
}

function looksNumeric(v: Val): boolean {
  return typeof v === "number" || v === UNINIT || (v instanceof StrNum && NUM_RE.test(v.s));
}

class Exit {
  constructor(readonly code: number) {}
}
class Next {}
class Break {}
class Continue {}
class Return {
  constructor(readonly v: Val) {}
}
class AwkRuntimeError extends Error {}
/** An input file that cannot be read: mawk says so without "run time error:" and stops with 2. */
class AwkOpenError extends AwkRuntimeError {}
class Interrupted {}

/** Loop iterations a program may run where Ctrl-C cannot reach it. */
const MAX_ITERATIONS = 1 << 24;
/** User function calls in progress at once (the interpreter's own stack stays well within V8's). */
const MAX_CALL_DEPTH = 400;

/** C printf conversions for awk (numbers from any value, %c of a number its character). */
export function awkSprintf(fmt: string, args: Val[], str: (v: Val) => string, fn = "printf"): string {
  let out = "";
  let ai = 0;
  const arg = (): Val => {
    if (ai >= args.length) throw new AwkRuntimeError(`not enough arguments passed to ${fn}("${fmt}")`);
    return args[ai++]!;
  };
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if (c !== "%") {
      out += c;
      continue;
    }
    const m = /^%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?([cdiouxXeEfFgGs%])/.exec(fmt.slice(i));
    if (m === null) {
      out += c;
      continue;
    }
    i += m[0].length - 1;
    const flags = m[1]!;
    let width = m[2] === "*" ? Math.trunc(toNum(arg())) : m[2] !== undefined ? Number(m[2]) : 0;
    let left = flags.includes("-");
    if (width < 0) {
      left = true;
      width = -width;
    }
    const precRaw = m[3] === "*" ? String(Math.trunc(toNum(arg()))) : m[3];
    const prec = precRaw === undefined ? undefined : precRaw === "" ? 0 : Number(precRaw);
    const conv = m[4]!;
    if (conv === "%") {
      out += "%";
      continue;
    }
    let body: string;
    let signOk = false;
    if (conv === "s" || conv === "c") {
      const v = arg();
      let s = conv === "c" && typeof v === "number" ? String.fromCharCode(Math.trunc(v) & 0xff) : str(v);
      if (conv === "c") s = s.slice(0, 1);
      else if (prec !== undefined) s = s.slice(0, prec);
      body = s;
    } else {
      const n = toNum(arg());
      signOk = true;
      if ("diouxX".includes(conv)) {
        let t = Number.isFinite(n) ? Math.trunc(n) : n;
        if (conv === "u" || conv === "o" || conv === "x" || conv === "X") t = t < 0 ? t + 2 ** 64 : t;
        let d = !Number.isFinite(t) ? String(t) : conv === "o" ? t.toString(8) : conv === "x" ? t.toString(16) : conv === "X" ? t.toString(16).toUpperCase() : String(Math.abs(t));
        if (prec !== undefined) d = d.padStart(prec, "0");
        if (flags.includes("#") && conv === "o" && !d.startsWith("0")) d = "0" + d;
        if (flags.includes("#") && (conv === "x" || conv === "X") && t !== 0) d = (conv === "x" ? "0x" : "0X") + d;
        body = (conv === "d" || conv === "i") && t < 0 ? "-" + d : d;
        if ((conv === "d" || conv === "i") && t >= 0) body = (flags.includes("+") ? "+" : flags.includes(" ") ? " " : "") + body;
      } else {
        body = formatFloat(n, conv, prec ?? 6, flags);
      }
    }
    if (body.length < width) {
      if (left) body = body.padEnd(width);
      else if (flags.includes("0") && signOk && !(prec !== undefined && "diouxX".includes(conv))) {
        const sign = /^[+\- ]|^0[xX]/.exec(body)?.[0] ?? "";
        body = sign + body.slice(sign.length).padStart(width - sign.length, "0");
      } else body = body.padStart(width);
    }
    out += body;
  }
  return out;
}

/** %e %f %g as C prints them (two-digit exponents at least; %g without trailing zeros unless `#`). */
function formatFloat(n: number, conv: string, prec: number, flags: string): string {
  const sign = n < 0 || Object.is(n, -0) ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
  const a = Math.abs(n);
  if (!Number.isFinite(a)) return sign + (Number.isNaN(a) ? "nan" : "inf");
  const exp = (s: string): string => s.replace(/e([+-])(\d)$/, "e$10$2");
  let s: string;
  const lower = conv.toLowerCase();
  if (lower === "f") s = a.toFixed(prec);
  else if (lower === "e") s = exp(a.toExponential(prec));
  else {
    const p = prec === 0 ? 1 : prec;
    const x = a === 0 ? 0 : Math.floor(Math.log10(Number(a.toExponential(p - 1))));
    if (x < -4 || x >= p) s = exp(a.toExponential(p - 1));
    else s = a.toFixed(Math.max(0, p - 1 - x));
    if (!flags.includes("#")) s = s.replace(/\.?0+(e|$)/, (m0, e: string) => (m0.includes(".") || m0.length > 0 ? e : m0));
    if (!flags.includes("#") && s.includes(".") && !s.includes("e")) s = s.replace(/\.?0+$/, "");
  }
  if (conv === "E" || conv === "G") s = s.toUpperCase();
  return sign + s;
}

interface Output {
  write(s: string): void;
}

class Awk {
  private readonly vars = new Map<string, Val>();
  private readonly arrays = new Map<string, Map<string, Val>>();
  private fields: Val[] = [];
  private record = "";
  private splitDone = true;
  private nf = 0;
  private readonly res = new Map<string, RegExp>();
  private readonly files = new Map<string, Output>();
  private readonly readers = new Map<string, { lines: string[]; at: number }>();
  private locals: Map<string, Val | Map<string, Val>>[] = [];
  private ranges: boolean[] = [];
  private input: { next(): string | null } = { next: () => null };
  private randState = 0;
  private seed = 0;

  constructor(
    private readonly ctx: CommandContext,
    private readonly prog: Program,
  ) {
    const set = (k: string, v: Val): void => void this.vars.set(k, v);
    set("FS", " ");
    set("OFS", " ");
    set("ORS", "\n");
    set("RS", "\n");
    set("NR", 0);
    set("FNR", 0);
    set("SUBSEP", "\x1c");
    set("CONVFMT", "%.6g");
    set("OFMT", "%.6g");
    set("FILENAME", "");
    set("RSTART", 0);
    set("RLENGTH", -1);
    const env = new Map<string, Val>();
    for (const [k, v] of Object.entries(ctx.env)) env.set(k, new StrNum(v));
    this.arrays.set("ENVIRON", env);
  }

  // ---- values ----
  str(v: Val, fmt = "CONVFMT"): string {
    if (typeof v === "string") return v;
    if (v === UNINIT) return "";
    if (v instanceof StrNum) return v.s;
    if (Number.isInteger(v) && Math.abs(v) <= MAX_INT) return String(v);
    if (Number.isNaN(v)) return v > 0 ? "nan" : "-nan";
    if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
    return awkSprintf(this.str(this.vars.get(fmt) ?? "%.6g"), [v], (x) => this.str(x));
  }

  private bool(v: Val): boolean {
    if (typeof v === "number") return v !== 0;
    if (v === UNINIT) return false;
    if (v instanceof StrNum) return NUM_RE.test(v.s) ? toNum(v) !== 0 : v.s !== "";
    return v !== "";
  }

  private regex(src: string): RegExp {
    let re = this.res.get(src);
    if (re === undefined) {
      try {
        re = new RegExp(posixToJs(src, true).replace(/\\\//g, "/"), "g");
      } catch {
        throw new AwkRuntimeError(`regular expression compile failed (${src})`);
      }
      this.res.set(src, re);
    }
    re.lastIndex = 0;
    return re;
  }

  private reOf(e: Expr): RegExp {
    return e.k === "re" ? this.regex(e.src) : this.regex(this.str(this.eval(e)));
  }

  // ---- fields ----
  setRecord(s: string): void {
    this.record = s;
    this.splitDone = false;
  }

  private split(): void {
    if (this.splitDone) return;
    this.splitDone = true;
    this.fields = this.splitString(this.record, this.str(this.vars.get("FS")!)).map((f) => new StrNum(f));
    this.nf = this.fields.length;
  }

  splitString(s: string, fs: string): string[] {
    if (fs === " ") {
      const t = s.replace(/^[ \t\n]+|[ \t\n]+$/g, "");
      return t === "" ? [] : t.split(/[ \t\n]+/);
    }
    if (s === "") return [];
    if (fs.length === 1 && fs !== "\\") return s.split(fs === "\t" ? "\t" : fs);
    return s.split(this.regex(fs));
  }

  private getField(i: number): Val {
    if (i === 0) return new StrNum(this.record);
    this.split();
    return i <= this.nf ? this.fields[i - 1]! : UNINIT;
  }

  private setField(i: number, v: Val): void {
    if (i === 0) {
      this.setRecord(this.str(v));
      return;
    }
    this.split();
    while (this.nf < i) this.fields[this.nf++] = UNINIT;
    this.fields[i - 1] = v;
    this.rebuild();
  }

  private rebuild(): void {
    const ofs = this.str(this.vars.get("OFS")!);
    this.record = this.fields.slice(0, this.nf).map((f) => this.str(f)).join(ofs);
  }

  // ---- variables ----
  private local(name: string): Map<string, Val | Map<string, Val>> | undefined {
    const top = this.locals[this.locals.length - 1];
    return top !== undefined && top.has(name) ? top : undefined;
  }

  private getVar(name: string): Val {
    if (name === "NF") {
      this.split();
      return this.nf;
    }
    const l = this.local(name);
    if (l !== undefined) {
      const v = l.get(name);
      if (v instanceof Map) throw new AwkRuntimeError(`can't use array ${name} in scalar context`);
      return v ?? UNINIT;
    }
    return this.vars.get(name) ?? UNINIT;
  }

  setVar(name: string, v: Val): void {
    if (name === "NF") {
      this.split();
      const n = Math.max(0, Math.trunc(toNum(v)));
      while (this.nf < n) this.fields[this.nf++] = UNINIT;
      this.nf = n;
      this.fields.length = n;
      this.rebuild();
      return;
    }
    const l = this.local(name);
    if (l !== undefined) l.set(name, v);
    else this.vars.set(name, v);
  }

  private array(name: string): Map<string, Val> {
    const l = this.local(name);
    if (l !== undefined) {
      let a = l.get(name);
      if (!(a instanceof Map)) {
        a = new Map();
        l.set(name, a);
      }
      return a;
    }
    let a = this.arrays.get(name);
    if (a === undefined) this.arrays.set(name, (a = new Map()));
    return a;
  }

  private key(subs: Expr[]): string {
    return subs.map((s) => this.str(this.eval(s))).join(this.str(this.vars.get("SUBSEP")!));
  }

  private assign(target: Expr, v: Val): Val {
    if (target.k === "var") this.setVar(target.name, v);
    else if (target.k === "field") this.setField(Math.trunc(toNum(this.eval(target.e))), v);
    else if (target.k === "idx") this.array(target.name).set(this.key(target.subs), v);
    return v;
  }

  // ---- expressions ----
  eval(e: Expr): Val {
    switch (e.k) {
      case "num": return e.v;
      case "str": return e.v;
      case "re": {
        const re = this.regex(e.src);
        return re.test(this.record) ? 1 : 0;
      }
      case "group": return this.eval(e.e);
      case "tuple": throw new AwkRuntimeError("a parenthesized list is only a subscript for `in`");
      case "var": return this.getVar(e.name);
      case "field": {
        const i = Math.trunc(toNum(this.eval(e.e)));
        if (i < 0) throw new AwkRuntimeError(`negative field index $${i}`);
        return this.getField(i);
      }
      case "idx": {
        const a = this.array(e.name);
        const k = this.key(e.subs);
        if (!a.has(k)) a.set(k, UNINIT);
        return a.get(k)!;
      }
      case "in": return this.array(e.name).has(this.key(e.subs)) ? 1 : 0;
      case "assign": {
        if (e.op === "=") return this.assign(e.target, this.eval(e.e));
        const b = toNum(this.eval(e.e));
        const a = toNum(this.eval(e.target));
        return this.assign(e.target, arith(e.op.slice(0, -1), a, b));
      }
      case "cond": return this.bool(this.eval(e.c)) ? this.eval(e.a) : this.eval(e.b);
      case "un": {
        const v = this.eval(e.e);
        if (e.op === "!") return this.bool(v) ? 0 : 1;
        return e.op === "-" ? -toNum(v) : toNum(v);
      }
      case "incdec": {
        const old = toNum(this.eval(e.target));
        const nv = e.op === "++" ? old + 1 : old - 1;
        this.assign(e.target, nv);
        return e.prefix ? nv : old;
      }
      case "match": {
        const s = this.str(this.eval(e.e));
        const hit = this.reOf(e.re).test(s);
        return hit !== e.neg ? 1 : 0;
      }
      case "bin": return this.binary(e.op, e.a, e.b);
      case "call": return this.call(e.name, e.args);
      case "getline": return this.getline(e.target, e.file);
    }
  }

  private binary(op: string, ea: Expr, eb: Expr): Val {
    if (op === "&&") return this.bool(this.eval(ea)) && this.bool(this.eval(eb)) ? 1 : 0;
    if (op === "||") return this.bool(this.eval(ea)) || this.bool(this.eval(eb)) ? 1 : 0;
    const a = this.eval(ea);
    const b = this.eval(eb);
    if (op === "cat") return this.str(a) + this.str(b);
    if (["<", "<=", "==", "!=", ">", ">="].includes(op)) {
      let c: number;
      if (looksNumeric(a) && looksNumeric(b)) {
        const x = toNum(a);
        const y = toNum(b);
        c = x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
      } else {
        const x = this.str(a);
        const y = this.str(b);
        c = x < y ? -1 : x > y ? 1 : 0;
      }
      const r = op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === "==" ? c === 0 : op === "!=" ? c !== 0 : op === ">" ? c > 0 : c >= 0;
      return r ? 1 : 0;
    }
    return arith(op, toNum(a), toNum(b));
  }

  private call(name: string, args: Expr[]): Val {
    const s = (i: number): string => (args[i] === undefined ? "" : this.str(this.eval(args[i]!)));
    const n = (i: number): number => (args[i] === undefined ? 0 : toNum(this.eval(args[i]!)));
    switch (name) {
      case "length": {
        if (args.length === 0) return this.record.length;
        const a = args[0]!;
        if (a.k === "var" && (this.arrays.has(a.name) || this.local(a.name)?.get(a.name) instanceof Map)) return this.array(a.name).size;
        return s(0).length;
      }
      case "substr": {
        const str = s(0);
        const m = Math.round(n(1));
        const len = args.length > 2 ? Math.round(n(2)) : Infinity;
        const start = Math.max(1, m);
        const end = len === Infinity ? str.length + 1 : m + len;
        return end <= start ? "" : str.slice(start - 1, end - 1);
      }
      case "index": return s(0).indexOf(s(1)) + 1;
      case "split": {
        const a = args[1];
        if (a === undefined || a.k !== "var") throw new AwkRuntimeError("split: the second argument must be an array");
        const parts = this.splitString(s(0), args.length > 2 ? (args[2]!.k === "re" ? (args[2] as { src: string }).src : s(2)) : this.str(this.vars.get("FS")!));
        const arr = this.array(a.name);
        arr.clear();
        parts.forEach((p, i) => arr.set(String(i + 1), new StrNum(p)));
        return parts.length;
      }
      case "sub":
      case "gsub": {
        const target = args[2] ?? { k: "field", e: { k: "num", v: 0 } };
        const src = this.str(this.eval(target));
        const re = this.reOf(args[0]!);
        const repl = s(1);
        let count = 0;
        let prevEnd = -1;
        let out = "";
        let at = 0;
        for (let m = re.exec(src); m !== null; m = re.exec(src)) {
          if (m[0].length === 0 && m.index === prevEnd) {
            re.lastIndex++;
            continue;
          }
          out += src.slice(at, m.index) + repl.replace(/\\\\|\\&|&/g, (t) => (t === "&" ? m![0] : t.slice(1)));
          at = m.index + m[0].length;
          prevEnd = at;
          count++;
          if (m[0].length === 0) {
            if (m.index < src.length) out += src[m.index];
            at = m.index + 1;
            re.lastIndex = m.index + 1;
          }
          if (name === "sub") break;
        }
        if (count > 0) this.assign(target, out + src.slice(at));
        return count;
      }
      case "match": {
        const str = s(0);
        const re = this.reOf(args[1]!);
        const m = re.exec(str);
        this.vars.set("RSTART", m === null ? 0 : m.index + 1);
        this.vars.set("RLENGTH", m === null ? -1 : m[0].length);
        return m === null ? 0 : m.index + 1;
      }
      case "sprintf": return awkSprintf(s(0), args.slice(1).map((a) => this.eval(a)), (v) => this.str(v), "sprintf");
      case "tolower": return s(0).toLowerCase();
      case "toupper": return s(0).toUpperCase();
      case "int": return Math.trunc(n(0));
      case "sqrt": return Math.sqrt(n(0));
      case "exp": return Math.exp(n(0));
      case "log": return Math.log(n(0));
      case "sin": return Math.sin(n(0));
      case "cos": return Math.cos(n(0));
      case "atan2": return Math.atan2(n(0), n(1));
      case "rand": {
        // a fixed sequence from the seed (a run repeats)
        this.randState = (Math.imul(this.randState ^ 0x5deece66, 1103515245) + 12345) >>> 0;
        return this.randState / 2 ** 32;
      }
      case "srand": {
        const old = this.seed;
        this.seed = args.length > 0 ? n(0) : Math.floor(this.ctx.hooks.wallClock(this.ctx.hooks.now()) / 1000);
        this.randState = this.seed >>> 0;
        return old;
      }
      case "system": return this.ctx.run(s(0));
      case "close": {
        const f = s(0);
        const had = this.files.delete(f) || this.readers.delete(f);
        return had ? 0 : -1;
      }
      case "fflush": return 0;
    }
    return this.callUser(name, args);
  }

  private callUser(name: string, args: Expr[]): Val {
    const f = this.prog.funcs.get(name);
    if (f === undefined) throw new AwkRuntimeError(`function ${name} never defined`);
    const frame = new Map<string, Val | Map<string, Val>>();
    f.params.forEach((p, i) => {
      const a = args[i];
      if (a === undefined) frame.set(p, UNINIT);
      else if (a.k === "var" && this.passesArray(a.name)) frame.set(p, this.array(a.name));
      else frame.set(p, this.eval(a));
    });
    if (this.locals.length >= MAX_CALL_DEPTH) throw new AwkRuntimeError(`function call nesting deeper than ${MAX_CALL_DEPTH}`);
    this.locals.push(frame);
    try {
      this.run(f.body);
      return UNINIT;
    } catch (e) {
      if (e instanceof Return) return e.v;
      throw e;
    } finally {
      this.locals.pop();
    }
  }

  /** Whether a bare name passed to a function goes as an array: one already, or untyped yet (awk passes those by reference). */
  private passesArray(name: string): boolean {
    const l = this.local(name);
    if (l !== undefined) {
      const v = l.get(name);
      return v instanceof Map || v === UNINIT;
    }
    return this.arrays.has(name) || !this.vars.has(name);
  }

  private getline(target: Expr | null, file: Expr | null): Val {
    let line: string | null;
    if (file !== null) {
      const name = this.str(this.eval(file));
      let r = this.readers.get(name);
      if (r === undefined) {
        let text: string;
        try {
          text = name === "-" || name === "/dev/stdin" ? new TextDecoder().decode(this.ctx.stdin.readAll()) : this.ctx.vfs.readText(this.ctx.resolve(name));
        } catch {
          return -1;
        }
        r = { lines: splitRecords(text, this.str(this.vars.get("RS")!)), at: 0 };
        this.readers.set(name, r);
      }
      line = r.at < r.lines.length ? r.lines[r.at++]! : null;
      if (line === null) return 0;
      if (target === null) {
        this.setRecord(line);
        this.vars.set("NR", toNum(this.vars.get("NR")!) + 1);
      } else this.assign(target, new StrNum(line));
      return 1;
    }
    line = this.input.next();
    if (line === null) return 0;
    this.vars.set("NR", toNum(this.vars.get("NR")!) + 1);
    this.vars.set("FNR", toNum(this.vars.get("FNR")!) + 1);
    if (target === null) this.setRecord(line);
    else this.assign(target, new StrNum(line));
    return 1;
  }

  // ---- statements ----
  run(body: Stmt[]): void {
    for (const s of body) this.exec(s);
  }

  private exec(s: Stmt): void {
    switch (s.k) {
      case "expr": this.eval(s.e); return;
      case "print": this.print(s); return;
      case "block": this.run(s.body); return;
      case "if":
        if (this.bool(this.eval(s.c))) this.exec(s.a);
        else if (s.b !== null) this.exec(s.b);
        return;
      case "while":
        while (this.bool(this.eval(s.c))) if (this.loopBody(s.body)) break;
        return;
      case "do":
        do if (this.loopBody(s.body)) break;
        while (this.bool(this.eval(s.c)));
        return;
      case "for":
        if (s.init !== null) this.exec(s.init);
        while (s.c === null || this.bool(this.eval(s.c))) {
          if (this.loopBody(s.body)) break;
          if (s.step !== null) this.exec(s.step);
        }
        return;
      case "forin": {
        for (const k of [...this.array(s.arr).keys()]) {
          this.setVar(s.v, new StrNum(k));
          if (this.loopBody(s.body)) break;
        }
        return;
      }
      case "next": throw new Next();
      case "exit": throw new Exit(s.e === null ? -1 : Math.trunc(toNum(this.eval(s.e))));
      case "return": throw new Return(s.e === null ? UNINIT : this.eval(s.e));
      case "break": throw new Break();
      case "continue": throw new Continue();
      case "delete":
        if (s.subs === null) this.array(s.name).clear();
        else this.array(s.name).delete(this.key(s.subs));
        return;
    }
  }

  /** Loop iterations so far: Ctrl-C is looked for every 4096, and without it an endless loop stops at MAX_ITERATIONS. */
  private iterations = 0;

  /** Runs a loop body; true when it broke out. */
  private loopBody(body: Stmt): boolean {
    if ((++this.iterations & 4095) === 0) {
      if (this.ctx.interrupted()) throw new Interrupted();
      if (!this.ctx.interruptible && this.iterations >= MAX_ITERATIONS) throw new AwkRuntimeError(`more than ${MAX_ITERATIONS} loop iterations in a session without Ctrl-C; stopped`);
    }
    try {
      this.exec(body);
    } catch (e) {
      if (e instanceof Break) return true;
      if (e instanceof Continue) return false;
      throw e;
    }
    return false;
  }

  private print(s: Stmt & { k: "print" }): void {
    let text: string;
    if (s.printf) {
      const vals = s.args.map((a) => this.eval(a));
      text = awkSprintf(this.str(vals[0]!), vals.slice(1), (v) => this.str(v));
    } else {
      const parts = s.args.length === 0 ? [this.record] : s.args.map((a) => {
        const v = this.eval(a);
        return typeof v === "number" ? this.str(v, "OFMT") : this.str(v);
      });
      text = parts.join(this.str(this.vars.get("OFS")!)) + this.str(this.vars.get("ORS")!);
    }
    this.output(s.redir).write(text);
  }

  private output(redir: { op: string; e: Expr } | null): Output {
    if (redir === null) return this.ctx.stdout as Output;
    if (redir.op === "|") throw new AwkRuntimeError("output to a command (print | cmd) is not supported on this machine");
    const name = this.str(this.eval(redir.e));
    if (name === "/dev/stdout" || name === "-") return this.ctx.stdout as Output;
    if (name === "/dev/stderr") return this.ctx.stderr as Output;
    let f = this.files.get(name);
    if (f === undefined) {
      const path = this.ctx.resolve(name);
      const vfs = this.ctx.vfs;
      try {
        if (redir.op === ">") vfs.writeFile(path, "");
        else if (!vfs.exists(path)) vfs.writeFile(path, "");
      } catch (e) {
        if (e instanceof SysError) throw new AwkRuntimeError(`cannot open "${name}" for output (${strerror(e.errno)})`);
        throw e;
      }
      f = { write: (t: string) => vfs.writeFile(path, t, { append: true }) };
      this.files.set(name, f);
    }
    return f;
  }

  // ---- the program ----
  /** Runs BEGIN, the records, END; returns the exit status. */
  main(operands: string[]): number {
    const items = this.prog.items;
    this.ranges = items.map(() => false);
    let code = 0;
    let exiting = false;
    try {
      for (const it of items) if (it.pattern?.k === "begin") this.run(it.action!);
    } catch (e) {
      if (!(e instanceof Exit)) throw e;
      code = e.code < 0 ? 0 : e.code;
      exiting = true;
    }
    const needInput = items.some((it) => it.pattern === null || (it.pattern.k !== "begin"));
    if (!exiting && needInput) {
      this.input = this.reader(operands);
      try {
        for (let line = this.nextRecord(); line !== null; line = this.nextRecord()) {
          try {
            this.record_(items);
          } catch (e) {
            if (!(e instanceof Next)) throw e;
          }
        }
      } catch (e) {
        if (!(e instanceof Exit)) throw e;
        code = e.code < 0 ? 0 : e.code;
      }
    }
    if (needInput || !exiting) {
      try {
        for (const it of items) if (it.pattern?.k === "end") this.run(it.action!);
      } catch (e) {
        if (!(e instanceof Exit)) throw e;
        if (e.code >= 0) code = e.code;
      }
    }
    return code;
  }

  private nextRecord(): string | null {
    const line = this.input.next();
    if (line === null) return null;
    this.vars.set("NR", toNum(this.vars.get("NR")!) + 1);
    this.vars.set("FNR", toNum(this.vars.get("FNR")!) + 1);
    this.setRecord(line);
    return line;
  }

  private record_(items: Program["items"]): void {
    items.forEach((it, i) => {
      const p = it.pattern;
      if (p?.k === "begin" || p?.k === "end") return;
      let hit: boolean;
      if (p === null) hit = true;
      else if (p.k === "expr") hit = this.bool(this.eval(p.e));
      else {
        if (!this.ranges[i]) {
          hit = this.bool(this.eval(p.a));
          if (hit) this.ranges[i] = !this.bool(this.eval(p.b));
        } else {
          hit = true;
          if (this.bool(this.eval(p.b))) this.ranges[i] = false;
        }
      }
      if (!hit) return;
      if (it.action === null) this.ctx.stdout.write(this.record + this.str(this.vars.get("ORS")!));
      else this.run(it.action);
    });
  }

  /** The records of the operands in turn (`var=value` operands assigned when reached), or of stdin. */
  private reader(operands: string[]): { next(): string | null } {
    const files = operands.filter((o) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(o));
    const queue = [...operands];
    if (files.length === 0) queue.push("-");
    let lines: string[] = [];
    let at = 0;
    return {
      next: (): string | null => {
        while (at >= lines.length) {
          const op = queue.shift();
          if (op === undefined) return null;
          const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(op);
          if (m !== null) {
            this.setVar(m[1]!, new StrNum(unescape(m[2]!)));
            continue;
          }
          let text: string;
          try {
            text = op === "-" || op === "/dev/stdin" ? new TextDecoder().decode(this.ctx.stdin.readAll()) : this.ctx.vfs.readText(this.ctx.resolve(op));
          } catch (e) {
            if (!(e instanceof SysError)) throw e;
            throw new AwkOpenError(`cannot open ${op} (${strerror(e.errno)})`);
          }
          this.vars.set("FILENAME", op === "-" ? "" : op);
          this.vars.set("FNR", 0);
          lines = splitRecords(text, this.str(this.vars.get("RS")!));
          at = 0;
        }
        return lines[at++]!;
      },
    };
  }
}

function arith(op: string, a: number, b: number): number {
  switch (op) {
    case "+": return a + b;
    case "-": return a - b;
    case "*": return a * b;
    case "/": return a / b;
    case "%": return a % b;
    case "^": return a ** b;
  }
  return 0;
}

/** Records of `text` by RS: one character, or "" for paragraphs (blank-line separated). */
function splitRecords(text: string, rs: string): string[] {
  if (text === "") return [];
  if (rs === "") return text.replace(/^\n+/, "").replace(/\n+$/, "").split(/\n\n+/).filter((r) => r !== "");
  const sep = rs[0]!;
  const parts = text.split(sep);
  if (parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** Escape sequences of a `-v` or operand assignment's value, as in a string constant. */
function unescape(s: string): string {
  return s.replace(/\\(["\\/abfnrtv]|[0-7]{1,3})/g, (_m, e: string) => {
    const map: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"', "/": "/", a: "\x07", b: "\b", f: "\f", v: "\v" };
    return map[e] ?? String.fromCharCode(parseInt(e, 8));
  });
}

const USAGE = "usage: awk [-F value] [-v var=value] [--] 'program text' [file ...]\nusage: awk [-F value] [-v var=value] [-f program-file] [--] [file ...]\n";

export function awk(ctx: CommandContext): number {
  const prog = ctx.argv[0]!.slice(ctx.argv[0]!.lastIndexOf("/") + 1);
  const args = ctx.argv.slice(1);
  let fs: string | undefined;
  const assigns: string[] = [];
  const progFiles: string[] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      i++;
      break;
    }
    if (!a.startsWith("-") || a === "-") break;
    const opt = a[1]!;
    const val = a.length > 2 ? a.slice(2) : args[++i];
    if (val === undefined && "Fvf".includes(opt)) {
      ctx.stderr.write(`${prog}: option requires an argument -- ${opt}\n${USAGE}`);
      return 2;
    }
    if (opt === "F") fs = val === "t" ? "\t" : unescape(val!);
    else if (opt === "v") assigns.push(val!);
    else if (opt === "f") progFiles.push(val!);
    else if (opt === "W") continue;
    else {
      ctx.stderr.write(`${prog}: not an option: ${a}\n`);
      return 2;
    }
  }
  let text: string;
  if (progFiles.length > 0) {
    try {
      text = progFiles.map((f) => ctx.vfs.readText(ctx.resolve(f))).join("\n");
    } catch (e) {
      if (!(e instanceof SysError)) throw e;
      ctx.stderr.write(`${prog}: couldn't open file ${progFiles[0]}: ${strerror(e.errno)}\n`);
      return 2;
    }
  } else {
    const t = args[i++];
    if (t === undefined) {
      ctx.stderr.write(USAGE);
      return 2;
    }
    text = t;
  }
  let program: Program;
  try {
    program = parseAwk(text);
  } catch (e) {
    if (!(e instanceof AwkSyntaxError)) throw e;
    ctx.stderr.write(`${prog}: ${e.message}\n`);
    return 2;
  }
  const a = new Awk(ctx, program);
  if (fs !== undefined) a.setVar("FS", fs);
  for (const v of assigns) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(v);
    if (m === null) {
      ctx.stderr.write(`${prog}: improper assignment: -v ${v}\n`);
      return 2;
    }
    a.setVar(m[1]!, new StrNum(unescape(m[2]!)));
  }
  try {
    return a.main(args.slice(i));
  } catch (e) {
    if (e instanceof AwkRuntimeError) {
      ctx.stderr.write(e instanceof AwkOpenError ? `${prog}: ${e.message}\n` : `${prog}: run time error: ${e.message}\n`);
      return 2;
    }
    if (e instanceof Interrupted) return STATUS_SIGINT;
    if (e instanceof Break || e instanceof Continue || e instanceof Next || e instanceof Return) {
      ctx.stderr.write(`${prog}: run time error: improper use of next, break, continue or return\n`);
      return 2;
    }
    throw e;
  }
}
