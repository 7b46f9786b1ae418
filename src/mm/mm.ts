/**
 * Virtual memory and swap: processes with anonymous mappings, page faults,
 * MADV_PAGEOUT, swap devices and the swap cache, and the counters behind
 * /proc/meminfo, /proc/vmstat and /proc/swaps.
 *
 * linux: mm/memory.c (do_anonymous_page, do_wp_page, do_swap_page),
 * mm/madvise.c (madvise_cold_or_pageout_pte_range), mm/vmscan.c
 * (shrink_folio_list), mm/swap_state.c, mm/swapfile.c (swapon, swapoff,
 * try_to_unuse), mm/page_io.c (swap_writepage, swap_read_folio), mm/shmem.c,
 * mm/util.c (__vm_enough_memory), fs/proc/meminfo.c, mm/vmstat.c.
 *
 * Model and its documented simplifications:
 * - Pages are 4 KiB; THP is a knob only (large folios are never made).
 * - No swap readahead: every swap-in reads exactly one page, as with
 *   `vm.page-cluster = 0` (the sysctl keeps its value and range).
 * - Swap devices are ordinary block devices/files (not SWP_SYNCHRONOUS_IO):
 *   a private page read back on a read fault stays in the swap cache with its
 *   slot (SwapCached), a write or `vm_swap_full()` frees the slot; shmem frees
 *   its slot on every swap-in. Device writes complete at once and the page is
 *   freed immediately (a later touch reads it back: pswpin).
 * - No background reclaim (kswapd): memory is only reclaimed by MADV_PAGEOUT;
 *   a fault that finds no free frame fails with -ENOMEM (OOM).
 * - User accessors return 0 / a byte, or a negative errno for the signal the
 *   task would get: -EFAULT = SIGSEGV, -EIO = SIGBUS, -ENOMEM = OOM kill.
 */
import { Errno } from "../lib/errno.js";
import type { KernelContext } from "../lib/context.js";
import { LogLevel } from "../lib/printk.js";
import { TIMING } from "../lib/timing.js";
import {
  AddressSpace,
  MADV_COLD,
  MADV_DONTNEED,
  MADV_NORMAL,
  MADV_PAGEOUT,
  MAP_ANONYMOUS,
  MAP_FIXED,
  MAP_NORESERVE,
  MAP_PRIVATE,
  MAP_SHARED,
  Process,
  PROT_WRITE,
  PTE_NONE,
  PTE_POISON,
  PTE_RO,
  PTE_RW,
  PTE_SWAP,
  PTE_ZERO,
  SHM_NONE,
  SHM_PRESENT,
  SHM_SWAP,
  ShmemObject,
  Vma,
} from "./address_space.js";
import { parseFstabSwaps } from "./fstab.js";
import { PAGE_SIZE, type PhysMem, RAM_BASE } from "./phys_mem.js";
import type { PageoutHintOps } from "./pageout_hint.js";
import { SWAP_BACKEND_MISS, type SwapBackendOps, type SwapBackendStats, type SwapCore } from "./swap_backend.js";
import { type SwapArea, SWAP_COUNT_MASK, SWAP_HAS_CACHE, SwapDevice } from "./swap_device.js";
import { VmEvents } from "./vm_events.js";
import { type Knob, mmKnobs, type ThpMode } from "./mm_knobs.js";
import { formatMeminfo, formatProcSwaps, formatVmstat, type MmCounters } from "./mm_report.js";
import { swpEntry, swpOffset, swpType } from "./swp_entry.js";

export type { Knob, ThpMode } from "./mm_knobs.js";

/** MAX_SWAPFILES on x86-64 with migration, device-private and hwpoison entries. */
export const MAX_SWAPFILES = 23;
/** Largest mapping the emulator accepts (64 GiB): page tables are flat typed arrays. */
export const MAX_VMA_PAGES = 1 << 24;
/** Page flags in the mem_map. */
const PG_DIRTY = 1;
const PG_ANON = 2;
const PG_SHMEM = 4;

export interface MmOptions {
  /** Default of /sys/kernel/mm/transparent_hugepage/enabled (Kconfig default: always). */
  thp?: ThpMode;
  /** Pages the kernel itself uses at boot (taken from MemFree). */
  kernelPages?: number;
}

/** What persists between commands. */
export interface MmState {
  swappiness: number;
  overcommitMemory: number;
  overcommitRatio: number;
  pageCluster: number;
  thp: ThpMode;
  events: Record<string, number>;
  leastPriority: number;
  swaps: { path: string; type: number; prio: number }[];
}

/**
 * The memory manager of one machine.
 *
 * @example
 * const mm = new Mm(ctx, phys);
 * mm.addSwapArea({ path: "/dev/sda2", kind: "partition", bytes: 1 << 30, signature: true, ssd: true });
 * mm.swapon("/dev/sda2");
 * const p = mm.spawn("memory_madvise", 3);
 * const addr = mm.mmap(p, 0, 100 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
 * mm.memset(p, addr, 0x2a, 100 * 4096);
 * mm.madvise(p, addr, 100 * 4096, MADV_PAGEOUT);
 * mm.readByte(p, addr); // 42, swapped back in
 */
export class Mm {
  readonly events = new VmEvents();
  // ---- sysctls ----
  swappiness = 60;
  overcommitMemory = 0;
  overcommitRatio = 50;
  pageCluster = 3;
  thp: ThpMode;
  readonly kernelPages: number;

  // ---- mem_map (struct page per pfn) ----
  private mapcount = new Uint16Array(1 << 14);
  private pflags = new Uint8Array(1 << 14);
  private pswap = new Float64Array(1 << 14);

