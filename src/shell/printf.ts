/**
 * The printf builtin's formatting (bash builtins/printf.def): conversions
 * %s %b %q %c %d %i %u %x %X %o %e %f %g %%, flags, width, precision, `*`,
 * and reuse of the format while arguments remain.
 */
import { decodeEscape } from "./parser.js";

/** Result of formatting: the text, the diagnostics (without prefix) and the status. */
export interface PrintfResult {
  out: string;
  errors: string[];
  status: number;
}

/** Formats like bash's printf. */
export function formatPrintf(format: string, args: string[]): PrintfResult {
  const errors: string[] = [];
  let status = 0;
  let out = "";
  let ai = 0;
  const next = (): string | undefined => (ai < args.length ? args[ai++] : undefined);
  const num = (s: string | undefined): bigint => {
    if (s === undefined || s === "") return 0n;
    const t = s.trim();
    if (/^['"]/.test(t)) return BigInt(t.codePointAt(1) ?? 0);
    const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(t);
    if (m === null) {
      errors.push(`${s}: invalid number`);
      status = 1;
      return 0n;
    }
    let v = BigInt(m[2]!.startsWith("0") && !/^0[xX]/.test(m[2]!) && m[2]!.length > 1 ? "0o" + m[2]!.slice(1) : m[2]!);
    if (m[1] === "-") v = -v;
    if (m[0].length !== t.length) {
      errors.push(`${s}: invalid number`);
      status = 1;
    }
    return v;
  };
  for (let pass = 0; ; pass++) {
    let stop = false;
    for (let i = 0; i < format.length && !stop; i++) {
      const c = format[i]!;
      if (c === "\\") {
        const r = decodeEscape(format, i + 1, false);
        if (r.stop === true) return { out, errors, status };
        out += r.text;
        i = r.end - 1;
        continue;
      }
      if (c !== "%") {
        out += c;
        continue;
      }
      const m = /^%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?([a-zA-Z%])/.exec(format.slice(i));
      if (m === null) {
        errors.push(`\`${format.slice(i + 1, i + 2)}': invalid format character`);
        return { out, errors, status: 1 };
      }
      i += m[0].length - 1;
      const flags = m[1]!;
      let width = m[2] === "*" ? Number(num(next())) : m[2] === undefined ? 0 : Number(m[2]);
      let left = flags.includes("-");
      if (width < 0) {
        left = true;
        width = -width;
      }
      const precStr = m[3] === "*" ? String(num(next())) : m[3];
      const prec = precStr === undefined ? undefined : Number(precStr === "" ? 0 : precStr);
      const conv = m[4]!;
      const pad = (s: string, zeroOk: boolean): string => {
        if (s.length >= width) return s;
        if (left) return s + " ".repeat(width - s.length);
        if (zeroOk && flags.includes("0")) {
          const sign = /^[+\- ]/.test(s) ? s[0]! : "";
          const pre = /^[+\- ]?0[xX]/.test(s) ? s.slice(sign.length, sign.length + 2) : "";
          const body = s.slice(sign.length + pre.length);
          return sign + pre + "0".repeat(width - s.length) + body;
        }
        return " ".repeat(width - s.length) + s;
      };
      switch (conv) {
        case "%":
          out += "%";
          break;
        case "s": {
          let s = next() ?? "";
          if (prec !== undefined) s = s.slice(0, prec);
          out += pad(s, false);
          break;
        }
        case "b": {
          const a = next() ?? "";
          let s = "";
          for (let j = 0; j < a.length; j++) {
            if (a[j] === "\\") {
              const r = decodeEscape(a, j + 1, false);
              if (r.stop === true) {
                out += pad(s, false);
                return { out, errors, status };
              }
              s += r.text;
              j = r.end - 1;
            } else s += a[j];
          }
          out += pad(prec !== undefined ? s.slice(0, prec) : s, false);
          break;
        }
        case "q":
          out += pad(shellQuote(next() ?? ""), false);
          break;
        case "c":
          out += pad((next() ?? "").slice(0, 1), false);
          break;
        case "d":
        case "i":
        case "u":
        case "x":
        case "X":
        case "o": {
          let v = num(next());
          if (conv === "u" || conv === "x" || conv === "X" || conv === "o") v = BigInt.asUintN(64, v);
          let s = conv === "x" ? v.toString(16) : conv === "X" ? v.toString(16).toUpperCase() : conv === "o" ? v.toString(8) : v.toString();
          const neg = s.startsWith("-");
          if (neg) s = s.slice(1);
          if (prec !== undefined) s = s.padStart(prec, "0");
          if (flags.includes("#") && v !== 0n) s = conv === "x" ? "0x" + s : conv === "X" ? "0X" + s : conv === "o" ? "0" + s : s;
          const sign = neg ? "-" : flags.includes("+") && (conv === "d" || conv === "i") ? "+" : flags.includes(" ") && (conv === "d" || conv === "i") ? " " : "";
          out += pad(sign + s, prec === undefined);
          break;
        }
        case "f":
        case "F":
        case "e":
        case "E":
        case "g":
        case "G": {
          const a = next() ?? "0";
          const v = Number(a);
          if (Number.isNaN(v)) {
            errors.push(`${a}: invalid number`);
            status = 1;
          }
          const x = Number.isNaN(v) ? 0 : v;
          const p = prec ?? 6;
          let s = conv === "f" || conv === "F" ? x.toFixed(p) : conv === "e" || conv === "E" ? cExp(x, p) : cGen(x, p);
          if (conv === "E" || conv === "G") s = s.toUpperCase();
          if (flags.includes("+") && x >= 0) s = "+" + s;
          out += pad(s, true);
          break;
        }
        default:
          errors.push(`\`${conv}': invalid format character`);
          return { out, errors, status: 1 };
      }
    }
    if (ai >= args.length || ai === 0 || stop) break;
  }
  return { out, errors, status };
}

function cExp(x: number, p: number): string {
  const s = x.toExponential(p);
  return s.replace(/e([+-])(\d)$/, "e$10$2");
}

function cGen(x: number, p: number): string {
  if (x === 0) return "0";
  const P = p === 0 ? 1 : p;
  const e = Math.floor(Math.log10(Math.abs(x)));
  if (e < -4 || e >= P) return cExp(x, P - 1).replace(/\.?0+e/, "e");
  return x.toFixed(Math.max(0, P - 1 - e)).replace(/\.?0+$/, "");
}

/** Quotes a string for reuse as shell input (printf %q, set -x). */
export function shellQuote(s: string): string {
  if (s === "") return "''";
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(s)) return s;
  // control characters: bash's $'…' form (a backslash before a newline would be a line continuation)
  if (/[\x00-\x1f\x7f]/.test(s)) {
    const esc: Record<string, string> = { "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x07": "\\a", "\b": "\\b", "\f": "\\f", "\v": "\\v", "\x1b": "\\E", "'": "\\'", "\\": "\\\\" };
    return `$'${s.replace(/[\x00-\x1f\x7f'\\]/g, (c) => esc[c] ?? `\\${c.charCodeAt(0).toString(8).padStart(3, "0")}`)}'`;
  }
  return s.replace(/([^A-Za-z0-9_./:=@%+,\u0080-\uffff-])/g, "\\$1");
}
