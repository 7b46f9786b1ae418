/**
 * The few file operations libaccfg needs, done through the emulated VFS the
 * way the C library does them through open/read/write on sysfs.
 *
 * Reads return the text without its trailing newline (as accfg_get_param_str
 * does) or a negative errno; writes return 0 or a negative errno.
 */
import { Errno, SysError } from "../../lib/errno.js";
import type { Vfs } from "../../kernfs/vfs.js";

/** read(2) of a whole attribute; the content minus one trailing newline, or -errno. */
export function sysfsReadAttr(vfs: Vfs, path: string): string | number {
  try {
    const text = vfs.readText(path);
    if (text.length === 0) return -Errno.ENXIO;
    return text.endsWith("\n") ? text.slice(0, -1) : text;
  } catch (e) {
    if (e instanceof SysError) return -e.errno;
    throw e;
  }
}

/** One write(2) of `buf` to an attribute; 0 or -errno. */
export function sysfsWriteAttr(vfs: Vfs, path: string, buf: string): number {
  try {
    const h = vfs.open(path, { write: true });
    try {
      h.write(buf);
    } finally {
      h.close();
    }
    return 0;
  } catch (e) {
    if (e instanceof SysError) return -e.errno;
    throw e;
  }
}

/** access(path, F_OK) == 0 */
export function sysfsExists(vfs: Vfs, path: string): boolean {
  return vfs.exists(path);
}

/**
 * C strtol/strtoull(buf, NULL, base): leading blanks, sign, `0x`/`0` prefixes
 * with base 0, stops at the first bad character, 0 when nothing parses.
 * Returns the value and whether any digit was consumed and where parsing ended.
 */
export function cStrtol(buf: string, base: number): { value: number; end: number } {
  let i = 0;
  while (i < buf.length && " \t\n\v\f\r".includes(buf[i]!)) i++;
  let neg = false;
  if (buf[i] === "+" || buf[i] === "-") {
    neg = buf[i] === "-";
    i++;
  }
  let b = base;
  if ((b === 0 || b === 16) && buf[i] === "0" && (buf[i + 1] === "x" || buf[i + 1] === "X") && /[0-9a-fA-F]/.test(buf[i + 2] ?? "")) {
    i += 2;
    b = 16;
  } else if (b === 0) {
    b = buf[i] === "0" ? 8 : 10;
  }
  const start = i;
  let v = 0;
  for (; i < buf.length; i++) {
    const d = parseInt(buf[i]!, 36);
    if (Number.isNaN(d) || d >= b) break;
    v = v * b + d;
  }
  if (i === start) return { value: 0, end: 0 };
  return { value: neg ? -v : v, end: i };
}

/** accfg_get_param_long(): the attribute as a number, or -errno when it cannot be read. */
export function paramLong(vfs: Vfs, dir: string, name: string): number {
  const r = sysfsReadAttr(vfs, `${dir}/${name}`);
  if (typeof r === "number") return r;
  return cStrtol(r, 0).value;
}

/** accfg_get_param_str(): the attribute text, or null when it cannot be read. */
export function paramStr(vfs: Vfs, dir: string, name: string): string | null {
  const r = sysfsReadAttr(vfs, `${dir}/${name}`);
  return typeof r === "number" ? null : r;
}
