/**
 * `dmesg` (util-linux): prints the kernel ring buffer with virtual timestamps.
 * Options: -c/--read-clear, -C/--clear, -t/--notime, -l/--level LIST, -k,
 * -x/--decode, -w (follow: there is nothing more to wait for, so it returns).
 */
import { formatTimestamp, LogLevel, type Printk } from "../../lib/printk.js";
import type { Command } from "../../shell/types.js";

const LEVEL_NAMES = ["emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"];

export function dmesg(log: Printk): Command {
  return (ctx) => {
    let clear = false;
    let print = true;
    let notime = false;
    let decode = false;
    let levels: Set<number> | null = null;
    const args = ctx.argv.slice(1);
    const bad = (m: string): number => {
      ctx.stderr.write(`dmesg: ${m}\nTry 'dmesg --help' for more information.\n`);
      return 1;
    };
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      let m: RegExpExecArray | null;
      if (a === "-c" || a === "--read-clear") clear = true;
      else if (a === "-C" || a === "--clear") {
        clear = true;
        print = false;
      } else if (a === "-t" || a === "--notime") notime = true;
      else if (a === "-x" || a === "--decode") decode = true;
      else if (a === "-k" || a === "--kernel" || a === "-w" || a === "--follow" || a === "-H" || a === "--human" || a === "-L" || a === "--color") {
        // accepted; the log has only kernel messages and nothing arrives while dmesg runs
      } else if (a === "-l" || a === "--level" || (m = /^(?:-l|--level=)(.+)$/.exec(a)) !== null) {
        const list = a === "-l" || a === "--level" ? args[++i] : (/^(?:-l|--level=)(.+)$/.exec(a)![1]!);
        if (list === undefined) return bad(`option requires an argument -- 'l'`);
        levels = new Set();
        for (const name of list.split(",")) {
          const n = LEVEL_NAMES.indexOf(name);
          if (n < 0) return bad(`unknown level '${name}'`);
          levels.add(n);
        }
      } else if (a.startsWith("--")) return bad(`unrecognized option '${a}'`);
      else if (a.startsWith("-")) return bad(`invalid option -- '${a[1]}'`);
      else return bad(`bad usage`);
    }
    if (print) {
      let out = "";
      for (const r of log.records) {
        if (levels !== null && !levels.has(r.level)) continue;
        const pre = decode ? `kern  :${LEVEL_NAMES[r.level]!.padEnd(6)}: ` : "";
        out += `${pre}${notime ? "" : formatTimestamp(r.ts) + " "}${r.text}\n`;
      }
      if (out !== "") ctx.stdout.write(out);
    }
    if (clear) log.clear();
    return 0;
  };
}

export { LogLevel };
