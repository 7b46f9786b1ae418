/**
 * Anonymous mappings: mmap, munmap, overcommit accounting and the zap of a range.
 *
 * linux: mm/mmap.c, mm/util.c (__vm_enough_memory), mm/memory.c (zap_pte_range), mm/shmem.c.
 */
import { MAP_ANONYMOUS, MAP_FIXED, MAP_NORESERVE, MAP_PRIVATE, MAP_SHARED, type Process, PROT_WRITE, PTE_NONE, PTE_RO, PTE_RW, PTE_SWAP, SHM_NONE, SHM_PRESENT, SHM_SWAP, ShmemObject, Vma } from "./address_space.js";
import { PAGE_SIZE } from "./phys_mem.js";
import { SWAP_COUNT_MASK } from "./swap_device.js";
import { swpOffset, swpType } from "./swp_entry.js";
import { Errno } from "../lib/errno.js";
import { MAX_VMA_PAGES, type MmStruct } from "./mm_struct.js";
import { freeFrame, pfnOf } from "./mem_map.js";
import { deleteFromSwapCache, releaseSlot, swapEntryPut, totalSwapPages } from "./swap_state.js";

/**
 * __vm_enough_memory(): overcommit policy for `pages` more committed pages.
 * 0: heuristic (fails only beyond RAM + swap), 1: always, 2: strict.
 */
export function vmEnoughMemory(mm: MmStruct, pages: number): number {
  if (mm.overcommitMemory === 1) return 0;
  if (mm.overcommitMemory === 0) {
    return pages > mm.phys.totalPages + totalSwapPages(mm) ? -Errno.ENOMEM : 0;
  }
  return mm.committed + pages > commitLimitPages(mm) ? -Errno.ENOMEM : 0;
}

/** CommitLimit in pages. */
export function commitLimitPages(mm: MmStruct): number {
  return Math.floor((mm.phys.totalPages * mm.overcommitRatio) / 100) + totalSwapPages(mm);
}

/**
 * mmap() of anonymous memory. Returns the address, or a negative errno
 * (EINVAL: bad length/flags, ENOMEM: overcommit refused or no room).
 */
export function mmap(mm: MmStruct, p: Process, addr: number, len: number, prot: number, flags: number): number {
  if (len <= 0 || !Number.isFinite(len)) return -Errno.EINVAL;
  const type = flags & 0x03;
  if (type !== MAP_SHARED && type !== MAP_PRIVATE) return -Errno.EINVAL;
  if ((flags & MAP_ANONYMOUS) === 0) return -Errno.EINVAL; // only anonymous memory is emulated
  const npages = Math.ceil(len / PAGE_SIZE);
  if (addr % PAGE_SIZE !== 0 && (flags & MAP_FIXED) !== 0) return -Errno.EINVAL;
  // emulator limit: a VMA's page table is a set of typed arrays (17 bytes a page)
  if (npages > MAX_VMA_PAGES) return -Errno.ENOMEM;
  const shared = type === MAP_SHARED;
  // accountable: shared, or private writable; MAP_NORESERVE skips it unless strict
  let charged = 0;
  if (shared || (prot & PROT_WRITE) !== 0) {
    if ((flags & MAP_NORESERVE) === 0 || mm.overcommitMemory === 2) charged = npages;
  }
  if (charged > 0) {
    const r = vmEnoughMemory(mm, charged);
    if (r < 0) return r;
  }
  let start: number;
  if ((flags & MAP_FIXED) !== 0) {
    start = addr;
    munmap(mm, p, start, npages * PAGE_SIZE);
  } else {
    start = p.as.mmapBase;
    p.as.mmapBase += npages * PAGE_SIZE + PAGE_SIZE; // a guard gap between mappings
  }
  mm.committed += charged;
  let v: Vma;
  if (shared) {
    const obj = new ShmemObject(npages);
    mm.shmemObjects.add(obj);
    v = new Vma(start, npages, prot, true, charged, new Uint8Array(npages), new Float64Array(npages), new Float64Array(0), obj, 0);
  } else {
    v = new Vma(start, npages, prot, false, charged, new Uint8Array(npages), new Float64Array(npages), new Float64Array(npages), null, 0);
  }
  const vmas = p.as.vmas;
  let i = 0;
  while (i < vmas.length && vmas[i]!.start < start) i++;
  vmas.splice(i, 0, v);
  return start;
}

