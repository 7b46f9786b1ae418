/**
 * find's command line (GNU findutils 4.9): leading options (-H -L -P -D
 * -O), starting points, then the expression. Every predicate is parsed in
 * order first (its own errors come first, as GNU's), each to a token; the
 * tokens then become one tree with GNU's precedence (`!` over `-a`, the
 * implicit and, over `-o` over `,`). Options are `true` in the tree. With
 * no action anywhere, the expression is `( EXPR ) -print`.
 */
import { SysError, strerror } from "../../lib/errno.js";
import type { Stat } from "../../kernfs/vfs.js";
import { patternSource } from "../pattern.js";
import type { CommandContext } from "../types.js";
import { makeExec, makeDelete, makeOutput, fileWriter, makeFileOutput } from "./find_actions.js";
import { compileFormat, baseName } from "./find_printf.js";
import { REGEX_TYPES, compileFindRegex, type RegexSyntax } from "./find_regex.js";
import { TIME_TESTS, newerXY } from "./find_time.js";
import { groupId, userId } from "./_owners.js";
import { FindError, sizeOf, typeLetter, type Entry, type Pred, type PredArgs, type Run } from "./find_types.js";

/** How symlinks are treated: -P never follows, -H follows starting points, -L follows all. */
export type Follow = "P" | "H" | "L";

export interface Options {
  follow: Follow;
  maxDepth: number;
  minDepth: number;
  xdev: boolean;
}

export interface Parsed {
  opts: Options;
  paths: string[];
  expr: Pred;
}

/** A parsed token: an operator, or a predicate with its compiled test. */
type Token = { op: "!" | "(" | ")" | "-a" | "-o" | ","; text: string } | { op: null; text: string; pred: Pred };

const GLOBAL_OPTIONS = new Set(["-maxdepth", "-mindepth", "-depth", "-d", "-xdev", "-mount", "-noleaf", "-ignore_readdir_race", "-noignore_readdir_race"]);

/** Whether an argument starts the expression (GNU's looks_like_expression). */
function looksLikeExpression(a: string, leading: boolean): boolean {
  if (a.startsWith("-")) return a.length > 1;
  if (a === ")" || a === ",") return !leading;
  return a === "(" || a === "!";
}

/** The state one predicate's parser sees. */
export class Parser implements PredArgs {
  i = 0;
  warn: boolean;
  regex: RegexSyntax = "emacs";
  firstNonOption: string | null = null;
  readonly opts: Options = { follow: "P", maxDepth: Infinity, minDepth: 0, xdev: false };
  /** The predicate being parsed (for messages). */
  name = "";
  /** True once -delete is seen; -prune with it and no explicit -depth is an error. */
  sawDelete = false;
  sawPrune = false;
  explicitDepth = false;
  /** -daystart: ages are measured from the end of today. */
  daystart = false;

  constructor(
    readonly args: string[],
    readonly run: Run,
  ) {
    this.warn = run.ctx.stdin.isTty === true;
  }

  get ctx(): CommandContext {
    return this.run.ctx;
  }

  /** The predicate's next argument, or GNU's missing-argument error. */
  arg(): string {
    const a = this.args[this.i];
    if (a === undefined) throw new FindError([`missing argument to \`${this.name}'`]);
    this.i++;
    return a;
  }

  /** A `find: warning: …` line, when warnings are on (printed as parsed, as GNU's). */
  warning(msg: string): void {
    if (this.warn) this.ctx.stderr.write(`find: warning: ${msg}\n`);
  }

  /** stat of a file named on the command line (-newer, -samefile), following links as -H/-L say. */
  refStat(file: string): Stat {
    const path = this.ctx.resolve(file);
    try {
      if (this.opts.follow === "P") return this.ctx.vfs.lstat(path);
      try {
        return this.ctx.vfs.stat(path);
      } catch {
        return this.ctx.vfs.lstat(path);
      }
    } catch (e) {
      if (!(e instanceof SysError)) throw e;
      throw new FindError([`${this.run.q(file)}: ${strerror(e.errno)}`]);
    }
  }
}

type PredParser = (p: Parser) => Pred;
type ActionParser = (p: Parser) => Pred;

