/**
 * sed's script compiler (GNU sed 4.9's grammar and messages): -e fragments
 * and -f files joined into one program, addresses (N, $, /RE/, first~step,
 * ADDR,+N, ADDR,~N, 0,/RE/), blocks, labels and jumps resolved to command
 * indexes, and the names of the files that `w`, `W` and `s///w` write.
 */
import { posixToJs } from "./grep.js";

export type Addr =
  | { k: "line"; n: number }
  | { k: "last" }
  | { k: "re"; re: RegExp | null }
  | { k: "step"; first: number; step: number }
  /** ADDR1,+N (second address only). */
  | { k: "plus"; n: number }
  /** ADDR1,~N (second address only). */
  | { k: "mod"; n: number };

export interface Cmd {
  a1: Addr | null;
  a2: Addr | null;
  neg: boolean;
  c: string;
  /** Range state: inside. */
  active: boolean;
  /** The last line of an ADDR1,+N or ADDR1,~N range that started. */
  endLine?: number;
  /** True when an address is `$` (the input must know whether this line is the last). */
  usesLast: boolean;
  /** s: regex, replacement parts, flags, the file of its w flag. */
  re?: RegExp | null;
  repl?: (string | number)[];
  global?: boolean;
  nth?: number;
  print?: boolean;
  /** a/i/c: text; y: maps; q/Q: exit code; {: index after the matching }. */
  text?: string;
  from?: string;
  to?: string;
  code?: number;
  end?: number;
  /** b/t/T: the label, then the index jumped to (-1: the end of the script). */
  label?: string;
  target?: number;
  /** r/R/w/W and s///w: the file name. */
  file?: string;
  /** l: the line length given with it (undefined: -l's). */
  width?: number;
}

/** Where a part of the script came from, for messages: `-e expression #N, char C` or `file F line L`. */
export interface Fragment {
  text: string;
  /** The -f file's name; undefined for an -e expression (or the script operand). */
  file?: string;
}

export class SedError extends Error {
  constructor(
    message: string,
    /** 1 for a bad script or usage, 4 for GNU's panics (a missing label, a file that cannot be opened). */
    readonly status = 1,
  ) {
    super(message);
  }
}

/** GNU's case conversions in a replacement (\U \L \E \u \l), as negative parts. */
const CASE_OPS: Record<string, number> = { U: -1, L: -2, E: -3, u: -4, l: -5 };

/** Commands that take no argument. */
const PLAIN = new Set(["p", "d", "=", "n", "N", "D", "P", "h", "H", "g", "G", "x", "z", "F"]);

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";

/** Parses a script (its fragments joined by newlines) into commands, with GNU's messages for what it refuses. */
export class Parser {
  private i = 0;
  readonly cmds: Cmd[] = [];
  private readonly blocks: number[] = [];
  private readonly s: string;
  private readonly starts: number[] = [];
  /** Names written by w, W and s///w, in the order they appear (opened before the input is read). */
  readonly wfiles: string[] = [];

  constructor(
    private readonly frags: readonly Fragment[],
    private readonly ext: boolean,
    /** --sandbox: r, R, w, W and s///w are refused. */
    private readonly sandbox = false,
  ) {
    let at = 0;
    for (const f of frags) {
      this.starts.push(at);
      at += f.text.length + 1;
    }
    this.s = frags.map((f) => f.text).join("\n");
  }

  /** `-e expression #N, char C` or `file F line L` of a position in the joined script. */
  private where(pos: number, atEnd = false): string {
    let k = this.frags.length - 1;
    if (!atEnd) while (k > 0 && this.starts[k]! > Math.max(pos - 1, 0)) k--;
    const f = this.frags[k]!;
    const rel = atEnd ? 0 : Math.min(pos - this.starts[k]!, f.text.length);
    if (f.file !== undefined) {
      let line = 1;
      for (let j = 0; j < rel && j < f.text.length; j++) if (f.text[j] === "\n") line++;
      return `file ${f.file} line ${line}`;
    }
    let n = 0;
    for (let j = 0; j <= k; j++) if (this.frags[j]!.file === undefined) n++;
    return `-e expression #${n}, char ${rel}`;
  }

