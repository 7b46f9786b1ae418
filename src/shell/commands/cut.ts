/** cut: selected fields (-f, -d, -s) or characters (-c, -b) of each line; streams. */
import { streaming } from "../stream.js";
import { STATUS_SIGINT, type CommandContext, type StreamRun } from "../types.js";
import { eachLines, parseArgs } from "./_util.js";

function parseList(spec: string): ((n: number) => boolean) | null {
  const ranges: [number, number][] = [];
  for (const part of spec.split(",")) {
    const m = /^(\d*)(-?)(\d*)$/.exec(part);
    if (m === null || (m[1] === "" && m[3] === "")) return null;
    const a = m[1] === "" ? 1 : Number(m[1]);
    const b = m[2] === "" ? a : m[3] === "" ? Infinity : Number(m[3]);
    if (a < 1) return null;
    ranges.push([a, b]);
  }
  return (n) => ranges.some(([a, b]) => n >= a && n <= b);
}


function* cutRun(ctx: CommandContext): StreamRun {
  const p = parseArgs(ctx, { short: "d:f:c:b:s", long: { delimiter: { key: "d", arg: true }, fields: { key: "f", arg: true }, characters: { key: "c", arg: true }, bytes: { key: "b", arg: true }, "only-delimited": { key: "s" } } });
  if (typeof p === "number") return p;
  const prog = ctx.argv[0]!;
  const spec = (p.opts.get("f") ?? p.opts.get("c") ?? p.opts.get("b")) as string | undefined;
  if (spec === undefined) {
    ctx.stderr.write(`${prog}: you must specify a list of bytes, characters, or fields\nTry '${prog} --help' for more information.\n`);
    return 1;
  }
  const sel = parseList(spec);
  if (sel === null) {
    ctx.stderr.write(`${prog}: invalid field value '${spec}'\nTry '${prog} --help' for more information.\n`);
    return 1;
  }
  const d = (p.opts.get("d") as string | undefined) ?? "\t";
  if (d.length !== 1) {
    ctx.stderr.write(`${prog}: the delimiter must be a single character\nTry '${prog} --help' for more information.\n`);
    return 1;
  }
  let st = 0;
  const fields = p.opts.has("f");
  const only = p.opts.has("s");
  const onLines = (ls: string[]): void => {
    let out = "";
    for (const raw of ls) {
      const l = raw.endsWith("\n") ? raw.slice(0, -1) : raw;
      if (fields) {
        if (!l.includes(d)) {
          if (!only) out += l + "\n";
          continue;
        }
        out += l.split(d).filter((_, i) => sel(i + 1)).join(d) + "\n";
      } else out += [...l].filter((_, i) => sel(i + 1)).join("") + "\n";
    }
    if (out !== "") ctx.stdout.write(out);
  };
  for (const f of p.operands.length === 0 ? ["-"] : p.operands) {
    const r = yield* eachLines(ctx, f, onLines);
    if (r === "interrupted") return STATUS_SIGINT;
    if (r === "error") st = 1;
  }
  return st;
}

export const cut = streaming(cutRun);
