/**
 * sed (GNU sed 4.9's behaviour for what it implements): options -n, -e, -f,
 * -E/-r, -i[SUFFIX], -s, -l N, -z, -u, -b, --posix, --sandbox (long options
 * by unambiguous prefix, as getopt_long takes them); the script compiler is
 * sed_parse.ts, the executor sed_exec.ts, the input reader sed_input.ts.
 * Standard input is read as it is needed: `yes | sed 3q` ends, and q/Q stop
 * reading (the writer of the pipe then gets SIGPIPE). Not implemented: e,
 * --debug, --follow-symlinks' effect.
 */
import { Errno, SysError, strerror } from "../../lib/errno.js";
import { streaming } from "../stream.js";
import { STATUS_SIGINT, type CommandContext, type StreamRun } from "../types.js";
import { Output, Runner } from "./sed_exec.js";
import { Interrupted, SedInput } from "./sed_input.js";
import { Parser, SedError, type Cmd, type Fragment } from "./sed_parse.js";

const HELP_BODY = `Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...

  -n, --quiet, --silent
                 suppress automatic printing of pattern space
      --debug
                 annotate program execution
  -e script, --expression=script
                 add the script to the commands to be executed
  -f script-file, --file=script-file
                 add the contents of script-file to the commands to be executed
  --follow-symlinks
                 follow symlinks when processing in place
  -i[SUFFIX], --in-place[=SUFFIX]
                 edit files in place (makes backup if SUFFIX supplied)
  -l N, --line-length=N
                 specify the desired line-wrap length for the \`l' command
  --posix
                 disable all GNU extensions.
  -E, -r, --regexp-extended
                 use extended regular expressions in the script
                 (for portability use POSIX -E).
  -s, --separate
                 consider files as separate rather than as a single,
                 continuous long stream.
      --sandbox
                 operate in sandbox mode (disable e/r/w commands).
  -u, --unbuffered
                 load minimal amounts of data from the input files and flush
                 the output buffers more often
  -z, --null-data
                 separate lines by NUL characters
      --help     display this help and exit
      --version  output version information and exit

If no -e, --expression, -f, or --file option is given, then the first
non-option argument is taken as the sed script to interpret.  All
remaining arguments are names of input files; if no input files are
specified, then the standard input is read.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.
`;
const HELP = HELP_BODY + "E-mail bug reports to: <bug-sed@gnu.org>.\n";

const VERSION = `sed (GNU sed) 4.9
Packaged by Debian
Copyright (C) 2022 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Jay Fenlason, Tom Lord, Ken Pizzini,
Paolo Bonzini, Jim Meyering, and Assaf Gordon.

This sed program was built with SELinux support.
SELinux is disabled on this system.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.
E-mail bug reports to: <bug-sed@gnu.org>.
`;

/** Jumps in one cycle after which a session that cannot be interrupted stops sed (GNU would loop forever). */
const MAX_JUMPS = 1 << 24;

interface Options {
  quiet: boolean;
  extended: boolean;
  inPlace: string | null;
  separate: boolean;
  nul: boolean;
  lineLength: number;
  sandbox: boolean;
}

/** GNU sed's long options in its getopt table order (the order of an ambiguity message); arg: 0 none, 1 required, 2 optional. */
const LONG: [string, 0 | 1 | 2][] = [
  ["binary", 0], ["regexp-extended", 0], ["debug", 0], ["in-place", 2], ["expression", 1], ["file", 1], ["line-length", 1],
  ["null-data", 0], ["zero-terminated", 0], ["quiet", 0], ["posix", 0], ["silent", 0], ["sandbox", 0], ["separate", 0],
  ["unbuffered", 0], ["version", 0], ["help", 0], ["follow-symlinks", 0],
];

/** C's atoi: the leading integer of `s`, 0 when there is none. */
function atoi(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m === null ? 0 : Number(m[1]);
}

type Parsed = { o: Options; frags: Fragment[]; files: string[] } | { exit: number };

