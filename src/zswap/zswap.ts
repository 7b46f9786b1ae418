/**
 * zswap: a compressed cache for swap pages, as in Linux 6.12.
 *
 * linux: mm/zswap.c (v6.12). Registered with mm as its swap backend; asks the
 * crypto API for a compressor by name. Semantics kept from 6.12:
 * - lazy init: `zswap_setup()` runs on the first runtime write to `enabled`
 *   (or at boot when booted with enabled=Y); before that, `compressor` and
 *   `zpool` writes are stored unchecked;
 * - one zpool per pool; a compressor/zpool change makes (or revives) a pool
 *   that becomes current; old entries stay in their pool, which is freed with
 *   its last entry;
 * - per-CPU acomp transform, request and 2-page buffer per pool, the CPU
 *   being `ctx.cpu` at store/load time; compress with dlen = PAGE_SIZE;
 * - zero-filled pages never arrive (mm's zeromap, 6.11+);
 * - `zswap_check_limits()` hysteresis, shrink worker on the virtual clock,
 *   LRU second chance (`referenced`), exclusive loads into the swap cache.
 * A failed decompression is 6.12's BUG_ON() in zswap_decompress()
 * (mm/zswap.c:981 for an error, :982 for a short page): the oops is logged,
 * the kernel is tainted D and the task dies (SIGSEGV); wrong data is never
 * returned. What the dead task held stays as the kernel leaves it: a load's
 * entry was already erased from the tree and is never freed (stored_pages,
 * pool_total_size and its pool keep it; it stays on the LRU, where writeback
 * can no longer find it); the folio being read stays locked in the swap
 * cache with its slot (mm_struct.ts PG_LOCKED); a writeback's kworker dies
 * and the shrink work never runs again. Not kept: the per-CPU acomp_ctx
 * mutex the task held (a real machine's later zswap stores and loads on that
 * CPU would block forever).
 * The memory-pressure shrinker (`shrinker_enabled`) has no
 * trigger because the machine has no background reclaim; the knob is kept.
 */
import { TIMING } from "../lib/timing.js";
import type { AcompReq, AcompTfm, Sg } from "../crypto/acomp.js";
import { CRYPTO_ALG_ASYNC } from "../crypto/acomp.js";
import type { CryptoApi } from "../crypto/api.js";
import { KnDir } from "../kernfs/node.js";
import type { KernelContext } from "../lib/context.js";
import { Errno } from "../lib/errno.js";
import { LogLevel } from "../lib/printk.js";
import { bugOops, type OopsTask, TASK_KILLED_BY_OOPS } from "../lib/oops.js";
import { kstrtobool, kstrtouint } from "../lib/kstrto.js";
import type { Mm } from "../mm/mm.js";
import { PAGE_SIZE, type PhysMem } from "../mm/phys_mem.js";
import { SWAP_BACKEND_MISS, type SwapBackendOps, type SwapCore } from "../mm/swap_backend.js";
import type { ZPool } from "./zpool.js";
import { zpoolCreatePool, ZPOOL_TYPES } from "./zpool_create.js";

/** CONFIG_ZSWAP_COMPRESSOR_DEFAULT */
export const ZSWAP_COMPRESSOR_DEFAULT = "lzo";
/** CONFIG_ZSWAP_ZPOOL_DEFAULT */
export const ZSWAP_ZPOOL_DEFAULT = "zsmalloc";
/** mm/zswap.c (v6.12): the lines of zswap_decompress()'s two BUG_ON()s. */
export const BUG_LINE_DECOMPRESS_ERR = 981;
export const BUG_LINE_DECOMPRESS_DLEN = 982;
/** The call-trace frame of zswap_load() above a swap-in path's own frames. */
const ZSWAP_LOAD_FRAME = "zswap_load+0x86/0x150";
/** zswap_writeback_entry() from the zswap-shrink worker: the call trace under zswap_decompress(). */
const WRITEBACK_TRACE: readonly string[] = [
  "zswap_writeback_entry+0x121/0x240",
  "shrink_memcg_cb+0x57/0xf0",
  "__list_lru_walk_one+0xb9/0x1e0",
  "list_lru_walk_one+0x1a/0x30",
  "shrink_worker+0x101/0x2a0",
  "process_one_work+0x17b/0x3a0",
  "worker_thread+0x285/0x3a0",
  "kthread+0xd2/0x100",
  "ret_from_fork+0x34/0x50",
  "ret_from_fork_asm+0x1a/0x30",
];
/** The PID the oops shows for the zswap-shrink kworker (representative). */
const KWORKER_PID = 87;
/** ZSWAP_PARAM_UNSET */
const ZSWAP_PARAM_UNSET = "";
/** MAX_RECLAIM_RETRIES */
const MAX_RECLAIM_RETRIES = 16;
/** Virtual delay before a queued shrink work runs. */
const SHRINK_WORK_DELAY_NS = 1000;

