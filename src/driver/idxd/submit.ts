/**
 * Descriptor pools, submission and completion interrupts
 * (linux: drivers/dma/idxd/submit.c idxd_alloc_desc(), idxd_free_desc(),
 * idxd_submit_desc(), irq.c idxd_wq_thread()).
 *
 * Each enabled kernel WQ owns `size` descriptors; a descriptor is a 64-byte
 * hardware descriptor the CPU fills (host memory) plus a 64-byte completion
 * record in DMA memory. Blocking allocation waits in virtual time for a
 * descriptor to be freed.
 */
import { IAX_COMPL_SIZE, IAX_DESC_SIZE, IDXD_OP_FLAG_RCI, DESC_OFF } from "../../hw/descriptor.js";
import type { VirtualClock } from "../../lib/clock.js";
import { viewOf } from "../../lib/dataview.js";
import { Errno } from "../../lib/errno.js";
import { PAGE_SIZE, type PhysMem } from "../../mm/phys_mem.js";
import type { IdxdDesc, IdxdWq } from "./idxd.js";

export type { IdxdCompleteType, IdxdDesc } from "./idxd.js";

/** Pool memory per WQ: the completion records, then the hardware descriptors, each packed in pages. */
const CR_PER_PAGE = PAGE_SIZE / IAX_COMPL_SIZE;

/**
 * idxd_wq_alloc_resources(): the descriptor pool (kernel WQs only). The
 * completion records and the hardware descriptors both live in coherent DMA
 * memory (dma_alloc_coherent()), one region per WQ.
 */
export function idxdWqAllocResources(wq: IdxdWq, mem: PhysMem): number {
  if (wq.type !== "kernel") return 0;
  const n = wq.size;
  const crPages = Math.ceil(n / CR_PER_PAGE);
  const pages = crPages + Math.ceil((n * IAX_DESC_SIZE) / PAGE_SIZE);
  const base = pages > 0 ? mem.allocPages(pages) : 0;
  const descBase = base + crPages * PAGE_SIZE;
  wq.descs = [];
  wq.freeDescs = [];
  for (let i = 0; i < n; i++) {
    const dma = base + i * IAX_COMPL_SIZE;
    wq.descs.push({ id: i, hw: mem.view(descBase + i * IAX_DESC_SIZE, IAX_DESC_SIZE), completion: mem.view(dma, IAX_COMPL_SIZE), complDma: dma, crypto: null, wq });
  }
  for (let i = n - 1; i >= 0; i--) wq.freeDescs.push(i);
  wq.descFree = new Uint8Array(n).fill(1);
  wq.poolBase = base;
  wq.poolPages = pages;
  return 0;
}

/** idxd_wq_free_resources(). */
export function idxdWqFreeResources(wq: IdxdWq, mem: PhysMem): void {
  if (wq.poolPages > 0) mem.freePages(wq.poolBase, wq.poolPages);
  wq.poolBase = 0;
  wq.poolPages = 0;
  wq.descs = [];
  wq.freeDescs = [];
  wq.descFree = new Uint8Array(0);
  wq.pending = [];
}

/**
 * idxd_alloc_desc(wq, IDXD_OP_BLOCK / IDXD_OP_NONBLOCK): a zeroed descriptor,
 * or -EIO (device not enabled), -EAGAIN (non-blocking and none free; or
 * blocking and nothing in flight could ever free one).
 */
export function idxdAllocDesc(wq: IdxdWq, block: boolean, clock: VirtualClock): IdxdDesc | number {
  if (wq.idxd.state !== "enabled") return -Errno.EIO;
  if (wq.freeDescs.length === 0) {
    if (!block) return -Errno.EAGAIN;
    const ok = clock.runUntil(() => wq.freeDescs.length > 0 || wq.idxd.state !== "enabled");
    if (!ok || wq.idxd.state !== "enabled") return !ok ? -Errno.EAGAIN : -Errno.EIO;
  }
  const d = wq.descs[wq.freeDescs.pop()!]!;
  wq.descFree[d.id] = 0;
  d.hw.fill(0);
  d.completion.fill(0);
  d.crypto = null;
  if (wq.idxd.pasidEnabled) viewOf(d.hw).setUint32(d.hw.byteOffset + DESC_OFF.pasid, 1, true);
  return d;
}

/** idxd_free_desc() */
export function idxdFreeDesc(wq: IdxdWq, desc: IdxdDesc): void {
  if (desc.wq !== wq || wq.descs[desc.id] !== desc || wq.descFree[desc.id] === 1) return;
  wq.freeDescs.push(desc.id);
  wq.descFree[desc.id] = 1;
}

/**
 * idxd_submit_desc(): -EIO if the device is not enabled, -ENXIO if the WQ is
 * not; descriptors with RCI get the WQ's interrupt handle and go on the
 * pending list; dedicated WQs use MOVDIR64B, shared WQs ENQCMDS retried
 * `enqcmds_retries` times, then -EAGAIN.
 */
export function idxdSubmitDesc(wq: IdxdWq, desc: IdxdDesc): number {
  const idxd = wq.idxd;
  if (idxd.state !== "enabled") return -Errno.EIO;
  if (wq.state !== "enabled") return -Errno.ENXIO;
  const dv = viewOf(desc.hw);
  const flags = dv.getUint32(desc.hw.byteOffset + DESC_OFF.flagsOpcode, true) & 0xffffff;
  const rci = (flags & IDXD_OP_FLAG_RCI) !== 0;
  if (rci) {
    dv.setUint16(desc.hw.byteOffset + DESC_OFF.intHandle, wq.id + 1, true);
    wq.pending.push(desc);
  }
  if (wq.dedicated) {
    idxd.hw.portalWrite(wq.id, desc.hw, "movdir64b");
    return 0;
  }
  for (let i = 0; i <= wq.enqcmdsRetries; i++) {
    if (idxd.hw.portalWrite(wq.id, desc.hw, "enqcmds") === 0) return 0;
  }
  if (rci) wq.pending.splice(wq.pending.indexOf(desc), 1);
  return -Errno.EAGAIN;
}

/**
 * irq_process_work_list(): the descriptors on the WQ's pending list whose
 * completion status is set, removed from the list in submission order.
 */
export function idxdTakeCompleted(wq: IdxdWq): IdxdDesc[] {
  const done: IdxdDesc[] = [];
  const left: IdxdDesc[] = [];
  for (const d of wq.pending) (d.completion[0] !== 0 ? done : left).push(d);
  wq.pending = left;
  return done;
}