/** argv as GNU sed's getopt_long reads it (options and operands may mix; `--` ends options). */
function parseArgs(ctx: CommandContext): Parsed {
  const o: Options = { quiet: false, extended: false, inPlace: null, separate: false, nul: false, lineLength: 70, sandbox: false };
  const frags: Fragment[] = [];
  const files: string[] = [];
  const args = ctx.argv.slice(1);
  const usage = (m: string): Parsed => {
    ctx.stderr.write(`${m}\n${HELP_BODY}`);
    return { exit: 1 };
  };
  const scriptFile = (v: string): Parsed | null => {
    try {
      const t = v === "-" ? new TextDecoder().decode(ctx.stdin.readAll()) : ctx.vfs.readText(ctx.resolve(v));
      frags.push({ text: t.endsWith("\n") ? t.slice(0, -1) : t, file: v });
      return null;
    } catch (e) {
      if (!(e instanceof SysError)) throw e;
      ctx.stderr.write(`sed: couldn't open file ${v}: ${strerror(e.errno)}\n`);
      return { exit: 1 };
    }
  };
  /** One option by its short letter (long ones are mapped to it); null when it went well. */
  const apply = (c: string, v: string | undefined): Parsed | null => {
    switch (c) {
      case "n": o.quiet = true; break;
      case "E": case "r": o.extended = true; break;
      case "s": o.separate = true; break;
      case "z": o.nul = true; break;
      case "i": o.inPlace = v ?? ""; o.separate = true; break;
      case "e": frags.push({ text: v! }); break;
      case "f": return scriptFile(v!);
      case "l": o.lineLength = atoi(v!); break;
      case "sandbox": o.sandbox = true; break;
      case "debug":
        ctx.stderr.write("sed: --debug is not implemented by this sed\n");
        return { exit: 1 };
    }
    return null;
  };
  const LETTER: Record<string, string> = { "regexp-extended": "E", "in-place": "i", expression: "e", file: "f", "line-length": "l", "null-data": "z", "zero-terminated": "z", quiet: "n", silent: "n", separate: "s" };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      files.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const exact = LONG.find(([l]) => l === name);
      const cands = exact !== undefined ? [exact] : LONG.filter(([l]) => l.startsWith(name));
      if (cands.length > 1) return usage(`sed: option '${a}' is ambiguous; possibilities:${cands.map(([l]) => ` '--${l}'`).join("")}`);
      if (cands.length === 0) return usage(`sed: unrecognized option '${a}'`);
      const [long, kind] = cands[0]!;
      let v: string | undefined;
      if (kind === 0 && eq >= 0) return usage(`sed: option '--${long}' doesn't allow an argument`);
      if (kind === 1) {
        v = eq >= 0 ? a.slice(eq + 1) : args[++i];
        if (v === undefined) return usage(`sed: option '--${long}' requires an argument`);
      }
      if (kind === 2 && eq >= 0) v = a.slice(eq + 1);
      if (long === "version") {
        ctx.stdout.write(VERSION);
        return { exit: 0 };
      }
      if (long === "help") {
        ctx.stdout.write(HELP);
        return { exit: 0 };
      }
      const r = apply(LETTER[long] ?? long, v);
      if (r !== null) return r;
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const c = a[k]!;
        if ("nErszub".includes(c)) {
          const r = apply(c, undefined);
          if (r !== null) return r;
        } else if (c === "i") {
          apply(c, a.slice(k + 1) === "" ? undefined : a.slice(k + 1));
          break;
        } else if (c === "e" || c === "f" || c === "l") {
          const v = a.slice(k + 1) !== "" ? a.slice(k + 1) : args[++i];
          if (v === undefined) return usage(`sed: option requires an argument -- '${c}'`);
          const r = apply(c, v);
          if (r !== null) return r;
          break;
        } else return usage(`sed: invalid option -- '${c}'`);
      }
      continue;
    }
    files.push(a);
  }
  if (frags.length === 0) {
    const s = files.shift();
    if (s === undefined) {
      ctx.stderr.write(HELP_BODY);
      return { exit: 1 };
    }
    frags.push({ text: s });
  }
  return { o, frags, files };
}

/** A w file's output, written in pieces of up to 64 KiB (and whenever r or R is about to read files). */
class FileOut {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly h: { write(s: string): number }) {}
  write(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= 65536) this.flush();
  }
  flush(): void {
    if (this.parts.length === 0) return;
    this.h.write(this.parts.join(""));
    this.parts = [];
    this.size = 0;
  }
}

