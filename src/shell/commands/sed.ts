/**
 * sed (GNU sed 4.9's behaviour for what it implements): -n, -e, -f, -E/-r,
 * -i[SUFFIX], -s; addresses N, $, /RE/I, ADDR1,ADDR2 and `!`; blocks `{ }`;
 * the commands s (flags g, p, N, I, M), y, p, d, q, Q, =, n, N, D, P, h, H,
 * g, G, x, z, a, i, c (GNU's one-line forms and `a\` continuation lines) and
 * `#` comments. Regular expressions are POSIX basic (or extended with -E) as
 * grep reads them; `.` matches a newline in the pattern space, as in GNU sed.
 * The last line keeps a missing newline. Not implemented: r, R, w, W, e, F,
 * l, b, t, T and labels (each is an `unknown command` error).
 */
import { SysError, strerror } from "../../lib/errno.js";
import type { CommandContext } from "../types.js";
import { posixToJs } from "./grep.js";

type Addr = { k: "line"; n: number } | { k: "last" } | { k: "re"; re: RegExp | null } | { k: "plus"; n: number };

interface Cmd {
  a1: Addr | null;
  a2: Addr | null;
  neg: boolean;
  c: string;
  /** Range state: inside, and (for a numeric end) where it ends. */
  active: boolean;
  /** s: regex, replacement parts, flags; y: maps; a/i/c: text; q/Q: exit code; {: index of the matching }. */
  re?: RegExp | null;
  repl?: (string | number)[];
  global?: boolean;
  nth?: number;
  print?: boolean;
  text?: string;
  from?: string;
  to?: string;
  code?: number;
  end?: number;
  /** The last line of an ADDR1,+N range that started. */
  endLine?: number;
}

class SedError extends Error {}

/** GNU's case conversions in a replacement (\U \L \E \u \l), as negative parts. */
const CASE_OPS: Record<string, number> = { U: -1, L: -2, E: -3, u: -4, l: -5 };

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

interface Options {
  quiet: boolean;
  extended: boolean;
  inPlace: string | null;
  separate: boolean;
}

/** Parses a script into commands (GNU's messages for what it refuses). */
class Parser {
  private i = 0;
  readonly cmds: Cmd[] = [];
  private readonly blocks: number[] = [];
  constructor(
    private readonly s: string,
    private readonly ext: boolean,
  ) {}

  private fail(msg: string): never {
    throw new SedError(`sed: -e expression #1, char ${Math.min(this.i, this.s.length)}: ${msg}`);
  }

  private regex(delim: string, flags: string): { src: string; re: RegExp | null } {
    let src = "";
    for (;;) {
      const c = this.s[this.i++];
      if (c === undefined || c === "\n") return { src: "\u0000", re: null };
      if (c === delim) break;
      if (c === "\\") {
        const n = this.s[this.i++];
        if (n === undefined) return { src: "\u0000", re: null };
        if (n === delim) src += delim === "/" ? "\\/" : n;
        else if (n === "n") src += "\\n";
        else src += "\\" + n;
        continue;
      }
      src += c;
    }
    if (src === "") return { src, re: null };
    try {
      return { src, re: new RegExp(posixToJs(src, this.ext), flags) };
    } catch {
      this.fail("Invalid regular expression");
    }
  }

  private address(): Addr | null {
    const c = this.s[this.i];
    if (c !== undefined && c >= "0" && c <= "9") {
      let n = 0;
      while (this.s[this.i] !== undefined && this.s[this.i]! >= "0" && this.s[this.i]! <= "9") n = n * 10 + Number(this.s[this.i++]);
      if (n === 0 && this.s[this.i - 2] !== "+" && this.s[this.i] !== ",") this.fail("invalid usage of line address 0");
      return { k: "line", n };
    }
    if (c === "$") {
      this.i++;
      return { k: "last" };
    }
    if (c === "/" || c === "\\") {
      this.i++;
      const delim = c === "\\" ? this.s[this.i++]! : "/";
      const r = this.regex(delim, "s");
      if (r.src === "\u0000") this.fail("unterminated address regex");
      let flags = "s";
      while (this.s[this.i] === "I" || this.s[this.i] === "M") flags += this.s[this.i++] === "I" ? "i" : "m";
      return { k: "re", re: r.re === null ? null : new RegExp(r.re.source, flags) };
    }
    return null;
  }

