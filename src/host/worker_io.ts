/**
 * The standard streams of a command running in the machine thread, and its
 * signals, over the channel to the process's main thread (which owns the
 * client's socket).
 *
 * The machine thread runs a command synchronously, so nothing here waits on
 * its event loop: output is posted in ordered batches (flushed at 64 KiB or
 * every 15 ms of wall time, so it streams as produced); input arrives on a
 * MessagePort drained with receiveMessageOnPort; signals and flow control are
 * words of a SharedArrayBuffer that the main thread sets and Atomics.wait
 * sleeps on.
 */
import { receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import type { InputSource, OutputSink } from "../shell/types.js";

/** Words of the shared control block. */
export const enum Ctl {
  /** Pending signal for the running command: 0, or SIGHUP 1, SIGINT 2, SIGPIPE 13, SIGTERM 15. */
  Signal = 0,
  /** Bumped by the main thread after posting stdin. */
  StdinSeq = 1,
  /** 1 while the client's socket has too much unsent output. */
  Throttle = 2,
  Words = 4,
}

export const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGPIPE: 13, SIGTERM: 15 } as const;

/** A batch of output, in order: [fd, bytes] pairs. */
export interface OutMessage {
  t: "out";
  chunks: Array<[1 | 2, Uint8Array]>;
}

/** Stdin as the main thread posts it: a chunk, or null at end of input. */
export type StdinMessage = Uint8Array | null;

const FLUSH_BYTES = 64 * 1024;
const FLUSH_MS = 15;

/**
 * One command's streams.
 *
 * @example
 * const io = new JobStreams(ctl, stdinPort, (m) => parentPort.postMessage(m), tty);
 * world.shell({ stdout: io.stdout, stderr: io.stderr, stdin: io.stdin });
 * …; io.flush();
 */
export class JobStreams {
  readonly stdout: OutputSink;
  readonly stderr: OutputSink;
  readonly stdin: InputSource;
  private chunks: Array<[1 | 2, Uint8Array]> = [];
  private bytes = 0;
  private lastFlush = 0;
  private readonly input: PortInput;

  constructor(
    private readonly ctl: Int32Array,
    stdinPort: MessagePort,
    private readonly post: (m: OutMessage | { t: "want-stdin" }) => void,
    tty: { stdin: boolean; stdout: boolean; stderr: boolean },
  ) {
    const enc = new TextEncoder();
    const sink = (fd: 1 | 2, isTty: boolean): OutputSink => ({
      isTty,
      write: (d) => {
        const b = typeof d === "string" ? enc.encode(d) : d.slice();
        if (b.length === 0) return;
        this.chunks.push([fd, b]);
        this.bytes += b.length;
        this.maybeFlush();
      },
    });
    this.stdout = sink(1, tty.stdout);
    this.stderr = sink(2, tty.stderr);
    this.input = new PortInput(ctl, stdinPort, () => {
      this.flush();
      this.post({ t: "want-stdin" });
    }, () => this.signal() !== 0 || this.caught !== 0);
    this.stdin = this.input.source(tty.stdin);
  }

  /** The first signal the command got (0 when none): it decides the status of a command it ended. */
  caught = 0;

  /** The pending signal number (0 when none). Also flushes output that has waited long enough. */
  signal(): number {
    this.maybeFlush();
    const n = Atomics.load(this.ctl, Ctl.Signal);
    if (n !== 0 && this.caught === 0) this.caught = n;
    return n;
  }

  /** The shell's interrupt hook: true once per signal (it consumes it). */
  readonly interrupted = (): boolean => {
    if (this.signal() === 0) return false;
    Atomics.store(this.ctl, Ctl.Signal, 0);
    return true;
  };

  private maybeFlush(): void {
    if (this.bytes >= FLUSH_BYTES || (this.bytes > 0 && Date.now() - this.lastFlush >= FLUSH_MS)) this.flush();
  }

  /** Posts what is buffered; waits while the client is behind (unless a signal is pending). */
  flush(): void {
    this.lastFlush = Date.now();
    if (this.chunks.length === 0) return;
    this.post({ t: "out", chunks: this.chunks });
    this.chunks = [];
    this.bytes = 0;
    while (Atomics.load(this.ctl, Ctl.Throttle) === 1 && Atomics.load(this.ctl, Ctl.Signal) === 0 && this.caught === 0) {
      Atomics.wait(this.ctl, Ctl.Throttle, 1, 100);
    }
  }
}

/** Stdin fed from a MessagePort, read synchronously. */
class PortInput {
  private buf = new Uint8Array(0);
  private pos = 0;
  private eof = false;

  constructor(
    private readonly ctl: Int32Array,
    private readonly port: MessagePort,
    private readonly ask: () => void,
    private readonly interrupted: () => boolean,
  ) {}

  /** Waits for more input; false at end of input (or when a signal is pending). */
  private more(): boolean {
    if (this.eof) return false;
    // each wait asks: a terminal client answers every ask with one typed line
    let asked = false;
    for (;;) {
      const seq = Atomics.load(this.ctl, Ctl.StdinSeq);
      const m = receiveMessageOnPort(this.port);
      if (m !== undefined) {
        const chunk = m.message as StdinMessage;
        if (chunk === null) {
          this.eof = true;
          return false;
        }
        const rest = this.buf.subarray(this.pos);
        const next = new Uint8Array(rest.length + chunk.length);
        next.set(rest);
        next.set(chunk, rest.length);
        this.buf = next;
        this.pos = 0;
        return true;
      }
      if (this.interrupted()) return false;
      if (!asked) {
        asked = true;
        this.ask();
        continue;
      }
      Atomics.wait(this.ctl, Ctl.StdinSeq, seq, 50);
    }
  }

  source(isTty: boolean): InputSource {
    return {
      isTty,
      read: (max: number) => {
        if (this.pos >= this.buf.length && !this.more()) return null;
        const n = Math.min(max, this.buf.length - this.pos);
        const out = this.buf.slice(this.pos, this.pos + n);
        this.pos += n;
        return out;
      },
      readAll: () => {
        while (this.more());
        const out = this.buf.slice(this.pos);
        this.buf = new Uint8Array(0);
        this.pos = 0;
        return out;
      },
      readLine: () => {
        for (;;) {
          const nl = this.buf.indexOf(0x0a, this.pos);
          if (nl >= 0) {
            const line = Buffer.from(this.buf.subarray(this.pos, nl)).toString("utf8");
            this.pos = nl + 1;
            return line;
          }
          if (!this.more()) {
            if (this.pos >= this.buf.length) return null;
            const line = Buffer.from(this.buf.subarray(this.pos)).toString("utf8");
            this.pos = this.buf.length;
            return line;
          }
        }
      },
    };
  }
}
