/**
 * stat's format strings (GNU coreutils 9.1 stat.c print_it()): `%`
 * directives with printf flags, width and precision, the H/L modifiers of
 * %d and %r, and (for --printf) backslash escapes.
 *
 * Each directive's value is a string, a signed integer (%s), an unsigned
 * one in decimal, octal (%a) or hex (%f %D %R %t %T), or seconds since the
 * epoch (%X %Y %Z %W, where a precision adds that many digits of the
 * nanoseconds). As make_format() does, each kind keeps only the flags its
 * printf conversion allows: strings `-`; signed `'-+ 0`; unsigned `'-0`;
 * octal and hex `-#0`.
 */

/** A directive's value. */
export type StatValue =
  | { kind: "string"; v: string }
  | { kind: "int"; v: number }
  | { kind: "uint"; v: number; radix?: 8 | 16 }
  | { kind: "epoch"; sec: number; ns: number };

/** The value of directive `letter` (with modifier `mod`, "H" or "L" or ""), or null for an unknown one (printed as `?`). */
export type StatLookup = (letter: string, mod: string) => StatValue | null;

/** A fatal format error: stat prints what it had (`partial`), then `stat: MSG`, and exits 1. */
export class StatFormatError extends Error {
  constructor(
    message: string,
    readonly partial: string,
  ) {
    super(message);
  }
}

const PRINTF_FLAGS = "'-+ #0I";
const MAX_PAD = 1 << 20;
const ESCAPES: Record<string, string> = { a: "\x07", b: "\b", e: "\x1b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", '"': '"', "\\": "\\" };

interface Spec {
  flags: string;
  width: number;
  /** -1: none given; a point without digits is 0 (and 9 for the seconds since the epoch). */
  prec: number;
  /** The point had no digits after it. */
  bareDot?: boolean;
}

function pad(s: string, spec: Spec, zeroOk: boolean): string {
  if (s.length >= spec.width) return s;
  if (spec.flags.includes("-")) return s.padEnd(spec.width);
  if (zeroOk && spec.flags.includes("0")) {
    const sign = /^[+\- ]|^0[xX]/.exec(s)?.[0] ?? "";
    return sign + s.slice(sign.length).padStart(spec.width - sign.length, "0");
  }
  return s.padStart(spec.width);
}

/** printf %d / %u / %o / %x of `n` with the flags the kind allows. */
function formatInt(n: number, spec: Spec, signed: boolean, radix: 8 | 10 | 16): string {
  const allowed = radix !== 10 ? "-#0" : signed ? "'-+ 0" : "'-0";
  const flags = [...spec.flags].filter((f) => allowed.includes(f)).join("");
  const s: Spec = { flags, width: spec.width, prec: spec.prec };
  let digits = Math.abs(n).toString(radix);
  if (s.prec >= 0) digits = s.prec === 0 && n === 0 ? "" : digits.padStart(s.prec, "0");
  if (flags.includes("#") && radix === 8 && !digits.startsWith("0")) digits = "0" + digits;
  if (flags.includes("#") && radix === 16 && n !== 0) digits = "0x" + digits;
  const sign = n < 0 ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
  return pad(sign + digits, s, s.prec < 0);
}

function formatString(v: string, spec: Spec): string {
  const t = spec.prec >= 0 ? v.slice(0, spec.prec) : v;
  return pad(t, { flags: spec.flags.includes("-") ? "-" : "", width: spec.width, prec: -1 }, false);
}

/**
 * out_epoch_sec(): the seconds as %d, then with a precision the point and
 * that many digits of the fraction (zeros past the ninth); a width counts
 * the whole, so the seconds get what the point and fraction leave.
 */
