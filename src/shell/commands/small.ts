/** Small utilities: basename, dirname, readlink, seq, env, uname, sleep, which, sync, yes-free. */
import { SysError, strerror } from "../../lib/errno.js";
import { STATUS_SIGINT, type CommandContext } from "../types.js";
import { parseArgs } from "./_util.js";
import { joinPath } from "../pattern.js";

function baseOf(p: string): string {
  if (p === "") return "";
  const t = p.replace(/\/+$/, "");
  if (t === "") return "/";
  return t.slice(t.lastIndexOf("/") + 1);
}

export function basename(ctx: CommandContext): number {
  const p = parseArgs(ctx, { short: "as:z", long: { multiple: { key: "a" }, suffix: { key: "s", arg: true }, zero: { key: "z" } } });
  if (typeof p === "number") return p;
  const prog = ctx.argv[0]!;
  if (p.operands.length === 0) {
    ctx.stderr.write(`${prog}: missing operand\nTry '${prog} --help' for more information.\n`);
    return 1;
  }
  const multi = p.opts.has("a") || p.opts.has("s");
  if (!multi && p.operands.length > 2) {
    ctx.stderr.write(`${prog}: extra operand '${p.operands[2]}'\nTry '${prog} --help' for more information.\n`);
    return 1;
  }
  const suffix = (p.opts.get("s") as string | undefined) ?? (multi ? undefined : p.operands[1]);
  const names = multi ? p.operands : [p.operands[0]!];
  let out = "";
  for (const n of names) {
    let b = baseOf(n);
    if (suffix !== undefined && suffix !== "" && b.endsWith(suffix) && b !== suffix) b = b.slice(0, -suffix.length);
    out += b + (p.opts.has("z") ? "\0" : "\n");
  }
  ctx.stdout.write(out);
  return 0;
}

export function dirname(ctx: CommandContext): number {
  const p = parseArgs(ctx, { short: "z", long: { zero: { key: "z" } } });
  if (typeof p === "number") return p;
  const prog = ctx.argv[0]!;
  if (p.operands.length === 0) {
    ctx.stderr.write(`${prog}: missing operand\nTry '${prog} --help' for more information.\n`);
    return 1;
  }
  let out = "";
  for (const n of p.operands) {
    const t = n.replace(/\/+$/, "");
    let d: string;
    if (n.startsWith("/") && t === "") d = "/";
    else {
      const i = t.lastIndexOf("/");
      d = i < 0 ? "." : t.slice(0, i).replace(/\/+$/, "") || "/";
    }
    out += d + "\n";
  }
  ctx.stdout.write(out);
  return 0;
}

export function readlink(ctx: CommandContext): number {
  const p = parseArgs(ctx, { short: "femnqsvz", long: { canonicalize: { key: "f" }, "canonicalize-existing": { key: "e" }, "canonicalize-missing": { key: "m" }, "no-newline": { key: "n" }, quiet: { key: "q" }, silent: { key: "s" }, verbose: { key: "v" } } });
  if (typeof p === "number") return p;
  const prog = ctx.argv[0]!;
  if (p.operands.length === 0) {
    ctx.stderr.write(`${prog}: missing operand\nTry '${prog} --help' for more information.\n`);
    return 1;
  }
  let st = 0;
  let out = "";
  const canon = p.opts.has("f") || p.opts.has("e") || p.opts.has("m");
  for (const f of p.operands) {
    const path = ctx.resolve(f);
    try {
      if (canon) {
        try {
          out += ctx.vfs.realpath(path) + "\n";
        } catch (e) {
          if (p.opts.has("e") || !(e instanceof SysError)) throw e;
          const parent = ctx.vfs.realpath(joinPath(path, ".."));
          out += joinPath(parent, baseOf(path)) + "\n";
        }
      } else out += ctx.vfs.readlink(path) + "\n";
    } catch (e) {
      if (!(e instanceof SysError)) throw e;
      if (p.opts.has("v")) ctx.stderr.write(`${prog}: ${f}: ${strerror(e.errno)}\n`);
      st = 1;
    }
  }
  if (p.opts.has("n")) out = out.replace(/\n$/, "");
  ctx.stdout.write(out);
  return st;
}


