/**
 * stat: display file status (GNU coreutils 9.1): the default format (with
 * `Device type:` for devices), -t/--terse, -c/--format (a newline after
 * each file), --printf (backslash escapes, no newline), -L/--dereference,
 * --cached=MODE (accepted; the machine has no cache to bypass).
 *
 * Not here: -f/--file-system (refused with one line) and `stat -` (stdin's
 * status). The machine keeps one time per file, its modification time, so
 * access and change times are that time too, and no birth time (`-`, 0 as
 * on a file system without one). %C has no SELinux context, as on a host
 * without SELinux labels.
 */
import { SysError, Errno, strerror } from "../../lib/errno.js";
import type { Stat } from "../../kernfs/vfs.js";
import type { CommandContext } from "../types.js";
import { parseArgs } from "./_util.js";
import { groupName, userName } from "./_owners.js";
import { QUOTING_STYLES, quoteName, utf8Locale, type QuotingStyle } from "./_gnu_quote.js";
import { modeString } from "./ls.js";
import { blocksOf, sizeOf } from "./find_types.js";
import { wallTime } from "./find_printf.js";
import { StatFormatError, expandStatFormat, type StatValue } from "./stat_format.js";

const VERSION = `stat (GNU coreutils) 9.1
Copyright (C) 2022 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Michael Meskes.
`;

const HELP = `Usage: stat [OPTION]... FILE...
Display file or file system status.

Mandatory arguments to long options are mandatory for short options too.
  -L, --dereference     follow links
  -f, --file-system     display file system status instead of file status
      --cached=MODE     specify how to use cached attributes;
                          useful on remote file systems. See MODE below
  -c  --format=FORMAT   use the specified FORMAT instead of the default;
                          output a newline after each use of FORMAT
      --printf=FORMAT   like --format, but interpret backslash escapes,
                          and do not output a mandatory trailing newline;
                          if you want a newline, include \\n in FORMAT
  -t, --terse           print the information in terse form
      --help        display this help and exit
      --version     output version information and exit

The MODE argument of --cached can be: always, never, or default.
'always' will use cached attributes if available, while
'never' will try to synchronize with the latest attributes, and
'default' will leave it up to the underlying file system.

The valid format sequences for files (without --file-system):

  %a   permission bits in octal (note '#' and '0' printf flags)
  %A   permission bits and file type in human readable form
  %b   number of blocks allocated (see %B)
  %B   the size in bytes of each block reported by %b
  %C   SELinux security context string
  %d   device number in decimal (st_dev)
  %D   device number in hex (st_dev)
  %Hd  major device number in decimal
  %Ld  minor device number in decimal
  %f   raw mode in hex
  %F   file type
  %g   group ID of owner
  %G   group name of owner
  %h   number of hard links
  %i   inode number
  %m   mount point
  %n   file name
  %N   quoted file name with dereference if symbolic link
  %o   optimal I/O transfer size hint
  %s   total size, in bytes
  %r   device type in decimal (st_rdev)
  %R   device type in hex (st_rdev)
  %Hr  major device type in decimal, for character/block device special files
  %Lr  minor device type in decimal, for character/block device special files
  %t   major device type in hex, for character/block device special files
  %T   minor device type in hex, for character/block device special files
  %u   user ID of owner
  %U   user name of owner
  %w   time of file birth, human-readable; - if unknown
  %W   time of file birth, seconds since Epoch; 0 if unknown
  %x   time of last access, human-readable
  %X   time of last access, seconds since Epoch
  %y   time of last data modification, human-readable
  %Y   time of last data modification, seconds since Epoch
  %z   time of last status change, human-readable
  %Z   time of last status change, seconds since Epoch

Valid format sequences for file systems:

  %a   free blocks available to non-superuser
  %b   total data blocks in file system
  %c   total file nodes in file system
  %d   free file nodes in file system
  %f   free blocks in file system
  %i   file system ID in hex
  %l   maximum length of filenames
  %n   file name
  %s   block size (for faster transfers)
  %S   fundamental block size (for block counts)
  %t   file system type in hex
  %T   file system type in human readable form

--terse is equivalent to the following FORMAT:
    %n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %W %o %C
--terse --file-system is equivalent to the following FORMAT:
    %n %i %l %t %s %S %b %f %a %c %d

NOTE: your shell may have its own version of stat, which usually supersedes
the version described here.  Please refer to your shell's documentation
for details about the options it supports.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/stat>
or available locally via: info '(coreutils) stat invocation'
`;

// stat.c default_format(): the lines of the default and terse formats
const FMT_HEAD = "  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n";
const FMT_DEVICE = "Device: %Hd,%Ld\tInode: %-10i  Links: %-5h Device type: %Hr,%Lr\n";
const FMT_OTHER = "Device: %Hd,%Ld\tInode: %-10i  Links: %h\n";
const FMT_TAIL = "Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\nAccess: %x\nModify: %y\nChange: %z\n Birth: %w\n";
const FMT_TERSE = "%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %W %o\n";

