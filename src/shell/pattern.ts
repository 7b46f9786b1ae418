/**
 * Shell patterns (`*`, `?`, `[…]`, backslash quoting) as regular expressions,
 * and pathname expansion against the VFS.
 */
import type { Vfs } from "../kernfs/vfs.js";

const CLASSES: Record<string, string> = {
  alpha: "A-Za-z", digit: "0-9", alnum: "A-Za-z0-9", upper: "A-Z", lower: "a-z", space: " \\t\\n\\r\\f\\v",
  blank: " \\t", punct: "!-\\/:-@\\[-`{-~", xdigit: "0-9A-Fa-f", cntrl: "\\x00-\\x1f\\x7f", print: "\\x20-\\x7e", graph: "\\x21-\\x7e", word: "A-Za-z0-9_",
};

/** True when the pattern has an unescaped glob character. */
export function hasGlob(p: string): boolean {
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === "\\") i++;
    else if (c === "*" || c === "?" || c === "[") return true;
  }
  return false;
}

/** Converts a shell pattern to a regular expression source (unanchored). */
export function patternSource(p: string): string {
  let out = "";
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === "\\") {
      const n = p[i + 1];
      if (n === undefined) out += "\\\\";
      else out += escapeRe(n);
      i++;
    } else if (c === "*") out += "[\\s\\S]*";
    else if (c === "?") out += "[\\s\\S]";
    else if (c === "[") {
      const r = bracket(p, i);
      if (r === null) out += "\\[";
      else {
        out += r.re;
        i = r.end;
      }
    } else out += escapeRe(c);
  }
  return out;
}

function bracket(p: string, start: number): { re: string; end: number } | null {
  let i = start + 1;
  let neg = false;
  if (p[i] === "!" || p[i] === "^") {
    neg = true;
    i++;
  }
  let body = "";
  let first = true;
  for (; i < p.length; i++) {
    const c = p[i]!;
    if (c === "]" && !first) return { re: `[${neg ? "^" : ""}${body}]`, end: i };
    first = false;
    if (c === "[" && p[i + 1] === ":") {
      const e = p.indexOf(":]", i + 2);
      if (e > 0) {
        body += CLASSES[p.slice(i + 2, e)] ?? "";
        i = e + 1;
        continue;
      }
    }
    if (c === "\\" && i + 1 < p.length) {
      body += "\\" + p[++i];
      continue;
    }
    body += c === "-" ? "-" : /[\]\\^]/.test(c) ? "\\" + c : c;
  }
  return null;
}

function escapeRe(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? "\\" + c : c;
}

/** Whole-string match of a shell pattern. */
export function matchPattern(p: string, s: string): boolean {
  if (!hasGlob(p)) return p.replace(/\\(.)/g, "$1") === s;
  return new RegExp(`^${patternSource(p)}$`).test(s);
}

/** Removes pattern quoting (backslashes). */
export function unescapePattern(p: string): string {
  return p.replace(/\\([\s\S])/g, "$1");
}

/**
 * Pathname expansion: the sorted paths matching `pattern` (relative patterns
 * resolve against `cwd` but are returned relative), or [] when none match.
 */
export function globPaths(vfs: Vfs, cwd: string, pattern: string): string[] {
  const abs = pattern.startsWith("/");
  const comps = pattern.split("/");
  let bases: string[] = [abs ? "/" : ""];
  for (let ci = abs ? 1 : 0; ci < comps.length; ci++) {
    const comp = comps[ci]!;
    const last = ci === comps.length - 1;
    const next: string[] = [];
    if (comp === "") {
      if (last) for (const b of bases) next.push(b.endsWith("/") ? b : b + "/");
      else continue;
      bases = next;
      continue;
    }
    for (const b of bases) {
      const dirAbs = b.startsWith("/") ? b : joinPath(cwd, b === "" ? "." : b);
      if (!hasGlob(comp)) {
        const lit = unescapePattern(comp);
        const cand = b === "" ? lit : b.endsWith("/") ? b + lit : b + "/" + lit;
        if (vfs.lookup(joinPath(dirAbs, lit)) !== undefined || (!last && false)) next.push(cand);
        else if (vfs.lookup(joinPath(dirAbs, lit)) === undefined) {
          // a dangling symlink still matches as a name
          try {
            vfs.lstat(joinPath(dirAbs, lit));
            next.push(cand);
          } catch {
            /* no match */
          }
        }
        continue;
      }
      let names: string[];
      try {
        names = vfs.readdir(dirAbs);
      } catch {
        continue;
      }
      const re = new RegExp(`^${patternSource(comp)}$`);
      const dotOk = comp.startsWith(".") || comp.startsWith("\\.");
      for (const n of names.sort(byteCompare)) {
        if (n.startsWith(".") && !dotOk) continue;
        if (!re.test(n)) continue;
        const cand = b === "" ? n : b.endsWith("/") ? b + n : b + "/" + n;
        if (!last) {
          const st = vfs.lookup(joinPath(dirAbs, n));
          if (st === undefined || st.kind !== "dir") continue;
        }
        next.push(cand);
      }
    }
    bases = next;
    if (bases.length === 0) return [];
  }
  return bases.sort(byteCompare);
}

/** Byte-order string comparison (the C locale's collation). */
export function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Joins and normalises a path textually (`..` removes a component). */
export function joinPath(base: string, rel: string): string {
  const full = rel.startsWith("/") ? rel : `${base}/${rel}`;
  const out: string[] = [];
  for (const part of full.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}
