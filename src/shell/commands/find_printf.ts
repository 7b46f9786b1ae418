/**
 * find's -printf format (GNU findutils 4.9): directives with flags, width
 * and precision, backslash escapes, the time directives (%t %a %c, %Tk
 * %Ak %Ck with a strftime letter or @), and the -ls line.
 *
 * Numbers GNU formats as integers (%d, %m in octal) take every printf
 * flag; the others are strings (`%-10s`, `%.3p`). An unknown directive or
 * escape warns once when parsed and prints as written; `%` at the end and
 * the reserved `%{ %[ %(` are fatal. The machine keeps one time per file
 * (mtime): access and change times are that time too.
 */
import type { Stat } from "../../kernfs/vfs.js";
import { SysError, Errno } from "../../lib/errno.js";
import type { CommandContext } from "../types.js";
import { modeString } from "./ls.js";
import { groupName, userName } from "./_owners.js";
import { FindError, blocksOf, sizeOf, typeLetter, type Entry } from "./find_types.js";

/** A compiled format: call it with an entry, get the text (`stop` after a `\c`). */
export type Format = (e: Entry) => { text: string; stop: boolean };

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const DAYS_LONG = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTHS_LONG = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const ESCAPES: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };

/** Wall-clock time of a file: whole seconds since the epoch and the nanoseconds. */
export interface WallTime {
  sec: number;
  ns: number;
}

export function wallTime(ctx: CommandContext, st: Stat): WallTime {
  const total = BigInt(Math.round(ctx.hooks.wallClock(0))) * 1_000_000n + BigInt(Math.max(0, Math.floor(st.mtime)));
  return { sec: Number(total / 1_000_000_000n), ns: Number(total % 1_000_000_000n) };
}

const p2 = (n: number): string => String(n).padStart(2, "0");
const frac = (t: WallTime): string => `.${String(t.ns).padStart(9, "0")}0`;

/** One strftime letter of a %Tk directive (UTC), or null when GNU has none. */
function strftimeLetter(k: string, t: WallTime): string | null {
  const d = new Date(t.sec * 1000);
  const h = d.getUTCHours();
  const yday = Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1;
  const table: Record<string, () => string> = {
    "@": () => `${t.sec}${frac(t)}`,
    "+": () => `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}+${p2(h)}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}${frac(t)}`,
    a: () => DAYS[d.getUTCDay()]!, A: () => DAYS_LONG[d.getUTCDay()]!, b: () => MONTHS[d.getUTCMonth()]!, h: () => MONTHS[d.getUTCMonth()]!,
    B: () => MONTHS_LONG[d.getUTCMonth()]!, d: () => p2(d.getUTCDate()), e: () => String(d.getUTCDate()).padStart(2),
    D: () => `${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())}/${p2(d.getUTCFullYear() % 100)}`,
    F: () => `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`,
    H: () => p2(h), I: () => p2(h % 12 === 0 ? 12 : h % 12), k: () => String(h).padStart(2), l: () => String(h % 12 === 0 ? 12 : h % 12).padStart(2),
    j: () => String(yday).padStart(3, "0"), m: () => p2(d.getUTCMonth() + 1), M: () => p2(d.getUTCMinutes()), p: () => (h < 12 ? "AM" : "PM"),
    r: () => `${p2(h % 12 === 0 ? 12 : h % 12)}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${h < 12 ? "AM" : "PM"}`,
    s: () => String(t.sec), S: () => `${p2(d.getUTCSeconds())}${frac(t)}`, T: () => `${p2(h)}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}${frac(t)}`,
    u: () => String(d.getUTCDay() === 0 ? 7 : d.getUTCDay()), w: () => String(d.getUTCDay()), y: () => p2(d.getUTCFullYear() % 100),
    Y: () => String(d.getUTCFullYear()), Z: () => "UTC", z: () => "+0000",
  };
  const f = table[k];
  return f === undefined ? null : f();
}

