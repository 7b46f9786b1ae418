/**
 * getconf (glibc 2.36, Debian 12's libc-bin): sysconf, pathconf and confstr
 * values by name, `-a` for a listing. The CPU counts come from the files
 * glibc reads (__get_nprocs: /sys/devices/system/cpu/online;
 * __get_nprocs_conf: .../possible), the page counts from /proc/meminfo
 * (sysinfo's totalram and freeram).
 *
 * The variables are a subset of glibc's (the common limits, the CPU and
 * memory counts, the CPU's caches, and the path limits NAME_MAX, PATH_MAX,
 * PIPE_BUF); `-v SPEC`
 * is accepted and changes nothing (this machine has one environment, LP64).
 */
import type { CommandContext } from "../types.js";
import { SysError, strerror } from "../../lib/errno.js";
import { SPR_CACHES } from "../../system/cpu_cache_sysfs.js";

const USAGE = "Usage: getconf [-v specification] variable_name [pathname]\n       getconf -a [pathname]\n";
const HELP =
  "Usage: getconf [-v SPEC] VAR\n  or:  getconf [-v SPEC] PATH_VAR PATH\n\nGet the configuration value for variable VAR, or for variable PATH_VAR\n" +
  "for path PATH.  If SPEC is given, give values for compilation\nenvironment SPEC.\n\nFor bug reporting instructions, please see:\n<http://www.debian.org/Bugs/>.\n";
const VERSION =
  "getconf (Debian GLIBC 2.36-9+deb12u14) 2.36\nCopyright (C) 2022 Free Software Foundation, Inc.\nThis is free software; see the source for copying conditions.  There is NO\n" +
  "warranty; not even for MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.\nWritten by Roland McGrath.\n";

/** A variable's value: a number, a string (confstr), or null for "no limit" (printed as "undefined", empty in -a). */
type Value = number | bigint | string | null;

interface Var {
  name: string;
  /** pathconf(): needs a path; `stat` when glibc's answer needs statfs() (a missing path is an error). */
  path?: { stat: boolean };
  value: (ctx: CommandContext) => Value;
}

const PAGE_SIZE = 4096;

/** glibc's read_sysfs_file(): the CPUs of a kernel cpulist ("0-159"), 0 when unreadable. */
function cpusIn(ctx: CommandContext, file: string): number {
  let text: string;
  try {
    text = ctx.vfs.readText(file);
  } catch {
    return 0;
  }
  let n = 0;
  for (const part of text.trim().split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (m !== null) n += m[2] === undefined ? 1 : Number(m[2]) - Number(m[1]) + 1;
  }
  return n;
}

/** get_nprocs_fallback()'s last resort when nothing can be read: 2 (not a uniprocessor, so atomics are used). */
function nprocs(ctx: CommandContext, file: string): number {
  const n = cpusIn(ctx, file);
  return n > 0 ? n : 2;
}

/** sysinfo() fields from /proc/meminfo, in pages (the kernel's si_meminfo()). */
function meminfoPages(ctx: CommandContext, field: string): Value {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(ctx.vfs.readText("/proc/meminfo"));
    return m === null ? null : Math.floor((Number(m[1]) * 1024) / PAGE_SIZE);
  } catch {
    return null;
  }
}

const constant = (v: Value) => () => v;

/** The variables, in the order `getconf -a` prints them (glibc's getconf.c vars[]). */
const VARS: Var[] = [
  { name: "NAME_MAX", path: { stat: true }, value: constant(255) },
  { name: "_POSIX_NAME_MAX", path: { stat: true }, value: constant(255) },
  { name: "PATH_MAX", path: { stat: false }, value: constant(4096) },
  { name: "_POSIX_PATH_MAX", path: { stat: false }, value: constant(4096) },
  { name: "PIPE_BUF", path: { stat: false }, value: constant(4096) },
  { name: "_POSIX_PIPE_BUF", path: { stat: false }, value: constant(4096) },
  // sysconf(_SC_ARG_MAX): a quarter of the 8 MiB stack limit
  { name: "ARG_MAX", value: constant(2097152) },
  { name: "CHAR_BIT", value: constant(8) },
  { name: "CHAR_MAX", value: constant(127) },
  { name: "CHAR_MIN", value: constant(-128) },
  { name: "CLK_TCK", value: constant(100) },
  { name: "INT_MAX", value: constant(2147483647) },
  { name: "INT_MIN", value: constant(-2147483648) },
  { name: "IOV_MAX", value: constant(1024) },
  { name: "LOGNAME_MAX", value: constant(256) },
  { name: "LONG_BIT", value: constant(64) },
  { name: "NGROUPS_MAX", value: constant(65536) },
  { name: "NZERO", value: constant(20) },
  // RLIMIT_NOFILE's soft limit, as the shell's ulimit -n shows it
  { name: "OPEN_MAX", value: constant(1024) },
  { name: "PAGESIZE", value: constant(PAGE_SIZE) },
  { name: "PAGE_SIZE", value: constant(PAGE_SIZE) },
  { name: "SCHAR_MAX", value: constant(127) },
  { name: "SCHAR_MIN", value: constant(-128) },
  { name: "SHRT_MAX", value: constant(32767) },
  { name: "SHRT_MIN", value: constant(-32768) },
  // glibc answers _POSIX_SSIZE_MAX here
  { name: "SSIZE_MAX", value: constant(32767) },
  { name: "TTY_NAME_MAX", value: constant(32) },
  { name: "TZNAME_MAX", value: constant(null) },
  { name: "UCHAR_MAX", value: constant(255) },
  { name: "UINT_MAX", value: constant(4294967295) },
  { name: "ULONG_MAX", value: constant(18446744073709551615n) },
  { name: "USHRT_MAX", value: constant(65535) },
  { name: "WORD_BIT", value: constant(32) },
  { name: "_AVPHYS_PAGES", value: (ctx) => meminfoPages(ctx, "MemFree") },
  { name: "_NPROCESSORS_CONF", value: (ctx) => nprocs(ctx, "/sys/devices/system/cpu/possible") },
  { name: "_NPROCESSORS_ONLN", value: (ctx) => nprocs(ctx, "/sys/devices/system/cpu/online") },
  { name: "_PHYS_PAGES", value: (ctx) => meminfoPages(ctx, "MemTotal") },
  { name: "LINE_MAX", value: constant(2048) },
  { name: "POSIX2_LINE_MAX", value: constant(2048) },
  { name: "RE_DUP_MAX", value: constant(32767) },
  { name: "PATH", value: constant("/bin:/usr/bin") },
  { name: "STREAM_MAX", value: constant(16) },
  { name: "HOST_NAME_MAX", value: constant(64) },
  { name: "LOGIN_NAME_MAX", value: constant(256) },
  { name: "GNU_LIBC_VERSION", value: constant("glibc 2.36") },
  { name: "GNU_LIBPTHREAD_VERSION", value: constant("NPTL 2.36") },
  // glibc's handle_intel(): CPUID leaf 4 of the machine's Sapphire Rapids cores (no L4)
  ...cacheVars(),
];