  // ---- page counters ----
  /** Private anonymous pages mapped (NR_ANON_MAPPED). */
  anonPages = 0;
  /** shmem pages in the page cache (NR_SHMEM). */
  shmemPages = 0;
  /** shmem pages mapped by at least one VMA (NR_FILE_MAPPED). */
  shmemMapped = 0;
  /** Pages in the swap cache (NR_SWAPCACHE). */
  swapCachePages = 0;
  /** Committed_AS, pages. */
  committed = 0;

  // ---- swap ----
  private readonly areas = new Map<string, SwapArea>();
  private readonly devices: (SwapDevice | undefined)[] = [];
  /** Active devices, highest priority first (swap_avail_head). */
  private avail: SwapDevice[] = [];
  private leastPriority = -1;
  /** swap entry → physical address of its swap-cache page. */
  private readonly swapCache = new Map<number, number>();
  private backend: SwapBackendOps | null = null;
  private backendStats: SwapBackendStats | null = null;
  private pageoutHint: PageoutHintOps | null = null;
  private readonly shmemObjects = new Set<ShmemObject>();

  // ---- processes ----
  private readonly procs = new Map<number, Process>();
  private nextPid = 1000;

  constructor(
    readonly ctx: KernelContext,
    readonly phys: PhysMem,
    opts: MmOptions = {},
  ) {
    this.thp = opts.thp ?? "always";
    this.kernelPages = opts.kernelPages ?? 0;
  }

  // =====================================================================
  // mem_map helpers
  // =====================================================================

  private pfn(pa: number): number {
    const pfn = (pa - RAM_BASE) / PAGE_SIZE;
    if (pfn >= this.mapcount.length) this.growMemMap(pfn + 1);
    return pfn;
  }

  private growMemMap(n: number): void {
    let len = this.mapcount.length;
    while (len < n) len *= 2;
    const mc = new Uint16Array(len);
    mc.set(this.mapcount);
    const pf = new Uint8Array(len);
    pf.set(this.pflags);
    const ps = new Float64Array(len);
    ps.set(this.pswap);
    this.mapcount = mc;
    this.pflags = pf;
    this.pswap = ps;
  }

  /** Free page frames (MemFree in pages). */
  get freePages(): number {
    return Math.max(0, this.phys.totalPages - this.kernelPages - this.phys.allocatedFrames);
  }

  /** A frame (zeroed unless `zero` is false: the caller overwrites it all), or -ENOMEM. */
  private allocFrame(zero = true): number {
    if (this.freePages <= 0) return -Errno.ENOMEM;
    const pa = this.phys.allocPages(1, zero);
    const pfn = this.pfn(pa);
    this.mapcount[pfn] = 0;
    this.pflags[pfn] = 0;
    this.pswap[pfn] = 0;
    return pa;
  }

  private freeFrame(pa: number): void {
    const pfn = this.pfn(pa);
    this.mapcount[pfn] = 0;
    this.pflags[pfn] = 0;
    this.pswap[pfn] = 0;
    this.phys.freePages(pa, 1);
  }

  // =====================================================================
  // processes
  // =====================================================================

  /** Creates a task running on `cpu`. */
  spawn(comm: string, cpu = 0, ppid = 1): Process {
    const p = new Process(this.nextPid++, comm, cpu, ppid);
    this.procs.set(p.pid, p);
    return p;
  }

  /** Live tasks. */
  processes(): Process[] {
    return [...this.procs.values()];
  }

  /**
   * fork(): the child shares MAP_SHARED objects (its page tables start empty,
   * as the kernel does not copy PTEs of shared mappings) and COW-shares the
   * private pages (both sides read-only, mapcount 2) and swap entries.
   */
  fork(parent: Process, comm = parent.comm): Process | number {
    const child = this.spawn(comm, parent.cpu, parent.pid);
    for (const v of parent.as.vmas) {
      if (v.charged > 0) {
        const r = this.vmEnoughMemory(v.charged);
        if (r < 0) {
          this.exit(child);
          return r;
        }
        this.committed += v.charged;
      }
      let nv: Vma;
      if (v.shared) {
        v.obj!.refs++;
        nv = new Vma(v.start, v.npages, v.prot, true, v.charged, new Uint8Array(v.npages), new Float64Array(v.npages), new Float64Array(0), v.obj, v.pgoff);
      } else {
        nv = new Vma(v.start, v.npages, v.prot, false, v.charged, v.pte.slice(), v.frame.slice(), v.swp.slice(), null, 0);
        for (let i = 0; i < v.npages; i++) {
          const s = v.pte[i]!;
          if (s === PTE_RO || s === PTE_RW) {
            this.mapcount[this.pfn(v.frame[i]!)]!++;
            v.pte[i] = PTE_RO;
            nv.pte[i] = PTE_RO;
          } else if (s === PTE_SWAP) {
            const ent = v.swp[i]!;
            this.devices[swpType(ent)]!.map[swpOffset(ent)]!++;
          }
        }
      }
      child.as.vmas.push(nv);
    }
    child.as.mmapBase = parent.as.mmapBase;
    return child;
  }

  /** exit(): unmaps everything (pages and swap slots freed). */
  exit(p: Process): void {
    if (!p.alive) return;
    for (const v of p.as.vmas) {
      this.zapVma(v, 0, v.npages);
      this.dropVma(v);
    }
    p.as.vmas = [];
    p.as.last = null;
    p.alive = false;
    this.procs.delete(p.pid);
  }

  // =====================================================================
  // mmap / munmap
  // =====================================================================

  /**
   * __vm_enough_memory(): overcommit policy for `pages` more committed pages.
   * 0: heuristic (fails only beyond RAM + swap), 1: always, 2: strict.
   */
  private vmEnoughMemory(pages: number): number {
    if (this.overcommitMemory === 1) return 0;
    if (this.overcommitMemory === 0) {
      return pages > this.phys.totalPages + this.totalSwapPages() ? -Errno.ENOMEM : 0;
    }
    return this.committed + pages > this.commitLimitPages() ? -Errno.ENOMEM : 0;
  }

