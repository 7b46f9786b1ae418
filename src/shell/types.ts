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
  /** Everything that remains (consumes it; blocks until end of input). */
  readAll(): Uint8Array;
  /** The next line without its newline, or null at end of input (consumes it). */
  readLine(): string | null;
  /**
   * Up to `max` bytes as they become available (at least one unless at end of
   * input), or null at end of input. Sources that only have the two calls
   * above get it from {@link readChunk}.
   */
  read?(max: number): Uint8Array | null;
  /**
   * Like `read`, but never waits: {@link WOULD_BLOCK} when a pipe is empty
   * and its writer has not finished (a streaming command then yields
   * "input"). Sources without it never have to wait.
   */
  tryRead?(max: number): Uint8Array | null | typeof WOULD_BLOCK;
  /** Waits until `tryRead` would not block (a pipe runs the stages that fill it). */
  wait?(): void;
  readonly isTty?: boolean;
}

/** What {@link InputSource.tryRead} returns when the data is not there yet. */
export const WOULD_BLOCK = "would-block";

/** One chunk of at most `max` bytes from `src` (its `read` when it has one), or null at end of input. */
export function readChunk(src: InputSource, max: number): Uint8Array | null {
  if (src.read !== undefined) return src.read(max);
  const all = src.readAll();
  return all.length === 0 ? null : all;
}

/** What the shell's creator provides: virtual time. */
export interface ShellHooks {
  /** Let `seconds` of virtual time pass (the machine runs its events meanwhile). */
  sleep(seconds: number): void;
  /** Virtual nanoseconds since boot. */
  now(): number;
  /** Wall-clock milliseconds since the Unix epoch of a virtual instant (ns since boot). */
  wallClock(ns: number): number;
  /**
   * True when SIGINT (Ctrl-C) arrived since the last call (the shell consumes
   * it, e.g. `() => Atomics.exchange(flag, 0, 0) === 1`). Polled at every step
   * of the interpreter and by long-running commands through
   * {@link CommandContext.interrupted}.
   */
  interrupted?(): boolean;
  /**
   * True when the host (outside the machine) has a program of that name: a
   * `command not found` then gets a second line suggesting `iaa exec NAME`.
   */
  hostHasCommand?(name: string): boolean;
  /** The task that runs now: the shell (`pid`, its name) before a builtin, a program's name before it runs. */
  current?(pid: number, comm: string): void;
}

/** Runaway protection. */
export interface ShellLimits {
  /** Simple commands + loop iterations a top-level run may execute. */
  maxSteps: number;
  /** Iterations of any single loop. */
  maxLoopIterations: number;
  /** Function call / subshell nesting. */
  maxDepth: number;
  /** Characters of one variable's value (bash would fail in xrealloc far later; V8's own limit is about 2^29). */
  maxStringLength: number;
  /** Fields of one word list or elements of one array. */
  maxWords: number;
  /**
   * Bytes one pipe may hold. Streaming stages hand data on in chunks and stay
   * far below it; a stage that cannot stream (a function, a loop, sort) makes
   * its pipe hold more: past this the writer gets a clear error and nothing
   * downstream reports on the cut stream.
   */
  maxPipeBytes: number;
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
  /**
   * Runs a command line in a child shell with this command's streams (or
   * the ones given in `streams`: awk's `print | "cmd"` and `"cmd" | getline`);
   * returns its status.
   */
  run(commandLine: string, streams?: { stdin?: InputSource; stdout?: OutputSink }): number;
  /** Runs argv (PATH lookup, functions excluded) with this command's streams and `env` (default: this command's env); returns its status. */
  exec(argv: string[], env?: Record<string, string>): number;
  /**
   * True once SIGINT arrived for the foreground job: a long-running command
   * polls it in its loops and returns 130 promptly, printing nothing (as a
   * process killed by SIGINT does). Stays true until the shell handles it.
   */
  interrupted(): boolean;
  /** True when the session can deliver Ctrl-C at all (an `interrupted` hook is set); commands that run until interrupted refuse otherwise. */
  readonly interruptible: boolean;
}

/** The exit status of a command stopped by SIGINT (128 + 2). */
export const STATUS_SIGINT = 130;

/**
 * What a streaming command's generator yields: "input" when it waits for
 * input (a `tryRead` gave {@link WOULD_BLOCK}), undefined after it made
 * progress (wrote a chunk): the pipeline may then run another stage.
 */
export type StreamYield = "input" | undefined;

/** A streaming command's run: yields between chunks, returns the exit status. */
export type StreamRun = Generator<StreamYield, number, void>;

/**
 * A registered program. Returns its exit status (0–255). A program that can
 * stream also has `stream`, the same program as a generator: as a pipeline
 * stage it then runs interleaved with the other stages instead of to
 * completion (see src/shell/pipeline.ts).
 */
export type Command = ((ctx: CommandContext) => number) & { stream?: (ctx: CommandContext) => StreamRun };

/** The marker that starts an emulated binary: `\x7fELF iaa-emu:NAME\n`. */
export const BINARY_MARKER = "\x7fELF iaa-emu:";
