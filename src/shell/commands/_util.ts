/**
 * Shared helpers of the file commands: GNU-style option parsing and input reading.
 */
import { SysError, strerror } from "../../lib/errno.js";
import { readSome } from "../stream.js";
import type { CommandContext, StreamYield } from "../types.js";

/** Parsed options (by short letter or long name key) and operands. */
export interface ParsedArgs {
  opts: Map<string, string | true>;
  list: { key: string; value: string | true }[];
  operands: string[];
}

/** Option table: `short` letters (a trailing ":" takes an argument), long names mapping to a key. */
export interface OptSpec {
  short: string;
  long?: Record<string, { key: string; arg?: boolean }>;
  /** Exit status for usage errors (1 for most, 2 for ls/grep). */
  usageStatus?: number;
}

/**
 * Parses argv[1..] like getopt_long (permuting operands); on a bad option prints
 * GNU's message and returns the usage status.
 */
export function parseArgs(ctx: CommandContext, spec: OptSpec, args = ctx.argv.slice(1)): ParsedArgs | number {
  const prog = ctx.argv[0]!;
  const fail = (msg: string): number => {
    ctx.stderr.write(`${prog}: ${msg}\nTry '${prog} --help' for more information.\n`);
    return spec.usageStatus ?? 1;
  };
  const res: ParsedArgs = { opts: new Map(), list: [], operands: [] };
  const set = (key: string, value: string | true): void => {
    res.opts.set(key, value);
    res.list.push({ key, value });
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      res.operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const matches = Object.keys(spec.long ?? {}).filter((l) => l.startsWith(name));
      const exact = matches.includes(name) ? name : matches.length === 1 ? matches[0] : undefined;
      if (exact === undefined) return matches.length > 1 ? fail(`option '${a}' is ambiguous`) : fail(`unrecognized option '${a}'`);
      const o = spec.long![exact]!;
      if (o.arg === true) {
        let v = eq >= 0 ? a.slice(eq + 1) : args[++i];
        if (v === undefined) return fail(`option '--${exact}' requires an argument`);
        set(o.key, v);
      } else {
        if (eq >= 0) return fail(`option '--${exact}' doesn't allow an argument`);
        set(o.key, true);
      }
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const k = spec.short.indexOf(c);
        if (k < 0 || c === ":") return fail(`invalid option -- '${c}'`);
        if (spec.short[k + 1] === ":") {
          const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (v === undefined) return fail(`option requires an argument -- '${c}'`);
          set(c, v);
          break;
        }
        set(c, true);
      }
      continue;
    }
    res.operands.push(a);
  }
  return res;
}

/** Reads a file operand ("-" = stdin); prints `prog: FILE: error` and returns null on failure. */
export function readInput(ctx: CommandContext, file: string): Uint8Array | null {
  if (file === "-") return ctx.stdin.readAll();
  try {
    const h = ctx.vfs.open(ctx.resolve(file), { read: true });
    try {
      return h.read();
    } finally {
      h.close();
    }
  } catch (e) {
    if (e instanceof SysError) {
      ctx.stderr.write(`${ctx.argv[0]}: ${file}: ${strerror(e.errno)}\n`);
      return null;
    }
    throw e;
  }
}

const dec = new TextDecoder();

/** UTF-8 text of bytes. */
export function text(b: Uint8Array): string {
  return dec.decode(b);
}

/** Splits text into lines (without newlines); a final newline does not make an empty line. */
export function lines(t: string): string[] {
  if (t === "") return [];
  const l = t.split("\n");
  if (l[l.length - 1] === "") l.pop();
  return l;
}

/** Reads all operands (or stdin when none) as one text per input; failures are reported. */
export function readAll(ctx: CommandContext, files: string[]): { name: string; data: Uint8Array | null }[] {
  const list = files.length === 0 ? ["-"] : files;
  return list.map((f) => ({ name: f, data: readInput(ctx, f) }));
}

/** Devices whose reads never reach end of file. */
const ENDLESS: Record<string, number> = { "/dev/zero": 0 };
/** Bytes per read(2) of a streaming command (coreutils' IO_BUFSIZE is 128 KiB). */
export const IO_CHUNK = 128 * 1024;

/**
 * Reads a file operand ("-" = stdin) in chunks of at most `chunk` bytes,
 * calling `fn` with each until it returns false, the input ends or SIGINT
 * arrives (ctx.interrupted()). Endless devices (/dev/zero) stream until one
 * of those. A generator for streaming programs: it yields after each chunk
 * and while stdin (a pipe) is empty. Returns "ok", "error" (reported as
 * `prog: FILE: error`) or "interrupted".
 */
export function* eachChunk(ctx: CommandContext, file: string, fn: (chunk: Uint8Array) => boolean | void, chunk = IO_CHUNK): Generator<StreamYield, "ok" | "error" | "interrupted", void> {
  if (file === "-") {
    for (;;) {
      if (ctx.interrupted()) return "interrupted";
      const c = yield* readSome(ctx.stdin, chunk);
      if (c === null) return "ok";
      if (c.length > 0 && fn(c) === false) return "ok";
      yield;
    }
  }
  const path = ctx.resolve(file);
  const fill = ENDLESS[path];
  if (fill !== undefined && ctx.vfs.exists(path)) {
    const buf = new Uint8Array(chunk).fill(fill);
    for (let n = 0; ; n += chunk) {
      if (ctx.interrupted()) return "interrupted";
      if (!ctx.interruptible && n >= 1 << 30) {
        ctx.stderr.write(`${ctx.argv[0]}: ${file}: stopped after ${n} bytes: this session cannot be interrupted (no Ctrl-C)\n`);
        return "error";
      }
      if (fn(buf) === false) return "ok";
      yield;
    }
  }
  const data = readInput(ctx, file);
  if (data === null) return "error";
  for (let o = 0; o < data.length; o += chunk) {
    if (ctx.interrupted()) return "interrupted";
    if (fn(data.subarray(o, Math.min(data.length, o + chunk))) === false) return "ok";
    yield;
  }
  return "ok";
}

/**
 * The lines of a file operand ("-" = stdin) as they arrive, each with its
 * newline (the last one may lack it), in batches: `fn` gets the complete
 * lines of each chunk. Same results as {@link eachChunk}.
 */
export function* eachLines(ctx: CommandContext, file: string, fn: (lines: string[]) => boolean | void): Generator<StreamYield, "ok" | "error" | "interrupted", void> {
  // the text after the last newline so far, in pieces (a long line is joined once, when its newline arrives)
  let rest: string[] = [];
  const td = new TextDecoder();
  let stopped = false;
  const r = yield* eachChunk(ctx, file, (c) => {
    const t = td.decode(c, { stream: true });
    const end = t.lastIndexOf("\n") + 1;
    if (end === 0) {
      if (t !== "") rest.push(t);
      return;
    }
    rest.push(t.slice(0, end));
    const ls = rest.join("").split(/(?<=\n)/);
    rest = end < t.length ? [t.slice(end)] : [];
    if (fn(ls) === false) {
      stopped = true;
      return false;
    }
  });
  if (r === "ok" && !stopped) {
    const last = rest.join("") + td.decode();
    if (last !== "") fn([last]);
  }
  return r;
}