enum InitState {
  UNINIT,
  SUCCEED,
  FAILED,
}

/** Per-CPU compression context (struct crypto_acomp_ctx). */
interface AcompCtx {
  tfm: AcompTfm;
  req: AcompReq;
  /** kmalloc(PAGE_SIZE * 2) */
  buffer: number;
  isSleepable: boolean;
  src: Sg[];
  dst: Sg[];
}

/** struct zswap_pool */
class ZswapPool {
  /** Entries referencing the pool, plus one while it is current (percpu_ref). */
  refs = 1;
  dead = false;
  constructor(
    readonly name: string,
    readonly tfmName: string,
    readonly zpool: ZPool,
    readonly acomp: AcompCtx[],
  ) {}
}

/** struct zswap_entry */
class ZswapEntry {
  prev: ZswapEntry | null = null;
  next: ZswapEntry | null = null;
  onLru = false;
  referenced = true;
  constructor(
    readonly type: number,
    readonly offset: number,
    readonly pool: ZswapPool,
    readonly handle: number,
    readonly length: number,
  ) {}
}

/** Boot parameters (`zswap.<name>=` on the kernel command line) and machine options. */
export interface ZswapOptions {
  enabled?: boolean;
  compressor?: string;
  zpool?: string;
  maxPoolPercent?: number;
  acceptThresholdPercent?: number;
  shrinkerEnabled?: boolean;
  /** zpool types built into the kernel (default: zbud, z3fold, zsmalloc). */
  zpools?: readonly string[];
}

/** The debugfs counters (/sys/kernel/debug/zswap/). */
export interface ZswapStats {
  pool_limit_hit: number;
  reject_reclaim_fail: number;
  reject_alloc_fail: number;
  reject_kmemcache_fail: number;
  reject_compress_fail: number;
  reject_compress_poor: number;
  written_back_pages: number;
  pool_total_size: number;
  stored_pages: number;
}

/** What persists between commands. */
export interface ZswapState {
  enabled: boolean;
  compressor: string;
  zpool: string;
  maxPoolPercent: number;
  acceptThrPercent: number;
  shrinkerEnabled: boolean;
  initialized: boolean;
  counters: Record<string, number>;
}

/** Fault injection for tests: the next N entry/zpool allocations fail. */
export interface ZswapInject {
  kmemcacheFail: number;
  zpoolAllocFail: number;
}

/**
 * zswap for one machine.
 *
 * @example
 * const zswap = new Zswap(ctx, mm, crypto, paramsDir, debugDir);
 * zswap.init(); // late_initcall
 * vfs.writeFile("/sys/module/zswap/parameters/enabled", "1"); // zswap_setup(): "zswap: loaded using pool lzo/zsmalloc"
 */
export class Zswap {
  // ---- tunables ----
  enabled: boolean;
  compressor: string;
  zpoolType: string;
  maxPoolPercent: number;
  acceptThrPercent: number;
  shrinkerEnabled: boolean;

  // ---- statistics ----
  /** Store attempts that found the pool at or over max_pool_percent */
  poolLimitHit = 0;
  /** Writebacks that failed */
  rejectReclaimFail = 0;
  /** zpool allocation failed (not -ENOSPC), or the tree insert failed */
  rejectAllocFail = 0;
  /** zswap_entry allocation failed */
  rejectKmemcacheFail = 0;
  /** The compressor returned an error */
  rejectCompressFail = 0;
  /** Compressed page too big for the allocator (-ENOSPC) */
  rejectCompressPoor = 0;
  /** Pages written back to the swap device */
  writtenBackPages = 0;
  /** Entries stored now (zswap_stored_pages) */
  storedPages = 0;
  /** Decompressions that failed (6.15's decompress_fail; not in 6.12 debugfs) */
  decompressFail = 0;

  readonly inject: ZswapInject = { kmemcacheFail: 0, zpoolAllocFail: 0 };

  private initState = InitState.UNINIT;
  private systemRunning = false;
  private hasPool = false;
  private poolReachedFull = false;
  /** zswap_pools: the head is current. */
  private pools: ZswapPool[] = [];
  private poolsCount = 0;
  private trees: (Map<number, ZswapEntry> | undefined)[] = [];
  /** LRU sentinel: head.next is the oldest entry. */
  private readonly lru: ZswapEntry;
  private shrinkQueued = false;
  /** The kworker running shrink_worker() died in an oops: the shrink work never runs again. */
  private shrinkWorkerDead = false;
  private core: SwapCore | null = null;
  private readonly zpools: readonly string[];
  private readonly phys: PhysMem;

