/**
 * awk's lexer and parser (POSIX awk as mawk reads it): a program becomes
 * items of pattern and action, and user functions; expressions follow
 * awk's precedence, with concatenation by juxtaposition and `/RE/` read as
 * a regex wherever an operand may start.
 */

export type Expr =
  | { k: "num"; v: number }
  | { k: "str"; v: string }
  | { k: "re"; src: string }
  | { k: "var"; name: string }
  | { k: "field"; e: Expr }
  | { k: "idx"; name: string; subs: Expr[] }
  | { k: "in"; subs: Expr[]; name: string }
  | { k: "assign"; op: string; target: Expr; e: Expr }
  | { k: "cond"; c: Expr; a: Expr; b: Expr }
  | { k: "bin"; op: string; a: Expr; b: Expr }
  | { k: "un"; op: string; e: Expr }
  | { k: "incdec"; op: "++" | "--"; prefix: boolean; target: Expr }
  | { k: "match"; neg: boolean; e: Expr; re: Expr }
  | { k: "call"; name: string; args: Expr[] }
  /** `getline [var]`, `getline [var] < file`, `cmd | getline [var]`. */
  | { k: "getline"; target: Expr | null; file: Expr | null; cmd: Expr | null }
  | { k: "group"; e: Expr }
  /** `(i, j)`: only as the left side of `in`. */
  | { k: "tuple"; list: Expr[] };

export type Stmt =
  | { k: "expr"; e: Expr }
  | { k: "print"; args: Expr[]; printf: boolean; redir: { op: string; e: Expr } | null }
  | { k: "if"; c: Expr; a: Stmt; b: Stmt | null }
  | { k: "while"; c: Expr; body: Stmt }
  | { k: "do"; c: Expr; body: Stmt }
  | { k: "for"; init: Stmt | null; c: Expr | null; step: Stmt | null; body: Stmt }
  | { k: "forin"; v: string; arr: string; body: Stmt }
  | { k: "block"; body: Stmt[] }
  | { k: "next" }
  | { k: "exit"; e: Expr | null }
  | { k: "return"; e: Expr | null }
  | { k: "break" }
  | { k: "continue" }
  | { k: "delete"; name: string; subs: Expr[] | null };

export interface Item {
  pattern: { k: "begin" } | { k: "end" } | { k: "expr"; e: Expr } | { k: "range"; a: Expr; b: Expr } | null;
  action: Stmt[] | null;
}

export interface Program {
  items: Item[];
  funcs: Map<string, { params: string[]; body: Stmt[] }>;
}

export class AwkSyntaxError extends Error {}

const BUILTINS = new Set(["length", "substr", "index", "split", "sub", "gsub", "match", "sprintf", "tolower", "toupper", "int", "sqrt", "exp", "log", "sin", "cos", "atan2", "rand", "srand", "system", "close", "fflush"]);
const KEYWORDS = new Set(["BEGIN", "END", "function", "func", "if", "else", "while", "for", "do", "break", "continue", "next", "exit", "return", "delete", "in", "getline", "print", "printf"]);

type Tok = ({ t: "num"; v: number } | { t: "str"; v: string } | { t: "re"; v: string } | { t: "name"; v: string } | { t: "fname"; v: string } | { t: "builtin"; v: string } | { t: "kw"; v: string } | { t: "op"; v: string } | { t: "nl" } | { t: "eof" }) & { line?: number };

const OPS = ["+=", "-=", "*=", "/=", "%=", "^=", "==", "<=", ">=", "!=", "++", "--", "&&", "||", ">>", "!~", "**", "{", "}", "(", ")", "[", "]", ";", ",", "+", "-", "*", "/", "%", "^", "!", ">", "<", "|", "?", ":", "~", "$", "="];

