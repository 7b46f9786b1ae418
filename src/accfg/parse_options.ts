/**
 * The git/perf-style option parser accel-config uses (util/parse-options.c):
 * `--opt=val`, `--opt val`, `-o val`, `-oval`, clustered short booleans,
 * unique prefixes of long names, `--no-<opt>`, options interleaved with
 * arguments, `--` to stop. Its messages, usage block and exit codes are
 * reproduced, including the quirk that a bad value exits 0 (PARSE_OPT_HELP).
 */
import type { Sink } from "./lib/libaccfg.js";

export type OptType = "boolean" | "integer" | "uinteger" | "u64" | "string" | "filename";

/** One `struct option`. `key` names the field of the values record it fills. */
export interface OptDef {
  short?: string;
  long: string;
  type: OptType;
  /** the `<argh>` shown in the usage line of string options */
  argh?: string;
  help: string;
  key: string;
}

/** Values filled in by the parser: booleans, numbers (int/uint as JS numbers), u64 as bigint, strings or null. */
export type OptValues = Record<string, boolean | number | bigint | string | null>;

export type ParseOutcome = { args: string[] } | { exit: number };

interface Io {
  stdout: Sink;
  stderr: Sink;
}

/** error(): two spaces, "Error: ", the message, a newline (messages ending in \n get a blank line). */
export function reportError(stderr: Sink, msg: string): void {
  stderr.write(`  Error: ${msg}\n`);
}

const USAGE_OPTS_WIDTH = 24;
const USAGE_GAP = 2;

function optionHelpLine(o: OptDef): string {
  let s = "    ";
  s += o.short !== undefined ? `-${o.short}` : "    ";
  if (o.short !== undefined) s += ", ";
  s += `--${o.long}`;
  switch (o.type) {
    case "integer":
    case "uinteger":
    case "u64":
      s += " <n>";
      break;
    case "string":
    case "filename":
      s += o.argh !== undefined ? ` <${o.argh}>` : " ...";
      break;
    default:
      break;
  }
  let pad: number;
  if (s.length <= USAGE_OPTS_WIDTH) pad = USAGE_OPTS_WIDTH - s.length;
  else {
    s += "\n";
    pad = USAGE_OPTS_WIDTH;
  }
  return `${s}${" ".repeat(pad + USAGE_GAP)}${o.help}\n`;
}

function usageHead(usage: readonly string[]): string {
  let s = `\n usage: ${usage[0]}\n`;
  let i = 1;
  for (; i < usage.length && usage[i] !== ""; i++) s += `    or: ${usage[i]}\n`;
  for (; i < usage.length; i++) s += `${usage[i] !== "" ? "    " : ""}${usage[i]}\n`;
  return s;
}

/** usage_with_options_internal(): the usage lines and every option, on stderr. */
export function usageWithOptions(stderr: Sink, usage: readonly string[], options: readonly OptDef[]): void {
  let s = usageHead(usage) + "\n";
  for (const o of options) s += optionHelpLine(o);
  stderr.write(s + "\n");
}

/** parse_options_usage(): the usage lines and only the option the error was about. */
function parseOptionsUsage(stderr: Sink, usage: readonly string[], options: readonly OptDef[], optstr: string, short: boolean): void {
  let s = usageHead(usage) + "\n";
  const hit = options.find((o) =>
    short ? o.short === optstr[0] : optstr.startsWith(o.long) || (optstr.startsWith("no-") && optstr.slice(3).startsWith(o.long)),
  );
  if (hit !== undefined) s += optionHelpLine(hit);
  stderr.write(s);
}

/** strtol(arg, &end, 10) with the check `*end == '\0'`; the value as a bigint clamped to a C long. */
function strtol10(arg: string, unsigned64: boolean): { value: bigint; ok: boolean } {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d*)(.*)$/s.exec(arg)!;
  const digits = m[2]!;
  if (digits === "") return { value: 0n, ok: arg === "" };
  let v = BigInt(digits);
  if (m[1] === "-") v = -v;
  if (unsigned64) {
    const max = (1n << 64n) - 1n;
    if (v > max || v < -max) v = max;
    else v = BigInt.asUintN(64, v);
  } else {
    const max = (1n << 63n) - 1n;
    if (v > max) v = max;
    if (v < -max - 1n) v = -max - 1n;
  }
  return { value: v, ok: m[3] === "" };
}