  constructor(
    readonly ctx: KernelContext,
    readonly mm: Mm,
    readonly crypto: CryptoApi,
    readonly paramsDir: KnDir,
    readonly debugfsRoot: KnDir,
    opts: ZswapOptions = {},
  ) {
    this.phys = mm.phys;
    this.enabled = opts.enabled ?? false;
    this.compressor = opts.compressor ?? ZSWAP_COMPRESSOR_DEFAULT;
    this.zpoolType = opts.zpool ?? ZSWAP_ZPOOL_DEFAULT;
    this.maxPoolPercent = opts.maxPoolPercent ?? 20;
    this.acceptThrPercent = opts.acceptThresholdPercent ?? 90;
    this.shrinkerEnabled = opts.shrinkerEnabled ?? false;
    this.zpools = opts.zpools ?? ZPOOL_TYPES;
    const sentinel = new ZswapEntry(-1, 0, null as unknown as ZswapPool, 0, 0);
    sentinel.prev = sentinel.next = sentinel;
    this.lru = sentinel;
    this.createParams();
  }

  // =====================================================================
  // helpers
  // =====================================================================

  private pr(level: LogLevel, msg: string): void {
    this.ctx.log.printk(level, `zswap: ${msg}`);
  }

  /** zswap_total_pages() */
  totalPages(): number {
    let n = 0;
    for (const p of this.pools) n += p.zpool.pages;
    return n;
  }

  /** zswap_max_pages() */
  private maxPages(): number {
    return Math.floor((this.phys.totalPages * this.maxPoolPercent) / 100);
  }

  /** zswap_accept_thr_pages() */
  private acceptThrPages(): number {
    return Math.floor((this.maxPages() * this.acceptThrPercent) / 100);
  }

  /** The debugfs counters now. */
  stats(): ZswapStats {
    return {
      pool_limit_hit: this.poolLimitHit,
      reject_reclaim_fail: this.rejectReclaimFail,
      reject_alloc_fail: this.rejectAllocFail,
      reject_kmemcache_fail: this.rejectKmemcacheFail,
      reject_compress_fail: this.rejectCompressFail,
      reject_compress_poor: this.rejectCompressPoor,
      written_back_pages: this.writtenBackPages,
      pool_total_size: this.totalPages() * PAGE_SIZE,
      stored_pages: this.storedPages,
    };
  }

  /** Pools, current first: `compressor/zpool` names and their page counts. */
  poolList(): { compressor: string; zpool: string; pages: number; entries: number }[] {
    return this.pools.map((p) => ({ compressor: p.tfmName, zpool: p.zpool.type, pages: p.zpool.pages, entries: p.refs - (p.dead ? 0 : 1) }));
  }

  // =====================================================================
  // init and pools
  // =====================================================================

  /**
   * late_initcall(zswap_init): from here on the system is running. Registers
   * with mm; sets up at once only if booted with enabled=Y.
   */
  init(): void {
    this.core = this.mm.registerSwapBackend(this.backendOps(), {
      poolPages: () => this.totalPages(),
      storedPages: () => this.storedPages,
    });
    if (this.enabled) this.zswapSetup();
    this.systemRunning = true;
  }

  /** zswap_setup() */
  private zswapSetup(): number {
    const pool = this.poolCreateFallback();
    if (pool !== null) {
      this.pr(LogLevel.INFO, `loaded using pool ${pool.tfmName}/${pool.zpool.type}`);
      this.pools.unshift(pool);
      this.hasPool = true;
    } else {
      this.pr(LogLevel.ERR, "pool creation failed");
      this.enabled = false;
    }
    this.createDebugfs();
    this.initState = InitState.SUCCEED;
    return 0;
  }

  /** __zswap_pool_create_fallback() */
  private poolCreateFallback(): ZswapPool | null {
    let hasComp = this.crypto.hasAcomp(this.compressor);
    if (!hasComp && this.compressor !== ZSWAP_COMPRESSOR_DEFAULT) {
      this.pr(LogLevel.ERR, `compressor ${this.compressor} not available, using default ${ZSWAP_COMPRESSOR_DEFAULT}`);
      this.compressor = ZSWAP_COMPRESSOR_DEFAULT;
      hasComp = this.crypto.hasAcomp(this.compressor);
    }
    if (!hasComp) {
      this.pr(LogLevel.ERR, `default compressor ${this.compressor} not available`);
      this.compressor = ZSWAP_PARAM_UNSET;
    }
    let hasZpool = this.zpools.includes(this.zpoolType);
    if (!hasZpool && this.zpoolType !== ZSWAP_ZPOOL_DEFAULT) {
      this.pr(LogLevel.ERR, `zpool ${this.zpoolType} not available, using default ${ZSWAP_ZPOOL_DEFAULT}`);
      this.zpoolType = ZSWAP_ZPOOL_DEFAULT;
      hasZpool = this.zpools.includes(this.zpoolType);
    }
    if (!hasZpool) {
      this.pr(LogLevel.ERR, `default zpool ${this.zpoolType} not available`);
      this.zpoolType = ZSWAP_PARAM_UNSET;
    }
    if (!hasComp || !hasZpool) return null;
    return this.poolCreate(this.zpoolType, this.compressor);
  }

