/**
 * `codec` workload: raw engine throughput. `jobs` buffers of `bufferBytes`
 * (default 64 KiB, the published per-job figure) are compressed, then
 * decompressed, through the crypto API with up to `depth` requests in flight
 * (depth > 1 needs deflate-iaa in async or async_irq mode: sync mode and the
 * software compressors block the CPU for each call). Requests are issued from
 * CPUs spread over the IAA devices.
 */
import type { AcompReq } from "../../crypto/acomp.js";
import { Errno } from "../../lib/errno.js";
import { bootBenchMachine, configLabel, type BenchConfig } from "./bench_machine.js";
import { BENCH_PAGE, fillPage, type ContentMix } from "./content.js";
import { spreadCpus } from "./_cpus.js";
import { distribution, type Distribution, type Progress } from "./_stats.js";
import { PrecomputedResults, type CacheStats } from "./result_cache.js";

export interface CodecOptions {
  config: BenchConfig;
  /** Bytes per job, a multiple of 4096 (default 65536). */
  bufferBytes?: number;
  /** Jobs per direction (default 32). */
  jobs?: number;
  /** Requests in flight (default 1). */
  depth?: number;
  content?: ContentMix;
  seed?: number;
  /**
   * Threads computing the IAA engine's results: this one plus threads − 1
   * workers precomputing them (deflate-iaa only; see result_cache.ts).
   * Results are identical either way; only the wall clock changes.
   */
  threads?: number;
  onProgress?: Progress;
}

/** One direction's figures. */
export interface CodecPhase {
  /** Virtual ns from the first submission to the last completion. */
  virtualNs: number;
  /** Uncompressed bytes per virtual second / 1e9. */
  gbPerSecond: number;
  /** Per-job latency (submission to completion), virtual ns. */
  latency: Distribution;
  samples: number[];
  /** Jobs that failed (e.g. incompressible: -E2BIG / -ENOSPC). */
  failed: number;
}

/** `iaa bench codec --json` is `{"results": [CodecResult, …]}`. */
export interface CodecResult {
  label: string;
  compressor: string;
  sync_mode: string;
  verify: 0 | 1;
  bufferBytes: number;
  jobs: number;
  depth: number;
  /** Uncompressed / compressed bytes over the jobs that compressed. */
  ratio: number;
  compress: CodecPhase;
  decompress: CodecPhase;
  /** The emulator's own speed: uncompressed MB (1e6 B) per wall-clock second, both directions. */
  wall: { ms: number; mbPerSecond: number; pagesPerSecond: number; threads: number; cache: (CacheStats & { slots: number }) | null };
}

interface Slot {
  req: AcompReq;
  job: number;
  start: number;
  done: boolean;
  err: number;
  end: number;
  cpu: number;
}

/**
 * Runs the codec workload on a fresh machine.
 *
 * @example
 * const r = runCodec({ config: { ...DEFAULT_BENCH_CONFIG, verify: false } });
 * r.compress.gbPerSecond; // ≈ 1.85 (one engine, one job at a time)
 */