  private skipSpace(): void {
    while (this.s[this.i] === " " || this.s[this.i] === "\t") this.i++;
  }

  /** The text of a, i, c: the rest of the line (GNU one-liner), or lines after `\` ending in `\`. */
  private text(): string {
    this.skipSpace();
    if (this.s[this.i] === "\\") {
      this.i++;
      if (this.s[this.i] === "\n") this.i++;
    }
    let out = "";
    while (this.i < this.s.length && this.s[this.i] !== "\n") {
      const c = this.s[this.i++]!;
      if (c === "\\" && this.i < this.s.length) out += this.s[this.i++];
      else out += c;
    }
    return out;
  }

  parse(): Cmd[] {
    const s = this.s;
    while (this.i < s.length) {
      const c0 = s[this.i];
      if (c0 === " " || c0 === "\t" || c0 === "\n" || c0 === ";") {
        this.i++;
        continue;
      }
      if (c0 === "#") {
        while (this.i < s.length && s[this.i] !== "\n") this.i++;
        continue;
      }
      const cmd: Cmd = { a1: this.address(), a2: null, neg: false, c: "", active: false };
      if (cmd.a1 !== null && s[this.i] === ",") {
        this.i++;
        cmd.a2 = this.address();
        if (cmd.a2 === null && s[this.i] === "+") {
        this.i++;
        const a = this.address();
        if (a === null || a.k !== "line") this.fail("expected newer version of sed");
        cmd.a2 = { k: "plus", n: a.n };
      }
      if (cmd.a2 === null) this.fail("unexpected `,'");
      }
      if (cmd.a1?.k === "line" && cmd.a1.n === 0) {
        // 0,/RE/: the range is open before the first line, so RE may end it on line 1
        if (cmd.a2?.k !== "re") this.fail("invalid usage of line address 0");
        cmd.active = true;
      }
      this.skipSpace();
      while (s[this.i] === "!") {
        cmd.neg = true;
        this.i++;
        this.skipSpace();
      }
      const c = s[this.i++];
      if (c === undefined) this.fail("missing command");
      cmd.c = c;
      switch (c) {
        case "{":
          this.blocks.push(this.cmds.length);
          break;
        case "}": {
          if (cmd.a1 !== null) this.fail("} doesn't want any addresses");
          const open = this.blocks.pop();
          if (open === undefined) this.fail("unexpected `}'");
          this.cmds[open]!.end = this.cmds.length + 1;
          break;
        }
        case "s":
          this.subst(cmd);
          break;
        case "y":
          this.translit(cmd);
          break;
        case "a": case "i": case "c":
          cmd.text = this.text();
          break;
        case "q": case "Q": {
          this.skipSpace();
          let n = "";
          while (s[this.i] !== undefined && /\d/.test(s[this.i]!)) n += s[this.i++];
          cmd.code = n === "" ? 0 : Number(n);
          if (cmd.a2 !== null) this.fail("command only uses one address");
          break;
        }
        case "p": case "d": case "=": case "n": case "N": case "D": case "P": case "h": case "H": case "g": case "G": case "x": case "z":
          break;
        default:
          this.fail(`unknown command: \`${c}'`);
      }
      if (c !== "{" && c !== "}" && c !== "a" && c !== "i" && c !== "c") {
        this.skipSpace();
        const t = s[this.i];
        if (t !== undefined && t !== ";" && t !== "\n" && t !== "}" && t !== "#") this.fail(`extra characters after command`);
      }
      this.cmds.push(cmd);
    }
    if (this.blocks.length > 0) throw new SedError("sed: -e expression #1, char 0: unmatched `{'");
    return this.cmds;
  }

