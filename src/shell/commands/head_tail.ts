/** head and tail: first or last lines (-n N, -N, tail -n +N, -c N); they stream (tail keeps only the last N). */
import { streaming } from "../stream.js";
import { STATUS_SIGINT, type CommandContext, type StreamRun, type StreamYield } from "../types.js";
import { eachChunk, parseArgs, readInput } from "./_util.js";

type Outcome = Generator<StreamYield, "ok" | "error" | "interrupted", void>;

/** Bytes per read of head (coreutils' head reads BUFSIZ, 8 KiB, at a time: what it leaves in a pipe is what the next reader gets). */
const HEAD_READ = 8192;

/** `head -c N` / `head -n N` in chunks: stops reading once N bytes or lines are out (endless inputs work). */
function* headStream(ctx: CommandContext, file: string, n: number, bytes: boolean): Outcome {
  let left = n;
  if (left === 0) return "ok";
  return yield* eachChunk(ctx, file, (c) => {
    let take = c.length;
    if (bytes) take = Math.min(take, left);
    else {
      for (let i = 0; i < c.length; i++) {
        if (c[i] === 10 && --left === 0) {
          take = i + 1;
          break;
        }
      }
    }
    ctx.stdout.write(c.subarray(0, take));
    if (bytes) left -= take;
    return left > 0;
  }, HEAD_READ);
}

/** `tail -n +N` / `tail -c +N`: everything from line or byte N on, as it arrives. */
function* fromStream(ctx: CommandContext, file: string, n: number, bytes: boolean): Outcome {
  let skip = Math.max(0, n - 1);
  return yield* eachChunk(ctx, file, (c) => {
    let from = 0;
    if (skip > 0) {
      if (bytes) from = Math.min(skip, c.length);
      else {
        from = c.length;
        for (let i = 0; i < c.length; i++) {
          if (c[i] === 10 && --skip === 0) {
            from = i + 1;
            break;
          }
        }
      }
      if (bytes) skip -= from;
    }
    if (from < c.length) ctx.stdout.write(c.subarray(from));
  });
}

function newlines(c: Uint8Array): number {
  let k = 0;
  for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) k++;
  return k;
}

/** The end of an input that holds its last N lines (or bytes): chunks no longer needed are dropped as it arrives. */
function* lastWindow(ctx: CommandContext, file: string, n: number, bytes: boolean): Generator<StreamYield, Uint8Array | "error" | "interrupted", void> {
  const win: { c: Uint8Array; k: number }[] = [];
  let after = 0; // bytes (or newlines) in the window after its first chunk
  const r = yield* eachChunk(ctx, file, (chunk) => {
    const c = chunk.slice();
    const k = bytes ? c.length : newlines(c);
    win.push({ c, k });
    if (win.length > 1) after += k;
    while (win.length > 1 && (bytes ? after >= n : after > n)) {
      win.shift();
      after -= win[0]!.k;
    }
  });
  if (r !== "ok") return r;
  const size = win.reduce((a, w) => a + w.c.length, 0);
  const out = new Uint8Array(size);
  let o = 0;
  for (const w of win) {
    out.set(w.c, o);
    o += w.c.length;
  }
  return out;
}

/** The last `n` lines (or bytes) of `data`, or all but the last `n` (head -n -N). */
function cutEnd(data: Uint8Array, n: number, bytes: boolean, allBut: boolean): Uint8Array {
  if (bytes) return allBut ? data.subarray(0, Math.max(0, data.length - n)) : data.subarray(Math.max(0, data.length - n));
  const ends: number[] = [];
  for (let i = 0; i < data.length; i++) if (data[i] === 10) ends.push(i + 1);
  if (data.length > 0 && data[data.length - 1] !== 10) ends.push(data.length);
  const starts = [0, ...ends.slice(0, -1)];
  const count = ends.length;
  const a = allBut ? 0 : Math.max(0, count - n);
  const b = allBut ? Math.max(0, count - n) : count;
  return a >= b ? new Uint8Array(0) : data.subarray(starts[a], ends[b - 1]);
}

function* run(ctx: CommandContext, isTail: boolean): StreamRun {
  const raw = ctx.argv.slice(1);
  const args = raw.map((a, i) => (/^-\d+$/.test(a) && !/^-[nc]$/.test(raw[i - 1] ?? "") ? `-n${a.slice(1)}` : a));
  const p = parseArgs(ctx, { short: "n:c:qvf", long: { lines: { key: "n", arg: true }, bytes: { key: "c", arg: true }, quiet: { key: "q" }, silent: { key: "q" }, verbose: { key: "v" } } }, args);
  if (typeof p === "number") return p;
  const prog = ctx.argv[0]!;
  const spec = (p.opts.get("c") ?? p.opts.get("n") ?? "10") as string;
  const bytes = p.opts.has("c");
  const m = /^([+-]?)(\d+)$/.exec(spec);
  if (m === null) {
    ctx.stderr.write(`${prog}: invalid number of ${bytes ? "bytes" : "lines"}: '${spec}'\n`);
    return 1;
  }
  const n = Number(m[2]);
  const fromStart = isTail && m[1] === "+";
  const allBut = !isTail && m[1] === "-";
  const files = p.operands.length === 0 ? ["-"] : p.operands;
  let st = 0;
  let first = true;
  for (const f of files) {
    if (f !== "-" && !ctx.vfs.exists(ctx.resolve(f))) {
      readInput(ctx, f);
      st = 1;
      continue;
    }
    if ((files.length > 1 && !p.opts.has("q")) || p.opts.has("v")) ctx.stdout.write(`${first ? "" : "\n"}==> ${f === "-" ? "standard input" : f} <==\n`);
    first = false;
    let r: "ok" | "error" | "interrupted";
    if (!isTail && !allBut) r = yield* headStream(ctx, f, n, bytes);
    else if (fromStart) r = yield* fromStream(ctx, f, n, bytes);
    else {
      let data: Uint8Array | "error" | "interrupted";
      if (allBut) {
        data = readInput(ctx, f) ?? "error";
      } else data = yield* lastWindow(ctx, f, n, bytes);
      if (typeof data === "string") r = data;
      else {
        const out = cutEnd(data, n, bytes, allBut);
        if (out.length > 0) ctx.stdout.write(out);
        r = "ok";
      }
    }
    if (r === "interrupted") return STATUS_SIGINT;
    if (r === "error") st = 1;
  }
  return st;
}

export const head = streaming((ctx) => run(ctx, false));

export const tail = streaming((ctx) => run(ctx, true));
