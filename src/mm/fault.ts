/**
 * Page faults: anonymous and shmem pages, copy-on-write and swap-in.
 *
 * linux: mm/memory.c (do_anonymous_page, do_wp_page, do_swap_page), mm/shmem.c (shmem_fault,
 * shmem_swapin_folio).
 */
import { type AddressSpace, type Process, PROT_WRITE, PTE_NONE, PTE_RO, PTE_RW, PTE_SWAP, PTE_ZERO, SHM_NONE, SHM_PRESENT, type ShmemObject, type Vma } from "./address_space.js";
import { PAGE_SIZE } from "./phys_mem.js";
import { SWAP_COUNT_MASK } from "./swap_device.js";
import { swpOffset, swpType } from "./swp_entry.js";
import { Errno } from "../lib/errno.js";
import { type OopsTask, TASK_KILLED_BY_OOPS } from "../lib/oops.js";
import { PG_DIRTY, PG_ANON, PG_SHMEM, type MmStruct } from "./mm_struct.js";
import { allocFrame, freeFrame, pfnOf } from "./mem_map.js";
import { putPrivatePage } from "./mmap.js";
import { swapReadFolio } from "./page_io.js";
import { TRACE_ANON_FAULT, TRACE_SHMEM_READ_FAULT, TRACE_SHMEM_WRITE_FAULT } from "./swapin_traces.js";
import { exit } from "./task.js";
import { addToSwapCache, deleteFromSwapCache, leaveLockedInSwapCache, pageLocked, releaseSlot, swapEntryPut, vmSwapFull } from "./swap_state.js";

export function findVma(as: AddressSpace, addr: number): Vma | null {
  const l = as.last;
  if (l !== null && addr >= l.start && addr < l.end) return l;
  const vmas = as.vmas;
  let lo = 0;
  let hi = vmas.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = vmas[mid]!;
    if (addr < v.start) hi = mid - 1;
    else if (addr >= v.end) lo = mid + 1;
    else {
      as.last = v;
      return v;
    }
  }
  return null;
}

/**
 * handle_mm_fault() for page `i` of `v`. Returns 0 or a negative errno
 * (-EFAULT: protection, -EIO: SIGBUS, -ENOMEM: OOM), or TASK_KILLED_BY_OOPS
 * when an oops killed the task (it has exited then). Runs on the task's CPU.
 */
export function fault(mm: MmStruct, p: Process, v: Vma, i: number, write: boolean): number {
  if (write && (v.prot & PROT_WRITE) === 0) return -Errno.EFAULT;
  if (v.prot === 0) return -Errno.EFAULT;
  const saved = mm.ctx.cpu;
  mm.ctx.cpu = p.cpu;
  mm.events.pgfault++;
  const r = v.shared ? shmemFault(mm, p, v, i, write) : anonFault(mm, p, v, i, write);
  // make_task_dead() → do_exit(): the mm goes with the task
  if (r === TASK_KILLED_BY_OOPS) exit(mm, p);
  mm.ctx.cpu = saved;
  return r;
}

export function anonFault(mm: MmStruct, p: Process, v: Vma, i: number, write: boolean): number {
  const s = v.pte[i]!;
  switch (s) {
    case PTE_NONE:
    case PTE_ZERO: {
      if (!write) {
        v.pte[i] = PTE_ZERO;
        return 0;
      }
      const pa = allocFrame(mm);
      if (pa < 0) return pa;
      const pfn = pfnOf(mm, pa);
      mm.mapcount[pfn] = 1;
      mm.pflags[pfn] = PG_ANON | PG_DIRTY;
      mm.anonPages++;
      v.frame[i] = pa;
      v.pte[i] = PTE_RW;
      return 0;
    }
    case PTE_RO:
      return write ? wpFault(mm, v, i) : 0;
    case PTE_RW:
      return 0;
    case PTE_SWAP:
      return doSwapPage(mm, v, i, write, p, TRACE_ANON_FAULT);
    default:
      return -Errno.EIO; // PTE_POISON
  }
}

/** do_wp_page(): reuse an exclusive page (dropping its swap cache slot) or copy it. */
export function wpFault(mm: MmStruct, v: Vma, i: number): number {
  const pa = v.frame[i]!;
  const pfn = pfnOf(mm, pa);
  const ent = mm.pswap[pfn]!;
  let othersHoldEntry = false;
  if (ent !== 0) othersHoldEntry = (mm.devices[swpType(ent)]!.map[swpOffset(ent)]! & SWAP_COUNT_MASK) > 0;
  if (mm.mapcount[pfn] === 1 && !othersHoldEntry) {
    if (ent !== 0) {
      deleteFromSwapCache(mm, ent, pa);
      releaseSlot(mm, mm.devices[swpType(ent)]!, swpOffset(ent));
    }
    mm.pflags[pfn]! |= PG_DIRTY;
    v.pte[i] = PTE_RW;
    return 0;
  }
  const npa = allocFrame(mm, false);
  if (npa < 0) return npa;
  const bytes = mm.phys.chunkBytes(pa);
  const o = mm.phys.chunkOffset(pa);
  mm.phys.chunkBytes(npa).set(bytes.subarray(o, o + PAGE_SIZE), mm.phys.chunkOffset(npa));
  const npfn = pfnOf(mm, npa);
  mm.mapcount[npfn] = 1;
  mm.pflags[npfn] = PG_ANON | PG_DIRTY;
  mm.anonPages++;
  putPrivatePage(mm, pa);
  v.frame[i] = npa;
  v.pte[i] = PTE_RW;
  return 0;
}

