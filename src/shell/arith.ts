/**
 * Shell arithmetic ($((…)), ((…)), let, for ((…))): 64-bit signed integers
 * with C precedence, as bash evaluates it (variables hold expressions that are
 * evaluated recursively; && || ?: short-circuit).
 */

/** An arithmetic error; `message` is bash's text after the expression. */
export class ArithError extends Error {
  constructor(
    readonly expr: string,
    readonly what: string,
    readonly token: string | null,
  ) {
    super(token === null ? `${expr}: ${what}` : `${expr}: ${what} (error token is "${token}")`);
    this.name = "ArithError";
  }
}

/** Variable access for the evaluator. */
export interface ArithVars {
  get(name: string, index: bigint | null): string | undefined;
  set(name: string, index: bigint | null, value: bigint): void;
}

const OPS = ["<<=", ">>=", "**", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=", "+", "-", "*", "/", "%", "<", ">", "!", "~", "&", "^", "|", "?", ":", "=", "(", ")", ",", "[", "]"];

interface Tok {
  k: "num" | "id" | "op" | "end";
  v: string;
  start: number;
}

const to64 = (x: bigint): bigint => BigInt.asIntN(64, x);

class Evaluator {
  private toks: Tok[] = [];
  private i = 0;
  private noeval = 0;

  constructor(
    private readonly text: string,
    private readonly vars: ArithVars,
    private readonly depth: number,
  ) {}

  private fail(what: string, at: number | null): never {
    const e = this.text.replace(/^\s+/, "");
    throw new ArithError(e, what, at === null ? null : this.text.slice(at).replace(/^\s+/, ""));
  }

  private lex(): void {
    const s = this.text;
    let p = 0;
    while (p < s.length) {
      const c = s[p]!;
      if (c === " " || c === "\t" || c === "\n") {
        p++;
        continue;
      }
      const start = p;
      if (/[0-9]/.test(c)) {
        const m = /^[0-9A-Za-z_@#]+/.exec(s.slice(p))!;
        this.toks.push({ k: "num", v: m[0], start });
        p += m[0].length;
        continue;
      }
      if (/[A-Za-z_]/.test(c)) {
        const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(p))!;
        this.toks.push({ k: "id", v: m[0], start });
        p += m[0].length;
        continue;
      }
      const op = OPS.find((o) => s.startsWith(o, p));
      if (op === undefined) this.fail("syntax error: invalid arithmetic operator", start);
      this.toks.push({ k: "op", v: op, start });
      p += op.length;
    }
    this.toks.push({ k: "end", v: "", start: s.length });
  }

  run(): bigint {
    this.lex();
    if (this.toks.length === 1) return 0n;
    const v = this.comma();
    const t = this.peek();
    if (t.k !== "end") this.fail("syntax error in expression", t.start);
    return v;
  }

  private peek(): Tok {
    return this.toks[this.i]!;
  }

  private isOp(v: string): boolean {
    const t = this.toks[this.i]!;
    return t.k === "op" && t.v === v;
  }

  private comma(): bigint {
    let v = this.assign();
    while (this.isOp(",")) {
      this.i++;
      v = this.assign();
    }
    return v;
  }

  private assign(): bigint {
    const t = this.peek();
    const n = this.toks[this.i + 1]!;
    if (t.k === "id") {
      let j = this.i + 1;
      let idxToks = false;
      if (n.k === "op" && n.v === "[") {
        // find the matching ]
        let d = 0;
        for (; j < this.toks.length; j++) {
          const x = this.toks[j]!;
          if (x.k === "op" && x.v === "[") d++;
          if (x.k === "op" && x.v === "]" && --d === 0) break;
        }
        j++;
        idxToks = true;
      }
      const op = this.toks[j];
      if (op !== undefined && op.k === "op" && ["=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "^=", "|="].includes(op.v)) {
        this.i++;
        let index: bigint | null = null;
        if (idxToks) {
          this.i++;
          index = this.comma();
          this.i++; // ]
        }
        this.i++; // op
        const rhs = this.assign();
        let v = rhs;
        if (op.v !== "=") {
          const cur = this.valueOf(t.v, index, t.start);
          v = this.binop(op.v.slice(0, -1), cur, rhs, op.start);
        }
        if (this.noeval === 0) this.vars.set(t.v, index, v);
        return v;
      }
    }
    return this.ternary();
  }

  private ternary(): bigint {
    const c = this.logor();
    if (!this.isOp("?")) return c;
    this.i++;
    if (c === 0n) this.noeval++;
    const a = this.comma();
    if (c === 0n) this.noeval--;
    if (!this.isOp(":")) this.fail("`:' expected for conditional expression", this.peek().start);
    this.i++;
    if (c !== 0n) this.noeval++;
    const b = this.ternary();
    if (c !== 0n) this.noeval--;
    return c !== 0n ? a : b;
  }

  private logor(): bigint {
    let v = this.logand();
    while (this.isOp("||")) {
      this.i++;
      if (v !== 0n) this.noeval++;
      const r = this.logand();
      if (v !== 0n) this.noeval--;
      v = v !== 0n || r !== 0n ? 1n : 0n;
    }
    return v;
  }

  private logand(): bigint {
    let v = this.bin(0);
    while (this.isOp("&&")) {
      this.i++;
      if (v === 0n) this.noeval++;
      const r = this.bin(0);
      if (v === 0n) this.noeval--;
      v = v !== 0n && r !== 0n ? 1n : 0n;
    }
    return v;
  }

  private static readonly LEVELS: string[][] = [["|"], ["^"], ["&"], ["==", "!="], ["<", ">", "<=", ">="], ["<<", ">>"], ["+", "-"], ["*", "/", "%"]];

  private bin(level: number): bigint {
    if (level === Evaluator.LEVELS.length) return this.power();
    let v = this.bin(level + 1);
    for (;;) {
      const t = this.peek();
      if (t.k !== "op" || !Evaluator.LEVELS[level]!.includes(t.v)) return v;
      this.i++;
      const rStart = this.peek().start;
      const r = this.bin(level + 1);
      v = this.binop(t.v, v, r, rStart);
    }
  }

  private binop(op: string, a: bigint, b: bigint, at: number): bigint {
    switch (op) {
      case "+": return to64(a + b);
      case "-": return to64(a - b);
      case "*": return to64(a * b);
      case "/":
      case "%":
        if (b === 0n) {
          if (this.noeval > 0) return 0n;
          this.fail("division by 0", at);
        }
        return to64(op === "/" ? a / b : a % b);
      case "<<": return to64(a << (b & 63n));
      case ">>": return to64(a >> (b & 63n));
      case "&": return a & b;
      case "|": return a | b;
      case "^": return a ^ b;
      case "==": return a === b ? 1n : 0n;
      case "!=": return a !== b ? 1n : 0n;
      case "<": return a < b ? 1n : 0n;
      case ">": return a > b ? 1n : 0n;
      case "<=": return a <= b ? 1n : 0n;
      case ">=": return a >= b ? 1n : 0n;
      case "**":
        if (b < 0n) this.fail("exponent less than 0", at);
        return to64(a ** b);
    }
    this.fail("syntax error: invalid arithmetic operator", at);
  }

  private power(): bigint {
    const base = this.unary();
    if (this.isOp("**")) {
      this.i++;
      const at = this.peek().start;
      const e = this.power();
      return this.binop("**", base, e, at);
    }
    return base;
  }

  private unary(): bigint {
    const t = this.peek();
    if (t.k === "op") {
      if (t.v === "!" || t.v === "~" || t.v === "-" || t.v === "+") {
        this.i++;
        const v = this.unary();
        if (t.v === "!") return v === 0n ? 1n : 0n;
        if (t.v === "~") return to64(~v);
        return t.v === "-" ? to64(-v) : v;
      }
      if (t.v === "++" || t.v === "--") {
        this.i++;
        const id = this.peek();
        if (id.k !== "id") this.fail("syntax error: operand expected", id.start);
        this.i++;
        const index = this.maybeIndex();
        const v = to64(this.valueOf(id.v, index, id.start) + (t.v === "++" ? 1n : -1n));
        if (this.noeval === 0) this.vars.set(id.v, index, v);
        return v;
      }
    }
    return this.postfix();
  }

  private maybeIndex(): bigint | null {
    if (!this.isOp("[")) return null;
    this.i++;
    const v = this.comma();
    if (!this.isOp("]")) this.fail("syntax error: invalid arithmetic operator", this.peek().start);
    this.i++;
    return v;
  }

  private postfix(): bigint {
    const t = this.peek();
    if (t.k === "id") {
      this.i++;
      const index = this.maybeIndex();
      const v = this.valueOf(t.v, index, t.start);
      if (this.isOp("++") || this.isOp("--")) {
        const inc = this.peek().v === "++" ? 1n : -1n;
        this.i++;
        if (this.noeval === 0) this.vars.set(t.v, index, to64(v + inc));
      }
      return v;
    }
    if (t.k === "num") {
      this.i++;
      return this.number(t);
    }
    if (t.k === "op" && t.v === "(") {
      this.i++;
      const v = this.comma();
      if (!this.isOp(")")) this.fail("syntax error: `)' expected", this.peek().start);
      this.i++;
      return v;
    }
    const prev = this.toks[this.i - 1];
    this.fail("syntax error: operand expected", t.k === "end" && prev !== undefined ? prev.start : t.start);
  }

  private number(t: Tok): bigint {
    const s = t.v;
    let base = 10;
    let digits = s;
    const hash = s.indexOf("#");
    if (hash >= 0) {
      base = Number(s.slice(0, hash));
      digits = s.slice(hash + 1);
      if (!(base >= 2 && base <= 64)) this.fail("invalid arithmetic base", t.start);
    } else if (/^0[xX]/.test(s)) {
      base = 16;
      digits = s.slice(2);
    } else if (s.length > 1 && s[0] === "0") {
      base = 8;
      digits = s.slice(1);
    }
    let v = 0n;
    const B = BigInt(base);
    for (const ch of digits) {
      let d: number;
      if (ch >= "0" && ch <= "9") d = ch.charCodeAt(0) - 48;
      else if (ch >= "a" && ch <= "z") d = ch.charCodeAt(0) - 97 + 10;
      else if (ch >= "A" && ch <= "Z") d = ch.charCodeAt(0) - 65 + (base <= 36 ? 10 : 36);
      else if (ch === "@") d = 62;
      else if (ch === "_") d = 63;
      else this.fail("invalid number", t.start);
      if (d >= base) this.fail("value too great for base", t.start);
      v = to64(v * B + BigInt(d));
    }
    if (digits === "") this.fail("invalid number", t.start);
    return v;
  }

  private valueOf(name: string, index: bigint | null, at: number): bigint {
    const raw = this.vars.get(name, index);
    if (raw === undefined || raw.trim() === "") return 0n;
    if (/^-?[0-9]+$/.test(raw.trim())) return to64(BigInt(raw.trim()));
    if (this.depth > 1024) this.fail("expression recursion level exceeded", at);
    return new Evaluator(raw, this.vars, this.depth + 1).run();
  }
}

/** Evaluates an arithmetic expression; throws {@link ArithError}. */
export function evalArith(text: string, vars: ArithVars): bigint {
  return new Evaluator(text, vars, 0).run();
}
