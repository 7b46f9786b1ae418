/**
 * The state of one machine's memory manager (a `struct mm`-like record, the
 * mem_map and the swap bookkeeping together). The files of this directory
 * are functions over it, one concern each: mem_map.ts, task.ts, mmap.ts,
 * fault.ts, uaccess.ts, madvise.ts, swap_state.ts, page_io.ts, swapfile.ts,
 * mm_counters.ts, mm_persist.ts; mm.ts is the public face.
 *
 * Fields are public for those files only; other layers go through {@link Mm}.
 */
import type { PageoutHintOps } from "./pageout_hint.js";
import type { KernelContext } from "../lib/context.js";
import type { Process, ShmemObject } from "./address_space.js";
import type { ThpMode } from "./mm_knobs.js";
import type { PhysMem } from "./phys_mem.js";
import type { SwapBackendOps, SwapBackendStats } from "./swap_backend.js";
import type { SwapArea, SwapDevice } from "./swap_device.js";
import { VmEvents } from "./vm_events.js";

/** MAX_SWAPFILES on x86-64 with migration, device-private and hwpoison entries. */
export const MAX_SWAPFILES = 23;
/** Largest mapping the emulator accepts (64 GiB): page tables are flat typed arrays. */
export const MAX_VMA_PAGES = 1 << 24;
/** Page flags in the mem_map. */
export const PG_DIRTY = 1;
export const PG_ANON = 2;
export const PG_SHMEM = 4;
/**
 * PG_locked left set by a task that died in an oops while reading the page
 * into the swap cache: the page stays there, unmapped, forever, and so does
 * its slot. The kernel would block whoever waits for it in folio_lock();
 * here a fault on it is SIGBUS and a swapoff of its device fails with EIO.
 */
export const PG_LOCKED = 8;

export interface MmOptions {
  /** Default of /sys/kernel/mm/transparent_hugepage/enabled (Kconfig default: always). */
  thp?: ThpMode;
  /** Pages the kernel itself uses at boot (taken from MemFree). */
  kernelPages?: number;
}

export class MmStruct {
  readonly events = new VmEvents();
  // ---- sysctls ----
  swappiness = 60;
  overcommitMemory = 0;
  overcommitRatio = 50;
  pageCluster = 3;
  /** vm.drop_caches: the last value written, and bit 4 of any write so far (no more messages). */
  dropCaches = 0;
  dropCachesQuiet = 0;
  thp: ThpMode;
  readonly kernelPages: number;

  // ---- mem_map (struct page per pfn) ----
  mapcount = new Uint16Array(1 << 14);
  pflags = new Uint8Array(1 << 14);
  pswap = new Float64Array(1 << 14);

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
  readonly areas = new Map<string, SwapArea>();
  readonly devices: (SwapDevice | undefined)[] = [];
  /** Active devices, highest priority first (swap_avail_head). */
  avail: SwapDevice[] = [];
  leastPriority = -1;
  /** swap entry → physical address of its swap-cache page. */
  readonly swapCache = new Map<number, number>();
  backend: SwapBackendOps | null = null;
  backendStats: SwapBackendStats | null = null;
  /** Told of the pages a MADV_PAGEOUT is about to write (the host's worker threads; not machine state). */
  pageoutHint: PageoutHintOps | null = null;
  readonly shmemObjects = new Set<ShmemObject>();

  // ---- processes ----
  readonly procs = new Map<number, Process>();
  nextPid = 1000;

  constructor(
    readonly ctx: KernelContext,
    readonly phys: PhysMem,
    opts: MmOptions = {},
  ) {
    this.thp = opts.thp ?? "always";
    this.kernelPages = opts.kernelPages ?? 0;
  }

  /** Free page frames (MemFree in pages). */
  get freePages(): number {
    return Math.max(0, this.phys.totalPages - this.kernelPages - this.phys.allocatedFrames);
  }
}
