/**
 * How iaa_crypto prints: pr_*() lines with the module prefix, dev_*() lines
 * with the PCI device prefix (`idxd 0000:e7:02.0: `), debug lines only when
 * dynamic debug enables their call site, %p as a hashed pointer, and
 * print_hex_dump().
 *
 * The debug lines carry their function name (`iaa_compress: desc->...`) as
 * the documentation's dmesg samples show them.
 */
import type { DynamicDebug } from "../../lib/dyndbg.js";
import { LogLevel, type Printk } from "../../lib/printk.js";
import { IAA_CRYPTO_MODULE } from "./iaa_crypto.js";

/** The prefix of pr_*() lines (pr_fmt). */
export const PR_PREFIX = `${IAA_CRYPTO_MODULE}: `;

/** Print helpers bound to the kernel log and dynamic debug. */
export class IaaLog {
  constructor(
    private readonly log: Printk,
    private readonly dyndbg: DynamicDebug,
    /** Key mixed into %p hashes (the kernel's boot-time siphash key). */
    private readonly ptrKey = 0x5eed1aa,
  ) {}

  /** Whether the debug call sites of `func` print. */
  dbgOn(func: string): boolean {
    return this.dyndbg.enabled(IAA_CRYPTO_MODULE, func);
  }

  /** dev_dbg(dev, "%s: ...", __func__) */
  devDbg(dev: string, func: string, text: string): void {
    if (this.dbgOn(func)) this.log.printk(LogLevel.DEBUG, `${dev}: ${func}: ${text}`);
  }

  /** pr_debug("%s: ...", __func__) */
  prDebug(func: string, text: string): void {
    if (this.dbgOn(func)) this.log.printk(LogLevel.DEBUG, `${PR_PREFIX}${func}: ${text}`);
  }

  devErr(dev: string, text: string): void {
    this.log.printk(LogLevel.ERR, `${dev}: ${text}`);
  }

  prInfo(text: string): void {
    this.log.printk(LogLevel.INFO, PR_PREFIX + text);
  }

  prWarn(text: string): void {
    this.log.printk(LogLevel.WARNING, PR_PREFIX + text);
  }

  prErr(text: string): void {
    this.log.printk(LogLevel.ERR, PR_PREFIX + text);
  }

  /** print_hex_dump(KERN_INFO, prefix, DUMP_PREFIX_OFFSET, 8, 1, buf, len, false) */
  hexDump(prefix: string, buf: Uint8Array): void {
    this.log.printk(LogLevel.INFO, hexDumpLines(prefix, buf).join("\n"));
  }

  /** %p: the hashed pointer value, 16 hex digits. */
  ptr(value: number): string {
    return hashPointer(value, this.ptrKey);
  }
}

/** Lines of print_hex_dump() with DUMP_PREFIX_OFFSET, 8 bytes per row, groups of 1, no ASCII. */
export function hexDumpLines(prefix: string, buf: Uint8Array): string[] {
  const out: string[] = [];
  for (let off = 0; off < buf.length; off += 8) {
    const row: string[] = [];
    for (let i = off; i < Math.min(off + 8, buf.length); i++) row.push(buf[i]!.toString(16).padStart(2, "0"));
    out.push(`${prefix}${off.toString(16).padStart(8, "0")}: ${row.join(" ")}`);
  }
  return out;
}

/**
 * The kernel prints %p as a keyed hash of the pointer, 32 bits wide and
 * zero-padded to 16 digits on 64-bit ("00000000ee7cb5e6"). Deterministic here.
 */
export function hashPointer(value: number, key: number): string {
  let h = (key ^ (value >>> 0)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h ^= Math.floor(value / 0x1_0000_0000) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return h.toString(16).padStart(16, "0");
}

/** %llx */
export function hex(v: number): string {
  return v.toString(16);
}
