/** wc: newline, word, character and byte counts (-l -w -c -m -L). */
import { streaming } from "../stream.js";
import { STATUS_SIGINT, type CommandContext, type StreamRun, type StreamYield } from "../types.js";
import { eachChunk, parseArgs, readInput, text } from "./_util.js";

/** Lines, words and bytes of one input, counted chunk by chunk (stdin as it arrives, endless devices until Ctrl-C). */
function* streamCounts(ctx: CommandContext, f: string, countWords: boolean): Generator<StreamYield, { lines: number; words: number; bytes: number } | "error" | "interrupted", void> {
  let lines = 0;
  let words = 0;
  let bytes = 0;
  let inWord = false;
  const r = yield* eachChunk(ctx, f, (c) => {
    bytes += c.length;
    if (!countWords) {
      for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) lines++;
      return;
    }
    for (let i = 0; i < c.length; i++) {
      const b = c[i]!;
      if (b === 10) lines++;
      const space = b === 32 || (b >= 9 && b <= 13);
      if (!space && !inWord) words++;
      inWord = !space;
    }
  });
  return r === "ok" ? { lines, words, bytes } : r;
}

function* wcRun(ctx: CommandContext): StreamRun {
  const p = parseArgs(ctx, { short: "lwcmL", long: { lines: { key: "l" }, words: { key: "w" }, bytes: { key: "c" }, chars: { key: "m" }, "max-line-length": { key: "L" } } });
  if (typeof p === "number") return p;
  let which = ["l", "w", "m", "c", "L"].filter((k) => p.opts.has(k));
  if (which.length === 0) which = ["l", "w", "c"];
  const files = p.operands.length === 0 ? ["-"] : p.operands;
  const rows: { counts: number[]; name: string | null }[] = [];
  const total = which.map(() => 0);
  let st = 0;
  let hasStdin = false;
  let bytesTotal = 0;
  const streaming = which.every((k) => k === "l" || k === "w" || k === "c");
  for (const f of files) {
    if (streaming) {
      const c = yield* streamCounts(ctx, f, which.includes("w"));
      if (c === "interrupted") return STATUS_SIGINT;
      if (c === "error") {
        st = 1;
        continue;
      }
      if (f === "-") hasStdin = true;
      bytesTotal += c.bytes;
      const counts = which.map((k) => (k === "l" ? c.lines : k === "w" ? c.words : c.bytes));
      counts.forEach((n, i) => (total[i]! += n));
      rows.push({ counts, name: p.operands.length === 0 ? null : f });
      continue;
    }
    const data = readInput(ctx, f);
    if (data === null) {
      st = 1;
      continue;
    }
    if (f === "-") hasStdin = true;
    bytesTotal += data.length;
    const t = text(data);
    const counts = which.map((k) => {
      switch (k) {
        case "l": {
          let n = 0;
          for (let i = 0; i < data.length; i++) if (data[i] === 10) n++;
          return n;
        }
        case "w": return t.split(/[ \t\n\v\f\r]+/).filter((x) => x !== "").length;
        case "m": return [...t].length;
        case "c": return data.length;
        default: return Math.max(0, ...t.split("\n").map((l) => l.length));
      }
    });
    counts.forEach((c, i) => (total[i]! += c));
    rows.push({ counts, name: p.operands.length === 0 ? null : f });
  }
  if (files.length > 1) rows.push({ counts: total, name: "total" });
  let width = 1;
  if (which.length > 1 || rows.length > 1) width = Math.max(hasStdin ? 7 : 1, String(bytesTotal).length);
  let out = "";
  for (const r of rows) out += r.counts.map((c) => String(c).padStart(width)).join(" ") + (r.name === null ? "" : " " + r.name) + "\n";
  ctx.stdout.write(out);
  return st;
}

export const wc = streaming(wcRun);
