/**
 * Parallel engines on real threads: worker threads precompute the IAA
 * engine's pure results (compressed bytes, CRC, completion fields, and the
 * verify and decompress results of that output) for the pages a workload is
 * about to page out, and the single-threaded virtual-time simulation takes
 * them from this cache instead of running the codec itself.
 *
 * Results stay identical to a single-threaded run because a hit is the very
 * result the engine would compute (same pure functions, engineCompress() and
 * engineDecompress(), on the same bytes and parameters); a lookup matches
 * only after comparing every input byte, the AECS bytes and the flags, and
 * anything else is a miss that the engine computes as usual. Virtual time is
 * untouched: the engine takes its durations from the result either way.
 *
 * Layout (all SharedArrayBuffer): the pages (written by the workload), one
 * result slot per distinct page (an Int32 header and 4 KiB of output bytes).
 * Workers take the distinct pages in the order the workload will need them,
 * round-robin, and publish each slot with Atomics.store + notify; the
 * simulation waits (Atomics.wait) only if it gets ahead of them.
 */
import { Worker } from "node:worker_threads";
import { buildAecsCompRecord, FIXED_MODE } from "../../driver/iaa_crypto/comp_fixed.js";
import { AECS_COMP_TABLE_RECORD_SIZE, IAA_COMP_FLAGS } from "../../driver/iaa_crypto/iaa_crypto.js";
import type { IaaResult } from "../../deflate/mod.js";
import type { IaaResultCache } from "../../hw/iaa_ops.js";
import { BENCH_PAGE } from "./content.js";

/** Int32 words per slot header. */
export const SLOT_WORDS = 32;
/** Header word offsets: state, then compress / verify / decompress results (7 words each), touched bytes. */
export const SLOT = { state: 0, comp: 1, verify: 8, decomp: 15, touched: 22 } as const;
/** Slot states. */
export const SLOT_PENDING = 0;
export const SLOT_READY = 1;

/** What a worker is given. */
export interface WorkerSetup {
  pages: SharedArrayBuffer;
  headers: SharedArrayBuffer;
  outputs: SharedArrayBuffer;
  /** Page index of each slot, in the order the workload needs them. */
  slotPage: Int32Array;
  aecs: Uint8Array;
  opFlags: number;
  maxDst: number;
  /** This worker takes slots w, w + n, w + 2n, … */
  w: number;
  n: number;
}

/** Counters of one run (not part of the simulation's results). */
export interface CacheStats {
  compressHits: number;
  decompressHits: number;
  misses: number;
  /** Times the simulation had to wait for a worker. */
  waits: number;
}

