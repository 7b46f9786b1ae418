/**
 * Swap I/O: reading and writing a page through the zeromap, the backend (zswap) and the device.
 *
 * linux: mm/page_io.c (swap_read_folio, swap_writepage).
 */
import { PAGE_SIZE } from "./phys_mem.js";
import { SWAP_BACKEND_MISS } from "./swap_backend.js";
import { SwapDevice } from "./swap_device.js";
import { Errno } from "../lib/errno.js";
import type { OopsTask } from "../lib/oops.js";
import { TIMING } from "../lib/timing.js";
import { type MmStruct } from "./mm_struct.js";

/**
 * swap_read_folio(): zeromap, then the backend (zswap_load), then the
 * device. Returns 1 if the page came back dirty (from zswap), 0 if clean,
 * a negative errno, or TASK_KILLED_BY_OOPS (the backend's BUG_ON() killed
 * `task`, whose swap-in path `trace` names).
 */
export function swapReadFolio(mm: MmStruct, dev: SwapDevice, off: number, pa: number, swapcache: boolean, task: OopsTask, trace: readonly string[]): number {
  const bytes = mm.phys.chunkBytes(pa);
  const o = mm.phys.chunkOffset(pa);
  if (dev.isZero(off)) {
    bytes.fill(0, o, o + PAGE_SIZE);
    return 0;
  }
  if (mm.backend !== null) {
    const r = mm.backend.load(dev.type, off, pa, swapcache, task, trace);
    if (r === 0) return 1;
    if (r !== SWAP_BACKEND_MISS) return r < 0 ? r : -Errno.EIO;
  }
  dev.read(off, bytes, o);
  mm.ctx.clock.advance(TIMING.swapReadNs);
  mm.events.pswpin++;
  mm.events.pgpgin += PAGE_SIZE / 1024;
  return 0;
}

/** swap_writepage(): zeromap, then the backend (zswap_store), then the device. */
export function swapWritepage(mm: MmStruct, dev: SwapDevice, off: number, pa: number): void {
  if (mm.phys.isZeroPage(pa)) {
    dev.setZero(off, true);
    return;
  }
  dev.setZero(off, false);
  if (mm.backend !== null && mm.backend.store(dev.type, off, pa)) return;
  writeToDevice(mm, dev, off, pa);
}

export function writeToDevice(mm: MmStruct, dev: SwapDevice, off: number, pa: number): void {
  dev.write(off, mm.phys.chunkBytes(pa), mm.phys.chunkOffset(pa));
  mm.ctx.clock.advance(TIMING.swapWriteNs);
  mm.events.pswpout++;
  mm.events.pgpgout += PAGE_SIZE / 1024;
}
