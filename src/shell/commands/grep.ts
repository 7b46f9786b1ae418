/** grep: print lines matching a pattern (-i -v -c -E -F -G -q -n -w -x -l -L -h -H -o -s -e -A -B -C -m). */
import { streaming } from "../stream.js";
import { STATUS_SIGINT, type CommandContext, type StreamRun } from "../types.js";
import { eachLines, parseArgs } from "./_util.js";
import { joinPath } from "../pattern.js";

const CLASSES: Record<string, string> = { alpha: "A-Za-z", digit: "0-9", alnum: "A-Za-z0-9", upper: "A-Z", lower: "a-z", space: "\\s", blank: " \\t", punct: "!-\\/:-@\\[-`{-~", xdigit: "0-9A-Fa-f" };

/** Converts a POSIX basic or extended regular expression to a JavaScript one. */
export function posixToJs(re: string, extended: boolean): string {
  let out = "";
  for (let i = 0; i < re.length; i++) {
    const c = re[i]!;
    if (c === "[") {
      let j = i + 1;
      let body = "";
      if (re[j] === "^") {
        body += "^";
        j++;
      }
      if (re[j] === "]") {
        body += "\\]";
        j++;
      }
      for (; j < re.length && re[j] !== "]"; j++) {
        if (re[j] === "[" && re[j + 1] === ":") {
          const e = re.indexOf(":]", j);
          if (e > 0) {
            body += CLASSES[re.slice(j + 2, e)] ?? "";
            j = e + 1;
            continue;
          }
        }
        body += re[j] === "\\" ? "\\\\" : re[j];
      }
      out += `[${body}]`;
      i = j;
      continue;
    }
    if (c === "\\") {
      const n = re[i + 1];
      i++;
      if (n === undefined) out += "\\\\";
      else if (!extended && "(){}|+?".includes(n)) out += n;
      else if (n === "<" || n === ">") out += "\\b";
      else out += "\\" + n;
      continue;
    }
    if (!extended && "(){}|+?".includes(c)) {
      out += "\\" + c;
      continue;
    }
    if (c === "*" && (out === "" || out.endsWith("(") || out.endsWith("|") || out === "^")) {
      out += "\\*";
      continue;
    }
    if (c === "/") {
      out += "\\/";
      continue;
    }
    out += c;
  }
  return out;
}

/**
 * `-r`/`-R`: directory operands become the files under them, depth first in
 * directory order (GNU grep's fts walk); `-r` follows symlinks only on the
 * command line, `-R` everywhere. With no operand the walk starts at "." and
 * names are printed without "./", as GNU grep does.
 */
function expandRecursive(ctx: CommandContext, operands: string[] | null, deref: boolean): string[] {
  const out: string[] = [];
  const vfs = ctx.vfs;
  const walk = (shown: string, path: string, top: boolean): void => {
    let st;
    try {
      st = top || deref ? vfs.stat(path) : vfs.lstat(path);
    } catch {
      out.push(shown);
      return;
    }
    if (st.type === "link") return;
    if (st.type !== "dir") {
      out.push(shown);
      return;
    }
    let names: string[];
    try {
      names = vfs.readdir(path);
    } catch {
      out.push(shown);
      return;
    }
    for (const n of names) walk(shown === "" ? n : shown.endsWith("/") ? shown + n : `${shown}/${n}`, joinPath(path, n), false);
  };
  if (operands === null) walk("", ctx.cwd, true);
  else for (const f of operands) f === "-" ? out.push(f) : walk(f, ctx.resolve(f), true);
  return out;
}

