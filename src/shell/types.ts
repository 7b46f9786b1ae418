/**
 * The contract between the shell and the commands it runs.
 *
 * A command is a synchronous function `(ctx) => exitStatus`. Everything a
 * program would get from the kernel at exec time is in the context: its argv,
 * its three standard streams, its environment, its working directory and the
 * file system. Output written to `ctx.stdout`/`ctx.stderr` goes straight to the
 * sink the shell connected (a terminal, a file opened by a redirection, or the
 * buffer of a pipe), so output streams as it is produced.
 */
import type { Vfs } from "../kernfs/vfs.js";

/** Where a stream's bytes go. `write` is one write(2); it throws SysError when the target refuses. */
export interface OutputSink {
  write(data: string | Uint8Array): void;
  /** True when the sink is a terminal (ls chooses columns, read -p prompts). */
  readonly isTty?: boolean;
}

/** Where a stream's bytes come from. */
export interface InputSource {
  /** Everything that remains (consumes it). */
  readAll(): Uint8Array;
  /** The next line without its newline, or null at end of input (consumes it). */
  readLine(): string | null;
  readonly isTty?: boolean;
}

/** What the shell's creator provides: virtual time. */
export interface ShellHooks {
  /** Let `seconds` of virtual time pass (the machine runs its events meanwhile). */
  sleep(seconds: number): void;
  /** Virtual nanoseconds since boot. */
  now(): number;
  /** Wall-clock milliseconds since the Unix epoch of a virtual instant (ns since boot). */
  wallClock(ns: number): number;
}

/** Runaway protection. */
export interface ShellLimits {
  /** Simple commands + loop iterations a top-level run may execute. */
  maxSteps: number;
  /** Iterations of any single loop. */
  maxLoopIterations: number;
  /** Function call / subshell nesting. */
  maxDepth: number;
}

/** What a command receives. */
export interface CommandContext {
  /** argv[0] is the command name as typed (e.g. "cat" or "./memory_madvise"). */
  readonly argv: string[];
  readonly stdin: InputSource;
  readonly stdout: OutputSink;
  readonly stderr: OutputSink;
  /** The exported environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Absolute working directory. */
  readonly cwd: string;
  readonly vfs: Vfs;
  readonly hooks: ShellHooks;
  /** Makes a path absolute against cwd (no symlink resolution). */
  resolve(path: string): string;
  /** Runs a command line in a child shell with this command's streams; returns its status. */
  run(commandLine: string): number;
  /** Runs argv (PATH lookup, functions excluded) with this command's streams and `env` (default: this command's env); returns its status. */
  exec(argv: string[], env?: Record<string, string>): number;
}

/** A registered program. Returns its exit status (0–255). */
export type Command = (ctx: CommandContext) => number;

/** The marker that starts an emulated binary: `\x7fELF iaa-emu:NAME\n`. */
export const BINARY_MARKER = "\x7fELF iaa-emu:";
