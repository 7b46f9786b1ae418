/**
 * sed's input: the lines of its file operands ("-" = stdin) as one stream,
 * read as they are needed. Standard input is read a chunk at a time through
 * the streaming helpers (a generator yields while the pipe is empty), so
 * `yes | sed 3q` ends and a long input is never held whole; files are read
 * from the VFS. Whether the current line is the last (`$`) is known once the
 * next byte of input (or the end of every remaining operand) has been seen.
 */
import { Errno, SysError, strerror } from "../../lib/errno.js";
import { readSome } from "../stream.js";
import type { CommandContext, StreamYield } from "../types.js";
import { SedError } from "./sed_parse.js";

/** Bytes per read of standard input. */
const CHUNK = 64 * 1024;

export interface Line {
  text: string;
  /** False for a last line without its delimiter. */
  nl: boolean;
}

export class SedInput {
  /** Undecoded text of the current source from `pos` on. */
  private buf = "";
  private pos = 0;
  /** The source being read: its index in `files`, whether it has ended, its decoder. */
  private src = -1;
  private srcEnded = true;
  private dec = new TextDecoder();
  /** Line number of the last line taken (GNU counts on across the operands of one stream). */
  lineNo = 0;
  /** The operand the last line came from ("-" for stdin), for F. */
  fileName = "-";
  private curName = "-";
  /** Status 2 once an operand could not be read. */
  status = 0;

  constructor(
    private readonly ctx: CommandContext,
    private readonly files: readonly string[],
    private readonly delim: string,
  ) {}

  /** Opens the next operand; false when none is left. A file is read whole; stdin is read as needed. */
  private openNext(): boolean {
    for (;;) {
      if (this.src + 1 >= this.files.length) return false;
      const f = this.files[++this.src]!;
      this.buf = "";
      this.pos = 0;
      this.dec = new TextDecoder();
      this.curName = f;
      if (f === "-") {
        this.srcEnded = false;
        return true;
      }
      try {
        const node = this.ctx.vfs.lookup(this.ctx.resolve(f));
        if (node?.kind === "dir") throw new SedError(`sed: read error on ${f}: ${strerror(Errno.EISDIR)}`, 4);
        this.buf = this.ctx.vfs.readText(this.ctx.resolve(f));
        this.srcEnded = true;
        return true;
      } catch (e) {
        if (!(e instanceof SysError)) throw e;
        this.ctx.stderr.write(`sed: can't read ${f}: ${strerror(e.errno)}\n`);
        this.status = 2;
      }
    }
  }

  /** Reads one more chunk of stdin into the buffer (yields while the pipe is empty). */
  private *fill(): Generator<StreamYield, void, void> {
    if (this.ctx.interrupted()) throw new Interrupted();
    const c = yield* readSome(this.ctx.stdin, CHUNK);
    if (c === null) {
      this.buf = this.buf.slice(this.pos) + this.dec.decode();
      this.srcEnded = true;
    } else this.buf = this.buf.slice(this.pos) + this.dec.decode(c, { stream: true });
    this.pos = 0;
  }

  /** The next line if it can be had without waiting: a Line, null at the end of all input, undefined when more must be read. */
  nextSync(): Line | null | undefined {
    for (;;) {
      const k = this.buf.indexOf(this.delim, this.pos);
      if (k >= 0) return this.take(k, true);
      if (!this.srcEnded) return undefined;
      if (this.pos < this.buf.length) return this.take(this.buf.length, false);
      if (!this.openNext()) return null;
    }
  }

  private take(end: number, nl: boolean): Line {
    const text = this.buf.slice(this.pos, end);
    this.pos = nl ? end + 1 : end;
    this.lineNo++;
    this.fileName = this.curName;
    return { text, nl };
  }

  /** The next line, reading as needed; null at the end of all input. */
  *next(): Generator<StreamYield, Line | null, void> {
    for (;;) {
      const l = this.nextSync();
      if (l !== undefined) return l;
      yield* this.fill();
    }
  }

  /** Whether the line taken last is the last one, if that is known without waiting. */
  lastKnown(): boolean | undefined {
    for (;;) {
      if (this.pos < this.buf.length) return false;
      if (!this.srcEnded) return undefined;
      if (!this.openNext()) return true;
    }
  }

  /** Whether nextSync() would not need more input. */
  isReady(): boolean {
    for (;;) {
      if (this.buf.indexOf(this.delim, this.pos) >= 0) return true;
      if (!this.srcEnded) return false;
      if (this.pos < this.buf.length) return true;
      if (!this.openNext()) return true;
    }
  }

  /** Reads until isReady(). */
  *awaitReady(): Generator<StreamYield, void, void> {
    while (!this.isReady()) yield* this.fill();
  }

  /** Reads until lastKnown() knows. */
  *probe(): Generator<StreamYield, void, void> {
    while (this.lastKnown() === undefined) yield* this.fill();
  }
}

/** Thrown out of the reading when SIGINT arrived. */
export class Interrupted extends Error {}
