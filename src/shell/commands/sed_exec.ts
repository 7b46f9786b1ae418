/**
 * sed's executor: the cycle over the input (pattern and hold space, the
 * append queue of a, r and R, jumps, the t flag) and its outputs (standard
 * output, the files of w/W/s///w, GNU's missing-newline rule on each).
 *
 * Commands run synchronously; where one needs input that has not arrived
 * (a `$` address, n, N) the command loop returns that command's index and the
 * generator reads before running it again, so a pipe is read as needed.
 */
import type { StreamYield } from "../types.js";
import type { Cmd } from "./sed_parse.js";
import { SedError } from "./sed_parse.js";
import { Interrupted, type SedInput } from "./sed_input.js";

export interface ExecOptions {
  quiet: boolean;
  /** The line delimiter: "\n", or "\0" with -z. */
  delim: string;
  /** -l N: the default line length of l (0: no wrapping). */
  lineLength: number;
  /** Jumps one cycle may make (a session without Ctrl-C cannot stop an endless loop otherwise). */
  maxJumps: number;
}

/** Where output goes, with GNU's rule: after a line that lacked its delimiter, the next output first adds one. */
export class Output {
  private missing = false;
  constructor(
    private readonly sink: (s: string) => void,
    private readonly delim: string,
  ) {}

  /** A line: text and (when `nl`) the delimiter. */
  line(text: string, nl = true): void {
    this.raw(text);
    if (nl) this.sink(this.delim);
    else this.missing = true;
  }

  /** Text as it is (a's text with its newline, r's file), after a missing delimiter. */
  raw(text: string): void {
    if (this.missing) {
      this.sink(this.delim);
      this.missing = false;
    }
    if (text !== "") this.sink(text);
  }
}

