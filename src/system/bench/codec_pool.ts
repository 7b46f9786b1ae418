/**
 * Long-lived worker threads for {@link PrecomputedResults} caches made one
 * after another (the machine process makes one per MADV_PAGEOUT batch):
 * starting threads once saves their start-up (tens of ms) per cache. Each
 * worker takes the caches it is handed in turn; a cache that is dropped
 * before its workers finished is cancelled, and they move on. The threads
 * start at the first cache, so a process that never needs them never pays
 * for them.
 *
 * @example
 * const pool = new CodecPool(1);
 * const cache = new PrecomputedResults(pages, order, pool);
 */
import type { Worker } from "node:worker_threads";
import { startWorker } from "./start_worker.js";

export class CodecPool {
  private readonly workers: Worker[] = [];
  private started = false;

  /** @param threads worker threads to start (0: none; every cache then computes on its own thread) */
  constructor(private readonly threads: number) {
    if (!Number.isInteger(threads) || threads < 0 || threads > 64) throw new Error(`CodecPool: threads must be 0 to 64, got ${threads}`);
  }

  private start(): void {
    this.started = true;
    for (let i = 0; i < this.threads; i++) {
      const w = startWorker(import.meta.url, "./codec_worker", { pool: true });
      w.unref();
      // a worker that failed published its unfinished stages as failed; later caches go without it
      w.on("error", () => this.drop(w));
      this.workers.push(w);
    }
  }

  /** Workers alive (or to be started). */
  get size(): number {
    return this.started ? this.workers.length : this.threads;
  }

  /** Hands worker w of size the setup `setup(w, size)` (a cache's WorkerSetup); returns how many got one. */
  submit(setup: (w: number, n: number) => unknown): number {
    if (!this.started) this.start();
    const n = this.workers.length;
    for (let w = 0; w < n; w++) this.workers[w]!.postMessage(setup(w, n));
    return n;
  }

  private drop(w: Worker): void {
    const i = this.workers.indexOf(w);
    if (i >= 0) this.workers.splice(i, 1);
  }

  /**
   * Stops the workers until the next submit() starts new ones: an idle
   * worker never collects garbage, so the shared buffers of the caches it
   * served would stay mapped (the machine process calls this after each
   * command that used the pool, trading a start-up per command for RSS).
   */
  idle(): void {
    if (!this.started) return;
    this.started = false;
    for (const w of this.workers.splice(0)) void w.terminate();
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    this.started = true;
    const ws = this.workers.splice(0);
    await Promise.all(ws.map((w) => w.terminate()));
  }
}