function lex(src: string): Tok[] {
  const list: Tok[] = [];
  let line = 1;
  /** Each token carries its line, for messages. */
  const toks = { push: (t: Tok): void => void list.push({ ...t, line }) };
  const last = (): Tok | undefined => list[list.length - 1];
  let i = 0;
  /** Whether a `/` here starts a regex (no operand just ended). */
  const regexOk = (): boolean => {
    const p = last();
    if (p === undefined) return true;
    if (p.t === "num" || p.t === "str" || p.t === "name" || p.t === "re" || p.t === "builtin") return false;
    if (p.t === "op" && (p.v === ")" || p.v === "]" || p.v === "$" || p.v === "++" || p.v === "--")) return false;
    return true;
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === "\\" && src[i + 1] === "\n") {
      i += 2;
      line++;
      continue;
    }
    if (c === "#") {
      while (i < src.length && src[i] !== "\n") i++;
      continue;
    }
    if (c === "\n") {
      toks.push({ t: "nl" });
      line++;
      i++;
      continue;
    }
    if (/[0-9.]/.test(c) && (c !== "." || /[0-9]/.test(src[i + 1] ?? ""))) {
      const m = /^(?:0[xX][0-9a-fA-F]+|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)/.exec(src.slice(i))!;
      toks.push({ t: "num", v: Number(m[0]) });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      const w = m[0];
      i += w.length;
      if (KEYWORDS.has(w)) toks.push({ t: "kw", v: w === "func" ? "function" : w });
      else if (BUILTINS.has(w)) toks.push({ t: "builtin", v: w });
      else if (src[i] === "(") toks.push({ t: "fname", v: w });
      else toks.push({ t: "name", v: w });
      continue;
    }
    if (c === '"') {
      let s = "";
      i++;
      for (;;) {
        const d = src[i++];
        if (d === undefined || d === "\n") throw new AwkSyntaxError(`line ${line}: runaway string constant "${src.slice(src.lastIndexOf('"', i - 2) + 1, i).slice(0, 10)} ...`);
        if (d === '"') break;
        if (d === "\\") {
          const e = src[i++] ?? "";
          const map: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"', "/": "/", a: "\x07", b: "\b", f: "\f", v: "\v" };
          if (map[e] !== undefined) s += map[e];
          else if (/[0-7]/.test(e)) {
            let o = e;
            while (o.length < 3 && /[0-7]/.test(src[i] ?? "")) o += src[i++];
            s += String.fromCharCode(parseInt(o, 8));
          } else if (e === "\n") continue;
          else s += "\\" + e;
          continue;
        }
        s += d;
      }
      toks.push({ t: "str", v: s });
      continue;
    }
    if (c === "/" && regexOk()) {
      let s = "";
      i++;
      let inBracket = false;
      for (;;) {
        const d = src[i++];
        if (d === undefined || d === "\n") throw new AwkSyntaxError(`line ${line}: runaway regular expression /${s.slice(0, 10)} ...`);
        if (d === "/" && !inBracket) break;
        if (d === "[") inBracket = true;
        else if (d === "]") inBracket = false;
        if (d === "\\" && src[i] === "/") {
          s += "/";
          i++;
          continue;
        }
        if (d === "\\") {
          s += d + (src[i++] ?? "");
          continue;
        }
        s += d;
      }
      toks.push({ t: "re", v: s });
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op === undefined) throw new AwkSyntaxError(`line ${line}: unexpected character '${c}'`);
    toks.push({ t: "op", v: op === "**" ? "^" : op });
    i += op.length;
  }
  toks.push({ t: "eof" });
  return list;
}

export function parseAwk(src: string): Program {
  return new Parser(lex(src)).program();
}

class Parser {
  private p = 0;
  private readonly funcs = new Map<string, { params: string[]; body: Stmt[] }>();
  /** Inside `print`'s arguments (outside parentheses) a `>` is a redirection. */
  private noGt = 0;

  constructor(private readonly toks: Tok[]) {}