function formatEpoch(sec: number, ns: number, spec: Spec): string {
  if (spec.prec < 0) return formatInt(sec, spec, true, 10);
  const prec = spec.bareDot === true ? 9 : spec.prec;
  let secSpec: Spec = { flags: spec.flags, width: spec.width, prec: -1 };
  if (prec > 0 && spec.width > 1) {
    const w = spec.width - 1 - prec;
    if (spec.width - 1 > 1 && w > 1) {
      // a `-` flag pads after the fraction instead
      const left = spec.flags.includes("-");
      secSpec = { flags: spec.flags.replace(/-/g, ""), width: left ? 0 : w, prec: -1 };
    } else secSpec = { flags: spec.flags, width: 0, prec: -1 };
  }
  const secText = formatInt(sec, secSpec, true, 10);
  if (prec === 0) return secText;
  const shown = Math.min(prec, 9);
  const frac = String(Math.floor(ns / 10 ** (9 - shown))).padStart(shown, "0");
  const ilen = secText.length;
  const trailingWidth = ilen < spec.width && 1 < spec.width - ilen ? spec.width - ilen - 1 - shown : 0;
  const trailing = "0".repeat(prec - shown);
  return `${secText}.${frac}${trailing.padEnd(trailingWidth)}`;
}

function formatValue(v: StatValue, spec: Spec): string {
  switch (v.kind) {
    case "string": return formatString(v.v, spec);
    case "int": return formatInt(v.v, spec, true, 10);
    case "uint": return formatInt(v.v, spec, false, v.radix ?? 10);
    case "epoch": return formatEpoch(v.sec, v.ns, spec);
  }
}

/**
 * Expands `format` for one file. `escapes`: interpret backslash escapes
 * (--printf); `warn` gets GNU's warnings (an unknown escape, a backslash at
 * the end). Throws StatFormatError (with the text so far in `partial`) for
 * an invalid directive.
 */
export function expandStatFormat(format: string, lookup: StatLookup, escapes: boolean, warn: (msg: string) => void, quote: (s: string) => string): string {
  let out = "";
  let i = 0;
  const n = format.length;
  while (i < n) {
    const c = format[i]!;
    if (c === "%") {
      let j = i + 1;
      while (j < n && PRINTF_FLAGS.includes(format[j]!)) j++;
      const flagsEnd = j;
      while (j < n && /[0-9]/.test(format[j]!)) j++;
      const widthEnd = j;
      let prec = -1;
      let bareDot = false;
      if (format[j] === ".") {
        j++;
        const p0 = j;
        while (j < n && /[0-9]/.test(format[j]!)) j++;
        bareDot = p0 === j;
        prec = bareDot ? 0 : Number(format.slice(p0, j));
      }
      const directive = format.slice(i, j);
      // widths and precisions past 2^20 are cut there (GNU would print gigabytes of padding)
      const spec: Spec = { flags: format.slice(i + 1, flagsEnd), width: Math.min(MAX_PAD, Number(format.slice(flagsEnd, widthEnd) || "0")), prec: Math.min(MAX_PAD, prec), bareDot };
      const letter = format[j];
      if (letter === undefined || letter === "%") {
        if (directive.length > 1) throw new StatFormatError(`${quote(directive + (letter ?? ""))}: invalid directive`, out);
        out += "%";
        i = letter === undefined ? j : j + 1;
        continue;
      }
      let mod = "";
      let l = letter;
      if ((letter === "H" || letter === "L") && (format[j + 1] === "d" || format[j + 1] === "r")) {
        mod = letter;
        l = format[j + 1]!;
        j++;
      }
      const v = lookup(l, mod);
      out += v === null ? "?" : formatValue(v, spec);
      i = j + 1;
      continue;
    }
    if (c === "\\" && escapes) {
      const next = format[i + 1];
      if (next === undefined) {
        warn("warning: backslash at end of format");
        out += "\\";
        i++;
        continue;
      }
      if (/[0-7]/.test(next)) {
        let k = i + 1;
        let v = 0;
        while (k < n && k < i + 4 && /[0-7]/.test(format[k]!)) v = v * 8 + Number(format[k++]);
        out += String.fromCharCode(v & 0xff);
        i = k;
        continue;
      }
      if (next === "x" && /[0-9a-fA-F]/.test(format[i + 2] ?? "")) {
        const hex = /^[0-9a-fA-F]{1,2}/.exec(format.slice(i + 2))![0];
        out += String.fromCharCode(parseInt(hex, 16));
        i += 2 + hex.length;
        continue;
      }
      const e = ESCAPES[next];
      if (e === undefined) warn(`warning: unrecognized escape '\\${next}'`);
      out += e ?? next;
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}
