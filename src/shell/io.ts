/**
 * Stream endpoints used by the shell: byte buffers for pipes and command
 * substitution, a null device, and a sink over an open VFS file.
 */
import { Errno, SysError } from "../lib/errno.js";
import type { FileHandle } from "../kernfs/vfs.js";
import type { InputSource, OutputSink } from "./types.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Bytes of a string or byte array. */
export function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === "string" ? enc.encode(data) : data;
}

/** UTF-8 text of bytes. */
export function toText(data: Uint8Array): string {
  return dec.decode(data);
}

/**
 * A write refused because a buffer is full: a pipe whose reader cannot keep
 * up (it does not stream: a function, a loop, sort, or has not started), or
 * the output of a process substitution; past `limit` bytes the writer gets
 * this error (EFBIG) instead of a silently shortened stream.
 */
export class PipeFullError extends SysError {
  constructor(readonly limit: number) {
    super(Errno.EFBIG, "write");
  }
  /** The line after `PROG: write error: `. */
  get detail(): string {
    return `pipe buffer limit reached (${this.limit} bytes held for a reader that does not stream)`;
  }
}

/** Collects everything written (a pipe's buffer, $(…) output, tests); `limit` bounds it (PipeFullError past it). */
export class BufferSink implements OutputSink {
  private chunks: Uint8Array[] = [];
  private size = 0;
  /** Set once a write was refused for the limit. */
  overflowed = false;
  constructor(private readonly limit = Infinity) {}
  write(data: string | Uint8Array): void {
    const b = toBytes(data);
    if (b.length === 0) return;
    if (this.size + b.length > this.limit) {
      this.overflowed = true;
      throw new PipeFullError(this.limit);
    }
    this.chunks.push(b.slice());
    this.size += b.length;
  }
  bytes(): Uint8Array {
    if (this.chunks.length === 1) return this.chunks[0]!;
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    this.chunks = this.size > 0 ? [out] : [];
    return out;
  }
  text(): string {
    return dec.decode(this.bytes());
  }
}

/** Discards everything (/dev/null). */
export class NullSink implements OutputSink {
  write(): void {}
}

/** Writes through an open file; each write is one write(2) (one kernfs store). */
export class FileSink implements OutputSink {
  constructor(readonly handle: FileHandle) {}
  write(data: string | Uint8Array): void {
    this.handle.write(data);
  }
}

/** Reads from a byte buffer. */
export class BufferInput implements InputSource {
  private pos = 0;
  constructor(private readonly data: Uint8Array = new Uint8Array(0)) {}
  static of(text: string): BufferInput {
    return new BufferInput(enc.encode(text));
  }
  /** Bytes not read yet (what a reader that exited left behind). */
  get unread(): number {
    return this.data.length - this.pos;
  }
  readAll(): Uint8Array {
    const r = this.data.subarray(this.pos);
    this.pos = this.data.length;
    return r;
  }
  read(max: number): Uint8Array | null {
    if (this.pos >= this.data.length) return null;
    const r = this.data.subarray(this.pos, Math.min(this.data.length, this.pos + Math.max(1, max)));
    this.pos += r.length;
    return r;
  }
  readLine(): string | null {
    if (this.pos >= this.data.length) return null;
    let e = this.data.indexOf(10, this.pos);
    const last = e < 0;
    if (last) e = this.data.length;
    const line = dec.decode(this.data.subarray(this.pos, e));
    this.pos = last ? e : e + 1;
    return line;
  }
}

/** Everything an OutputSink-writing test needs: one sink recording both streams in order. */
export class RecordingSinks {
  readonly events: { fd: 1 | 2; text: string }[] = [];
  readonly stdout: OutputSink = { write: (d) => this.events.push({ fd: 1, text: typeof d === "string" ? d : dec.decode(d) }) };
  readonly stderr: OutputSink = { write: (d) => this.events.push({ fd: 2, text: typeof d === "string" ? d : dec.decode(d) }) };
  out(): string {
    return this.events.filter((e) => e.fd === 1).map((e) => e.text).join("");
  }
  err(): string {
    return this.events.filter((e) => e.fd === 2).map((e) => e.text).join("");
  }
}
