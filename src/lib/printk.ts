/**
 * The kernel log (printk ring buffer) read by `dmesg`, with virtual timestamps.
 *
 * linux: kernel/printk/printk.c, printk_ringbuffer.c. The ring has the
 * kernel's size: 2^CONFIG_LOG_BUF_SHIFT bytes of text data, grown at boot for
 * many CPUs (log_buf_add_cpu()) or set by `log_buf_len=`, and
 * 2^(shift - PRB_AVGBITS) record descriptors. A record's text takes its
 * length plus the block's id (an unsigned long), rounded up to 8 bytes; a
 * block never wraps (one that would cross the end of the ring starts at the
 * beginning of the next wrap, and the tail of the ring is lost). A new record
 * pushes out the oldest ones whose data it overwrites, or whose descriptor it
 * reuses — so the log keeps what a real machine's `dmesg` would show, and its
 * memory does not grow with the number of messages.
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

/** CONFIG_LOG_BUF_SHIFT as Ubuntu's and most distributions' x86-64 kernels set it (256 KiB). */
export const LOG_BUF_SHIFT = 18;
/** CONFIG_LOG_CPU_MAX_BUF_SHIFT (the kernel's default, 4 KiB per CPU). */
export const LOG_CPU_MAX_BUF_SHIFT = 12;
/** PRB_AVGBITS: the ring has one descriptor per 32 bytes of data. */
const PRB_AVGBITS = 5;
/** sizeof(struct prb_data_block.id): each data block starts with its descriptor id. */
const BLK_ID_BYTES = 8;
/** LOG_BUF_LEN_MAX */
const LOG_BUF_LEN_MAX = 2 ** 31;

function roundupPowOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * The size of the log buffer the kernel ends up with (setup_log_buf()):
 * `log_buf_len=` (rounded up to a power of two) if it is larger than the
 * static buffer, else the static buffer grown by (CPUs - 1) × 2^cpuShift when
 * that is more than half of it.
 *
 * @example
 * logBufLen(18, 12, 160); // 1048576 (2 × 40 cores × 2 threads)
 * logBufLen(18, 12, 8);   // 262144
 */
export function logBufLen(shift: number, cpuShift: number, nrCpus: number, cmdlineLen?: number): number {
  const base = 2 ** shift;
  if (cmdlineLen !== undefined && cmdlineLen > 0) {
    const want = roundupPowOfTwo(Math.min(cmdlineLen, LOG_BUF_LEN_MAX));
    return want > base ? want : base;
  }
  if (nrCpus <= 1) return base;
  const extra = (nrCpus - 1) * 2 ** cpuShift;
  if (extra <= base / 2) return base;
  return roundupPowOfTwo(extra + base);
}

/** memparse() for `log_buf_len=`: a number with an optional K/M/G suffix; NaN if bad. */
export function memparse(s: string): number {
  const m = /^(0x[0-9a-f]+|0[0-7]*|[1-9][0-9]*)([kmgtpe]?)$/i.exec(s.trim());
  if (m === null) return NaN;
  const n = Number(m[1]!.startsWith("0") && !/^0x/i.test(m[1]!) && m[1]!.length > 1 ? parseInt(m[1]!, 8) : m[1]);
  const shift = " kmgtpe".indexOf((m[2] ?? "").toLowerCase() || " ") * 10;
  return n * 2 ** shift;
}

/** Formats a timestamp the way dmesg does: `[  404.202972]`. */
export function formatTimestamp(ts: number): string {
  const usec = Math.floor(ts / 1000);
  const sec = Math.floor(usec / 1_000_000);
  const frac = String(usec % 1_000_000).padStart(6, "0");
  return `[${String(sec).padStart(5, " ")}.${frac}]`;
}

/** Bytes a record's text takes in the data ring (to_blk_size()). */
export function blockSize(text: string): number {
  if (text.length === 0) return 0;
  let bytes = text.length;
  // non-ASCII text takes its UTF-8 length
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) {
      bytes = Buffer.byteLength(text, "utf8");
      break;
    }
  }
  return (bytes + BLK_ID_BYTES + 7) & ~7;
}

/**
 * The printk ring buffer.
 *
 * @example
 * const log = new Printk(clock);
 * log.printk(LogLevel.INFO, "iaa_crypto: iaa_crypto_enable: iaa_crypto now ENABLED");
 * log.format(); // ["[    0.000000] iaa_crypto: iaa_crypto_enable: iaa_crypto now ENABLED"]
 */
export class Printk {
  /** Readable records from index `start` on (dropped ones are compacted away when read). */
  private ring: LogRecord[] = [];
  private start = 0;
  /** Data-ring position of each readable record's block (parallel to `ring`). */
  private begins: number[] = [];
  nextSeq = 0;
  /** Logical position (lpos) where the next data block goes. */
  private headLpos = 0;
  /** Blocks that begin before this position have been overwritten. */
  private minBegin = -1;
  /** Number of descriptors (records the ring can hold at most). */
  readonly descs: number;
  /** Listeners called for every new record (e.g. a live `dmesg -w`). */
  private listeners: ((r: LogRecord) => void)[] = [];
  /** Bumped by every change to the readable records (so an unchanged ring is saved once). */
  private generation = 0;
  /** The last {@link saveRing} result and the generation it was taken at. */
  private savedRing: { gen: number; ring: PrintkRing } | null = null;

  /** `bufLen`: the data ring's size in bytes (a power of two, see {@link logBufLen}). */
  constructor(
    private readonly clock: VirtualClock,
    readonly bufLen = 2 ** LOG_BUF_SHIFT,
  ) {
    this.descs = Math.max(1, Math.floor(bufLen / 2 ** PRB_AVGBITS));
  }