  private peek(o = 0): Tok {
    return this.toks[this.p + o]!;
  }
  private is(t: Tok["t"], v?: string): boolean {
    const k = this.peek();
    return k.t === t && (v === undefined || (k as { v?: unknown }).v === v);
  }
  private isOp(v: string): boolean {
    return this.is("op", v);
  }
  private next(): Tok {
    return this.toks[this.p++]!;
  }
  private fail(what?: string): never {
    const k = this.peek();
    const near = k.t === "eof" ? "end of file" : k.t === "nl" ? "end of line" : k.t === "str" ? `"${k.v}"` : String((k as { v: unknown }).v);
    throw new AwkSyntaxError(`line ${k.line ?? 1}: ${what ?? `syntax error at or near ${near}`}`);
  }
  private expectOp(v: string): void {
    if (!this.isOp(v)) this.fail();
    this.p++;
  }
  private nls(): void {
    while (this.is("nl")) this.p++;
  }
  private terms(): void {
    while (this.is("nl") || this.isOp(";")) this.p++;
  }

  program(): Program {
    const items: Item[] = [];
    this.terms();
    while (!this.is("eof")) {
      if (this.is("kw", "function")) this.func();
      else items.push(this.item());
      this.terms();
    }
    return { items, funcs: this.funcs };
  }

  private func(): void {
    this.p++;
    const n = this.next();
    if (n.t !== "name" && n.t !== "fname") this.fail();
    this.expectOp("(");
    const params: string[] = [];
    while (!this.isOp(")")) {
      const a = this.next();
      if (a.t !== "name") this.fail();
      params.push(a.v);
      if (this.isOp(",")) {
        this.p++;
        this.nls();
      }
    }
    this.p++;
    this.nls();
    this.funcs.set((n as { v: string }).v, { params, body: this.blockBody() });
  }

  private item(): Item {
    let pattern: Item["pattern"] = null;
    if (this.is("kw", "BEGIN")) {
      this.p++;
      pattern = { k: "begin" };
    } else if (this.is("kw", "END")) {
      this.p++;
      pattern = { k: "end" };
    } else if (!this.isOp("{")) {
      const a = this.expr();
      if (this.isOp(",")) {
        this.p++;
        this.nls();
        pattern = { k: "range", a, b: this.expr() };
      } else pattern = { k: "expr", e: a };
    }
    if (this.isOp("{")) return { pattern, action: this.blockBody() };
    if (pattern?.k === "begin" || pattern?.k === "end") this.fail();
    return { pattern, action: null };
  }

  private blockBody(): Stmt[] {
    this.expectOp("{");
    const body: Stmt[] = [];
    this.terms();
    while (!this.isOp("}")) {
      if (this.is("eof")) this.fail();
      body.push(this.stmt());
      this.terms();
    }
    this.p++;
    return body;
  }

  private simpleEnd(): void {
    if (this.isOp(";") || this.is("nl")) this.p++;
    else if (!this.isOp("}") && !this.is("eof")) this.fail();
  }

