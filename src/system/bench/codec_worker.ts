/**
 * Worker thread of {@link PrecomputedResults}: computes its share of the
 * slots (computeSlot() in result_cache.ts), in the order the workload needs
 * them, skipping any the simulation thread already claimed.
 */
import { workerData } from "node:worker_threads";
import { computeSlot, slotContext, SLOT, SLOT_FAILED, SLOT_PENDING, SLOT_WORDS, SLOT_WORKING, type WorkerSetup } from "./result_cache.js";

function run(setup: WorkerSetup): void {
  const ctx = slotContext(setup);
  for (let s = setup.w; s < setup.slotPage.length; s += setup.n) computeSlot(ctx, s);
}

const setup = workerData as WorkerSetup;
try {
  run(setup);
} catch (e) {
  // publish every slot of ours still pending as failed, so the simulation computes them
  const hdr = new Int32Array(setup.headers);
  for (let s = setup.w; s < setup.slotPage.length; s += setup.n) {
    const at = s * SLOT_WORDS + SLOT.state;
    for (const from of [SLOT_PENDING, SLOT_WORKING]) if (Atomics.compareExchange(hdr, at, from, SLOT_FAILED) === from) Atomics.notify(hdr, at);
  }
  throw e;
}