/** S_IFMT bits of each type. */
const S_IFMT: Record<Stat["type"], number> = { file: 0o100000, dir: 0o040000, link: 0o120000, chr: 0o020000, blk: 0o060000 };
/** gnulib file_type(). */
const TYPE_NAMES: Record<Stat["type"], string> = { file: "regular file", dir: "directory", link: "symbolic link", chr: "character special file", blk: "block special file" };
/** Where each file system is mounted (%m). */
const MOUNT_POINTS: Record<Stat["fsType"], string> = { tmpfs: "/", sysfs: "/sys", debugfs: "/sys/kernel/debug", proc: "/proc", devtmpfs: "/dev" };
const CACHED_MODES = ["default", "never", "always"];

/** glibc's makedev(): the dev_t of a major and minor number. */
function makedev(major: number, minor: number): number {
  return (minor & 0xff) + (major & 0xfff) * 0x100 + Math.floor(minor / 0x100) * 0x100000 + Math.floor(major / 0x1000) * 0x100000000000;
}

/** ASCII 'x' quoting of GNU's quote() in the C locale, ‘x’ in a UTF-8 one. */
function localeQuote(ctx: CommandContext): (s: string) => string {
  const loc = ctx.env["LC_ALL"] || ctx.env["LC_MESSAGES"] || ctx.env["LANG"] || "";
  return /utf-?8/i.test(loc) ? (s) => `‘${s}’` : (s) => `'${s}'`;
}

export function stat(ctx: CommandContext): number {
  const p = parseArgs(ctx, {
    short: "Lfc:t",
    long: { dereference: { key: "L" }, "file-system": { key: "f" }, format: { key: "c", arg: true }, printf: { key: "printf", arg: true }, terse: { key: "t" }, cached: { key: "cached", arg: true }, help: { key: "help" }, version: { key: "version" } },
  });
  if (typeof p === "number") return p;
  const o = p.opts;
  const q = localeQuote(ctx);
  if (o.has("help")) {
    ctx.stdout.write(HELP);
    return 0;
  }
  if (o.has("version")) {
    ctx.stdout.write(VERSION);
    return 0;
  }
  const cached = o.get("cached");
  // argmatch(): a unique prefix names a mode; "" is a prefix of all of them
  const matching = typeof cached === "string" ? CACHED_MODES.filter((m) => m.startsWith(cached)) : [];
  if (typeof cached === "string" && matching.length !== 1 && !CACHED_MODES.includes(cached)) {
    ctx.stderr.write(`stat: ${matching.length > 1 ? "ambiguous" : "invalid"} argument ${q(cached)} for ${q("--cached")}\nValid arguments are:\n${CACHED_MODES.map((m) => `  - ${q(m)}\n`).join("")}Try 'stat --help' for more information.\n`);
    return 1;
  }
  if (o.has("f")) {
    ctx.stderr.write("stat: --file-system is not supported on this machine\n");
    return 1;
  }
  if (p.operands.length === 0) {
    ctx.stderr.write("stat: missing operand\nTry 'stat --help' for more information.\n");
    return 1;
  }
  // the last of -c/--format/--printf counts, as getopt leaves it
  let userFormat: string | undefined;
  let escapes = false;
  for (const { key, value } of p.list) {
    if ((key === "c" || key === "printf") && typeof value === "string") {
      userFormat = value;
      escapes = key === "printf";
    }
  }
  const utf8 = utf8Locale(ctx.env);
  // %N quotes as QUOTING_STYLE says only with a format given; the default format shows names as they are
  let style: QuotingStyle = "literal";
  if (userFormat !== undefined && userFormat.includes("%N")) {
    const env = ctx.env["QUOTING_STYLE"];
    style = "shell-escape-always";
    if (env !== undefined) {
      if ((QUOTING_STYLES as readonly string[]).includes(env)) style = env as QuotingStyle;
      else ctx.stderr.write(`stat: ignoring invalid value of environment variable QUOTING_STYLE: ${q(env)}\n`);
    }
  }
  const follow = o.has("L");
  const terse = o.has("t");
  const quoteaf = (s: string): string => quoteName(s, "shell-escape-always", utf8);
  let status = 0;
  let out = "";
  for (const name of p.operands) {
    const path = ctx.resolve(name);
    let st: Stat;
    try {
      if (name === "") throw new SysError(Errno.ENOENT, "statx", name);
      st = follow ? ctx.vfs.stat(path) : ctx.vfs.lstat(path);
    } catch (e) {
      if (!(e instanceof SysError)) throw e;
      ctx.stdout.write(out);
      out = "";
      ctx.stderr.write(`stat: cannot statx ${quoteaf(name)}: ${strerror(e.errno)}\n`);
      status = 1;
      continue;
    }
    const isDev = st.type === "chr" || st.type === "blk";
    const format = userFormat ?? (terse ? FMT_TERSE : FMT_HEAD + (isDev ? FMT_DEVICE : FMT_OTHER) + FMT_TAIL);
    // -c ends each file's text with a newline (print_it()'s trailing_delim), after the format
    const trailer = userFormat !== undefined && !escapes ? "\n" : "";
    let failed = false;
    const lookup = (letter: string, mod: string): StatValue | null => {
      const v = directive(ctx, st, name, path, letter, mod, (s) => quoteName(s, style, utf8));
      if (v === "context") {
        failed = true;
        return { kind: "string", v: "?" };
      }
      return v;
    };
    const warnings: string[] = [];
    try {
      out += expandStatFormat(format, lookup, escapes, (m) => warnings.push(m), q) + trailer;
    } catch (e) {
      if (!(e instanceof StatFormatError)) throw e;
      ctx.stdout.write(out + e.partial);
      ctx.stderr.write(`stat: ${e.message}\n`);
      return 1;
    }
    if (warnings.length > 0 || failed) {
      ctx.stdout.write(out);
      out = "";
      for (const w of warnings) ctx.stderr.write(`stat: ${w}\n`);
    }
    if (failed) {
      ctx.stderr.write(`stat: failed to get security context of ${quoteaf(name)}: ${strerror(Errno.ENODATA)}\n`);
      status = 1;
    }
  }
  ctx.stdout.write(out);
  return status;
}