  private stmt(): Stmt {
    const t = this.peek();
    if (t.t === "op" && t.v === "{") return { k: "block", body: this.blockBody() };
    if (t.t === "op" && t.v === ";") {
      this.p++;
      return { k: "block", body: [] };
    }
    if (t.t === "kw") {
      switch (t.v) {
        case "if": {
          this.p++;
          this.expectOp("(");
          const c = this.expr();
          this.expectOp(")");
          this.nls();
          const a = this.stmt();
          const save = this.p;
          this.terms();
          if (this.is("kw", "else")) {
            this.p++;
            this.nls();
            return { k: "if", c, a, b: this.stmt() };
          }
          this.p = save;
          return { k: "if", c, a, b: null };
        }
        case "while": {
          this.p++;
          this.expectOp("(");
          const c = this.expr();
          this.expectOp(")");
          if (this.isOp(";")) {
            this.p++;
            return { k: "while", c, body: { k: "block", body: [] } };
          }
          this.nls();
          return { k: "while", c, body: this.stmt() };
        }
        case "do": {
          this.p++;
          this.nls();
          const body = this.stmt();
          this.terms();
          if (!this.is("kw", "while")) this.fail();
          this.p++;
          this.expectOp("(");
          const c = this.expr();
          this.expectOp(")");
          this.simpleEnd();
          return { k: "do", c, body };
        }
        case "for": {
          this.p++;
          this.expectOp("(");
          if (this.is("name") && this.peek(1).t === "kw" && (this.peek(1) as { v: string }).v === "in" && this.peek(2).t === "name" && this.peek(3).t === "op" && (this.peek(3) as { v: string }).v === ")") {
            const v = (this.next() as { v: string }).v;
            this.p++;
            const arr = (this.next() as { v: string }).v;
            this.p++;
            this.nls();
            return { k: "forin", v, arr, body: this.stmt() };
          }
          const init = this.isOp(";") ? null : this.simple();
          this.expectOp(";");
          this.nls();
          const c = this.isOp(";") ? null : this.expr();
          this.expectOp(";");
          this.nls();
          const step = this.isOp(")") ? null : this.simple();
          this.expectOp(")");
          if (this.isOp(";")) {
            this.p++;
            return { k: "for", init, c, step, body: { k: "block", body: [] } };
          }
          this.nls();
          return { k: "for", init, c, step, body: this.stmt() };
        }
        case "next":
          this.p++;
          this.simpleEnd();
          return { k: "next" };
        case "break":
          this.p++;
          this.simpleEnd();
          return { k: "break" };
        case "continue":
          this.p++;
          this.simpleEnd();
          return { k: "continue" };
        case "exit":
        case "return": {
          this.p++;
          const e = this.isOp(";") || this.isOp("}") || this.is("nl") || this.is("eof") ? null : this.expr();
          this.simpleEnd();
          return t.v === "exit" ? { k: "exit", e } : { k: "return", e };
        }
        case "delete": {
          this.p++;
          const n = this.next();
          if (n.t !== "name") this.fail();
          let subs: Expr[] | null = null;
          if (this.isOp("[")) {
            this.p++;
            subs = this.exprList("]");
          }
          this.simpleEnd();
          return { k: "delete", name: n.v, subs };
        }
      }
    }
    const s = this.simple();
    this.simpleEnd();
    return s;
  }

  private simple(): Stmt {
    if (this.is("kw", "print") || this.is("kw", "printf")) {
      const printf = (this.next() as { v: string }).v === "printf";
      let args: Expr[] = [];
      this.noGt++;
      if (this.isOp("(")) {
        // print (a, b) > file: a parenthesized list, unless it is only the first operand of more
        const save = this.p;
        this.p++;
        this.noGt--;
        const list = this.exprList(")");
        this.noGt++;
        if (this.isOp(";") || this.isOp("}") || this.is("nl") || this.is("eof") || this.isOp(">") || this.isOp(">>") || this.isOp("|")) args = list;
        else {
          this.p = save;
          args = this.printArgs();
        }
      } else if (!(this.isOp(";") || this.isOp("}") || this.is("nl") || this.is("eof") || this.isOp(">") || this.isOp(">>") || this.isOp("|"))) args = this.printArgs();
      this.noGt--;
      let redir: { op: string; e: Expr } | null = null;
      if (this.isOp(">") || this.isOp(">>") || this.isOp("|")) {
        const op = (this.next() as { v: string }).v;
        // the target is a whole expression, as in mawk's grammar (`print "x" > "a" > "b"` writes to a file named 0)
        const noGt = this.noGt;
        this.noGt = 0;
        redir = { op, e: this.expr() };
        this.noGt = noGt;
      }
      if (printf && args.length === 0) this.fail();
      return { k: "print", args, printf, redir };
    }
    return { k: "expr", e: this.expr() };
  }