/** The pattern space as `l` shows it: C escapes, octal for other bytes, `\` + delimiter breaks before `width`, `$` and the delimiter at the end. */
export function listing(ps: string, width: number, delim: string): string {
  const ESC: Record<number, string> = { 7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r", 92: "\\\\" };
  const limit = width - 1;
  let out = "";
  let col = 0;
  for (const b of new TextEncoder().encode(ps)) {
    const piece = ESC[b] ?? (b >= 32 && b < 127 ? String.fromCharCode(b) : "\\" + b.toString(8).padStart(3, "0"));
    if (width > 0 && col + piece.length > limit) {
      out += "\\" + delim;
      col = 0;
    }
    out += piece;
    col += piece.length;
  }
  return out + "$" + delim;
}

type AppendItem = string | { file: string };

/** Jumps in one cycle between two looks at ctx.interrupted(). */
const JUMP_CHECK = 1 << 16;

/** Cycles between two yields of the run (the output so far is handed on). */
const CYCLE_BATCH = 512;

/** One run of a program: its state lives across the input groups of -s and -i. */
export class Runner {
  private ps = "";
  private nl = true;
  private hold = "";
  private lastRe: RegExp | null = null;
  private append: AppendItem[] = [];
  /** The t flag: a substitution succeeded since the last line was read or t/T jumped. */
  private replaced = false;
  private input!: SedInput;
  /** The pending D: the next cycle starts without reading. */
  private restart = false;
  status = 0;
  /** Set by q/Q: stop reading. */
  quit = false;
  private jumps = 0;
  private cycles = 0;
  /** R's files: their lines and how many were read (null: cannot be read, so nothing). */
  private readonly rfiles = new Map<string, { lines: string[]; at: number } | null>();

  constructor(
    private readonly cmds: Cmd[],
    private readonly o: ExecOptions,
    /** The output of the pattern space (standard output, or the file being edited in place). */
    private out: Output,
    /** The outputs of w files by name (/dev/stdout and /dev/stderr included). */
    private readonly wout: Map<string, Output>,
    /** The text of a file for r and R (null when it cannot be read). */
    private readonly readFile: (name: string) => string | null,
    private readonly interrupted: () => boolean,
    private readonly flushFiles: () => void,
  ) {}

  /** Runs the script over the lines of `input` until its end or q/Q. */
  *run(input: SedInput, out: Output): Generator<StreamYield, void, void> {
    this.input = input;
    this.out = out;
    for (;;) {
      if (!this.restart) {
        let l = input.nextSync();
        if (l === undefined) l = yield* input.next();
        if (l === null) return;
        this.ps = l.text;
        this.nl = l.nl;
        this.replaced = false;
      }
      this.restart = false;
      this.jumps = 0;
      for (let pc = 0; ; ) {
        const need = this.exec(pc);
        if (need < 0) break;
        // a $ address, n or N waits for input at command `need`
        yield* input.probe();
        const c = this.cmds[need]!.c;
        if (c === "n" || c === "N") yield* input.awaitReady();
        pc = need;
      }
      if (this.quit) return;
      if (++this.cycles % CYCLE_BATCH === 0) {
        if (this.interrupted()) throw new Interrupted();
        yield;
      }
    }
  }

  private matchAddr(a: NonNullable<Cmd["a1"]>): boolean {
    const n = this.input.lineNo;
    switch (a.k) {
      case "line": return n === a.n;
      case "last": return this.input.lastKnown() === true;
      case "step": return a.step <= 0 ? n === a.first : n >= a.first && (n - a.first) % a.step === 0;
      case "plus": case "mod": return false;
      case "re": {
        const re = a.re ?? this.lastRe;
        if (re === null) throw new SedError("sed: no previous regular expression");
        this.lastRe = re;
        re.lastIndex = 0;
        return re.test(this.ps);
      }
    }
  }

  private selected(c: Cmd): boolean {
    let hit: boolean;
    if (c.a1 === null) hit = true;
    else if (c.a2 === null) hit = this.matchAddr(c.a1);
    else if (c.active) {
      hit = true;
      const a2 = c.a2;
      const n = this.input.lineNo;
      if (a2.k === "line" ? n >= a2.n : a2.k === "plus" || a2.k === "mod" ? n >= c.endLine! : this.matchAddr(a2)) c.active = false;
    } else if (this.matchAddr(c.a1)) {
      hit = true;
      const a2 = c.a2;
      const n = this.input.lineNo;
      if (a2.k === "plus") c.endLine = n + a2.n;
      else if (a2.k === "mod") c.endLine = a2.n <= 0 ? n : n - (n % a2.n) + a2.n;
      // a numeric end at or before the start line ends the range at once
      c.active =
        a2.k === "line" ? n < a2.n : a2.k === "plus" || a2.k === "mod" ? c.endLine! > n : a2.k === "last" ? this.input.lastKnown() !== true : true;
    } else hit = false;
    return c.neg ? !hit : hit;
  }

  /** The end of a cycle: the pattern space (unless -n or `print` is false), then the append queue. */
  private endCycle(print: boolean): void {
    if (print && !this.o.quiet) this.out.line(this.ps, this.nl);
    this.dumpAppend();
  }

  private dumpAppend(): void {
    if (this.append.length === 0) return;
    for (const t of this.append) {
      if (typeof t === "string") this.out.raw(t);
      else {
        this.flushFiles();
        const text = this.readFile(t.file);
        if (text !== null) this.out.raw(text);
      }
    }
    this.append = [];
  }

  /** The next line for n/N (the append queue goes out first; the caller made sure it is there). */
  private readNext(): string {
    this.dumpAppend();
    const l = this.input.nextSync()!;
    this.nl = l.nl;
    this.replaced = false;
    return l.text;
  }

  /**
   * Runs the commands from `from`: -1 when the cycle is over (its output done),
   * or the index of a command that needs input not yet read.
   */
  private exec(from: number): number {
    const cmds = this.cmds;
    const input = this.input;
    for (let pc = from; pc < cmds.length; pc++) {
      const c = cmds[pc]!;
      if (c.usesLast && input.lastKnown() === undefined) return pc;
      if ((c.c === "n" || c.c === "N") && !input.isReady()) return pc;
      if (c.c === "}" || c.c === ":") continue;
      if (!this.selected(c)) {
        if (c.c === "{") pc = c.end! - 1;
        continue;
      }
      const op = OPS[c.c];
      if (op === undefined) continue;
      const r = op(this, c);
      if (r === END) return -1;
      if (r !== undefined) {
        if (++this.jumps % JUMP_CHECK === 0) {
          if (this.interrupted()) throw new Interrupted();
          if (this.jumps >= this.o.maxJumps)
            throw new SedError(`sed: stopped after ${this.jumps} jumps in one cycle: this session cannot be interrupted (no Ctrl-C)`, 4);
        }
        if (r === -1) break;
        pc = r;
      }
    }
    this.endCycle(true);
    return -1;
  }

  // the commands' actions (see OPS)
  static p(r: Runner): void {
    r.out.line(r.ps, r.nl);
  }
  static P(r: Runner): void {
    const k = r.ps.indexOf(r.o.delim);
    r.out.line(k < 0 ? r.ps : r.ps.slice(0, k));
  }
  static d(r: Runner): number {
    r.endCycle(false);
    return END;
  }
  static D(r: Runner): number {
    const k = r.ps.indexOf(r.o.delim);
    if (k < 0) return Runner.d(r);
    r.ps = r.ps.slice(k + 1);
    r.dumpAppend();
    r.restart = true;
    return END;
  }
  static n(r: Runner): number | void {
    if (r.input.lastKnown() === true) {
      r.endCycle(true);
      return END;
    }
    if (!r.o.quiet) r.out.line(r.ps, r.nl);
    r.ps = r.readNext();
  }
  static N(r: Runner): number | void {
    if (r.input.lastKnown() === true) {
      r.endCycle(true);
      return END;
    }
    r.ps += r.o.delim + r.readNext();
  }
  static eq(r: Runner): void {
    r.out.line(String(r.input.lineNo));
  }
  static F(r: Runner): void {
    r.out.line(r.input.fileName);
  }
  static a(r: Runner, c: Cmd): void {
    r.append.push(c.text! + "\n");
  }
  static i(r: Runner, c: Cmd): void {
    r.out.line(c.text!);
  }
  static c(r: Runner, c: Cmd): number {
    // in a range, the text comes once, at its end
    if (c.a2 === null || !c.active) r.out.line(c.text!);
    r.endCycle(false);
    return END;
  }
  static q(r: Runner, c: Cmd): number {
    r.endCycle(true);
    r.status = c.code!;
    r.quit = true;
    return END;
  }
  static Q(r: Runner, c: Cmd): number {
    r.status = c.code!;
    r.quit = true;
    return END;
  }
  static h(r: Runner): void {
    r.hold = r.ps;
  }
  static H(r: Runner): void {
    r.hold += r.o.delim + r.ps;
  }
  static g(r: Runner): void {
    r.ps = r.hold;
  }
  static G(r: Runner): void {
    r.ps += r.o.delim + r.hold;
  }
  static x(r: Runner): void {
    [r.ps, r.hold] = [r.hold, r.ps];
  }
  static z(r: Runner): void {
    r.ps = "";
  }
  static y(r: Runner, c: Cmd): void {
    const from = [...c.from!];
    const to = [...c.to!];
    r.ps = [...r.ps].map((ch) => {
      const k = from.indexOf(ch);
      return k < 0 ? ch : to[k]!;
    }).join("");
  }
  static b(_r: Runner, c: Cmd): number {
    return c.target!;
  }
  static t(r: Runner, c: Cmd): number | void {
    if (!r.replaced) return;
    r.replaced = false;
    return c.target!;
  }
  static T(r: Runner, c: Cmd): number | void {
    if (r.replaced) {
      r.replaced = false;
      return;
    }
    return c.target!;
  }
  static l(r: Runner, c: Cmd): void {
    r.out.raw(listing(r.ps, c.width ?? r.o.lineLength, r.o.delim));
  }
  static r(r: Runner, c: Cmd): void {
    r.append.push({ file: c.file! });
  }
  static R(r: Runner, c: Cmd): void {
    let f = r.rfiles.get(c.file!);
    if (f === undefined) {
      r.flushFiles();
      const t = r.readFile(c.file!);
      f = t === null ? null : { lines: t.split(/(?<=\n)/), at: 0 };
      r.rfiles.set(c.file!, f);
    }
    if (f !== null && f.at < f.lines.length && f.lines[f.at] !== "") r.append.push(f.lines[f.at++]!);
  }
  static w(r: Runner, c: Cmd): void {
    r.wout.get(c.file!)!.line(r.ps, r.nl);
  }
  static W(r: Runner, c: Cmd): void {
    const k = r.ps.indexOf(r.o.delim);
    r.wout.get(c.file!)!.line(k < 0 ? r.ps : r.ps.slice(0, k));
  }
  static s(r: Runner, c: Cmd): void {
    r.subst(c);
  }

  private subst(c: Cmd): void {
    const re = c.re ?? (this.lastRe === null ? null : new RegExp(this.lastRe.source, this.lastRe.flags.includes("g") ? this.lastRe.flags : this.lastRe.flags + "g"));
    if (re === null) throw new SedError("sed: no previous regular expression");
    if (c.re !== null) this.lastRe = c.re!;
    const ps = this.ps;
    re.lastIndex = 0;
    let out = "";
    let at = 0;
    let count = 0;
    let done = false;
    let prevEnd = -1;
    for (let m = re.exec(ps); m !== null; m = re.exec(ps)) {
      // an empty match right where a match ended is no match (GNU, as regexec's callers do)
      if (m[0].length === 0 && m.index === prevEnd) {
        re.lastIndex++;
        continue;
      }
      prevEnd = m.index + m[0].length;
      count++;
      if (count >= c.nth! && !done) {
        out += ps.slice(at, m.index);
        out += replacement(c.repl!, m);
        at = m.index + m[0].length;
        if (!c.global) done = true;
      }
      if (m[0].length === 0) re.lastIndex++;
      if (done) break;
    }
    if (count < c.nth!) return;
    this.ps = out + ps.slice(at);
    this.replaced = true;
    if (c.print) this.out.line(this.ps, this.nl);
    if (c.file !== undefined) this.wout.get(c.file)!.line(this.ps, this.nl);
  }
}

/** What an action returns to end the cycle (its output done). */
const END = -2;

type Op = (r: Runner, c: Cmd) => number | void;
/** The actions by command letter; a number returned is a jump target (-1: the end of the script) or END. */
const OPS: Record<string, Op> = {
  "{": () => {},
  p: Runner.p, P: Runner.P, d: Runner.d, D: Runner.D, n: Runner.n, N: Runner.N, "=": Runner.eq, F: Runner.F,
  a: Runner.a, i: Runner.i, c: Runner.c, q: Runner.q, Q: Runner.Q, h: Runner.h, H: Runner.H, g: Runner.g, G: Runner.G,
  x: Runner.x, z: Runner.z, y: Runner.y, b: Runner.b, t: Runner.t, T: Runner.T, l: Runner.l, r: Runner.r, R: Runner.R,
  w: Runner.w, W: Runner.W, s: Runner.s,
};

/** The replacement of match `m`: literal parts, group numbers (0: the whole match) and case conversions. */
function replacement(parts: readonly (string | number)[], m: RegExpExecArray): string {
  let out = "";
  let mode = 0;
  let once = 0;
  for (const p of parts) {
    if (typeof p === "number" && p < 0) {
      if (p === -4 || p === -5) once = p;
      else mode = p === -3 ? 0 : p;
      continue;
    }
    let t = typeof p === "number" ? (m[p] ?? "") : p;
    if (t === "") continue;
    if (mode === -1) t = t.toUpperCase();
    else if (mode === -2) t = t.toLowerCase();
    if (once !== 0) {
      t = (once === -4 ? t[0]!.toUpperCase() : t[0]!.toLowerCase()) + t.slice(1);
      once = 0;
    }
    out += t;
  }
  return out;
}