  /** zswap_pool_create(): the zpool plus a tfm, request and buffer for every CPU. */
  private poolCreate(type: string, compressor: string): ZswapPool | null {
    if (!this.hasPool && (type === ZSWAP_PARAM_UNSET || compressor === ZSWAP_PARAM_UNSET)) return null;
    const name = `zswap${(++this.poolsCount).toString(16)}`;
    const zpool = this.zpools.includes(type) ? zpoolCreatePool(type, name, this.phys) : null;
    if (zpool === null) {
      this.pr(LogLevel.ERR, `${type} zpool not available`);
      return null;
    }
    const acomp: AcompCtx[] = [];
    for (let cpu = 0; cpu < this.ctx.topo.nrCpus; cpu++) {
      // zswap_cpu_comp_prepare()
      const tfm = this.crypto.allocAcomp(compressor);
      if (typeof tfm === "number") {
        this.pr(LogLevel.ERR, `could not alloc crypto acomp ${compressor} : ${tfm}`);
        this.freeAcompCtxs(acomp);
        zpool.destroy();
        return null;
      }
      const req = this.crypto.requestAlloc(tfm);
      const buffer = this.phys.kmalloc(PAGE_SIZE * 2);
      acomp.push({
        tfm,
        req,
        buffer,
        isSleepable: (tfm.alg.cra_flags & CRYPTO_ALG_ASYNC) !== 0,
        src: [{ addr: 0, length: 0 }],
        dst: [{ addr: 0, length: 0 }],
      });
    }
    return new ZswapPool(name, compressor, zpool, acomp);
  }

  private freeAcompCtxs(list: AcompCtx[]): void {
    for (const a of list) {
      this.crypto.requestFree(a.req);
      this.crypto.freeAcomp(a.tfm);
      this.phys.kfree(a.buffer);
    }
    list.length = 0;
  }

  /** zswap_pool_put(): the last reference of a non-current pool frees it. */
  private poolPut(pool: ZswapPool): void {
    if (--pool.refs > 0) return;
    // __zswap_pool_release()
    this.pools = this.pools.filter((p) => p !== pool);
    this.freeAcompCtxs(pool.acomp);
    pool.zpool.destroy();
  }

  /** percpu_ref_kill(): the pool stops being current. */
  private poolKill(pool: ZswapPool): void {
    pool.dead = true;
    this.poolPut(pool);
  }

  // =====================================================================
  // module parameters
  // =====================================================================

  private createParams(): void {
    const d = this.paramsDir;
    d.attr("enabled", 0o644, () => (this.enabled ? "Y\n" : "N\n"), (buf) => this.enabledParamSet(buf));
    d.attr("compressor", 0o644, () => `${this.compressor}\n`, (buf) => this.paramSet(buf, "compressor"));
    d.attr("zpool", 0o644, () => `${this.zpoolType}\n`, (buf) => this.paramSet(buf, "zpool"));
    d.attr("max_pool_percent", 0o644, () => `${this.maxPoolPercent}\n`, (buf) => {
      const v = kstrtouint(buf, 0);
      if (v < 0) return v;
      this.maxPoolPercent = v;
      return 0;
    });
    d.attr("accept_threshold_percent", 0o644, () => `${this.acceptThrPercent}\n`, (buf) => {
      const v = kstrtouint(buf, 0);
      if (v < 0) return v;
      this.acceptThrPercent = v;
      return 0;
    });
    d.attr("shrinker_enabled", 0o644, () => (this.shrinkerEnabled ? "Y\n" : "N\n"), (buf) => {
      const v = kstrtobool(buf);
      if (typeof v === "number") return v;
      this.shrinkerEnabled = v;
      return 0;
    });
  }

  /** zswap_enabled_param_set() */
  private enabledParamSet(buf: string): number {
    const v = kstrtobool(buf);
    if (!this.systemRunning) {
      if (typeof v === "number") return v;
      this.enabled = v;
      return 0;
    }
    let ret = -Errno.ENODEV;
    if (this.initState === InitState.UNINIT) this.zswapSetup();
    if (this.initState === InitState.SUCCEED) {
      if (!this.hasPool) this.pr(LogLevel.ERR, "can't enable, no pool configured");
      else if (typeof v === "number") ret = v;
      else {
        this.enabled = v;
        ret = 0;
      }
    } else {
      this.pr(LogLevel.ERR, "can't enable, initialization failed");
    }
    return ret;
  }

