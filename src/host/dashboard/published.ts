/**
 * The published figures the timing model is calibrated to (src/lib/timing.ts,
 * test/bench/calibration.test.ts; shared/spec/iaa-hardware.md "Performance
 * anchors table"), and which bench configurations each applies to.
 */
export interface PublishedFigure {
  /** [Z23], [G24], [Q51] as in src/lib/timing.ts. */
  source: string;
  what: string;
  compressor: string;
  /** Only for deflate-iaa. */
  syncMode?: string;
  /** The operation's size, bytes. */
  bytes: number;
  op: "compress" | "decompress";
  /** "ns" (one operation's latency) or "GB/s" (one engine's throughput). */
  unit: "ns" | "GB/s";
  value: number;
}

export const SOURCES: Record<string, string> = {
  Z23: "Zanussi, iaa_crypto cover letter v2, lkml 2023-03-28 (SPR, 4 KiB page)",
  G24: "Glover, by_n RFC, 2024-05-01 (SPR 2.5 GHz, one 64 KiB job)",
  Q51: "intel/qpl issue #51 (per-engine compress throughput)",
};

const page = (syncMode: string | undefined, compressor: string, c: number, d: number): PublishedFigure[] => [
  { source: "Z23", what: "4 KiB page", compressor, syncMode, bytes: 4096, op: "compress", unit: "ns", value: c },
  { source: "Z23", what: "4 KiB page", compressor, syncMode, bytes: 4096, op: "decompress", unit: "ns", value: d },
];
const job = (compressor: string, c: number, d: number): PublishedFigure[] => [
  { source: "G24", what: "64 KiB job", compressor, syncMode: compressor === "deflate-iaa" ? "sync" : undefined, bytes: 65536, op: "compress", unit: "ns", value: c },
  { source: "G24", what: "64 KiB job", compressor, syncMode: compressor === "deflate-iaa" ? "sync" : undefined, bytes: 65536, op: "decompress", unit: "ns", value: d },
];

export const PUBLISHED: readonly PublishedFigure[] = [
  ...page("sync", "deflate-iaa", 3177, 2235),
  ...page("async_irq", "deflate-iaa", 6847, 5840),
  ...page(undefined, "deflate-generic", 108978, 14485),
  ...job("deflate-iaa", 34493, 20038),
  ...job("lz4", 139190, 33687),
  ...job("lzo-rle", 138235, 61055),
  ...job("zstd", 251820, 90878),
  { source: "Q51", what: "one engine", compressor: "deflate-iaa", bytes: 65536, op: "compress", unit: "GB/s", value: 1.9 },
];

/**
 * The figures that apply to a configuration: same compressor, size, and (for
 * deflate-iaa) sync mode with verify off, as the publications measured.
 * The codec workload's GB/s figure applies at depth 1 (one engine busy).
 */
export function publishedFor(c: { compressor: string; sync_mode: string; verify: number; bytes: number; depth?: number }): PublishedFigure[] {
  return PUBLISHED.filter((f) => {
    if (f.compressor !== c.compressor || f.bytes !== c.bytes) return false;
    if (c.compressor !== "deflate-iaa") return true;
    if (c.verify !== 0) return false;
    if (f.unit === "GB/s") return (c.depth ?? 1) === 1;
    return f.syncMode === c.sync_mode;
  });
}