  private subst(cmd: Cmd): void {
    const delim = this.s[this.i++];
    if (delim === undefined || delim === "\n" || delim === "\\") this.fail("unterminated `s' command");
    const r = this.regex(delim, "s");
    if (r.src === "\u0000") this.fail("unterminated `s' command");
    const repl: (string | number)[] = [];
    let lit = "";
    for (;;) {
      const c = this.s[this.i++];
      if (c === undefined) this.fail("unterminated `s' command");
      if (c === delim) break;
      if (c === "\\") {
        const n = this.s[this.i++];
        if (n === undefined) this.fail("unterminated `s' command");
        if (n >= "0" && n <= "9") {
          repl.push(lit, Number(n));
          lit = "";
        } else if ("ULEul".includes(n)) {
          repl.push(lit, CASE_OPS[n]!);
          lit = "";
        } else if (n === "n") lit += "\n";
        else if (n === "t") lit += "\t";
        else if (n === "\n") lit += "\n";
        else lit += n;
        continue;
      }
      if (c === "&") {
        repl.push(lit, 0);
        lit = "";
        continue;
      }
      lit += c;
    }
    repl.push(lit);
    let flags = "s";
    cmd.global = false;
    cmd.nth = 1;
    cmd.print = false;
    for (;;) {
      const f = this.s[this.i];
      if (f === "g") cmd.global = true;
      else if (f === "p") cmd.print = true;
      else if (f === "I" || f === "i") flags += "i";
      else if (f === "M" || f === "m") flags += "m";
      else if (f !== undefined && f >= "1" && f <= "9") {
        let n = 0;
        while (this.s[this.i] !== undefined && /\d/.test(this.s[this.i]!)) n = n * 10 + Number(this.s[this.i++]);
        cmd.nth = n;
        continue;
      } else if (f !== undefined && !" \t\n;}#".includes(f)) {
        this.i++;
        this.fail("unknown option to `s'");
      } else break;
      this.i++;
    }
    cmd.re = r.re === null ? null : new RegExp(r.re.source, flags + "g");
    cmd.repl = repl;
    const groups = r.re === null ? 9 : new RegExp(`${r.re.source}|`).exec("")!.length - 1;
    for (const p of repl) if (typeof p === "number" && p > 0 && p > groups) this.fail(`invalid reference \\${p} on \`s' command's RHS`);
  }

  private translit(cmd: Cmd): void {
    const delim = this.s[this.i++];
    const part = (): string => {
      let out = "";
      for (;;) {
        const c = this.s[this.i++];
        if (c === undefined) this.fail("unterminated `y' command");
        if (c === delim) return out;
        if (c === "\\") {
          const n = this.s[this.i++];
          out += n === "n" ? "\n" : n === "\\" ? "\\" : n === delim ? delim : "\\" + (n ?? "");
          continue;
        }
        out += c;
      }
    };
    cmd.from = part();
    cmd.to = part();
    if ([...cmd.from].length !== [...cmd.to].length) this.fail("strings for `y' command are different lengths");
  }
}

/** One run over the input: the pattern and hold spaces, the output with GNU's missing-newline rule. */
class Runner {
  private hold = "";
  private lastRe: RegExp | null = null;
  private pendingNewline = false;
  private append: string[] = [];
  status = 0;
  /** Set by q/Q: stop reading. */
  quit = false;

  constructor(
    private readonly cmds: Cmd[],
    private readonly o: Options,
    private readonly write: (s: string) => void,
    private readonly lines: { next(): { line: string; nl: boolean } | null; isLast(): boolean; lineNo(): number },
  ) {}

  private out(text: string, nl: boolean): void {
    if (this.pendingNewline) this.write("\n");
    this.write(text);
    if (nl) this.write("\n");
    this.pendingNewline = !nl;
  }

  private matchAddr(a: Addr): boolean {
    if (a.k === "plus") return false;
    if (a.k === "line") return this.lines.lineNo() === a.n;
    if (a.k === "last") return this.lines.isLast();
    const re = a.re ?? this.lastRe;
    if (re === null) throw new SedError("sed: no previous regular expression");
    this.lastRe = re;
    re.lastIndex = 0;
    return re.test(this.ps);
  }

  private selected(c: Cmd): boolean {
    let hit: boolean;
    if (c.a1 === null) hit = true;
    else if (c.a2 === null) hit = this.matchAddr(c.a1);
    else if (c.active) {
      hit = true;
      const a2 = c.a2;
      const n = this.lines.lineNo();
      if (a2.k === "line" ? n >= a2.n : a2.k === "plus" ? n >= c.endLine! : this.matchAddr(a2)) c.active = false;
    } else if (this.matchAddr(c.a1)) {
      hit = true;
      const a2 = c.a2;
      const n = this.lines.lineNo();
      c.endLine = a2.k === "plus" ? n + a2.n : undefined;
      // a numeric end at or before the start line ends the range at once
      c.active = a2.k === "line" ? n < a2.n : a2.k === "plus" ? a2.n > 0 : a2.k === "last" ? !this.lines.isLast() : true;
    } else hit = false;
    return c.neg ? !hit : hit;
  }

