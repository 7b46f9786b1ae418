/**
 * Runs the stages of a pipeline interleaved, so data streams through it with
 * bounded memory.
 *
 * A stage is either a task (a streaming command: a generator that yields
 * between chunks and when its input is empty) or a synchronous stage (a
 * builtin, function, compound command or program that cannot stream), which
 * runs to completion once started. Synchronous stages start one at a time,
 * left to right; while one runs, its reads run the tasks before it
 * ({@link PipeDriver.fill}) and its writes past the pipe capacity run the
 * tasks after it ({@link PipeDriver.wrote}); so do a task's writes past the
 * capacity within one step (awk printing from a BEGIN loop, which cannot
 * yield there). The tasks left over then run
 * round-robin, left to right, each while its input has data (or it does not
 * wait for input) and its output pipe holds at most its capacity (Linux's 64 KiB)
 * bytes, until all have finished. The order depends only on the data, so a
 * pipeline's output is the same on every run; virtual time passes only where
 * a stage lets it pass.
 *
 * A stage that exits closes its end of both pipes: a later write to its input
 * pipe kills the writer with SIGPIPE (status 141, no message), as in bash.
 * When a pipe holds more than the limit (the reader is a synchronous stage
 * that has not started, or reads everything at once), the writer gets
 * PipeFullError and the stream is marked cut: a stage that reaches the cut is
 * stopped (status 1, silently) and its output is cut in turn; a stage whose
 * input is cut before it starts is not run (status 1). So no stage reports on
 * a shortened stream, and the writer's error says why.
 */
import { Pipe, type PipeDriver } from "./pipe.js";
import { InputTruncated, SigPipe, STATUS_SIGPIPE } from "./signals.js";
import type { InputSource, OutputSink } from "./types.js";

/** A started streaming stage. */
export interface StageTask {
  /** Runs the stage until it yields: whether it waits for input, or its exit status once it has finished. */
  step(): { done: false; wantsInput: boolean } | { done: true; status: number };
  /** Ends an unfinished stage (the pipeline is abandoned): runs its clean-ups. */
  stop(): void;
}

/** What the interpreter provides for one pipeline. */
export interface StageHost {
  /** True when stage `i` is expected to stream (a program with a streaming form). */
  streams(i: number): boolean;
  /**
   * Starts stage `i` on these streams: returns its task when it streams,
   * else runs it to completion and returns its status.
   */
  start(i: number, stdin: InputSource, stdout: OutputSink): StageTask | number;
}

interface Stage {
  state: "new" | "task" | "sync" | "done";
  streams: boolean;
  task: StageTask | null;
  wantsInput: boolean;
  onStack: boolean;
  status: number;
}

export class PipelineRun implements PipeDriver {
  private readonly stages: Stage[];
  private readonly pipes: Pipe[] = [];

  constructor(
    n: number,
    limit: number,
    private readonly host: StageHost,
    private readonly stdin: InputSource,
    private readonly stdout: OutputSink,
  ) {
    this.stages = Array.from({ length: n }, (_, i) => ({ state: "new", streams: host.streams(i), task: null, wantsInput: false, onStack: false, status: 0 }));
    for (let i = 0; i < n - 1; i++) this.pipes.push(new Pipe(i, limit, this));
  }

  /** The pipe stage `i` writes to (and fd 2 too for `|&`), or null for the last stage. */
  outPipe(i: number): Pipe | null {
    return this.pipes[i] ?? null;
  }

  /** True when some pipe's writer was stopped by the limit. */
  get cut(): boolean {
    return this.pipes.some((p) => p.truncated);
  }

