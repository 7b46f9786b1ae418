/**
 * awk's interpreter: values and fields, expressions and statements, the
 * built-in functions, getline in its five forms, and the run of a program
 * (BEGIN, the records of the operands named by ARGV as they are reached,
 * END) as a generator that yields between records: standard input is read
 * as it is needed, so `yes | awk 'NR==3{exit}'` ends. Commands (`system`,
 * `print | cmd`, `cmd | getline`) run through the machine's shell.
 */
import { Errno, SysError, strerror } from "../../lib/errno.js";
import { SigPipe } from "../signals.js";
import type { CommandContext, OutputSink, StreamYield } from "../types.js";
import { awkSprintf } from "./awk_format.js";
import { GlibcRandom } from "./awk_random.js";
import { RecordReader, recordSep, type RecordSep } from "./awk_input.js";
import { Outputs, runCommand, type AwkStream } from "./awk_output.js";
import type { Expr, Program, Stmt } from "./awk_parse.js";
import { AwkOpenError, AwkRuntimeError, Interrupted, MAX_INT, NUM_RE, StrNum, UNINIT, arith, looksNumeric, toNum, unescape, type Val } from "./awk_value.js";
import { posixToJs } from "./grep.js";

export class Exit {
  constructor(readonly code: number) {}
}
export class Next {}
export class Break {}
export class Continue {}
export class Return {
  constructor(readonly v: Val) {}
}

/** Loop iterations a program may run where Ctrl-C cannot reach it. */
const MAX_ITERATIONS = 1 << 24;
/** User function calls in progress at once (the interpreter's own stack stays well within V8's). */
const MAX_CALL_DEPTH = 400;
/** Bytes of a command's output `cmd | getline` keeps; past it the command gets SIGPIPE. */
const MAX_COMMAND_OUTPUT = 16 * 1024 * 1024;
/** An operand that assigns a variable. */
const ASSIGN_RE = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/** A command's standard output, kept for `cmd | getline`. */
class CommandOutput implements OutputSink {
  private parts: string[] = [];
  private size = 0;
  private readonly dec = new TextDecoder();
  write(d: string | Uint8Array): void {
    const s = typeof d === "string" ? d : this.dec.decode(d, { stream: true });
    if (this.size + s.length > MAX_COMMAND_OUTPUT) throw new SigPipe();
    this.parts.push(s);
    this.size += s.length;
  }
  text(): string {
    return this.parts.join("") + this.dec.decode();
  }
}

/** An open input of getline: a file or a command's output, and the command's status for close(). */
interface OpenInput {
  reader: RecordReader;
  status: number;
}

export class Awk {
  private readonly vars = new Map<string, Val>();
  private readonly arrays = new Map<string, Map<string, Val>>();
  private fields: Val[] = [];
  private record = "";
  private recordFs = " ";
  private splitDone = true;
  private nf = 0;
  private readonly res = new Map<string, RegExp>();
  readonly out: Outputs;
  /** getline's open inputs by name (files and commands). */
  private readonly inputs = new Map<string, OpenInput>();
  /** The main input: the reader of the operand being read, the next ARGV index, whether an operand named a file. */
  private mainReader: RecordReader | null = null;
  private argi = 1;
  private sawFile = false;
  private stdinReader: RecordReader | null = null;
  private sepRs = "";
  private sepCache: RecordSep | null = null;
  private locals: Map<string, Val | Map<string, Val>>[] = [];
  private ranges: boolean[] = [];
  private readonly random = new GlibcRandom();
  private seed: Val;

  constructor(
    private readonly ctx: CommandContext,
    private readonly prog: Program,
    progName: string,
    operands: string[],
  ) {
    this.out = new Outputs(ctx);
    this.seed = this.clockSeed();
    this.random.seed(this.seed);
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
    const argv = new Map<string, Val>([["0", progName]]);
    operands.forEach((a, i) => argv.set(String(i + 1), new StrNum(a)));
    this.arrays.set("ARGV", argv);
    set("ARGC", operands.length + 1);
  }

  /** Seeds rand() (srand(), -W random=N). */
  srand(seed: number): void {
    this.seed = seed;
    // mawk's d_to_int: truncated and clamped to ±INT_MAX
    this.random.seed(Math.max(-0x7fffffff, Math.min(0x7fffffff, Math.trunc(seed))) || 0);
  }

