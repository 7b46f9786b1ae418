/** tee: copy stdin to stdout and files (-a) as it arrives; each chunk is one write to each file. */
import { SysError, strerror } from "../../lib/errno.js";
import type { FileHandle } from "../../kernfs/vfs.js";
import { streaming } from "../stream.js";
import { STATUS_SIGINT, type CommandContext, type StreamRun } from "../types.js";
import { eachChunk, parseArgs } from "./_util.js";

function* teeRun(ctx: CommandContext): StreamRun {
  const p = parseArgs(ctx, { short: "aip", long: { append: { key: "a" }, "ignore-interrupts": { key: "i" } } });
  if (typeof p === "number") return p;
  let st = 0;
  const outs: { name: string; h: FileHandle | null }[] = [];
  const append = p.opts.has("a");
  for (const f of p.operands) {
    try {
      outs.push({ name: f, h: ctx.vfs.open(ctx.resolve(f), { write: true, create: true, trunc: !append, append }) });
    } catch (e) {
      if (!(e instanceof SysError)) throw e;
      ctx.stderr.write(`${ctx.argv[0]}: ${f}: ${strerror(e.errno)}\n`);
      st = 1;
    }
  }
  try {
    const r = yield* eachChunk(ctx, "-", (data) => {
      ctx.stdout.write(data);
      for (const o of outs) {
        if (o.h === null) continue;
        try {
          o.h.write(data);
        } catch (e) {
          if (!(e instanceof SysError)) throw e;
          ctx.stderr.write(`${ctx.argv[0]}: ${o.name}: ${strerror(e.errno)}\n`);
          o.h = null;
          st = 1;
        }
      }
    });
    if (r === "interrupted") return STATUS_SIGINT;
  } finally {
    for (const o of outs) o.h?.close();
  }
  return st;
}

export const tee = streaming(teeRun);
