/**
 * awk as Debian's mawk 1.3.4 20200120 runs it: its options (-F, -v, -f,
 * `--`, -W version/usage/help/exec/interactive/random/sprintf/posix_space
 * by prefix, "vacuous option" for others), its messages and statuses, and
 * the run of the program (awk_interp.ts) as a streaming command: standard
 * input is read as it is needed. The lexer and parser are awk_parse.ts;
 * values, printf, records, output streams and rand() are awk_value.ts,
 * awk_format.ts, awk_input.ts, awk_output.ts and awk_random.ts. Not
 * implemented: -W dump (a one-line error). Compared with the host's mawk in
 * test/shell/awk.test.ts.
 */
import { SysError, strerror } from "../../lib/errno.js";
import { SigPipe, STATUS_SIGPIPE } from "../signals.js";
import { streaming } from "../stream.js";
import { STATUS_SIGINT, type CommandContext, type StreamRun } from "../types.js";
import { Awk, Break, Continue, Next, Return } from "./awk_interp.js";
import { AwkSyntaxError, parseAwk, type Program } from "./awk_parse.js";
import { AwkOpenError, AwkRuntimeError, Interrupted, StrNum, unescape } from "./awk_value.js";

const USAGE = `Usage: mawk [Options] [Program] [file ...]

Program:
    The -f option value is the name of a file containing program text.
    If no -f option is given, a "--" ends option processing; the following
    parameters are the program text.

Options:
    -f program-file  Program  text is read from file instead of from the
                     command-line.  Multiple -f options are accepted.
    -F value         sets the field separator, FS, to value.
    -v var=value     assigns value to program variable var.
    --               unambiguous end of options.

    Implementation-specific options are prefixed with "-W".  They can be
    abbreviated:

    -W version       show version information and exit.
    -W dump          show assembler-like listing of program and exit.
    -W help          show this message and exit.
    -W interactive   set unbuffered output, line-buffered input.
    -W exec file     use file as program as well as last option.
    -W random=number set initial random seed.
    -W sprintf=number adjust size of sprintf buffer.
    -W posix_space   do not consider "\\n" a space.
    -W usage         show this message and exit.
`;

const VERSION = "mawk 1.3.4 20200120\nCopyright 2008-2019,2020, Thomas E. Dickey\nCopyright 1991-1996,2014, Michael D. Brennan\n\n";
const LIMITS = "random-funcs:       srandom/random\nregex-funcs:        internal\ncompiled limits:\nsprintf buffer      8192\nmaximum-integer     2147483647\n";

/** mawk's -W options in its table order (a prefix picks the first that matches); arg: takes a value (`name=value`; exec's may be the next argument). */
const W_OPTIONS: { name: string; arg: boolean }[] = [
  { name: "version", arg: false }, { name: "dump", arg: false }, { name: "exec", arg: true }, { name: "help", arg: false },
  { name: "interactive", arg: false }, { name: "posix_space", arg: false }, { name: "random", arg: true }, { name: "sprintf", arg: true },
  { name: "usage", arg: false },
];

const ASSIGN_RE = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

interface Parsed {
  /** The program text, or the program files. */
  text: string | null;
  progFiles: string[];
  /** -F and -v in the order given: [name, value]. */
  sets: [string, string][];
  operands: string[];
  interactive: boolean;
  /** -W dump: not implemented (refused once there is a program to dump). */
  dump: boolean;
}

/** argv as mawk's process_cmdline reads it: options until the first operand, then the program (unless -f) and the operands. */
function parseArgs(ctx: CommandContext, prog: string): Parsed | { exit: number } {
  const args = ctx.argv;
  const fail = (msg: string): { exit: number } => {
    ctx.stderr.write(`${prog}: ${msg}\n`);
    return { exit: 2 };
  };
  if (args.length <= 1) {
    ctx.stderr.write(USAGE);
    return { exit: 0 };
  }
  const p: Parsed = { text: null, progFiles: [], sets: [], operands: [], interactive: false, dump: false };
  let i = 1;
  for (; i < args.length && args[i]!.startsWith("-"); ) {
    const a = args[i]!;
    if (a === "-") {
      if (p.progFiles.length === 0) return { exit: 0 };
      break;
    }
    if (a.length > 2 && a.startsWith("--")) return fail(`not an option: ${a}`);
    let optArg: string | undefined;
    let nextArg: number;
    if (a.length === 2) {
      if (i === args.length - 1 && a[1] !== "-") return "WFvf".includes(a[1]!) ? fail(`option ${a} lacks argument`) : fail(`not an option: ${a}`);
      optArg = args[i + 1];
      nextArg = i + 2;
    } else {
      optArg = a.slice(2);
      nextArg = i + 1;
    }
    const v = optArg ?? "";
    switch (a[1]) {
      case "W": {
        const r = wOptions(ctx, prog, v, p, args, nextArg);
        if ("exit" in r) return r;
        nextArg = r.next;
        if (r.stop) {
          i = nextArg;
          p.operands = args.slice(i);
          return p;
        }
        break;
      }
      case "v": {
        const m = ASSIGN_RE.exec(v);
        if (m === null) return fail(`improper assignment: -v ${v}`);
        p.sets.push([m[1]!, m[2]!]);
        break;
      }
      case "F":
        p.sets.push(["FS", v]);
        break;
      case "f":
        p.progFiles.push(v);
        break;
      case "-":
        i++;
        return finish(p, args, i);
      default:
        return fail(`not an option: ${a}`);
    }
    i = nextArg;
  }
  return finish(p, args, i);
}

