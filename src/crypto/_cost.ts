/**
 * CPU cost of the software compressors, for the virtual clock.
 *
 * A fixed per-call overhead plus nanoseconds per input byte. lzo-rle, lz4 and
 * zstd come from the 64 KiB zram figures on a 2.5 GHz Sapphire Rapids core in
 * shared/spec/kernel-iaa-crypto.md §10 (e.g. lzo-rle 138,235 ns to compress
 * 65,536 bytes); lzo is taken equal to lzo-rle; deflate (zlib level 6,
 * windowBits 11) is an estimate of zlib's usual speed on such a core. A later
 * calibration may replace this table (src/lib/timing.ts).
 */

/** Which direction a cost is asked for. */
export type CompOp = "compress" | "decompress";

interface CostRow {
  callNs: number;
  compNsPerByte: number;
  decompNsPerByte: number;
}

const COST: Record<string, CostRow> = {
  deflate: { callNs: 1_000, compNsPerByte: 20, decompNsPerByte: 3.3 },
  lzo: { callNs: 300, compNsPerByte: 2.11, decompNsPerByte: 0.93 },
  "lzo-rle": { callNs: 300, compNsPerByte: 2.11, decompNsPerByte: 0.93 },
  lz4: { callNs: 300, compNsPerByte: 2.12, decompNsPerByte: 0.51 },
  zstd: { callNs: 1_000, compNsPerByte: 3.84, decompNsPerByte: 1.39 },
};

/**
 * Nanoseconds of CPU time for one call of `alg` (a cra_name) on `inBytes`
 * bytes of input. Unknown names cost nothing.
 */
export function softwareCostNs(alg: string, op: CompOp, inBytes: number, outBytes: number): number {
  const row = COST[alg];
  if (row === undefined) return 0;
  // Decompression speed is quoted per output byte.
  const bytes = op === "compress" ? inBytes : outBytes;
  const perByte = op === "compress" ? row.compNsPerByte : row.decompNsPerByte;
  return Math.round(row.callNs + perByte * bytes);
}
