/**
 * man: shows the machine's manual pages as man-db 2.11 does when its output
 * is not a terminal (no pager, no formatting escapes). Pages are looked up in
 * `<manpath>/man<N>/<page>.<N>[.gz]`, the manpath being -M, $MANPATH or
 * /usr/local/share/man:/usr/share/man. The pages iaa-emu installs are stored
 * preformatted, so a page's file is printed as it is.
 *
 * Modes: pages (default; `man PAGE…`, `man 1 PAGE…`, `man -s 1 PAGE…`, -a, -w),
 * whatis (-f) and apropos (-k), which read each page's NAME line.
 */
import { gunzipSync } from "node:zlib";
import { SysError } from "../../lib/errno.js";
import type { CommandContext } from "../types.js";

/** man-db's default section search order. */
const SECTION_ORDER = ["1", "n", "l", "8", "3", "0", "2", "3type", "3posix", "3pm", "3perl", "3am", "5", "4", "9", "6", "7"];
const DEFAULT_MANPATH = "/usr/local/share/man:/usr/share/man";
const MAN_VERSION = "2.11.2";

/** Exit statuses of man-db. */
const OK = 0;
const FAIL = 1;
const FATAL = 2;
const NOT_FOUND = 16;

interface ManOptions {
  sections: string[] | null;
  manpath: string | null;
  all: boolean;
  where: boolean;
  mode: "page" | "whatis" | "apropos";
  ignoreCase: boolean;
  operands: string[];
}

/** A page file found on the manpath. */
interface Found {
  path: string;
  section: string;
}

/** Long options: name → [takes an argument, what it sets]. */
const LONG: Record<string, [boolean, string]> = {
  sections: [true, "s"],
  manpath: [true, "M"],
  all: [false, "a"],
  where: [false, "w"],
  path: [false, "w"],
  location: [false, "w"],
  whatis: [false, "f"],
  apropos: [false, "k"],
  "ignore-case": [false, "i"],
  "match-case": [false, "I"],
  pager: [true, "P"],
  locale: [true, "L"],
  encoding: [true, "E"],
  version: [false, "V"],
  help: [false, "?"],
  usage: [false, "usage"],
};
/** Short options; a trailing ":" takes an argument. */
const SHORT = "s:S:M:awfkiIP:L:E:Vh?";

const HELP =
  "Usage: man [OPTION...] [SECTION] PAGE...\n\n" +
  "  -a, --all                  find all matching manual pages\n" +
  "  -f, --whatis               equivalent to whatis\n" +
  "  -i, --ignore-case          look for pages case-insensitively (default)\n" +
  "  -I, --match-case           look for pages case-sensitively\n" +
  "  -k, --apropos              equivalent to apropos\n" +
  "  -M, --manpath=PATH         set search path for manual pages to PATH\n" +
  "  -s, -S, --sections=LIST    use colon separated section list\n" +
  "  -w, --where, --path, --location\n" +
  "                             print physical location of man page(s)\n" +
  "  -?, -h, --help             give this help list\n" +
  "      --usage                give a short usage message\n" +
  "  -V, --version              print program version\n";
const USAGE = "Usage: man [-afhIikVw?] [-L LOCALE] [-E ENCODING] [-M PATH] [-P PAGER] [-s LIST]\n            [--all] [--apropos] [--encoding=ENCODING] [--help] [--ignore-case]\n            [--locale=LOCALE] [--location] [--match-case] [--manpath=PATH]\n            [--pager=PAGER] [--path] [--sections=LIST] [--usage] [--version]\n            [--whatis] [--where] [SECTION] PAGE...\n";

/** man-db's is_section(): a known section, or a digit followed by a non-digit and more. */
function isSection(s: string): boolean {
  if (SECTION_ORDER.includes(s)) return true;
  return s.length >= 2 && s[0]! >= "0" && s[0]! <= "9" && !(s[1]! >= "0" && s[1]! <= "9");
}

/** argp's usage complaint: two lines on stderr, exit 1. */
function usageError(ctx: CommandContext, msg: string): number {
  ctx.stderr.write(`man: ${msg}\nTry 'man --help' or 'man --usage' for more information.\n`);
  return FAIL;
}

