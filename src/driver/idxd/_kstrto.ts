/**
 * lib/kstrtox.c parsers as the idxd sysfs stores use them: the whole string
 * (one trailing newline allowed) must be a number, else -EINVAL; too large →
 * -ERANGE. Values are JS numbers (exact below 2^53; larger u64 values are
 * rounded, which no idxd attribute can hold anyway).
 */
import { Errno } from "../../lib/errno.js";

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

/** sysfs_streq(): equal, ignoring one trailing newline on either side. */
export function sysfsStreq(a: string, b: string): boolean {
  const x = a.endsWith("\n") ? a.slice(0, -1) : a;
  const y = b.endsWith("\n") ? b.slice(0, -1) : b;
  return x === y;
}
