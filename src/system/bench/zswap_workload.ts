/**
 * `zswap` workload, usemem-like: P processes on CPUs spread over the nodes
 * each map M private anonymous pages, fill them with a content mix, page
 * every page out (MADV_PAGEOUT, page by page: zswap_store through the
 * compressor) and touch every page again (the fault brings it back through
 * zswap_load), then check every byte.
 *
 * Virtual time. The machine runs one operation at a time, so each
 * operation's virtual duration is charged to the CPU of the process that
 * made it. The processes really run in parallel on their CPUs, so a phase
 * lasts max(busiest CPU, busiest IAA device), where a device's time is its
 * engines' busy time divided by the engines that can share it (compress only
 * on compress-capable engines). Queueing between CPUs that share a device is
 * therefore bounded from below rather than simulated; with one process the
 * figures are exact.
 */
import { createHash } from "node:crypto";
import { MADV_PAGEOUT, MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE, type Process } from "../../mm/address_space.js";
import { bootBenchMachine, configLabel, type BenchConfig, type BenchMachine } from "./bench_machine.js";
import { BENCH_PAGE, fillPage, type ContentMix } from "./content.js";
import { spreadCpus } from "./_cpus.js";
import { PrecomputedResults, type CacheStats } from "./result_cache.js";
import { distribution, type Distribution, type Progress } from "./_stats.js";
import { threadCpuMs } from "./thread_cpu.js";

export interface ZswapOptions {
  config: BenchConfig;
  /** Processes (default 4). */
  processes?: number;
  /** Pages per process (default 256). */
  pages?: number;
  content?: ContentMix;
  seed?: number;
  /**
   * Threads computing the IAA engine's results: this one plus threads − 1
   * workers precomputing them (deflate-iaa only; see result_cache.ts).
   * 1 (default) = everything on this thread. Results are identical either
   * way; only the wall clock changes.
   */
  threads?: number;
  /** Start the phases only once the workers have computed every page (tests of the cache's hit path). */
  waitForWorkers?: boolean;
  onProgress?: Progress;
}

/** One phase (page-out or page-in). */
export interface ZswapPhase {
  /** Phase length: max(busiest CPU, busiest device), virtual ns. */
  virtualNs: number;
  /** The busiest CPU's virtual ns (CPU-bound length). */
  cpuBoundNs: number;
  /** The busiest device's virtual ns (device-bound length). */
  deviceBoundNs: number;
  pagesPerSecond: number;
  /** KB (1,024 B, as usemem) per virtual second. */
  kbPerSecond: number;
  /** Per-page latency of the operation, virtual ns. */
  latency: Distribution;
  samples: number[];
}

/** `iaa bench zswap --json` is `{"results": [ZswapResult, …]}`. */
export interface ZswapResult {
  label: string;
  compressor: string;
  sync_mode: string;
  verify: 0 | 1;
  processes: number;
  pagesPerProcess: number;
  content: ContentMix;
  cpus: number[];
  pageout: ZswapPhase;
  pagein: ZswapPhase;
  /** Both phases: 2 × pages × 4 KiB / (page-out + page-in length), KB/s. */
  kbPerSecond: number;
  /** zswap's debugfs counters after the page-out phase. */
  zswap: { storedPages: number; poolTotalSize: number; rejectCompressPoor: number; rejectCompressFail: number; ratio: number };
  /** Pages that came back wrong (must be 0). */
  mismatches: number;
  /** SHA-1 of the machine's kernel log (timestamps and text) at the end: equal runs log alike. */
  dmesgSha1: string;
  /** Descriptors the IAA engines completed in the page-out and page-in phases: compress jobs, and decompress jobs (verify passes included). */
  engineOps: { compress: number; decompress: number };
  /**
   * The emulator's own speed: `ms` the whole run (boot, fill, check included),
   * `phaseMs` the page-out and page-in phases, `pagesPerSecond` pages paged
   * out plus pages paged in per wall-clock second of the phases;
   * `phaseCpuMs` this thread's CPU time in the phases (NaN where the host
   * does not tell).
   */
  wall: { ms: number; phaseMs: number; phaseCpuMs: number; pagesPerSecond: number; threads: number; cache: (CacheStats & { slots: number }) | null };
}

/**
 * Runs the zswap workload on a fresh machine.
 *
 * @example
 * const r = runZswap({ config: DEFAULT_BENCH_CONFIG, processes: 2, pages: 64 });
 * r.mismatches; // 0
 */
