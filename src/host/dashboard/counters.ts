/**
 * One sample of the counters a user would watch, read from their files:
 * iaa_crypto's debugfs statistics (global_stats, wq_stats), zswap's debugfs
 * counters and /proc/vmstat's swap lines, stamped with both clocks.
 */
import type { Vfs } from "../../kernfs/vfs.js";
import { parseColonNumbers, readText } from "./read_files.js";

/** iaa_crypto's debugfs directory (the documentation's name; "iaa_crypto" is the same files). */
export const IAA_DEBUGFS = "/sys/kernel/debug/iaa-crypto";
export const ZSWAP_DEBUGFS = "/sys/kernel/debug/zswap";
/** zswap debugfs files, as mm/zswap.c zswap_debugfs_init() names them. */
export const ZSWAP_COUNTERS = [
  "pool_limit_hit",
  "reject_reclaim_fail",
  "reject_alloc_fail",
  "reject_kmemcache_fail",
  "reject_compress_fail",
  "reject_compress_poor",
  "written_back_pages",
  "pool_total_size",
  "stored_pages",
] as const;
export const VMSTAT_COUNTERS = ["zswpin", "zswpout", "zswpwb", "pswpin", "pswpout"] as const;

export interface Sample {
  /** Increasing from 0 for each sample taken. */
  seq: number;
  /** Virtual time of the machine, ns since boot. */
  virtualNs: number;
  /** Host wall clock, ms since the epoch. */
  wallMs: number;
  /** global_stats (absent while iaa_crypto is not loaded). */
  iaa: Record<string, number> | null;
  /** Per WQ from wq_stats, keyed "iax<id>/<index>" in the file's order. */
  wqs: Record<string, Record<string, number>>;
  /** zswap debugfs (absent until zswap creates it). */
  zswap: Record<string, number> | null;
  vmstat: Record<string, number>;
}

/** wq_stats → "iax1/0" → {comp_calls, comp_bytes, decomp_calls, decomp_bytes}. */
export function parseWqStats(text: string): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  let dev = -1;
  let k = -1;
  let inWqs = false;
  for (const line of text.split("\n")) {
    let m: RegExpExecArray | null;
    if (/^iaa device:/.test(line)) {
      dev = -1;
      k = -1;
      inWqs = false;
    } else if ((m = /^ {2}id:\s*(\d+)/.exec(line)) !== null) dev = Number(m[1]);
    else if (/^ {2}wqs:/.test(line)) inWqs = true;
    else if (inWqs && /^ {4}name:/.test(line)) {
      k += 1;
      out[`iax${dev}/${k}`] = {};
    } else if (inWqs && k >= 0 && (m = /^ {4}(\w+):\s*(\d+)/.exec(line)) !== null) out[`iax${dev}/${k}`]![m[1]!] = Number(m[2]);
  }
  return out;
}

/** Reads every counter now. */
export function readCounters(vfs: Vfs, seq: number, virtualNs: number, wallMs: number): Sample {
  const g = readText(vfs, `${IAA_DEBUGFS}/global_stats`);
  const w = readText(vfs, `${IAA_DEBUGFS}/wq_stats`);
  let zswap: Record<string, number> | null = null;
  for (const f of ZSWAP_COUNTERS) {
    const t = readText(vfs, `${ZSWAP_DEBUGFS}/${f}`);
    if (t === null) continue;
    zswap ??= {};
    zswap[f] = Number(t.trim());
  }
  const vm: Record<string, number> = {};
  const text = readText(vfs, "/proc/vmstat") ?? "";
  for (const line of text.split("\n")) {
    const [k, v] = line.split(" ");
    if ((VMSTAT_COUNTERS as readonly string[]).includes(k ?? "")) vm[k!] = Number(v);
  }
  return { seq, virtualNs, wallMs, iaa: g === null ? null : parseColonNumbers(g), wqs: w === null ? {} : parseWqStats(w), zswap, vmstat: vm };
}
