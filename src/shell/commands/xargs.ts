/**
 * xargs (GNU findutils 4.9): builds command lines from standard input and
 * runs them (the default command is echo). Input is split into arguments at
 * blanks and newlines, with '…', "…" and backslash quoting (or, with -0 / -d,
 * at NULs / a given delimiter, literally). -n N per line, -L N input lines,
 * -I STR replaces STR in the initial arguments, one line at a time; -r runs
 * nothing for empty input; -t echoes each command to stderr; -P is accepted
 * and runs one at a time. Statuses as GNU's: 123 when an invocation exited
 * 1..125, 124 when one exited 255 (xargs then stops), 126/127 when the
 * command cannot run or is not found.
 */
import type { CommandContext } from "../types.js";

const USAGE_HINT = "Try 'xargs --help' for more information.\n";

interface Opts {
  maxArgs: number;
  maxLines: number;
  replace: string | null;
  delim: string | null;
  noEmpty: boolean;
  verbose: boolean;
  eof: string | null;
}

/** Splits input as xargs does without -0/-d: blanks separate, quotes and backslashes protect. */
function splitQuoted(text: string, ctx: CommandContext): { args: string[]; lines: number[] } | null {
  const args: string[] = [];
  const lines: number[] = [];
  let line = 0;
  let cur = "";
  let has = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\n") {
      if (has) {
        args.push(cur);
        lines.push(line);
      }
      cur = "";
      has = false;
      line++;
      continue;
    }
    if (c === " " || c === "\t") {
      if (has) {
        args.push(cur);
        lines.push(line);
      }
      cur = "";
      has = false;
      continue;
    }
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      const nl = text.indexOf("\n", i + 1);
      if (end < 0 || (nl >= 0 && nl < end)) {
        ctx.stderr.write(`xargs: unmatched ${c === "'" ? "single" : "double"} quote; by default quotes are special to xargs unless you use the -0 option\n`);
        return null;
      }
      cur += text.slice(i + 1, end);
      has = true;
      i = end;
      continue;
    }
    if (c === "\\" && i + 1 < text.length) {
      cur += text[++i];
      has = true;
      continue;
    }
    cur += c;
    has = true;
  }
  if (has) {
    args.push(cur);
    lines.push(line);
  }
  return { args, lines };
}

/** One -I line with its quotes and backslashes taken out (blanks kept). */
function unquote(line: string, ctx: CommandContext): string | null {
  let out = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end < 0) {
        ctx.stderr.write(`xargs: unmatched ${c === "'" ? "single" : "double"} quote; by default quotes are special to xargs unless you use the -0 option\n`);
        return null;
      }
      out += line.slice(i + 1, end);
      i = end;
    } else if (c === "\\" && i + 1 < line.length) out += line[++i];
    else out += c;
  }
  return out;
}

function parse(ctx: CommandContext): { o: Opts; cmd: string[] } | number {
  const o: Opts = { maxArgs: 0, maxLines: 0, replace: null, delim: null, noEmpty: false, verbose: false, eof: null };
  const args = ctx.argv.slice(1);
  const bad = (msg: string): number => {
    ctx.stderr.write(`xargs: ${msg}\n${USAGE_HINT}`);
    return 1;
  };
  /** A count for -n/-L, or the status after GNU's message. */
  const count = (letter: string, v: string | undefined): number => {
    if (v === undefined) return -bad(`option requires an argument -- '${letter}'`);
    if (!/^\d+$/.test(v)) return -bad(`invalid number "${v}" for -${letter} option`);
    if (Number(v) < 1) return -bad(`value ${v} for -${letter} option should be >= 1`);
    return Number(v);
  };
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      i++;
      break;
    }
    if (!a.startsWith("-") || a === "-") break;
    const long = a.startsWith("--") ? a.slice(2).split("=")[0]! : null;
    const attached = long !== null ? (a.includes("=") ? a.slice(a.indexOf("=") + 1) : undefined) : a.length > 2 ? a.slice(2) : undefined;
    const opt = long ?? a[1]!;
    const value = (): string | undefined => attached ?? args[++i];
    switch (opt) {
      case "0": case "null":
        o.delim = "\0";
        if (long === null && attached !== undefined) return bad(`invalid option -- '${attached[0]}'`);
        break;
      case "d": case "delimiter": {
        const v = value();
        if (v === undefined) return bad("option requires an argument -- 'd'");
        o.delim = v === "\\n" ? "\n" : v === "\\t" ? "\t" : v === "\\0" ? "\0" : v;
        break;
      }
      case "n": case "max-args": {
        const n = count("n", value());
        if (n < 0) return -n;
        o.maxArgs = n;
        break;
      }
      case "L": case "max-lines": {
        const n = count("L", value());
        if (n < 0) return -n;
        o.maxLines = n;
        break;
      }
      case "I": case "replace": {
        const v = long === "replace" ? (attached ?? "{}") : value();
        if (v === undefined) return bad("option requires an argument -- 'I'");
        o.replace = v;
        break;
      }
      case "E": case "eof": {
        const v = value();
        o.eof = v ?? null;
        break;
      }
      case "P": case "max-procs":
        value();
        break;
      case "r": case "no-run-if-empty": o.noEmpty = true; break;
      case "t": case "verbose": o.verbose = true; break;
      case "x": case "exit": break;
      default:
        return bad(long !== null ? `unrecognized option '${a}'` : `invalid option -- '${opt}'`);
    }
    if (long === null && attached !== undefined && "rtx".includes(opt)) {
      // clustered flags (-rt)
      for (const f of attached) {
        if (f === "r") o.noEmpty = true;
        else if (f === "t") o.verbose = true;
        else if (f !== "x") return bad(`invalid option -- '${f}'`);
      }
    }
  }
  return { o, cmd: args.slice(i) };
}