  private printArgs(): Expr[] {
    const out = [this.expr()];
    while (this.isOp(",")) {
      this.p++;
      this.nls();
      out.push(this.expr());
    }
    return out;
  }

  private exprList(close: string): Expr[] {
    const out: Expr[] = [];
    this.nls();
    while (!this.isOp(close)) {
      out.push(this.expr());
      this.nls();
      if (this.isOp(",")) {
        this.p++;
        this.nls();
      } else if (!this.isOp(close)) this.fail();
    }
    this.p++;
    return out;
  }

  expr(): Expr {
    return this.ternary();
  }

  private isLvalue(e: Expr): boolean {
    return e.k === "var" || e.k === "field" || e.k === "idx";
  }

  private ternary(): Expr {
    const c = this.or();
    if (this.isOp("?")) {
      this.p++;
      this.nls();
      const a = this.ternary();
      this.nls();
      this.expectOp(":");
      this.nls();
      return { k: "cond", c, a, b: this.ternary() };
    }
    const t = this.peek();
    if (t.t === "op" && ["=", "+=", "-=", "*=", "/=", "%=", "^="].includes(t.v) && this.isLvalue(c)) {
      this.p++;
      this.nls();
      return { k: "assign", op: t.v, target: c, e: this.ternary() };
    }
    return c;
  }

  private or(): Expr {
    let a = this.and();
    while (this.isOp("||")) {
      this.p++;
      this.nls();
      a = { k: "bin", op: "||", a, b: this.and() };
    }
    return a;
  }

  private and(): Expr {
    let a = this.inOp();
    while (this.isOp("&&")) {
      this.p++;
      this.nls();
      a = { k: "bin", op: "&&", a, b: this.inOp() };
    }
    return a;
  }

  private inOp(): Expr {
    let a = this.matchOp();
    while (this.is("kw", "in")) {
      this.p++;
      const n = this.next();
      if (n.t !== "name") this.fail();
      a = { k: "in", subs: a.k === "tuple" ? a.list : [a], name: n.v };
    }
    return a;
  }

  private matchOp(): Expr {
    let a = this.compare();
    while (this.isOp("~") || this.isOp("!~")) {
      const neg = (this.next() as { v: string }).v === "!~";
      a = { k: "match", neg, e: a, re: this.compare() };
    }
    return a;
  }

  private compare(): Expr {
    const a = this.pipeGetline();
    const t = this.peek();
    if (t.t === "op" && ["<", "<=", "!=", "==", ">=", ">"].includes(t.v) && !(t.v === ">" && this.noGt > 0)) {
      this.p++;
      return { k: "bin", op: t.v, a, b: this.concat() };
    }
    return a;
  }

  /** `cmd | getline [var]`, left-associative over a concatenation (`"cmd" | getline > 0` compares its result). */
  private pipeGetline(): Expr {
    let a = this.concat();
    while (this.isOp("|") && this.peek(1).t === "kw" && (this.peek(1) as { v: string }).v === "getline") {
      this.p += 2;
      let target: Expr | null = null;
      if (this.is("name") || this.isOp("$")) target = this.primary();
      a = { k: "getline", target, file: null, cmd: a };
    }
    return a;
  }

  /** Whether the next token can start an operand of a concatenation. */
  private startsOperand(): boolean {
    const t = this.peek();
    if (t.t === "num" || t.t === "str" || t.t === "re" || t.t === "name" || t.t === "fname" || t.t === "builtin") return true;
    if (t.t === "op") return ["$", "!", "(", "-", "+", "++", "--"].includes(t.v);
    return t.t === "kw" && t.v === "getline";
  }

  private concat(): Expr {
    let a = this.additive();
    while (this.startsOperand() && !this.is("kw", "in")) {
      const t = this.peek();
      if (t.t === "op" && (t.v === "+" || t.v === "-")) break;
      a = { k: "bin", op: "cat", a, b: this.additive() };
    }
    return a;
  }

