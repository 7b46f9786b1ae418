/**
 * printf and sprintf for awk: C's conversions (%c %d %i %o %u %x %X %e %E
 * %f %F %g %G %s %%) with flags, width and precision (`*` from the
 * arguments), numbers taken from any value and %c of a number its
 * character, as mawk formats them.
 */
import { AwkRuntimeError, toNum, type Val } from "./awk_value.js";

/** C printf conversions for awk (numbers from any value, %c of a number its character). */
export function awkSprintf(fmt: string, args: Val[], str: (v: Val) => string, fn = "printf"): string {
  let out = "";
  let ai = 0;
  const arg = (): Val => {
    if (ai >= args.length) throw new AwkRuntimeError(`not enough arguments passed to ${fn}("${fmt}")`);
    return args[ai++]!;
  };
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if (c !== "%") {
      out += c;
      continue;
    }
    const m = /^%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?([cdiouxXeEfFgGs%])/.exec(fmt.slice(i));
    if (m === null) {
      out += c;
      continue;
    }
    i += m[0].length - 1;
    const flags = m[1]!;
    let width = m[2] === "*" ? Math.trunc(toNum(arg())) : m[2] !== undefined ? Number(m[2]) : 0;
    let left = flags.includes("-");
    if (width < 0) {
      left = true;
      width = -width;
    }
    const precRaw = m[3] === "*" ? String(Math.trunc(toNum(arg()))) : m[3];
    const prec = precRaw === undefined ? undefined : precRaw === "" ? 0 : Number(precRaw);
    const conv = m[4]!;
    if (conv === "%") {
      out += "%";
      continue;
    }
    let body: string;
    let signOk = false;
    if (conv === "s" || conv === "c") {
      const v = arg();
      let s = conv === "c" && typeof v === "number" ? String.fromCharCode(Math.trunc(v) & 0xff) : str(v);
      if (conv === "c") s = s.slice(0, 1);
      else if (prec !== undefined) s = s.slice(0, prec);
      body = s;
    } else {
      const n = toNum(arg());
      signOk = true;
      if ("diouxX".includes(conv)) {
        let t = Number.isFinite(n) ? Math.trunc(n) : n;
        if (conv === "u" || conv === "o" || conv === "x" || conv === "X") t = t < 0 ? t + 2 ** 64 : t;
        let d = !Number.isFinite(t) ? String(t) : conv === "o" ? t.toString(8) : conv === "x" ? t.toString(16) : conv === "X" ? t.toString(16).toUpperCase() : String(Math.abs(t));
        if (prec !== undefined) d = d.padStart(prec, "0");
        if (flags.includes("#") && conv === "o" && !d.startsWith("0")) d = "0" + d;
        if (flags.includes("#") && (conv === "x" || conv === "X") && t !== 0) d = (conv === "x" ? "0x" : "0X") + d;
        body = (conv === "d" || conv === "i") && t < 0 ? "-" + d : d;
        if ((conv === "d" || conv === "i") && t >= 0) body = (flags.includes("+") ? "+" : flags.includes(" ") ? " " : "") + body;
      } else {
        body = formatFloat(n, conv, prec ?? 6, flags);
      }
    }
    if (body.length < width) {
      if (left) body = body.padEnd(width);
      else if (flags.includes("0") && signOk && !(prec !== undefined && "diouxX".includes(conv))) {
        const sign = /^[+\- ]|^0[xX]/.exec(body)?.[0] ?? "";
        body = sign + body.slice(sign.length).padStart(width - sign.length, "0");
      } else body = body.padStart(width);
    }
    out += body;
  }
  return out;
}

/** %e %f %g as C prints them (two-digit exponents at least; %g without trailing zeros unless `#`). */
function formatFloat(n: number, conv: string, prec: number, flags: string): string {
  const sign = n < 0 || Object.is(n, -0) ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
  const a = Math.abs(n);
  if (!Number.isFinite(a)) return sign + (Number.isNaN(a) ? "nan" : "inf");
  const exp = (s: string): string => s.replace(/e([+-])(\d)$/, "e$10$2");
  let s: string;
  const lower = conv.toLowerCase();
  if (lower === "f") s = a.toFixed(prec);
  else if (lower === "e") s = exp(a.toExponential(prec));
  else {
    const p = prec === 0 ? 1 : prec;
    const x = a === 0 ? 0 : Math.floor(Math.log10(Number(a.toExponential(p - 1))));
    if (x < -4 || x >= p) s = exp(a.toExponential(p - 1));
    else s = a.toFixed(Math.max(0, p - 1 - x));
    if (!flags.includes("#")) {
      // trailing zeros of the mantissa go (and its point when nothing follows it); the exponent stays
      const k = s.indexOf("e");
      const mant = k < 0 ? s : s.slice(0, k);
      if (mant.includes(".")) s = mant.replace(/\.?0+$/, "") + (k < 0 ? "" : s.slice(k));
    }
  }
  if (conv === "E" || conv === "G") s = s.toUpperCase();
  return sign + s;
}