/** A numeric argument: `+N` more than N, `-N` less than N, `N` exactly. */
function numericTest(p: Parser, value: string, toNumber: (s: string) => number | null): (n: number) => boolean {
  const m = /^([+-]?)(.*)$/.exec(value)!;
  const n = /^\d+$/.test(m[2]!) ? toNumber(m[2]!) : null;
  if (n === null) throw new FindError([`invalid argument \`${value}' to \`${p.name}'`]);
  if (m[1] === "+") return (x) => x > n;
  if (m[1] === "-") return (x) => x < n;
  return (x) => x === n;
}

const glob = (pattern: string, icase: boolean): RegExp => new RegExp(`^${patternSource(pattern)}$`, icase ? "is" : "s");

/** The base name -name matches: trailing slashes stripped ("/" stays). */
function nameOf(e: Entry): string {
  const b = baseName(e.path);
  return b.length > 1 ? b.replace(/\/+$/, "") : b;
}

function nameTest(icase: boolean): PredParser {
  return (p) => {
    const pat = p.arg();
    if (pat.includes("/")) p.warning(`${p.run.q(p.name)} matches against basenames only, but the given pattern contains a directory separator (${p.run.q("/")}), thus the expression will evaluate to false all the time.  Did you mean ${p.run.q(icase ? "-iwholename" : "-wholename")}?`);
    const re = glob(pat, icase);
    return (e) => re.test(nameOf(e));
  };
}

function pathTest(icase: boolean): PredParser {
  return (p) => {
    const pat = p.arg();
    if (pat.endsWith("/") && pat !== "/") p.warning(`${p.name} ${pat} will not match anything because it ends with /.`);
    const re = glob(pat, icase);
    return (e) => re.test(e.path);
  };
}

function lnameTest(icase: boolean): PredParser {
  return (p) => {
    const re = glob(p.arg(), icase);
    return (e) => {
      if (e.lst.type !== "link") return false;
      try {
        return re.test(p.ctx.vfs.readlink(e.abs));
      } catch {
        return false;
      }
    };
  };
}

function regexTest(icase: boolean): PredParser {
  return (p) => {
    const re = compileFindRegex(p.arg(), p.regex, icase);
    return (e) => re.test(e.path);
  };
}

const TYPE_LETTERS = "bcdpflsD";

/** -type / -xtype: one letter or a comma list. */
function typeTest(x: boolean): PredParser {
  return (p) => {
    const v = p.arg();
    const want = new Set<string>();
    for (let k = 0; k < v.length; k++) {
      const c = v[k]!;
      if (!TYPE_LETTERS.includes(c)) throw new FindError([`Unknown argument to ${p.name}: ${c}`]);
      if (want.has(c)) throw new FindError([`Duplicate file type '${c}' in the argument list to ${p.name}.`]);
      want.add(c);
      const next = v[k + 1];
      if (next === undefined) break;
      if (next !== ",") throw new FindError([`Must separate multiple arguments to ${p.name} using: ','`]);
      k++;
      if (k + 1 >= v.length) throw new FindError([`Last file type in list argument to ${p.name} is missing, i.e., list is ending on: ','`]);
    }
    if (v === "") throw new FindError([`Arguments to ${p.name} should contain at least one letter`]);
    if (!x) return (e) => want.has(typeLetter(e.st));
    return (e) => {
      if (e.follows) return want.has(typeLetter(e.lst));
      if (e.lst.type !== "link") return want.has(typeLetter(e.lst));
      try {
        return want.has(typeLetter(p.ctx.vfs.stat(e.abs)));
      } catch {
        return want.has("l");
      }
    };
  };
}

const SIZE_UNITS: Record<string, number> = { b: 512, c: 1, w: 2, k: 1024, M: 1 << 20, G: 1 << 30 };

function sizeTest(p: Parser): Pred {
  const v = p.arg();
  let unit = 512;
  let num = v;
  const last = v[v.length - 1];
  if (last !== undefined && !/\d/.test(last)) {
    const u = SIZE_UNITS[last];
    if (u === undefined) throw new FindError([`invalid -size type \`${last}'`]);
    unit = u;
    num = v.slice(0, -1);
  }
  if (!/^[+-]?\d+$/.test(num)) throw new FindError([`Invalid argument \`${v}' to -size`]);
  const cmp = numericTest(p, num, Number);
  return (e) => {
    const s = sizeOf(e.st);
    return cmp(Math.floor(s / unit) + (s % unit !== 0 ? 1 : 0));
  };
}

