/** zcat: decompress gzip files (or stdin) to stdout, via node:zlib. */
import { gunzipSync } from "node:zlib";
import { SysError, strerror } from "../../lib/errno.js";
import type { CommandContext } from "../types.js";
import { parseArgs } from "./_util.js";

export function zcat(ctx: CommandContext): number {
  const p = parseArgs(ctx, { short: "fqv", long: { force: { key: "f" }, quiet: { key: "q" } } });
  if (typeof p === "number") return p;
  let st = 0;
  for (const f of p.operands.length === 0 ? ["-"] : p.operands) {
    let data: Uint8Array;
    let shown = f;
    if (f === "-") {
      data = ctx.stdin.readAll();
      shown = "stdin";
    } else {
      let path = ctx.resolve(f);
      if (!ctx.vfs.exists(path) && !f.endsWith(".gz") && ctx.vfs.exists(path + ".gz")) {
        path += ".gz";
        shown = f + ".gz";
      }
      try {
        data = ctx.vfs.readFile(path);
      } catch (e) {
        if (!(e instanceof SysError)) throw e;
        ctx.stderr.write(`gzip: ${f.endsWith(".gz") || f.endsWith(".z") ? f : f + ".gz"}: ${strerror(e.errno)}\n`);
        st = 1;
        continue;
      }
    }
    if (data.length < 2 || data[0] !== 0x1f || data[1] !== 0x8b) {
      if (p.opts.has("f")) {
        ctx.stdout.write(data);
        continue;
      }
      ctx.stderr.write(`\ngzip: ${shown}: not in gzip format\n`);
      st = 1;
      continue;
    }
    let out: Uint8Array;
    try {
      out = gunzipSync(data);
    } catch {
      ctx.stderr.write(`gzip: ${shown}: unexpected end of file\n`);
      st = 1;
      continue;
    }
    ctx.stdout.write(out);
  }
  return st;
}