function* sedRun(ctx: CommandContext): StreamRun {
  const p = parseArgs(ctx);
  if ("exit" in p) return p.exit;
  const { o, frags, files } = p;
  const delim = o.nul ? "\0" : "\n";
  let cmds: Cmd[];
  let wnames: string[];
  try {
    const parser = new Parser(frags, o.extended, o.sandbox);
    cmds = parser.parse();
    wnames = parser.wfiles;
  } catch (e) {
    if (e instanceof SedError) {
      ctx.stderr.write(`${e.message}\n`);
      return e.status;
    }
    throw e;
  }
  const first = frags[0]!.text;
  if (first.startsWith("#n") && (first.length === 2 || first[2] === "\n")) o.quiet = true;
  if (o.inPlace !== null && files.length === 0) {
    ctx.stderr.write("sed: no input files\n");
    return 4;
  }

  // standard output, gathered and handed on in chunks
  let pending: string[] = [];
  let pendingSize = 0;
  const flushStdout = (): void => {
    if (pending.length === 0) return;
    const s = pending.join("");
    pending = [];
    pendingSize = 0;
    ctx.stdout.write(s);
  };
  const stdoutSink = (s: string): void => {
    pending.push(s);
    pendingSize += s.length;
  };
  const stdout = new Output(stdoutSink, delim);
  // w files are opened (truncated) before any input is read, as GNU does
  const fileOuts: FileOut[] = [];
  const wout = new Map<string, Output>();
  for (const name of wnames) {
    // its own missing-newline state, as GNU's own FILE entry for the name has
    if (name === "/dev/stdout") wout.set(name, new Output((s) => stdoutSink(s), delim));
    else if (name === "/dev/stderr") wout.set(name, new Output((s) => ctx.stderr.write(s), delim));
    else {
      try {
        const f = new FileOut(ctx.vfs.open(ctx.resolve(name), { write: true, create: true, trunc: true }));
        fileOuts.push(f);
        wout.set(name, new Output((s) => f.write(s), delim));
      } catch (e) {
        if (!(e instanceof SysError)) throw e;
        ctx.stderr.write(`sed: couldn't open file ${name}: ${strerror(e.errno)}\n`);
        return 4;
      }
    }
  }
  const flushFiles = (): void => fileOuts.forEach((f) => f.flush());
  const readFile = (name: string): string | null => {
    try {
      const node = ctx.vfs.lookup(ctx.resolve(name));
      return node?.kind === "dir" ? null : ctx.vfs.readText(ctx.resolve(name));
    } catch (e) {
      if (!(e instanceof SysError)) throw e;
      return null;
    }
  };
  const runner = new Runner(cmds, { quiet: o.quiet, delim, lineLength: o.lineLength, maxJumps: ctx.interruptible ? Infinity : MAX_JUMPS }, stdout, wout, readFile, () => ctx.interrupted(), flushFiles);
  const groups: string[][] = o.separate ? (files.length > 0 ? files : ["-"]).map((f) => [f]) : [files.length > 0 ? files : ["-"]];
  let status = 0;
  try {
    for (const group of groups) {
      let edited = "";
      let out = stdout;
      if (o.inPlace !== null) {
        const f = group[0]!;
        const node = ctx.vfs.lookup(ctx.resolve(f));
        if (node === undefined) {
          ctx.stderr.write(`sed: can't read ${f}: ${strerror(Errno.ENOENT)}\n`);
          status = 2;
          continue;
        }
        if (node.kind === "dir") {
          ctx.stderr.write(`sed: couldn't edit ${f}: not a regular file\n`);
          status = 4;
          continue;
        }
        out = new Output((s) => void (edited += s), delim);
      }
      const input = new SedInput(ctx, group, delim);
      const run = runner.run(input, out);
      for (;;) {
        const r = run.next();
        if (r.done) break;
        if (r.value === "input") {
          flushStdout();
          yield "input";
        } else if (pendingSize > 0) {
          // a batch of cycles is done: hand its output on
          flushStdout();
          yield;
        }
      }
      if (input.status !== 0) status = input.status;
      if (o.inPlace !== null) {
        const path = ctx.resolve(group[0]!);
        try {
          if (o.inPlace !== "") ctx.vfs.writeFile(o.inPlace.includes("*") ? o.inPlace.replace(/\*/g, group[0]!) : path + o.inPlace, ctx.vfs.readFile(path));
          ctx.vfs.writeFile(path, edited);
        } catch (e) {
          if (!(e instanceof SysError)) throw e;
          ctx.stderr.write(`sed: couldn't open temporary file ${path}: ${strerror(e.errno)}\n`);
          return 4;
        }
      }
      if (runner.quit) return runner.status;
    }
  } catch (e) {
    if (e instanceof Interrupted) return STATUS_SIGINT;
    flushStdout();
    if (e instanceof SedError) {
      ctx.stderr.write(`${e.message}\n`);
      return e.status;
    }
    throw e;
  } finally {
    flushFiles();
    flushStdout();
  }
  return status;
}

export const sed = streaming(sedRun);