  /** __zswap_param_set() for `compressor` or `zpool`. */
  private paramSet(val: string, which: "compressor" | "zpool"): number {
    const s = val.trim();
    if (s.length > 1024) return -Errno.ENOSPC;
    const cur = which === "compressor" ? this.compressor : this.zpoolType;
    const set = (v: string) => {
      if (which === "compressor") this.compressor = v;
      else this.zpoolType = v;
    };
    if (this.initState === InitState.UNINIT) {
      set(s);
      return 0;
    }
    if (this.initState === InitState.FAILED) {
      this.pr(LogLevel.ERR, "can't set param, initialization failed");
      return -Errno.ENODEV;
    }
    // zswap_pool_changed()
    if (s === cur && this.hasPool) return 0;
    let type = this.zpoolType;
    let compressor = this.compressor;
    if (which === "zpool") {
      if (!this.zpools.includes(s)) {
        this.pr(LogLevel.ERR, `zpool ${s} not available`);
        return -Errno.ENOENT;
      }
      type = s;
    } else {
      if (!this.crypto.hasAcomp(s)) {
        this.pr(LogLevel.ERR, `compressor ${s} not available`);
        return -Errno.ENOENT;
      }
      compressor = s;
    }
    // zswap_pool_find_get(): a live old pool with the same pair comes back
    let pool: ZswapPool | null = this.pools.find((p) => p.zpool.type === type && p.tfmName === compressor && p.refs > 0) ?? null;
    if (pool !== null) {
      this.pools = this.pools.filter((p) => p !== pool);
      pool.dead = false;
      pool.refs++; // percpu_ref_resurrect(): the "current" reference again
    } else {
      pool = this.poolCreate(type, compressor);
    }
    if (pool === null) return -Errno.EINVAL;
    set(s);
    const old = this.pools[0];
    this.pools.unshift(pool);
    this.hasPool = true;
    if (old !== undefined && !old.dead) this.poolKill(old);
    return 0;
  }

  // =====================================================================
  // debugfs
  // =====================================================================

  private createDebugfs(): void {
    if (this.debugfsRoot.children.has("zswap")) return;
    const d = this.debugfsRoot.dir("zswap");
    const u64 = (name: string, get: () => number) => d.attr(name, 0o444, () => `${get()}\n`);
    u64("pool_limit_hit", () => this.poolLimitHit);
    u64("reject_reclaim_fail", () => this.rejectReclaimFail);
    u64("reject_alloc_fail", () => this.rejectAllocFail);
    u64("reject_kmemcache_fail", () => this.rejectKmemcacheFail);
    u64("reject_compress_fail", () => this.rejectCompressFail);
    u64("reject_compress_poor", () => this.rejectCompressPoor);
    u64("written_back_pages", () => this.writtenBackPages);
    u64("pool_total_size", () => this.totalPages() * PAGE_SIZE);
    u64("stored_pages", () => this.storedPages);
  }

  // =====================================================================
  // LRU
  // =====================================================================

  private lruAdd(e: ZswapEntry): void {
    const tail = this.lru.prev!;
    e.prev = tail;
    e.next = this.lru;
    tail.next = e;
    this.lru.prev = e;
    e.onLru = true;
  }

  private lruDel(e: ZswapEntry): void {
    if (!e.onLru) return;
    e.prev!.next = e.next;
    e.next!.prev = e.prev;
    e.prev = e.next = null;
    e.onLru = false;
  }

  /** LRU length (list_lru_count). */
  lruLength(): number {
    let n = 0;
    for (let e = this.lru.next!; e !== this.lru; e = e.next!) n++;
    return n;
  }

  // =====================================================================
  // store / load / invalidate
  // =====================================================================

  private backendOps(): SwapBackendOps {
    return {
      store: (type, offset, pa) => this.zswapStore(type, offset, pa),
      load: (type, offset, pa, exclusive, task, trace) => this.zswapLoad(type, offset, pa, exclusive, task, trace),
      invalidate: (type, offset) => this.zswapInvalidate(type, offset),
      swapon: (type) => {
        this.trees[type] = new Map();
        return 0;
      },
      swapoff: (type) => {
        const t = this.trees[type];
        if (t !== undefined) for (const e of [...t.values()]) this.eraseAndFree(t, e);
        this.trees[type] = undefined;
      },
    };
  }

  /** zswap_entry_free() */
  private entryFree(e: ZswapEntry): void {
    this.lruDel(e);
    e.pool.zpool.free(e.handle);
    this.storedPages--;
    this.poolPut(e.pool);
  }

  private eraseAndFree(tree: Map<number, ZswapEntry>, e: ZswapEntry): void {
    tree.delete(e.offset);
    this.entryFree(e);
  }

  /** zswap_check_limits() */
  private checkLimits(): boolean {
    const cur = this.totalPages();
    const max = this.maxPages();
    if (cur >= max) {
      this.poolLimitHit++;
      this.poolReachedFull = true;
    } else if (this.poolReachedFull && cur <= this.acceptThrPages()) {
      this.poolReachedFull = false;
    }
    return this.poolReachedFull;
  }