  private ps = "";
  private nl = true;

  private endCycle(print: boolean): void {
    if (print && !this.o.quiet) this.out(this.ps, this.nl);
    for (const t of this.append) this.out(t, true);
    this.append = [];
  }

  /** Runs the script over every line of the input, until its end or q/Q. */
  run(): void {
    let got = this.lines.next();
    while (got !== null) {
      this.ps = got.line;
      this.nl = got.nl;
      // D with a newline left: the appended text goes out, and the cycle starts again on what remains
      while (this.exec() === "restart" && !this.quit) this.endCycle(false);
      if (this.quit) return;
      got = this.lines.next();
    }
  }

  /** Executes the commands once over the pattern space; "restart" after D. */
  private exec(): "done" | "restart" {
    const cmds = this.cmds;
    for (let pc = 0; pc < cmds.length; pc++) {
      const c = cmds[pc]!;
      if (c.c === "}") continue;
      if (!this.selected(c)) {
        if (c.c === "{") pc = c.end! - 1;
        continue;
      }
      switch (c.c) {
        case "{": break;
        case "p": this.out(this.ps, true); break;
        case "P": this.out(this.ps.split("\n")[0]!, true); break;
        case "d":
          this.endCycle(false);
          return "done";
        case "D": {
          const k = this.ps.indexOf("\n");
          if (k < 0) {
            this.endCycle(false);
            return "done";
          }
          this.ps = this.ps.slice(k + 1);
          return "restart";
        }
        case "=": this.out(String(this.lines.lineNo()), true); break;
        case "s": this.subst(c); break;
        case "y": {
          const from = [...c.from!];
          const to = [...c.to!];
          this.ps = [...this.ps].map((ch) => {
            const k = from.indexOf(ch);
            return k < 0 ? ch : to[k]!;
          }).join("");
          break;
        }
        case "a": this.append.push(c.text!); break;
        case "i": this.out(c.text!, true); break;
        case "c":
          // in a range, the text comes once, at its end
          if (c.a2 === null || !c.active) this.out(c.text!, true);
          this.endCycle(false);
          return "done";
        case "q":
          this.endCycle(true);
          this.status = c.code!;
          this.quit = true;
          return "done";
        case "Q":
          this.status = c.code!;
          this.quit = true;
          return "done";
        case "n": {
          if (this.lines.isLast()) {
            this.endCycle(true);
            this.quit = true;
            return "done";
          }
          if (!this.o.quiet) this.out(this.ps, this.nl);
          for (const t of this.append) this.out(t, true);
          this.append = [];
          const g = this.lines.next()!;
          this.ps = g.line;
          this.nl = g.nl;
          break;
        }
        case "N": {
          if (this.lines.isLast()) {
            this.endCycle(true);
            this.quit = true;
            return "done";
          }
          const g = this.lines.next()!;
          this.ps += "\n" + g.line;
          this.nl = g.nl;
          break;
        }
        case "h": this.hold = this.ps; break;
        case "H": this.hold += "\n" + this.ps; break;
        case "g": this.ps = this.hold; break;
        case "G": this.ps += "\n" + this.hold; break;
        case "x": [this.ps, this.hold] = [this.hold, this.ps]; break;
        case "z": this.ps = ""; break;
      }
    }
    this.endCycle(true);
    return "done";
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
    if (c.print) this.out(this.ps, true);
  }
}

const USAGE = "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n";

