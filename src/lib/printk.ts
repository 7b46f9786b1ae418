/**
 * The kernel log (printk ring buffer) read by `dmesg`, with virtual timestamps.
 *
 * linux: kernel/printk/printk.c. Lines are stored with their log level and the
 * virtual time they were emitted; `dmesg` formats them as `[%5lu.%06lu] text`.
 */
import type { VirtualClock } from "./clock.js";

export enum LogLevel {
  EMERG = 0,
  ALERT = 1,
  CRIT = 2,
  ERR = 3,
  WARNING = 4,
  NOTICE = 5,
  INFO = 6,
  DEBUG = 7,
}

export interface LogRecord {
  /** Virtual time in ns since boot. */
  ts: number;
  level: LogLevel;
  /** Sequence number, increasing from 0 since boot. */
  seq: number;
  text: string;
}

/** Formats a timestamp the way dmesg does: `[  404.202972]`. */
export function formatTimestamp(ts: number): string {
  const usec = Math.floor(ts / 1000);
  const sec = Math.floor(usec / 1_000_000);
  const frac = String(usec % 1_000_000).padStart(6, "0");
  return `[${String(sec).padStart(5, " ")}.${frac}]`;
}

/**
 * The printk ring buffer. Oldest records are dropped beyond `capacity`.
 *
 * @example
 * const log = new Printk(clock);
 * log.printk(LogLevel.INFO, "iaa_crypto: iaa_crypto_enable: iaa_crypto now ENABLED");
 * log.format(); // ["[    0.000000] iaa_crypto: iaa_crypto_enable: iaa_crypto now ENABLED"]
 */
export class Printk {
  records: LogRecord[] = [];
  nextSeq = 0;
  /** Listeners called for every new record (e.g. a live `dmesg -w`). */
  private listeners: ((r: LogRecord) => void)[] = [];

  constructor(
    private readonly clock: VirtualClock,
    readonly capacity = 1 << 17,
  ) {}

  /** Appends a line (a trailing newline is dropped; embedded newlines split records). */
  printk(level: LogLevel, text: string): void {
    const body = text.endsWith("\n") ? text.slice(0, -1) : text;
    for (const line of body.split("\n")) {
      const rec: LogRecord = { ts: this.clock.now, level, seq: this.nextSeq++, text: line };
      this.records.push(rec);
      for (const l of this.listeners) l(rec);
    }
    if (this.records.length > this.capacity) {
      this.records.splice(0, this.records.length - this.capacity);
    }
  }

  /** Lines as `dmesg` prints them. */
  format(): string[] {
    return this.records.map((r) => `${formatTimestamp(r.ts)} ${r.text}`);
  }

  /** `dmesg -c` / `dmesg -C`: empties the buffer. */
  clear(): void {
    this.records = [];
  }

  onRecord(fn: (r: LogRecord) => void): () => void {
    this.listeners.push(fn);
    return () => {
      this.listeners = this.listeners.filter((f) => f !== fn);
    };
  }

  saveState(): { records: LogRecord[]; nextSeq: number } {
    return { records: this.records, nextSeq: this.nextSeq };
  }

  loadState(s: { records: LogRecord[]; nextSeq: number }): void {
    this.records = s.records;
    this.nextSeq = s.nextSeq;
  }
}
