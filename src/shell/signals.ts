/**
 * Control-flow signals of the interpreter (thrown, caught by the construct
 * they leave) and the stream set a command runs with.
 */
import type { InputSource, OutputSink } from "./types.js";

/** The streams of a running command (fds 0–2 and any others opened by redirections). */
export interface Io {
  stdin: InputSource;
  stdout: OutputSink;
  stderr: OutputSink;
  extra?: Map<number, OutputSink | InputSource>;
}

/** A shell variable. `integer` is `declare -i` (assignments are evaluated arithmetically). */
export interface Var {
  value: string | string[];
  exported: boolean;
  readonly: boolean;
  integer?: boolean;
}

/** `exit N` (or a fatal error): leaves the shell process. */
export class ExitSignal {
  constructor(readonly status: number) {}
}
/** `return N`: leaves a function or sourced file. */
export class ReturnSignal {
  constructor(readonly status: number) {}
}
/** `break N` / `continue N`. */
export class LoopSignal {
  constructor(
    readonly kind: "break" | "continue",
    public n: number,
  ) {}
}
/** An expansion error that abandons the rest of the current top-level command. */
export class AbortCommand {}
/** A runaway-protection limit was reached: the whole run stops with one message. */
export class LimitSignal {
  constructor(readonly message: string) {}
}
/** SIGINT arrived (the interrupted hook said so): the foreground job stops with status 130. */
export class InterruptSignal {}
/** An expansion error; fatal ones end a non-interactive shell. */
export class ExpandError {
  constructor(
    readonly message: string,
    readonly fatalStatus: number | null,
  ) {}
}
/**
 * A write to a pipe whose reader has exited: the writing stage dies of
 * SIGPIPE (status 128 + 13, no message), as a process does.
 */
export class SigPipe {}
/**
 * A read reached the end of a pipe whose writer was stopped by the pipe
 * limit: the stage stops (status 1, no report on the cut stream) and its own
 * output is marked cut the same way.
 */
export class InputTruncated {}

/** The exit status of a stage killed by SIGPIPE (128 + 13). */
export const STATUS_SIGPIPE = 141;
