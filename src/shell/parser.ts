/**
 * A recursive-descent parser for the bash language, working on the source
 * text directly (bash's lexing depends on context: reserved words only count
 * at command position, `}` ends a `${`, heredoc bodies follow the next newline).
 *
 * Like bash, a script is parsed one complete command at a time
 * ({@link Parser.next}), so a syntax error late in a script stops it only when
 * execution reaches it.
 */
import type { AndOr, Assign, CaseItem, Cmd, CompoundCmd, CondExpr, List, Part, Pipeline, Redir, SimpleCmd, Word } from "./ast.js";

/** A syntax error; `incomplete` when more input could complete the command (interactive continuation). */
export class ShellSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly incomplete: boolean,
    /** The offending source line, printed by bash after "near unexpected token". */
    readonly sourceLine: string | null,
  ) {
    super(message);
    this.name = "ShellSyntaxError";
  }
}

const META = new Set([" ", "\t", "\n", ";", "&", "|", "(", ")", "<", ">"]);
const RESERVED = new Set(["if", "then", "elif", "else", "fi", "for", "while", "until", "do", "done", "case", "esac", "function", "{", "}", "[[", "]]", "!", "in", "select", "time"]);
const REDIR_RE = /^(\d*)(&>>|&>|>>|>&|>\||<<<|<<-|<<|<&|<>|>|<)/;
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const COND_UNARY = new Set(["-a", "-b", "-c", "-d", "-e", "-f", "-g", "-h", "-k", "-p", "-r", "-s", "-t", "-u", "-w", "-x", "-G", "-L", "-N", "-O", "-S", "-z", "-n", "-o", "-v"]);
const COND_BINARY = new Set(["==", "=", "!=", "<", ">", "=~", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef"]);

type WordMode = "unquoted" | "dq" | "heredoc" | "param" | "paramdq";

interface PendingHeredoc {
  redir: Redir;
  delim: string;
  quoted: boolean;
  strip: boolean;
}

/** Parses bash source; see the file comment. */
export class Parser {
  pos = 0;
  private readonly nl: number[] = [];
  private pending: PendingHeredoc[] = [];

  constructor(
    readonly src: string,
    private readonly firstLine = 1,
  ) {
    for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 10) this.nl.push(i);
  }

  /** Line number (1-based) of a source offset. */
  lineAt(pos: number): number {
    let lo = 0;
    let hi = this.nl.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.nl[mid]! < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo + this.firstLine;
  }

  /** The next complete top-level command (one line's and-or lists), or null at end. */
  next(): List | null {
    for (;;) {
      this.skipBlanks();
      const c = this.src[this.pos];
      if (c === undefined) return null;
      if (c === "\n") {
        this.newline();
        continue;
      }
      if (c === "#") {
        this.skipComment();
        continue;
      }
      break;
    }
    const list: List = [];
    for (;;) {
      this.skipBlanks();
      const c = this.src[this.pos];
      if (c === undefined) break;
      if (c === "\n") {
        this.newline();
        break;
      }
      if (c === "#") {
        this.skipComment();
        continue;
      }
      const ao = this.parseAndOr();
      list.push(ao);
      this.skipBlanks();
      const d = this.src[this.pos];
      if (d === ";" && this.src[this.pos + 1] !== ";") {
        this.pos++;
      } else if (d === "&" && this.src[this.pos + 1] !== "&") {
        ao.background = true;
        this.pos++;
      } else if (d !== undefined && d !== "\n" && d !== "#") {
        this.unexpected();
      }
    }
    if (this.pending.length > 0) this.readHeredocs();
    return list;
  }

  /** Parses the whole source (used for $(…), eval and tests). */
  parseAll(): List {
    const out: List = [];
    for (let l = this.next(); l !== null; l = this.next()) out.push(...l);
    return out;
  }

  // --- errors ----------------------------------------------------------------

  private sourceLine(pos: number): string {
    const s = this.src.lastIndexOf("\n", pos - 1) + 1;
    let e = this.src.indexOf("\n", pos);
    if (e < 0) e = this.src.length;
    return this.src.slice(s, e);
  }

  private eof(): never {
    throw new ShellSyntaxError("syntax error: unexpected end of file", this.lineAt(this.src.length), true, null);
  }

  private unexpected(): never {
    if (this.pos >= this.src.length) this.eof();
    const rest = this.src.slice(this.pos);
    let tok: string;
    const m = /^(;;&|;;|;&|&&|\|\||\|&|>>|<<|&>|[;&|()<>])/.exec(rest);
    if (rest[0] === "\n") tok = "newline";
    else if (m !== null) tok = m[1]!;
    else tok = /^[^\s;&|()<>]+/.exec(rest)?.[0] ?? rest[0]!;
    throw new ShellSyntaxError(`syntax error near unexpected token \`${tok}'`, this.lineAt(this.pos), false, this.sourceLine(this.pos));
  }

  private unmatched(ch: string, start = this.src.length): never {
    throw new ShellSyntaxError(`unexpected EOF while looking for matching \`${ch}'`, this.lineAt(start), true, null);
  }

  // --- low-level scanning ------------------------------------------------------

  private skipBlanks(): void {
    for (;;) {
      const c = this.src[this.pos];
      if (c === " " || c === "\t") this.pos++;
      else if (c === "\\" && this.src[this.pos + 1] === "\n") this.pos += 2;
      else break;
    }
  }

  private skipComment(): void {
    while (this.pos < this.src.length && this.src[this.pos] !== "\n") this.pos++;
  }

  /** Consumes a newline and any here-document bodies that follow it. */
  private newline(): void {
    this.pos++;
    if (this.pending.length > 0) this.readHeredocs();
  }

  /** Skips blanks, comments and newlines. */
  private skipLinebreaks(): void {
    for (;;) {
      this.skipBlanks();
      const c = this.src[this.pos];
      if (c === "\n") this.newline();
      else if (c === "#") this.skipComment();
      else break;
    }
  }

  private readHeredocs(): void {
    const pend = this.pending;
    this.pending = [];
    for (const h of pend) {
      const lines: string[] = [];
      while (this.pos < this.src.length) {
        let e = this.src.indexOf("\n", this.pos);
        if (e < 0) e = this.src.length;
        let ln = this.src.slice(this.pos, e);
        this.pos = Math.min(e + 1, this.src.length);
        if (h.strip) ln = ln.replace(/^\t+/, "");
        if (ln === h.delim) break;
        lines.push(ln + "\n");
      }
      const text = lines.join("");
      h.redir.body = h.quoted ? [{ t: "sq", v: text }] : new Parser(text).parseWordText("heredoc");
    }
  }

  /** Word at the cursor when it is a plain reserved word (unquoted, followed by a delimiter). */
  private peekReserved(): string | null {
    const m = /^(\[\[|\]\]|[{}!]|[a-z]+)(?=[\s;&|()<>]|$)/.exec(this.src.slice(this.pos, this.pos + 10));
    if (m === null) return null;
    return RESERVED.has(m[1]!) ? m[1]! : null;
  }

  private expectReserved(w: string): void {
    this.skipLinebreaks();
    if (this.peekReserved() !== w) this.unexpected();
    this.pos += w.length;
  }

  // --- lists and pipelines -------------------------------------------------------

  /** A compound list, ending before one of the reserved words `terms` (or `)` / `;;` when listed). */
  private parseCompoundList(terms: string[]): List {
    const list: List = [];
    for (;;) {
      this.skipLinebreaks();
      const c = this.src[this.pos];
      if (c === undefined) this.eof();
      const r = this.peekReserved();
      if (r !== null && terms.includes(r)) break;
      if (c === ")" && terms.includes(")")) break;
      if (c === ";" && this.src[this.pos + 1] === ";" && terms.includes(";;")) break;
      if (c === ";" && this.src[this.pos + 1] === "&" && terms.includes(";;")) break;
      const ao = this.parseAndOr();
      list.push(ao);
      this.skipBlanks();
      const d = this.src[this.pos];
      if (d === ";") {
        const n = this.src[this.pos + 1];
        if (n === ";" || n === "&") {
          if (!terms.includes(";;")) this.unexpected();
          break;
        }
        this.pos++;
      } else if (d === "&") {
        ao.background = true;
        this.pos++;
      } else if (d === "\n") {
        this.newline();
      } else if (d === "#") {
        this.skipComment();
      } else if (d === undefined) {
        this.eof();
      } else if (d === ")" && terms.includes(")")) {
        break;
      } else {
        const r2 = this.peekReserved();
        if (r2 === null || !terms.includes(r2)) this.unexpected();
      }
    }
    if (list.length === 0) this.unexpected();
    return list;
  }

  private parseAndOr(): AndOr {
    const start = this.pos;
    const first = this.parsePipeline();
    const rest: AndOr["rest"] = [];
    for (;;) {
      this.skipBlanks();
      const two = this.src.slice(this.pos, this.pos + 2);
      if (two !== "&&" && two !== "||") break;
      this.pos += 2;
      this.skipLinebreaks();
      rest.push({ op: two, p: this.parsePipeline() });
    }
    return { first, rest, background: false, text: this.src.slice(start, this.pos).trim() };
  }

  private parsePipeline(): Pipeline {
    this.skipBlanks();
    const line = this.lineAt(this.pos);
    let bang = false;
    let time: { posix: boolean } | undefined;
    if (this.peekReserved() === "time") {
      this.pos += 4;
      this.skipBlanks();
      time = { posix: false };
      if (/^-p(?=[ \t\n;&|]|$)/.test(this.src.slice(this.pos, this.pos + 3))) {
        time.posix = true;
        this.pos += 2;
        this.skipBlanks();
      }
    }
    while (this.peekReserved() === "!") {
      bang = !bang;
      this.pos++;
      this.skipBlanks();
    }
    const cmds: Cmd[] = [this.parseCommand()];
    const errPipe: boolean[] = [];
    for (;;) {
      this.skipBlanks();
      if (this.src[this.pos] !== "|" || this.src[this.pos + 1] === "|") break;
      const both = this.src[this.pos + 1] === "&";
      this.pos += both ? 2 : 1;
      errPipe.push(both);
      this.skipLinebreaks();
      cmds.push(this.parseCommand());
    }
    return time === undefined ? { bang, cmds, errPipe, line } : { bang, cmds, errPipe, line, time };
  }

  private parseCommand(): Cmd {
    this.skipBlanks();
    const c = this.src[this.pos];
    if (c === undefined) this.eof();
    const line = this.lineAt(this.pos);
    let cmd: CompoundCmd | null = null;
    if (c === "(") {
      if (this.src[this.pos + 1] === "(") {
        const save = this.pos;
        const raw = this.tryArith(this.pos + 2);
        if (raw !== null) cmd = { k: "arith", expr: new Parser(raw, line).parseWordText("heredoc"), line, redirs: [] };
        else this.pos = save;
      }
      if (cmd === null) {
        this.pos++;
        const body = this.parseCompoundList([")"]);
        this.skipLinebreaks();
        if (this.src[this.pos] !== ")") this.unexpected();
        this.pos++;
        cmd = { k: "subshell", body, line, redirs: [] };
      }
    } else {
      const r = this.peekReserved();
      if (r === "{") {
        this.pos++;
        const body = this.parseCompoundList(["}"]);
        this.expectReserved("}");
        cmd = { k: "group", body, line, redirs: [] };
      } else if (r === "if") cmd = this.parseIf(line);
      else if (r === "while" || r === "until") cmd = this.parseWhile(line, r === "until");
      else if (r === "for") cmd = this.parseFor(line);
      else if (r === "case") cmd = this.parseCase(line);
      else if (r === "[[") cmd = this.parseCond(line);
      else if (r === "function") cmd = this.parseFunction(line);
      else if (r !== null && r !== "!" && r !== "in" && r !== "time") this.unexpected();
    }
    if (cmd !== null) {
      this.parseRedirs(cmd.redirs);
      return cmd;
    }
    return this.parseSimple(line);
  }

  /** If `(( … ))` starts at `start` (after the opening parens), consumes it and returns the expression. */
  private tryArith(start: number): string | null {
    let depth = 0;
    let i = start;
    for (; i < this.src.length; i++) {
      const ch = this.src[i];
      if (ch === "(") depth++;
      else if (ch === ")") {
        if (depth === 0) {
          if (this.src[i + 1] === ")") {
            this.pos = i + 2;
            return this.src.slice(start, i);
          }
          return null;
        }
        depth--;
      }
    }
    return null;
  }

  private parseRedirs(out: Redir[]): void {
    for (;;) {
      this.skipBlanks();
      if (!this.tryRedir(out)) return;
    }
  }

  private tryRedir(out: Redir[]): boolean {
    const m = REDIR_RE.exec(this.src.slice(this.pos, this.pos + 12));
    if (m === null) return false;
    if (m[1] !== "" && m[2]!.startsWith("&")) return false;
    const line = this.lineAt(this.pos);
    this.pos += m[0].length;
    const op = m[2]!;
    this.skipBlanks();
    const start = this.pos;
    const w = this.readProcSubst() ?? this.readWord("unquoted");
    if (w === null) this.unexpected();
    const r: Redir = { fd: m[1] === "" ? null : Number(m[1]), op, target: w, line };
    if (op === "<<" || op === "<<-") {
      const raw = this.src.slice(start, this.pos);
      const quoted = /['"\\]/.test(raw);
      const delim = raw.replace(/\\(.)/g, "$1").replace(/'([^']*)'/g, "$1").replace(/"([^"]*)"/g, "$1");
      this.pending.push({ redir: r, delim, quoted, strip: op === "<<-" });
    }
    out.push(r);
    return true;
  }

  /** `<(list)` or `>(list)` as a one-part word, or null when the input is not one. */
  private readProcSubst(): Word | null {
    const c = this.src[this.pos];
    if ((c !== "<" && c !== ">") || this.src[this.pos + 1] !== "(") return null;
    this.pos += 2;
    const pend = this.pending;
    this.pending = [];
    let body: List = [];
    this.skipLinebreaks();
    if (this.src[this.pos] !== ")") body = this.parseCompoundList([")"]);
    this.skipLinebreaks();
    if (this.src[this.pos] === undefined) this.unmatched(")");
    if (this.src[this.pos] !== ")") this.unexpected();
    this.pos++;
    this.pending = [...pend, ...this.pending];
    return [{ t: "psub", out: c === ">", body }];
  }

  private parseSimple(line: number): SimpleCmd {
    const cmd: SimpleCmd = { k: "simple", line, assigns: [], words: [], redirs: [] };
    for (;;) {
      this.skipBlanks();
      const c = this.src[this.pos];
      if (c === undefined || c === "\n" || c === ";" || c === "&" || c === "|" || c === ")") break;
      if (c === "#") {
        this.skipComment();
        break;
      }
      const ps = this.readProcSubst();
      if (ps !== null) {
        cmd.words.push(ps);
        continue;
      }
      if (this.tryRedir(cmd.redirs)) continue;
      if (c === "(") {
        // name() { … }
        if (cmd.words.length === 1 && cmd.assigns.length === 0 && cmd.redirs.length === 0) {
          const f = this.tryFuncDef(cmd, line);
          if (f !== null) return f as unknown as SimpleCmd;
        }
        this.unexpected();
      }
      if (c === "<" || c === ">") this.unexpected();
      if (cmd.words.length === 0) {
        const a = this.tryAssign();
        if (a !== null) {
          cmd.assigns.push(a);
          continue;
        }
      }
      const w = this.readWord("unquoted");
      if (w === null) this.unexpected();
      cmd.words.push(w);
    }
    if (cmd.words.length === 0 && cmd.assigns.length === 0 && cmd.redirs.length === 0) this.unexpected();
    return cmd;
  }

  private tryFuncDef(cmd: SimpleCmd, line: number): Cmd | null {
    const w = cmd.words[0]!;
    if (w.length !== 1 || w[0]!.t !== "lit") return null;
    const name = w[0].v;
    const m = /^\(\s*\)/.exec(this.src.slice(this.pos));
    if (m === null) return null;
    this.pos += m[0].length;
    this.skipLinebreaks();
    const body = this.parseCommand();
    return { k: "func", name, body, line, redirs: [] };
  }

  private parseFunction(line: number): CompoundCmd {
    this.pos += "function".length;
    this.skipBlanks();
    const m = /^[^\s;&|()<>]+/.exec(this.src.slice(this.pos));
    if (m === null) this.unexpected();
    const name = m[0];
    this.pos += name.length;
    this.skipBlanks();
    const p = /^\(\s*\)/.exec(this.src.slice(this.pos));
    if (p !== null) this.pos += p[0].length;
    this.skipLinebreaks();
    const body = this.parseCommand();
    return { k: "func", name, body, line, redirs: [] };
  }

  private tryAssign(): Assign | null {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?(\+?)=/.exec(this.src.slice(this.pos, this.pos + 256));
    if (m === null) return null;
    this.pos += m[0].length;
    const a: Assign = { name: m[1]!, append: m[3] === "+", value: null };
    if (m[2] !== undefined) a.index = new Parser(m[2].slice(1, -1)).parseWordText("heredoc");
    if (this.src[this.pos] === "(" && m[2] === undefined) {
      this.pos++;
      const items: Word[] = [];
      for (;;) {
        this.skipLinebreaks();
        const c = this.src[this.pos];
        if (c === undefined) this.eof();
        if (c === ")") {
          this.pos++;
          break;
        }
        const w = this.readWord("unquoted");
        if (w === null) this.unexpected();
        items.push(w);
      }
      a.array = items;
      return a;
    }
    a.value = this.readWord("unquoted", true) ?? [];
    return a;
  }

  // --- compound commands -------------------------------------------------------

  private parseIf(line: number): CompoundCmd {
    this.pos += 2;
    const clauses: { cond: List; body: List }[] = [];
    let otherwise: List | null = null;
    for (;;) {
      const cond = this.parseCompoundList(["then"]);
      this.expectReserved("then");
      const body = this.parseCompoundList(["elif", "else", "fi"]);
      clauses.push({ cond, body });
      const r = this.peekReserved();
      this.pos += r!.length;
      if (r === "elif") continue;
      if (r === "else") {
        otherwise = this.parseCompoundList(["fi"]);
        this.expectReserved("fi");
      }
      break;
    }
    return { k: "if", clauses, otherwise, line, redirs: [] };
  }

  private parseWhile(line: number, until: boolean): CompoundCmd {
    this.pos += 5; // "while" / "until"
    const cond = this.parseCompoundList(["do"]);
    this.expectReserved("do");
    const body = this.parseCompoundList(["done"]);
    this.expectReserved("done");
    return { k: "while", until, cond, body, line, redirs: [] };
  }

  private parseDoGroup(): List {
    this.skipLinebreaks();
    if (this.peekReserved() === "{") {
      this.pos++;
      const body = this.parseCompoundList(["}"]);
      this.expectReserved("}");
      return body;
    }
    this.expectReserved("do");
    const body = this.parseCompoundList(["done"]);
    this.expectReserved("done");
    return body;
  }

  private parseFor(line: number): CompoundCmd {
    this.pos += 3;
    this.skipBlanks();
    if (this.src.startsWith("((", this.pos)) {
      const raw = this.tryArith(this.pos + 2);
      if (raw === null) this.unmatched("(");
      const parts = splitArithFor(raw);
      if (parts === null) this.unexpected();
      this.skipBlanks();
      if (this.src[this.pos] === ";") this.pos++;
      const body = this.parseDoGroup();
      const mk = (s: string): Word => new Parser(s, line).parseWordText("heredoc");
      return { k: "afor", init: mk(parts[0]), cond: mk(parts[1]), step: mk(parts[2]), body, line, redirs: [] };
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.pos));
    if (m === null) this.unexpected();
    const name = m[0];
    this.pos += name.length;
    this.skipBlanks();
    let words: Word[] | null = null;
    // optional newlines before `in`
    const save = this.pos;
    this.skipLinebreaks();
    if (this.peekReserved() === "in") {
      this.pos += 2;
      words = [];
      for (;;) {
        this.skipBlanks();
        const c = this.src[this.pos];
        if (c === ";" || c === "\n") {
          if (c === "\n") this.newline();
          else this.pos++;
          break;
        }
        if (c === undefined) this.eof();
        if (c === "#") {
          this.skipComment();
          continue;
        }
        const w = this.readWord("unquoted");
        if (w === null) this.unexpected();
        words.push(w);
      }
    } else {
      this.pos = save;
      this.skipBlanks();
      if (this.src[this.pos] === ";") this.pos++;
    }
    const body = this.parseDoGroup();
    return { k: "for", name, words, body, line, redirs: [] };
  }

  private parseCase(line: number): CompoundCmd {
    this.pos += 4;
    this.skipBlanks();
    const word = this.readWord("unquoted");
    if (word === null) this.unexpected();
    this.skipLinebreaks();
    if (this.peekReserved() !== "in") this.unexpected();
    this.pos += 2;
    const items: CaseItem[] = [];
    for (;;) {
      this.skipLinebreaks();
      if (this.peekReserved() === "esac") {
        this.pos += 4;
        break;
      }
      if (this.src[this.pos] === "(") this.pos++;
      const pats: Word[] = [];
      for (;;) {
        this.skipBlanks();
        const w = this.readWord("unquoted");
        if (w === null) this.unexpected();
        pats.push(w);
        this.skipBlanks();
        if (this.src[this.pos] === "|") {
          this.pos++;
          continue;
        }
        if (this.src[this.pos] === ")") {
          this.pos++;
          break;
        }
        this.unexpected();
      }
      this.skipLinebreaks();
      let body: List = [];
      if (!this.src.startsWith(";;", this.pos) && !this.src.startsWith(";&", this.pos) && this.peekReserved() !== "esac") {
        body = this.parseCompoundList(["esac", ";;"]);
      }
      this.skipLinebreaks();
      let term = ";;";
      const t = /^(;;&|;;|;&)/.exec(this.src.slice(this.pos, this.pos + 3));
      if (t !== null) {
        term = t[1]!;
        this.pos += term.length;
      } else if (this.peekReserved() !== "esac") this.unexpected();
      items.push({ pats, body, term });
    }
    return { k: "case", word, items, line, redirs: [] };
  }

  private parseCond(line: number): CompoundCmd {
    this.pos += 2;
    const expr = this.condOr();
    this.skipLinebreaks();
    if (!this.src.startsWith("]]", this.pos)) this.unexpected();
    this.pos += 2;
    return { k: "cond", expr, line, redirs: [] };
  }

  private condOr(): CondExpr {
    let l = this.condAnd();
    for (;;) {
      this.skipLinebreaks();
      if (!this.src.startsWith("||", this.pos)) return l;
      this.pos += 2;
      l = { t: "or", l, r: this.condAnd() };
    }
  }

  private condAnd(): CondExpr {
    let l = this.condNot();
    for (;;) {
      this.skipLinebreaks();
      if (!this.src.startsWith("&&", this.pos)) return l;
      this.pos += 2;
      l = { t: "and", l, r: this.condNot() };
    }
  }

  private condNot(): CondExpr {
    this.skipLinebreaks();
    if (this.src[this.pos] === "!" && /[\s(]/.test(this.src[this.pos + 1] ?? "")) {
      this.pos++;
      return { t: "not", e: this.condNot() };
    }
    return this.condPrimary();
  }

  private condWord(): { w: Word; raw: string } {
    this.skipLinebreaks();
    const start = this.pos;
    const w = this.readWord("unquoted");
    if (w === null) this.unexpected();
    return { w, raw: this.src.slice(start, this.pos) };
  }

  private condPrimary(): CondExpr {
    this.skipLinebreaks();
    if (this.src[this.pos] === "(") {
      this.pos++;
      const e = this.condOr();
      this.skipLinebreaks();
      if (this.src[this.pos] !== ")") this.unexpected();
      this.pos++;
      return e;
    }
    if (this.src.startsWith("]]", this.pos)) this.unexpected();
    const a = this.condWord();
    if (COND_UNARY.has(a.raw)) {
      this.skipBlanks();
      if (!this.src.startsWith("]]", this.pos) && !this.src.startsWith("&&", this.pos) && !this.src.startsWith("||", this.pos)) {
        const b = this.condWord();
        return { t: "un", op: a.raw, w: b.w };
      }
    }
    this.skipBlanks();
    let op: string | null = null;
    const c = this.src[this.pos];
    if (c === "<" || c === ">") {
      op = c;
      this.pos++;
    } else {
      const m = /^(==|=~|!=|=|-eq|-ne|-lt|-le|-gt|-ge|-nt|-ot|-ef)(?=\s)/.exec(this.src.slice(this.pos, this.pos + 4));
      if (m !== null && COND_BINARY.has(m[1]!)) {
        op = m[1]!;
        this.pos += op.length;
      }
    }
    if (op === null) return { t: "word", w: a.w };
    this.skipBlanks();
    if (op === "=~") return { t: "bin", op, l: a.w, r: this.readRegexWord() };
    const b = this.condWord();
    return { t: "bin", op, l: a.w, r: b.w };
  }

  /** The right side of `=~`: parentheses and `|` are part of the word. */
  private readRegexWord(): Word {
    const parts: Part[] = [];
    let depth = 0;
    while (this.pos < this.src.length) {
      const c = this.src[this.pos]!;
      if (depth === 0 && (c === " " || c === "\t" || c === "\n")) break;
      if (c === "(") depth++;
      if (c === ")") {
        if (depth === 0) break;
        depth--;
      }
      if (c === "(" || c === ")" || c === "|" || c === "<" || c === ">" || (c === "&" && depth > 0)) {
        parts.push({ t: "lit", v: c });
        this.pos++;
        continue;
      }
      const w = this.readWord("unquoted");
      if (w === null) break;
      parts.push(...w);
    }
    if (parts.length === 0) this.unexpected();
    return parts;
  }

  // --- words ------------------------------------------------------------------------

  /** Parses the whole source as the text of a word in `mode` (heredoc bodies, arithmetic). */
  parseWordText(mode: WordMode): Word {
    return this.readWordParts(mode, () => false);
  }

  /**
   * Reads one word in unquoted context; null when the cursor is at a delimiter.
   * `assign` enables tilde expansion after `:` (assignment values).
   */
  readWord(mode: WordMode, assign = false): Word | null {
    const start = this.pos;
    const w = this.readWordParts(mode, (c) => META.has(c), assign);
    if (this.pos === start) return null;
    return w;
  }

  private readWordParts(mode: WordMode, stop: (c: string) => boolean, assign = false): Word {
    const parts: Part[] = [];
    let lit = "";
    const quotedCtx = mode === "dq" || mode === "heredoc" || mode === "paramdq";
    const flush = (): void => {
      if (lit !== "") parts.push(quotedCtx ? { t: "sq", v: lit } : { t: "lit", v: lit });
      lit = "";
    };
    const wordStart = this.pos;
    let braceDepth = 0;
    while (this.pos < this.src.length) {
      const c = this.src[this.pos]!;
      if (mode === "dq" && c === '"') break;
      if ((mode === "param" || mode === "paramdq") && c === "}" && braceDepth === 0) break;
      if (mode === "unquoted" && stop(c)) break;
      if (c === "\\") {
        const n = this.src[this.pos + 1];
        if (n === undefined) {
          lit += "\\";
          this.pos++;
          continue;
        }
        if (n === "\n") {
          this.pos += 2;
          continue;
        }
        if (quotedCtx) {
          const special = mode === "heredoc" ? "$`\\" : mode === "paramdq" ? '$`"\\}' : '$`"\\';
          if (special.includes(n)) {
            lit += n;
            this.pos += 2;
          } else {
            lit += "\\";
            this.pos++;
          }
          continue;
        }
        flush();
        parts.push({ t: "sq", v: n });
        this.pos += 2;
        continue;
      }
      if (c === "'" && !quotedCtx) {
        const e = this.src.indexOf("'", this.pos + 1);
        if (e < 0) this.unmatched("'", this.pos);
        flush();
        parts.push({ t: "sq", v: this.src.slice(this.pos + 1, e) });
        this.pos = e + 1;
        continue;
      }
      if (c === '"' && (mode === "unquoted" || mode === "param")) {
        flush();
        const qstart = this.pos;
        this.pos++;
        const inner = this.readWordParts("dq", () => false);
        if (this.src[this.pos] !== '"') this.unmatched('"', qstart);
        this.pos++;
        parts.push({ t: "dq", parts: inner });
        continue;
      }
      if (c === "$") {
        const n = this.src[this.pos + 1];
        if (n === "'" && !quotedCtx) {
          flush();
          this.pos += 2;
          parts.push({ t: "sq", v: this.readAnsiC() });
          continue;
        }
        if (n === '"' && !quotedCtx) {
          this.pos++;
          continue;
        }
        const p = this.readDollar(mode === "dq" || mode === "heredoc" || mode === "paramdq");
        if (p !== null) {
          flush();
          parts.push(p);
          continue;
        }
        lit += "$";
        this.pos++;
        continue;
      }
      if (c === "`") {
        flush();
        parts.push(this.readBackquote());
        continue;
      }
      if (c === "~" && mode === "unquoted" && (this.pos === wordStart || (assign && (this.src[this.pos - 1] === ":" || this.src[this.pos - 1] === "=")))) {
        const m = /^~([A-Za-z0-9_.-]*)(?=[/:\s;&|()<>]|$)/.exec(this.src.slice(this.pos, this.pos + 64));
        if (m !== null) {
          flush();
          parts.push({ t: "tilde", user: m[1]! });
          this.pos += m[0].length;
          continue;
        }
      }
      if (mode === "param" || mode === "paramdq") {
        if (c === "{") braceDepth++;
        if (c === "}") braceDepth--;
      }
      lit += c;
      this.pos++;
    }
    flush();
    return parts;
  }

  private readAnsiC(): string {
    let out = "";
    while (this.pos < this.src.length) {
      const c = this.src[this.pos]!;
      if (c === "'") {
        this.pos++;
        return out;
      }
      if (c === "\\") {
        const r = decodeEscape(this.src, this.pos + 1, true);
        out += r.text;
        this.pos = r.end;
        continue;
      }
      out += c;
      this.pos++;
    }
    this.unmatched("'");
  }

  private readBackquote(): Part {
    const startLine = this.lineAt(this.pos);
    let i = this.pos + 1;
    let body = "";
    for (;;) {
      const c = this.src[i];
      if (c === undefined) this.unmatched("`", this.pos);
      if (c === "`") break;
      if (c === "\\" && "$`\\".includes(this.src[i + 1] ?? "")) {
        body += this.src[i + 1];
        i += 2;
        continue;
      }
      body += c;
      i++;
    }
    this.pos = i + 1;
    return { t: "cmd", body: new Parser(body, startLine).parseAll() };
  }

  private readDollar(inDq: boolean): Part | null {
    const s = this.src;
    const n = s[this.pos + 1];
    if (n === undefined) return null;
    if (n === "(") {
      if (s[this.pos + 2] === "(") {
        const save = this.pos;
        const raw = this.tryArith(this.pos + 3);
        if (raw !== null) return { t: "arith", expr: new Parser(raw, this.lineAt(save)).parseWordText("heredoc") };
        this.pos = save;
      }
      this.pos += 2;
      const pend = this.pending;
      this.pending = [];
      let body: List = [];
      this.skipLinebreaks();
      if (s[this.pos] !== ")") body = this.parseCompoundList([")"]);
      this.skipLinebreaks();
      if (s[this.pos] === undefined) this.unmatched(")");
      if (s[this.pos] !== ")") this.unexpected();
      this.pos++;
      this.pending = [...pend, ...this.pending];
      return { t: "cmd", body };
    }
    if (n === "{") return this.readBrace(inDq);
    if (/[A-Za-z_]/.test(n)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(this.pos + 1, this.pos + 257))!;
      this.pos += 1 + m[0].length;
      return { t: "param", name: m[0], op: "" };
    }
    if (/[0-9@*#?$!\-]/.test(n)) {
      this.pos += 2;
      return { t: "param", name: n, op: "" };
    }
    return null;
  }

  private readBrace(inDq: boolean): Part {
    const s = this.src;
    this.pos += 2;
    let len = false;
    let indirect = false;
    if (s[this.pos] === "#" && s[this.pos + 1] !== "}" && !/^#[-=?+:]/.test(s.slice(this.pos, this.pos + 2))) {
      len = true;
      this.pos++;
    } else if (s[this.pos] === "!" && !/^[}:\-+=?]/.test(s.slice(this.pos + 1, this.pos + 2))) {
      // `${!name}` is indirection; `${!}`, `${!:-x}`, `${!-x}`, `${!+x}`… are `$!`
      indirect = true;
      this.pos++;
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!\-])/.exec(s.slice(this.pos, this.pos + 256));
    if (m === null) this.badSubst();
    const name = m[1]!;
    this.pos += name.length;
    const p: Part & { t: "param" } = { t: "param", name, op: "" };
    if (len) p.len = true;
    if (indirect) p.indirect = true;
    if (s[this.pos] === "[") {
      const e = s.indexOf("]", this.pos);
      if (e < 0) this.badSubst();
      p.index = new Parser(s.slice(this.pos + 1, e)).parseWordText("heredoc");
      this.pos = e + 1;
    }
    if (s[this.pos] === "}") {
      this.pos++;
      return p;
    }
    if (len) this.badSubst();
    const om = /^(:-|:=|:\+|:\?|-|=|\+|\?|##|#|%%|%|\/\/|\/#|\/%|\/|\^\^|\^|,,|,|:)/.exec(s.slice(this.pos, this.pos + 2));
    if (om === null) this.badSubst();
    p.op = om[1]!;
    this.pos += p.op.length;
    const argMode: WordMode = inDq ? "paramdq" : "param";
    if (p.op === ":") {
      // ${x:off[:len]}
      const rest = this.readUntilBrace();
      const i = rest.indexOf(":");
      p.arg = new Parser(i < 0 ? rest : rest.slice(0, i)).parseWordText("heredoc");
      if (i >= 0) p.arg2 = new Parser(rest.slice(i + 1)).parseWordText("heredoc");
      return p;
    }
    if (p.op.startsWith("/")) {
      p.arg = this.readWordParts(argMode, () => false, false);
      // the pattern stops at an unquoted "/"
      const whole = p.arg;
      const split = splitAtSlash(whole);
      p.arg = split[0];
      if (split[1] !== null) p.arg2 = split[1];
    } else {
      p.arg = this.readWordParts(argMode, () => false, false);
    }
    if (s[this.pos] !== "}") this.unmatched("}");
    this.pos++;
    return p;
  }

  private readUntilBrace(): string {
    const e = this.src.indexOf("}", this.pos);
    if (e < 0) this.unmatched("}");
    const r = this.src.slice(this.pos, e);
    this.pos = e + 1;
    return r;
  }

  private badSubst(): never {
    const s = this.src.lastIndexOf("${", this.pos);
    const e = this.src.indexOf("}", this.pos);
    const text = this.src.slice(s, e < 0 ? this.src.length : e + 1);
    throw new ShellSyntaxError(`${text}: bad substitution`, this.lineAt(this.pos), false, null);
  }
}

