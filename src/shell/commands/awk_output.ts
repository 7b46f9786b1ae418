/**
 * awk's output streams as mawk keeps them: standard output buffered (handed
 * on in 64 KiB chunks, before a command starts and at the end; unbuffered to
 * a terminal or with -W interactive), /dev/stderr unbuffered, files opened once by `>` (truncating) or
 * `>>` and buffered until close(), fflush(), system() or the end, and
 * `print | "cmd"`: what is printed to the command is kept and the command
 * runs through the machine's shell, with that as its standard input, when
 * the stream is closed (close(), or at exit, where the command pipes are
 * closed in the order they were opened, before standard output is flushed).
 */
import { Errno, SysError, strerror } from "../../lib/errno.js";
import { BufferInput, toBytes } from "../io.js";
import { PIPE_CAPACITY } from "../pipe.js";
import { SigPipe, STATUS_SIGPIPE } from "../signals.js";
import type { CommandContext, InputSource, OutputSink } from "../types.js";
import { AwkOpenError, AwkRuntimeError } from "./awk_value.js";

/** Where print and printf write. */
export interface AwkStream {
  write(s: string): void;
}

/** Characters of standard output gathered before it is handed on. */
export const STDOUT_CHUNK = 64 * 1024;

/** Characters `print | cmd` holds for the command until the pipe is closed. */
const MAX_PIPE_TEXT = 64 * 1024 * 1024;

/** A buffered output file. */
class OutFile implements AwkStream {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly h: { write(d: string): number; close(): void }) {}
  write(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= STDOUT_CHUNK) this.flush();
  }
  flush(): void {
    if (this.parts.length === 0) return;
    const s = this.parts.join("");
    this.parts = [];
    this.size = 0;
    this.h.write(s);
  }
  close(): number {
    this.flush();
    this.h.close();
    return 0;
  }
}

/** `print | "cmd"`: the text for the command, which runs when the stream is closed. */
class OutPipe implements AwkStream {
  private parts: string[] = [];
  private size = 0;
  constructor(
    private readonly ctx: CommandContext,
    private readonly cmd: string,
  ) {}
  write(s: string): void {
    this.size += s.length;
    if (this.size > MAX_PIPE_TEXT) throw new AwkRuntimeError(`more than ${MAX_PIPE_TEXT} bytes printed to "${this.cmd}": a command runs when its pipe is closed, and this much is not held for it`);
    this.parts.push(s);
  }
  flush(): void {}
  close(): number {
    // what awk printed to the command, as its standard input (unread: what it left behind)
    const input = new BufferInput(toBytes(this.parts.join("")));
    this.parts = [];
    const status = runCommand(this.ctx, this.cmd, { stdin: input });
    // a command that exited leaving more than a pipe's worth unread: awk's writes would have met SIGPIPE
    if (input.unread > PIPE_CAPACITY) throw new SigPipe();
    return status;
  }
}

/** A command run through the shell: killed by SIGPIPE (writing to a reader that exited) it gives 141, as from sh. */
export function runCommand(ctx: CommandContext, cmd: string, streams?: { stdin?: InputSource; stdout?: OutputSink }): number {
  try {
    return ctx.run(cmd, streams);
  } catch (e) {
    if (e instanceof SigPipe) return STATUS_SIGPIPE;
    throw e;
  }
}

export class Outputs {
  private parts: string[] = [];
  private size = 0;
  /** Open files and command pipes by name, in the order they were opened. */
  private readonly open = new Map<string, OutFile | OutPipe>();

  /** -W interactive: standard output unbuffered. */
  interactive = false;

  constructor(private readonly ctx: CommandContext) {}

  /** Standard output (buffered unless interactive). */
  readonly stdout: AwkStream = {
    write: (s: string): void => {
      if (this.interactive) {
        this.ctx.stdout.write(s);
        return;
      }
      this.parts.push(s);
      this.size += s.length;
      if (this.size >= STDOUT_CHUNK) this.flushStdout();
    },
  };

  /** /dev/stderr (unbuffered). */
  readonly stderr: AwkStream = { write: (s: string): void => this.ctx.stderr.write(s) };

  /** Times standard output was handed on (the main loop yields after one). */
  flushes = 0;

  flushStdout(): void {
    if (this.parts.length === 0) return;
    this.flushes++;
    const s = this.parts.join("");
    this.parts = [];
    this.size = 0;
    this.ctx.stdout.write(s);
  }

  /** The stream of a redirection, opened on first use. */
  get(op: string, name: string): AwkStream {
    if (op !== "|") {
      if (name === "/dev/stdout") return this.stdout;
      if (name === "/dev/stderr") return this.stderr;
    }
    const had = this.open.get(name);
    if (had !== undefined) return had;
    let s: OutFile | OutPipe;
    if (op === "|") {
      // the command inherits standard output: what awk wrote before goes first
      this.flushStdout();
      s = new OutPipe(this.ctx, name);
    } else {
      try {
        const path = this.ctx.resolve(name);
        if (this.ctx.vfs.lookup(path)?.kind === "dir") throw new AwkOpenError(`cannot open "${name}" for output (${strerror(Errno.EISDIR)})`);
        s = new OutFile(this.ctx.vfs.open(path, { write: true, create: true, trunc: op === ">", append: op === ">>" }));
      } catch (e) {
        if (e instanceof SysError) throw new AwkOpenError(`cannot open "${name}" for output (${strerror(e.errno)})`);
        throw e;
      }
    }
    this.open.set(name, s);
    return s;
  }

  /** Whether `name` is an open output stream. */
  has(name: string): boolean {
    return this.open.has(name);
  }

  /** close(name) of an output: the command's exit status for a pipe, 0 for a file; undefined when it is not open. */
  close(name: string): number | undefined {
    const s = this.open.get(name);
    if (s === undefined) return undefined;
    this.open.delete(name);
    return s.close();
  }

  /** fflush(): standard output; fflush(""): every output; fflush(name): that stream (-1 when it is not open). */
  fflush(name?: string): number {
    if (name === "") {
      this.flushAll();
      return 0;
    }
    if (name === undefined || name === "/dev/stdout") {
      this.flushStdout();
      return 0;
    }
    if (name === "/dev/stderr") return 0;
    const s = this.open.get(name);
    if (s === undefined) return -1;
    s.flush();
    return 0;
  }

  /** Before system(): everything written so far reaches its file. */
  flushAll(): void {
    this.flushStdout();
    for (const s of this.open.values()) s.flush();
  }

  /** At the end: command pipes (in the order opened), then files, then standard output. */
  closeAll(): void {
    for (const [name, s] of [...this.open]) if (s instanceof OutPipe) this.close(name);
    for (const name of [...this.open.keys()]) this.close(name);
    this.flushStdout();
  }
}
