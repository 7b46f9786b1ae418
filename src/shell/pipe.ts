/**
 * One pipe of a pipeline: a byte queue between the stdout of a stage and the
 * stdin of the next, with the two ends the stages see.
 *
 * The writer never waits: a write is queued (or refused: SIGPIPE once the
 * reader has exited, PipeFullError past the limit). The reader's `tryRead`
 * never waits either (WOULD_BLOCK when empty); its blocking calls (`read`,
 * `readLine`, `readAll`, `wait`) ask the {@link PipeDriver} to run the stages
 * that fill the pipe. After each write the driver may run the reader's side
 * when the writer cannot be suspended (a function, a loop).
 */
import { PipeFullError, toBytes } from "./io.js";
import { InputTruncated, SigPipe } from "./signals.js";
import { WOULD_BLOCK, type InputSource, type OutputSink } from "./types.js";

/** Bytes a pipe holds before its writer is suspended (Linux's default pipe capacity). */
export const PIPE_CAPACITY = 65536;

/** The scheduler a pipe calls back into (src/shell/pipeline.ts). */
export interface PipeDriver {
  /** The reader needs more than `have` bytes queued: run the stages that can fill `pipe` until it has them or its writer finished. */
  fill(pipe: Pipe, have: number): void;
  /** Data was queued on `pipe`. */
  wrote(pipe: Pipe): void;
}

const dec = new TextDecoder();

export class Pipe {
  private chunks: Uint8Array[] = [];
  private off = 0;
  /** Bytes queued. */
  size = 0;
  writerDone = false;
  readerDone = false;
  /** The writer was stopped by the limit: the stream is cut. */
  truncated = false;
  /** Bytes queued before a writer that can be suspended waits (a quarter of the limit if that is smaller). */
  readonly capacity: number;

  constructor(
    /** The index of the writing stage. */
    readonly index: number,
    private readonly limit: number,
    private readonly driver: PipeDriver,
  ) {
    this.capacity = Math.min(PIPE_CAPACITY, Math.floor(limit / 4));
  }

  readonly writer: OutputSink = { write: (d) => this.write(d) };

  readonly reader: InputSource = {
    tryRead: (max) => this.tryRead(max),
    read: (max) => {
      for (;;) {
        const r = this.tryRead(max);
        if (r !== WOULD_BLOCK) return r;
        this.driver.fill(this, 0);
      }
    },
    readLine: () => this.readLine(),
    readAll: () => this.readAll(),
    wait: () => {
      if (this.size === 0 && !this.writerDone) this.driver.fill(this, 0);
    },
  };

  private write(data: string | Uint8Array): void {
    // a string is encoded into a fresh array; bytes may be the writer's buffer, so they are copied
    const b = typeof data === "string" ? toBytes(data) : data.slice();
    if (b.length === 0) return;
    if (this.readerDone) throw new SigPipe();
    if (this.size + b.length > this.limit) {
      this.truncated = true;
      throw new PipeFullError(this.limit);
    }
    this.chunks.push(b);
    this.size += b.length;
    this.driver.wrote(this);
  }

  /** The writer finished (its status is known). */
  closeWriter(): void {
    this.writerDone = true;
  }

  /** The reader exited: later writes get SIGPIPE; what is queued is dropped. */
  closeReader(): void {
    this.readerDone = true;
    this.chunks = [];
    this.off = 0;
    this.size = 0;
  }

  private endOfData(): null {
    if (this.truncated) throw new InputTruncated();
    return null;
  }

  private take(max: number): Uint8Array {
    const c = this.chunks[0]!;
    const n = Math.min(Math.max(1, max), c.length - this.off);
    const r = c.subarray(this.off, this.off + n);
    this.off += n;
    this.size -= n;
    if (this.off === c.length) {
      this.chunks.shift();
      this.off = 0;
    }
    return r;
  }

  private tryRead(max: number): Uint8Array | null | typeof WOULD_BLOCK {
    // like read(2): everything queued, up to max (several writes come back as one read)
    if (this.size > 0) return this.chunks[0]!.length - this.off >= max || this.chunks.length === 1 ? this.take(max) : this.takeBytes(Math.min(max, this.size));
    return this.writerDone ? this.endOfData() : WOULD_BLOCK;
  }

  /** Offset in the queue (counted from the first unread byte) of the first newline, or -1. */
  private newline(): number {
    let base = 0;
    for (let i = 0; i < this.chunks.length; i++) {
      const c = this.chunks[i]!;
      const from = i === 0 ? this.off : 0;
      const k = c.indexOf(10, from);
      if (k >= 0) return base + k - from;
      base += c.length - from;
    }
    return -1;
  }

  private takeBytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let o = 0;
    while (o < n) {
      const part = this.take(n - o);
      out.set(part, o);
      o += part.length;
    }
    return out;
  }

  private readLine(): string | null {
    for (;;) {
      const nl = this.newline();
      if (nl >= 0) {
        const line = dec.decode(this.takeBytes(nl + 1).subarray(0, nl));
        return line;
      }
      if (this.writerDone) {
        if (this.size === 0) return this.endOfData();
        return dec.decode(this.takeBytes(this.size));
      }
      this.driver.fill(this, this.size);
    }
  }

  private readAll(): Uint8Array {
    if (!this.writerDone) this.driver.fill(this, Infinity);
    if (this.truncated) throw new InputTruncated();
    return this.takeBytes(this.size);
  }
}