  /** CommitLimit in pages. */
  commitLimitPages(): number {
    return Math.floor((this.phys.totalPages * this.overcommitRatio) / 100) + this.totalSwapPages();
  }

  /**
   * mmap() of anonymous memory. Returns the address, or a negative errno
   * (EINVAL: bad length/flags, ENOMEM: overcommit refused or no room).
   */
  mmap(p: Process, addr: number, len: number, prot: number, flags: number): number {
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
      if ((flags & MAP_NORESERVE) === 0 || this.overcommitMemory === 2) charged = npages;
    }
    if (charged > 0) {
      const r = this.vmEnoughMemory(charged);
      if (r < 0) return r;
    }
    let start: number;
    if ((flags & MAP_FIXED) !== 0) {
      start = addr;
      this.munmap(p, start, npages * PAGE_SIZE);
    } else {
      start = p.as.mmapBase;
      p.as.mmapBase += npages * PAGE_SIZE + PAGE_SIZE; // a guard gap between mappings
    }
    this.committed += charged;
    let v: Vma;
    if (shared) {
      const obj = new ShmemObject(npages);
      this.shmemObjects.add(obj);
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
  munmap(p: Process, addr: number, len: number): number {
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
      this.zapVma(v, a, b);
      // keep the parts outside [a, b)
      const chargePer = v.charged > 0 ? 1 : 0;
      if (a > 0) keep.push(this.sliceVma(v, 0, a, chargePer));
      if (b < v.npages) keep.push(this.sliceVma(v, b, v.npages, chargePer));
      this.dropVma(v);
    }
    p.as.vmas = keep;
    p.as.last = null;
    return 0;
  }

  private sliceVma(v: Vma, a: number, b: number, chargePer: number): Vma {
    const n = b - a;
    this.committed += n * chargePer;
    if (v.shared) {
      v.obj!.refs++;
      return new Vma(v.start + a * PAGE_SIZE, n, v.prot, true, n * chargePer, v.pte.slice(a, b), v.frame.slice(a, b), new Float64Array(0), v.obj, v.pgoff + a);
    }
    return new Vma(v.start + a * PAGE_SIZE, n, v.prot, false, n * chargePer, v.pte.slice(a, b), v.frame.slice(a, b), v.swp.slice(a, b), null, 0);
  }

  /** Unmaps pages [a, b) of a VMA (zap_pte_range). */
  private zapVma(v: Vma, a: number, b: number): void {
    for (let i = a; i < b; i++) {
      const s = v.pte[i]!;
      if (s === PTE_RO || s === PTE_RW) {
        if (v.shared) this.unmapShmemPage(v, i);
        else this.putPrivatePage(v.frame[i]!);
      } else if (s === PTE_SWAP) {
        this.swapEntryPut(v.swp[i]!);
      }
      v.pte[i] = PTE_NONE;
      v.frame[i] = 0;
      if (!v.shared) v.swp[i] = 0;
    }
  }

  /** Drops a VMA after its pages were zapped: its commit charge and shmem reference. */
  private dropVma(v: Vma): void {
    this.committed -= v.charged;
    v.charged = 0;
    if (v.shared && --v.obj!.refs === 0) this.releaseShmem(v.obj!);
  }

  private unmapShmemPage(v: Vma, i: number): void {
    const pfn = this.pfn(v.frame[i]!);
    if (--this.mapcount[pfn]! === 0) this.shmemMapped--;
  }

  /** Drops one mapping of a private page; frees it (and its swap-cache slot) when unmapped. */
  private putPrivatePage(pa: number): void {
    const pfn = this.pfn(pa);
    if (--this.mapcount[pfn]! > 0) return;
    this.anonPages--;
    const ent = this.pswap[pfn]!;
    if (ent !== 0) {
      const dev = this.devices[swpType(ent)]!;
      const off = swpOffset(ent);
      if ((dev.map[off]! & SWAP_COUNT_MASK) > 0) return; // others still hold the entry: keep the cached page
      this.deleteFromSwapCache(ent, pa);
      this.releaseSlot(dev, off);
    }
    this.freeFrame(pa);
  }

  private releaseShmem(obj: ShmemObject): void {
    for (let i = 0; i < obj.npages; i++) {
      if (obj.state[i] === SHM_PRESENT) {
        this.freeFrame(obj.frame[i]!);
        this.shmemPages--;
      } else if (obj.state[i] === SHM_SWAP) {
        this.swapEntryPut(obj.swp[i]!);
      }
      obj.state[i] = SHM_NONE;
    }
    this.shmemObjects.delete(obj);
  }

  // =====================================================================
  // faults
  // =====================================================================

