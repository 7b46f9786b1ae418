/**
 * The machine process's engine prefetch: when a MADV_PAGEOUT of a range
 * tells which pages reclaim is about to write (mm's pageout hint), and zswap
 * compresses with deflate-iaa, a pool of worker threads copies the pages out
 * of the machine's (shared) memory and precomputes the IAA engine's results
 * for them
 * (compress and verify for the page-out, decompress for the page-in that
 * may follow; src/system/bench/result_cache.ts), while the machine thread
 * goes on simulating and takes the results from this cache.
 *
 * Exactness is that of the benchmarks' cache: the cache owns its copy of
 * each page, a hit is confirmed byte for byte against the engine's actual
 * source (and AECS, flags, sizes), and anything else is a miss the engine
 * computes as it always does. Virtual time, logs and statistics do not
 * depend on hits, so a machine with 1 thread and one with 2 give the same
 * output.
 *
 * Memory: the batches still holding results keep at most
 * {@link MAX_LIVE_PAGES} page copies; older batches are dropped first, a
 * batch is dropped as soon as all its pages came back through hits, and the
 * machine process drops them all at the end of each command.
 */
import type { IaaResult } from "../deflate/mod.js";
import type { IaaResultCache } from "../hw/iaa_ops.js";
import type { PageoutHintOps } from "../mm/pageout_hint.js";
import { PAGE_SIZE } from "../mm/phys_mem.js";
import { CodecPool } from "./bench/codec_pool.js";
import { PrecomputedResults } from "./bench/result_cache.js";
import type { Stack } from "./stack.js";

/** Batches smaller than this are left to the engine (a worker would barely start before they are done). */
export const MIN_BATCH_PAGES = 64;
/** Page copies the live batches may hold together (512 MiB); a bigger batch is precomputed for its first pages only. */
export const MAX_LIVE_PAGES = 131_072;

/** Counters of the prefetch (not part of the machine's state). */
export interface PrefetchStats {
  batches: number;
  pages: number;
  compressHits: number;
  decompressHits: number;
  /** Times the machine thread waited for a worker, and stages it computed itself (result_cache.ts CacheStats). */
  waits: number;
  taken: number;
  stolen: number;
}

/**
 * One machine's prefetch. `threads` is the machine process's thread count:
 * threads − 1 pool workers (shared by every machine the process holds in
 * turn) plus the machine thread; with 1 there is nothing to install.
 *
 * @example
 * const pool = new CodecPool(1);
 * const pf = PageoutPrefetch.install(world.stack, pool);
 */
export class PageoutPrefetch implements PageoutHintOps, IaaResultCache {
  /** Live batches, newest last. */
  private readonly live: PrecomputedResults[] = [];
  private livePages = 0;
  private readonly ended: PrefetchStats = { batches: 0, pages: 0, compressHits: 0, decompressHits: 0, waits: 0, taken: 0, stolen: 0 };

  private constructor(
    private readonly stack: Stack,
    private readonly pool: CodecPool,
  ) {}

  /** Registers a prefetch on `stack` (mm's pageout hint, every IAA device's result cache). */
  static install(stack: Stack, pool: CodecPool): PageoutPrefetch {
    const pf = new PageoutPrefetch(stack, pool);
    stack.mm.registerPageoutHint(pf);
    for (const d of stack.machine.idxd?.devices ?? []) if (d.isIax) d.hw.resultCache = pf;
    return pf;
  }

  /** Takes the prefetch off its machine and drops every batch. */
  uninstall(): void {
    this.stack.mm.registerPageoutHint(null);
    for (const d of this.stack.machine.idxd?.devices ?? []) if (d.isIax && d.hw.resultCache === this) d.hw.resultCache = null;
    this.dropAll();
  }

  /**
   * Drops every batch (the machine process does so after each command, so
   * that no page copies, nor the memory chunks they were copied from, outlive
   * it); returns how many there were.
   */
  dropAll(): number {
    const n = this.live.length;
    while (this.live.length > 0) this.dropOldest();
    return n;
  }

  /** Totals so far (dropped batches included). */
  get stats(): PrefetchStats {
    const t = { ...this.ended };
    for (const c of this.live) add(t, c);
    return t;
  }

  willWrite(pas: readonly number[]): void {
    if (this.pool.size === 0 || pas.length < MIN_BATCH_PAGES) return;
    const z = this.stack.zswap;
    if (!z.enabled || z.compressor !== "deflate-iaa") return;
    try {
      this.prefetch(pas);
    } catch {
      // a hint may not fail the page-out: without room for the batch (shared memory refused), the engine computes it
    }
  }

  private prefetch(pas: readonly number[]): void {
    const n = Math.min(pas.length, MAX_LIVE_PAGES);
    while (this.live.length > 0 && this.livePages + n > MAX_LIVE_PAGES) this.dropOldest();
    // where each page is: the thread computing a slot copies its page (the main thread copies nothing ahead)
    const phys = this.stack.mm.phys;
    const chunks: SharedArrayBuffer[] = [];
    const at = new Int32Array(new SharedArrayBuffer(8 * n));
    const order: number[] = new Array<number>(n);
    const pa = pas.length === n ? pas : pas.slice(0, n);
    let last: ArrayBufferLike | null = null;
    let ci = -1;
    for (let k = 0; k < n; k++) {
      const buf = phys.chunkBytes(pa[k]!).buffer;
      if (buf !== last) {
        last = buf;
        ci = chunks.indexOf(buf as SharedArrayBuffer);
        if (ci < 0) ci = chunks.push(buf as SharedArrayBuffer) - 1;
      }
      at[2 * k] = ci;
      at[2 * k + 1] = phys.chunkOffset(pa[k]!);
      order[k] = k;
    }
    const pages = new Uint8Array(new SharedArrayBuffer(n * PAGE_SIZE));
    this.live.push(new PrecomputedResults(pages, order, this.pool, undefined, PAGE_SIZE, { chunks, at, pa }));
    this.livePages += n;
    this.ended.batches++;
    this.ended.pages += n;
  }

  compress(src: Uint8Array, dst: Uint8Array, aecs: Uint8Array, opFlags: number, maxDstSize: number, srcAddr: number): IaaResult | null {
    // page-outs come from the batch hinted last
    const c = this.live[this.live.length - 1];
    return c === undefined ? null : c.compress(src, dst, aecs, opFlags, maxDstSize, srcAddr);
  }

  decompress(src: Uint8Array, dst: Uint8Array | null, maxDstSize: number): IaaResult | null {
    if (dst === null) {
      // a verify pass follows its compress: the newest batch
      const c = this.live[this.live.length - 1];
      return c === undefined ? null : c.decompress(src, dst, maxDstSize);
    }
    for (let i = this.live.length - 1; i >= 0; i--) {
      const c = this.live[i]!;
      const r = c.decompress(src, dst, maxDstSize);
      if (r !== null) {
        if (c.usedUp) this.drop(i);
        return r;
      }
    }
    return null;
  }

  private dropOldest(): void {
    this.drop(0);
  }

  private drop(i: number): void {
    const c = this.live.splice(i, 1)[0]!;
    this.livePages -= c.slots;
    add(this.ended, c);
    void c.close();
  }
}

function add(t: PrefetchStats, c: PrecomputedResults): void {
  t.compressHits += c.stats.compressHits;
  t.decompressHits += c.stats.decompressHits;
  t.waits += c.stats.waits;
  t.taken += c.stats.taken;
  t.stolen += c.stats.stolen;
}