/** chmod-style symbolic mode applied to 0 (umask ignored), or null when invalid. */
function symbolicMode(spec: string): number | null {
  let mode = 0;
  for (const clause of spec.split(",")) {
    const m = /^([ugoa]*)((?:[-+=][rwxXstugo]*)+)$/.exec(clause);
    if (m === null) return null;
    const who = m[1] === "" || m[1]!.includes("a") ? 0o7777 : (m[1]!.includes("u") ? 0o4700 : 0) | (m[1]!.includes("g") ? 0o2070 : 0) | (m[1]!.includes("o") ? 0o1007 : 0);
    for (const op of m[2]!.match(/[-+=][rwxXstugo]*/g)!) {
      let bits = 0;
      for (const c of op.slice(1)) {
        if (c === "r") bits |= 0o444;
        else if (c === "w") bits |= 0o222;
        else if (c === "x" || c === "X") bits |= 0o111;
        else if (c === "s") bits |= 0o6000;
        else if (c === "t") bits |= 0o1000;
        else {
          const src = c === "u" ? (mode >> 6) & 7 : c === "g" ? (mode >> 3) & 7 : mode & 7;
          bits |= src * 0o111;
        }
      }
      bits &= who;
      if (op[0] === "+") mode |= bits;
      else if (op[0] === "-") mode &= ~bits;
      else mode = (mode & ~who) | bits;
    }
  }
  return mode;
}

function permTest(p: Parser): Pred {
  const v = p.arg();
  const kind = v[0] === "-" || v[0] === "/" ? v[0] : "";
  const spec = v.slice(kind.length);
  const mode = /^[0-7]+$/.test(spec) ? parseInt(spec, 8) : /^[0-9]/.test(spec) || spec === "" ? null : symbolicMode(spec);
  if (mode === null || mode > 0o7777) throw new FindError([`invalid mode ${p.run.q(v)}`]);
  if (kind === "-") return (e) => (e.st.mode & mode) === mode;
  if (kind === "/") return (e) => mode === 0 || (e.st.mode & mode) !== 0;
  return (e) => (e.st.mode & 0o7777) === mode;
}

/** A user or group: the machine has root (0) only. */
function ownerTest(kind: "user" | "group"): PredParser {
  return (p) => {
    const v = p.arg();
    const id = (kind === "user" ? userId(v) : groupId(v)) ?? (/^\d+$/.test(v) ? Number(v) : undefined);
    if (id !== undefined) return kind === "user" ? (e) => e.st.uid === id : (e) => e.st.gid === id;
    throw new FindError([kind === "user" ? `${p.run.q(v)} is not the name of a known user` : `${p.run.q(v)} is not the name of an existing group`]);
  };
}

function depthArg(p: Parser): number {
  const v = p.arg();
  if (!/^\d+$/.test(v)) throw new FindError([`Expected a positive decimal integer argument to ${p.name}, but got ${p.run.q(v)}`]);
  return Number(v);
}

/** What access(2) as root checks: the file a symlink points to (null: nothing there). */
function accessStat(p: Parser, e: Entry): Stat | null {
  if (e.st.type !== "link") return e.st;
  try {
    return p.ctx.vfs.stat(e.abs);
  } catch {
    return null;
  }
}

const always: Pred = () => true;
const never: Pred = () => false;

/** Options: they change how the walk goes and are true in the expression. */
const OPTIONS: Record<string, (p: Parser) => void> = {
  "-maxdepth": (p) => void (p.opts.maxDepth = depthArg(p)),
  "-mindepth": (p) => void (p.opts.minDepth = depthArg(p)),
  "-depth": (p) => {
    p.run.depthFirst = true;
    p.explicitDepth = true;
  },
  "-d": (p) => {
    p.run.depthFirst = true;
    p.explicitDepth = true;
    p.warning("the -d option is deprecated; please use -depth instead, because the latter is a POSIX-compliant feature.");
  },
  "-xdev": (p) => void (p.opts.xdev = true),
  "-mount": (p) => void (p.opts.xdev = true),
  "-noleaf": () => {},
  "-ignore_readdir_race": () => {},
  "-noignore_readdir_race": () => {},
  "-daystart": (p) => void (p.daystart = true),
  "-follow": (p) => void (p.opts.follow = "L"),
  "-warn": (p) => void (p.warn = true),
  "-nowarn": (p) => void (p.warn = false),
  "-regextype": (p) => {
    const v = p.arg();
    const t = REGEX_TYPES.find(([n]) => n === v);
    if (t === undefined) throw new FindError([`Unknown regular expression type ${p.run.q(v)}; valid types are ${REGEX_TYPES.map(([n]) => p.run.q(n)).join(", ")}.`]);
    p.regex = t[1];
  },
};