export function sed(ctx: CommandContext): number {
  const o: Options = { quiet: false, extended: false, inPlace: null, separate: false };
  const scripts: string[] = [];
  const files: string[] = [];
  const args = ctx.argv.slice(1);
  const err = (m: string): number => {
    ctx.stderr.write(m);
    return 1;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      files.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const [name, val] = a.includes("=") ? [a.slice(2, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a.slice(2), undefined];
      if (name === "quiet" || name === "silent") o.quiet = true;
      else if (name === "regexp-extended") o.extended = true;
      else if (name === "separate") o.separate = true;
      else if (name === "in-place") o.inPlace = val ?? "";
      else if (name === "expression") {
        const v = val ?? args[++i];
        if (v === undefined) return err(`sed: option '--expression' requires an argument\n${USAGE}`);
        scripts.push(v);
      } else if (name === "version") {
        ctx.stdout.write("sed (GNU sed) 4.9\n");
        return 0;
      } else if (name === "help") {
        ctx.stdout.write(USAGE);
        return 0;
      } else return err(`sed: unrecognized option '${a}'\n${USAGE}`);
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const c = a[k]!;
        if (c === "n") o.quiet = true;
        else if (c === "E" || c === "r") o.extended = true;
        else if (c === "s") o.separate = true;
        else if (c === "i") {
          o.inPlace = a.slice(k + 1);
          break;
        } else if (c === "e" || c === "f") {
          const v = a.slice(k + 1) !== "" ? a.slice(k + 1) : args[++i];
          if (v === undefined) return err(`sed: option requires an argument -- '${c}'\n${USAGE}`);
          if (c === "e") scripts.push(v);
          else {
            try {
              const t = v === "-" ? new TextDecoder().decode(ctx.stdin.readAll()) : ctx.vfs.readText(ctx.resolve(v));
              scripts.push(t.endsWith("\n") ? t.slice(0, -1) : t);
            } catch (e) {
              if (!(e instanceof SysError)) throw e;
              return err(`sed: couldn't open file ${v}: ${strerror(e.errno)}\n`);
            }
          }
          break;
        } else return err(`sed: invalid option -- '${c}'\n${USAGE}`);
      }
      continue;
    }
    files.push(a);
  }
  if (scripts.length === 0) {
    const s = files.shift();
    if (s === undefined) return err(USAGE);
    scripts.push(s);
  }
  const script = scripts.join("\n");
  let cmds: Cmd[];
  try {
    cmds = new Parser(script, o.extended).parse();
  } catch (e) {
    if (e instanceof SedError) return err(`${e.message}\n`);
    throw e;
  }
  if (/^#n\n?/.test(script) && (script.length === 2 || script[2] === "\n")) o.quiet = true;
  if (o.inPlace !== null && files.length === 0) return err("sed: no input files\n");

  let status = 0;
  const read = (f: string): string | null => {
    try {
      if (f === "-" && o.inPlace === null) return new TextDecoder().decode(ctx.stdin.readAll());
      const node = ctx.vfs.lookup(ctx.resolve(f));
      if (node?.kind === "dir") {
        ctx.stderr.write(`sed: couldn't edit ${f}: not a regular file\n`);
        status = 4;
        return null;
      }
      return ctx.vfs.readText(ctx.resolve(f));
    } catch (e) {
      if (!(e instanceof SysError)) throw e;
      ctx.stderr.write(`sed: can't read ${f}: ${strerror(e.errno)}\n`);
      status = 2;
      return null;
    }
  };
  const groups: string[][] = o.inPlace !== null || o.separate ? (files.length > 0 ? files : ["-"]).map((f) => [f]) : [files.length > 0 ? files : ["-"]];
  for (const group of groups) {
    const texts: string[] = [];
    for (const f of group) {
      const t = read(f);
      if (t !== null) texts.push(t);
    }
    if (o.inPlace !== null && texts.length === 0) continue;
    const lines: { line: string; nl: boolean }[] = [];
    for (const t of texts) {
      if (t === "") continue;
      const parts = t.split("\n");
      const lastNl = t.endsWith("\n");
      if (lastNl) parts.pop();
      parts.forEach((line, k) => lines.push({ line, nl: k < parts.length - 1 || lastNl }));
    }
    let pos = 0;
    let buf = "";
    const write = o.inPlace !== null ? (s: string): void => void (buf += s) : (s: string): void => void ctx.stdout.write(s);
    const runner = new Runner(cmds, o, write, {
      next: () => (pos < lines.length ? lines[pos++]! : null),
      isLast: () => pos >= lines.length,
      lineNo: () => pos,
    });
    try {
      runner.run();
    } catch (e) {
      if (e instanceof SedError) return err(`${e.message}\n`);
      throw e;
    }
    if (o.inPlace !== null) {
      const path = ctx.resolve(group[0]!);
      try {
        if (o.inPlace !== "") ctx.vfs.writeFile(o.inPlace.includes("*") ? o.inPlace.replace(/\*/g, group[0]!) : path + o.inPlace, ctx.vfs.readText(path));
        ctx.vfs.writeFile(path, buf);
      } catch (e) {
        if (!(e instanceof SysError)) throw e;
        ctx.stderr.write(`sed: couldn't open temporary file ${path}: ${strerror(e.errno)}\n`);
        return 4;
      }
    }
    if (runner.quit) return runner.status;
  }
  return status;
}
