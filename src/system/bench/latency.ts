/**
 * `latency` workload: the median virtual latency of one compress and one
 * decompress of a 4 KiB page through the crypto API, per compressor ×
 * sync_mode × verify_compress, each configuration on a fresh machine, on the
 * documentation's memory_madvise page ('*' × 4096) and on the default mix.
 */
import type { AcompReq } from "../../crypto/acomp.js";
import { bootBenchMachine, type BenchConfig, type BenchCompressor, type SyncMode } from "./bench_machine.js";
import { BENCH_PAGE, fillPage, type ContentMix } from "./content.js";
import { median, type Progress } from "./_stats.js";

/** One row of `iaa bench latency --json` (plus `content`: which page set). */
export interface LatencyRow {
  compressor: BenchCompressor;
  sync_mode: SyncMode;
  verify: 0 | 1;
  op: "compress" | "decompress";
  /** Uncompressed bytes of the operation (the page size). */
  bytes: number;
  /** Median virtual latency of one operation, ns. */
  virtual_ns: number;
  /** "madvise" (the memory_madvise page) or "mix" (the default content mix). */
  content: "madvise" | "mix";
}

/** The latency workload's parameters. */
export interface LatencyOptions {
  /** The configurations to measure (software compressors ignore sync_mode and verify). */
  configs: BenchConfig[];
  /** Pages of the mix per configuration (default 64). */
  pages?: number;
  /** Repetitions on the memory_madvise page (default 5). */
  repeats?: number;
  /** Content seed (default 1). */
  seed?: number;
  onProgress?: Progress;
}

/** The workload's result: rows, raw samples per row, and the emulator's wall-clock speed. */
export interface LatencyResult {
  rows: LatencyRow[];
  /** Every sample behind each row (same order as `rows`), virtual ns. */
  samples: number[][];
  /** Compress ratio (input / output bytes) on the mix, per configuration label. */
  ratio: Record<string, number>;
  /** `ms` the whole run (boots included), `opMs` inside the measured calls, `pagesPerSecond` pages (compress + decompress) per wall second of those. */
  wall: { ms: number; opMs: number; pagesPerSecond: number };
}

/**
 * Runs the latency workload.
 *
 * @example
 * const r = runLatency({ configs: [{ ...DEFAULT_BENCH_CONFIG, verify: false }] });
 * r.rows.find((x) => x.op === "compress")!.virtual_ns; // ≈ 3,206
 */
export function runLatency(opts: LatencyOptions): LatencyResult {
  const pages = opts.pages ?? 64;
  const repeats = opts.repeats ?? 5;
  const seed = opts.seed ?? 1;
  const rows: LatencyRow[] = [];
  const samples: number[][] = [];
  const ratio: Record<string, number> = {};
  const t0 = performance.now();
  let pagesDone = 0;
  /** Wall-clock ms inside the measured calls. */
  let opMs = 0;
  const total = opts.configs.length * (pages + repeats);
  for (const cfg of opts.configs) {
    const bm = bootBenchMachine(cfg);
    const { crypto, machine } = bm.stack;
    const { mem, ctx } = machine;
    const clock = ctx.clock;
    ctx.cpu = 0;
    const tfm = bm.allocTfm();
    const req = crypto.requestAlloc(tfm);
    const src = mem.allocPages(1);
    const dst = mem.allocPages(2);
    const back = mem.allocPages(1);
    const page = mem.view(src, BENCH_PAGE);
    const sw = cfg.compressor !== "deflate-iaa";
    const key = { compressor: cfg.compressor, sync_mode: sw ? "sync" : cfg.syncMode, verify: (sw || !cfg.verify ? 0 : 1) as 0 | 1 };
    let inBytes = 0;
    let outBytes = 0;
    for (const content of ["madvise", "mix"] as const) {
      const comp: number[] = [];
      const decomp: number[] = [];
      const n = content === "madvise" ? repeats : pages;
      for (let i = 0; i < n; i++) {
        fillPage(page, content as ContentMix, seed, i);
        crypto.requestSetParams(req, [{ addr: src, length: BENCH_PAGE }], [{ addr: dst, length: 2 * BENCH_PAGE }], BENCH_PAGE, BENCH_PAGE);
        let t = clock.now;
        let w = performance.now();
        const rc = crypto.waitReq(crypto.compress(req), req);
        opMs += performance.now() - w;
        comp.push(clock.now - t);
        pagesDone++;
        opts.onProgress?.(pagesDone, total);
        if (rc !== 0) continue;
        const clen = req.dlen;
        if (content === "mix") {
          inBytes += BENCH_PAGE;
          outBytes += clen;
        }
        crypto.requestSetParams(req, [{ addr: dst, length: clen }], [{ addr: back, length: BENCH_PAGE }], clen, BENCH_PAGE);
        t = clock.now;
        w = performance.now();
        const rd = crypto.waitReq(crypto.decompress(req), req);
        opMs += performance.now() - w;
        decomp.push(clock.now - t);
        if (rd !== 0 || req.dlen !== BENCH_PAGE || !equalPages(mem.view(back, BENCH_PAGE), page)) throw new Error(`${cfg.compressor}: page ${i} of ${content} did not round-trip (rc ${rd})`);
      }
      for (const [op, xs] of [["compress", comp], ["decompress", decomp]] as const) {
        rows.push({ ...key, op, bytes: BENCH_PAGE, virtual_ns: median(xs), content });
        samples.push(xs);
      }
    }
    ratio[`${key.compressor} ${key.sync_mode} verify=${key.verify}`] = outBytes === 0 ? NaN : inBytes / outBytes;
    crypto.requestFree(req);
    crypto.freeAcomp(tfm);
  }
  const ms = performance.now() - t0;
  return { rows, samples, ratio, wall: { ms, opMs, pagesPerSecond: (pagesDone * 1000) / Math.max(opMs, 1e-3) } };
}

function equalPages(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