/** ctime(3) with nanoseconds, as %t prints: `Fri Dec  4 13:08:05.7026748430 2026`. */
function ctimeText(t: WallTime): string {
  const d = new Date(t.sec * 1000);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}${frac(t)} ${d.getUTCFullYear()}`;
}

/** printf's %s with flags, width and precision. */
function padString(s: string, flags: string, width: number, prec: number): string {
  const v = prec >= 0 ? s.slice(0, prec) : s;
  if (v.length >= width) return v;
  return flags.includes("-") ? v.padEnd(width) : v.padStart(width);
}

/** printf's %d / %o with flags, width and precision. */
function padInt(n: number, octal: boolean, flags: string, width: number, prec: number): string {
  let digits = Math.abs(n).toString(octal ? 8 : 10);
  if (prec >= 0) digits = digits.padStart(prec, "0");
  if (octal && flags.includes("#") && !digits.startsWith("0")) digits = "0" + digits;
  const sign = n < 0 ? "-" : !octal && flags.includes("+") ? "+" : !octal && flags.includes(" ") ? " " : "";
  const body = sign + digits;
  if (body.length >= width) return body;
  if (flags.includes("-")) return body.padEnd(width);
  if (flags.includes("0") && prec < 0) return sign + digits.padStart(width - sign.length, "0");
  return body.padStart(width);
}

/** The base name %f prints (gnulib base_name: one trailing slash kept; "/" for a root). */
export function baseName(path: string): string {
  let end = path.length;
  while (end > 1 && path[end - 1] === "/") end--;
  const trimmed = path.slice(0, end);
  if (trimmed === "/") return "/";
  const start = trimmed.lastIndexOf("/") + 1;
  return path.slice(start, end < path.length ? end + 1 : end);
}

/** %h: the leading directories of the name without its trailing slashes (GNU 4.9's quirks included). */
function dirOf(path: string): string {
  const t = path.replace(/\/+$/, "");
  if (t === "") return "";
  const k = t.lastIndexOf("/");
  if (k >= 0) return path.slice(0, k);
  // no leading directory: ".", but GNU 4.9 prints a one-letter name with trailing slashes ("a//") less its last character
  return t.length === 1 && path.length > 1 ? path.slice(0, -1) : ".";
}

/** %Y: the type of what a symlink points to (N: nothing, L: a loop, ?: another error). */
function targetLetter(ctx: CommandContext, e: Entry): string {
  if (e.lst.type !== "link") return typeLetter(e.st);
  try {
    return typeLetter(ctx.vfs.stat(e.abs));
  } catch (err) {
    if (!(err instanceof SysError)) throw err;
    return err.errno === Errno.ENOENT ? "N" : err.errno === Errno.ELOOP ? "L" : "?";
  }
}

function linkTarget(ctx: CommandContext, e: Entry): string {
  if (e.lst.type !== "link") return "";
  try {
    return ctx.vfs.readlink(e.abs);
  } catch {
    return "";
  }
}

type Field = (e: Entry) => string | number;

/** The directives, by letter: a number is formatted as an integer (%d, %m octal), a string as %s. */
function fields(ctx: CommandContext): Record<string, Field> {
  return {
    p: (e) => e.path,
    f: (e) => baseName(e.path),
    h: (e) => dirOf(e.path),
    P: (e) => (e.depth === 0 ? "" : e.path.slice(e.start.length + (e.start.endsWith("/") ? 0 : 1))),
    H: (e) => e.start,
    d: (e) => e.depth,
    s: (e) => String(sizeOf(e.st)),
    m: (e) => e.st.mode & 0o7777,
    M: (e) => modeString(e.st),
    y: (e) => typeLetter(e.st),
    Y: (e) => targetLetter(ctx, e),
    l: (e) => linkTarget(ctx, e),
    k: (e) => String(Math.ceil(blocksOf(e.st) / 2)),
    b: (e) => String(blocksOf(e.st)),
    n: (e) => String(e.st.nlink),
    i: (e) => String(e.st.ino),
    u: (e) => userName(e.st.uid) ?? String(e.st.uid), g: (e) => groupName(e.st.gid) ?? String(e.st.gid),
    U: (e) => String(e.st.uid), G: (e) => String(e.st.gid),
    t: (e) => ctimeText(wallTime(ctx, e.st)), a: (e) => ctimeText(wallTime(ctx, e.st)), c: (e) => ctimeText(wallTime(ctx, e.st)),
  };
}

/**
 * Compiles a -printf format; warnings (unknown directives and escapes) go to
 * `warn` as they are met. Throws FindError for GNU's fatal format errors.
 */
export function compileFormat(ctx: CommandContext, fmt: string, warn: (msg: string) => void): Format {
  const table = fields(ctx);
  const parts: (string | Field | "stop")[] = [];
  let lit = "";
  const pushLit = (): void => {
    if (lit !== "") parts.push(lit);
    lit = "";
  };
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if (c === "\\") {
      const n = fmt[i + 1];
      if (n === undefined) {
        lit += "\\";
        continue;
      }
      i++;
      if (n === "c") {
        pushLit();
        parts.push("stop");
        break;
      }
      if (/[0-7]/.test(n)) {
        let oct = n;
        while (oct.length < 3 && /[0-7]/.test(fmt[i + 1] ?? "")) oct += fmt[++i];
        lit += String.fromCharCode(parseInt(oct, 8) & 0xff);
      } else if (ESCAPES[n] !== undefined) lit += ESCAPES[n];
      else {
        warn(`warning: unrecognized escape \`\\${n}'`);
        lit += "\\" + n;
      }
      continue;
    }
    if (c !== "%") {
      lit += c;
      continue;
    }
    const m = /^%([-+ #0]*)(\d*)(?:\.(\d*))?/.exec(fmt.slice(i))!;
    const flags = m[1]!;
    const width = m[2] === "" ? 0 : Number(m[2]);
    const prec = m[3] === undefined ? -1 : Number(m[3] === "" ? 0 : m[3]);
    let j = i + m[0].length;
    const conv = fmt[j];
    if (conv === undefined) throw new FindError([`error: % at end of format string`]);
    if (conv === "{" || conv === "[" || conv === "(") throw new FindError([`error: the format directive \`%${conv}' is reserved for future use`]);
    if (conv === "%") {
      lit += "%";
      i = j;
      continue;
    }
    if (conv === "A" || conv === "C" || conv === "T" || conv === "B") {
      const k = fmt[j + 1];
      if (k === undefined) throw new FindError([`error: missing time format letter after %${conv}`]);
      j++;
      pushLit();
      const birth = conv === "B";
      parts.push((e) => {
        if (birth) return "";
        const s = strftimeLetter(k, wallTime(ctx, e.st));
        return padString(s ?? `%${k}`, flags, width, prec);
      });
      i = j;
      continue;
    }
    const f = table[conv];
    if (f === undefined) {
      warn(`warning: unrecognized format directive \`%${conv}'`);
      lit += fmt.slice(i, j + 1);
      i = j;
      continue;
    }
    pushLit();
    parts.push((e) => {
      const v = f(e);
      return typeof v === "number" ? padInt(v, conv === "m", flags, width, prec) : padString(v, flags, width, prec);
    });
    i = j;
  }
  pushLit();
  return (e) => {
    let text = "";
    for (const p of parts) {
      if (p === "stop") return { text, stop: true };
      text += typeof p === "string" ? p : (p(e) as string);
    }
    return { text, stop: false };
  };
}