function* grepRun(ctx: CommandContext): StreamRun {
  const p = parseArgs(ctx, { short: "iyvcEFGqnwxlLhHose:rRA:B:C:m:", usageStatus: 2, long: { "ignore-case": { key: "i" }, "invert-match": { key: "v" }, count: { key: "c" }, "extended-regexp": { key: "E" }, "fixed-strings": { key: "F" }, quiet: { key: "q" }, silent: { key: "q" }, "line-number": { key: "n" }, "word-regexp": { key: "w" }, "line-regexp": { key: "x" }, "files-with-matches": { key: "l" }, "files-without-match": { key: "L" }, "no-filename": { key: "h" }, "with-filename": { key: "H" }, "only-matching": { key: "o" }, "no-messages": { key: "s" }, regexp: { key: "e", arg: true }, "after-context": { key: "A", arg: true }, "before-context": { key: "B", arg: true }, context: { key: "C", arg: true }, "max-count": { key: "m", arg: true }, recursive: { key: "r" }, "dereference-recursive": { key: "R" } } });
  if (typeof p === "number") return p;
  const prog = ctx.argv[0]!;
  let patterns = p.list.filter((x) => x.key === "e").map((x) => x.value as string);
  let files = p.operands;
  if (patterns.length === 0) {
    if (files.length === 0) {
      ctx.stderr.write(`Usage: ${prog} [OPTION]... PATTERNS [FILE]...\nTry '${prog} --help' for more information.\n`);
      return 2;
    }
    patterns = [files[0]!];
    files = files.slice(1);
  }
  patterns = patterns.flatMap((x) => x.split("\n"));
  const o = p.opts;
  let srcs = patterns.map((x) => (o.has("F") ? x.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&") : posixToJs(x, o.has("E"))));
  if (o.has("w")) srcs = srcs.map((s) => `(?<![A-Za-z0-9_])(?:${s})(?![A-Za-z0-9_])`);
  if (o.has("x")) srcs = srcs.map((s) => `^(?:${s})$`);
  let re: RegExp;
  try {
    re = new RegExp(srcs.map((s) => `(?:${s})`).join("|"), o.has("i") || o.has("y") ? "gi" : "g");
  } catch {
    ctx.stderr.write(`${prog}: Unmatched ( or \\(\n`);
    return 2;
  }
  const recursive = o.has("r") || o.has("R");
  if (recursive) files = expandRecursive(ctx, files.length === 0 ? null : files, o.has("R"));
  const multi = (files.length > 1 || o.has("H") || recursive) && !o.has("h");
  // context lines: -A/-B/-C NUM (the last of each given wins; -C sets both)
  let after = 0;
  let before = 0;
  for (const x of p.list) {
    if (x.key !== "A" && x.key !== "B" && x.key !== "C") continue;
    const v = String(x.value);
    if (!/^\d+$/.test(v)) {
      ctx.stderr.write(`${prog}: ${v}: invalid context length argument\n`);
      return 2;
    }
    if (x.key !== "B") after = Number(v);
    if (x.key !== "A") before = Number(v);
  }
  const context = after > 0 || before > 0;
  // -m NUM: stop reading a file after NUM selected lines
  let maxCount = Infinity;
  for (const x of p.list) {
    if (x.key !== "m") continue;
    const v = String(x.value);
    if (!/^-?\d+$/.test(v)) {
      ctx.stderr.write(`${prog}: invalid max count\n`);
      return 2;
    }
    maxCount = Number(v) < 0 ? Infinity : Number(v);
  }
  let matchedAny = false;
  let err = false;
  const summary = o.has("l") || o.has("L") || o.has("c");
  for (const f of files.length === 0 ? ["-"] : files) {
    const name = f === "-" ? "(standard input)" : f;
    let count = 0;
    let i = -1;
    /** Last line printed (for context groups), how many trailing context lines are still owed, the lines before (for -B). */
    let lastPrinted = -1;
    let owed = 0;
    const prev: string[] = [];
    let quit = false;
    const onLines = (batch: string[]): boolean => {
      let out = "";
      const ctxLine = (k: number, l: string): void => {
        out += (multi ? `${name}-` : "") + (o.has("n") ? `${k + 1}-` : "") + l + "\n";
        lastPrinted = k;
      };
      let more = true;
      for (const raw of batch) {
        const l = raw.endsWith("\n") ? raw.slice(0, -1) : raw;
        i++;
        if (count >= maxCount) {
          // trailing context of the last selected line is still printed
          if (context && owed > 0 && !summary) {
            ctxLine(i, l);
            owed--;
            continue;
          }
          more = false;
          break;
        }
        re.lastIndex = 0;
        const hit = re.test(l);
        if (hit === o.has("v")) {
          if (context && owed > 0 && !summary) {
            ctxLine(i, l);
            owed--;
          } else if (before > 0) {
            prev.push(l);
            if (prev.length > before) prev.shift();
          }
          continue;
        }
        count++;
        matchedAny = true;
        if (o.has("q")) {
          quit = true;
          more = false;
          break;
        }
        if (summary) continue;
        if (context) {
          const from = Math.max(lastPrinted + 1, i - prev.length);
          if (lastPrinted >= 0 && from > lastPrinted + 1) out += "--\n";
          const keep = prev.slice(prev.length - (i - from));
          for (let k = 0; k < keep.length; k++) ctxLine(from + k, keep[k]!);
          prev.length = 0;
          lastPrinted = i;
          owed = after;
        }
        const pre = (multi ? `${name}:` : "") + (o.has("n") ? `${i + 1}:` : "");
        if (o.has("o") && !o.has("v")) {
          re.lastIndex = 0;
          for (const m of l.matchAll(re)) if (m[0] !== "") out += pre + m[0] + "\n";
        } else out += pre + l + "\n";
      }
      if (out !== "") ctx.stdout.write(out);
      return more;
    };
    const r = yield* eachLines(o.has("s") ? { ...ctx, stderr: { write() {} } } : ctx, f, onLines);
    if (quit) return 0;
    if (r === "interrupted") return STATUS_SIGINT;
    if (r === "error") {
      err = true;
      continue;
    }
    let out = "";
    if (o.has("c")) out = (multi ? `${name}:` : "") + count + "\n";
    if (o.has("l")) out = count > 0 ? name + "\n" : "";
    if (o.has("L")) out = count === 0 ? name + "\n" : "";
    if (out !== "") ctx.stdout.write(out);
  }
  if (err && !(o.has("q") && matchedAny)) return 2;
  return matchedAny ? 0 : 1;
}

export const grep = streaming(grepRun);
