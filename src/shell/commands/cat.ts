/** cat: concatenate files (options -n -b -s -E -T -v -A -e -t -u; -v shows ASCII controls as ^X). */
import { STATUS_SIGINT, type CommandContext } from "../types.js";
import { forEachChunk, parseArgs, readInput, text } from "./_util.js";

export function cat(ctx: CommandContext): number {
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
  const plain = !numbering && !ends && !tabs && !nonprint && !p.opts.has("s");
  for (const f of p.operands.length === 0 ? ["-"] : p.operands) {
    if (plain) {
      // streams: stdin as it arrives, endless devices until interrupted
      const r = forEachChunk(ctx, f, (c) => void ctx.stdout.write(c));
      if (r === "interrupted") return STATUS_SIGINT;
      if (r === "error") st = 1;
      continue;
    }
    const data = readInput(ctx, f);
    if (data === null) {
      st = 1;
      continue;
    }
    if (!numbering && !ends && !tabs && !nonprint && !p.opts.has("s")) {
      if (data.length > 0) ctx.stdout.write(data);
      continue;
    }
    let out = "";
    let blank = false;
    const t = text(data);
    const ls = t.split("\n");
    const last = ls.pop()!;
    const all = last === "" ? ls.map((l) => l + "\n") : [...ls.map((l) => l + "\n"), last];
    for (const l of all) {
      const body = l.endsWith("\n") ? l.slice(0, -1) : l;
      if (p.opts.has("s") && body === "") {
        if (blank) continue;
        blank = true;
      } else blank = false;
      let line = show(body) + (ends && l.endsWith("\n") ? "$" : "") + (l.endsWith("\n") ? "\n" : "");
      if (p.opts.has("b") ? body !== "" : p.opts.has("n")) line = `${String(++n).padStart(6)}\t${line}`;
      out += line;
    }
    ctx.stdout.write(out);
  }
  return st;
}