  private fail(msg: string): never {
    throw new SedError(`sed: ${this.where(this.i)}: ${msg}`);
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

  private number(): number {
    let n = 0;
    while (isDigit(this.s[this.i])) n = n * 10 + Number(this.s[this.i++]);
    return n;
  }

  private address(): Addr | null {
    const c = this.s[this.i];
    if (isDigit(c)) {
      const n = this.number();
      if (this.s[this.i] === "~") {
        this.i++;
        return { k: "step", first: n, step: this.number() };
      }
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

  /** The second address: also +N and ~N. */
  private address2(): Addr {
    const c = this.s[this.i];
    if (c === "+" || c === "~") {
      this.i++;
      const n = this.number();
      return c === "+" ? { k: "plus", n } : { k: "mod", n };
    }
    const a = this.address();
    if (a === null) this.fail("unexpected `,'");
    return a;
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

  /** A label of :, b, t, T: up to a newline, `;`, a blank, `}` or `#`. */
  private label(): string {
    this.skipSpace();
    const from = this.i;
    while (this.i < this.s.length && !"\n; \t}#".includes(this.s[this.i]!)) this.i++;
    return this.s.slice(from, this.i);
  }

  /** The file name of r, R, w, W and s///w: the rest of the line. */
  private fileName(): string {
    if (this.sandbox) this.fail("e/r/w commands disabled in sandbox mode");
    this.skipSpace();
    const from = this.i;
    while (this.i < this.s.length && this.s[this.i] !== "\n") this.i++;
    const name = this.s.slice(from, this.i);
    if (name === "") this.fail("missing filename in r/R/w/W commands");
    return name;
  }

  private addWfile(name: string): void {
    if (!this.wfiles.includes(name)) this.wfiles.push(name);
  }

  /** What each command reads after its letter (a dispatch table; commands in PLAIN read nothing). */
  private readonly args: Record<string, (cmd: Cmd) => void> = {
    "{": () => void this.blocks.push(this.cmds.length),
    "}": (cmd) => {
      if (cmd.a1 !== null) this.fail("} doesn't want any addresses");
      const open = this.blocks.pop();
      if (open === undefined) this.fail("unexpected `}'");
      this.cmds[open]!.end = this.cmds.length + 1;
    },
    s: (cmd) => this.subst(cmd),
    y: (cmd) => this.translit(cmd),
    a: (cmd) => void (cmd.text = this.text()),
    i: (cmd) => void (cmd.text = this.text()),
    c: (cmd) => void (cmd.text = this.text()),
    q: (cmd) => this.exitCode(cmd),
    Q: (cmd) => this.exitCode(cmd),
    ":": (cmd) => {
      if (cmd.a1 !== null) this.fail(": doesn't want any addresses");
      cmd.label = this.label();
      if (cmd.label === "") this.fail('":" lacks a label');
    },
    b: (cmd) => void (cmd.label = this.label()),
    t: (cmd) => void (cmd.label = this.label()),
    T: (cmd) => void (cmd.label = this.label()),
    r: (cmd) => void (cmd.file = this.fileName()),
    R: (cmd) => void (cmd.file = this.fileName()),
    w: (cmd) => this.addWfile((cmd.file = this.fileName())),
    W: (cmd) => this.addWfile((cmd.file = this.fileName())),
    l: (cmd) => {
      this.skipSpace();
      if (isDigit(this.s[this.i])) cmd.width = this.number();
    },
  };

  private exitCode(cmd: Cmd): void {
    this.skipSpace();
    cmd.code = isDigit(this.s[this.i]) ? this.number() : 0;
    if (cmd.a2 !== null) this.fail("command only uses one address");
  }

  /** Commands after which only a separator may follow. */
  private static readonly ENDS = new Set(["s", "y", "q", "Q", "l", "p", "d", "=", "n", "N", "D", "P", "h", "H", "g", "G", "x", "z", "F"]);

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
      const first = this.s[this.i];
      if (first === "+" || first === "~") {
        this.i++;
        this.number();
        this.fail("invalid usage of +N or ~N as first address");
      }
      const cmd: Cmd = { a1: this.address(), a2: null, neg: false, c: "", active: false, usesLast: false };
      if (cmd.a1 !== null && s[this.i] === ",") {
        this.i++;
        cmd.a2 = this.address2();
      }
      cmd.usesLast = cmd.a1?.k === "last" || cmd.a2?.k === "last";
      this.skipSpace();
      while (s[this.i] === "!") {
        cmd.neg = true;
        this.i++;
        this.skipSpace();
      }
      const c = s[this.i++];
      if (c === undefined || c === "\n" || c === ";") this.fail("missing command");
      cmd.c = c;
      const zero = (cmd.a1?.k === "line" && cmd.a1.n === 0) || (cmd.a1?.k === "step" && cmd.a1.first === 0 && cmd.a1.step === 0);
      if (zero) {
        // 0,/RE/: the range is open before the first line, so RE may end it on line 1
        if (cmd.a1?.k !== "line" || cmd.a2?.k !== "re") this.fail("invalid usage of line address 0");
        cmd.active = true;
      }
      const arg = this.args[c];
      if (arg !== undefined) arg(cmd);
      else if (!PLAIN.has(c)) this.fail(`unknown command: \`${c}'`);
      if (Parser.ENDS.has(c)) {
        this.skipSpace();
        const t = s[this.i];
        if (t !== undefined && t !== ";" && t !== "\n" && t !== "}" && t !== "#") {
          this.i++;
          this.fail(`extra characters after command`);
        }
      }
      this.cmds.push(cmd);
    }
    if (this.blocks.length > 0) throw new SedError(`sed: ${this.where(0, true)}: unmatched \`{'`);
    this.resolveLabels();
    return this.cmds;
  }

  /** Each b/t/T gets the index of its label (GNU panics, status 4, for a label no `:` defines). */
  private resolveLabels(): void {
    const at = new Map<string, number>();
    this.cmds.forEach((c, k) => {
      if (c.c === ":" && !at.has(c.label!)) at.set(c.label!, k);
    });
    for (const c of this.cmds) {
      if (c.c !== "b" && c.c !== "t" && c.c !== "T") continue;
      if (c.label === "") c.target = -1;
      else {
        const k = at.get(c.label!);
        if (k === undefined) throw new SedError(`sed: can't find label for jump to \`${c.label}'`, 4);
        c.target = k;
      }
    }
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
      if (c === undefined || c === "\n") this.fail("unterminated `s' command");
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
      else if (f === "w") {
        this.i++;
        this.addWfile((cmd.file = this.fileName()));
        break;
      } else if (f !== undefined && f >= "1" && f <= "9") {
        cmd.nth = this.number();
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