  /** The readable records, oldest first. */
  get records(): LogRecord[] {
    if (this.start > 0) {
      this.ring.splice(0, this.start);
      this.begins.splice(0, this.start);
      this.start = 0;
    }
    return this.ring;
  }

  /** Appends a line (a trailing newline is dropped; embedded newlines split records). */
  printk(level: LogLevel, text: string): void {
    const body = text.endsWith("\n") ? text.slice(0, -1) : text;
    if (!body.includes("\n")) {
      this.store(level, body);
      return;
    }
    for (const line of body.split("\n")) this.store(level, line);
  }

  private store(level: LogLevel, line: string): void {
    const size = blockSize(line);
    let begin = this.headLpos;
    if (size > 0) {
      // get_next_lpos(): a block that would cross into the next wrap starts at that wrap's beginning
      let next = begin + size;
      if (Math.floor(begin / this.bufLen) !== Math.floor(next / this.bufLen)) {
        begin = Math.floor(next / this.bufLen) * this.bufLen;
        next = begin + size;
      }
      if (size > this.bufLen) return; // too large to store at all (prb_reserve() fails)
      this.headLpos = next;
      this.minBegin = next - this.bufLen;
    }
    const rec: LogRecord = { ts: this.clock.now, level, seq: this.nextSeq++, text: line };
    this.ring.push(rec);
    this.generation++;
    this.begins.push(begin);
    this.dropOverwritten();
    for (const l of this.listeners) l(rec);
  }

  /** data_push_tail() / desc_push_tail(): the oldest records whose space the newest took. */
  private dropOverwritten(): void {
    const oldestSeq = this.nextSeq - this.descs;
    while (this.start < this.ring.length && (this.begins[this.start]! < this.minBegin || this.ring[this.start]!.seq < oldestSeq)) this.start++;
    if (this.start > 4096 && this.start * 2 > this.ring.length) void this.records;
  }

  /** Lines as `dmesg` prints them. */
  format(): string[] {
    return this.records.map((r) => `${formatTimestamp(r.ts)} ${r.text}`);
  }

  /** `dmesg -c` / `dmesg -C`: empties the buffer (the ring's space stays taken, as clear_seq works). */
  clear(): void {
    this.ring = [];
    this.begins = [];
    this.start = 0;
    this.generation++;
  }

  onRecord(fn: (r: LogRecord) => void): () => void {
    this.listeners.push(fn);
    return () => {
      this.listeners = this.listeners.filter((f) => f !== fn);
    };
  }

  /**
   * The ring in typed arrays (see {@link PrintkRing}): a copy, the ring goes
   * on unchanged. While no record is added or cleared it is the same object
   * (callers must not modify it), so an unchanged ring costs nothing to save.
   */
  saveRing(): PrintkRing {
    if (this.savedRing !== null && this.savedRing.gen === this.generation) return this.savedRing.ring;
    const ring = this.copyRing();
    this.savedRing = { gen: this.generation, ring };
    return ring;
  }

  private copyRing(): PrintkRing {
    const recs = this.records;
    const n = recs.length;
    const lens = new Uint32Array(n);
    const ts = new Float64Array(n);
    const level = new Uint8Array(n);
    const seq = new Float64Array(n);
    const texts: string[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const r = recs[i]!;
      lens[i] = r.text.length;
      texts[i] = r.text;
      ts[i] = r.ts;
      level[i] = r.level;
      seq[i] = r.seq;
    }
    const all = texts.join("");
    const wide = /[^\x00-\xff]/.test(all);
    const text = new Uint8Array(Buffer.from(all, wide ? "utf16le" : "latin1"));
    return { wide, text, lens, ts, level, seq, begins: Float64Array.from(this.begins), nextSeq: this.nextSeq, headLpos: this.headLpos, minBegin: this.minBegin };
  }

  /** Restores {@link saveRing} output; throws on arrays that do not fit together. */
  loadRing(s: PrintkRing): void {
    const n = s.lens.length;
    if (s.ts.length !== n || s.level.length !== n || s.seq.length !== n || s.begins.length !== n) throw new Error("printk ring: arrays of different lengths");
    const all = Buffer.from(s.text.buffer, s.text.byteOffset, s.text.byteLength).toString(s.wide ? "utf16le" : "latin1");
    const ring: LogRecord[] = new Array(n);
    let o = 0;
    for (let i = 0; i < n; i++) {
      const len = s.lens[i]!;
      ring[i] = { ts: s.ts[i]!, level: s.level[i]! as LogLevel, seq: s.seq[i]!, text: all.slice(o, o + len) };
      o += len;
    }
    if (o !== all.length) throw new Error("printk ring: text and record lengths differ");
    this.ring = ring;
    this.generation++;
    this.savedRing = null;
    this.begins = Array.from(s.begins);
    this.start = 0;
    this.nextSeq = s.nextSeq;
    this.headLpos = s.headLpos;
    this.minBegin = s.minBegin;
  }
}

/**
 * The ring as a snapshot keeps it: the records' texts one after another in
 * one byte buffer (a byte per character, or UTF-16 code units when a text
 * has characters above U+00FF, so any string comes back identical), and
 * their lengths (in characters), timestamps, levels, sequence numbers and
 * data-ring positions in typed arrays, instead of one object per record.
 */
export interface PrintkRing {
  wide: boolean;
  text: Uint8Array;
  lens: Uint32Array;
  ts: Float64Array;
  level: Uint8Array;
  seq: Float64Array;
  begins: Float64Array;
  nextSeq: number;
  headLpos: number;
  minBegin: number;
}