/** Splits `${x/pat/rep}`'s argument at its first unquoted "/". */
function splitAtSlash(w: Word): [Word, Word | null] {
  const a: Part[] = [];
  for (let i = 0; i < w.length; i++) {
    const p = w[i]!;
    if (p.t === "lit") {
      const j = p.v.indexOf("/");
      if (j >= 0) {
        if (j > 0) a.push({ t: "lit", v: p.v.slice(0, j) });
        const b: Part[] = [];
        if (j + 1 < p.v.length) b.push({ t: "lit", v: p.v.slice(j + 1) });
        b.push(...w.slice(i + 1));
        return [a, b];
      }
    }
    a.push(p);
  }
  return [a, null];
}

/** Splits the text of `for (( a ; b ; c ))` into its three expressions. */
function splitArithFor(raw: string): [string, string, string] | null {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const c of raw) {
    if (c === "(") depth++;
    if (c === ")") depth--;
    if (c === ";" && depth === 0) {
      out.push(cur);
      cur = "";
      continue;
    }
    cur += c;
  }
  out.push(cur);
  if (out.length !== 3) return null;
  return [out[0]!, out[1]!, out[2]!];
}

/**
 * Decodes one backslash escape starting at `src[i]` (the character after the
 * backslash), as $'…' and `echo -e` do. Returns the text and the index after it.
 * `ansiC` selects $'…' rules (\' and \" escapes, no \c).
 */
