/**
 * CPU cost of the software compressors, for the virtual clock. The figures
 * and their sources live in the timing model (src/lib/timing.ts
 * SOFTWARE_COST); the crypto API charges them around each call.
 */
import { SOFTWARE_COST } from "../lib/timing.js";

/** Which direction a cost is asked for. */
export type CompOp = "compress" | "decompress";

/**
 * Nanoseconds of CPU time for one call of `alg` (a cra_name) on `inBytes`
 * bytes of input producing `outBytes`. Unknown names cost nothing.
 */
export function softwareCostNs(alg: string, op: CompOp, inBytes: number, outBytes: number): number {
  const row = SOFTWARE_COST[alg];
  if (row === undefined) return 0;
  // Decompression speed is quoted per output byte.
  const bytes = op === "compress" ? inBytes : outBytes;
  const perByte = op === "compress" ? row.compNsPerByte : row.decompNsPerByte;
  return Math.round(row.callNs + perByte * Math.max(0, bytes));
}
