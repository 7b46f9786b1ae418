/**
 * The timing model: every virtual-time cost of the emulated compression stack
 * in one place, with the published figure each one is fitted to.
 *
 * Sources (shared/spec/iaa-hardware.md, "Performance anchors table"):
 * - [Z23] 4 KiB page, SPR, kernel iaa_crypto, sync (busy-poll): compress
 *   3,177 ns, decompress 2,235 ns; async_irq: 6,847 / 5,840 ns; kernel
 *   software deflate 108,978 / 14,485 ns (Zanussi cover letter v2, lkml
 *   2023-03-28).
 * - [G24] one 64 KiB job: compress 34,493 ns (≈ 1.9 GB/s), decompress
 *   20,038 ns (≈ 3.3 GB/s); 64 KiB lz4 / lzo-rle / zstd compress 139,190 /
 *   138,235 / 251,820 ns and decompress 33,687 / 61,055 / 90,878 ns (Glover
 *   by_n RFC, 2024-05-01, SPR 2.5 GHz).
 * - [Q51] ≈ 1.9 GB/s compress per engine, 2 compress engines per device
 *   (intel/qpl issue #51).
 *
 * Where a cost is charged:
 * - CPU side of a submission (MOVDIR64B to a dedicated WQ, ENQCMDS to a shared
 *   one): src/hw/idxd_hw.ts portalWrite().
 * - WQ and group queueing: src/hw/idxd_hw.ts dispatch() (a descriptor waits
 *   while every engine of its group is busy; compress only on the first
 *   `compressEngines` engines of a device when the group has one).
 * - Engine service time, by bytes and operation: src/hw/iaa_ops.ts (compress
 *   by input bytes, decompress by bytes decoded — also for the verify pass,
 *   which decodes with output suppressed).
 * - Completion record write, interrupt delivery: src/hw/idxd_hw.ts; the irq
 *   thread wake-up: src/driver/idxd/init.ts; sync busy-polling: the CPU spins
 *   in src/driver/iaa_crypto/check_completion.ts until the record is written.
 * - Software compressors (and the deflate-generic fallback): their CPU time
 *   ({@link SOFTWARE_COST}) is charged by the crypto API around each call
 *   (src/crypto/api.ts).
 * - zswap's own work per page (entry, zpool allocation and copy, tree):
 *   src/zswap/zswap.ts.
 *
 * Budget for a 4 KiB page (sync, verify off): submit 100 + setup 850 + 4096 B
 * / 1.9 B/ns (2,156) + completion write 100 = 3,206 ns compress (+0.9 % of
 * [Z23]); decompress 100 + 800 + 4096 B / 3.3 B/ns (1,241) + 100 = 2,241 ns
 * (+0.3 %). async_irq adds interrupt delivery + thread wake-up (1,500 +
 * 2,100): 6,806 / 5,841 ns (−0.6 % / 0.0 %). Verify adds one decompress of
 * the page (≈ 2,241 ns). One 64 KiB job: 850 + 65,536 / 1.9 + 200 = 35,543 ns
 * compress (+3.0 % of [G24]), 800 + 65,536 / 3.3 + 200 = 20,859 ns decompress
 * (+4.1 %). The split between setup, delivery and wake-up is an estimate:
 * only the sums are published.
 *
 * @example
 * import { TIMING } from "./timing.js";
 * const ns = TIMING.engineSetupCompressNs + 4096 / TIMING.compressBytesPerNs;
 */
export const TIMING = {
  /** CPU cost of a MOVDIR64B to a dedicated-WQ portal, until the device holds the descriptor. */
  movdir64bNs: 100,
  /** ENQCMDS (non-posted: waits for the accept/retry answer). */
  enqcmdsNs: 150,
  /** Engine fetch of descriptor, AECS read and pipeline setup, compress. */
  engineSetupCompressNs: 850,
  /** The same for decompress. */
  engineSetupDecompressNs: 800,
  /** Setup of ops that move no data (noop, drain) and of rejected descriptors. */
  engineSetupOtherNs: 200,
  /** Compress throughput of one engine, bytes of input per ns (1.9 GB/s). */
  compressBytesPerNs: 1.9,
  /** Decompress throughput of one engine, bytes decoded per ns (3.3 GB/s). */
  decompressBytesPerNs: 3.3,
  /** Writing the 64-byte completion record. */
  completionWriteNs: 100,
  /** From completion to the MSI-X interrupt reaching the CPU. */
  irqDeliveryNs: 1_500,
  /** From the hard irq to the idxd irq thread running the completion. */
  irqWakeupNs: 2_100,
  /** One iteration of a completion busy-poll loop (cpu_relax). */
  pollNs: 20,
  /**
   * zswap_store()'s own work besides compression: entry allocation, zpool
   * malloc and the copy of the compressed bytes, xarray insert, LRU add.
   * An estimate (not published): a few hundred ns on SPR.
   */
  zswapStoreNs: 400,
  /** zswap_load()'s own work besides decompression: lookup, zpool map, entry free. */
  zswapLoadNs: 250,
  /**
   * Writing one page to the swap device (a page zswap did not take, or wrote
   * back): the CPU's part, swap_writepage() to submit_bio(); the write itself
   * completes asynchronously. An estimate (not in the fact sheets).
   */
  swapWriteNs: 4_000,
  /**
   * Reading one page from the swap device on a fault: a synchronous 4 KiB
   * random read, about what a data-centre NVMe drive takes. An estimate (not
   * in the fact sheets); it is what zswap saves on every page it holds.
   */
  swapReadNs: 80_000,
} as const;

export type Timing = typeof TIMING;

/** CPU cost of one call of a software compressor: a fixed part plus ns per byte. */
export interface SoftwareCostRow {
  /** Per call (setup, scratch buffers). */
  callNs: number;
  /** Compress, ns per input byte. */
  compNsPerByte: number;
  /** Decompress, ns per output byte. */
  decompNsPerByte: number;
}

/**
 * Software compressors' CPU time on one 2.5 GHz SPR core, by cra_name.
 *
 * - deflate (kernel zlib, crypto/deflate.c): fitted to [Z23]'s 4 KiB page:
 *   1,000 + 4,096 × 26.36 = 108,971 ns compress, 1,000 + 4,096 × 3.292 =
 *   14,484 ns decompress.
 * - lzo-rle, lz4, zstd: fitted to [G24]'s 64 KiB figures (e.g. lz4 300 +
 *   65,536 × 2.12 = 139,236 ns compress). lzo is taken equal to lzo-rle.
 * - The 300 / 1,000 ns per call are estimates (not published).
 */
export const SOFTWARE_COST: Readonly<Record<string, SoftwareCostRow>> = {
  deflate: { callNs: 1_000, compNsPerByte: 26.36, decompNsPerByte: 3.292 },
  lzo: { callNs: 300, compNsPerByte: 2.105, decompNsPerByte: 0.927 },
  "lzo-rle": { callNs: 300, compNsPerByte: 2.105, decompNsPerByte: 0.927 },
  lz4: { callNs: 300, compNsPerByte: 2.12, decompNsPerByte: 0.51 },
  zstd: { callNs: 1_000, compNsPerByte: 3.827, decompNsPerByte: 1.371 },
};