/** Tests: no side effects. */
const TESTS: Record<string, PredParser> = {
  ...TIME_TESTS,
  "-name": nameTest(false), "-iname": nameTest(true),
  "-path": pathTest(false), "-ipath": pathTest(true), "-wholename": pathTest(false), "-iwholename": pathTest(true),
  "-lname": lnameTest(false), "-ilname": lnameTest(true),
  "-regex": regexTest(false), "-iregex": regexTest(true),
  "-type": typeTest(false), "-xtype": typeTest(true),
  "-size": sizeTest, "-perm": permTest,
  "-user": ownerTest("user"), "-group": ownerTest("group"),
  "-uid": (p) => { const t = numericTest(p, p.arg(), Number); return (e) => t(e.st.uid); },
  "-gid": (p) => { const t = numericTest(p, p.arg(), Number); return (e) => t(e.st.gid); },
  "-nouser": () => never, "-nogroup": () => never,
  "-links": (p) => { const t = numericTest(p, p.arg(), Number); return (e) => t(e.st.nlink); },
  "-inum": (p) => { const t = numericTest(p, p.arg(), Number); return (e) => t(e.st.ino); },
  "-samefile": (p) => { const ino = p.refStat(p.arg()).ino; return (e) => e.st.ino === ino || e.lst.ino === ino; },
  "-newer": (p) => { const t = p.refStat(p.arg()).mtime; return (e) => e.st.mtime > t; },
  "-anewer": (p) => { const t = p.refStat(p.arg()).mtime; return (e) => e.st.mtime > t; },
  "-cnewer": (p) => { const t = p.refStat(p.arg()).mtime; return (e) => e.st.mtime > t; },
  "-empty": (p) => (e) => {
    if (e.st.type === "dir") {
      try {
        return p.ctx.vfs.readdir(e.abs).length === 0;
      } catch {
        return false;
      }
    }
    return e.st.type === "file" && sizeOf(e.st) === 0;
  },
  "-readable": (p) => (e) => accessStat(p, e) !== null,
  "-writable": (p) => (e) => accessStat(p, e) !== null,
  "-executable": (p) => (e) => {
    const st = accessStat(p, e);
    return st !== null && (st.type === "dir" || (st.mode & 0o111) !== 0);
  },
  "-true": () => always,
  "-false": () => never,
  "-prune": (p) => {
    p.sawPrune = true;
    return (e) => {
      if (!p.run.depthFirst && e.st.type === "dir") e.prune = true;
      return true;
    };
  },
};

/** Actions: side effects, and no default -print. */
const ACTIONS: Record<string, ActionParser> = {
  "-print": (p) => makeOutput(p.run, (e) => e.path + "\n"),
  "-print0": (p) => makeOutput(p.run, (e) => e.path + "\0"),
  "-printf": (p) => {
    const fmt = compileFormat(p.ctx, p.arg(), (w) => p.ctx.stderr.write(`find: ${w}\n`));
    return (e) => {
      const r = fmt(e);
      p.run.out(r.text);
      return true;
    };
  },
  "-ls": (p) => makeOutput(p.run, "ls"),
  "-fprint": (p) => makeFileOutput(p, (e) => e.path + "\n"),
  "-fprint0": (p) => makeFileOutput(p, (e) => e.path + "\0"),
  "-fls": (p) => makeFileOutput(p, "ls"),
  "-fprintf": (p) => {
    // GNU takes both arguments or neither: one alone is "invalid"
    if (p.args[p.i] !== undefined && p.args[p.i + 1] === undefined) throw new FindError([`invalid argument \`${p.args[p.i]}' to \`${p.name}'`]);
    const write = fileWriter(p);
    const fmt = compileFormat(p.ctx, p.arg(), (w) => p.ctx.stderr.write(`find: ${w}\n`));
    return (e) => {
      write(fmt(e).text);
      return true;
    };
  },
  "-exec": (p) => makeExec(p, false),
  "-execdir": (p) => makeExec(p, true),
  "-ok": (p) => makeExec(p, false, true),
  "-okdir": (p) => makeExec(p, true, true),
  "-delete": (p) => {
    p.sawDelete = true;
    p.run.depthFirst = true;
    return makeDelete(p.run);
  },
  "-quit": (p) => () => {
    p.run.quit = true;
    return true;
  },
};

