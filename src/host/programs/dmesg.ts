/**
 * `dmesg` (util-linux 2.38.1): prints the kernel ring buffer with virtual timestamps.
 * Options: -c/--read-clear, -C/--clear, -t/--notime, -T/--ctime, -l/--level LIST,
 * -k, -x/--decode, -w/--follow and -W/--follow-new (print records as the machine
 * logs them, letting virtual time pass, until Ctrl-C: status 130), -h/--help.
 */
import { formatTimestamp, LogLevel, type LogRecord, type Printk } from "../../lib/printk.js";
import { STATUS_SIGINT, type Command } from "../../shell/types.js";

const LEVEL_NAMES = ["emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `dmesg --help` of util-linux 2.38.1. */
export const DMESG_HELP = "\nUsage:\n dmesg [options]\n\nDisplay or control the kernel ring buffer.\n\nOptions:\n -C, --clear                 clear the kernel ring buffer\n -c, --read-clear            read and clear all messages\n -D, --console-off           disable printing messages to console\n -E, --console-on            enable printing messages to console\n -F, --file <file>           use the file instead of the kernel log buffer\n -f, --facility <list>       restrict output to defined facilities\n -H, --human                 human readable output\n -J, --json                  use JSON output format\n -k, --kernel                display kernel messages\n -L, --color[=<when>]        colorize messages (auto, always or never)\n                               colors are enabled by default\n -l, --level <list>          restrict output to defined levels\n -n, --console-level <level> set level of messages printed to console\n -P, --nopager               do not pipe output into a pager\n -p, --force-prefix          force timestamp output on each line of multi-line messages\n -r, --raw                   print the raw message buffer\n     --noescape              don't escape unprintable character\n -S, --syslog                force to use syslog(2) rather than /dev/kmsg\n -s, --buffer-size <size>    buffer size to query the kernel ring buffer\n -u, --userspace             display userspace messages\n -w, --follow                wait for new messages\n -W, --follow-new            wait and print only new messages\n -x, --decode                decode facility and level to readable string\n -d, --show-delta            show time delta between printed messages\n -e, --reltime               show local time and time delta in readable format\n -T, --ctime                 show human-readable timestamp (may be inaccurate!)\n -t, --notime                don't show any timestamp with messages\n     --time-format <format>  show timestamp using the given format:\n                               [delta|reltime|ctime|notime|iso]\nSuspending/resume will make ctime and iso timestamps inaccurate.\n     --since <time>          display the lines since the specified time\n     --until <time>          display the lines until the specified time\n\n -h, --help                  display this help\n -V, --version               display version\n\nSupported log facilities:\n    kern - kernel messages\n    user - random user-level messages\n    mail - mail system\n  daemon - system daemons\n    auth - security/authorization messages\n  syslog - messages generated internally by syslogd\n     lpr - line printer subsystem\n    news - network news subsystem\n\nSupported log levels (priorities):\n   emerg - system is unusable\n   alert - action must be taken immediately\n    crit - critical conditions\n     err - error conditions\n    warn - warning conditions\n  notice - normal but significant condition\n    info - informational\n   debug - debug-level messages\n\nFor more details see dmesg(1).\n";

/** `[Thu Dec  3 16:00:00 2026]`: util-linux's ctime format (`%a %b %e %H:%M:%S %Y`) of a wall-clock instant (UTC). */
export function ctimeStamp(ms: number): string {
  const d = new Date(ms);
  const p2 = (n: number): string => String(n).padStart(2, "0");
  return `[${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()}]`;
}

/** Virtual seconds dmesg --follow lets pass between two looks at the buffer. */
const FOLLOW_STEP_S = 0.1;

export function dmesg(log: Printk): Command {
  return (ctx) => {
    let clear = false;
    let print = true;
    let notime = false;
    let decode = false;
    let ctime = false;
    let follow: "no" | "all" | "new" = "no";
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
      else if (a === "-T" || a === "--ctime") ctime = true;
      else if (a === "-w" || a === "--follow") follow = "all";
      else if (a === "-W" || a === "--follow-new") follow = "new";
      else if (a === "-h" || a === "--help") {
        ctx.stdout.write(DMESG_HELP);
        return 0;
      } else if (a === "-V" || a === "--version") {
        ctx.stdout.write("dmesg from util-linux 2.38.1\n");
        return 0;
      } else if (a === "-k" || a === "--kernel" || a === "-H" || a === "--human" || a === "-L" || a === "--color" || a === "-P" || a === "--nopager") {
        // accepted; the log has only kernel messages
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
    const show = (r: LogRecord): string => {
      if (levels !== null && !levels.has(r.level)) return "";
      const pre = decode ? `kern  :${LEVEL_NAMES[r.level]!.padEnd(6)}: ` : "";
      const stamp = notime ? "" : ctime ? ctimeStamp(ctx.hooks.wallClock(r.ts)) + " " : formatTimestamp(r.ts) + " ";
      return `${pre}${stamp}${r.text}\n`;
    };
    let lastSeq = -1;
    if (print && follow !== "new") {
      let out = "";
      for (const r of log.records) out += show(r);
      if (out !== "") ctx.stdout.write(out);
    }
    for (const r of log.records) lastSeq = Math.max(lastSeq, r.seq);
    if (clear) log.clear();
    if (follow === "no") return 0;
    if (!ctx.interruptible) {
      // nothing could ever stop the wait: say so instead of hanging
      ctx.stderr.write("dmesg: --follow: this session cannot be interrupted (no Ctrl-C), so the wait would never end\n");
      return 1;
    }
    // follow: let virtual time pass (the machine runs its events) and print what arrives, until Ctrl-C
    for (;;) {
      if (ctx.interrupted()) return STATUS_SIGINT;
      ctx.hooks.sleep(FOLLOW_STEP_S);
      let out = "";
      for (const r of log.records) {
        if (r.seq <= lastSeq) continue;
        lastSeq = r.seq;
        out += show(r);
      }
      if (out !== "") ctx.stdout.write(out);
    }
  };
}

export { LogLevel };