export function env(ctx: CommandContext): number {
  const args = ctx.argv.slice(1);
  const vars: Record<string, string> = {};
  let clear = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-i" || a === "-") clear = true;
    else if (a === "-u") delete vars[args[++i] ?? ""];
    else if (/^[^=]+=/.test(a)) {
      const eq = a.indexOf("=");
      vars[a.slice(0, eq)] = a.slice(eq + 1);
    } else if (a.startsWith("-") && a !== "--") {
      ctx.stderr.write(`${ctx.argv[0]}: invalid option -- '${a[1]}'\nTry '${ctx.argv[0]} --help' for more information.\n`);
      return 125;
    } else break;
  }
  const base = clear ? {} : { ...ctx.env };
  const all = { ...base, ...vars };
  if (i >= args.length) {
    ctx.stdout.write(Object.entries(all).map(([k, v]) => `${k}=${v}\n`).join(""));
    return 0;
  }
  return ctx.exec(args.slice(i), all);
}

export function uname(ctx: CommandContext): number {
  const p = parseArgs(ctx, { short: "asnrvmpio", long: { all: { key: "a" }, "kernel-name": { key: "s" }, nodename: { key: "n" }, "kernel-release": { key: "r" }, "kernel-version": { key: "v" }, machine: { key: "m" }, processor: { key: "p" }, "hardware-platform": { key: "i" }, "operating-system": { key: "o" } } });
  if (typeof p === "number") return p;
  const read = (path: string, dflt: string): string => {
    try {
      return ctx.vfs.readText(path).trim() || dflt;
    } catch {
      return dflt;
    }
  };
  const f: Record<string, string> = {
    s: "Linux",
    n: read("/proc/sys/kernel/hostname", "iaa-emu"),
    r: read("/proc/sys/kernel/osrelease", "6.8.0-iaa-emu"),
    v: read("/proc/sys/kernel/version", "#1 SMP PREEMPT_DYNAMIC"),
    m: "x86_64",
    p: "x86_64",
    i: "x86_64",
    o: "GNU/Linux",
  };
  let keys = ["s", "n", "r", "v", "m", "p", "i", "o"].filter((k) => p.opts.has(k));
  if (p.opts.has("a")) keys = ["s", "n", "r", "v", "m", "o"];
  if (keys.length === 0) keys = ["s"];
  ctx.stdout.write(keys.map((k) => f[k]).join(" ") + "\n");
  return 0;
}

export function sleep(ctx: CommandContext): number {
  const args = ctx.argv.slice(1);
  const prog = ctx.argv[0]!;
  if (args.length === 0) {
    ctx.stderr.write(`${prog}: missing operand\nTry '${prog} --help' for more information.\n`);
    return 1;
  }
  let total = 0;
  for (const a of args) {
    const m = /^(\d+\.?\d*|\.\d+)([smhd]?)$/.exec(a);
    if (m === null) {
      ctx.stderr.write(`${prog}: invalid time interval '${a}'\nTry '${prog} --help' for more information.\n`);
      return 1;
    }
    total += Number(m[1]) * ({ "": 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]!]!;
  }
  // virtual time passes at once; a Ctrl-C that arrived meanwhile is the status
  if (ctx.interrupted()) return STATUS_SIGINT;
  ctx.hooks.sleep(total);
  return ctx.interrupted() ? STATUS_SIGINT : 0;
}

/** `clear`: the terminal's clear-screen sequence (ncurses' clear for TERM=xterm: cursor home, erase display, erase scrollback). */
export function clear(ctx: CommandContext): number {
  ctx.stdout.write("\x1b[H\x1b[2J\x1b[3J");
  return 0;
}

export function which(ctx: CommandContext): number {
  const names = ctx.argv.slice(1).filter((a) => !a.startsWith("-"));
  let st = 0;
  let out = "";
  for (const n of names) {
    let found: string | null = null;
    if (n.includes("/")) {
      const node = ctx.vfs.lookup(ctx.resolve(n));
      if (node !== undefined && node.kind !== "dir" && (node.mode & 0o111) !== 0) found = n;
    } else {
      for (const dir of (ctx.env.PATH ?? "").split(":")) {
        const p = joinPath(dir === "" ? ctx.cwd : ctx.resolve(dir), n);
        const node = ctx.vfs.lookup(p);
        if (node !== undefined && node.kind !== "dir" && (node.mode & 0o111) !== 0) {
          found = joinPath(dir, n);
          break;
        }
      }
    }
    if (found === null) st = 1;
    else out += found + "\n";
  }
  ctx.stdout.write(out);
  return st;
}

export function sync(_ctx: CommandContext): number {
  return 0;
}