/** The -ls line: inode, KiB blocks, mode, links, owner, group, size, date, name (and `-> target`). */
export function lsLine(ctx: CommandContext, e: Entry): string {
  const st = e.st;
  const t = wallTime(ctx, st);
  const nowSec = Math.floor(ctx.hooks.wallClock(ctx.hooks.now()) / 1000);
  const d = new Date(t.sec * 1000);
  const recent = t.sec <= nowSec + 3600 && nowSec - t.sec < 15778476;
  const date = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${recent ? `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}` : ` ${d.getUTCFullYear()}`}`;
  const target = st.type === "link" ? ` -> ${linkTarget(ctx, e)}` : "";
  const owner = (userName(st.uid) ?? String(st.uid)).padEnd(8);
  const group = (groupName(st.gid) ?? String(st.gid)).padEnd(8);
  // findutils' listfile.c: a device's "MAJOR, MINOR" (3 digits each) in the 8-wide size column
  const size = st.type === "chr" || st.type === "blk" ? `${String(st.rdevMajor).padStart(3)}, ${String(st.rdevMinor).padStart(3)}` : String(sizeOf(st)).padStart(8);
  return `${String(st.ino).padStart(9)} ${String(Math.ceil(blocksOf(st) / 2)).padStart(6)} ${modeString(st)} ${String(st.nlink).padStart(3)} ${owner} ${group} ${size} ${date} ${e.path}${target}\n`;
}
