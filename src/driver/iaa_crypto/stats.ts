/**
 * iaa_crypto statistics (CONFIG_CRYPTO_DEV_IAA_CRYPTO_STATS) and the text of
 * its debugfs files `global_stats` and `wq_stats`.
 *
 * linux: drivers/crypto/intel/iaa/iaa_crypto_stats.c (v6.10+ layout: a
 * `global_stats` file, and `wq_stats` holding only the per-device blocks).
 * With the option off every update is a no-op and there are no files.
 */
import { Errno } from "../../lib/errno.js";

/** The four counters each device and each WQ keeps. */
export interface IaaCounters {
  comp_calls: number;
  comp_bytes: number;
  decomp_calls: number;
  decomp_bytes: number;
}

/** A zeroed counter set. */
export function newCounters(): IaaCounters {
  return { comp_calls: 0, comp_bytes: 0, decomp_calls: 0, decomp_bytes: 0 };
}

/** What `wq_stats` prints for one bound WQ. */
export interface StatsWq {
  /** wq->name */
  readonly name: string;
  readonly stats: IaaCounters;
}

/** What `wq_stats` prints for one device of the `iaa_devices` list. */
export interface StatsDevice {
  /** idxd->id */
  readonly id: number;
  readonly stats: IaaCounters;
  /** Bound WQs in bind order (n_wqs is their count). */
  readonly wqs: readonly StatsWq[];
}

/**
 * The global counters plus the update functions the driver calls.
 *
 * @example
 * const s = new IaaStats(true);
 * s.updateTotalCompCalls();
 * s.globalStatsShow().split("\n")[1]; // "  total_comp_calls: 1"
 */
export class IaaStats {
  /** Calls submitted to the hardware (counted after a successful submit). */
  total_comp_calls = 0;
  total_decomp_calls = 0;
  /** Decompressions redone in software after an analytics error. */
  total_sw_decomp_calls = 0;
  /** Sum of compressed output lengths. */
  total_comp_bytes_out = 0;
  /** Sum of compressed input lengths of decompressions (also after a software fallback). */
  total_decomp_bytes_in = 0;
  /** Completions with a status check_completion() maps to -EINVAL. */
  total_completion_einval_errors = 0;
  /** Completions with status 0x24 (watchdog). */
  total_completion_timeout_errors = 0;
  /** Compressions whose output did not fit (0x0a/0x19, -E2BIG). */
  total_completion_comp_buf_overflow_errors = 0;

  /** @param enabled CONFIG_CRYPTO_DEV_IAA_CRYPTO_STATS */
  constructor(readonly enabled: boolean) {}

  updateTotalCompCalls(): void {
    if (this.enabled) this.total_comp_calls++;
  }
  updateTotalCompBytesOut(n: number): void {
    if (this.enabled) this.total_comp_bytes_out += n;
  }
  updateTotalDecompCalls(): void {
    if (this.enabled) this.total_decomp_calls++;
  }
  updateTotalSwDecompCalls(): void {
    if (this.enabled) this.total_sw_decomp_calls++;
  }
  updateTotalDecompBytesIn(n: number): void {
    if (this.enabled) this.total_decomp_bytes_in += n;
  }
  updateCompletionEinvalErrs(): void {
    if (this.enabled) this.total_completion_einval_errors++;
  }
  updateCompletionTimeoutErrs(): void {
    if (this.enabled) this.total_completion_timeout_errors++;
  }
  updateCompletionCompBufOverflowErrs(): void {
    if (this.enabled) this.total_completion_comp_buf_overflow_errors++;
  }
  /** update_wq_comp_calls(): the WQ's and its device's counters move together. */
  updateWqCompCalls(wq: IaaCounters, dev: IaaCounters): void {
    if (!this.enabled) return;
    wq.comp_calls++;
    dev.comp_calls++;
  }
  updateWqCompBytes(wq: IaaCounters, dev: IaaCounters, n: number): void {
    if (!this.enabled) return;
    wq.comp_bytes += n;
    dev.comp_bytes += n;
  }
  updateWqDecompCalls(wq: IaaCounters, dev: IaaCounters): void {
    if (!this.enabled) return;
    wq.decomp_calls++;
    dev.decomp_calls++;
  }
  updateWqDecompBytes(wq: IaaCounters, dev: IaaCounters, n: number): void {
    if (!this.enabled) return;
    wq.decomp_bytes += n;
    dev.decomp_bytes += n;
  }