export function decodeEscape(src: string, i: number, ansiC: boolean): { text: string; end: number; stop?: boolean } {
  const c = src[i];
  const simple: Record<string, string> = { a: "\x07", b: "\b", e: "\x1b", E: "\x1b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };
  if (c === undefined) return { text: "\\", end: i };
  if (simple[c] !== undefined) return { text: simple[c]!, end: i + 1 };
  if (ansiC && (c === "'" || c === '"' || c === "?")) return { text: c, end: i + 1 };
  if (!ansiC && c === "c") return { text: "", end: i + 1, stop: true };
  if (c === "x") {
    const m = /^[0-9a-fA-F]{1,2}/.exec(src.slice(i + 1, i + 3));
    if (m === null) return { text: "\\x", end: i + 1 };
    return { text: String.fromCharCode(parseInt(m[0], 16)), end: i + 1 + m[0].length };
  }
  if (c === "u" || c === "U") {
    const m = (c === "u" ? /^[0-9a-fA-F]{1,4}/ : /^[0-9a-fA-F]{1,8}/).exec(src.slice(i + 1, i + 9));
    if (m === null) return { text: "\\" + c, end: i + 1 };
    return { text: String.fromCodePoint(parseInt(m[0], 16)), end: i + 1 + m[0].length };
  }
  if (/[0-7]/.test(c)) {
    const m = ansiC ? /^[0-7]{1,3}/.exec(src.slice(i, i + 3))! : c === "0" ? /^0[0-7]{0,3}/.exec(src.slice(i, i + 4))! : null;
    if (m !== null) return { text: String.fromCharCode(parseInt(m[0], 8) & 0xff), end: i + m[0].length };
  }
  return { text: "\\" + c, end: i + 1 };
}

/** True when `s` is a valid shell variable name. */
export function isName(s: string): boolean {
  return NAME_RE.test(s);
}