/** LEVELn_* from the CPU's caches (what /sys/devices/system/cpu/cpu0/cache shows). */
function cacheVars(): Var[] {
  const out: Var[] = [];
  const leaf = (level: number, type: string) => SPR_CACHES.find((c) => c.level === level && (c.type === type || c.type === "Unified"));
  const names: [string, number, string][] = [["LEVEL1_ICACHE", 1, "Instruction"], ["LEVEL1_DCACHE", 1, "Data"], ["LEVEL2_CACHE", 2, ""], ["LEVEL3_CACHE", 3, ""], ["LEVEL4_CACHE", 4, ""]];
  for (const [name, level, type] of names) {
    const c = leaf(level, type);
    out.push({ name: `${name}_SIZE`, value: constant(c === undefined ? 0 : c.sizeKiB * 1024) });
    out.push({ name: `${name}_ASSOC`, value: constant(c === undefined ? 0 : c.ways) });
    out.push({ name: `${name}_LINESIZE`, value: constant(c === undefined ? 0 : 64) });
  }
  return out;
}

const BY_NAME = new Map(VARS.map((v) => [v.name, v]));

/** pathconf(): the value, or the errno message when glibc would need statfs() of a path that is not there. */
function pathValue(ctx: CommandContext, v: Var, path: string): Value | { error: string } {
  if (v.path?.stat === true) {
    try {
      ctx.vfs.stat(ctx.resolve(path));
    } catch (e) {
      if (e instanceof SysError) return { error: strerror(e.errno) };
      throw e;
    }
  }
  return v.value(ctx);
}

function show(v: Value): string {
  return v === null ? "undefined" : String(v);
}

/** print_all(): every variable as `%-35s` and its value (empty where there is none). */
function printAll(ctx: CommandContext, path: string): number {
  let out = "";
  for (const v of VARS) {
    const r = v.path !== undefined ? pathValue(ctx, v, path) : v.value(ctx);
    const text = r === null || (typeof r === "object" && r !== null && "error" in r) ? "" : String(r);
    out += `${v.name.padEnd(35)}${text}\n`;
  }
  ctx.stdout.write(out);
  return 0;
}

export function getconf(ctx: CommandContext): number {
  let args = ctx.argv.slice(1);
  const usage = (): number => {
    ctx.stderr.write(USAGE);
    return 2;
  };
  if (args[0] === "--help") {
    ctx.stdout.write(HELP);
    return 0;
  }
  if (args[0] === "--version") {
    ctx.stdout.write(VERSION);
    return 0;
  }
  if (args[0] === "--") args = args.slice(1);
  // -v SPEC / -vSPEC: the compilation environment (only LP64 here, so nothing changes)
  if (args[0] !== undefined && args[0].startsWith("-v")) {
    if (args[0] === "-v") {
      if (args.length < 2) return usage();
      args = args.slice(2);
    } else args = args.slice(1);
  }
  if (args[0] === "-a") {
    if (args.length > 2) return usage();
    return printAll(ctx, args[1] ?? "/");
  }
  if (args.length < 1 || args.length > 2) return usage();
  const name = args[0]!;
  const v = BY_NAME.get(name);
  if (v === undefined) {
    ctx.stderr.write(`getconf: Unrecognized variable \`${name}'\n`);
    return 2;
  }
  if ((v.path !== undefined) !== (args.length === 2)) return usage();
  const r = v.path !== undefined ? pathValue(ctx, v, args[1]!) : v.value(ctx);
  if (r !== null && typeof r === "object" && "error" in r) {
    ctx.stderr.write(`getconf: pathconf: ${args[1]}: ${r.error}\n`);
    return 3;
  }
  ctx.stdout.write(`${show(r)}\n`);
  return 0;
}