  /** iaa_crypto_stats_reset(): zeroes the globals, then every listed device and WQ. */
  reset(devices: readonly StatsDevice[]): void {
    this.total_comp_calls = 0;
    this.total_decomp_calls = 0;
    this.total_sw_decomp_calls = 0;
    this.total_comp_bytes_out = 0;
    this.total_decomp_bytes_in = 0;
    this.total_completion_einval_errors = 0;
    this.total_completion_timeout_errors = 0;
    this.total_completion_comp_buf_overflow_errors = 0;
    for (const d of devices) {
      zero(d.stats);
      for (const w of d.wqs) zero(w.stats);
    }
  }

  /** The text of `global_stats` (ends with a blank line). */
  // linux: drivers/crypto/intel/iaa/iaa_crypto_stats.c global_stats_show()
  globalStatsShow(): string {
    return (
      "global stats:\n" +
      `  total_comp_calls: ${this.total_comp_calls}\n` +
      `  total_decomp_calls: ${this.total_decomp_calls}\n` +
      `  total_sw_decomp_calls: ${this.total_sw_decomp_calls}\n` +
      `  total_comp_bytes_out: ${this.total_comp_bytes_out}\n` +
      `  total_decomp_bytes_in: ${this.total_decomp_bytes_in}\n` +
      `  total_completion_einval_errors: ${this.total_completion_einval_errors}\n` +
      `  total_completion_timeout_errors: ${this.total_completion_timeout_errors}\n` +
      `  total_completion_comp_buf_overflow_errors: ${this.total_completion_comp_buf_overflow_errors}\n\n`
    );
  }
}

/** The text of `wq_stats`: one block per device in list order, each WQ followed by a blank line. */
// linux: drivers/crypto/intel/iaa/iaa_crypto_stats.c device_stats_show(), wq_show()
export function wqStatsShow(devices: readonly StatsDevice[]): string {
  let out = "";
  for (const d of devices) {
    out +=
      "iaa device:\n" +
      `  id: ${d.id}\n` +
      `  n_wqs: ${d.wqs.length}\n` +
      `  comp_calls: ${d.stats.comp_calls}\n` +
      `  comp_bytes: ${d.stats.comp_bytes}\n` +
      `  decomp_calls: ${d.stats.decomp_calls}\n` +
      `  decomp_bytes: ${d.stats.decomp_bytes}\n` +
      "  wqs:\n";
    for (const w of d.wqs) {
      out +=
        `    name: ${w.name}\n` +
        `    comp_calls: ${w.stats.comp_calls}\n` +
        `    comp_bytes: ${w.stats.comp_bytes}\n` +
        `    decomp_calls: ${w.stats.decomp_calls}\n` +
        `    decomp_bytes: ${w.stats.decomp_bytes}\n\n`;
    }
  }
  return out;
}

/**
 * Parses a `stats_reset` write as the debugfs attribute does (kstrtoull,
 * base auto-detected, one trailing newline allowed): 0 or -EINVAL.
 */
export function parseStatsReset(buf: string): number {
  const s = buf.endsWith("\n") ? buf.slice(0, -1) : buf;
  if (/^\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(s)) return 0;
  return -Errno.EINVAL;
}

function zero(c: IaaCounters): void {
  c.comp_calls = 0;
  c.comp_bytes = 0;
  c.decomp_calls = 0;
  c.decomp_bytes = 0;
}
