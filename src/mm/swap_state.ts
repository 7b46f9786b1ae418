/**
 * The swap cache and swap slots: add/delete, entry references, slot allocation across devices.
 *
 * linux: mm/swap_state.c, mm/swapfile.c (get_swap_pages, free_swap_and_cache, vm_swap_full).
 */
import { SWAP_COUNT_MASK, SWAP_HAS_CACHE, SwapDevice } from "./swap_device.js";
import { swpEntry, swpOffset, swpType } from "./swp_entry.js";
import { type MmStruct, PG_LOCKED } from "./mm_struct.js";
import { freeFrame, pfnOf } from "./mem_map.js";

export function addToSwapCache(mm: MmStruct, ent: number, pa: number): void {
  const dev = mm.devices[swpType(ent)]!;
  dev.map[swpOffset(ent)]! |= SWAP_HAS_CACHE;
  mm.pswap[pfnOf(mm, pa)] = ent;
  mm.swapCache.set(ent, pa);
  mm.swapCachePages++;
}

export function deleteFromSwapCache(mm: MmStruct, ent: number, pa: number): void {
  const dev = mm.devices[swpType(ent)]!;
  dev.map[swpOffset(ent)]! &= ~SWAP_HAS_CACHE;
  mm.pswap[pfnOf(mm, pa)] = 0;
  mm.swapCache.delete(ent);
  mm.swapCachePages--;
}

/**
 * The page at `pa`, read for entry `ent` by a task that died in an oops
 * before unlocking it: it stays in the swap cache, locked (see PG_LOCKED).
 */
export function leaveLockedInSwapCache(mm: MmStruct, ent: number, pa: number): void {
  mm.pflags[pfnOf(mm, pa)] = PG_LOCKED;
  mm.mapcount[pfnOf(mm, pa)] = 0;
  addToSwapCache(mm, ent, pa);
}

/** True if `pa` is a page a dead task left locked. */
export function pageLocked(mm: MmStruct, pa: number): boolean {
  return (mm.pflags[pfnOf(mm, pa)]! & PG_LOCKED) !== 0;
}

/** Frees a slot whose references are gone, telling the backend (zswap_invalidate). */
export function releaseSlot(mm: MmStruct, dev: SwapDevice, off: number): void {
  if ((dev.map[off]! & SWAP_COUNT_MASK) !== 0 || (dev.map[off]! & SWAP_HAS_CACHE) !== 0) return;
  dev.releaseSlot(off);
  mm.backend?.invalidate(dev.type, off);
}

/** free_swap_and_cache(): drops one reference to a swap entry. */
export function swapEntryPut(mm: MmStruct, ent: number): void {
  const dev = mm.devices[swpType(ent)]!;
  const off = swpOffset(ent);
  dev.map[off]!--;
  if ((dev.map[off]! & SWAP_COUNT_MASK) !== 0) return;
  if ((dev.map[off]! & SWAP_HAS_CACHE) !== 0) {
    const pa = mm.swapCache.get(ent)!;
    if (mm.mapcount[pfnOf(mm, pa)] !== 0) return; // still mapped: stays cached
    if (pageLocked(mm, pa)) return; // folio_trylock() fails: the page and its slot stay
    deleteFromSwapCache(mm, ent, pa);
    freeFrame(mm, pa);
  }
  releaseSlot(mm, dev, off);
}

/** vm_swap_full(): more than half of all swap in use. */
export function vmSwapFull(mm: MmStruct): boolean {
  let free = 0;
  let total = 0;
  for (const d of mm.avail) {
    free += d.pages - d.inuse;
    total += d.pages;
  }
  return free * 2 < total;
}

/** get_swap_pages(): a slot on the highest-priority device with room (round-robin among equals). */
export function allocSwapSlot(mm: MmStruct): number {
  const av = mm.avail;
  for (let k = 0; k < av.length; k++) {
    const d = av[k]!;
    const off = d.allocSlot();
    if (off === 0) continue;
    // requeue among devices of the same priority
    let j = k;
    while (j + 1 < av.length && av[j + 1]!.prio === d.prio) {
      av[j] = av[j + 1]!;
      j++;
    }
    av[j] = d;
    return swpEntry(d.type, off);
  }
  return 0;
}

export function totalSwapPages(mm: MmStruct): number {
  let n = 0;
  for (const d of mm.avail) n += d.pages;
  return n;
}

export function freeSwapPages(mm: MmStruct): number {
  let n = 0;
  for (const d of mm.avail) n += d.pages - d.inuse;
  return n;
}

export function insertAvail(mm: MmStruct, dev: SwapDevice): void {
  let i = 0;
  while (i < mm.avail.length && mm.avail[i]!.prio >= dev.prio) i++;
  mm.avail.splice(i, 0, dev);
}