  /** zswap_store() for the page at `pa` going to slot (type, offset). */
  // linux: mm/zswap.c zswap_store()
  zswapStore(type: number, offset: number, pa: number): boolean {
    const tree = this.trees[type];
    if (tree === undefined) return false;
    if (this.enabled) {
      if (this.storeEntry(tree, type, offset, pa)) return true;
      if (this.poolReachedFull) this.queueShrinkWork();
    }
    // check_old: a stale entry for this slot must not survive
    const old = tree.get(offset);
    if (old !== undefined) this.eraseAndFree(tree, old);
    return false;
  }

  private storeEntry(tree: Map<number, ZswapEntry>, type: number, offset: number, pa: number): boolean {
    if (this.checkLimits()) return false;
    if (this.inject.kmemcacheFail > 0) {
      this.inject.kmemcacheFail--;
      this.rejectKmemcacheFail++;
      return false;
    }
    const pool = this.pools[0];
    if (pool === undefined || pool.dead) return false;
    pool.refs++;
    const handle = this.compress(pool, pa);
    if (handle < 0) {
      this.poolPut(pool);
      return false;
    }
    const entry = new ZswapEntry(type, offset, pool, handle, this.compressedLength);
    const old = tree.get(offset);
    tree.set(offset, entry);
    if (old !== undefined) this.entryFree(old);
    this.lruAdd(entry);
    this.storedPages++;
    this.mm.events.zswpout++;
    this.ctx.clock.advance(TIMING.zswapStoreNs);
    return true;
  }

  /** Length produced by the last successful {@link compress}. */
  private compressedLength = 0;

  /** zswap_compress(): compress on this CPU's context, copy into the zpool. Returns the handle or -1. */
  private compress(pool: ZswapPool, pa: number): number {
    const a = pool.acomp[this.ctx.cpu % pool.acomp.length]!;
    a.src[0]!.addr = pa;
    a.src[0]!.length = PAGE_SIZE;
    a.dst[0]!.addr = a.buffer;
    a.dst[0]!.length = PAGE_SIZE * 2;
    this.crypto.requestSetParams(a.req, a.src, a.dst, PAGE_SIZE, PAGE_SIZE);
    const compRet = this.waitReq(this.crypto.compress(a.req), a.req);
    const dlen = a.req.dlen;
    let allocRet = 0;
    let handle = -1;
    if (compRet === 0) {
      if (this.inject.zpoolAllocFail > 0) {
        this.inject.zpoolAllocFail--;
        allocRet = -Errno.ENOMEM;
      } else {
        handle = pool.zpool.malloc(dlen);
        if (handle < 0) allocRet = handle;
      }
      if (allocRet === 0) {
        const dst = pool.zpool.map(handle, "wo");
        const from = this.phys.chunkBytes(a.buffer);
        const fo = this.phys.chunkOffset(a.buffer);
        this.phys.chunkBytes(dst).set(from.subarray(fo, fo + dlen), this.phys.chunkOffset(dst));
        pool.zpool.unmap(handle);
      }
    }
    if (compRet === -Errno.ENOSPC || allocRet === -Errno.ENOSPC) this.rejectCompressPoor++;
    else if (compRet !== 0) this.rejectCompressFail++;
    else if (allocRet !== 0) this.rejectAllocFail++;
    if (compRet !== 0 || allocRet !== 0) return -1;
    this.compressedLength = dlen;
    return handle;
  }

  /**
   * zswap_decompress() into the page at `pa`: 0, or the line of the
   * BUG_ON() that fires (the caller reports the oops).
   */
  private decompress(e: ZswapEntry, pa: number): number {
    const pool = e.pool;
    const a = pool.acomp[this.ctx.cpu % pool.acomp.length]!;
    let src = pool.zpool.map(e.handle, "ro");
    let mapped = true;
    if (a.isSleepable && !pool.zpool.canSleepMapped) {
      const o = this.phys.chunkOffset(src);
      this.phys.chunkBytes(a.buffer).set(this.phys.chunkBytes(src).subarray(o, o + e.length), this.phys.chunkOffset(a.buffer));
      src = a.buffer;
      pool.zpool.unmap(e.handle);
      mapped = false;
    }
    a.src[0]!.addr = src;
    a.src[0]!.length = e.length;
    a.dst[0]!.addr = pa;
    a.dst[0]!.length = PAGE_SIZE;
    this.crypto.requestSetParams(a.req, a.src, a.dst, e.length, PAGE_SIZE);
    const ret = this.waitReq(this.crypto.decompress(a.req), a.req);
    if (mapped) pool.zpool.unmap(e.handle);
    if (ret === 0 && a.req.dlen === PAGE_SIZE) return 0;
    this.decompressFail++;
    // BUG_ON(crypto_wait_req(...)); BUG_ON(acomp_ctx->req->dlen != PAGE_SIZE)
    return ret !== 0 ? BUG_LINE_DECOMPRESS_ERR : BUG_LINE_DECOMPRESS_DLEN;
  }

