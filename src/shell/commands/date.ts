/** date: the virtual wall-clock time (UTC), with +FORMAT and -u / -R / -I. */
import type { CommandContext } from "../types.js";

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** strftime over a UTC date (the subset date(1) users reach for). */
export function strftime(fmt: string, d: Date, ns: number): string {
  const p2 = (n: number): string => String(n).padStart(2, "0");
  let out = "";
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if (c !== "%") {
      out += c;
      continue;
    }
    const f = fmt[++i];
    switch (f) {
      case "Y": out += d.getUTCFullYear(); break;
      case "y": out += p2(d.getUTCFullYear() % 100); break;
      case "m": out += p2(d.getUTCMonth() + 1); break;
      case "d": out += p2(d.getUTCDate()); break;
      case "e": out += String(d.getUTCDate()).padStart(2); break;
      case "H": out += p2(d.getUTCHours()); break;
      case "I": out += p2(d.getUTCHours() % 12 || 12); break;
      case "M": out += p2(d.getUTCMinutes()); break;
      case "S": out += p2(d.getUTCSeconds()); break;
      case "N": out += String(Math.floor(ns % 1e9)).padStart(9, "0"); break;
      case "s": out += Math.floor(d.getTime() / 1000); break;
      case "a": out += DAYS[d.getUTCDay()]!.slice(0, 3); break;
      case "A": out += DAYS[d.getUTCDay()]; break;
      case "b":
      case "h": out += MONTHS[d.getUTCMonth()]!.slice(0, 3); break;
      case "B": out += MONTHS[d.getUTCMonth()]; break;
      case "p": out += d.getUTCHours() < 12 ? "AM" : "PM"; break;
      case "Z": out += "UTC"; break;
      case "z": out += "+0000"; break;
      case "j": out += String(Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1).padStart(3, "0"); break;
      case "u": out += d.getUTCDay() || 7; break;
      case "w": out += d.getUTCDay(); break;
      case "F": out += strftime("%Y-%m-%d", d, ns); break;
      case "T": out += strftime("%H:%M:%S", d, ns); break;
      case "D": out += strftime("%m/%d/%y", d, ns); break;
      case "R": out += strftime("%H:%M", d, ns); break;
      case "c": out += strftime("%a %b %e %H:%M:%S %Y", d, ns); break;
      case "n": out += "\n"; break;
      case "t": out += "\t"; break;
      case "%": out += "%"; break;
      default: out += "%" + (f ?? "");
    }
  }
  return out;
}

export function date(ctx: CommandContext): number {
  const ns = ctx.hooks.now();
  const d = new Date(ctx.hooks.wallClock(ns));
  let fmt = "%a %b %e %H:%M:%S %Z %Y";
  for (const a of ctx.argv.slice(1)) {
    if (a.startsWith("+")) fmt = a.slice(1);
    else if (a === "-u" || a === "--utc" || a === "--universal") continue;
    else if (a === "-R" || a === "--rfc-email") fmt = "%a, %d %b %Y %H:%M:%S %z";
    else if (a === "-I" || a === "--iso-8601") fmt = "%Y-%m-%d";
    else if (a.startsWith("-")) {
      ctx.stderr.write(`${ctx.argv[0]}: invalid option -- '${a.slice(1, 2)}'\nTry '${ctx.argv[0]} --help' for more information.\n`);
      return 1;
    } else {
      ctx.stderr.write(`${ctx.argv[0]}: invalid date '${a}'\n`);
      return 1;
    }
  }
  ctx.stdout.write(strftime(fmt, d, ns) + "\n");
  return 0;
}
