/**
 * The kernel's string-to-value parsers that sysfs stores, module parameters
 * and sysctls use, returning the value or a negative errno like their C
 * originals: the whole string (one trailing newline allowed) must be a number.
 * Values are JS numbers (exact below 2^53).
 *
 * linux: lib/kstrtox.c (kstrtobool, kstrtoull, kstrtouint, kstrtol),
 * lib/string.c sysfs_streq(), kernel/sysctl.c proc_dointvec_minmax().
 */
import { Errno } from "./errno.js";

/**
 * kstrtobool(): only the first one or two characters count: y/Y/t/T/1 and
 * "on" → true, n/N/f/F/0 and "of…" → false; anything else is -EINVAL.
 *
 * @example
 * kstrtobool("1\n"); // true
 * kstrtobool("maybe"); // -22
 */
export function kstrtobool(s: string): boolean | number {
  switch (s[0]) {
    case "y":
    case "Y":
    case "t":
    case "T":
    case "1":
      return true;
    case "n":
    case "N":
    case "f":
    case "F":
    case "0":
      return false;
    case "o":
    case "O":
      if (s[1] === "n" || s[1] === "N") return true;
      if (s[1] === "f" || s[1] === "F") return false;
      return -Errno.EINVAL;
    default:
      return -Errno.EINVAL;
  }
}

function parseUnsigned(s: string, base: number): number {
  let t = s.endsWith("\n") ? s.slice(0, -1) : s;
  if (t.startsWith("+")) t = t.slice(1);
  let b = base;
  if (b === 0) {
    if (/^0[xX][0-9a-fA-F]/.test(t)) b = 16;
    else if (t.length > 1 && t[0] === "0") b = 8;
    else b = 10;
  }
  if (b === 16 && /^0[xX]/.test(t)) t = t.slice(2);
  if (t === "") return -Errno.EINVAL;
  const digits = b === 16 ? /^[0-9a-fA-F]+$/ : b === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!digits.test(t)) return -Errno.EINVAL;
  const v = BigInt(b === 16 ? "0x" + t : b === 8 ? "0o" + t : t);
  if (v > 0xffff_ffff_ffff_ffffn) return -Errno.ERANGE;
  return Number(v);
}

/** kstrtoull(s, base): value ≥ 0, or -errno. */
export function kstrtoull(s: string, base = 10): number {
  return parseUnsigned(s, base);
}

/** kstrtouint(s, base): as kstrtoull, -ERANGE above 2^32-1. */
export function kstrtouint(s: string, base = 10): number {
  const v = parseUnsigned(s, base);
  if (v >= 0 && v > 0xffff_ffff) return -Errno.ERANGE;
  return v;
}

/** kstrtol(s, base): `{ ok: true, v }` or `{ ok: false, err }` (values may be negative). */
export function kstrtol(s: string, base = 10): { ok: true; v: number } | { ok: false; err: number } {
  const t = s.endsWith("\n") ? s.slice(0, -1) : s;
  const neg = t.startsWith("-");
  const v = parseUnsigned(neg ? t.slice(1) : t, base);
  if (v < 0 || (neg && t.slice(1).startsWith("+"))) return { ok: false, err: v < 0 ? v : -Errno.EINVAL };
  if (v > 2 ** 63) return { ok: false, err: -Errno.ERANGE };
  return { ok: true, v: neg ? -v : v };
}

/**
 * The C string a store function sees in its buffer: everything before the
 * first NUL (kernfs copies the write into a NUL-terminated page; strlen(),
 * sysfs_streq() and the kstrto*() parsers stop at an embedded NUL).
 *
 * @example
 * cstring("a\0b"); // "a"
 */
export function cstring(buf: string): string {
  const i = buf.indexOf("\0");
  return i < 0 ? buf : buf.slice(0, i);
}

/** sysfs_streq(): equal, ignoring one trailing newline on either side. */
export function sysfsStreq(a: string, b: string): boolean {
  const x = a.endsWith("\n") ? a.slice(0, -1) : a;
  const y = b.endsWith("\n") ? b.slice(0, -1) : b;
  return x === y;
}

/** Parses digits of `s` from `i` in `base` 0 (auto: 0x hex, 0 octal, else decimal). */
function parseRadix(s: string, i: number, base: number): { value: number; end: number } | null {
  if (base === 0) {
    if (s[i] === "0" && (s[i + 1] === "x" || s[i + 1] === "X") && /[0-9a-fA-F]/.test(s[i + 2] ?? "")) {
      base = 16;
      i += 2;
    } else if (s[i] === "0") base = 8;
    else base = 10;
  }
  let value = 0;
  const start = i;
  for (; i < s.length; i++) {
    const d = parseInt(s[i]!, 36);
    if (Number.isNaN(d) || d >= base) break;
    value = value * base + d;
  }
  if (i === start) return null;
  return { value, end: i };
}

/**
 * A write to a proc_dointvec_minmax() sysctl holding one int: leading
 * whitespace, an optional '-', base auto-detected, then whitespace or the end.
 * Returns the value, or -EINVAL (junk or outside [min, max]).
 *
 * @example
 * procDointvecMinmax("100\n", 0, 200); // 100
 * procDointvecMinmax("201", 0, 200); // -22
 */
export function procDointvecMinmax(s: string, min: number, max: number): number | { err: number } {
  let i = 0;
  while (i < s.length && /\s/.test(s[i]!)) i++;
  if (i === s.length) return { err: -Errno.EINVAL };
  let neg = false;
  if (s[i] === "-") {
    neg = true;
    i++;
  }
  const r = parseRadix(s, i, 0);
  if (r === null) return { err: -Errno.EINVAL };
  if (r.end < s.length && !/\s/.test(s[r.end]!)) return { err: -Errno.EINVAL };
  const v = neg ? -r.value : r.value;
  if (v < min || v > max) return { err: -Errno.EINVAL };
  return v;
}
