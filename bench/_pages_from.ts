/**
 * Pages from real data: a process's memory (/proc/PID/maps + /proc/PID/mem)
 * and files, cut into whole 4 KiB pages. Used by the codec benchmark's
 * corpus of unseen pages (bench/_unseen.ts) and by bench/dump_pages.ts,
 * which writes them to a file for `npm run bench:codec -- --pages FILE`.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

export const PAGE_SIZE = 4096;

/** One mapping of /proc/PID/maps that can hold data: readable, private or shared, not a device or [vvar]/[vsyscall]. */
export interface Region {
  start: number;
  end: number;
  perms: string;
  name: string;
}

/** The readable data regions of process `pid` (anonymous, heap, stack and file-backed alike). */
export function processRegions(pid: number): Region[] {
  const maps = readFileSync(`/proc/${pid}/maps`, "utf8");
  const out: Region[] = [];
  for (const line of maps.split("\n")) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (m === null || m[3][0] !== "r") continue;
    const name = m[4];
    if (name === "[vvar]" || name === "[vsyscall]" || name === "[vvar_vclock]" || name.startsWith("/dev/")) continue;
    out.push({ start: parseInt(m[1], 16), end: parseInt(m[2], 16), perms: m[3], name });
  }
  return out;
}

/**
 * Reads up to `maxPages` pages of process `pid`'s memory (regions in address
 * order; `writableOnly` keeps the rw mappings: heap, stacks, anonymous memory
 * and data segments, what swap would see). Pages that cannot be read (guard
 * pages, races with munmap) are skipped. Needs ptrace rights over `pid` (root,
 * or the same user with kernel.yama.ptrace_scope 0).
 */
export function processPages(pid: number, maxPages: number, writableOnly = true): Uint8Array[] {
  const pages: Uint8Array[] = [];
  const fd = openSync(`/proc/${pid}/mem`, "r");
  try {
    for (const r of processRegions(pid)) {
      if (writableOnly && r.perms[1] !== "w") continue;
      for (let a = r.start; a < r.end && pages.length < maxPages; a += PAGE_SIZE) {
        const page = new Uint8Array(PAGE_SIZE);
        let n = 0;
        try {
          n = readSync(fd, page, 0, PAGE_SIZE, a);
        } catch {
          break; // the rest of this region is unreadable
        }
        if (n === PAGE_SIZE) pages.push(page);
      }
      if (pages.length >= maxPages) break;
    }
  } finally {
    closeSync(fd);
  }
  return pages;
}

/** Files under `dirs` (depth-first, sorted, at most `cap`) whose path passes `pred`, sized within `size` (default: at least a page, under 8 MiB). */
export function listFiles(dirs: readonly string[], pred: (path: string) => boolean, cap: number, depth = 6, size: { min: number; max: number } = { min: PAGE_SIZE, max: 8 << 20 }): string[] {
  const out: string[] = [];
  const walk = (dir: string, d: number): void => {
    if (out.length >= cap) return;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const n of names) {
      if (out.length >= cap) return;
      const p = join(dir, n);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (d > 0) walk(p, d - 1);
      } else if (st.isFile() && st.size >= size.min && st.size < size.max && pred(p)) out.push(p);
    }
  };
  for (const dir of dirs) if (existsSync(dir)) walk(dir, depth);
  return out;
}

/** A file's bytes, gunzipped when it ends in `.gz` and `gunzip` is set; null when unreadable. */
export function readFileBytes(path: string, gunzip = false): Uint8Array | null {
  try {
    const b = readFileSync(path);
    return gunzip && path.endsWith(".gz") ? gunzipSync(b) : b;
  } catch {
    return null;
  }
}

/**
 * Whole 4 KiB pages cut from the files in `paths` (a file's tail shorter than a
 * page is dropped), at most `perFile` from each and `maxPages` in all, taken
 * evenly across each file.
 */
export function filePages(paths: readonly string[], maxPages: number, perFile = 64, gunzip = false): Uint8Array[] {
  const pages: Uint8Array[] = [];
  for (const p of paths) {
    if (pages.length >= maxPages) break;
    const b = readFileBytes(p, gunzip);
    if (b === null) continue;
    const whole = Math.floor(b.length / PAGE_SIZE);
    const take = Math.min(whole, perFile, maxPages - pages.length);
    for (let i = 0; i < take; i++) {
      const k = Math.floor((i * whole) / take);
      pages.push(new Uint8Array(b.subarray(k * PAGE_SIZE, (k + 1) * PAGE_SIZE)));
    }
  }
  return pages;
}

/** True for an ELF file (the magic number). */
export function isElf(path: string): boolean {
  try {
    const fd = openSync(path, "r");
    const m = new Uint8Array(4);
    readSync(fd, m, 0, 4, 0);
    closeSync(fd);
    return m[0] === 0x7f && m[1] === 0x45 && m[2] === 0x4c && m[3] === 0x46;
  } catch {
    return false;
  }
}
