/**
 * The kernel's string-to-value parsers used by sysctl and module-parameter
 * writes, returning the value or a negative errno like their C originals.
 *
 * linux: lib/kstrtox.c kstrtobool(), kstrtouint(); kernel/sysctl.c
 * proc_dointvec_minmax() (one integer per write).
 */
import { Errno } from "../lib/errno.js";

/**
 * kstrtobool(): looks only at the first characters: y/Y/1/on → true,
 * n/N/0/off → false; anything else (or nothing) is -EINVAL.
 *
 * @example
 * kstrtobool("1\n"); // true
 * kstrtobool("maybe"); // -22
 */
export function kstrtobool(s: string): boolean | number {
  switch (s[0]) {
    case "y":
    case "Y":
    case "1":
      return true;
    case "n":
    case "N":
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
 * kstrtouint(s, 0): an unsigned int with an optional leading '+', base
 * auto-detected, one trailing newline allowed. -EINVAL on junk, -ERANGE above
 * UINT_MAX.
 */
export function kstrtouint(s: string): number {
  let i = 0;
  if (s[0] === "+") i = 1;
  const r = parseRadix(s, i, 0);
  if (r === null) return -Errno.EINVAL;
  let end = r.end;
  if (s[end] === "\n") end++;
  if (end !== s.length) return -Errno.EINVAL;
  if (r.value > 0xffffffff) return -Errno.ERANGE;
  return r.value;
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

/** sysfs_streq(): equal, ignoring one trailing newline on either side. */
export function sysfsStreq(a: string, b: string): boolean {
  const x = a.endsWith("\n") ? a.slice(0, -1) : a;
  const y = b.endsWith("\n") ? b.slice(0, -1) : b;
  return x === y;
}
