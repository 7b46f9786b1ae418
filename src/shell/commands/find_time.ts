/**
 * find's time tests (GNU findutils 4.9) over the machine's one time per file
 * (mtime; access and change times are that time): -mmin/-amin/-cmin N
 * (`+N` more than N minutes ago, `-N` less, `N` more than N-1 and at most
 * N), -mtime/-atime/-ctime N (whole days ago, the fraction dropped),
 * -daystart (ages from the end of today), and -newerXY against a file or,
 * with Y = t, a date (`YYYY-MM-DD[ HH:MM[:SS]]`, `@SECONDS`). "Now" is the
 * machine's clock.
 */
import type { CommandContext } from "../types.js";
import { wallTime } from "./find_printf.js";
import { FindError, type Entry, type Pred, type PredArgs } from "./find_types.js";

/** Seconds since the epoch of a file's time, with the fraction. */
function seconds(ctx: CommandContext, e: Entry): number {
  const t = wallTime(ctx, e.st);
  return t.sec + t.ns / 1e9;
}

/** The instant ages are measured from: now, or with -daystart the end of today (UTC). */
function origin(p: PredArgs): number {
  const now = p.ctx.hooks.wallClock(p.ctx.hooks.now()) / 1000;
  return p.daystart ? Math.floor(now / 86400) * 86400 + 86400 : now;
}

/** `+N`, `-N`, `N` with N a decimal number (GNU accepts fractions). */
function comparison(p: PredArgs, v: string): { kind: "+" | "-" | ""; n: number } {
  const m = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)$/.exec(v);
  if (m === null) throw new FindError([`invalid argument \`${v}' to \`${p.name}'`]);
  return { kind: m[1] as "+" | "-" | "", n: Number(m[2]) };
}

function minutes(p: PredArgs): Pred {
  const { kind, n } = comparison(p, p.arg());
  const from = origin(p);
  return (e) => {
    const age = (from - seconds(p.ctx, e)) / 60;
    return kind === "+" ? age > n : kind === "-" ? age < n : age > n - 1 && age <= n;
  };
}

function days(p: PredArgs): Pred {
  const { kind, n } = comparison(p, p.arg());
  const from = origin(p);
  return (e) => {
    const age = Math.floor((from - seconds(p.ctx, e)) / 86400);
    return kind === "+" ? age > n : kind === "-" ? age < n : age === n;
  };
}

/** A -newerXt date: seconds since the epoch (UTC), or null when GNU's parser would not take it either. */
function parseDate(s: string): number | null {
  const at = /^@(\d+(?:\.\d+)?)$/.exec(s);
  if (at !== null) return Number(at[1]);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?$/.exec(s.trim());
  if (m === null) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), 0);
  return Number.isNaN(ms) ? null : ms / 1000 + Number(m[6] ?? 0);
}

/** -newerXY: X and Y in a, B, c, m (and t for Y). */
export function newerXY(p: PredArgs, x: string, y: string): Pred {
  if (x === "t" || !"aBcm".includes(x) || !"aBcmt".includes(y)) throw new FindError([`invalid predicate \`${p.name}'`]);
  if (x === "B" || y === "B") throw new FindError(["This system does not provide a way to find the birth time of a file.", `invalid predicate \`${p.name}'`]);
  const v = p.arg();
  if (y !== "t") {
    const ref = p.refStat(v).mtime;
    return (e) => e.st.mtime > ref;
  }
  const d = parseDate(v);
  if (d === null) throw new FindError([`I cannot figure out how to interpret ${p.run.q(v)} as a date or time`]);
  return (e) => seconds(p.ctx, e) > d;
}

export const TIME_TESTS: Record<string, (p: PredArgs) => Pred> = {
  "-mmin": minutes, "-amin": minutes, "-cmin": minutes,
  "-mtime": days, "-atime": days, "-ctime": days,
};
