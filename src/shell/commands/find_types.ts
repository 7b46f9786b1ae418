/**
 * find's shared shapes: a file met on the walk, the run's state that
 * predicates read and actions change, and the one-line fatal error of
 * the expression parser.
 */
import type { Stat } from "../../kernfs/vfs.js";
import type { CommandContext } from "../types.js";

/** A file met on the walk (or a starting point). */
export interface Entry {
  /** The name find prints: the starting point as given, then `/`-joined names below it. */
  path: string;
  /** The absolute VFS path. */
  abs: string;
  /** 0 for a starting point. */
  depth: number;
  /** The starting point as given (%H). */
  start: string;
  /** lstat of the file. */
  lst: Stat;
  /** The stat tests use: the link's target when links are followed here (a dangling link: its lstat). */
  st: Stat;
  /** True when this entry's stat follows symlinks (-L, or -H on a starting point). */
  follows: boolean;
  /** Set by -prune: do not descend. */
  prune: boolean;
}

/** What predicates and actions share during one run. */
export interface Run {
  readonly ctx: CommandContext;
  /** Buffered standard output (flushed before a command runs and at the end). */
  out(s: string): void;
  flush(): void;
  /** One `find: …` line on stderr (stdout flushed first); sets the exit status to 1 unless `warnOnly`. */
  error(msg: string, warnOnly?: boolean): void;
  /** -quit was evaluated. */
  quit: boolean;
  /** Exit status so far (1 after any error). */
  status: number;
  /** -depth (explicit, or implied by -delete). */
  depthFirst: boolean;
  /** Actions whose batches run at the end (-exec … +) and when -quit stops the walk. */
  finishers: (() => void)[];
  /** 'x' or ‘x’ as the locale quotes. */
  q(s: string): string;
}

/** What a predicate's parser reads: the arguments after it and the parse state (find_parse.ts's Parser). */
export interface PredArgs {
  readonly args: string[];
  /** The index of the next unread argument. */
  i: number;
  /** The predicate being parsed, as written. */
  readonly name: string;
  readonly ctx: CommandContext;
  readonly run: Run;
  /** -daystart was given before this predicate. */
  readonly daystart: boolean;
  /** The next argument, or GNU's missing-argument error. */
  arg(): string;
  /** stat of a reference file (-newer FILE), as -H/-L say; GNU's error for a missing one. */
  refStat(file: string): Stat;
}

/** A compiled test or action. */
export type Pred = (e: Entry) => boolean;

/** A fatal parse error: `find: MESSAGE` lines, status 1. */
export class FindError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join("\n"));
  }
}

/** One letter for a file's type as -type, %y and -ls see it. */
export function typeLetter(st: Stat): string {
  return TYPE_LETTER[st.type];
}

const TYPE_LETTER: Record<Stat["type"], string> = { dir: "d", link: "l", file: "f", chr: "c", blk: "b" };

/** st_size as the kernel reports it: sysfs, procfs and debugfs symlinks report 0 (tmpfs: the target's length). */
export function sizeOf(st: Stat): number {
  return st.type === "link" && st.fsType !== "tmpfs" ? 0 : st.size;
}

/** st_blocks (512-byte units): tmpfs pages in use; sysfs, procfs and debugfs report 0. */
export function blocksOf(st: Stat): number {
  if (st.fsType !== "tmpfs" || st.type === "link") return 0;
  return Math.ceil(st.size / 4096) * 8;
}

/** gnulib's quote(): ‘x’ in a UTF-8 locale, 'x' otherwise. */
export function localeQuote(env: Readonly<Record<string, string>>): (s: string) => string {
  const loc = env["LC_ALL"] || env["LC_MESSAGES"] || env["LANG"] || "";
  const utf8 = /utf-?8/i.test(loc);
  return utf8 ? (s) => `‘${s}’` : (s) => `'${s}'`;
}
