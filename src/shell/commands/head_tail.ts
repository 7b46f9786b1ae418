/** head and tail: first or last lines (-n N, -N, tail -n +N, -c N). */
import { STATUS_SIGINT, type CommandContext } from "../types.js";
import { forEachChunk, parseArgs, readInput } from "./_util.js";

/** `head -c N` / `head -n N` in chunks: stops reading once N bytes or lines are out (endless inputs work). */
function headStream(ctx: CommandContext, file: string, n: number, bytes: boolean): "ok" | "error" | "interrupted" {
  let left = n;
  if (left === 0) return "ok";
  return forEachChunk(ctx, file, (c) => {
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
  });
}

function run(ctx: CommandContext, isTail: boolean): number {
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
    if (!isTail && !allBut) {
      if ((files.length > 1 && !p.opts.has("q")) || p.opts.has("v")) {
        if (f !== "-" && !ctx.vfs.exists(ctx.resolve(f))) {
          readInput(ctx, f);
          st = 1;
          continue;
        }
        ctx.stdout.write(`${first ? "" : "\n"}==> ${f === "-" ? "standard input" : f} <==\n`);
      }
      first = false;
      const r = headStream(ctx, f, n, bytes);
      if (r === "interrupted") return STATUS_SIGINT;
      if (r === "error") st = 1;
      continue;
    }
    const data = readInput(ctx, f);
    if (data === null) {
      st = 1;
      continue;
    }
    if ((files.length > 1 && !p.opts.has("q")) || p.opts.has("v")) {
      ctx.stdout.write(`${first ? "" : "\n"}==> ${f === "-" ? "standard input" : f} <==\n`);
    }
    first = false;
    let out: Uint8Array;
    if (bytes) {
      out = isTail ? (fromStart ? data.subarray(Math.max(0, n - 1)) : data.subarray(Math.max(0, data.length - n))) : allBut ? data.subarray(0, Math.max(0, data.length - n)) : data.subarray(0, n);
    } else {
      const ends: number[] = [];
      for (let i = 0; i < data.length; i++) if (data[i] === 10) ends.push(i + 1);
      if (data.length > 0 && data[data.length - 1] !== 10) ends.push(data.length);
      const starts = [0, ...ends.slice(0, -1)];
      const count = ends.length;
      let a: number;
      let b: number;
      if (isTail) {
        a = fromStart ? Math.min(count, Math.max(0, n - 1)) : Math.max(0, count - n);
        b = count;
      } else {
        a = 0;
        b = allBut ? Math.max(0, count - n) : Math.min(n, count);
      }
      out = a >= b ? new Uint8Array(0) : data.subarray(starts[a], ends[b - 1]);
    }
    if (out.length > 0) ctx.stdout.write(out);
  }
  return st;
}

export function head(ctx: CommandContext): number {
  return run(ctx, false);
}

export function tail(ctx: CommandContext): number {
  return run(ctx, true);
}