  /** The oops of a BUG_ON() in zswap_decompress() (`line`), hit by `task` with `trace` below it. */
  private decompressBug(line: number, task: OopsTask, trace: readonly string[], worker?: { wq: string; fn: string }): void {
    const rip = line === BUG_LINE_DECOMPRESS_ERR ? "zswap_decompress+0x1c6/0x1d0" : "zswap_decompress+0x1ca/0x1d0";
    bugOops(this.ctx, task, { file: "mm/zswap.c", line, rip, trace, worker });
  }

  /**
   * zswap_load() for `task` (the frames of its swap-in path in `trace`): 0,
   * SWAP_BACKEND_MISS, or TASK_KILLED_BY_OOPS when the decompression BUG()s.
   */
  // linux: mm/zswap.c zswap_load()
  zswapLoad(type: number, offset: number, pa: number, exclusive: boolean, task: OopsTask, trace: readonly string[]): number {
    const tree = this.trees[type];
    if (tree === undefined) return SWAP_BACKEND_MISS;
    const e = tree.get(offset);
    if (e === undefined) return SWAP_BACKEND_MISS;
    // into the swap cache: xa_erase() first, so a shrink worker that runs while the
    // decompression waits cannot write the entry back as well
    if (exclusive) tree.delete(offset);
    const bug = this.decompress(e, pa);
    if (bug !== 0) {
      this.decompressBug(bug, task, [ZSWAP_LOAD_FRAME, ...trace]);
      return TASK_KILLED_BY_OOPS;
    }
    this.mm.events.zswpin++;
    if (exclusive) this.entryFree(e);
    this.ctx.clock.advance(TIMING.zswapLoadNs);
    return 0;
  }

  /** zswap_invalidate(): the slot was freed. */
  zswapInvalidate(type: number, offset: number): void {
    const tree = this.trees[type];
    if (tree === undefined) return;
    const e = tree.get(offset);
    if (e !== undefined) this.eraseAndFree(tree, e);
  }

  // =====================================================================
  // writeback
  // =====================================================================

  /**
   * Queues shrink_worker(). It runs when virtual time reaches it, but never
   * while a compression or decompression of zswap's is waiting for its
   * request (its per-CPU acomp_ctx is in use: the kernel's acomp_ctx->mutex);
   * it then runs once that request is done.
   */
  private queueShrinkWork(): void {
    // a kworker that died in shrink_worker() never finishes it: the work item cannot run again
    if (this.shrinkQueued || this.shrinkWorkerDead) return;
    this.shrinkQueued = true;
    this.scheduleShrinkRun(this.ctx.clock.now + SHRINK_WORK_DELAY_NS);
  }

  /** Virtual time the queued shrink work runs at (a snapshot schedules it again). */
  private shrinkAt = 0;

  private scheduleShrinkRun(at: number): void {
    this.shrinkAt = at;
    const run = (): void => {
      if (this.requestsInFlight > 0) {
        this.scheduleShrinkRun(this.ctx.clock.now + SHRINK_WORK_DELAY_NS);
        return;
      }
      this.shrinkQueued = false;
      this.shrinkWorker();
    };
    this.ctx.clock.scheduleAt(at, run);
  }

  /** The unbound kworker that runs zswap-shrink's work (a representative name and PID). */
  private kworker(): OopsTask {
    return { pid: KWORKER_PID, comm: `kworker/u${2 * this.ctx.topo.nrCpus}:1` };
  }

  /** Pending timer events of zswap's (the queued shrink work), for a snapshot's check. */
  pendingEvents(): number {
    return this.shrinkQueued ? 1 : 0;
  }

  /** After a snapshot is restored: the shrink work that was queued is queued again, for the same time. */
  resumeShrinkWork(): void {
    if (this.shrinkQueued) this.scheduleShrinkRun(this.shrinkAt);
  }

  /** Compressions and decompressions of zswap's waiting for their request to complete. */
  private requestsInFlight = 0;

  /** crypto_wait_req() on this CPU's request, marked in flight meanwhile. */
  private waitReq(ret: number, req: AcompReq): number {
    this.requestsInFlight++;
    try {
      return this.crypto.waitReq(ret, req);
    } finally {
      this.requestsInFlight--;
    }
  }

  /** shrink_worker(): write back until the pool is at the accept threshold. */
  // linux: mm/zswap.c shrink_worker()
  shrinkWorker(): void {
    const thr = this.acceptThrPages();
    let failures = 0;
    do {
      const ret = this.shrinkMemcg();
      if (ret === TASK_KILLED_BY_OOPS) return;
      if (ret !== 0 && ++failures === MAX_RECLAIM_RETRIES) break;
    } while (this.totalPages() > thr);
  }