/** Parses argv like argp (options anywhere, unique prefixes of long names, `--` ends them); a number is an exit status. */
function parseMan(ctx: CommandContext): ManOptions | number {
  const o: ManOptions = { sections: null, manpath: null, all: false, where: false, mode: "page", ignoreCase: true, operands: [] };
  const args = ctx.argv.slice(1);
  const apply = (key: string, value: string | undefined): number | null => {
    switch (key) {
      case "s":
      case "S":
        o.sections = value!.split(/[:,]/).filter((x) => x !== "");
        break;
      case "M":
        o.manpath = value!;
        break;
      case "a":
        o.all = true;
        break;
      case "w":
        o.where = true;
        break;
      case "f":
        o.mode = "whatis";
        break;
      case "k":
        o.mode = "apropos";
        break;
      case "i":
        o.ignoreCase = true;
        break;
      case "I":
        o.ignoreCase = false;
        break;
      case "V":
        ctx.stdout.write(`man ${MAN_VERSION}\n`);
        return OK;
      case "?":
      case "h":
        ctx.stdout.write(HELP);
        return OK;
      case "usage":
        ctx.stdout.write(USAGE);
        return OK;
      default:
        // -P, -L, -E: the pager is cat off a terminal, and pages are stored in one locale and encoding
        break;
    }
    return null;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      o.operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const matches = Object.keys(LONG).filter((l) => l.startsWith(name));
      const exact = matches.includes(name) ? name : matches.length === 1 ? matches[0] : undefined;
      if (exact === undefined) return usageError(ctx, matches.length > 1 ? `option '${a}' is ambiguous` : `unrecognized option '${a}'`);
      const [takes, key] = LONG[exact]!;
      let value: string | undefined;
      if (takes) {
        value = eq >= 0 ? a.slice(eq + 1) : args[++i];
        if (value === undefined) return usageError(ctx, `option '--${exact}' requires an argument`);
      } else if (eq >= 0) return usageError(ctx, `option '--${exact}' doesn't allow an argument`);
      const r = apply(key, value);
      if (r !== null) return r;
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const k = SHORT.indexOf(c);
        if (k < 0 || c === ":") return usageError(ctx, `invalid option -- '${c}'`);
        let value: string | undefined;
        if (SHORT[k + 1] === ":") {
          value = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (value === undefined) return usageError(ctx, `option requires an argument -- '${c}'`);
          j = a.length;
        }
        const r = apply(c, value);
        if (r !== null) return r;
      }
      continue;
    }
    o.operands.push(a);
  }
  return o;
}

function manpathDirs(ctx: CommandContext, o: ManOptions): string[] {
  const spec = o.manpath ?? ctx.env["MANPATH"] ?? DEFAULT_MANPATH;
  // an empty component of $MANPATH stands for the default path
  const parts = spec.split(":").flatMap((p) => (p === "" ? DEFAULT_MANPATH.split(":") : [p]));
  return [...new Set(parts.map((p) => ctx.resolve(p)))];
}

function listDir(ctx: CommandContext, dir: string): string[] {
  try {
    return ctx.vfs.readdir(dir);
  } catch (e) {
    if (e instanceof SysError) return [];
    throw e;
  }
}

/** Every file for `name` in `sections` (search order), first match per directory and section. */
function findPages(ctx: CommandContext, o: ManOptions, name: string, sections: readonly string[]): Found[] {
  const found: Found[] = [];
  const want = o.ignoreCase ? name.toLowerCase() : name;
  for (const sec of sections) {
    for (const base of manpathDirs(ctx, o)) {
      for (const sub of new Set([`man${sec}`, `man${sec[0]}`])) {
        const dir = `${base}/${sub}`;
        for (const f of listDir(ctx, dir).sort()) {
          const m = pageFileName(f);
          if (m === null || m[2] !== sec) continue;
          if ((o.ignoreCase ? m[1]!.toLowerCase() : m[1]) !== want) continue;
          const path = `${dir}/${f}`;
          if (!found.some((x) => x.path === path)) found.push({ path, section: sec });
        }
      }
    }
  }
  return found;
}

/** `name.sec` or `name.sec.gz` → [, name, sec]; null for other files. */
function pageFileName(f: string): RegExpExecArray | null {
  return /^(.+)\.([^.]+)$/.exec(f.endsWith(".gz") ? f.slice(0, -3) : f);
}

function readPage(ctx: CommandContext, path: string): string | null {
  try {
    let data = ctx.vfs.readFile(path);
    if (path.endsWith(".gz")) data = gunzipSync(data);
    return new TextDecoder().decode(data);
  } catch (e) {
    if (e instanceof SysError) return null;
    if (e instanceof Error && "code" in e && typeof e.code === "string" && e.code.startsWith("Z_")) return null;
    throw e;
  }
}

/** The NAME line of a formatted page: "name - description", joined across lines. */
function nameLine(text: string): { names: string; description: string } | null {
  const lines = text.split("\n");
  const at = lines.indexOf("NAME");
  if (at < 0) return null;
  const body: string[] = [];
  for (let i = at + 1; i < lines.length && lines[i]!.trim() !== ""; i++) body.push(lines[i]!.trim());
  const joined = body.join(" ");
  const dash = joined.indexOf(" - ");
  if (dash < 0) return null;
  return { names: joined.slice(0, dash), description: joined.slice(dash + 3) };
}

function whatisLine(name: string, section: string, description: string): string {
  return `${`${name} (${section})`.padEnd(20)} - ${description}\n`;
}

