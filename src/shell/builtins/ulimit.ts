/**
 * `ulimit [-SHa...] [limit]`: the machine's resource limits (a Debian
 * machine's defaults for root; nothing enforces them). Output as bash 5.2.
 */
import { usage } from "./usage.js";
import type { Builtin } from "./api.js";

interface Limit {
  opt: string;
  desc: string;
  unit: string;
  value: number | "unlimited";
}

/** The rows of `ulimit -a`, in bash 5.2's order. */
const LIMITS: Limit[] = [
  { opt: "R", desc: "real-time non-blocking time", unit: "microseconds", value: "unlimited" },
  { opt: "c", desc: "core file size", unit: "blocks", value: 0 },
  { opt: "d", desc: "data seg size", unit: "kbytes", value: "unlimited" },
  { opt: "e", desc: "scheduling priority", unit: "", value: 0 },
  { opt: "f", desc: "file size", unit: "blocks", value: "unlimited" },
  { opt: "i", desc: "pending signals", unit: "", value: 63448 },
  { opt: "l", desc: "max locked memory", unit: "kbytes", value: 8192 },
  { opt: "m", desc: "max memory size", unit: "kbytes", value: "unlimited" },
  { opt: "n", desc: "open files", unit: "", value: 1024 },
  { opt: "p", desc: "pipe size", unit: "512 bytes", value: 8 },
  { opt: "q", desc: "POSIX message queues", unit: "bytes", value: 819200 },
  { opt: "r", desc: "real-time priority", unit: "", value: 0 },
  { opt: "s", desc: "stack size", unit: "kbytes", value: 8192 },
  { opt: "t", desc: "cpu time", unit: "seconds", value: "unlimited" },
  { opt: "u", desc: "max user processes", unit: "", value: 63448 },
  { opt: "v", desc: "virtual memory", unit: "kbytes", value: "unlimited" },
  { opt: "x", desc: "file locks", unit: "", value: "unlimited" },
];

/** `%-20s %20s` then the value, as bash's print_rlimtype. */
function row(l: Limit, value: number | "unlimited"): string {
  const unit = l.unit === "" ? `(-${l.opt}) ` : `(${l.unit}, -${l.opt}) `;
  return `${l.desc.padEnd(20)} ${unit.padStart(20)}${value}\n`;
}

/** Values set by `ulimit N`, per shell. */
const overrides = new WeakMap<object, Map<string, number | "unlimited">>();

export const ulimit: Builtin = (sh, args, io) => {
  let mine = overrides.get(sh.rt);
  if (mine === undefined) overrides.set(sh.rt, (mine = new Map()));
  const cur = (l: Limit): number | "unlimited" => mine.get(l.opt) ?? l.value;
  let opts: string[] = [];
  let value: string | null = null;
  for (const a of args) {
    if (/^-[A-Za-z]+$/.test(a)) {
      for (const f of a.slice(1)) {
        if (f === "S" || f === "H") continue;
        if (f !== "a" && !LIMITS.some((l) => l.opt === f)) {
          sh.err(io, `ulimit: -${f}: invalid option`);
          usage(io, "ulimit: usage: ulimit [-SHabcdefiklmnpqrstuvxPRT] [limit]");
          return 2;
        }
        opts.push(f);
      }
    } else value = a;
  }
  if (opts.includes("a")) return sh.out(io, "ulimit", LIMITS.map((l) => row(l, cur(l))).join(""));
  if (opts.length === 0) opts = ["f"];
  const sel = opts.map((o) => LIMITS.find((l) => l.opt === o)!);
  if (value !== null) {
    if (value !== "unlimited" && !/^\d+$/.test(value)) {
      sh.err(io, `ulimit: ${value}: invalid number`);
      return 1;
    }
    for (const l of sel) mine.set(l.opt, value === "unlimited" ? "unlimited" : Number(value));
    return 0;
  }
  if (sel.length === 1) return sh.out(io, "ulimit", `${cur(sel[0]!)}\n`);
  return sh.out(io, "ulimit", sel.map((l) => row(l, cur(l))).join(""));
};
