/** uniq: adjacent repeated lines once (-c counts, -d only repeated, -u only unique, -i ignores case); streams. */
import { streaming } from "../stream.js";
import { STATUS_SIGINT, type CommandContext, type StreamRun } from "../types.js";
import { eachLines, parseArgs } from "./_util.js";

function* uniqRun(ctx: CommandContext): StreamRun {
  const p = parseArgs(ctx, { short: "cdui", long: { count: { key: "c" }, repeated: { key: "d" }, unique: { key: "u" }, "ignore-case": { key: "i" } } });
  if (typeof p === "number") return p;
  const key = (l: string): string => (p.opts.has("i") ? l.toLowerCase() : l);
  let cur: string | null = null;
  let curKey = "";
  let n = 0;
  let out = "";
  const emit = (): void => {
    if (cur === null) return;
    if (!(p.opts.has("d") && n < 2) && !(p.opts.has("u") && n > 1)) out += (p.opts.has("c") ? `${String(n).padStart(7)} ` : "") + cur + "\n";
  };
  const onLines = (ls: string[]): void => {
    for (const raw of ls) {
      const l = raw.endsWith("\n") ? raw.slice(0, -1) : raw;
      const k = key(l);
      if (cur !== null && k === curKey) {
        n++;
        continue;
      }
      emit();
      cur = l;
      curKey = k;
      n = 1;
    }
    if (out !== "") ctx.stdout.write(out);
    out = "";
  };
  const r = yield* eachLines(ctx, p.operands[0] ?? "-", onLines);
  if (r === "interrupted") return STATUS_SIGINT;
  emit();
  if (out !== "") ctx.stdout.write(out);
  return r === "error" ? 1 : 0;
}

export const uniq = streaming(uniqRun);
