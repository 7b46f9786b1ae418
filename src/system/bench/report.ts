/**
 * Rendering of benchmark results: terminal tables and a hand-written SVG
 * (throughput per configuration beside its latency distribution).
 */
import type { CodecResult } from "./codec.js";
import type { LatencyResult } from "./latency.js";
import type { ZswapResult } from "./zswap_workload.js";
import { distribution, type Distribution } from "./_stats.js";

/** Formats rows as a left-aligned first column and right-aligned others. */
export function table(header: string[], rows: string[][]): string {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  // numeric columns are right-aligned, text columns left-aligned
  const right = header.map((_, i) => rows.length > 0 && rows.every((r) => /^[-+\d.,x]+$/.test(r[i] ?? "")));
  const line = (r: string[]): string => r.map((c, i) => (right[i] ? c.padStart(w[i]!) : c.padEnd(w[i]!))).join("  ").trimEnd();
  return [line(header), line(w.map((n) => "-".repeat(n))), ...rows.map(line)].join("\n") + "\n";
}

function ns(x: number): string {
  return Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "-";
}

function fixed(x: number, d: number): string {
  return Number.isFinite(x) ? x.toFixed(d) : "-";
}

/** The latency workload's table. */
export function latencyTable(r: LatencyResult): string {
  const rows = r.rows.map((x) => [x.compressor, x.sync_mode, String(x.verify), x.content, x.op, String(x.bytes), ns(x.virtual_ns)]);
  let out = table(["compressor", "sync_mode", "verify", "content", "op", "bytes", "median ns"], rows);
  out += `\nratio on the mix: ${Object.entries(r.ratio).map(([k, v]) => `${k} ${fixed(v, 2)}`).join(", ")}\n`;
  out += `emulator: ${fixed(r.wall.pagesPerSecond, 0)} pages/s wall clock in the measured operations (${fixed(r.wall.ms / 1000, 2)} s in all, machine boots included)\n`;
  return out;
}

/** The codec workload's table. */
export function codecTable(rs: CodecResult[]): string {
  const rows = rs.map((r) => [
    r.label,
    String(r.bufferBytes),
    String(r.depth),
    fixed(r.ratio, 2),
    fixed(r.compress.gbPerSecond, 2),
    ns(r.compress.latency.p50),
    fixed(r.decompress.gbPerSecond, 2),
    ns(r.decompress.latency.p50),
    String(r.compress.failed),
    fixed(r.wall.mbPerSecond, 1),
  ]);
  return table(["configuration", "bytes", "depth", "ratio", "comp GB/s", "comp p50 ns", "decomp GB/s", "decomp p50 ns", "failed", "emu MB/s"], rows) + "GB/s: uncompressed bytes per virtual second; emu MB/s: the emulator's own wall-clock speed.\n";
}

/** The zswap workload's table. */
export function zswapTable(rs: ZswapResult[]): string {
  const rows = rs.map((r) => [
    r.label,
    `${r.processes}x${r.pagesPerProcess}`,
    ns(r.pageout.kbPerSecond),
    ns(r.pageout.latency.p50),
    ns(r.pagein.kbPerSecond),
    ns(r.pagein.latency.p50),
    ns(r.kbPerSecond),
    fixed(r.zswap.ratio, 2),
    String(r.zswap.storedPages),
    String(r.zswap.rejectCompressPoor + r.zswap.rejectCompressFail),
    String(r.mismatches),
    ns(r.wall.pagesPerSecond),
  ]);
  return (
    table(["configuration", "procs x pages", "out KB/s", "out p50 ns", "in KB/s", "in p50 ns", "KB/s", "ratio", "stored", "rejected", "wrong", "emu pages/s"], rows) +
    "KB/s: virtual time (processes in parallel on their CPUs, bounded by the busiest device); emu pages/s: the emulator's wall clock.\n"
  );
}

/** One configuration in a plot. */
export interface PlotRow {
  label: string;
  /** Bars: one or more named throughput values. */
  bars: { name: string; value: number }[];
  /** Latency samples (virtual ns). */
  samples: number[];
}

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"];

/**
 * An SVG with throughput bars (left) and a latency box plot on a log scale
 * (right: whiskers min–max, box p50–p90, tick at p99) per configuration.
 *
 * @example
 * writeFileSync("out.svg", renderSvg("zswap", "KB/s", rows));
 */