  private additive(): Expr {
    let a = this.mul();
    while (this.isOp("+") || this.isOp("-")) {
      const op = (this.next() as { v: string }).v;
      a = { k: "bin", op, a, b: this.mul() };
    }
    return a;
  }

  private mul(): Expr {
    let a = this.unary();
    while (this.isOp("*") || this.isOp("/") || this.isOp("%")) {
      const op = (this.next() as { v: string }).v;
      a = { k: "bin", op, a, b: this.unary() };
    }
    return a;
  }

  private unary(): Expr {
    if (this.isOp("!")) {
      this.p++;
      return { k: "un", op: "!", e: this.unary() };
    }
    if (this.isOp("-") || this.isOp("+")) {
      const op = (this.next() as { v: string }).v;
      return { k: "un", op, e: this.unary() };
    }
    return this.power();
  }

  private power(): Expr {
    const a = this.postfix();
    if (this.isOp("^")) {
      this.p++;
      // right-associative, and binds tighter than a unary minus on its right
      const b = this.isOp("-") || this.isOp("+") || this.isOp("!") ? this.unary() : this.power();
      return { k: "bin", op: "^", a, b };
    }
    return a;
  }

  private postfix(): Expr {
    if (this.isOp("++") || this.isOp("--")) {
      const op = (this.next() as { v: string }).v as "++" | "--";
      const target = this.postfix();
      if (!this.isLvalue(target)) this.fail();
      return { k: "incdec", op, prefix: true, target };
    }
    const e = this.primary();
    if ((this.isOp("++") || this.isOp("--")) && this.isLvalue(e)) {
      const op = (this.next() as { v: string }).v as "++" | "--";
      return { k: "incdec", op, prefix: false, target: e };
    }
    return e;
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.t) {
      case "num": return { k: "num", v: t.v };
      case "str": return { k: "str", v: t.v };
      case "re": return { k: "re", src: t.v };
      case "name":
        if (this.isOp("[")) {
          this.p++;
          return { k: "idx", name: t.v, subs: this.exprList("]") };
        }
        return { k: "var", name: t.v };
      case "fname": {
        this.expectOp("(");
        return { k: "call", name: t.v, args: this.exprList(")") };
      }
      case "builtin": {
        if (!this.isOp("(")) {
          if (t.v === "length") return { k: "call", name: "length", args: [] };
          this.fail();
        }
        this.p++;
        const noGt = this.noGt;
        this.noGt = 0;
        const args = this.exprList(")");
        this.noGt = noGt;
        return { k: "call", name: t.v, args };
      }
      case "op":
        if (t.v === "$") return { k: "field", e: this.postfixNoIncdec() };
        if (t.v === "(") {
          const noGt = this.noGt;
          this.noGt = 0;
          const list = this.exprList(")");
          this.noGt = noGt;
          if (list.length === 1) return { k: "group", e: list[0]! };
          if (list.length > 1 && this.is("kw", "in")) return { k: "tuple", list };
          this.fail();
        }
        break;
      case "kw":
        if (t.v === "getline") {
          let target: Expr | null = null;
          if (this.is("name") || this.isOp("$")) target = this.primary();
          let file: Expr | null = null;
          if (this.isOp("<")) {
            this.p++;
            file = this.primary();
          }
          return { k: "getline", target, file, cmd: null };
        }
    }
    this.p--;
    this.fail();
  }

  /** `$` binds tighter than ++/--: `$i++` is `($i)++`. */
  private postfixNoIncdec(): Expr {
    if (this.isOp("-") || this.isOp("!") || this.isOp("+")) {
      const op = (this.next() as { v: string }).v;
      return { k: "un", op, e: this.postfixNoIncdec() };
    }
    if (this.isOp("++") || this.isOp("--")) return this.postfix();
    return this.primary();
  }
}