/** print_stat(): one directive's value for the file (`context` for %C, which has none to give). */
function directive(ctx: CommandContext, st: Stat, name: string, path: string, letter: string, mod: string, quote: (s: string) => string): StatValue | "context" | null {
  const str = (v: string): StatValue => ({ kind: "string", v });
  const uint = (v: number, radix?: 8 | 16): StatValue => ({ kind: "uint", v, radix });
  const epoch = (): StatValue => {
    const t = wallTime(ctx, st);
    return { kind: "epoch", sec: t.sec, ns: t.ns };
  };
  switch (letter) {
    case "n": return str(name);
    case "N": {
      if (st.type !== "link") return str(quote(name));
      let target = "";
      try {
        target = ctx.vfs.readlink(path);
      } catch {
        /* it was a link a moment ago */
      }
      return str(`${quote(name)} -> ${quote(target)}`);
    }
    case "d": return uint(mod === "H" ? st.devMajor : mod === "L" ? st.devMinor : makedev(st.devMajor, st.devMinor));
    case "D": return uint(makedev(st.devMajor, st.devMinor), 16);
    case "r": return uint(mod === "H" ? st.rdevMajor : mod === "L" ? st.rdevMinor : makedev(st.rdevMajor, st.rdevMinor));
    case "R": return uint(makedev(st.rdevMajor, st.rdevMinor), 16);
    case "t": return uint(st.rdevMajor, 16);
    case "T": return uint(st.rdevMinor, 16);
    case "i": return uint(st.ino);
    case "a": return uint(st.mode & 0o7777, 8);
    case "A": return str(modeString(st));
    case "f": return uint(S_IFMT[st.type] | (st.mode & 0o7777), 16);
    case "F": return str(st.type === "file" && sizeOf(st) === 0 ? "regular empty file" : TYPE_NAMES[st.type]);
    case "h": return uint(st.nlink);
    case "u": return uint(st.uid);
    case "U": return str(userName(st.uid) ?? "UNKNOWN");
    case "g": return uint(st.gid);
    case "G": return str(groupName(st.gid) ?? "UNKNOWN");
    case "m": return str(MOUNT_POINTS[st.fsType]);
    case "s": return { kind: "int", v: sizeOf(st) };
    case "b": return uint(blocksOf(st));
    case "B": return uint(512);
    case "o": return uint(st.fsType === "proc" ? 1024 : 4096);
    case "x":
    case "y":
    case "z": return str(humanTime(ctx, st));
    case "X":
    case "Y":
    case "Z": return epoch();
    case "w": return str("-");
    case "W": return { kind: "epoch", sec: 0, ns: 0 };
    case "C": return "context";
  }
  return null;
}

/** human_time(): `2026-03-03 07:50:00.000000000 +0000` (the machine's clock is UTC). */
function humanTime(ctx: CommandContext, st: Stat): string {
  const t = wallTime(ctx, st);
  const d = new Date(t.sec * 1000);
  const p2 = (n: number): string => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(t.ns).padStart(9, "0")} +0000`;
}
