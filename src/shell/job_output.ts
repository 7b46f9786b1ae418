/**
 * The output of background jobs, in time order. A job runs when it is started
 * (the interpreter is synchronous) but keeps its own virtual clock, so what it
 * writes to the shell's own stdout or stderr is held with the instant it was
 * written at and handed on once the foreground's time has reached that
 * instant: `(sleep 1; echo a) & echo b; wait` prints b, then a, as in bash.
 * Output a job sends anywhere else (a file, a pipe) is written at once.
 */
import type { OutputSink } from "./types.js";

interface Held {
  at: number;
  seq: number;
  sink: OutputSink;
  data: string | Uint8Array;
}

/** A sink that holds a job's writes for {@link JobOutput}: `target` is where they go. */
interface HoldingSink extends OutputSink {
  readonly target: OutputSink;
}

function isHolding(s: OutputSink): s is HoldingSink {
  return (s as Partial<HoldingSink>).target !== undefined;
}

export class JobOutput {
  private held: Held[] = [];
  private seq = 0;

  /** True when `sink` is one of the shell's own streams (or a job's hold on one). */
  static holds(sink: OutputSink, own: readonly OutputSink[]): boolean {
    return own.includes(isHolding(sink) ? sink.target : sink);
  }

  /** A sink for a job whose clock is `now`: its writes to `sink` are held until the foreground reaches their time. */
  hold(sink: OutputSink, now: () => number): OutputSink {
    const target = isHolding(sink) ? sink.target : sink;
    const held = this.held;
    const seq = (): number => this.seq++;
    const s: HoldingSink = {
      target,
      isTty: target.isTty,
      write(data) {
        // a writer may reuse its buffer: keep a copy
        held.push({ at: now(), seq: seq(), sink: target, data: typeof data === "string" ? data : data.slice() });
      },
    };
    return s;
  }

  get pending(): boolean {
    return this.held.length > 0;
  }

  /** Hands on, in time order, what was written at or before `upTo` (everything when undefined). */
  flush(upTo?: number): void {
    if (this.held.length === 0) return;
    const due = this.held.filter((h) => upTo === undefined || h.at <= upTo).sort((a, b) => a.at - b.at || a.seq - b.seq);
    if (due.length === 0) return;
    this.held = upTo === undefined ? [] : this.held.filter((h) => h.at > upTo);
    for (const h of due) {
      try {
        h.sink.write(h.data);
      } catch {
        // the shell's own stream refused it (a closed terminal): as a job's write to it would have failed
      }
    }
  }
}