  private findVma(as: AddressSpace, addr: number): Vma | null {
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
   * (-EFAULT: protection, -EIO: SIGBUS, -ENOMEM: OOM). Runs on the task's CPU.
   */
  private fault(p: Process, v: Vma, i: number, write: boolean): number {
    if (write && (v.prot & PROT_WRITE) === 0) return -Errno.EFAULT;
    if (v.prot === 0) return -Errno.EFAULT;
    const saved = this.ctx.cpu;
    this.ctx.cpu = p.cpu;
    this.events.pgfault++;
    const r = v.shared ? this.shmemFault(v, i) : this.anonFault(v, i, write);
    this.ctx.cpu = saved;
    return r;
  }

  private anonFault(v: Vma, i: number, write: boolean): number {
    const s = v.pte[i]!;
    switch (s) {
      case PTE_NONE:
      case PTE_ZERO: {
        if (!write) {
          v.pte[i] = PTE_ZERO;
          return 0;
        }
        const pa = this.allocFrame();
        if (pa < 0) return pa;
        const pfn = this.pfn(pa);
        this.mapcount[pfn] = 1;
        this.pflags[pfn] = PG_ANON | PG_DIRTY;
        this.anonPages++;
        v.frame[i] = pa;
        v.pte[i] = PTE_RW;
        return 0;
      }
      case PTE_RO:
        return write ? this.wpFault(v, i) : 0;
      case PTE_RW:
        return 0;
      case PTE_SWAP:
        return this.doSwapPage(v, i, write);
      default:
        return -Errno.EIO; // PTE_POISON
    }
  }

  /** do_wp_page(): reuse an exclusive page (dropping its swap cache slot) or copy it. */
  private wpFault(v: Vma, i: number): number {
    const pa = v.frame[i]!;
    const pfn = this.pfn(pa);
    const ent = this.pswap[pfn]!;
    let othersHoldEntry = false;
    if (ent !== 0) othersHoldEntry = (this.devices[swpType(ent)]!.map[swpOffset(ent)]! & SWAP_COUNT_MASK) > 0;
    if (this.mapcount[pfn] === 1 && !othersHoldEntry) {
      if (ent !== 0) {
        this.deleteFromSwapCache(ent, pa);
        this.releaseSlot(this.devices[swpType(ent)]!, swpOffset(ent));
      }
      this.pflags[pfn]! |= PG_DIRTY;
      v.pte[i] = PTE_RW;
      return 0;
    }
    const npa = this.allocFrame(false);
    if (npa < 0) return npa;
    const bytes = this.phys.chunkBytes(pa);
    const o = this.phys.chunkOffset(pa);
    this.phys.chunkBytes(npa).set(bytes.subarray(o, o + PAGE_SIZE), this.phys.chunkOffset(npa));
    const npfn = this.pfn(npa);
    this.mapcount[npfn] = 1;
    this.pflags[npfn] = PG_ANON | PG_DIRTY;
    this.anonPages++;
    this.putPrivatePage(pa);
    v.frame[i] = npa;
    v.pte[i] = PTE_RW;
    return 0;
  }

  /** do_swap_page() for a private page. */
  private doSwapPage(v: Vma, i: number, write: boolean): number {
    const ent = v.swp[i]!;
    const dev = this.devices[swpType(ent)]!;
    const off = swpOffset(ent);
    let pa = this.swapCache.get(ent);
    if (pa === undefined) {
      const npa = this.allocFrame(false);
      if (npa < 0) return npa;
      const r = this.swapReadFolio(dev, off, npa, true);
      if (r < 0) {
        this.freeFrame(npa);
        return -Errno.EIO;
      }
      this.events.pgmajfault++;
      pa = npa;
      const pfn = this.pfn(pa);
      this.pflags[pfn] = PG_ANON | (r === 1 ? PG_DIRTY : 0);
      this.addToSwapCache(ent, pa);
    }
    const pfn = this.pfn(pa);
    if (this.mapcount[pfn]!++ === 0) this.anonPages++;
    dev.map[off]!--; // swap_free(): the PTE no longer references the entry
    v.frame[i] = pa;
    v.swp[i] = 0;
    const exclusive = (dev.map[off]! & SWAP_COUNT_MASK) === 0 && this.mapcount[pfn] === 1;
    if (exclusive && (write || this.vmSwapFull())) {
      this.deleteFromSwapCache(ent, pa);
      this.releaseSlot(dev, off);
      if (write) this.pflags[pfn]! |= PG_DIRTY;
      v.pte[i] = write ? PTE_RW : PTE_RO;
      return 0;
    }
    v.pte[i] = PTE_RO;
    return write ? this.wpFault(v, i) : 0;
  }

  /** shmem_fault(): page cache lookup, allocation or swap-in, then map. */
  private shmemFault(v: Vma, i: number): number {
    const obj = v.obj!;
    const idx = v.pgoff + i;
    if (v.pte[i] === PTE_RW) return 0;
    let pa: number;
    switch (obj.state[idx]) {
      case SHM_PRESENT:
        pa = obj.frame[idx]!;
        break;
      case SHM_NONE: {
        pa = this.allocFrame();
        if (pa < 0) return pa;
        this.pflags[this.pfn(pa)] = PG_SHMEM | PG_DIRTY;
        obj.state[idx] = SHM_PRESENT;
        obj.frame[idx] = pa;
        this.shmemPages++;
        break;
      }
      default: {
        const r = this.shmemSwapin(obj, idx);
        if (r < 0) return r;
        this.events.pgmajfault++;
        pa = obj.frame[idx]!;
      }
    }
    const pfn = this.pfn(pa);
    if (this.mapcount[pfn]!++ === 0) this.shmemMapped++;
    v.frame[i] = pa;
    v.pte[i] = PTE_RW;
    return 0;
  }

  /** shmem_swapin_folio(): read the page back and free its slot. */
  private shmemSwapin(obj: ShmemObject, idx: number): number {
    const ent = obj.swp[idx]!;
    const dev = this.devices[swpType(ent)]!;
    const off = swpOffset(ent);
    const pa = this.allocFrame();
    if (pa < 0) return pa;
    const r = this.swapReadFolio(dev, off, pa, true);
    if (r < 0) {
      this.freeFrame(pa);
      return -Errno.EIO;
    }
    this.pflags[this.pfn(pa)] = PG_SHMEM | PG_DIRTY;
    obj.state[idx] = SHM_PRESENT;
    obj.frame[idx] = pa;
    obj.swp[idx] = 0;
    this.shmemPages++;
    this.swapEntryPut(ent);
    return 0;
  }

  // =====================================================================
  // swap cache and slots
  // =====================================================================

  private addToSwapCache(ent: number, pa: number): void {
    const dev = this.devices[swpType(ent)]!;
    dev.map[swpOffset(ent)]! |= SWAP_HAS_CACHE;
    this.pswap[this.pfn(pa)] = ent;
    this.swapCache.set(ent, pa);
    this.swapCachePages++;
  }

  private deleteFromSwapCache(ent: number, pa: number): void {
    const dev = this.devices[swpType(ent)]!;
    dev.map[swpOffset(ent)]! &= ~SWAP_HAS_CACHE;
    this.pswap[this.pfn(pa)] = 0;
    this.swapCache.delete(ent);
    this.swapCachePages--;
  }

  /** Frees a slot whose references are gone, telling the backend (zswap_invalidate). */
  private releaseSlot(dev: SwapDevice, off: number): void {
    if ((dev.map[off]! & SWAP_COUNT_MASK) !== 0 || (dev.map[off]! & SWAP_HAS_CACHE) !== 0) return;
    dev.releaseSlot(off);
    this.backend?.invalidate(dev.type, off);
  }

  /** free_swap_and_cache(): drops one reference to a swap entry. */
  private swapEntryPut(ent: number): void {
    const dev = this.devices[swpType(ent)]!;
    const off = swpOffset(ent);
    dev.map[off]!--;
    if ((dev.map[off]! & SWAP_COUNT_MASK) !== 0) return;
    if ((dev.map[off]! & SWAP_HAS_CACHE) !== 0) {
      const pa = this.swapCache.get(ent)!;
      if (this.mapcount[this.pfn(pa)] !== 0) return; // still mapped: stays cached
      this.deleteFromSwapCache(ent, pa);
      this.freeFrame(pa);
    }
    this.releaseSlot(dev, off);
  }

  /** vm_swap_full(): more than half of all swap in use. */
  private vmSwapFull(): boolean {
    let free = 0;
    let total = 0;
    for (const d of this.avail) {
      free += d.pages - d.inuse;
      total += d.pages;
    }
    return free * 2 < total;
  }

  /** get_swap_pages(): a slot on the highest-priority device with room (round-robin among equals). */
  private allocSwapSlot(): number {
    const av = this.avail;
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

  /**
   * swap_read_folio(): zeromap, then the backend (zswap_load), then the
   * device. Returns 1 if the page came back dirty (from zswap), 0 if clean,
   * or a negative errno.
   */
  private swapReadFolio(dev: SwapDevice, off: number, pa: number, swapcache: boolean): number {
    const bytes = this.phys.chunkBytes(pa);
    const o = this.phys.chunkOffset(pa);
    if (dev.isZero(off)) {
      bytes.fill(0, o, o + PAGE_SIZE);
      return 0;
    }
    if (this.backend !== null) {
      const r = this.backend.load(dev.type, off, pa, swapcache);
      if (r === 0) return 1;
      if (r !== SWAP_BACKEND_MISS) return r < 0 ? r : -Errno.EIO;
    }
    dev.read(off, bytes, o);
    this.ctx.clock.advance(TIMING.swapReadNs);
    this.events.pswpin++;
    this.events.pgpgin += PAGE_SIZE / 1024;
    return 0;
  }

  /** swap_writepage(): zeromap, then the backend (zswap_store), then the device. */
  private swapWritepage(dev: SwapDevice, off: number, pa: number): void {
    if (this.phys.isZeroPage(pa)) {
      dev.setZero(off, true);
      return;
    }
    dev.setZero(off, false);
    if (this.backend !== null && this.backend.store(dev.type, off, pa)) return;
    this.writeToDevice(dev, off, pa);
  }

  private writeToDevice(dev: SwapDevice, off: number, pa: number): void {
    dev.write(off, this.phys.chunkBytes(pa), this.phys.chunkOffset(pa));
    this.ctx.clock.advance(TIMING.swapWriteNs);
    this.events.pswpout++;
    this.events.pgpgout += PAGE_SIZE / 1024;
  }

  // =====================================================================
  // madvise
  // =====================================================================

  /**
   * madvise(). MADV_PAGEOUT reclaims the range on the caller's CPU: present,
   * exclusively mapped pages go to swap; the zero page, never-touched pages,
   * pages mapped by more than one process and (without a free swap slot)
   * everything else are skipped. swappiness plays no part. Returns 0 even
   * when pages were skipped; -EINVAL for a bad start/advice, -ENOMEM if part
   * of the range is unmapped (the mapped part is still processed).
   */
  madvise(p: Process, addr: number, len: number, advice: number): number {
    if (addr % PAGE_SIZE !== 0 || len < 0) return -Errno.EINVAL;
    if (advice !== MADV_PAGEOUT && advice !== MADV_COLD && advice !== MADV_DONTNEED && advice !== MADV_NORMAL) return -Errno.EINVAL;
    if (len === 0) return 0;
    const end = addr + Math.ceil(len / PAGE_SIZE) * PAGE_SIZE;
    let covered = 0;
    if (advice === MADV_PAGEOUT && this.pageoutHint !== null) this.hintPageout(p, addr, end);
    const saved = this.ctx.cpu;
    this.ctx.cpu = p.cpu;
    for (const v of p.as.vmas) {
      if (v.end <= addr || v.start >= end) continue;
      const a = Math.max(0, (addr - v.start) / PAGE_SIZE);
      const b = Math.min(v.npages, (end - v.start) / PAGE_SIZE);
      covered += b - a;
      if (advice === MADV_PAGEOUT) {
        for (let i = a; i < b; i++) this.pageoutOne(v, i);
      } else if (advice === MADV_DONTNEED) {
        this.zapVma(v, a, b);
      }
    }
    this.ctx.cpu = saved;
    return covered * PAGE_SIZE < end - addr ? -Errno.ENOMEM : 0;
  }

  /**
   * Tells the registered hint which pages a MADV_PAGEOUT of [addr, end) will
   * write, in order: those pageoutOne() writes (present, mapped once, and
   * for a private page one not yet in swap or dirty). Whether a swap slot is
   * free is not checked; a hint only has to be mostly right.
   */
  private hintPageout(p: Process, addr: number, end: number): void {
    const pas: number[] = [];
    for (const v of p.as.vmas) {
      if (v.end <= addr || v.start >= end) continue;
      const a = Math.max(0, (addr - v.start) / PAGE_SIZE);
      const b = Math.min(v.npages, (end - v.start) / PAGE_SIZE);
      for (let i = a; i < b; i++) {
        const s = v.pte[i]!;
        if (s !== PTE_RO && s !== PTE_RW) continue;
        const pa = v.frame[i]!;
        const pfn = this.pfn(pa);
        if (this.mapcount[pfn]! > 1) continue;
        if (!v.shared && this.pswap[pfn]! !== 0 && (this.pflags[pfn]! & PG_DIRTY) === 0) continue;
        pas.push(pa);
      }
    }
    if (pas.length > 0) this.pageoutHint!.willWrite(pas);
  }

  /** madvise_cold_or_pageout_pte_range() + shrink_folio_list() for one PTE. */
  private pageoutOne(v: Vma, i: number): void {
    const s = v.pte[i]!;
    if (s !== PTE_RO && s !== PTE_RW) return; // none, zero page, swap entry
    const pa = v.frame[i]!;
    const pfn = this.pfn(pa);
    if (this.mapcount[pfn]! > 1) return; // mapped shared
    if (v.shared) {
      const ent = this.allocSwapSlot();
      if (ent === 0) return; // no swap: the page stays
      const dev = this.devices[swpType(ent)]!;
      const off = swpOffset(ent);
      this.swapWritepage(dev, off, pa);
      dev.map[off] = 1; // the shmem mapping's reference, no longer cached
      const obj = v.obj!;
      const idx = v.pgoff + i;
      obj.state[idx] = SHM_SWAP;
      obj.swp[idx] = ent;
      obj.frame[idx] = 0;
      v.pte[i] = PTE_NONE;
      v.frame[i] = 0;
      this.shmemMapped--;
      this.shmemPages--;
      this.freeFrame(pa);
      return;
    }
    let ent = this.pswap[pfn]!;
    let needWrite = (this.pflags[pfn]! & PG_DIRTY) !== 0;
    if (ent === 0) {
      ent = this.allocSwapSlot(); // add_to_swap()
      if (ent === 0) return;
      this.addToSwapCache(ent, pa);
      needWrite = true;
    }
    const dev = this.devices[swpType(ent)]!;
    const off = swpOffset(ent);
    if (needWrite) this.swapWritepage(dev, off, pa);
    this.pflags[pfn]! &= ~PG_DIRTY;
    // try_to_unmap(): the PTE becomes the swap entry
    dev.map[off]!++;
    v.pte[i] = PTE_SWAP;
    v.swp[i] = ent;
    v.frame[i] = 0;
    this.mapcount[pfn] = 0;
    this.anonPages--;
    // __remove_mapping(): out of the swap cache, freed
    this.deleteFromSwapCache(ent, pa);
    this.freeFrame(pa);
  }

  // =====================================================================
  // user accessors (the per-page fast path allocates nothing)
  // =====================================================================

  /** Physical address of the page holding `addr`, faulting it in; or a negative errno. */
  private pagePa(p: Process, addr: number, write: boolean): number {
    const v = this.findVma(p.as, addr);
    if (v === null) return -Errno.EFAULT;
    const i = Math.floor((addr - v.start) / PAGE_SIZE);
    let s = v.pte[i]!;
    if (s === PTE_RW || (!write && s === PTE_RO)) return v.frame[i]!;
    if (!write && s === PTE_ZERO) return 0;
    const r = this.fault(p, v, i, write);
    if (r < 0) return r;
    s = v.pte[i]!;
    if (s === PTE_ZERO) return 0;
    if (write) this.pflags[this.pfn(v.frame[i]!)]! |= PG_DIRTY;
    return v.frame[i]!;
  }

  /** Reads one byte (0..255), or a negative errno (SIGSEGV/SIGBUS/OOM). */
  readByte(p: Process, addr: number): number {
    const pa = this.pagePa(p, addr, false);
    if (pa <= 0) return pa;
    return this.phys.chunkBytes(pa)[this.phys.chunkOffset(pa) + (addr & 4095)]!;
  }

  /** Writes one byte; 0 or a negative errno. */
  writeByte(p: Process, addr: number, value: number): number {
    const pa = this.pagePa(p, addr, true);
    if (pa < 0) return pa;
    this.phys.chunkBytes(pa)[this.phys.chunkOffset(pa) + (addr & 4095)] = value;
    return 0;
  }

  /** memset(addr, byte, len); 0 or a negative errno (bytes before the fault stay written). */
  memset(p: Process, addr: number, value: number, len: number): number {
    let a = addr;
    const end = addr + len;
    while (a < end) {
      const pa = this.pagePa(p, a, true);
      if (pa < 0) return pa;
      const inPage = a & 4095;
      const n = Math.min(PAGE_SIZE - inPage, end - a);
      const o = this.phys.chunkOffset(pa) + inPage;
      this.phys.chunkBytes(pa).fill(value, o, o + n);
      a += n;
    }
    return 0;
  }

  /** Copies `data` to `addr`; 0 or a negative errno. */
  writeBytes(p: Process, addr: number, data: Uint8Array): number {
    let a = addr;
    let k = 0;
    while (k < data.length) {
      const pa = this.pagePa(p, a, true);
      if (pa < 0) return pa;
      const inPage = a & 4095;
      const n = Math.min(PAGE_SIZE - inPage, data.length - k);
      this.phys.chunkBytes(pa).set(data.subarray(k, k + n), this.phys.chunkOffset(pa) + inPage);
      a += n;
      k += n;
    }
    return 0;
  }

  /** Reads `dst.length` bytes from `addr` into `dst`; 0 or a negative errno. */
  readBytes(p: Process, addr: number, dst: Uint8Array): number {
    let a = addr;
    let k = 0;
    while (k < dst.length) {
      const pa = this.pagePa(p, a, false);
      if (pa < 0) return pa;
      const inPage = a & 4095;
      const n = Math.min(PAGE_SIZE - inPage, dst.length - k);
      if (pa === 0) dst.fill(0, k, k + n);
      else {
        const o = this.phys.chunkOffset(pa) + inPage;
        dst.set(this.phys.chunkBytes(pa).subarray(o, o + n), k);
      }
      a += n;
      k += n;
    }
    return 0;
  }

  // =====================================================================
  // swap devices
  // =====================================================================

  /** Declares a block device or file that swapon may use (mkswap'd if `signature`). */
  addSwapArea(area: SwapArea): void {
    this.areas.set(area.path, { ...area });
  }

  /** The area at `path`, if the machine has one. */
  swapArea(path: string): SwapArea | undefined {
    return this.areas.get(path);
  }

  /** Active devices in type order. */
  activeSwaps(): SwapDevice[] {
    return this.devices.filter((d): d is SwapDevice => d !== undefined);
  }

  totalSwapPages(): number {
    let n = 0;
    for (const d of this.avail) n += d.pages;
    return n;
  }

  freeSwapPages(): number {
    let n = 0;
    for (const d of this.avail) n += d.pages - d.inuse;
    return n;
  }

  /**
   * swapon(2). `prio` >= 0 as with `swapon -p`; otherwise the next negative
   * default. Errors: ENOENT (no such path), EBUSY (already active), EINVAL
   * (no swap signature, logged "Unable to find swap-space signature"), EPERM
   * (MAX_SWAPFILES active), ENOMEM (the backend could not set up).
   */
  swapon(path: string, prio?: number): number {
    const area = this.areas.get(path);
    if (area === undefined) return -Errno.ENOENT;
    if (this.activeSwaps().some((d) => d.area.path === path)) return -Errno.EBUSY;
    if (!area.signature || area.bytes < 2 * PAGE_SIZE) {
      this.ctx.log.printk(LogLevel.ERR, "Unable to find swap-space signature");
      return -Errno.EINVAL;
    }
    let type = 0;
    while (this.devices[type] !== undefined) type++;
    if (type >= MAX_SWAPFILES) return -Errno.EPERM;
    const p = prio !== undefined && prio >= 0 ? Math.min(prio, 0x7fff) : --this.leastPriority;
    const dev = new SwapDevice(area, type, p);
    if (this.backend !== null) {
      const r = this.backend.swapon(type, dev.nrSlots);
      if (r < 0) {
        if (prio === undefined || prio < 0) this.leastPriority++;
        return r;
      }
    }
    this.devices[type] = dev;
    this.insertAvail(dev);
    const k = dev.pages * 4;
    this.ctx.log.printk(LogLevel.INFO, `Adding ${k}k swap on ${path}.  Priority:${p} extents:1 across:${k}k ${area.ssd ? "SS" : ""}`);
    return 0;
  }

  private insertAvail(dev: SwapDevice): void {
    let i = 0;
    while (i < this.avail.length && this.avail[i]!.prio >= dev.prio) i++;
    this.avail.splice(i, 0, dev);
  }

  /**
   * swapoff(2): brings every page back (zswap loads included), then frees the
   * device. Errors: ENOENT (no such path), EINVAL (not an active swap),
   * ENOMEM (overcommit refuses, or RAM cannot hold the pages; nothing changes),
   * EIO (a shmem page could not be read; the device stays active).
   */
  swapoff(path: string): number {
    if (!this.areas.has(path)) return -Errno.ENOENT;
    const dev = this.activeSwaps().find((d) => d.area.path === path);
    if (dev === undefined) return -Errno.EINVAL;
    // security_vm_enough_memory_mm(current->mm, p->pages)
    if (this.overcommitMemory === 0 && dev.pages > this.phys.totalPages + this.totalSwapPages()) return -Errno.ENOMEM;
    if (this.overcommitMemory === 2 && this.committed + dev.pages > this.commitLimitPages()) return -Errno.ENOMEM;
    // try_to_unuse() needs a frame for every slot whose page is not in RAM
    let need = 0;
    for (let off = 1; off < dev.nrSlots; off++) {
      const m = dev.map[off]!;
      if (m !== 0 && (m & SWAP_HAS_CACHE) === 0) need++;
    }
    if (need > this.freePages) return -Errno.ENOMEM;
    const r = this.tryToUnuse(dev);
    if (r < 0) return r;
    this.backend?.swapoff(dev.type);
    this.avail = this.avail.filter((d) => d !== dev);
    if (dev.prio < 0) {
      for (const d of this.avail) if (d.prio < dev.prio) d.prio++;
      this.leastPriority++;
    }
    this.devices[dev.type] = undefined;
    return 0;
  }

  /** try_to_unuse(): swap in every page of the device and drop its swap-cache pages. */
  private tryToUnuse(dev: SwapDevice): number {
    // runs in the swapoff caller's context: its CPU (ctx.cpu) does the loads
    for (const p of this.procs.values()) {
      for (const v of p.as.vmas) {
        if (v.shared) continue;
        for (let i = 0; i < v.npages; i++) {
          if (v.pte[i] !== PTE_SWAP || swpType(v.swp[i]!) !== dev.type) continue;
          const ent = v.swp[i]!;
          if (this.doSwapPage(v, i, false) < 0) {
            // unuse_pte(): an unreadable page becomes a poisoned entry
            this.swapEntryPut(ent);
            v.pte[i] = PTE_POISON;
            v.swp[i] = 0;
          }
        }
      }
    }
    for (const obj of this.shmemObjects) {
      for (let idx = 0; idx < obj.npages; idx++) {
        if (obj.state[idx] !== SHM_SWAP || swpType(obj.swp[idx]!) !== dev.type) continue;
        const r = this.shmemSwapin(obj, idx);
        if (r < 0) return r;
      }
    }
    for (const [ent, pa] of [...this.swapCache]) {
      if (swpType(ent) !== dev.type) continue;
      const off = swpOffset(ent);
      this.deleteFromSwapCache(ent, pa);
      if (this.mapcount[this.pfn(pa)] === 0) this.freeFrame(pa);
      if ((dev.map[off]! & SWAP_COUNT_MASK) === 0) this.releaseSlot(dev, off);
    }
    return 0;
  }

  /** `swapoff -a` over every active device (in /proc/swaps order); the first error wins. */
  swapoffAll(): number {
    let ret = 0;
    for (const d of this.activeSwaps()) {
      const r = this.swapoff(d.area.path);
      if (r < 0 && ret === 0) ret = r;
    }
    return ret;
  }

  /**
   * `swapon -a`: every swap entry of an fstab text without `noauto` that is
   * not active yet, with its `pri=`. Returns one result per attempted entry
   * (0 or -errno) and the parser's complaints; the caller prints messages.
   */
  swaponFstab(fstab: string): { results: { spec: string; ret: number }[]; errors: string[] } {
    const { entries, errors } = parseFstabSwaps(fstab);
    const results: { spec: string; ret: number }[] = [];
    for (const e of entries) {
      if (e.noauto) continue;
      if (this.activeSwaps().some((d) => d.area.path === e.spec)) continue;
      results.push({ spec: e.spec, ret: this.swapon(e.spec, e.prio) });
    }
    return { results, errors };
  }

  /** /proc/swaps */
  procSwaps(): string {
    return formatProcSwaps(this.activeSwaps());
  }

  // =====================================================================
  // the backend hook
  // =====================================================================

  /** Registers (or with null removes) the hint told of the pages a MADV_PAGEOUT is about to write. */
  registerPageoutHint(ops: PageoutHintOps | null): void {
    this.pageoutHint = ops;
  }

  /**
   * Registers the compressed-cache backend (zswap). Devices already active
   * are announced to it. Returns the swap core it may call for writeback.
   */
  registerSwapBackend(ops: SwapBackendOps, stats: SwapBackendStats): SwapCore {
    this.backend = ops;
    this.backendStats = stats;
    for (const d of this.activeSwaps()) ops.swapon(d.type, d.nrSlots);
    return {
      writeToDevice: (type, off, pa) => {
        const d = this.devices[type];
        if (d === undefined) return -Errno.ENODEV;
        this.writeToDevice(d, off, pa);
        return 0;
      },
      slotInSwapCache: (type, off) => this.swapCache.has(swpEntry(type, off)),
      slotInUse: (type, off) => {
        const d = this.devices[type];
        return d !== undefined && off > 0 && off < d.nrSlots && d.map[off] !== 0;
      },
    };
  }

  // =====================================================================
  // /proc/meminfo, /proc/vmstat, knobs
  // =====================================================================

  /** The numbers /proc/meminfo and /proc/vmstat print, read now. */
  private counters(): MmCounters {
    return {
      totalPages: this.phys.totalPages,
      freePages: this.freePages,
      anonPages: this.anonPages,
      shmemPages: this.shmemPages,
      shmemMapped: this.shmemMapped,
      swapCachePages: this.swapCachePages,
      orphanSwapCache: this.orphanSwapCache(),
      zswapPoolPages: this.backendStats?.poolPages() ?? 0,
      zswappedPages: this.backendStats?.storedPages() ?? 0,
      totalSwapPages: this.totalSwapPages(),
      freeSwapPages: this.freeSwapPages(),
      commitLimitPages: this.commitLimitPages(),
      committedPages: this.committed,
      events: this.events,
    };
  }

  /** /proc/meminfo in the 6.12 layout. */
  meminfo(): string {
    return formatMeminfo(this.counters());
  }

  private orphanSwapCache(): number {
    let n = 0;
    for (const pa of this.swapCache.values()) if (this.mapcount[this.pfn(pa)] === 0) n++;
    return n;
  }

  /** /proc/vmstat (the counters this machine keeps, in the kernel's order). */
  vmstat(): string {
    return formatVmstat(this.counters());
  }

  /**
   * The knobs this layer owns: /proc/sys/vm/{swappiness, overcommit_memory,
   * overcommit_ratio, page-cluster} (proc_dointvec_minmax: -EINVAL outside
   * the range) and /sys/kernel/mm/transparent_hugepage/enabled.
   */
  knobs(): Knob[] {
    return mmKnobs(this);
  }

  // =====================================================================
  // state between commands
  // =====================================================================

  /** Sysctls, counters and the active swap devices (processes do not persist). */
  saveState(): MmState {
    return {
      swappiness: this.swappiness,
      overcommitMemory: this.overcommitMemory,
      overcommitRatio: this.overcommitRatio,
      pageCluster: this.pageCluster,
      thp: this.thp,
      events: this.events.save(),
      leastPriority: this.leastPriority,
      swaps: this.activeSwaps().map((d) => ({ path: d.area.path, type: d.type, prio: d.prio })),
    };
  }

  /** Restores {@link saveState} output; swap areas must be declared first. Devices come back empty. */
  loadState(s: MmState): void {
    this.swappiness = s.swappiness;
    this.overcommitMemory = s.overcommitMemory;
    this.overcommitRatio = s.overcommitRatio;
    this.pageCluster = s.pageCluster;
    this.thp = s.thp;
    this.events.load(s.events);
    this.leastPriority = s.leastPriority;
    for (const sw of s.swaps) {
      const area = this.areas.get(sw.path);
      if (area === undefined || this.devices[sw.type] !== undefined) continue;
      const dev = new SwapDevice(area, sw.type, sw.prio);
      this.devices[sw.type] = dev;
      this.insertAvail(dev);
      this.backend?.swapon(dev.type, dev.nrSlots);
    }
  }
}