export function renderSvg(title: string, unit: string, rows: PlotRow[], latencyOf = "operation"): string {
  const labelW = 250;
  const panelW = 330;
  const gap = 40;
  const rowH = 34;
  const top = 60;
  const width = labelW + panelW * 2 + gap + 30;
  const height = top + rows.length * rowH + 50;
  const o: string[] = [];
  o.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  o.push(`<rect width="100%" height="100%" fill="white"/>`);
  o.push(`<text x="10" y="20" font-size="14" font-weight="bold">${esc(title)}</text>`);
  const x0 = labelW;
  const x1 = labelW + panelW + gap;
  o.push(`<text x="${x0}" y="${top - 22}" font-weight="bold">throughput (${esc(unit)}, virtual time)</text>`);
  o.push(`<text x="${x1}" y="${top - 22}" font-weight="bold">latency per ${esc(latencyOf)} (ns, virtual, log scale)</text>`);
  const names = [...new Set(rows.flatMap((r) => r.bars.map((b) => b.name)))];
  names.forEach((n, i) => {
    o.push(`<rect x="${x0 + i * 110}" y="${top - 14}" width="10" height="10" fill="${COLORS[i % COLORS.length]}"/><text x="${x0 + 14 + i * 110}" y="${top - 5}">${esc(n)}</text>`);
  });
  const maxBar = Math.max(1e-9, ...rows.flatMap((r) => r.bars.map((b) => (Number.isFinite(b.value) ? b.value : 0))));
  const dists: Distribution[] = rows.map((r) => distribution(r.samples));
  const all = dists.flatMap((d) => [d.min, d.max]).filter((v) => Number.isFinite(v) && v > 0);
  const lo = Math.log10(Math.max(1, all.length > 0 ? Math.min(...all) : 1)) - 0.05;
  const hi = Math.log10(Math.max(10, all.length > 0 ? Math.max(...all) : 10)) + 0.05;
  const lx = (v: number): number => x1 + ((Math.log10(Math.max(v, 1)) - lo) / (hi - lo)) * panelW;
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    o.push(`<text x="${labelW - 8}" y="${y + rowH / 2 + 4}" text-anchor="end">${esc(r.label)}</text>`);
    const bh = (rowH - 8) / Math.max(1, r.bars.length);
    r.bars.forEach((b, k) => {
      const v = Number.isFinite(b.value) ? b.value : 0;
      const w = (v / maxBar) * (panelW - 70);
      const c = COLORS[names.indexOf(b.name) % COLORS.length];
      o.push(`<rect x="${x0}" y="${(y + 4 + k * bh).toFixed(1)}" width="${w.toFixed(1)}" height="${(bh - 1).toFixed(1)}" fill="${c}"/>`);
      o.push(`<text x="${(x0 + w + 4).toFixed(1)}" y="${(y + 4 + k * bh + bh - 3).toFixed(1)}" font-size="9">${esc(shortNum(v))}</text>`);
    });
    const d = dists[i]!;
    if (d.count > 0) {
      const cy = y + rowH / 2;
      o.push(`<line x1="${lx(d.min).toFixed(1)}" y1="${cy}" x2="${lx(d.max).toFixed(1)}" y2="${cy}" stroke="#555"/>`);
      o.push(`<rect x="${lx(d.p50).toFixed(1)}" y="${cy - 8}" width="${Math.max(1.5, lx(d.p90) - lx(d.p50)).toFixed(1)}" height="16" fill="#9ecae1" stroke="#3182bd"/>`);
      o.push(`<line x1="${lx(d.p50).toFixed(1)}" y1="${cy - 9}" x2="${lx(d.p50).toFixed(1)}" y2="${cy + 9}" stroke="#08306b" stroke-width="2"/>`);
      o.push(`<line x1="${lx(d.p99).toFixed(1)}" y1="${cy - 5}" x2="${lx(d.p99).toFixed(1)}" y2="${cy + 5}" stroke="#d62728"/>`);
      o.push(`<text x="${(lx(d.max) + 4).toFixed(1)}" y="${cy + 4}" font-size="9">p50 ${esc(shortNum(d.p50))}</text>`);
    }
  });
  const axisY = top + rows.length * rowH + 6;
  o.push(`<line x1="${x1}" y1="${axisY}" x2="${x1 + panelW}" y2="${axisY}" stroke="#000"/>`);
  for (let e = Math.ceil(lo); e <= Math.floor(hi); e++) {
    const x = lx(10 ** e);
    o.push(`<line x1="${x.toFixed(1)}" y1="${axisY}" x2="${x.toFixed(1)}" y2="${axisY + 4}" stroke="#000"/><text x="${x.toFixed(1)}" y="${axisY + 16}" text-anchor="middle" font-size="9">${esc(shortNum(10 ** e))}</text>`);
  }
  o.push(`<text x="${x1}" y="${axisY + 32}" font-size="9">whiskers min–max, box p50–p90, red tick p99</text>`);
  o.push(`</svg>`);
  return o.join("\n") + "\n";
}

function shortNum(v: number): string {
  if (!Number.isFinite(v)) return "-";
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toFixed(a >= 1e10 ? 0 : 1)}G`;
  if (a >= 1e6) return `${(v / 1e6).toFixed(a >= 1e7 ? 0 : 1)}M`;
  if (a >= 1e3) return `${(v / 1e3).toFixed(a >= 1e4 ? 0 : 1)}k`;
  return a >= 10 || v === 0 ? v.toFixed(0) : v.toFixed(2);
}

/** Plot rows of the latency workload: pages/s from the median (compress, decompress) on the mix, and the compress samples. */
export function latencyPlot(r: LatencyResult): PlotRow[] {
  const out: PlotRow[] = [];
  for (let i = 0; i < r.rows.length; i += 4) {
    // rows come in groups of four per configuration: madvise c/d, mix c/d
    const c = r.rows[i + 2]!;
    const d = r.rows[i + 3]!;
    out.push({
      label: `${c.compressor}${c.compressor === "deflate-iaa" ? ` ${c.sync_mode} v=${c.verify}` : ""}`,
      bars: [
        { name: "compress pages/s", value: 1e9 / c.virtual_ns },
        { name: "decompress pages/s", value: 1e9 / d.virtual_ns },
      ],
      samples: r.samples[i + 2]!,
    });
  }
  return out;
}

/** Plot rows of the codec workload. */
export function codecPlot(rs: CodecResult[]): PlotRow[] {
  return rs.map((r) => ({
    label: `${r.label} d=${r.depth}`,
    bars: [
      { name: "compress GB/s", value: r.compress.gbPerSecond },
      { name: "decompress GB/s", value: r.decompress.gbPerSecond },
    ],
    samples: r.compress.samples,
  }));
}

/** Plot rows of the zswap workload. */
export function zswapPlot(rs: ZswapResult[]): PlotRow[] {
  return rs.map((r) => ({
    label: r.label,
    bars: [
      { name: "page-out KB/s", value: r.pageout.kbPerSecond },
      { name: "page-in KB/s", value: r.pagein.kbPerSecond },
    ],
    samples: r.pageout.samples,
  }));
}
