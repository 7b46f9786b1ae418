/**
 * Reading the machine's own files for the dashboard: every value it shows
 * comes through the VFS, as `cat` would see it, and a file that is missing or
 * unreadable is `null` (a module not loaded, zswap's debugfs not yet created).
 */
import type { Vfs } from "../../kernfs/vfs.js";

/** The text of a file, or null when reading it fails. */
export function readText(vfs: Vfs, path: string): string | null {
  try {
    return vfs.readText(path);
  } catch {
    return null;
  }
}

/** The first line of an attribute without its newline, or null. */
export function readAttr(vfs: Vfs, path: string): string | null {
  const t = readText(vfs, path);
  if (t === null) return null;
  const nl = t.indexOf("\n");
  return nl < 0 ? t : t.slice(0, nl);
}

/** A numeric attribute, or null. */
export function readNumber(vfs: Vfs, path: string): number | null {
  const a = readAttr(vfs, path);
  if (a === null || a.trim() === "") return null;
  const n = Number(a.trim());
  return Number.isFinite(n) ? n : null;
}

/** Directory entries, or [] when the directory is missing. */
export function readDir(vfs: Vfs, path: string): string[] {
  try {
    return vfs.readdir(path);
  } catch {
    return [];
  }
}

/** A symlink's target, or null. */
export function readLink(vfs: Vfs, path: string): string | null {
  try {
    return vfs.readlink(path);
  } catch {
    return null;
  }
}

/** Natural order of sysfs names: iax1 < iax3 < iax11, wq1.0 < wq1.10. */
export function byNumber(a: string, b: string): number {
  const na = a.match(/\d+/g)?.map(Number) ?? [];
  const nb = b.match(/\d+/g)?.map(Number) ?? [];
  for (let i = 0; i < Math.max(na.length, nb.length); i++) {
    const d = (na[i] ?? -1) - (nb[i] ?? -1);
    if (d !== 0) return d;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `key: value` lines (any indentation) into a record of numbers. */
export function parseColonNumbers(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const m = /^\s*([A-Za-z_][\w]*):\s*(-?\d+)\s*$/.exec(line);
    if (m !== null) out[m[1]!] = Number(m[2]);
  }
  return out;
}