/** Every page on the manpath with its NAME line, in name order. */
function allPages(ctx: CommandContext, o: ManOptions): { name: string; section: string; description: string }[] {
  const out: { name: string; section: string; description: string }[] = [];
  const seen = new Set<string>();
  for (const base of manpathDirs(ctx, o)) {
    for (const sub of listDir(ctx, base).sort()) {
      if (!sub.startsWith("man")) continue;
      for (const f of listDir(ctx, `${base}/${sub}`).sort()) {
        const m = pageFileName(f);
        if (m === null || seen.has(`${m[1]}.${m[2]}`)) continue;
        seen.add(`${m[1]}.${m[2]}`);
        const text = readPage(ctx, `${base}/${sub}/${f}`);
        const nl = text === null ? null : nameLine(text);
        out.push({ name: m[1]!, section: m[2]!, description: nl?.description ?? "(unknown subject)" });
      }
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.section < b.section ? -1 : 1));
}

function whatis(ctx: CommandContext, o: ManOptions): number {
  if (o.operands.length === 0) {
    ctx.stdout.write("whatis what?\n");
    return FAIL;
  }
  const pages = allPages(ctx, o);
  let any = false;
  for (const kw of o.operands) {
    const hits = pages.filter((p) => (o.ignoreCase ? p.name.toLowerCase() === kw.toLowerCase() : p.name === kw) && (o.sections === null || o.sections.includes(p.section)));
    for (const p of hits) ctx.stdout.write(whatisLine(kw, p.section, p.description));
    if (hits.length === 0) ctx.stderr.write(`${kw}: nothing appropriate.\n`);
    else any = true;
  }
  return any ? OK : NOT_FOUND;
}

function apropos(ctx: CommandContext, o: ManOptions): number {
  if (o.operands.length === 0) {
    ctx.stdout.write("apropos what?\n");
    return FAIL;
  }
  const res: RegExp[] = [];
  for (const kw of o.operands) {
    try {
      res.push(new RegExp(kw, "i"));
    } catch {
      ctx.stderr.write(`apropos: fatal: regex \`${kw}': Invalid regular expression\n`);
      return FATAL;
    }
  }
  const pages = allPages(ctx, o).filter((p) => o.sections === null || o.sections.includes(p.section));
  const matched = new Set<number>();
  res.forEach((re, k) => {
    let hit = false;
    pages.forEach((p, i) => {
      if (re.test(p.name) || re.test(p.description)) {
        matched.add(i);
        hit = true;
      }
    });
    if (!hit) ctx.stderr.write(`${o.operands[k]}: nothing appropriate.\n`);
  });
  for (const i of [...matched].sort((a, b) => a - b)) ctx.stdout.write(whatisLine(pages[i]!.name, pages[i]!.section, pages[i]!.description));
  return matched.size > 0 ? OK : NOT_FOUND;
}

/**
 * `man [OPTION…] [SECTION] PAGE…`: each page's text to stdout, one after the
 * other; `No manual entry for PAGE [in section N]` and exit 16 for a page that
 * is not installed; a usage complaint and exit 1 without a page or with a bad option.
 *
 * @example
 * man 1 accel-config-config-wq | head -1   # ACCEL-CONFIG-CONFIG-WQ(1) …
 */
export function man(ctx: CommandContext): number {
  const o = parseMan(ctx);
  if (typeof o === "number") return o;
  if (o.mode === "whatis") return whatis(ctx, o);
  if (o.mode === "apropos") return apropos(ctx, o);
  let names = o.operands;
  let section: string | null = null;
  if (o.sections === null && names.length > 0 && isSection(names[0]!)) {
    if (names.length === 1) {
      ctx.stderr.write(`No manual entry for ${names[0]}\n(Alternatively, what manual page do you want from section ${names[0]}?)\nFor example, try 'man man'.\n`);
      return FAIL;
    }
    section = names[0]!;
    names = names.slice(1);
  }
  if (names.length === 0) {
    ctx.stderr.write("What manual page do you want?\nFor example, try 'man man'.\n");
    return FAIL;
  }
  const sections = section !== null ? [section] : (o.sections ?? SECTION_ORDER);
  const shownSection = section ?? (o.sections !== null ? o.sections.join(":") : null);
  let status = OK;
  for (const name of names) {
    let found: Found[];
    if (name.includes("/")) {
      // a name with a slash is a file of its own
      const path = ctx.resolve(name);
      found = ctx.vfs.exists(path) ? [{ path, section: "" }] : [];
    } else found = findPages(ctx, o, name, sections);
    if (!o.all) found = found.slice(0, 1);
    let shown = 0;
    for (const f of found) {
      if (o.where) {
        ctx.stdout.write(`${f.path}\n`);
        shown++;
        continue;
      }
      const text = readPage(ctx, f.path);
      if (text === null) continue;
      ctx.stdout.write(text);
      shown++;
    }
    if (shown === 0) {
      ctx.stderr.write(shownSection !== null ? `No manual entry for ${name} in section ${shownSection}\n` : `No manual entry for ${name}\n`);
      status = NOT_FOUND;
    }
  }
  return status;
}
