/**
 * What the bench HTML report shows, per configuration, from the workloads'
 * results: headline figures, latency samples in the order they were taken,
 * throughput, ratio, zswap pool size, and the published figures that apply.
 */
import { SOFTWARE_COST, TIMING } from "../../lib/timing.js";
import type { CodecResult } from "../../system/bench/codec.js";
import type { LatencyResult } from "../../system/bench/latency.js";
import type { ZswapResult } from "../../system/bench/zswap_workload.js";
import { publishedFor, SOURCES, type PublishedFigure } from "./published.js";

export interface ReportMetric {
  name: string;
  value: number;
  unit: string;
}

export interface ReportConfig {
  label: string;
  compressor: string;
  sync_mode: string;
  verify: number;
  /** Throughput figures (bars in the comparison). */
  throughput: ReportMetric[];
  /** Median latencies, ns, by operation. */
  latency: ReportMetric[];
  /** Other figures (ratio, pool size, …). */
  other: ReportMetric[];
  /** Latency of each operation in the order taken, virtual ns. */
  series: { name: string; samples: number[] }[];
  published: PublishedFigure[];
}

export interface BenchReport {
  workload: "latency" | "codec" | "zswap";
  title: string;
  command: string;
  startedAt: string;
  /** Wall-clock ms the whole run took. */
  durationMs: number;
  configs: ReportConfig[];
  /** The same object `--json` prints. */
  json: unknown;
  timing: { TIMING: typeof TIMING; SOFTWARE_COST: typeof SOFTWARE_COST };
  sources: Record<string, string>;
}

export function latencyReportConfigs(r: LatencyResult): ReportConfig[] {
  const out: ReportConfig[] = [];
  for (let i = 0; i + 3 < r.rows.length; i += 4) {
    // four rows per configuration: madvise compress/decompress, mix compress/decompress
    const [mc, md, xc, xd] = [r.rows[i]!, r.rows[i + 1]!, r.rows[i + 2]!, r.rows[i + 3]!];
    const label = `${mc.compressor} ${mc.sync_mode} verify=${mc.verify}`;
    const sw = mc.compressor !== "deflate-iaa";
    out.push({
      label: sw ? mc.compressor : label,
      compressor: mc.compressor,
      sync_mode: mc.sync_mode,
      verify: mc.verify,
      throughput: [
        { name: "compress (mix)", value: 1e9 / xc.virtual_ns, unit: "pages/s" },
        { name: "decompress (mix)", value: 1e9 / xd.virtual_ns, unit: "pages/s" },
      ],
      latency: [
        { name: "compress", value: mc.virtual_ns, unit: "ns" },
        { name: "decompress", value: md.virtual_ns, unit: "ns" },
        { name: "compress (mix)", value: xc.virtual_ns, unit: "ns" },
        { name: "decompress (mix)", value: xd.virtual_ns, unit: "ns" },
      ],
      other: [{ name: "ratio (mix)", value: r.ratio[label] ?? NaN, unit: "x" }],
      series: [
        { name: "compress (mix)", samples: r.samples[i + 2]! },
        { name: "decompress (mix)", samples: r.samples[i + 3]! },
        { name: "compress (madvise page)", samples: r.samples[i]! },
        { name: "decompress (madvise page)", samples: r.samples[i + 1]! },
      ],
      published: publishedFor({ compressor: mc.compressor, sync_mode: mc.sync_mode, verify: mc.verify, bytes: mc.bytes }),
    });
  }
  return out;
}

export function codecReportConfigs(rs: CodecResult[]): ReportConfig[] {
  return rs.map((r) => ({
    label: `${r.label} depth=${r.depth}`,
    compressor: r.compressor,
    sync_mode: r.sync_mode,
    verify: r.verify,
    throughput: [
      { name: "compress", value: r.compress.gbPerSecond, unit: "GB/s" },
      { name: "decompress", value: r.decompress.gbPerSecond, unit: "GB/s" },
    ],
    latency: [
      { name: "compress", value: r.compress.latency.p50, unit: "ns" },
      { name: "decompress", value: r.decompress.latency.p50, unit: "ns" },
    ],
    other: [
      { name: "ratio", value: r.ratio, unit: "x" },
      { name: "job size", value: r.bufferBytes, unit: "B" },
      { name: "failed jobs", value: r.compress.failed, unit: "" },
      { name: "emulator speed", value: r.wall.mbPerSecond, unit: "MB/s wall" },
    ],
    series: [
      { name: "compress", samples: r.compress.samples },
      { name: "decompress", samples: r.decompress.samples },
    ],
    published: publishedFor({ compressor: r.compressor, sync_mode: r.sync_mode, verify: r.verify, bytes: r.bufferBytes, depth: r.depth }),
  }));
}

export function zswapReportConfigs(rs: ZswapResult[]): ReportConfig[] {
  return rs.map((r) => ({
    label: r.label,
    compressor: r.compressor,
    sync_mode: r.sync_mode,
    verify: r.verify,
    throughput: [
      { name: "page-out", value: r.pageout.kbPerSecond, unit: "KB/s" },
      { name: "page-in", value: r.pagein.kbPerSecond, unit: "KB/s" },
    ],
    latency: [
      { name: "page-out", value: r.pageout.latency.p50, unit: "ns" },
      { name: "page-in", value: r.pagein.latency.p50, unit: "ns" },
    ],
    other: [
      { name: "ratio", value: r.zswap.ratio, unit: "x" },
      { name: "pool_total_size", value: r.zswap.poolTotalSize, unit: "B" },
      { name: "stored_pages", value: r.zswap.storedPages, unit: "" },
      { name: "reject_compress_poor", value: r.zswap.rejectCompressPoor, unit: "" },
      { name: "reject_compress_fail", value: r.zswap.rejectCompressFail, unit: "" },
      { name: "wrong pages", value: r.mismatches, unit: "" },
      { name: "emulator speed", value: r.wall.pagesPerSecond, unit: "pages/s wall" },
    ],
    series: [
      { name: "page-out", samples: r.pageout.samples },
      { name: "page-in", samples: r.pagein.samples },
    ],
    // no published figure is for this workload
    published: [],
  }));
}

export function makeReport(p: Omit<BenchReport, "timing" | "sources">): BenchReport {
  return { ...p, timing: { TIMING, SOFTWARE_COST }, sources: SOURCES };
}