export function runZswap(opts: ZswapOptions): ZswapResult {
  const cfg = opts.config;
  const P = opts.processes ?? 4;
  const M = opts.pages ?? 256;
  const content = opts.content ?? "mix";
  const seed = opts.seed ?? 1;
  if (!Number.isInteger(P) || P < 1 || P > 4096) throw new Error(`processes must be 1 to 4096, got ${P}`);
  if (!Number.isInteger(M) || M < 1) throw new Error(`pages must be a positive integer, got ${M}`);
  const t0 = performance.now();
  const bm = bootBenchMachine(cfg);
  const { mm, machine } = bm.stack;
  const clock = machine.ctx.clock;
  const cpus = spreadCpus(machine.topo, P);
  const procs: Process[] = [];
  const addrs: number[] = [];
  const threads = opts.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new Error(`threads must be 1 to 64, got ${threads}`);
  // every page's content, once (shared memory, so worker threads can read it)
  const pages = new Uint8Array(new SharedArrayBuffer(P * M * BENCH_PAGE));
  let cache: PrecomputedResults | null = null;
  if (threads > 1 && cfg.compressor === "deflate-iaa") {
    const order: number[] = [];
    for (let i = 0; i < M; i++) for (let p = 0; p < P; p++) order.push(p * M + i);
    // threads - 1 workers, and this thread computes too; they generate the pages first
    cache = new PrecomputedResults(pages, order, threads - 1, { content, seed });
  } else {
    for (let k = 0; k < P * M; k++) fillPage(pages.subarray(k * BENCH_PAGE, (k + 1) * BENCH_PAGE), content, seed, k);
  }
  const pageOf = (p: number, i: number): Uint8Array => pages.subarray((p * M + i) * BENCH_PAGE, (p * M + i + 1) * BENCH_PAGE);
  for (let p = 0; p < P; p++) {
    const proc = mm.spawn("usemem", cpus[p]!);
    const addr = mm.mmap(proc, 0, M * BENCH_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    if (addr < 0) throw new Error(`mmap of ${M} pages failed: ${addr}`);
    for (let i = 0; i < M; i++) {
      const r = mm.writeBytes(proc, addr + i * BENCH_PAGE, pageOf(p, i));
      if (r < 0) throw new Error(`filling page ${i} of process ${p} failed: ${r}`);
    }
    procs.push(proc);
    addrs.push(addr);
  }
  let phaseMs = 0;
  let phaseCpuMs = 0;
  if (cache !== null) {
    for (const d of machine.idxd?.devices ?? []) if (d.isIax) d.hw.resultCache = cache;
    if (opts.waitForWorkers === true && !cache.waitAll()) throw new Error("worker threads did not finish");
  }
  const total = 2 * P * M;
  let done = 0;

  const runPhase = (op: (p: number, i: number) => number): ZswapPhase => {
    const busy = new Float64Array(P);
    const samples: number[] = [];
    const dev0 = deviceBusy(bm);
    const w0 = performance.now();
    const c0 = threadCpuMs();
    for (let i = 0; i < M; i++) {
      for (let p = 0; p < P; p++) {
        const t = clock.now;
        const r = op(p, i);
        if (r < 0) throw new Error(`process ${p} page ${i}: error ${r}`);
        const d = clock.now - t;
        busy[p] += d;
        samples.push(d);
        opts.onProgress?.(++done, total);
      }
    }
    phaseMs += performance.now() - w0;
    phaseCpuMs += threadCpuMs() - c0;
    const dev1 = deviceBusy(bm);
    let cpuBoundNs = 0;
    for (const b of busy) cpuBoundNs = Math.max(cpuBoundNs, b);
    let deviceBoundNs = 0;
    for (let k = 0; k < dev1.length; k++) deviceBoundNs = Math.max(deviceBoundNs, dev1[k]!.comp - dev0[k]!.comp, dev1[k]!.all - dev0[k]!.all);
    const virtualNs = Math.max(cpuBoundNs, deviceBoundNs);
    const pages = P * M;
    return {
      virtualNs,
      cpuBoundNs,
      deviceBoundNs,
      pagesPerSecond: virtualNs > 0 ? (pages * 1e9) / virtualNs : 0,
      kbPerSecond: virtualNs > 0 ? (pages * 4 * 1e9) / virtualNs : 0,
      latency: distribution(samples),
      samples,
    };
  };

  const ops0 = engineOps(bm);
  const pageout = runPhase((p, i) => mm.madvise(procs[p]!, addrs[p]! + i * BENCH_PAGE, BENCH_PAGE, MADV_PAGEOUT));
  const dbg = (name: string): number => Number(machine.vfs.readText(`/sys/kernel/debug/zswap/${name}`).trim());
  const storedPages = dbg("stored_pages");
  const poolTotalSize = dbg("pool_total_size");
  const zs = {
    storedPages,
    poolTotalSize,
    rejectCompressPoor: dbg("reject_compress_poor"),
    rejectCompressFail: dbg("reject_compress_fail"),
    ratio: poolTotalSize > 0 ? (storedPages * BENCH_PAGE) / poolTotalSize : NaN,
  };
  const pagein = runPhase((p, i) => mm.readByte(procs[p]!, addrs[p]! + i * BENCH_PAGE));
  const ops1 = engineOps(bm);

  let mismatches = 0;
  const got = Buffer.alloc(BENCH_PAGE);
  for (let p = 0; p < P; p++) {
    for (let i = 0; i < M; i++) {
      const r = mm.readBytes(procs[p]!, addrs[p]! + i * BENCH_PAGE, got);
      if (r < 0 || got.compare(pageOf(p, i)) !== 0) mismatches++;
    }
  }
  for (const proc of procs) mm.exit(proc);
  if (cache !== null) {
    for (const d of machine.idxd?.devices ?? []) if (d.isIax) d.hw.resultCache = null;
    void cache.close();
  }
  const log = createHash("sha1");
  for (const r of machine.ctx.log.records) log.update(`${r.ts} ${r.level} ${r.text}\n`);
  const ms = performance.now() - t0;
  const sw = cfg.compressor !== "deflate-iaa";
  return {
    label: configLabel(cfg),
    compressor: cfg.compressor,
    sync_mode: sw ? "sync" : cfg.syncMode,
    verify: !sw && cfg.verify ? 1 : 0,
    processes: P,
    pagesPerProcess: M,
    content,
    cpus,
    pageout,
    pagein,
    kbPerSecond: (2 * P * M * 4 * 1e9) / (pageout.virtualNs + pagein.virtualNs),
    zswap: zs,
    mismatches,
    dmesgSha1: log.digest("hex"),
    engineOps: { compress: ops1.compress - ops0.compress, decompress: ops1.decompress - ops0.decompress },
    wall: { ms, phaseMs, phaseCpuMs, pagesPerSecond: (2 * P * M * 1000) / phaseMs, threads, cache: cache === null ? null : { slots: cache.slots, ...cache.stats } },
  };
}

/** Compress (0x43) and decompress (0x42) descriptors completed on every IAA device. */
function engineOps(bm: BenchMachine): { compress: number; decompress: number } {
  let compress = 0;
  let decompress = 0;
  for (const d of bm.stack.machine.idxd?.devices ?? []) {
    if (!d.isIax) continue;
    compress += d.hw.completed.get(0x43) ?? 0;
    decompress += d.hw.completed.get(0x42) ?? 0;
  }
  return { compress, decompress };
}

/**
 * Per IAA device, the time its busiest engine class needs: busy ns of the
 * compress-capable engines in use / their number, and of all engines in use
 * / their number.
 */
function deviceBusy(bm: BenchMachine): { comp: number; all: number }[] {
  const out: { comp: number; all: number }[] = [];
  for (const d of bm.stack.machine.idxd?.devices ?? []) {
    if (!d.isIax) continue;
    const hw = d.hw;
    let inUse = 0;
    for (const g of hw.grpcfg) inUse |= g.engines;
    let comp = 0;
    let nComp = 0;
    let all = 0;
    let nAll = 0;
    for (let e = 0; e < hw.caps.maxEngines; e++) {
      if (((inUse >>> e) & 1) === 0) continue;
      all += hw.engineBusyNs[e]!;
      nAll++;
      if (e < hw.caps.compressEngines) {
        comp += hw.engineBusyNs[e]!;
        nComp++;
      }
    }
    out.push({ comp: nComp > 0 ? comp / nComp : 0, all: nAll > 0 ? all / nAll : 0 });
  }
  return out;
}
