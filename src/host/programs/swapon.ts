/**
 * `swapon` and `swapoff` (util-linux) over the emulated swap core.
 *
 * swapon: -a (every swap line of /etc/fstab not active yet), -p PRIO, -s
 * (/proc/swaps), --show, no arguments (= --show). swapoff: -a (every active
 * area), paths. A failed syscall prints `swapon: PATH: swapon failed: <strerror>`.
 * swapoff runs as a task of its own: an oops in its swap-ins kills it (bash
 * reports `Segmentation fault`, status 139).
 */
import { strerror } from "../../lib/errno.js";
import { TASK_KILLED_BY_OOPS } from "../../lib/oops.js";
import type { Mm } from "../../mm/mm.js";
import type { Command, CommandContext } from "../../shell/types.js";

function humanSize(bytes: number): string {
  const units = ["B", "K", "M", "G", "T"];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const s = u === 0 || v >= 10 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(1).replace(/\.0$/, "");
  return s + units[u]!;
}

function show(ctx: CommandContext, mm: Mm): void {
  const rows = mm
    .procSwaps()
    .trimEnd()
    .split("\n")
    .slice(1)
    .map((l) => l.split(/\s+/));
  if (rows.length === 0) return;
  const table = [["NAME", "TYPE", "SIZE", "USED", "PRIO"], ...rows.map((r) => [r[0]!, r[1]!, humanSize(Number(r[2]) * 1024), humanSize(Number(r[3]) * 1024), r[4]!])];
  const w = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  let out = "";
  for (const r of table) out += r.map((cell, c) => (c === 0 || c === 1 ? cell.padEnd(w[c]!) : cell.padStart(w[c]!))).join(" ") + "\n";
  ctx.stdout.write(out);
}

function usageError(ctx: CommandContext, prog: string, m: string): number {
  ctx.stderr.write(`${prog}: ${m}\nTry '${prog} --help' for more information.\n`);
  return 1;
}

export function swapon(mm: Mm): Command {
  return (ctx) => {
    let all = false;
    let prio: number | undefined;
    const paths: string[] = [];
    const args = ctx.argv.slice(1);
    let mode: "on" | "summary" | "show" = "on";
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "-a" || a === "--all") all = true;
      else if (a === "-s" || a === "--summary") mode = "summary";
      else if (a === "--show") mode = "show";
      else if (a === "-p" || a === "--priority" || a.startsWith("--priority=") || /^-p-?\d+$/.test(a)) {
        const v = a === "-p" || a === "--priority" ? args[++i] : a.startsWith("-p") ? a.slice(2) : a.split("=")[1];
        if (v === undefined || !/^-?\d+$/.test(v)) return usageError(ctx, "swapon", `failed to parse priority: '${v ?? ""}'`);
        prio = Number(v);
      } else if (a === "-v" || a === "--verbose" || a === "-e" || a === "--ifexists") {
        // accepted
      } else if (a.startsWith("--")) return usageError(ctx, "swapon", `unrecognized option '${a}'`);
      else if (a.startsWith("-") && a.length > 1) return usageError(ctx, "swapon", `invalid option -- '${a[1]}'`);
      else paths.push(a);
    }
    if (mode === "summary") {
      ctx.stdout.write(mm.procSwaps());
      return 0;
    }
    if (!all && paths.length === 0) {
      show(ctx, mm);
      return 0;
    }
    let status = 0;
    if (all) {
      let fstab = "";
      try {
        fstab = ctx.vfs.readText("/etc/fstab");
      } catch {
        // no fstab: nothing to do
      }
      const { results, errors } = mm.swaponFstab(fstab);
      for (const e of errors) ctx.stderr.write(`swapon: /etc/fstab: ${e}\n`);
      for (const r of results) {
        if (r.ret < 0) {
          ctx.stderr.write(`swapon: ${r.spec}: swapon failed: ${strerror(r.ret)}\n`);
          status = 255;
        }
      }
    }
    for (const p of paths) {
      const path = ctx.resolve(p);
      if (mm.swapArea(path) === undefined && !ctx.vfs.exists(path)) {
        ctx.stderr.write(`swapon: cannot open ${path}: No such file or directory\n`);
        status = 255;
        continue;
      }
      const r = mm.swapon(path, prio);
      if (r < 0) {
        ctx.stderr.write(`swapon: ${path}: swapon failed: ${strerror(r)}\n`);
        status = 255;
      }
    }
    return status;
  };
}

export function swapoff(mm: Mm): Command {
  return (ctx) => {
    let all = false;
    const paths: string[] = [];
    for (const a of ctx.argv.slice(1)) {
      if (a === "-a" || a === "--all") all = true;
      else if (a === "-v" || a === "--verbose") continue;
      else if (a.startsWith("--")) return usageError(ctx, "swapoff", `unrecognized option '${a}'`);
      else if (a.startsWith("-") && a.length > 1) return usageError(ctx, "swapoff", `invalid option -- '${a[1]}'`);
      else paths.push(a);
    }
    if (!all && paths.length === 0) {
      ctx.stderr.write("Usage:\n swapoff [options] [<spec>]\n\nDisable devices and files for paging and swapping.\n");
      return 16;
    }
    let status = 0;
    const targets = all ? mm.activeSwaps().map((d) => d.area.path) : paths.map((p) => ctx.resolve(p));
    const task = mm.spawn("swapoff", mm.ctx.cpu);
    try {
      for (const path of targets) {
        const r = mm.swapoff(path, task);
        if (r === TASK_KILLED_BY_OOPS) {
          ctx.stderr.write("Segmentation fault\n");
          return 128 + 11;
        }
        if (r < 0) {
          ctx.stderr.write(`swapoff: ${path}: swapoff failed: ${strerror(r)}\n`);
          status = r === -12 ? 2 : 4;
        }
      }
    } finally {
      mm.exit(task);
    }
    return status;
  };
}