function finish(p: Parsed, args: string[], i: number): Parsed | { exit: number } {
  if (p.progFiles.length > 0) {
    p.operands = args.slice(i);
    return p;
  }
  if (i >= args.length) return { exit: 0 };
  p.text = args[i]!;
  p.operands = args.slice(i + 1);
  return p;
}

/** One -W argument: comma-separated names (by prefix), `name=value` for those that take one. */
function wOptions(ctx: CommandContext, prog: string, arg: string, p: Parsed, args: string[], next: number): { next: number; stop: boolean } | { exit: number } {
  let j = 0;
  while (j < arg.length) {
    while (arg[j] === ",") j++;
    if (j >= arg.length) break;
    let e = j;
    while (e < arg.length && arg[e] !== "," && arg[e] !== "=") e++;
    const word = arg.slice(j, e);
    const opt = W_OPTIONS.find((o) => o.name.startsWith(word.toLowerCase()));
    let value: string | undefined;
    if (arg[e] === "=") {
      let k = e + 1;
      while (k < arg.length && arg[k] !== ",") k++;
      value = arg.slice(e + 1, k);
      e = k;
    } else if (opt?.name === "exec" && !arg.includes(",", e) && next < args.length) value = args[next++];
    if (opt === undefined) {
      ctx.stderr.write(`${prog}: vacuous option: -W ${arg.slice(j)}\n`);
      j = e + 1;
      continue;
    }
    switch (opt.name) {
      case "version":
        ctx.stdout.write(VERSION);
        ctx.stderr.write(LIMITS);
        return { exit: 0 };
      case "help":
      case "usage":
        ctx.stderr.write(USAGE);
        return { exit: 0 };
      case "dump":
        p.dump = true;
        break;
      case "exec":
        if (value === undefined) return { exit: 0 };
        p.progFiles.push(value);
        return { next, stop: true };
      case "interactive":
        p.interactive = true;
        break;
      case "random":
      case "sprintf":
        if (value === undefined) {
          ctx.stderr.write(`${prog}: missing value for -W ${opt.name}\n`);
          return { exit: 2 };
        }
        // mawk 1.3.4 20200120 seeds with 0 whatever the value (glibc takes it as 1), and srand() then gives ""
        if (opt.name === "random") p.sets.push(["\0srand", ""]);
        break;
    }
    j = e + 1;
  }
  return { next, stop: false };
}

function* awkRun(ctx: CommandContext): StreamRun {
  const prog = ctx.argv[0]!.slice(ctx.argv[0]!.lastIndexOf("/") + 1);
  const p = parseArgs(ctx, prog);
  if ("exit" in p) return p.exit;
  if (p.dump) {
    ctx.stderr.write(`${prog}: -W dump is not implemented by this awk\n`);
    return 2;
  }
  let text: string;
  if (p.text === null) {
    const parts: string[] = [];
    for (const f of p.progFiles) {
      try {
        parts.push(f === "-" || f === "/dev/stdin" ? new TextDecoder().decode(ctx.stdin.readAll()) : ctx.vfs.readText(ctx.resolve(f)));
      } catch (e) {
        if (!(e instanceof SysError)) throw e;
        ctx.stderr.write(`${prog}: cannot open ${f} (${strerror(e.errno)})\n`);
        return 2;
      }
    }
    text = parts.join("\n");
  } else text = p.text;
  let program: Program;
  try {
    program = parseAwk(text);
  } catch (e) {
    if (!(e instanceof AwkSyntaxError)) throw e;
    ctx.stderr.write(`${prog}: ${e.message}\n`);
    return 2;
  }
  const a = new Awk(ctx, program, prog, p.operands);
  // as mawk: standard output to a terminal is unbuffered (a prompt shows before getline waits)
  if (p.interactive || ctx.stdout.isTty === true) a.out.interactive = true;
  for (const [name, value] of p.sets) {
    if (name === "\0srand") a.srandUninit();
    else a.setVar(name, new StrNum(unescape(value)));
  }
  let status: number;
  try {
    status = yield* a.main();
    a.out.closeAll();
  } catch (e) {
    if (e instanceof Interrupted) return STATUS_SIGINT;
    // killed by SIGPIPE: what was buffered is lost, as in a process that dies of it
    if (e instanceof SigPipe) return STATUS_SIGPIPE;
    const msg = e instanceof AwkOpenError ? e.message : e instanceof AwkRuntimeError ? `run time error: ${e.message}` : e instanceof Break || e instanceof Continue || e instanceof Next || e instanceof Return ? "run time error: improper use of next, break, continue or return" : null;
    if (msg === null) throw e;
    ctx.stderr.write(`${prog}: ${msg}\n`);
    try {
      a.out.closeAll();
    } catch (e2) {
      if (!(e2 instanceof AwkRuntimeError)) throw e2;
    }
    return 2;
  }
  return status;
}

export const awk = streaming(awkRun);
