/**
 * What a builtin sees of the interpreter: its variables, functions, aliases,
 * traps, options and positional parameters, and the few interpreter services
 * builtins call (messages, expansion of text, running parsed commands, PATH
 * lookup). The interpreter (shell.ts) implements it; builtins never import it.
 */
import type { Vfs } from "../../kernfs/vfs.js";
import type { CompoundCmd, List } from "../ast.js";
import type { Io, Var } from "../signals.js";
import type { TestEnv } from "../test_expr.js";
import type { Command, ShellHooks, ShellLimits } from "../types.js";

/** The interpreter's options that `set` and `shopt` change. */
export interface ShellOpts {
  errexit: boolean;
  nounset: boolean;
  xtrace: boolean;
  pipefail: boolean;
  noglob: boolean;
  errtrace: boolean;
}

/** The `shopt` options the interpreter acts on, by name. */
export type Shopts = Map<string, boolean>;

/**
 * A background job (`cmd &`). It ran to completion when it was started (the
 * interpreter is synchronous) without passing its sleeps on to the clock: it
 * is Running until virtual time reaches `end`, as a job of that length run
 * beside the shell would be.
 */
export interface Job {
  id: number;
  pid: number;
  text: string;
  status: number;
  /** Virtual ns at which it finishes. */
  end: number;
  /** The signal that ended it early (`kill`), or 0. */
  signal: number;
  reported: boolean;
}

/** Shared by all interpreters of one Shell. */
export interface RuntimeView {
  readonly vfs: Vfs;
  readonly commands: Map<string, Command>;
  readonly hooks: ShellHooks;
  readonly limits: ShellLimits;
  readonly name: string;
  /** Polled at every step: true once SIGINT arrived. */
  interrupted(): boolean;
}

/** The interpreter state and services available to builtins. */
export interface ShellState {
  readonly rt: RuntimeView;
  vars: Map<string, Var>;
  funcs: Map<string, CompoundCmd & { k: "func" }>;
  aliases: Map<string, string>;
  traps: Map<string, string>;
  shopts: Shopts;
  jobs: Job[];
  /** The jobs of the shells this subshell was made from: `jobs` lists them (as bash does in a pipeline), nothing else sees them. */
  parentJobs: Job[];
  /** Exit statuses of background pids no longer in the job table (waited for or disowned), as bash keeps them for `wait PID`. */
  reaped: Map<number, number>;
  positional: string[];
  opts: ShellOpts;
  allExport: boolean;
  cwd: string;
  status: number;
  mode: "interactive" | "c" | "script";
  scriptName: string;
  line: number;
  loopDepth: number;
  funcDepth: number;
  sourceDepth: number;
  locals: Map<string, Var | undefined>[];

  /** Prints `PREFIX: msg` on stderr (the prefix of the mode: `bash: `, `bash: line N: `). */
  err(io: Io, msg: string): void;
  /** Writes a builtin's output; a refused write prints `NAME: write error: ...` and gives 1. */
  out(io: Io, name: string, text: string): number;
  getVar(name: string): string | undefined;
  setVar(name: string, value: string, io?: Io): boolean;
  abs(path: string): string;
  arith(text: string): bigint;
  testEnv(): TestEnv;
  execList(list: List, io: Io): number;
  runText(text: string, io: Io, firstLine?: number): number;
  describe(name: string): { kind: string; path: string; long: string } | null;
  lookPath(name: string): string | null;
  runExternal(argv: string[], io: Io, temp: Record<string, string>): number;
  /** Runs a builtin by name (argv[0]). */
  builtin(argv: string[], io: Io): number;
  isBuiltin(name: string): boolean;
  /** Throws the interrupt signal when SIGINT arrived. */
  checkInterrupt(): void;
  /** Stops the run with one line when a value of `chars` characters or a list of `words` words passes the limits. */
  checkSize(chars: number, words?: number): void;
  /** `$$`. */
  pidString(): string;
}

/** A builtin: `(shell, args, io, name) => status`; `name` is argv[0] (one function may serve several names). */
export type Builtin = (sh: ShellState, args: string[], io: Io, name: string) => number;

/** The short usage line and description `help` prints for a builtin. */
export interface BuiltinDoc {
  synopsis: string;
}
