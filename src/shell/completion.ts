/**
 * Tab completion for the interactive shell, as readline does it for bash:
 * command names (builtins, keywords, functions, aliases, executables on
 * PATH) at a command position, otherwise paths (directories with a `/`).
 */
import type { Vfs } from "../kernfs/vfs.js";
import { byteCompare, joinPath } from "./pattern.js";

/** Command position: the start of the line or after `|`, `;`, `&`, `(`, `{`, `!`, a keyword, or assignments. */
function atCommandPosition(before: string): boolean {
  const toks = before.split(/\s+/).filter((t) => t !== "");
  for (let i = toks.length - 1; i >= 0; i--) {
    const t = toks[i]!;
    if (/[|;&({]$/.test(t) || t === "!" || ["then", "do", "else", "elif", "if", "while", "until", "time", "sudo", "exec", "command"].includes(t)) return true;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(t)) continue;
    return false;
  }
  return true;
}

/** What completion needs of a shell: its file system, variables, directory and the names it runs without PATH. */
export interface CompletionScope {
  vfs: Vfs;
  cwd: string;
  getVar(name: string): string | undefined;
  abs(p: string): string;
  /** Builtins, keywords, functions and aliases. */
  ownNames(): string[];
}

/** Tab completion of the word before `cursor`: command names at a command position, else paths. */
export function completeLine(sh: CompletionScope, line: string, cursor: number): { start: number; candidates: string[] } {
  const before = line.slice(0, cursor);
  let start = cursor;
  while (start > 0 && !/[\s|;&<>(){}]/.test(before[start - 1]!)) start--;
  const word = before.slice(start);
  const vfs = sh.vfs;
  const out = new Set<string>();
  if (!word.includes("/") && atCommandPosition(before.slice(0, start))) {
    const names = sh.ownNames();
    for (const dir of (sh.getVar("PATH") ?? "").split(":")) {
      try {
        for (const n of vfs.readdir(sh.abs(dir || "."))) {
          const node = vfs.lookup(joinPath(sh.abs(dir || "."), n));
          if (node !== undefined && node.kind !== "dir" && (node.mode & 0o111) !== 0) names.push(n);
        }
      } catch {
        /* a PATH entry that is not a directory */
      }
    }
    for (const n of names) if (n.startsWith(word)) out.add(n);
    return { start, candidates: [...out].sort(byteCompare) };
  }
  // a path: complete the last component in its directory
  const home = sh.getVar("HOME") ?? "/";
  const expanded = word.startsWith("~/") ? home + word.slice(1) : word;
  const slash = expanded.lastIndexOf("/");
  const dirPart = slash < 0 ? "" : expanded.slice(0, slash + 1);
  const shownDir = slash < 0 ? "" : word.slice(0, word.lastIndexOf("/") + 1);
  const base = expanded.slice(slash + 1);
  const dir = dirPart === "" ? sh.cwd : sh.abs(dirPart);
  let entries: string[];
  try {
    entries = vfs.readdir(dir);
  } catch {
    return { start, candidates: [] };
  }
  for (const n of entries) {
    if (!n.startsWith(base) || (base === "" && n.startsWith("."))) continue;
    let isDir = false;
    try {
      isDir = vfs.stat(joinPath(dir, n)).type === "dir";
    } catch {
      /* a dangling link */
    }
    out.add(shownDir + n + (isDir ? "/" : ""));
  }
  return { start, candidates: [...out].sort(byteCompare) };
}
