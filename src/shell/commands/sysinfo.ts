/** nproc (from /sys/devices/system/cpu/online) and free (from /proc/meminfo, procps-ng 4 format). */
import type { CommandContext } from "../types.js";
import { parseArgs } from "./_util.js";

/** Counts the CPUs of a kernel cpulist such as "0-159" or "0,2-5". */
export function countCpuList(list: string): number {
  let n = 0;
  for (const part of list.trim().split(",")) {
    if (part === "") continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (m === null) return 0;
    n += m[2] === undefined ? 1 : Number(m[2]) - Number(m[1]) + 1;
  }
  return n;
}

export function nproc(ctx: CommandContext): number {
  const p = parseArgs(ctx, { short: "", long: { all: { key: "all" }, ignore: { key: "ignore", arg: true } } });
  if (typeof p === "number") return p;
  const prog = ctx.argv[0]!;
  if (p.operands.length > 0) {
    ctx.stderr.write(`${prog}: extra operand '${p.operands[0]}'\nTry '${prog} --help' for more information.\n`);
    return 1;
  }
  const file = p.opts.has("all") ? "/sys/devices/system/cpu/possible" : "/sys/devices/system/cpu/online";
  let n = 0;
  try {
    n = countCpuList(ctx.vfs.readText(file));
  } catch {
    try {
      n = ctx.vfs.readdir("/sys/devices/system/cpu").filter((x) => /^cpu\d+$/.test(x)).length;
    } catch {
      n = 1;
    }
  }
  const ig = p.opts.get("ignore");
  if (typeof ig === "string") {
    if (!/^\d+$/.test(ig)) {
      ctx.stderr.write(`${prog}: invalid number: '${ig}'\n`);
      return 1;
    }
    n = Math.max(1, n - Number(ig));
  }
  ctx.stdout.write(`${Math.max(1, n)}\n`);
  return 0;
}

/** procps scale_size(): KiB to a unit, or human-readable ("23Gi", "8.6Mi", "0B"). */
function scale(kib: number, unit: string, si: boolean): string {
  const base = si ? 1000 : 1024;
  const bytes = kib * 1024;
  switch (unit) {
    case "b": return String(bytes);
    case "k": return String(Math.floor(bytes / base));
    case "m": return String(Math.floor(bytes / base ** 2));
    case "g": return String(Math.floor(bytes / base ** 3));
  }
  if (bytes < base) return `${bytes}B`;
  const ups = "KMGTPE";
  for (let up = 1; up <= ups.length; up++) {
    if (bytes < base ** (up + 1) || up === ups.length) {
      const v = bytes / base ** up;
      const letter = ups[up - 1]!;
      const f = v.toFixed(1) + letter;
      if (f.length <= 4) return f + (si ? "" : "i");
      return `${Math.floor(v)}${letter}${si ? "" : "i"}`;
    }
  }
  return String(bytes);
}

export function free(ctx: CommandContext): number {
  const p = parseArgs(ctx, { short: "bkmghwtlv", long: { bytes: { key: "b" }, kibi: { key: "k" }, mebi: { key: "m" }, gibi: { key: "g" }, human: { key: "h" }, wide: { key: "w" }, total: { key: "t" }, si: { key: "si" } } });
  if (typeof p === "number") return p;
  let info: string;
  try {
    info = ctx.vfs.readText("/proc/meminfo");
  } catch {
    ctx.stderr.write(`${ctx.argv[0]}: Unable to create meminfo structure\n`);
    return 1;
  }
  const kv = new Map<string, number>();
  for (const l of info.split("\n")) {
    const m = /^([^:]+):\s+(\d+)/.exec(l);
    if (m !== null) kv.set(m[1]!, Number(m[2]));
  }
  const g = (k: string): number => kv.get(k) ?? 0;
  const total = g("MemTotal");
  const freeK = g("MemFree");
  const buffers = g("Buffers");
  const cache = g("Cached") + g("SReclaimable");
  const avail = kv.has("MemAvailable") ? g("MemAvailable") : freeK;
  const used = kv.has("MemAvailable") ? total - avail : total - freeK - buffers - cache;
  const swapTotal = g("SwapTotal");
  const swapFree = g("SwapFree");
  const unit = ["b", "k", "m", "g"].find((u) => p.opts.has(u)) ?? (p.opts.has("h") ? "h" : "k");
  const si = p.opts.has("si");
  const wide = p.opts.has("w");
  const col = (v: number): string => " " + scale(v, unit, si).padStart(11);
  let out = "        " + (wide ? ["total", "used", "free", "shared", "buffers", "cache", "available"] : ["total", "used", "free", "shared", "buff/cache", "available"]).map((h) => " " + h.padStart(11)).join("") + "\n";
  out += "Mem:".padEnd(8) + [total, used, freeK, g("Shmem"), ...(wide ? [buffers, cache] : [buffers + cache]), avail].map(col).join("") + "\n";
  out += "Swap:".padEnd(8) + [swapTotal, swapTotal - swapFree, swapFree].map(col).join("") + "\n";
  if (p.opts.has("t")) out += "Total:".padEnd(8) + [total + swapTotal, used + swapTotal - swapFree, freeK + swapFree].map(col).join("") + "\n";
  ctx.stdout.write(out);
  return 0;
}