  /** Runs every stage to its end; returns their statuses. */
  run(): number[] {
    const n = this.stages.length;
    try {
      for (let i = 0; i < n; i++) {
        if (this.stages[i]!.streams || this.stages[i]!.state !== "new") continue;
        // the tasks before it first fill their pipes up to the capacity (as processes started together would)
        this.drive(0, i - 1, () => false, null);
        this.stepStage(i);
      }
      if (!this.drive(0, n - 1, () => this.stages.every((s) => s.state === "done"), null)) throw new Error("pipeline stalled");
    } finally {
      for (const s of this.stages) if (s.state === "task") s.task!.stop();
    }
    return this.stages.map((s) => s.status);
  }

  fill(pipe: Pipe, have: number): void {
    const ok = this.drive(0, pipe.index, () => pipe.size > have || pipe.writerDone, pipe);
    if (!ok) throw new Error("pipeline stalled: a stage waits for input that no runnable stage can write");
  }

  wrote(pipe: Pipe): void {
    // a writer that cannot be suspended (a synchronous stage, or a task that writes from deep inside its step:
    // awk's print in a BEGIN loop) lets the stages after it drain the pipe
    const w = this.stages[pipe.index]!;
    if ((w.state !== "sync" && !w.onStack) || pipe.size <= pipe.capacity) return;
    this.drive(pipe.index + 1, this.stages.length - 1, () => pipe.size <= pipe.capacity || pipe.readerDone, null, true);
  }

  /**
   * Steps the runnable stages of lo..hi round-robin until `until()` holds
   * (true) or none can run (false). `exempt` is a pipe its reader is waiting
   * to fill (no capacity bound); `buffer` lets a writer go past the capacity
   * when its reader is a synchronous stage that has not started.
   */
  private drive(lo: number, hi: number, until: () => boolean, exempt: Pipe | null, buffer = false): boolean {
    for (;;) {
      if (until()) return true;
      let ran = false;
      for (let j = lo; j <= hi; j++) {
        if (!this.runnable(j, exempt, buffer)) continue;
        this.stepStage(j);
        ran = true;
        if (until()) return true;
      }
      if (!ran) return false;
    }
  }

  private runnable(j: number, exempt: Pipe | null, buffer: boolean): boolean {
    const s = this.stages[j]!;
    if (s.onStack || s.state === "done" || s.state === "sync" || (s.state === "new" && !s.streams)) return false;
    const inp = this.pipes[j - 1];
    if (s.wantsInput && inp !== undefined && inp.size === 0 && !inp.writerDone) return false;
    const out = this.pipes[j];
    if (out !== undefined && out !== exempt && !out.readerDone && out.size > out.capacity) {
      const reader = this.stages[j + 1]!;
      if (!(buffer && reader.state === "new" && !reader.streams)) return false;
    }
    return true;
  }

  private stepStage(j: number): void {
    const s = this.stages[j]!;
    s.onStack = true;
    try {
      if (s.state === "new") {
        const inp = this.pipes[j - 1];
        if (inp?.truncated === true) {
          this.finish(j, 1, true);
          return;
        }
        s.state = "sync";
        const out = this.pipes[j];
        const r = this.host.start(j, inp?.reader ?? this.stdin, out?.writer ?? this.stdout);
        if (typeof r === "number") {
          this.finish(j, r, false);
          return;
        }
        s.task = r;
        s.state = "task";
      }
      if (s.wantsInput && j === 0) this.stdin.wait?.();
      const r = s.task!.step();
      if (r.done) this.finish(j, r.status, false);
      else s.wantsInput = r.wantsInput;
    } catch (e) {
      if (e instanceof SigPipe) this.finish(j, STATUS_SIGPIPE, false);
      else if (e instanceof InputTruncated) this.finish(j, 1, true);
      else throw e;
    } finally {
      s.onStack = false;
    }
  }

  private finish(j: number, status: number, cut: boolean): void {
    const s = this.stages[j]!;
    s.state = "done";
    s.task = null;
    s.status = status;
    this.pipes[j - 1]?.closeReader();
    const out = this.pipes[j];
    if (out !== undefined) {
      out.closeWriter();
      if (cut) out.truncated = true;
    }
  }
}
