/** cat: concatenate files (options -n -b -s -E -T -v -A -e -t -u; -v shows ASCII controls as ^X); streams. */
import { streaming } from "../stream.js";
import { STATUS_SIGINT, type CommandContext, type StreamRun } from "../types.js";
import { eachChunk, eachLines, parseArgs } from "./_util.js";

function* catRun(ctx: CommandContext): StreamRun {
  const p = parseArgs(ctx, { short: "nbsEAeTtuv", long: { number: { key: "n" }, "number-nonblank": { key: "b" }, "squeeze-blank": { key: "s" }, "show-ends": { key: "E" }, "show-all": { key: "A" }, "show-tabs": { key: "T" }, "show-nonprinting": { key: "v" } } });
  if (typeof p === "number") return p;
  const numbering = p.opts.has("n") || p.opts.has("b");
  const ends = p.opts.has("E") || p.opts.has("A") || p.opts.has("e");
  const tabs = p.opts.has("T") || p.opts.has("A") || p.opts.has("t");
  const nonprint = p.opts.has("v") || p.opts.has("A") || p.opts.has("e") || p.opts.has("t");
  const show = (line: string): string => {
    let out = "";
    for (const ch of line) {
      const c = ch.codePointAt(0)!;
      if (ch === "\t") out += tabs ? "^I" : ch;
      else if (nonprint && c < 32) out += "^" + String.fromCharCode(c + 64);
      else if (nonprint && c === 127) out += "^?";
      else out += ch;
    }
    return out;
  };
  let st = 0;
  let n = 0;
  let blank = false;
  const plain = !numbering && !ends && !tabs && !nonprint && !p.opts.has("s");
  const decorate = (ls: string[]): void => {
    let out = "";
    for (const l of ls) {
      const nl = l.endsWith("\n");
      const body = nl ? l.slice(0, -1) : l;
      if (p.opts.has("s") && body === "") {
        if (blank) continue;
        blank = true;
      } else blank = false;
      let line = show(body) + (ends && nl ? "$" : "") + (nl ? "\n" : "");
      if (p.opts.has("b") ? body !== "" : p.opts.has("n")) line = `${String(++n).padStart(6)}\t${line}`;
      out += line;
    }
    ctx.stdout.write(out);
  };
  for (const f of p.operands.length === 0 ? ["-"] : p.operands) {
    // stdin as it arrives, endless devices until interrupted
    const r = plain ? yield* eachChunk(ctx, f, (c) => void ctx.stdout.write(c)) : yield* eachLines(ctx, f, decorate);
    if (r === "interrupted") return STATUS_SIGINT;
    if (r === "error") st = 1;
  }
  return st;
}

export const cat = streaming(catRun);
