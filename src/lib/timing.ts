/**
 * The timing model: every virtual-time cost of the IAA path in one place.
 *
 * Sources (shared/spec/iaa-hardware.md, "Performance anchors"):
 * - 4 KiB page, SPR, kernel iaa_crypto, sync (busy-poll): compress 3,177 ns,
 *   decompress 2,235 ns; async_irq: 6,847 / 5,840 ns (Zanussi, lkml 2023-03-28).
 * - one 64 KiB job: compress ≈ 1.9 GB/s, decompress ≈ 3.3 GB/s (Glover by_n
 *   RFC, 2024-05-01); ≈ 1.9 GB/s per compress engine (intel/qpl issue #51).
 *
 * Budget for a 4 KiB page (sync): submit 100 + setup 850 + 4096 B / 1.9 B/ns
 * (2,156) + completion write 100 ≈ 3,206 ns compress; decompress: 100 + 800 +
 * 4096 B out / 3.3 B/ns (1,241) + 100 ≈ 2,241 ns. async_irq adds interrupt
 * delivery + thread wake-up (1,500 + 2,100) ≈ 6.8 / 5.8 µs. The split between
 * setup, delivery and wake-up is an estimate; a later calibration may move it.
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
  /** Decompress throughput of one engine, bytes of output per ns (3.3 GB/s). */
  decompressBytesPerNs: 3.3,
  /** Writing the 64-byte completion record. */
  completionWriteNs: 100,
  /** From completion to the MSI-X interrupt reaching the CPU. */
  irqDeliveryNs: 1_500,
  /** From the hard irq to the idxd irq thread running the completion. */
  irqWakeupNs: 2_100,
  /** One iteration of a completion busy-poll loop (cpu_relax). */
  pollNs: 20,
} as const;

export type Timing = typeof TIMING;
