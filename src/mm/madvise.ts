/**
 * madvise(): MADV_PAGEOUT reclaim of a range (one PTE at a time), MADV_DONTNEED.
 *
 * linux: mm/madvise.c (madvise_cold_or_pageout_pte_range), mm/vmscan.c (shrink_folio_list).
 */
import { MADV_COLD, MADV_DONTNEED, MADV_NORMAL, MADV_PAGEOUT, type Process, PTE_NONE, PTE_RO, PTE_RW, PTE_SWAP, SHM_SWAP, type Vma } from "./address_space.js";
import { PAGE_SIZE } from "./phys_mem.js";
import { swpOffset, swpType } from "./swp_entry.js";
import { Errno } from "../lib/errno.js";
import { PG_DIRTY, type MmStruct } from "./mm_struct.js";
import { freeFrame, pfnOf } from "./mem_map.js";
import { zapVma } from "./mmap.js";
import { swapWritepage } from "./page_io.js";
import { addToSwapCache, allocSwapSlot, deleteFromSwapCache } from "./swap_state.js";

/**
 * madvise(). MADV_PAGEOUT reclaims the range on the caller's CPU: present,
 * exclusively mapped pages go to swap; the zero page, never-touched pages,
 * pages mapped by more than one process and (without a free swap slot)
 * everything else are skipped. swappiness plays no part. Returns 0 even
 * when pages were skipped; -EINVAL for a bad start/advice, -ENOMEM if part
 * of the range is unmapped (the mapped part is still processed).
 */
export function madvise(mm: MmStruct, p: Process, addr: number, len: number, advice: number): number {
  if (addr % PAGE_SIZE !== 0 || len < 0) return -Errno.EINVAL;
  if (advice !== MADV_PAGEOUT && advice !== MADV_COLD && advice !== MADV_DONTNEED && advice !== MADV_NORMAL) return -Errno.EINVAL;
  if (len === 0) return 0;
  const end = addr + Math.ceil(len / PAGE_SIZE) * PAGE_SIZE;
  let covered = 0;
  if (advice === MADV_PAGEOUT && mm.pageoutHint !== null) hintPageout(mm, p, addr, end);
  const saved = mm.ctx.cpu;
  mm.ctx.cpu = p.cpu;
  for (const v of p.as.vmas) {
    if (v.end <= addr || v.start >= end) continue;
    const a = Math.max(0, (addr - v.start) / PAGE_SIZE);
    const b = Math.min(v.npages, (end - v.start) / PAGE_SIZE);
    covered += b - a;
    if (advice === MADV_PAGEOUT) {
      for (let i = a; i < b; i++) pageoutOne(mm, v, i);
    } else if (advice === MADV_DONTNEED) {
      zapVma(mm, v, a, b);
    }
  }
  mm.ctx.cpu = saved;
  return covered * PAGE_SIZE < end - addr ? -Errno.ENOMEM : 0;
}

/**
 * Tells the registered hint which pages a MADV_PAGEOUT of [addr, end) will
 * write, in order: those pageoutOne() writes (present, mapped once, and
 * for a private page one not yet in swap or dirty). Whether a swap slot is
 * free is not checked; a hint only has to be mostly right.
 */
function hintPageout(mm: MmStruct, p: Process, addr: number, end: number): void {
  const pas: number[] = [];
  for (const v of p.as.vmas) {
    if (v.end <= addr || v.start >= end) continue;
    const a = Math.max(0, (addr - v.start) / PAGE_SIZE);
    const b = Math.min(v.npages, (end - v.start) / PAGE_SIZE);
    for (let i = a; i < b; i++) {
      const s = v.pte[i]!;
      if (s !== PTE_RO && s !== PTE_RW) continue;
      const pa = v.frame[i]!;
      const pfn = pfnOf(mm, pa);
      if (mm.mapcount[pfn]! > 1) continue;
      if (!v.shared && mm.pswap[pfn]! !== 0 && (mm.pflags[pfn]! & PG_DIRTY) === 0) continue;
      pas.push(pa);
    }
  }
  if (pas.length > 0) mm.pageoutHint!.willWrite(pas);
}

/** madvise_cold_or_pageout_pte_range() + shrink_folio_list() for one PTE. */
export function pageoutOne(mm: MmStruct, v: Vma, i: number): void {
  const s = v.pte[i]!;
  if (s !== PTE_RO && s !== PTE_RW) return; // none, zero page, swap entry
  const pa = v.frame[i]!;
  const pfn = pfnOf(mm, pa);
  if (mm.mapcount[pfn]! > 1) return; // mapped shared
  if (v.shared) {
    const ent = allocSwapSlot(mm);
    if (ent === 0) return; // no swap: the page stays
    const dev = mm.devices[swpType(ent)]!;
    const off = swpOffset(ent);
    swapWritepage(mm, dev, off, pa);
    dev.map[off] = 1; // the shmem mapping's reference, no longer cached
    const obj = v.obj!;
    const idx = v.pgoff + i;
    obj.state[idx] = SHM_SWAP;
    obj.swp[idx] = ent;
    obj.frame[idx] = 0;
    v.pte[i] = PTE_NONE;
    v.frame[i] = 0;
    mm.shmemMapped--;
    mm.shmemPages--;
    freeFrame(mm, pa);
    return;
  }
  let ent = mm.pswap[pfn]!;
  let needWrite = (mm.pflags[pfn]! & PG_DIRTY) !== 0;
  if (ent === 0) {
    ent = allocSwapSlot(mm); // add_to_swap()
    if (ent === 0) return;
    addToSwapCache(mm, ent, pa);
    needWrite = true;
  }
  const dev = mm.devices[swpType(ent)]!;
  const off = swpOffset(ent);
  if (needWrite) swapWritepage(mm, dev, off, pa);
  mm.pflags[pfn]! &= ~PG_DIRTY;
  // try_to_unmap(): the PTE becomes the swap entry
  dev.map[off]!++;
  v.pte[i] = PTE_SWAP;
  v.swp[i] = ent;
  v.frame[i] = 0;
  mm.mapcount[pfn] = 0;
  mm.anonPages--;
  // __remove_mapping(): out of the swap cache, freed
  deleteFromSwapCache(mm, ent, pa);
  freeFrame(mm, pa);
}
