/**
 * `iaa bench latency|codec|zswap`: what-if performance on fresh machines
 * (never the persistent one), in virtual time from the calibrated timing
 * model (src/lib/timing.ts), with the emulator's own wall-clock speed beside.
 *
 * Lists (`--compressor lz4,zstd`, `--sync-mode sync,async_irq`, `--verify
 * 0,1`) multiply into configurations; software compressors ignore sync_mode
 * and verify. Output: a table, or `--json`; `--svg FILE` also writes a plot;
 * `--html FILE` a self-contained report page (src/host/dashboard/bench_report.ts).
 */
import { writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { BENCH_COMPRESSORS, DEFAULT_BENCH_CONFIG, SYNC_MODES, checkBenchConfig, type BenchCompressor, type BenchConfig, type SyncMode } from "../system/bench/bench_machine.js";
import { runCodec, type CodecResult } from "../system/bench/codec.js";
import { CONTENT_MIXES, type ContentMix } from "../system/bench/content.js";
import { runLatency } from "../system/bench/latency.js";
import { codecPlot, codecTable, latencyPlot, latencyTable, renderSvg, zswapPlot, zswapTable } from "../system/bench/report.js";
import { runZswap, type ZswapResult } from "../system/bench/zswap_workload.js";
import { resolveMachineConfig } from "../system/machine_config.js";
import { renderBenchHtml } from "../host/dashboard/bench_report.js";
import { codecReportConfigs, latencyReportConfigs, makeReport, zswapReportConfigs, type ReportConfig } from "../host/dashboard/bench_report_data.js";
import type { CliIo } from "./cli_io.js";

export const BENCH_USAGE = `usage: iaa bench latency|codec|zswap [options]

workloads:
  latency   median virtual latency of one 4 KiB compress/decompress per configuration,
            on the memory_madvise page ('*' x 4096) and on the default content mix
  codec     raw engine throughput: JOBS buffers of SIZE bytes, DEPTH requests in flight
  zswap     usemem-like: PROCESSES processes each touch PAGES pages, page them out
            (MADV_PAGEOUT) and back in through zswap

configuration (lists multiply):
  --compressor LIST        ${BENCH_COMPRESSORS.join(", ")}
                           (default: latency all but lzo-rle, else deflate-iaa;
                           none: zswap off, every page to the swap device; zswap only)
  --sync-mode LIST         ${SYNC_MODES.join(", ")} (default: latency all, else sync)
  --verify LIST            0, 1 (default: latency 0,1, else 1)
  --preset NAME            spr-2s (default), spr-1s, tiny
  --iaa N                  IAA devices in all (a multiple of the sockets, up to 4 per socket)
  --wqs-per-iaa N          WQs per device, sharing its 128 entries (default 1)
  --engines-per-group N    engines in each group (default 8)
  --groups N               groups per device; WQs dealt round-robin (default 1)
workload:
  --content MIX            ${CONTENT_MIXES.join(", ")} (default mix)
  --pages N                latency: mix pages (64); zswap: pages per process (256)
  --processes N            zswap processes, on CPUs spread over the nodes (default 4)
  --jobs N                 codec jobs per direction (default 32)
  --size BYTES             codec job size (default 65536)
  --depth N                codec requests in flight (default 1; >1 needs async or async_irq)
  --threads N              zswap, codec: worker threads computing the engine's results
                           (default: the host's cores; 1 = none; results are identical)
  --seed N                 content seed (default 1)
output:
  --json                   JSON on stdout instead of the table
  --svg FILE               also write throughput and latency plots to FILE
  --html FILE              also write a self-contained HTML report to FILE (every configuration's
                           plots, the timing model, the published figures, the --json data)
`;

interface Opts {
  workload: "latency" | "codec" | "zswap";
  compressors?: BenchCompressor[];
  syncModes?: SyncMode[];
  verify?: boolean[];
  base: Partial<BenchConfig>;
  iaa?: number;
  content: ContentMix;
  pages?: number;
  processes?: number;
  jobs?: number;
  size?: number;
  depth?: number;
  threads?: number;
  seed?: number;
  json: boolean;
  svg?: string;
  html?: string;
  help: boolean;
}

function int(name: string, v: string, min: number, max = Number.MAX_SAFE_INTEGER): number | string {
  if (!/^\d+$/.test(v)) return `${name}: '${v}' is not a number`;
  const n = Number(v);
  if (n < min) return `${name}: must be at least ${min}`;
  if (n > max) return `${name}: must be at most ${max}`;
  return n;
}

/** Parses the arguments; an error text for a usage error. */
export function parseBenchArgs(args: string[]): Opts | string {
  const o: Opts = { workload: "latency", base: {}, content: "mix", json: false, help: false };
  let workload: string | undefined;
  for (let i = 0; i < args.length; i++) {
    let a = args[i]!;
    if (a === "-h" || a === "--help") {
      o.help = true;
      continue;
    }
    if (!a.startsWith("--")) {
      if (workload !== undefined) return `extra operand '${a}'`;
      workload = a;
      continue;
    }
    let v: string | undefined;
    const eq = a.indexOf("=");
    if (eq > 0) {
      v = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    if (a === "--json") {
      o.json = true;
      continue;
    }
    if (v === undefined) {
      if (i + 1 >= args.length) return `option '${a}' needs an argument`;
      v = args[++i]!;
    }
    const list = v.split(",").filter((x) => x !== "");
    let n: number | string = 0;
    switch (a) {
      case "--compressor":
        for (const c of list) if (!(BENCH_COMPRESSORS as readonly string[]).includes(c)) return `unknown compressor '${c}' (known: ${BENCH_COMPRESSORS.join(", ")})`;
        o.compressors = list as BenchCompressor[];
        break;
      case "--sync-mode":
        for (const c of list) if (!(SYNC_MODES as readonly string[]).includes(c)) return `unknown sync mode '${c}' (known: ${SYNC_MODES.join(", ")})`;
        o.syncModes = list as SyncMode[];
        break;
      case "--verify":
        for (const c of list) if (c !== "0" && c !== "1") return `--verify: '${c}' is not 0 or 1`;
        o.verify = list.map((c) => c === "1");
        break;
      case "--preset":
        o.base.preset = v;
        break;
      case "--content":
        if (!(CONTENT_MIXES as readonly string[]).includes(v)) return `unknown content '${v}' (known: ${CONTENT_MIXES.join(", ")})`;
        o.content = v as ContentMix;
        break;
      case "--svg":
        o.svg = v;
        break;
      case "--html":
        o.html = v;
        break;
      default: {
        const numeric: Record<string, [keyof Opts | "wqsPerIaa" | "enginesPerGroup" | "groups", number]> = {
          "--iaa": ["iaa", 0],
          "--wqs-per-iaa": ["wqsPerIaa", 1],
          "--engines-per-group": ["enginesPerGroup", 1],
          "--groups": ["groups", 1],
          "--pages": ["pages", 1],
          "--processes": ["processes", 1],
          "--jobs": ["jobs", 1],
          "--size": ["size", 4096],
          "--depth": ["depth", 1],
          "--threads": ["threads", 1],
          "--seed": ["seed", 0],
        };
        const spec = numeric[a];
        if (spec === undefined) return `unknown option '${a}'`;
        n = int(a, v, spec[1], a === "--threads" ? 64 : undefined);
        if (typeof n === "string") return n;
        const key = spec[0];
        if (key === "wqsPerIaa" || key === "enginesPerGroup" || key === "groups") o.base[key] = n;
        else (o as unknown as Record<string, number>)[key] = n;
      }
    }
  }
  if (o.help) return o;
  if (workload === undefined) return "missing workload (latency, codec or zswap)";
  if (workload !== "latency" && workload !== "codec" && workload !== "zswap") return `unknown workload '${workload}' (latency, codec or zswap)`;
  o.workload = workload;
  return o;
}

/** The configurations the options describe, or an error text. */
export function benchConfigs(o: Opts): BenchConfig[] | string {
  const lat = o.workload === "latency";
  const compressors = o.compressors ?? (lat ? (["deflate-iaa", "lzo", "lz4", "zstd", "deflate-generic"] as BenchCompressor[]) : ["deflate-iaa" as BenchCompressor]);
  const modes = o.syncModes ?? (lat ? [...SYNC_MODES] : ["sync" as SyncMode]);
  const verifies = o.verify ?? (lat ? [false, true] : [true]);
  const base: BenchConfig = { ...DEFAULT_BENCH_CONFIG, ...o.base };
  if (o.iaa !== undefined) {
    const mc = resolveMachineConfig(base.preset);
    if (typeof mc === "string") return mc;
    if (o.iaa % mc.sockets !== 0 || o.iaa / mc.sockets > 4) return `--iaa ${o.iaa}: must be a multiple of the ${mc.sockets} socket(s), at most ${4 * mc.sockets}`;
    base.iaaPerSocket = o.iaa / mc.sockets;
  }
  if (o.workload !== "zswap" && compressors.includes("none")) return "--compressor none (zswap off, pages to the swap device) is for the zswap workload";
  const out: BenchConfig[] = [];
  for (const compressor of compressors) {
    if (compressor !== "deflate-iaa") {
      out.push({ ...base, compressor });
      continue;
    }
    for (const syncMode of modes) for (const verify of verifies) out.push({ ...base, compressor, syncMode, verify });
  }
  for (const c of out) {
    const err = checkBenchConfig(c);
    if (err !== null) return err;
  }
  return out;
}

/**
 * A progress bar on stderr: only on a terminal, and only once a run has
 * lasted `delayMs`; redrawn at most every 100 ms; `end()` clears it.
 */
export function progressBar(write: (text: string) => void, tty: boolean, delayMs = 1000, now: () => number = () => performance.now()): { update(done: number, total: number): void; end(): void } {
  const t0 = now();
  let last = -Infinity;
  let shown = false;
  return {
    update(done, total) {
      if (!tty) return;
      const t = now();
      if (t - t0 < delayMs || (t - last < 100 && done < total)) return;
      last = t;
      shown = true;
      const w = 30;
      const f = total > 0 ? Math.min(1, done / total) : 0;
      const bar = "#".repeat(Math.round(f * w)).padEnd(w, ".");
      write(`\r[${bar}] ${(f * 100).toFixed(0).padStart(3)}% ${done}/${total}`);
    },
    end() {
      if (shown) write("\r\x1b[K");
    },
  };
}

function stripSamples<T extends object>(r: T): T {
  return JSON.parse(JSON.stringify(r, (k, v: unknown) => (k === "samples" ? undefined : v))) as T;
}

/** `iaa bench …` */
export async function benchCommand(args: string[], io: CliIo): Promise<number> {
  const o = parseBenchArgs(args);
  if (typeof o === "string") {
    io.stderr(`iaa: bench: ${o}\n${BENCH_USAGE}`);
    return 2;
  }
  if (o.help) {
    await io.stdout(BENCH_USAGE);
    return 0;
  }
  const configs = benchConfigs(o);
  if (typeof configs === "string") {
    io.stderr(`iaa: bench: ${configs}\n`);
    return 2;
  }
  const tty = (io as { stderrIsTTY?: boolean }).stderrIsTTY ?? process.stderr.isTTY === true;
  const bar = progressBar((t) => io.stderr(t), tty);
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  try {
    let report: ReportConfig[] = [];
    let text: string;
    let json: unknown;
    let svg: string | undefined;
    if (o.workload === "latency") {
      const r = runLatency({ configs, pages: o.pages, seed: o.seed, onProgress: bar.update });
      const strip = (x: (typeof r.rows)[number]) => ({ compressor: x.compressor, sync_mode: x.sync_mode, verify: x.verify, op: x.op, bytes: x.bytes, virtual_ns: x.virtual_ns });
      json = { results: r.rows.filter((x) => x.content === "madvise").map(strip), mix_results: r.rows.filter((x) => x.content === "mix").map(strip), ratio: r.ratio, wall: r.wall };
      text = latencyTable(r);
      if (o.html !== undefined) report = latencyReportConfigs(r);
      if (o.svg !== undefined) svg = renderSvg("iaa bench latency: 4 KiB page, default content mix", "pages/s", latencyPlot(r), "compress of a mix page");
    } else if (o.workload === "codec") {
      const rs: CodecResult[] = [];
      const n = configs.length;
      const threads = o.threads ?? availableParallelism();
      configs.forEach((config, k) => rs.push(runCodec({ config, bufferBytes: o.size, jobs: o.jobs, depth: o.depth, content: o.content, seed: o.seed, threads, onProgress: (d, t) => bar.update(k * t + d, n * t) })));
      json = { results: rs.map(stripSamples) };
      text = codecTable(rs);
      if (o.html !== undefined) report = codecReportConfigs(rs);
      if (o.svg !== undefined) svg = renderSvg(`iaa bench codec: ${rs[0]?.bufferBytes ?? 0}-byte jobs`, "GB/s", codecPlot(rs), "compress job");
    } else {
      const rs: ZswapResult[] = [];
      const n = configs.length;
      const threads = o.threads ?? availableParallelism();
      configs.forEach((config, k) => rs.push(runZswap({ config, processes: o.processes, pages: o.pages, content: o.content, seed: o.seed, threads, onProgress: (d, t) => bar.update(k * t + d, n * t) })));
      json = { results: rs.map(stripSamples) };
      text = zswapTable(rs);
      if (o.html !== undefined) report = zswapReportConfigs(rs);
      if (o.svg !== undefined) svg = renderSvg(`iaa bench zswap: ${rs[0]?.processes ?? 0} processes x ${rs[0]?.pagesPerProcess ?? 0} pages`, "KB/s", zswapPlot(rs), "page-out (zswap store)");
    }
    bar.end();
    if (svg !== undefined && o.svg !== undefined) writeFileSync(o.svg, svg);
    if (o.html !== undefined) {
      const title = `iaa bench ${o.workload}: ${configs.length} configuration${configs.length === 1 ? "" : "s"}`;
      const page = renderBenchHtml(makeReport({ workload: o.workload, title, command: ["iaa", "bench", ...args].join(" "), startedAt, durationMs: performance.now() - t0, configs: report, json }));
      writeFileSync(o.html, page);
    }
    await io.stdout(o.json ? JSON.stringify(json, null, 2) + "\n" : text);
    return 0;
  } catch (e) {
    bar.end();
    io.stderr(`iaa: bench: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