  /** shrink_memcg(): walk one LRU entry. 0 written back, -EAGAIN not, -ENOENT empty. */
  private shrinkMemcg(): number {
    const e = this.lru.next!;
    if (e === this.lru) return -Errno.ENOENT;
    // shrink_memcg_cb()
    if (e.referenced) {
      e.referenced = false;
      this.lruDel(e);
      this.lruAdd(e); // LRU_ROTATE
      return -Errno.EAGAIN;
    }
    this.lruDel(e);
    this.lruAdd(e);
    const r = this.writebackEntry(e);
    if (r === TASK_KILLED_BY_OOPS) return r;
    if (r !== 0) {
      this.rejectReclaimFail++;
      return -Errno.EAGAIN;
    }
    this.writtenBackPages++;
    return 0;
  }

  /** zswap_writeback_entry(): decompress into a new page and write it to the device. */
  // linux: mm/zswap.c zswap_writeback_entry()
  private writebackEntry(e: ZswapEntry): number {
    const core = this.core!;
    if (!core.slotInUse(e.type, e.offset)) return -Errno.ENOMEM;
    if (core.slotInSwapCache(e.type, e.offset)) return -Errno.EEXIST;
    const tree = this.trees[e.type];
    if (tree === undefined || tree.get(e.offset) !== e) return -Errno.ENOMEM;
    if (this.mm.freePages <= 0) return -Errno.ENOMEM;
    const folio = this.phys.allocPages(1);
    tree.delete(e.offset); // xa_cmpxchg(tree, offset, entry, NULL)
    const bug = this.decompress(e, folio);
    if (bug !== 0) {
      // the kworker dies: its locked folio stays in the swap cache; the entry, erased but
      // never freed, stays on the LRU
      core.leaveLocked(e.type, e.offset, folio);
      this.shrinkWorkerDead = true;
      this.decompressBug(bug, this.kworker(), WRITEBACK_TRACE, { wq: "zswap-shrink", fn: "shrink_worker" });
      return TASK_KILLED_BY_OOPS;
    }
    this.entryFree(e);
    this.mm.events.zswpwb++;
    const r = core.writeToDevice(e.type, e.offset, folio);
    this.phys.freePages(folio, 1);
    return r;
  }

  // =====================================================================
  // state between commands
  // =====================================================================

  saveState(): ZswapState {
    return {
      enabled: this.enabled,
      compressor: this.compressor,
      zpool: this.zpoolType,
      maxPoolPercent: this.maxPoolPercent,
      acceptThrPercent: this.acceptThrPercent,
      shrinkerEnabled: this.shrinkerEnabled,
      initialized: this.initState === InitState.SUCCEED && this.hasPool,
      counters: {
        poolLimitHit: this.poolLimitHit,
        rejectReclaimFail: this.rejectReclaimFail,
        rejectAllocFail: this.rejectAllocFail,
        rejectKmemcacheFail: this.rejectKmemcacheFail,
        rejectCompressFail: this.rejectCompressFail,
        rejectCompressPoor: this.rejectCompressPoor,
        writtenBackPages: this.writtenBackPages,
        decompressFail: this.decompressFail,
      },
    };
  }

  /** Restores parameters and counters; an initialized zswap gets its current pool back (silently). */
  loadState(s: ZswapState): void {
    this.enabled = s.enabled;
    this.compressor = s.compressor;
    this.zpoolType = s.zpool;
    this.maxPoolPercent = s.maxPoolPercent;
    this.acceptThrPercent = s.acceptThrPercent;
    this.shrinkerEnabled = s.shrinkerEnabled;
    const c = s.counters;
    this.poolLimitHit = c.poolLimitHit ?? 0;
    this.rejectReclaimFail = c.rejectReclaimFail ?? 0;
    this.rejectAllocFail = c.rejectAllocFail ?? 0;
    this.rejectKmemcacheFail = c.rejectKmemcacheFail ?? 0;
    this.rejectCompressFail = c.rejectCompressFail ?? 0;
    this.rejectCompressPoor = c.rejectCompressPoor ?? 0;
    this.writtenBackPages = c.writtenBackPages ?? 0;
    this.decompressFail = c.decompressFail ?? 0;
    if (s.initialized && this.initState === InitState.UNINIT) {
      const pool = this.poolCreate(this.zpoolType, this.compressor);
      if (pool !== null) {
        this.pools.unshift(pool);
        this.hasPool = true;
      }
      this.createDebugfs();
      this.initState = InitState.SUCCEED;
    }
  }
}

/** Prototypes of this file's private classes (a restored snapshot creates their objects). */
export const ZSWAP_CLASSES: object[] = [ZswapPool.prototype, ZswapEntry.prototype];