/** munmap(): EINVAL for an unaligned start or zero length; unmapped holes are fine. */
export function munmap(mm: MmStruct, p: Process, addr: number, len: number): number {
  if (addr % PAGE_SIZE !== 0 || len <= 0) return -Errno.EINVAL;
  const end = addr + Math.ceil(len / PAGE_SIZE) * PAGE_SIZE;
  const keep: Vma[] = [];
  for (const v of p.as.vmas) {
    if (v.end <= addr || v.start >= end) {
      keep.push(v);
      continue;
    }
    const a = Math.max(0, (addr - v.start) / PAGE_SIZE);
    const b = Math.min(v.npages, (end - v.start) / PAGE_SIZE);
    zapVma(mm, v, a, b);
    // keep the parts outside [a, b)
    const chargePer = v.charged > 0 ? 1 : 0;
    if (a > 0) keep.push(sliceVma(mm, v, 0, a, chargePer));
    if (b < v.npages) keep.push(sliceVma(mm, v, b, v.npages, chargePer));
    dropVma(mm, v);
  }
  p.as.vmas = keep;
  p.as.last = null;
  return 0;
}

export function sliceVma(mm: MmStruct, v: Vma, a: number, b: number, chargePer: number): Vma {
  const n = b - a;
  mm.committed += n * chargePer;
  if (v.shared) {
    v.obj!.refs++;
    return new Vma(v.start + a * PAGE_SIZE, n, v.prot, true, n * chargePer, v.pte.slice(a, b), v.frame.slice(a, b), new Float64Array(0), v.obj, v.pgoff + a);
  }
  return new Vma(v.start + a * PAGE_SIZE, n, v.prot, false, n * chargePer, v.pte.slice(a, b), v.frame.slice(a, b), v.swp.slice(a, b), null, 0);
}

/** Unmaps pages [a, b) of a VMA (zap_pte_range). */
export function zapVma(mm: MmStruct, v: Vma, a: number, b: number): void {
  for (let i = a; i < b; i++) {
    const s = v.pte[i]!;
    if (s === PTE_RO || s === PTE_RW) {
      if (v.shared) unmapShmemPage(mm, v, i);
      else putPrivatePage(mm, v.frame[i]!);
    } else if (s === PTE_SWAP) {
      swapEntryPut(mm, v.swp[i]!);
    }
    v.pte[i] = PTE_NONE;
    v.frame[i] = 0;
    if (!v.shared) v.swp[i] = 0;
  }
}

/** Drops a VMA after its pages were zapped: its commit charge and shmem reference. */
export function dropVma(mm: MmStruct, v: Vma): void {
  mm.committed -= v.charged;
  v.charged = 0;
  if (v.shared && --v.obj!.refs === 0) releaseShmem(mm, v.obj!);
}

export function unmapShmemPage(mm: MmStruct, v: Vma, i: number): void {
  const pfn = pfnOf(mm, v.frame[i]!);
  if (--mm.mapcount[pfn]! === 0) mm.shmemMapped--;
}

/** Drops one mapping of a private page; frees it (and its swap-cache slot) when unmapped. */
export function putPrivatePage(mm: MmStruct, pa: number): void {
  const pfn = pfnOf(mm, pa);
  if (--mm.mapcount[pfn]! > 0) return;
  mm.anonPages--;
  const ent = mm.pswap[pfn]!;
  if (ent !== 0) {
    const dev = mm.devices[swpType(ent)]!;
    const off = swpOffset(ent);
    if ((dev.map[off]! & SWAP_COUNT_MASK) > 0) return; // others still hold the entry: keep the cached page
    deleteFromSwapCache(mm, ent, pa);
    releaseSlot(mm, dev, off);
  }
  freeFrame(mm, pa);
}

export function releaseShmem(mm: MmStruct, obj: ShmemObject): void {
  for (let i = 0; i < obj.npages; i++) {
    if (obj.state[i] === SHM_PRESENT) {
      freeFrame(mm, obj.frame[i]!);
      mm.shmemPages--;
    } else if (obj.state[i] === SHM_SWAP) {
      swapEntryPut(mm, obj.swp[i]!);
    }
    obj.state[i] = SHM_NONE;
  }
  mm.shmemObjects.delete(obj);
}