export function runCodec(opts: CodecOptions): CodecResult {
  const cfg = opts.config;
  const B = opts.bufferBytes ?? 65536;
  const jobs = opts.jobs ?? 32;
  const sw = cfg.compressor !== "deflate-iaa";
  const depth = opts.depth ?? 1;
  if (!Number.isInteger(B) || B < BENCH_PAGE || B % BENCH_PAGE !== 0 || B > 1 << 20) throw new Error(`buffer size must be a multiple of 4096 up to 1 MiB, got ${B}`);
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`jobs must be a positive integer, got ${jobs}`);
  if (!Number.isInteger(depth) || depth < 1 || depth > 128) throw new Error(`depth must be 1 to 128, got ${depth}`);
  if (depth > 1 && (sw || cfg.syncMode === "sync")) throw new Error(`depth ${depth} needs deflate-iaa with sync_mode async or async_irq (sync calls block the CPU)`);
  const t0 = performance.now();
  const bm = bootBenchMachine(cfg);
  const { crypto, machine } = bm.stack;
  const { mem, ctx } = machine;
  const clock = ctx.clock;
  const tfm = bm.allocTfm();
  const pagesPerJob = B / BENCH_PAGE;
  const content = opts.content ?? "mix";
  const seed = opts.seed ?? 1;
  const threads = opts.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new Error(`threads must be 1 to 64, got ${threads}`);
  // with worker threads, the jobs' content is generated in shared memory (by the workers and this thread) and copied in
  let cache: PrecomputedResults | null = null;
  let shared: Uint8Array | null = null;
  if (threads > 1 && !sw) {
    shared = new Uint8Array(new SharedArrayBuffer(jobs * B));
    cache = new PrecomputedResults(shared, [...Array(jobs).keys()], threads - 1, { content, seed }, B);
    for (const d of machine.idxd?.devices ?? []) if (d.isIax) d.hw.resultCache = cache;
  }
  const src: number[] = [];
  const dst: number[] = [];
  const clen: number[] = new Array<number>(jobs).fill(0);
  for (let j = 0; j < jobs; j++) {
    const a = mem.allocPages(pagesPerJob);
    if (shared !== null) mem.view(a, B).set(shared.subarray(j * B, (j + 1) * B));
    else for (let p = 0; p < pagesPerJob; p++) fillPage(mem.view(a + p * BENCH_PAGE, BENCH_PAGE), content, seed, j * pagesPerJob + p);
    src.push(a);
    dst.push(mem.allocPages(2 * pagesPerJob));
  }
  const cpus = spreadCpus(machine.topo, Math.max(1, bm.iaaDevices.length));
  const back: number[] = [];
  const slots: Slot[] = [];
  for (let s = 0; s < depth; s++) {
    const req = crypto.requestAlloc(tfm);
    const slot: Slot = { req, job: -1, start: 0, done: false, err: 0, end: 0, cpu: cpus[s % cpus.length]! };
    crypto.requestSetCallback(req, 0, (_r, err) => {
      slot.done = true;
      slot.err = err;
      slot.end = clock.now;
    }, null);
    slots.push(slot);
    back.push(mem.allocPages(pagesPerJob));
  }
  const total = 2 * jobs;
  let progress = 0;

  const phase = (op: "compress" | "decompress"): CodecPhase => {
    const samples: number[] = [];
    let failed = 0;
    let next = 0;
    let finished = 0;
    const begin = clock.now;
    const active: Slot[] = [];
    const free = [...slots].reverse();
    const finish = (s: Slot, err: number, end: number): void => {
      samples.push(end - s.start);
      if (err !== 0) failed++;
      else if (op === "compress") clen[s.job] = s.req.dlen;
      else if (s.req.dlen !== B || !equalBytes(mem.view(back[slots.indexOf(s)]!, B), mem.view(src[s.job]!, B))) throw new Error(`${cfg.compressor}: job ${s.job} did not round-trip`);
      finished++;
      opts.onProgress?.(++progress, total);
      free.push(s);
    };
    while (finished < jobs) {
      while (free.length > 0 && next < jobs) {
        const j = next++;
        if (op === "decompress" && clen[j] === 0) {
          finished++;
          opts.onProgress?.(++progress, total);
          continue;
        }
        const s = free.pop()!;
        s.job = j;
        s.done = false;
        s.start = clock.now;
        ctx.cpu = s.cpu;
        if (op === "compress") crypto.requestSetParams(s.req, [{ addr: src[j]!, length: B }], [{ addr: dst[j]!, length: 2 * B }], B, B);
        else crypto.requestSetParams(s.req, [{ addr: dst[j]!, length: clen[j]! }], [{ addr: back[slots.indexOf(s)]!, length: B }], clen[j]!, B);
        const rc = op === "compress" ? crypto.compress(s.req) : crypto.decompress(s.req);
        if (rc === -Errno.EINPROGRESS || rc === -Errno.EBUSY) active.push(s);
        else finish(s, rc, clock.now);
      }
      if (finished >= jobs) break;
      let progressed = false;
      for (let i = 0; i < active.length; i++) {
        const s = active[i]!;
        let err: number | null = null;
        if (s.done) err = s.err;
        else if (s.req.tfm.alg.poll !== undefined && cfg.syncMode === "async") {
          ctx.cpu = s.cpu;
          const r = s.req.tfm.alg.poll(s.req);
          if (s.done) err = s.err;
          else if (r !== -Errno.EAGAIN) err = r;
        }
        if (err === null) continue;
        active.splice(i--, 1);
        finish(s, err, s.done ? s.end : clock.now);
        progressed = true;
      }
      if (!progressed && active.length > 0 && !clock.step()) throw new Error(`${op}: requests in flight but nothing left to happen`);
    }
    const virtualNs = clock.now - begin;
    const okBytes = (jobs - failed) * B;
    return { virtualNs, gbPerSecond: virtualNs > 0 ? okBytes / virtualNs : 0, latency: distribution(samples), samples, failed };
  };

  const compress = phase("compress");
  const decompress = phase("decompress");
  let inBytes = 0;
  let outBytes = 0;
  for (let j = 0; j < jobs; j++) {
    if (clen[j] === 0) continue;
    inBytes += B;
    outBytes += clen[j]!;
  }
  for (const s of slots) crypto.requestFree(s.req);
  crypto.freeAcomp(tfm);
  if (cache !== null) {
    for (const d of machine.idxd?.devices ?? []) if (d.isIax) d.hw.resultCache = null;
    void cache.close();
  }
  const ms = performance.now() - t0;
  return {
    label: configLabel(cfg),
    compressor: cfg.compressor,
    sync_mode: sw ? "sync" : cfg.syncMode,
    verify: !sw && cfg.verify ? 1 : 0,
    bufferBytes: B,
    jobs,
    depth,
    ratio: outBytes === 0 ? NaN : inBytes / outBytes,
    compress,
    decompress,
    wall: { ms, mbPerSecond: (2 * jobs * B) / 1e6 / (ms / 1000), pagesPerSecond: (2 * jobs * pagesPerJob) / (ms / 1000), threads: cache === null ? 1 : threads, cache: cache === null ? null : { slots: cache.slots, ...cache.stats } },
  };
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