  /** -W random=N as mawk 1.3.4 20200120 has it: the generator seeded with 0, and the previous seed uninitialized. */
  srandUninit(): void {
    this.srand(0);
    this.seed = UNINIT;
  }

  /** A seed from the (virtual) wall clock: srand() and the seed rand() starts from. */
  private clockSeed(): number {
    return Math.floor(this.ctx.hooks.wallClock(this.ctx.hooks.now()) / 1000);
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
    // the record is split by FS as it is now, even when FS changes before a field is used
    this.recordFs = this.str(this.vars.get("FS")!);
    this.splitDone = false;
  }

  private split(): void {
    if (this.splitDone) return;
    this.splitDone = true;
    this.fields = this.splitString(this.record, this.recordFs).map((f) => new StrNum(f));
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
      case "getline": return e.cmd !== null ? this.getlineCmd(e.target, e.cmd) : e.file !== null ? this.getlineFile(e.target, e.file) : this.getlineMain(e.target);
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
      case "rand": return this.random.rand();
      case "srand": {
        // the previous seed as it was given; a new one from the clock without an argument
        const old = this.seed;
        const v = args.length > 0 ? this.eval(args[0]!) : this.clockSeed();
        this.srand(toNum(v));
        this.seed = v;
        return old;
      }
      case "system": {
        const cmd = s(0);
        this.out.flushAll();
        return this.afterCommand(runCommand(this.ctx, cmd));
      }
      case "close": return this.close(s(0));
      case "fflush": return this.out.fflush(args.length === 0 ? undefined : s(0));
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

  /** RS as records are cut by it (recompiled when RS changes). */
  private sep(): RecordSep {
    const rs = this.str(this.vars.get("RS")!);
    if (this.sepCache === null || rs !== this.sepRs) {
      this.sepCache = recordSep(rs, (src) => this.regex(src));
      this.sepRs = rs;
    }
    return this.sepCache;
  }

  private stdin(): RecordReader {
    return (this.stdinReader ??= new RecordReader(this.ctx.stdin, "", () => this.ctx.interrupted()));
  }

  /** A command ended: SIGINT that stopped it stops awk too. */
  private afterCommand(status: number): number {
    if (this.ctx.interrupted()) throw new Interrupted();
    return status;
  }

  private close(name: string): number {
    const o = this.out.close(name);
    if (o !== undefined) return this.afterCommand(o);
    const i = this.inputs.get(name);
    if (i === undefined) return -1;
    this.inputs.delete(name);
    return i.status;
  }

  /** `getline [var]`: the next record of the main input (NR and FNR count it). */
  private getlineMain(target: Expr | null): Val {
    let rec: string | null | undefined;
    for (;;) {
      rec = this.mainNext();
      if (rec !== undefined) break;
      this.mainReader!.fillSync();
    }
    if (rec === null) return 0;
    this.vars.set("NR", toNum(this.vars.get("NR")!) + 1);
    this.vars.set("FNR", toNum(this.vars.get("FNR")!) + 1);
    if (target === null) this.setRecord(rec);
    else this.assign(target, new StrNum(rec));
    return 1;
  }

  /** One record of an open input into $0 or `target` (mawk leaves NR and FNR alone). */
  private readInto(target: Expr | null, r: RecordReader): Val {
    const rec = r.nextSync(() => this.sep());
    if (rec === null) return 0;
    if (target === null) this.setRecord(rec);
    else this.assign(target, new StrNum(rec));
    return 1;
  }

  /** `getline [var] < file`: -1 when it cannot be opened. */
  private getlineFile(target: Expr | null, file: Expr): Val {
    const name = this.str(this.eval(file));
    let i = this.inputs.get(name);
    if (i === undefined) {
      let reader: RecordReader;
      if (name === "-" || name === "/dev/stdin") reader = this.stdin();
      else {
        const path = this.ctx.resolve(name);
        if (this.ctx.vfs.lookup(path)?.kind === "dir") throw new AwkOpenError(`read error (${strerror(Errno.EISDIR)})`);
        try {
          reader = new RecordReader(null, this.ctx.vfs.readText(path), () => false);
        } catch (e) {
          if (e instanceof SysError) return -1;
          throw e;
        }
      }
      i = { reader, status: 0 };
      this.inputs.set(name, i);
    }
    return this.readInto(target, i.reader);
  }

  /** `cmd | getline [var]`: the command runs through the shell when first read; its output is then read record by record. */
  private getlineCmd(target: Expr | null, cmdExpr: Expr): Val {
    const cmd = this.str(this.eval(cmdExpr));
    let i = this.inputs.get(cmd);
    if (i === undefined) {
      this.out.flushStdout();
      const sink = new CommandOutput();
      const status = this.afterCommand(runCommand(this.ctx, cmd, { stdout: sink }));
      i = { reader: new RecordReader(null, sink.text(), () => false), status };
      this.inputs.set(cmd, i);
    }
    return this.readInto(target, i.reader);
  }

  // ---- the main input ----
  /** The next record of the operands (opening them in turn), null at the end, undefined when more must be read. */
  private mainNext(): string | null | undefined {
    for (;;) {
      if (this.mainReader === null && !this.openNextMain()) return null;
      const r = this.mainReader!.next(this.sep());
      if (r !== null) return r;
      this.mainReader = null;
    }
  }

  /** Opens the next file named by ARGV[argi..ARGC-1] (assignments done as they are reached; stdin when none names a file). */
  private openNextMain(): boolean {
    for (;;) {
      if (this.argi >= toNum(this.vars.get("ARGC") ?? 0)) {
        if (this.sawFile) return false;
        this.sawFile = true;
        this.mainReader = this.stdin();
        this.vars.set("FILENAME", "-");
        this.vars.set("FNR", 0);
        return true;
      }
      const v = this.arrays.get("ARGV")?.get(String(this.argi++));
      const op = v === undefined ? "" : this.str(v);
      if (op === "") continue;
      const m = ASSIGN_RE.exec(op);
      if (m !== null) {
        this.setVar(m[1]!, new StrNum(unescape(m[2]!)));
        continue;
      }
      this.sawFile = true;
      if (op === "-" || op === "/dev/stdin") this.mainReader = this.stdin();
      else {
        const path = this.ctx.resolve(op);
        if (this.ctx.vfs.lookup(path)?.kind === "dir") throw new AwkOpenError(`read error (${strerror(Errno.EISDIR)})`);
        try {
          this.mainReader = new RecordReader(null, this.ctx.vfs.readText(path), () => false);
        } catch (e) {
          if (!(e instanceof SysError)) throw e;
          throw new AwkOpenError(`cannot open ${op} (${strerror(e.errno)})`);
        }
      }
      this.vars.set("FILENAME", op);
      this.vars.set("FNR", 0);
      return true;
    }
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

  private output(redir: { op: string; e: Expr } | null): AwkStream {
    return redir === null ? this.out.stdout : this.out.get(redir.op, this.str(this.eval(redir.e)));
  }

  // ---- the program ----
  /**
   * Runs BEGIN, the records, END; returns the exit status. Yields "input"
   * while standard input is empty, and after a record whose output filled the buffer.
   */
  *main(): Generator<StreamYield, number, void> {
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
    const needInput = items.some((it) => it.pattern === null || it.pattern.k !== "begin");
    if (!exiting && needInput) {
      try {
        let n = 0;
        let flushes = this.out.flushes;
        for (;;) {
          const rec = this.mainNext();
          if (rec === null) break;
          if (rec === undefined) {
            // as mawk, output stays buffered while awk waits for input
            yield* this.mainReader!.fill();
            continue;
          }
          if ((++n & 4095) === 0 && this.ctx.interrupted()) throw new Interrupted();
          this.vars.set("NR", toNum(this.vars.get("NR")!) + 1);
          this.vars.set("FNR", toNum(this.vars.get("FNR")!) + 1);
          this.setRecord(rec);
          try {
            this.record_(items);
          } catch (e) {
            if (!(e instanceof Next)) throw e;
          }
          if (this.out.flushes !== flushes) {
            // a chunk of output was handed on: the stages after awk may run
            flushes = this.out.flushes;
            yield;
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
      if (it.action === null) this.out.stdout.write(this.record + this.str(this.vars.get("ORS")!));
      else this.run(it.action);
    });
  }
}
