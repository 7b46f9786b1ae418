/**
 * Worker thread of {@link PrecomputedResults}: computes the engine's results
 * for its share of the slots and publishes each one. For every page:
 * compress (engineCompress, exactly the engine's call); if it succeeded, the
 * verify pass (decompress with output suppressed) and the decompress of the
 * output, both checked against the page. For a failed compress the bytes the
 * engine left in the destination are found by running it over two different
 * fills of the buffer.
 */
import { workerData } from "node:worker_threads";
import { engineCompress, engineDecompress } from "../../hw/iaa_ops.js";
import type { IaaResult } from "../../deflate/mod.js";
import { SLOT, SLOT_READY, SLOT_WORDS, type WorkerSetup } from "./result_cache.js";

const PAGE = 4096;

function put(hdr: Int32Array, at: number, r: IaaResult): void {
  hdr[at] = r.status;
  hdr[at + 1] = r.errorCode;
  hdr[at + 2] = r.outputSize;
  hdr[at + 3] = r.outputBits;
  hdr[at + 4] = r.crc | 0;
  hdr[at + 5] = r.bytesConsumed;
  hdr[at + 6] = r.fault;
}

function run(setup: WorkerSetup): void {
  const pages = new Uint8Array(setup.pages);
  const hdr = new Int32Array(setup.headers);
  const out = new Uint8Array(setup.outputs);
  const { maxDst } = setup;
  const dstA = new Uint8Array(maxDst);
  const dstB = new Uint8Array(maxDst);
  const back = new Uint8Array(maxDst);
  for (let s = setup.w; s < setup.slotPage.length; s += setup.n) {
    const p = setup.slotPage[s]!;
    const src = pages.subarray(p * PAGE, (p + 1) * PAGE);
    const base = s * SLOT_WORDS;
    dstA.fill(0);
    const r = engineCompress(src, dstA, setup.aecs, setup.opFlags, maxDst);
    put(hdr, base + SLOT.comp, r);
    let touched = r.outputSize;
    if (r.status !== 1) {
      // the bytes written before the overflow: any byte that differs from one of two fills
      dstB.fill(0xff);
      engineCompress(src, dstB, setup.aecs, setup.opFlags, maxDst);
      touched = 0;
      for (let i = maxDst - 1; i >= 0; i--) {
        if (dstA[i] !== 0 || dstB[i] !== 0xff) {
          touched = i + 1;
          break;
        }
      }
    }
    hdr[base + SLOT.touched] = touched;
    out.set(dstA.subarray(0, touched), s * maxDst);
    if (r.status === 1) {
      const stream = dstA.subarray(0, r.outputSize);
      put(hdr, base + SLOT.verify, engineDecompress(stream, null, maxDst));
      const d = engineDecompress(stream, back, maxDst);
      // a decompress that does not give the page back is not offered (the engine recomputes it)
      const ok = d.status === 1 && d.outputSize === PAGE && Buffer.compare(back, src) === 0;
      put(hdr, base + SLOT.decomp, ok ? d : { ...d, status: -1 });
    }
    Atomics.store(hdr, base + SLOT.state, SLOT_READY);
    Atomics.notify(hdr, base + SLOT.state);
  }
}

run(workerData as WorkerSetup);