/** Whether `name` is a program xargs can run (a path, or a name found on PATH). */
function found(ctx: CommandContext, name: string): boolean {
  if (name.includes("/")) return ctx.vfs.exists(ctx.resolve(name));
  const path = ctx.env["PATH"] ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  return path.split(":").some((d) => d !== "" && ctx.vfs.exists(`${d.replace(/\/+$/, "")}/${name}`));
}

const shq = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);

export function xargs(ctx: CommandContext): number {
  const p = parse(ctx);
  if (typeof p === "number") return p;
  const { o } = p;
  const base = p.cmd.length > 0 ? p.cmd : ["echo"];
  const text = new TextDecoder().decode(ctx.stdin.readAll());
  let items: string[];
  let lineOf: number[];
  if (o.replace !== null || o.delim !== null) {
    const d = o.delim ?? "\n";
    items = text.split(d);
    if (items[items.length - 1] === "") items.pop();
    if (o.replace !== null && o.delim === null) {
      // -I: a line is one argument, its leading blanks dropped, quotes and backslashes still taken out
      const lines: string[] = [];
      for (const l of items.map((x) => x.replace(/^[ \t]+/, "")).filter((x) => x !== "")) {
        const u = unquote(l, ctx);
        if (u === null) return 1;
        lines.push(u);
      }
      items = lines;
    }
    lineOf = items.map((_, k) => k);
  } else {
    const s = splitQuoted(text, ctx);
    if (s === null) return 1;
    items = s.args;
    lineOf = s.lines;
  }
  if (o.eof !== null) {
    const k = items.indexOf(o.eof);
    if (k >= 0) {
      items = items.slice(0, k);
      lineOf = lineOf.slice(0, k);
    }
  }
  // the command lines: -I one per item, -L per N input lines, -n per N arguments, else all at once
  const batches: string[][] = [];
  if (o.replace !== null) {
    for (const it of items) batches.push(base.map((a) => a.split(o.replace!).join(it)));
  } else {
    let cur: string[] = [];
    let firstLine = -1;
    for (let k = 0; k < items.length; k++) {
      if (o.maxLines > 0 && firstLine >= 0 && lineOf[k]! - firstLine >= o.maxLines && cur.length > 0) {
        batches.push(cur);
        cur = [];
        firstLine = -1;
      }
      if (firstLine < 0) firstLine = lineOf[k]!;
      cur.push(items[k]!);
      if (o.maxArgs > 0 && cur.length >= o.maxArgs) {
        batches.push(cur);
        cur = [];
        firstLine = -1;
      }
    }
    if (cur.length > 0) batches.push(cur);
    batches.forEach((b, k) => (batches[k] = [...base, ...b]));
    if (batches.length === 0 && !o.noEmpty) batches.push([...base]);
  }
  if (batches.length > 0 && !found(ctx, base[0]!)) {
    ctx.stderr.write(`xargs: ${base[0]}: No such file or directory\n`);
    return 127;
  }
  let status = 0;
  for (const argv of batches) {
    if (o.verbose) ctx.stderr.write(`${argv.map(shq).join(" ")}\n`);
    const r = ctx.exec(argv);
    if (r === 127 || r === 126) return r;
    if (r === 255) {
      ctx.stderr.write(`xargs: ${argv[0]}: exited with status 255; aborting\n`);
      return 124;
    }
    if (r >= 128) {
      ctx.stderr.write(`xargs: ${argv[0]}: terminated by signal ${r - 128}\n`);
      return 125;
    }
    if (r !== 0) status = 123;
  }
  return status;
}