/** FNV-1a over 32 sampled bytes and the length: a cheap bucket key; matches are confirmed byte for byte. */
function sampleHash(b: Uint8Array): number {
  const n = b.length;
  let h = (0x811c9dc5 ^ n) >>> 0;
  if (n === 0) return h;
  for (let k = 0; k < 32; k++) {
    h ^= b[Math.floor((k * n) / 32)]!;
    h = Math.imul(h, 0x01000193);
  }
  h ^= b[n - 1]!;
  return Math.imul(h, 0x01000193) >>> 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** The AECS record iaa_crypto programs for the fixed mode, byte for byte. */
export function fixedModeAecs(): Uint8Array {
  const rec = new Uint8Array(AECS_COMP_TABLE_RECORD_SIZE);
  buildAecsCompRecord(rec, FIXED_MODE);
  return rec;
}

/**
 * Precomputed engine results for a known set of pages.
 *
 * @example
 * const cache = new PrecomputedResults(pages, order, 2);
 * for (const d of iaaDevices) d.hw.resultCache = cache;
 * // … run the workload …
 * await cache.close();
 */
export class PrecomputedResults implements IaaResultCache {
  readonly stats: CacheStats = { compressHits: 0, decompressHits: 0, misses: 0, waits: 0 };
  private readonly pages: Uint8Array;
  private readonly hdr: Int32Array;
  private readonly out: Uint8Array;
  private readonly slotPage: Int32Array;
  /** sampled hash of a page → slots with that hash (distinct contents). */
  private readonly bySource = new Map<number, number[]>();
  /** sampled hash of a compressed stream → slots (registered when a compress hit hands it out). */
  private readonly byStream = new Map<number, number[]>();
  private readonly aecs = fixedModeAecs();
  private readonly workers: Worker[] = [];
  private readonly maxDst = BENCH_PAGE;
  private readonly slotCount: number;

  /**
   * @param pages page contents, 4 KiB each (shared memory)
   * @param order page indices in the order the workload will page them out
   * @param threads worker threads to start (0: none; every lookup then misses)
   */
  constructor(pages: Uint8Array, order: readonly number[], threads: number) {
    if (!(pages.buffer instanceof SharedArrayBuffer)) throw new Error("PrecomputedResults: pages must be in a SharedArrayBuffer");
    this.pages = pages;
    const slots: number[] = [];
    for (const p of order) {
      const src = this.page(p);
      const h = sampleHash(src);
      const bucket = this.bySource.get(h);
      if (bucket === undefined) this.bySource.set(h, [slots.length]);
      else if (bucket.some((s) => sameBytes(this.page(slots[s]!), src))) continue;
      else bucket.push(slots.length);
      slots.push(p);
    }
    this.slotCount = slots.length;
    this.slotPage = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, slots.length)));
    this.slotPage.set(slots);
    this.hdr = new Int32Array(new SharedArrayBuffer(4 * SLOT_WORDS * Math.max(1, slots.length)));
    this.out = new Uint8Array(new SharedArrayBuffer(this.maxDst * Math.max(1, slots.length)));
    for (let w = 0; w < threads && slots.length > 0; w++) this.workers.push(this.spawn(w, threads, slots.length));
  }

  /** Distinct pages (slots) the workers compute. */
  get slots(): number {
    return this.slotCount;
  }

  private page(p: number): Uint8Array {
    return this.pages.subarray(p * BENCH_PAGE, (p + 1) * BENCH_PAGE);
  }

  private spawn(w: number, n: number, count: number): Worker {
    const ts = import.meta.url.endsWith(".ts");
    const url = new URL(ts ? "./codec_worker.ts" : "./codec_worker.js", import.meta.url);
    const setup: WorkerSetup = {
      pages: this.pages.buffer as SharedArrayBuffer,
      headers: this.hdr.buffer as SharedArrayBuffer,
      outputs: this.out.buffer as SharedArrayBuffer,
      slotPage: this.slotPage.subarray(0, count),
      aecs: this.aecs,
      opFlags: IAA_COMP_FLAGS,
      maxDst: this.maxDst,
      w,
      n,
    };
    const worker = new Worker(url, { workerData: setup, execArgv: ts && !process.execArgv.some((a) => a.includes("tsx")) ? ["--import", "tsx"] : undefined });
    worker.unref();
    return worker;
  }

  /** Waits for slot `s` to be published; false if no worker will ever publish it. */
  private ready(s: number): boolean {
    const i = s * SLOT_WORDS + SLOT.state;
    if (Atomics.load(this.hdr, i) === SLOT_READY) return true;
    if (this.workers.length === 0) return false;
    this.stats.waits++;
    while (Atomics.load(this.hdr, i) !== SLOT_READY) {
      if (Atomics.wait(this.hdr, i, SLOT_PENDING, 5_000) === "timed-out" && Atomics.load(this.hdr, i) !== SLOT_READY) return false;
    }
    return true;
  }

  private result(s: number, at: number): IaaResult {
    const h = this.hdr;
    const b = s * SLOT_WORDS + at;
    return { status: h[b]!, errorCode: h[b + 1]!, outputSize: h[b + 2]!, outputBits: h[b + 3]!, crc: h[b + 4]! >>> 0, bytesConsumed: h[b + 5]!, fault: h[b + 6]! };
  }

  private stream(s: number): Uint8Array {
    const len = this.hdr[s * SLOT_WORDS + SLOT.comp + 2]!;
    return this.out.subarray(s * this.maxDst, s * this.maxDst + len);
  }

  compress(src: Uint8Array, dst: Uint8Array, aecs: Uint8Array, opFlags: number, maxDstSize: number): IaaResult | null {
    if (src.length !== BENCH_PAGE || maxDstSize !== this.maxDst || opFlags !== IAA_COMP_FLAGS || !sameBytes(aecs, this.aecs)) return this.miss();
    const bucket = this.bySource.get(sampleHash(src));
    const s = bucket?.find((x) => sameBytes(this.page(this.slotPage[x]!), src));
    if (s === undefined || !this.ready(s)) return this.miss();
    const r = this.result(s, SLOT.comp);
    const touched = this.hdr[s * SLOT_WORDS + SLOT.touched]!;
    dst.set(this.out.subarray(s * this.maxDst, s * this.maxDst + touched));
    if (r.status === 1) {
      const h = sampleHash(this.stream(s));
      const b = this.byStream.get(h);
      if (b === undefined) this.byStream.set(h, [s]);
      else if (!b.includes(s)) b.push(s);
    }
    this.stats.compressHits++;
    return r;
  }

  decompress(src: Uint8Array, dst: Uint8Array | null, maxDstSize: number): IaaResult | null {
    if (maxDstSize !== this.maxDst || (dst !== null && dst.length < this.maxDst)) return this.miss();
    const bucket = this.byStream.get(sampleHash(src));
    const s = bucket?.find((x) => sameBytes(this.stream(x), src));
    if (s === undefined) return this.miss();
    const r = this.result(s, dst === null ? SLOT.verify : SLOT.decomp);
    if (dst !== null) {
      // the worker offers a decompress only when it gave the page back
      if (r.status !== 1 || r.outputSize !== BENCH_PAGE) return this.miss();
      dst.set(this.page(this.slotPage[s]!));
    }
    this.stats.decompressHits++;
    return r;
  }

  private miss(): null {
    this.stats.misses++;
    return null;
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}