/** Predicates that stop the default -print (every action; -prune is a test). */
const NO_DEFAULT_PRINT = new Set(Object.keys(ACTIONS));

/** GNU predicates the machine has no data for (file system types, SELinux contexts, access times apart from mtime, NUL-separated start lists). */
const UNSUPPORTED = new Set(["-fstype", "-context", "-used", "-files0-from"]);

const OPERATORS: Record<string, "!" | "(" | ")" | "-a" | "-o" | ","> = {
  "!": "!", "-not": "!", "(": "(", ")": ")", "-a": "-a", "-and": "-a", "-o": "-o", "-or": "-o", ",": ",",
};

/** Builds the tree from the tokens with GNU's precedence and messages. */
class TreeBuilder {
  private k = 0;
  constructor(private readonly toks: Token[]) {}

  build(): Pred {
    const e = this.comma();
    if (this.k < this.toks.length) {
      const t = this.toks[this.k]!;
      if (t.op === ")") throw new FindError(["you have too many ')'"]);
      throw new FindError([`unexpected extra predicate '${t.text}'`]);
    }
    return e;
  }

  private peek(): Token | undefined {
    return this.toks[this.k];
  }

  private comma(): Pred {
    let l = this.or();
    while (this.peek()?.op === ",") {
      this.k++;
      if (this.peek() === undefined) throw new FindError(["invalid expression"]);
      const r = this.or();
      const a = l;
      l = (e) => (a(e), r(e));
    }
    return l;
  }

  private or(): Pred {
    let l = this.and();
    while (this.peek()?.op === "-o") {
      const t = this.toks[this.k++]!;
      if (this.peek() === undefined) throw new FindError([`expected an expression after '${t.text}'`]);
      const r = this.and();
      const a = l;
      l = (e) => a(e) || r(e);
    }
    return l;
  }

  private and(): Pred {
    let l = this.unary();
    for (;;) {
      const t = this.peek();
      if (t === undefined || t.op === ")" || t.op === "-o" || t.op === ",") return l;
      if (t.op === "-a") {
        this.k++;
        if (this.peek() === undefined) throw new FindError([`expected an expression after '${t.text}'`]);
      }
      const r = this.unary();
      const a = l;
      l = (e) => a(e) && r(e);
    }
  }

  private unary(): Pred {
    const t = this.toks[this.k];
    if (t === undefined) throw new FindError(["invalid expression"]);
    if (t.op === "-a" || t.op === "-o" || t.op === ",") throw new FindError([`invalid expression; you have used a binary operator '${t.text}' with nothing before it.`]);
    this.k++;
    if (t.op === "!") {
      if (this.peek() === undefined) throw new FindError([`expected an expression after '${t.text}'`]);
      const x = this.unary();
      return (e) => !x(e);
    }
    if (t.op === "(") {
      if (this.peek()?.op === ")") throw new FindError(["invalid expression; empty parentheses are not allowed."]);
      if (this.peek() === undefined) throw new FindError(["invalid expression; I was expecting to find a ')' somewhere but did not see one."]);
      const x = this.comma();
      if (this.peek()?.op !== ")") throw new FindError(["invalid expression; I was expecting to find a ')' somewhere but did not see one."]);
      this.k++;
      return x;
    }
    if (t.op !== null) throw new FindError([`invalid expression; you have used a binary operator '${t.text}' with nothing before it.`]);
    return t.pred;
  }
}

const DEBUG_HELP = `Valid arguments for -D:
exec       Show diagnostic information relating to -exec, -execdir, -ok and -okdir
opt        Show diagnostic information relating to optimisation
rates      Indicate how often each predicate succeeded
search     Navigate the directory tree verbosely
stat       Trace calls to stat(2) and lstat(2)
time       Show diagnostic information relating to time-of-day and timestamp comparisons
tree       Display the expression tree
all        Set all of the debug flags (but help)
help       Explain the various -D options
`;

