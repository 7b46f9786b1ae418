/**
 * The mem_map: per-frame mapcount, flags and swap entry, and frame allocation.
 *
 * linux: mm/page_alloc.c, include/linux/mm_types.h (struct page).
 */
import { PAGE_SIZE, RAM_BASE } from "./phys_mem.js";
import { Errno } from "../lib/errno.js";
import { type MmStruct } from "./mm_struct.js";

export function pfnOf(mm: MmStruct, pa: number): number {
  const pfn = (pa - RAM_BASE) / PAGE_SIZE;
  if (pfn >= mm.mapcount.length) growMemMap(mm, pfn + 1);
  return pfn;
}

export function growMemMap(mm: MmStruct, n: number): void {
  let len = mm.mapcount.length;
  while (len < n) len *= 2;
  const mc = new Uint16Array(len);
  mc.set(mm.mapcount);
  const pf = new Uint8Array(len);
  pf.set(mm.pflags);
  const ps = new Float64Array(len);
  ps.set(mm.pswap);
  mm.mapcount = mc;
  mm.pflags = pf;
  mm.pswap = ps;
}

/** A frame (zeroed unless `zero` is false: the caller overwrites it all), or -ENOMEM. */
export function allocFrame(mm: MmStruct, zero = true): number {
  if (mm.freePages <= 0) return -Errno.ENOMEM;
  const pa = mm.phys.allocPages(1, zero);
  mm.phys.countAllocation(pa);
  const pfn = pfnOf(mm, pa);
  mm.mapcount[pfn] = 0;
  mm.pflags[pfn] = 0;
  mm.pswap[pfn] = 0;
  return pa;
}

export function freeFrame(mm: MmStruct, pa: number): void {
  const pfn = pfnOf(mm, pa);
  mm.mapcount[pfn] = 0;
  mm.pflags[pfn] = 0;
  mm.pswap[pfn] = 0;
  mm.phys.freePages(pa, 1);
}
