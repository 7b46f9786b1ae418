/**
 * awk's values: numbers, strings, input text that may be a number (a field,
 * a getline line, a -v value, ARGV and ENVIRON: mawk's "strnum"), and the
 * uninitialized value; conversions between them as mawk makes them, and
 * the run time errors every part of awk may raise.
 */

/** An uninitialized value: "" as a string, 0 as a number. */
export const UNINIT = Symbol("uninit");

/** Input text (fields, getline, -v, ARGV, ENVIRON): a number when it looks like one. */
export class StrNum {
  constructor(readonly s: string) {}
}

export type Val = number | string | StrNum | typeof UNINIT;

/** A whole string that is a number (leading and trailing blanks allowed). */
export const NUM_RE = /^[ \t\n]*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[ \t\n]*$/;
const PREFIX_RE = /^[ \t\n]*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
/** Numbers up to this print as integers (mawk's maximum-integer); larger ones with CONVFMT/OFMT. */
export const MAX_INT = 0x7fffffff;

/** A value as a number: a string's leading number, 0 when it has none. */
export function toNum(v: Val): number {
  if (typeof v === "number") return v;
  if (v === UNINIT) return 0;
  const s = typeof v === "string" ? v : v.s;
  const m = PREFIX_RE.exec(s);
  return m === null ? 0 : Number(m[0]);
}

/** Whether a comparison takes `v` as a number. */
export function looksNumeric(v: Val): boolean {
  return typeof v === "number" || v === UNINIT || (v instanceof StrNum && NUM_RE.test(v.s));
}

/** A binary arithmetic operator on two numbers (division by zero gives inf/nan, as mawk). */
export function arith(op: string, a: number, b: number): number {
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

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"', "/": "/", a: "\x07", b: "\b", f: "\f", v: "\v" };

/** Escape sequences of a `-v` or operand assignment's value (or -F), as in a string constant. */
export function unescape(s: string): string {
  return s.replace(/\\(["\\/abfnrtv]|[0-7]{1,3})/g, (_m, e: string) => ESCAPES[e] ?? String.fromCharCode(parseInt(e, 8)));
}

/** A run time error: `awk: run time error: MESSAGE` and status 2. */
export class AwkRuntimeError extends Error {}
/** An input file that cannot be read: mawk says so without "run time error:" and stops with 2. */
export class AwkOpenError extends AwkRuntimeError {}
/** SIGINT arrived: awk stops with status 130. */
export class Interrupted {}
