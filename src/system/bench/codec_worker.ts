/**
 * Worker thread of {@link PrecomputedResults}: generates its share of the
 * workload's content when asked to; then, once the simulation thread has
 * published the slot count, computes its share of the slots
 * (result_cache.ts) in the order the workload needs them, stage 1 (compress
 * and verify) of all, then stage 2 (decompress), skipping any that another
 * thread already claimed. A pool worker (codec_pool.ts) does the same for
 * each cache it is handed, one after another.
 */
import { parentPort, workerData } from "node:worker_threads";
import { computeStage1, computeStage2, fillShare, slotContext, SLOT, SLOT_FAILED, SLOT_PENDING, SLOT_WORDS, SLOT_WORKING, type WorkerSetup } from "./result_cache.js";

/** The number of slots, once the simulation thread has published it. */
function slotCount(setup: WorkerSetup): number {
  const count = new Int32Array(setup.count);
  while (Atomics.load(count, 0) === -1) Atomics.wait(count, 0, -1);
  return Atomics.load(count, 0);
}

/** Computes this worker's share; stops early once the owner cancelled (the count is no longer n). */
function run(setup: WorkerSetup, n: number): void {
  const ctx = slotContext(setup);
  const count = new Int32Array(setup.count);
  for (let s = setup.w; s < n; s += setup.n) {
    if (Atomics.load(count, 0) !== n) return;
    computeStage1(ctx, s);
  }
  for (let s = setup.w; s < n; s += setup.n) {
    if (Atomics.load(count, 0) !== n) return;
    computeStage2(ctx, s);
  }
}

/** Runs one cache's share, publishing what it leaves undone as failed if it throws. */
function serve(setup: WorkerSetup): void {
  const n = slotCount(setup);
  try {
    run(setup, n);
  } catch (e) {
    failRest(setup, n);
    throw e;
  }
}

/** Publishes every stage of ours still pending or in hand as failed, so the simulation computes them. */
function failRest(setup: WorkerSetup, n: number): void {
  const hdr = new Int32Array(setup.headers);
  for (let s = setup.w; s < n; s += setup.n) {
    for (const word of [SLOT.state, SLOT.dstate]) {
      const at = s * SLOT_WORDS + word;
      for (const from of [SLOT_PENDING, SLOT_WORKING]) if (Atomics.compareExchange(hdr, at, from, SLOT_FAILED) === from) Atomics.notify(hdr, at);
    }
  }
}

if ((workerData as { pool?: boolean }).pool === true) {
  // a pool worker (codec_pool.ts): one cache's share per message, in turn; then its shared
  // buffers are let go at once (an idle thread would not collect, and a buffer's memory is
  // freed only once no thread holds it)
  const gc = (globalThis as { gc?: () => void }).gc;
  parentPort!.on("message", (setup: WorkerSetup) => {
    serve(setup);
    // once this handler has returned, so that its setup is no longer referenced
    if (gc !== undefined) setTimeout(gc, 100).unref();
  });
} else {
  const setup = workerData as WorkerSetup;
  if (setup.fill !== null) {
    // this worker's share of the content first
    fillShare(new Uint8Array(setup.pages), setup.fill, setup.w, setup.n + 1);
    const done = new Int32Array(setup.fill.done);
    Atomics.add(done, 0, 1);
    Atomics.notify(done, 0);
  }
  serve(setup);
}