/** do_swap_page() for a private page. */
export function doSwapPage(mm: MmStruct, v: Vma, i: number, write: boolean, task: OopsTask, trace: readonly string[]): number {
  const ent = v.swp[i]!;
  const dev = mm.devices[swpType(ent)]!;
  const off = swpOffset(ent);
  let pa = mm.swapCache.get(ent);
  if (pa !== undefined && pageLocked(mm, pa)) return -Errno.EIO; // the kernel would wait in folio_lock() forever
  if (pa === undefined) {
    const npa = allocFrame(mm, false);
    if (npa < 0) return npa;
    const r = swapReadFolio(mm, dev, off, npa, true, task, trace);
    if (r === TASK_KILLED_BY_OOPS) {
      leaveLockedInSwapCache(mm, ent, npa);
      return r;
    }
    if (r < 0) {
      freeFrame(mm, npa);
      return -Errno.EIO;
    }
    mm.events.pgmajfault++;
    pa = npa;
    const pfn = pfnOf(mm, pa);
    mm.pflags[pfn] = PG_ANON | (r === 1 ? PG_DIRTY : 0);
    addToSwapCache(mm, ent, pa);
  }
  const pfn = pfnOf(mm, pa);
  if (mm.mapcount[pfn]!++ === 0) mm.anonPages++;
  dev.map[off]!--; // swap_free(): the PTE no longer references the entry
  v.frame[i] = pa;
  v.swp[i] = 0;
  const exclusive = (dev.map[off]! & SWAP_COUNT_MASK) === 0 && mm.mapcount[pfn] === 1;
  if (exclusive && (write || vmSwapFull(mm))) {
    deleteFromSwapCache(mm, ent, pa);
    releaseSlot(mm, dev, off);
    if (write) mm.pflags[pfn]! |= PG_DIRTY;
    v.pte[i] = write ? PTE_RW : PTE_RO;
    return 0;
  }
  v.pte[i] = PTE_RO;
  return write ? wpFault(mm, v, i) : 0;
}

/** shmem_fault(): page cache lookup, allocation or swap-in, then map. */
export function shmemFault(mm: MmStruct, p: Process, v: Vma, i: number, write: boolean): number {
  const obj = v.obj!;
  const idx = v.pgoff + i;
  if (v.pte[i] === PTE_RW) return 0;
  let pa: number;
  switch (obj.state[idx]) {
    case SHM_PRESENT:
      pa = obj.frame[idx]!;
      break;
    case SHM_NONE: {
      pa = allocFrame(mm);
      if (pa < 0) return pa;
      mm.pflags[pfnOf(mm, pa)] = PG_SHMEM | PG_DIRTY;
      obj.state[idx] = SHM_PRESENT;
      obj.frame[idx] = pa;
      mm.shmemPages++;
      break;
    }
    default: {
      const r = shmemSwapin(mm, obj, idx, p, write ? TRACE_SHMEM_WRITE_FAULT : TRACE_SHMEM_READ_FAULT);
      if (r < 0) return r;
      mm.events.pgmajfault++;
      pa = obj.frame[idx]!;
    }
  }
  const pfn = pfnOf(mm, pa);
  if (mm.mapcount[pfn]!++ === 0) mm.shmemMapped++;
  v.frame[i] = pa;
  v.pte[i] = PTE_RW;
  return 0;
}

/** shmem_swapin_folio(): read the page back and free its slot. */
export function shmemSwapin(mm: MmStruct, obj: ShmemObject, idx: number, task: OopsTask, trace: readonly string[]): number {
  const ent = obj.swp[idx]!;
  const dev = mm.devices[swpType(ent)]!;
  const off = swpOffset(ent);
  // only a page a dead task left locked is ever in the swap cache for shmem
  if (mm.swapCache.has(ent)) return -Errno.EIO;
  const pa = allocFrame(mm);
  if (pa < 0) return pa;
  const r = swapReadFolio(mm, dev, off, pa, true, task, trace);
  if (r === TASK_KILLED_BY_OOPS) {
    leaveLockedInSwapCache(mm, ent, pa);
    return r;
  }
  if (r < 0) {
    freeFrame(mm, pa);
    return -Errno.EIO;
  }
  mm.pflags[pfnOf(mm, pa)] = PG_SHMEM | PG_DIRTY;
  obj.state[idx] = SHM_PRESENT;
  obj.frame[idx] = pa;
  obj.swp[idx] = 0;
  mm.shmemPages++;
  swapEntryPut(mm, ent);
  return 0;
}