class OptError extends Error {}

const OPT_SHORT = 1;
const OPT_UNSET = 2;

/**
 * parse_options(): fills `values`, returns the remaining arguments or the exit
 * status the C code would exit() with after printing its messages.
 * `argv[0]` is the command name.
 */
export function parseOptions(
  argv: readonly string[],
  options: readonly OptDef[],
  usage: readonly string[],
  values: OptValues,
  io: Io,
  prefix?: string,
): ParseOutcome {
  const out: string[] = [];
  let i = 1;
  let opt: string | null = null; // p->opt: the rest of a cluster or the text after '='

  const error = (msg: string): void => reportError(io.stderr, msg);
  const opterror = (o: OptDef, reason: string, flags: number): never => {
    if (flags & OPT_SHORT) error(`switch \`${o.short}' ${reason}`);
    else if (flags & OPT_UNSET) error(`option \`no-${o.long}' ${reason}`);
    else error(`option \`${o.long}' ${reason}`);
    throw new OptError();
  };
  const getArg = (o: OptDef, flags: number): string => {
    if (opt !== null) {
      const a = opt;
      opt = null;
      return a;
    }
    if (i + 1 < argv.length) {
      i++;
      return argv[i]!;
    }
    return opterror(o, "requires a value", flags);
  };
  const getValue = (o: OptDef, flags: number): void => {
    const unset = (flags & OPT_UNSET) !== 0;
    if (unset && opt !== null) opterror(o, "takes no value", flags);
    if (!(flags & OPT_SHORT) && opt !== null && o.type === "boolean") opterror(o, "takes no value", flags);
    switch (o.type) {
      case "boolean":
        values[o.key] = !unset;
        return;
      case "string":
      case "filename": {
        if (unset) {
          values[o.key] = null;
          return;
        }
        let a = getArg(o, flags);
        if (o.type === "filename" && prefix !== undefined && a !== "" && !a.startsWith("/") && a !== "-") a = prefix + a;
        values[o.key] = a;
        return;
      }
      case "integer":
      case "uinteger":
      case "u64": {
        if (unset) {
          values[o.key] = o.type === "u64" ? 0n : 0;
          return;
        }
        const a = getArg(o, flags);
        const r = strtol10(a, o.type === "u64");
        if (o.type === "u64") values[o.key] = r.value;
        else if (o.type === "integer") values[o.key] = Number(BigInt.asIntN(32, r.value));
        else values[o.key] = Number(BigInt.asUintN(32, r.value));
        if (!r.ok) opterror(o, "expects a numerical value", flags);
        return;
      }
    }
  };
  /** -2: no such option */
  const parseShort = (): number => {
    const c = opt![0];
    const o = options.find((x) => x.short === c);
    if (o === undefined) return -2;
    opt = opt!.length > 1 ? opt!.slice(1) : null;
    getValue(o, OPT_SHORT);
    return 0;
  };
  const parseLong = (arg: string): number => {
    const eq = arg.indexOf("=");
    const argName = eq < 0 ? arg : arg.slice(0, eq);
    let abbrev: OptDef | null = null;
    let abbrevFlags = 0;
    let ambiguous: OptDef | null = null;
    let ambiguousFlags = 0;
    let abbrevOpt: string | null = null;
    for (const o of options) {
      let flags = 0;
      let rest: string | null = arg.startsWith(o.long) ? arg.slice(o.long.length) : null;
      if (rest === null) {
        let isAbbrev = false;
        if (o.long.startsWith(argName) && argName.length > 0) isAbbrev = true;
        else if ("no-".startsWith(arg)) {
          flags |= OPT_UNSET;
          isAbbrev = true;
        } else if (arg.startsWith("no-")) {
          flags |= OPT_UNSET;
          const a3 = arg.slice(3);
          rest = a3.startsWith(o.long) ? a3.slice(o.long.length) : null;
          if (rest === null && o.long.startsWith(a3)) isAbbrev = true;
          else if (rest === null) continue;
        } else continue;
        if (isAbbrev) {
          if (abbrev !== null) {
            ambiguous = abbrev;
            ambiguousFlags = abbrevFlags;
          }
          abbrevOpt = !(flags & OPT_UNSET) && eq >= 0 ? arg.slice(eq + 1) : null;
          abbrev = o;
          abbrevFlags = flags;
          continue;
        }
      }
      if (rest !== "") {
        if (!rest!.startsWith("=")) continue;
        opt = rest!.slice(1);
      }
      getValue(o, flags);
      return 0;
    }
    if (ambiguous !== null && abbrev !== null) {
      error(
        `Ambiguous option: ${arg} (could be --${ambiguousFlags & OPT_UNSET ? "no-" : ""}${ambiguous.long} or --${abbrevFlags & OPT_UNSET ? "no-" : ""}${abbrev.long})`,
      );
      throw new OptError();
    }
    if (abbrev !== null) {
      opt = abbrevOpt;
      getValue(abbrev, abbrevFlags);
      return 0;
    }
    return -2;
  };
  const checkTypos = (arg: string): boolean => {
    if (arg.length < 3) return false;
    if (arg.startsWith("no-") || options.some((o) => o.long.startsWith(arg))) {
      error(`did you mean \`--${arg}\` (with two dashes ?)`);
      return true;
    }
    return false;
  };
  const unknown = (arg: string, c: string | null): ParseOutcome => {
    if (arg.startsWith("--")) error(`unknown option \`${arg.slice(2)}'`);
    else error(`unknown switch \`${c}'`);
    usageWithOptions(io.stderr, usage, options);
    return { exit: 129 };
  };

  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    opt = null;
    if (!arg.startsWith("-") || arg.length === 1) {
      out.push(arg);
      continue;
    }
    try {
      if (arg[1] !== "-") {
        opt = arg.slice(1);
        if (opt[0] === "h") {
          usageWithOptions(io.stderr, usage, options);
          return { exit: 0 };
        }
        if (parseShort() === -2) return unknown(arg, opt[0]!);
        if (opt !== null && checkTypos(arg.slice(1))) return { exit: 129 };
        while (opt !== null) {
          if (opt[0] === "h") {
            usageWithOptions(io.stderr, usage, options);
            return { exit: 0 };
          }
          const c = opt[0]!;
          const r = (() => {
            try {
              return parseShort();
            } catch (e) {
              if (e instanceof OptError) {
                parseOptionsUsage(io.stderr, usage, options, c, true);
                return -1;
              }
              throw e;
            }
          })();
          if (r === -1) return { exit: 0 };
          if (r === -2) return unknown("-" + opt, c);
        }
        continue;
      }
    } catch (e) {
      if (!(e instanceof OptError)) throw e;
      parseOptionsUsage(io.stderr, usage, options, arg.slice(1), true);
      return { exit: 0 };
    }
    if (arg === "--") {
      i++;
      break;
    }
    const name = arg.slice(2);
    if (name === "help" || name === "help-all") {
      usageWithOptions(io.stderr, usage, options);
      return { exit: 0 };
    }
    if (name === "list-opts") {
      io.stdout.write(options.map((o) => `--${o.long} `).join(""));
      return { exit: 0 };
    }
    if (name === "list-cmds") return { exit: 0 };
    try {
      if (parseLong(name) === -2) return unknown(arg, null);
    } catch (e) {
      if (!(e instanceof OptError)) throw e;
      parseOptionsUsage(io.stderr, usage, options, name, false);
      return { exit: 0 };
    }
  }
  for (; i < argv.length; i++) out.push(argv[i]!);
  return { args: out };
}
