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
 *   task would get: -EFAULT = SIGSEGV, -EIO = SIGBUS, -ENOMEM = OOM kill;
 *   or TASK_KILLED_BY_OOPS (lib/oops.ts): a BUG_ON() on the task's swap-in
 *   path killed it (do_exit(SIGSEGV), no core), and it has exited.
 */
import type { OopsTask } from "../lib/oops.js";
import type { Process } from "./address_space.js";
import { dropCachesKnob } from "./drop_caches.js";
import { type Knob, mmKnobs } from "./mm_knobs.js";
import { MmStruct } from "./mm_struct.js";
import type { PageoutHintOps } from "./pageout_hint.js";
import type { SwapBackendOps, SwapBackendStats, SwapCore } from "./swap_backend.js";
import type { SwapArea, SwapDevice } from "./swap_device.js";
import { exit, fork, processes, spawn } from "./task.js";
import { commitLimitPages, mmap, munmap } from "./mmap.js";
import { madvise } from "./madvise.js";
import { memset, readByte, readBytes, writeByte, writeBytes } from "./uaccess.js";
import { freeSwapPages, totalSwapPages } from "./swap_state.js";
import { activeSwaps, addSwapArea, procSwaps, registerSwapBackend, swapArea, swapoff, swapoffAll, swapon, swaponFstab } from "./swapfile.js";
import { counters, meminfo, vmstat } from "./mm_counters.js";
import type { MmCounters } from "./mm_report.js";
import { loadState, type MmState, saveState } from "./mm_persist.js";

export type { Knob, ThpMode } from "./mm_knobs.js";
export type { MmState } from "./mm_persist.js";
export { formatNodeMeminfo, type MmCounters, type NodeMemCounters } from "./mm_report.js";
export { MAX_SWAPFILES, MAX_VMA_PAGES, type MmOptions } from "./mm_struct.js";

/**
 * The memory manager of one machine: its state ({@link MmStruct}) with the
 * calls other layers make. Each call is one of the functions of this
 * directory's files over that state.
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
export class Mm extends MmStruct {
  // ---- tasks (task.ts) ----
  /** Creates a task running on `cpu`. */
  spawn(comm: string, cpu = 0, ppid = 1): Process {
    return spawn(this, comm, cpu, ppid);
  }
  /** Live tasks. */
  processes(): Process[] {
    return processes(this);
  }
  /** fork(): shared objects shared, private pages and swap entries COW-shared; or a negative errno. */
  fork(parent: Process, comm = parent.comm): Process | number {
    return fork(this, parent, comm);
  }
  /** exit(): unmaps everything (pages and swap slots freed). */
  exit(p: Process): void {
    exit(this, p);
  }

  // ---- mappings (mmap.ts) ----
  /** CommitLimit in pages. */
  commitLimitPages(): number {
    return commitLimitPages(this);
  }
  /** mmap() of anonymous memory: the address or a negative errno. */
  mmap(p: Process, addr: number, len: number, prot: number, flags: number): number {
    return mmap(this, p, addr, len, prot, flags);
  }
  /** munmap(): 0 or -EINVAL. */
  munmap(p: Process, addr: number, len: number): number {
    return munmap(this, p, addr, len);
  }
  /** madvise() (madvise.ts): 0 or a negative errno. */
  madvise(p: Process, addr: number, len: number, advice: number): number {
    return madvise(this, p, addr, len, advice);
  }

  // ---- user accessors (uaccess.ts) ----
  /** Reads one byte (0..255), or a negative errno (SIGSEGV/SIGBUS/OOM). */
  readByte(p: Process, addr: number): number {
    return readByte(this, p, addr);
  }
  /** Writes one byte; 0 or a negative errno. */
  writeByte(p: Process, addr: number, value: number): number {
    return writeByte(this, p, addr, value);
  }
  /** memset(addr, byte, len); 0 or a negative errno. */
  memset(p: Process, addr: number, value: number, len: number): number {
    return memset(this, p, addr, value, len);
  }
  /** Copies `data` to `addr`; 0 or a negative errno. */
  writeBytes(p: Process, addr: number, data: Uint8Array): number {
    return writeBytes(this, p, addr, data);
  }
  /** Reads `dst.length` bytes from `addr` into `dst`; 0 or a negative errno. */
  readBytes(p: Process, addr: number, dst: Uint8Array): number {
    return readBytes(this, p, addr, dst);
  }

  // ---- swap devices (swapfile.ts, swap_state.ts) ----
  /** Declares a block device or file that swapon may use (mkswap'd if `signature`). */
  addSwapArea(area: SwapArea): void {
    addSwapArea(this, area);
  }
  /** The area at `path`, if the machine has one. */
  swapArea(path: string): SwapArea | undefined {
    return swapArea(this, path);
  }
  /** Active devices in type order. */
  activeSwaps(): SwapDevice[] {
    return activeSwaps(this);
  }
  totalSwapPages(): number {
    return totalSwapPages(this);
  }
  freeSwapPages(): number {
    return freeSwapPages(this);
  }
  /** swapon(2): 0 or a negative errno. */
  swapon(path: string, prio?: number): number {
    return swapon(this, path, prio);
  }
  /** swapoff(2) run by `task`: 0, a negative errno, or TASK_KILLED_BY_OOPS. */
  swapoff(path: string, task?: OopsTask): number {
    return swapoff(this, path, task);
  }
  /** `swapoff -a`; the first error wins. */
  swapoffAll(task?: OopsTask): number {
    return swapoffAll(this, task);
  }
  /** `swapon -a` over an fstab text. */
  swaponFstab(fstab: string): { results: { spec: string; ret: number }[]; errors: string[] } {
    return swaponFstab(this, fstab);
  }
  /** /proc/swaps */
  procSwaps(): string {
    return procSwaps(this);
  }
  /** Registers the compressed-cache backend (zswap); returns the swap core it may call. */
  /** Registers (or with null removes) the hint told of the pages a MADV_PAGEOUT is about to write. */
  registerPageoutHint(ops: PageoutHintOps | null): void {
    this.pageoutHint = ops;
  }

  registerSwapBackend(ops: SwapBackendOps, stats: SwapBackendStats): SwapCore {
    return registerSwapBackend(this, ops, stats);
  }

  // ---- reports and knobs (mm_counters.ts, mm_knobs.ts) ----
  /** The numbers /proc/meminfo and /proc/vmstat print, read now (a NUMA node's meminfo takes its share). */
  counters(): MmCounters {
    return counters(this);
  }
  /** /proc/meminfo in the 6.12 layout. */
  meminfo(): string {
    return meminfo(this);
  }
  /** /proc/vmstat (the counters this machine keeps, in the kernel's order). */
  vmstat(): string {
    return vmstat(this);
  }
  /**
   * The knobs this layer owns: /proc/sys/vm/{swappiness, overcommit_memory,
   * overcommit_ratio, page-cluster} (proc_dointvec_minmax: -EINVAL outside
   * the range), drop_caches (drop_caches.ts) and
   * /sys/kernel/mm/transparent_hugepage/enabled.
   */
  knobs(): Knob[] {
    return [...mmKnobs(this), dropCachesKnob(this.ctx, this)];
  }

  // ---- state between commands (mm_persist.ts) ----
  /** Sysctls, counters and the active swap devices (processes do not persist). */
  saveState(): MmState {
    return saveState(this);
  }
  /** Restores {@link saveState} output; swap areas must be declared first. */
  loadState(s: MmState): void {
    loadState(this, s);
  }
}