/** Parses find's arguments; a string is text for stdout after which find exits 0 (-D help, -version). */
export function parseFind(args: string[], run: Run): Parsed | string {
  const p = new Parser(args, run);
  // leading options
  for (; p.i < args.length; p.i++) {
    const a = args[p.i]!;
    if (a === "-H" || a === "-L" || a === "-P") p.opts.follow = a[1] as Follow;
    else if (a === "--") {
      p.i++;
      break;
    } else if (a === "-D") {
      const v = args[++p.i];
      if (v === undefined) throw new FindError(["Missing argument after the -D option."]);
      if (v.split(",").includes("help")) return DEBUG_HELP;
    } else if (/^-O\d*$/.test(a)) continue;
    else break;
  }
  const paths: string[] = [];
  while (p.i < args.length && !looksLikeExpression(args[p.i]!, true)) paths.push(args[p.i++]!);
  const toks: Token[] = [];
  let lastPred = "(";
  let hasAction = false;
  while (p.i < args.length) {
    const a = args[p.i]!;
    if (!looksLikeExpression(a, false)) {
      const lines = [`paths must precede expression: \`${a}'`];
      if (run.ctx.vfs.exists(run.ctx.resolve(a))) lines.push(`possible unquoted pattern after predicate \`${lastPred}'?`);
      throw new FindError(lines);
    }
    p.i++;
    p.name = a;
    const op = OPERATORS[a];
    if (op !== undefined) {
      toks.push({ op, text: a });
      lastPred = a;
      p.firstNonOption ??= a;
      continue;
    }
    if (a === "-help" || a === "--help") return helpText();
    if (a === "-version" || a === "--version") return VERSION;
    const opt = OPTIONS[a];
    if (opt !== undefined) {
      if (GLOBAL_OPTIONS.has(a) && p.firstNonOption !== null) {
        p.warning(`you have specified the global option ${a} after the argument ${p.firstNonOption}, but global options are not positional, i.e., ${a} affects tests specified before it as well as those specified after it.  Please specify global options before other arguments.`);
      }
      opt(p);
      toks.push({ op: null, text: a, pred: always });
      lastPred = a;
      continue;
    }
    const newer = /^-newer(.)(.)$/.exec(a);
    if (newer !== null && TESTS[a] === undefined) {
      p.firstNonOption ??= a;
      toks.push({ op: null, text: a, pred: newerXY(p, newer[1]!, newer[2]!) });
      lastPred = a;
      continue;
    }
    if (UNSUPPORTED.has(a)) throw new FindError([`${a} is not supported by the machine's find`]);
    const test = TESTS[a] ?? ACTIONS[a];
    if (test === undefined) throw new FindError([`unknown predicate \`${a}'`]);
    p.firstNonOption ??= a;
    const action = NO_DEFAULT_PRINT.has(a);
    hasAction ||= action;
    toks.push({ op: null, text: a, pred: test(p) });
    lastPred = a;
  }
  if (p.sawDelete && p.sawPrune && !p.explicitDepth) {
    throw new FindError(["The -delete action automatically turns on -depth, but -prune does nothing when -depth is in effect.  If you want to carry on anyway, just explicitly use the -depth option."]);
  }
  let expr: Pred = toks.length === 0 ? always : new TreeBuilder(toks).build();
  if (!hasAction) {
    const print = makeOutput(run, (e) => e.path + "\n");
    const inner = expr;
    expr = (e) => inner(e) && print(e);
  }
  return { opts: p.opts, paths: paths.length === 0 ? ["."] : paths, expr };
}

const VERSION = `find (GNU findutils) 4.9.0
Copyright (C) 2022 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Eric B. Decker, James Youngman, and Kevin Dalley.
Features enabled: D_TYPE O_NOFOLLOW(enabled) LEAF_OPTIMISATION FTS(FTS_CWDFD) CBO(level=2) 
`;

function helpText(): string {
  return `Usage: find [-H] [-L] [-P] [-Olevel] [-D debugopts] [path...] [expression]

default path is the current directory; default expression is -print
expression may consist of: operators, options, tests, and actions.
`;
}
