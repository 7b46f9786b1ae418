/**
 * The IAA compressor: LZ77 over a 4096-byte history with lengths 3..258,
 * symbols coded with the literal/length and distance tables the AECS holds
 * (`(len << 15) | code`, MSB-first code values), after the bits preloaded in
 * the output accumulator. Never emits stored blocks; output that does not fit
 * `maxDstSize` is analytics error 0x19, as on the hardware.
 */
import { DeflateFault, FAULT_IAA_ERROR, faultStatus } from "./constants.js";
import { crc32Update } from "./crc32.js";
import type { IaaResult } from "./result.js";
import { D_SYMBOLS, DIST_BASE, DIST_EXTRA, EOB, FIXED_D_SYM, FIXED_LL_SYM, LENGTH_BASE, LENGTH_EXTRA, LL_SYMBOLS } from "./tables.js";

/** Options of {@link deflateIaa}; every field optional. */
export interface DeflateIaaOptions {
  /** Literal/length table, 286 AECS entries. Default: the fixed code. */
  llSym?: Uint32Array;
  /** Distance table, 30 AECS entries. Default: the fixed code. */
  dSym?: Uint32Array;
  /** Output accumulator bytes (LSB-first bits emitted before the first symbol). Default with default tables: `[0x03]`. */
  outputAccum?: Uint8Array;
  /** Valid bits in `outputAccum` (≤ 2048). Default: 3 with the default tables (BFINAL=1, BTYPE=01), else 0. */
  numOutputAccumBits?: number;
  /** Append end-of-block (compression flags END_PROC=1). Default true. */
  appendEob?: boolean;
  /** Flush the bit accumulator to a byte boundary (FLUSH_OUTPUT). Default true. */
  flush?: boolean;
  /** Output capacity in bytes. Default (and upper bound): `output.length`. */
  maxDstSize?: number;
  /** CRC seed (the AECS `crc` field). Default 0. */
  crcSeed?: number;
  /** Longest match emitted, 4..258. Default 258. */
  maxMatch?: number;
  /** Matches up to this length have every inner position entered in the hash table. Default 16. */
  maxInsert?: number;
  /**
   * Candidates tried per hash bucket: 1 (the newest position) or 2 (also the
   * one before it, the longer match wins: about 1% fewer bytes, a quarter
   * slower). Default 1.
   */
  matchCandidates?: 1 | 2;
  /** Hash table size as a power of two, 8..15 buckets' bits. Default 14; the hardware matcher's is 12. */
  hashBits?: number;
}

/**
 * The matcher settings of the IAA hardware's fixed mode: matches of at most
 * 32 bytes, every position hashed. With them a 4096-byte page of `*` comes out
 * at 228 bytes, the size the documentation's dmesg trace shows for
 * memory_madvise's pages (`desc->src1_size 228`); the engine model uses them.
 */
export const IAA_HW_MATCHER: Readonly<Pick<DeflateIaaOptions, "maxMatch" | "maxInsert" | "matchCandidates" | "hashBits">> = {
  maxMatch: 32,
  maxInsert: 32,
  matchCandidates: 1,
  hashBits: 12,
};

/** History window of the hardware compressor. */
export const IAA_WINDOW = 4096;
const MIN_MATCH = 4;
const MAX_MATCH = 258;
/** Default hash table bits: 16384 buckets for a 4096-byte window keep most of the newest positions apart. */
const HASH_BITS = 14;
const MAX_HASH_BITS = 15;
const MIN_HASH_BITS = 8;
const HASH_MUL = 0x1e35a7bd;
/** After this many literals in a row, every other position is coded without a lookup. */
const SKIP_AFTER = 64;
/** Matches up to this length have their inner positions entered in the hash table. */
const MAX_INSERT = 16;

/* ------------------------------------------------------------------ */
/* Coding tables derived from the AECS tables, cached by content        */
/* ------------------------------------------------------------------ */

/** Literal byte → reversed code | bit count << 16 (0 = no code). */
const litTab = new Int32Array(256);
/** Match length 3..258 → reversed length code with extra bits | total bits << 24 (0 = no code). */
const lenTab = new Int32Array(MAX_MATCH + 1);
/** Distance 1..4096 → reversed distance code with extra bits | total bits << 25 (0 = no code). */
const distTab = new Int32Array(IAA_WINDOW + 1);
let eobCode = 0;
let eobBits = 0;
const cachedLl = new Uint32Array(LL_SYMBOLS);
const cachedD = new Uint32Array(D_SYMBOLS);
let cacheValid = false;

function reverseBits(code: number, len: number): number {
  let r = 0;
  for (let i = 0; i < len; i++) {
    r = (r << 1) | (code & 1);
    code >>>= 1;
  }
  return r;
}

function sameTables(ll: Uint32Array, d: Uint32Array): boolean {
  if (!cacheValid) return false;
  for (let i = 0; i < LL_SYMBOLS; i++) if (ll[i] !== cachedLl[i]) return false;
  for (let i = 0; i < D_SYMBOLS; i++) if (d[i] !== cachedD[i]) return false;
  return true;
}

/** True while the coding tables hold the fixed code from the module's private copy. */
let cacheIsDefault = false;
const PRIVATE_FIXED_LL = FIXED_LL_SYM.slice();
const PRIVATE_FIXED_D = FIXED_D_SYM.slice();

function loadDefaultTables(): void {
  if (cacheIsDefault) return;
  loadTables(PRIVATE_FIXED_LL, PRIVATE_FIXED_D);
  cacheIsDefault = true;
}

function loadTables(ll: Uint32Array, d: Uint32Array): void {
  if (sameTables(ll, d)) return;
  cacheIsDefault = false;
  cachedLl.set(ll);
  cachedD.set(d);
  for (let s = 0; s < 256; s++) {
    const len = (ll[s] >>> 15) & 0xf;
    litTab[s] = len === 0 ? 0 : reverseBits(ll[s] & 0x7fff, len) | (len << 16);
  }
  const eLen = (ll[EOB] >>> 15) & 0xf;
  eobBits = eLen;
  eobCode = eLen === 0 ? 0 : reverseBits(ll[EOB] & 0x7fff, eLen);
  let sym = 0;
  for (let l = 3; l <= MAX_MATCH; l++) {
    while (sym < 28 && l >= LENGTH_BASE[sym + 1]) sym++;
    const e = ll[257 + sym];
    const len = (e >>> 15) & 0xf;
    const extra = LENGTH_EXTRA[sym];
    lenTab[l] = len === 0 ? 0 : (reverseBits(e & 0x7fff, len) | ((l - LENGTH_BASE[sym]) << len)) | ((len + extra) << 24);
  }
  sym = 0;
  for (let dist = 1; dist <= IAA_WINDOW; dist++) {
    while (sym < 29 && dist >= DIST_BASE[sym + 1]) sym++;
    const e = d[sym];
    const len = (e >>> 15) & 0xf;
    const extra = DIST_EXTRA[sym];
    distTab[dist] = len === 0 ? 0 : (reverseBits(e & 0x7fff, len) | ((dist - DIST_BASE[sym]) << len)) | ((len + extra) << 25);
  }
  cacheValid = true;
}

/* ------------------------------------------------------------------ */
/* Reused state                                                         */
/* ------------------------------------------------------------------ */

/**
 * Hash bucket `h` → at `2h` the newest position + `gen` (positions of earlier
 * jobs are always more than a window away), at `2h + 1` the 4 bytes found
 * there (a match check without re-reading the input). Two-candidate jobs use
 * 4 words a bucket, `4h + 2` and `4h + 3` holding the position before it.
 * Either way positions sit at even words and bytes at odd ones, so a job only
 * ever reads a position as a position, and those of earlier jobs are more
 * than a window away.
 */
const head = new Int32Array(4 << MAX_HASH_BITS);
let gen = IAA_WINDOW + 1;
/** Output is built here and copied out once it is known to fit. */
let scratch = new Uint8Array(8192);

const DEFAULT_ACCUM = Uint8Array.of(0x03);

/** A DataView of the last input buffer seen, for word-wide match extension without a new view per job. */
let viewBuffer: ArrayBufferLike | null = null;
let viewCached: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

function viewOf(buffer: ArrayBufferLike): DataView<ArrayBufferLike> {
  if (buffer !== viewBuffer) {
    viewCached = new DataView(buffer);
    viewBuffer = buffer;
  }
  return viewCached;
}

function result(fault: number, outputSize: number, crc: number, outputBits: number, consumed: number): IaaResult {
  return { status: faultStatus(fault), errorCode: FAULT_IAA_ERROR[fault], outputSize, crc, outputBits, bytesConsumed: consumed, fault };
}

/** `o`, `acc`, `cnt` and the input position where {@link lz77} stopped. */
const coreState = new Int32Array(4);

/**
 * The LZ77 coder proper: codes `src` after `o` output bytes and `cnt` bits in
 * `acc`, until the end, a fault or `limit`. Returns the fault (0 for none) and
 * leaves its state in `coreState`. It takes only numbers and typed arrays, so
 * callers with differently shaped option objects give V8 one stable signature
 * to compile (an options object read here cost a deopt that V8 did not
 * recover from: a quarter of the speed, once two option shapes were seen).
 */
function lz77(
  src: Uint8Array,
  out: Uint8Array,
  o: number,
  acc: number,
  cnt: number,
  limit: number,
  maxMatch: number,
  maxInsert: number,
  two: boolean,
  hashShift: number,
): number {
  const n = src.length;
  // Keep every position value below 2^30 (a small integer for V8): restart the
  // numbering, and forget the table, before it would pass that.
  if (gen + n + IAA_WINDOW + 1 > 0x3fffffff) {
    head.fill(0);
    gen = IAA_WINDOW + 1;
  }
  const g = gen;
  gen += n + IAA_WINDOW + 1;

  const hd = head;
  // Buckets of one candidate take 2 words (position, bytes), of two 4.
  const stride = two ? 2 : 1;
  const lt = litTab;
  const lnt = lenTab;
  const dst = distTab;
  let fault: number = DeflateFault.NONE;
  let p = 0;
  const hashEnd = n - MIN_MATCH;

  // Module constants copied to locals: ES module bindings cost a check on every access.
  const hashMul = HASH_MUL;
  const window = IAA_WINDOW;
  const minMatch = MIN_MATCH;
  // Position 0 is never entered in the hash table (zlib treats it as "no
  // match" too), which keeps short inputs such as the kernel's testmgr vector
  // byte-identical to zlib's fixed-mode output.
  if (n > minMatch) {
    const e = lt[src[0]];
    if (e === 0) fault = DeflateFault.INVALID_HUFFCODE;
    acc |= (e & 0xffff) << cnt;
    cnt += e >>> 16;
    while (cnt >= 8) {
      out[o++] = acc;
      acc >>>= 8;
      cnt -= 8;
    }
    p = 1;
  }
  let v = p <= hashEnd ? src[p] | (src[p + 1] << 8) | (src[p + 2] << 16) | (src[p + 3] << 24) : 0;
  const view = viewOf(src.buffer);
  const base = src.byteOffset;
  let misses = 0;
  const skipAfter = SKIP_AFTER;
  main: while (p <= hashEnd && fault === 0) {
    if (o > limit) break;
    const h = (Math.imul(v, hashMul) >>> hashShift) << stride;
    const here = p + g;
    let dist = here - hd[h];
    let same = hd[h + 1] === v;
    let dist2 = 0;
    if (two) {
      dist2 = here - hd[h + 2];
      if (hd[h + 3] !== v || dist2 > window) dist2 = 0;
      if (dist > window || !same) {
        // Only the older candidate matches its 4 bytes.
        dist = dist2;
        same = dist2 !== 0;
        dist2 = 0;
      }
      hd[h + 2] = hd[h];
      hd[h + 3] = hd[h + 1];
    }
    hd[h] = here;
    hd[h + 1] = v;
    if (dist > window || !same) {
      // Literal.
      const e = lt[v & 0xff];
      if (e === 0) {
        fault = DeflateFault.INVALID_HUFFCODE;
        break main;
      }
      acc |= (e & 0xffff) << cnt;
      cnt += e >>> 16;
      if (cnt >= 16) {
        out[o] = acc;
        out[o + 1] = acc >>> 8;
        o += 2;
        acc >>>= 16;
        cnt -= 16;
      }
      p++;
      if (++misses < skipAfter || p > hashEnd - 1) {
        v = p <= hashEnd ? (v >>> 8) | (src[p + 3] << 24) : 0;
        continue;
      }
      // A long run without matches (incompressible data): code the next byte
      // as a literal without looking it up, as fast LZ77 coders do.
      const e2 = lt[src[p]];
      if (e2 === 0) {
        fault = DeflateFault.INVALID_HUFFCODE;
        break main;
      }
      acc |= (e2 & 0xffff) << cnt;
      cnt += e2 >>> 16;
      if (cnt >= 16) {
        out[o] = acc;
        out[o + 1] = acc >>> 8;
        o += 2;
        acc >>>= 16;
        cnt -= 16;
      }
      p++;
      v = view.getInt32(base + p, true);
      continue;
    }
    misses = 0;
    // Match of at least 4 bytes at `dist`.
    const c = p - dist;
    const maxLen = n - p < maxMatch ? n - p : maxMatch;
    let len = minMatch;
    // Four bytes at a time while a whole word fits, then byte by byte.
    // The first differing byte of a word is found from its XOR's lowest set bit.
    const wordEnd = maxLen - 4;
    let differs = false;
    while (len <= wordEnd) {
      const x = view.getInt32(base + c + len, true) ^ view.getInt32(base + p + len, true);
      if (x !== 0) {
        len += (31 - Math.clz32(x & -x)) >>> 3;
        differs = true;
        break;
      }
      len += 4;
    }
    if (!differs) while (len < maxLen && src[c + len] === src[p + len]) len++;
    if (dist2 !== 0 && len < maxLen) {
      // The older candidate, when it goes on past the newer one's end.
      const c2 = p - dist2;
      if (src[c2 + len] === src[p + len]) {
        let len2 = 4;
        while (len2 < maxLen && src[c2 + len2] === src[p + len2]) len2++;
        if (len2 > len) {
          len = len2;
          dist = dist2;
        }
      }
    }
    const le = lnt[len];
    const de = dst[dist];
    if (le === 0 || de === 0) {
      fault = DeflateFault.INVALID_HUFFCODE;
      break main;
    }
    // Whole bytes out without a loop: bytes stored, the whole ones counted
    // (a byte past them is rewritten by the next store or the final partial
    // byte; scratch has room for it). Fewer than 16 bits are pending here.
    let k = cnt >>> 3;
    out[o] = acc;
    o += k;
    acc >>>= k << 3;
    cnt &= 7;
    acc |= (le & 0xffffff) << cnt;
    cnt += le >>> 24;
    k = cnt >>> 3; // at most 31 bits pending: k ≤ 3
    out[o] = acc;
    out[o + 1] = acc >>> 8;
    out[o + 2] = acc >>> 16;
    o += k;
    acc >>>= k << 3;
    cnt &= 7;
    acc |= (de & 0x1ffffff) << cnt;
    cnt += de >>> 25;
    k = cnt >>> 3;
    out[o] = acc;
    out[o + 1] = acc >>> 8;
    out[o + 2] = acc >>> 16;
    if (k > 3) {
      // All 32 bits full (a 25-bit distance entry of a custom table).
      out[o + 3] = acc >>> 24;
      o += 4;
      acc = 0;
    } else {
      o += k;
      acc >>>= k << 3;
    }
    cnt &= 7;
    const end = p + len;
    if (len <= maxInsert) {
      const stop = end <= hashEnd ? end : hashEnd + 1;
      // Where the 4 bytes repeat (a run), the bucket is the one just written: only its position moves.
      let w = v;
      let hq = h;
      for (let q = p + 1; q < stop; q++) {
        const nw = (w >>> 8) | (src[q + 3] << 24);
        if (nw !== w) {
          w = nw;
          hq = (Math.imul(w, hashMul) >>> hashShift) << stride;
          hd[hq + 1] = w;
        }
        hd[hq] = q + g;
      }
    }
    p = end;
    if (p <= hashEnd) v = view.getInt32(base + p, true);
  }
  // The last few bytes (too short to hash) are literals.
  if (fault === DeflateFault.NONE && o <= limit) {
    while (p < n) {
      const e = lt[src[p]];
      if (e === 0) {
        fault = DeflateFault.INVALID_HUFFCODE;
        break;
      }
      acc |= (e & 0xffff) << cnt;
      cnt += e >>> 16;
      while (cnt >= 8) {
        out[o++] = acc;
        acc >>>= 8;
        cnt -= 8;
      }
      p++;
    }
  }
  coreState[0] = o;
  coreState[1] = acc;
  coreState[2] = cnt;
  coreState[3] = p;
  return fault;
}

/**
 * Compresses `input` into `output` as the IAA compress opcode (0x43) does with
 * an AECS (default: the kernel's fixed mode, giving one final fixed-Huffman block).
 *
 * Returns the completion record's view: status 0x01 with the output size, or
 * status 0x0a with error 0x19 when the output would exceed `maxDstSize` (a
 * failed job writes nothing to `output`), or error 30 when a needed symbol has no code.
 *
 * @example
 * ```ts
 * import { deflateIaa } from "iaa-emu/deflate";
 * const page = new Uint8Array(4096).fill(42);
 * const out = new Uint8Array(4096);
 * const r = deflateIaa(page, out);
 * // r.status === 1, out.subarray(0, r.outputSize) is raw DEFLATE
 * ```
 */
export function deflateIaa(input: Uint8Array, output: Uint8Array, options: DeflateIaaOptions = {}): IaaResult {
  const custom = options.llSym !== undefined || options.dSym !== undefined;
  const ll = options.llSym ?? FIXED_LL_SYM;
  const dt = options.dSym ?? FIXED_D_SYM;
  const accum = options.outputAccum ?? DEFAULT_ACCUM;
  const accumBits =
    options.numOutputAccumBits ?? (options.outputAccum !== undefined ? options.outputAccum.length * 8 : custom ? 0 : 3);
  const appendEob = options.appendEob ?? true;
  const flush = options.flush ?? true;
  const maxDst = Math.max(0, Math.min(options.maxDstSize ?? output.length, output.length));
  const n = input.length;
  const crc = crc32Update(options.crcSeed ?? 0, input, 0, n);

  if (ll.length < LL_SYMBOLS || dt.length < D_SYMBOLS || accumBits < 0 || accumBits > 2048 || accum.length * 8 < accumBits) {
    return result(DeflateFault.BAD_ACCUM, 0, crc, 0, 0);
  }
  if (custom) loadTables(ll, dt);
  else loadDefaultTables();

  // Room for the limit plus what can be written before a check sees it: the
  // preloaded accumulator (≤ 256 bytes) and one token (≤ 8 bytes).
  if (scratch.length < maxDst + 320) scratch = new Uint8Array(Math.max(maxDst + 320, scratch.length * 2));
  const out = scratch;
  const limit = maxDst;

  // Preloaded accumulator: whole bytes straight out, the rest into the bit buffer.
  let o = 0;
  const whole = accumBits >>> 3;
  for (let i = 0; i < whole; i++) out[o++] = accum[i];
  let acc = 0;
  let cnt = accumBits & 7;
  if (cnt > 0) acc = accum[whole] & ((1 << cnt) - 1);

  const hashShift = 32 - Math.max(MIN_HASH_BITS, Math.min(MAX_HASH_BITS, (options.hashBits ?? HASH_BITS) | 0));
  // small integers for the coder (Infinity is the longest, NaN the shortest)
  const mm = options.maxMatch ?? MAX_MATCH;
  const maxMatch = mm >= MAX_MATCH ? MAX_MATCH : mm > MIN_MATCH ? mm | 0 : MIN_MATCH;
  const mi = options.maxInsert ?? MAX_INSERT;
  const maxInsert = mi >= MAX_MATCH ? MAX_MATCH : mi > 0 ? mi | 0 : 0;
  let fault = lz77(input, out, o, acc, cnt, limit, maxMatch, maxInsert, options.matchCandidates === 2, hashShift);
  o = coreState[0];
  acc = coreState[1];
  cnt = coreState[2];
  const p = coreState[3];
  if (fault === DeflateFault.NONE && appendEob) {
    if (eobBits === 0) fault = DeflateFault.INVALID_HUFFCODE;
    else {
      acc |= eobCode << cnt;
      cnt += eobBits;
      while (cnt >= 8) {
        out[o++] = acc;
        acc >>>= 8;
        cnt -= 8;
      }
    }
  }
  if (fault !== DeflateFault.NONE) return result(fault, 0, crc, 0, p);
  let outputBits = 0;
  let total = o;
  if (cnt > 0) {
    out[o] = acc & ((1 << cnt) - 1);
    outputBits = cnt;
    if (flush) total = o + 1;
  }
  const needed = cnt > 0 ? o + 1 : o;
  if (needed > limit) return result(DeflateFault.COMPRESS_OVERFLOW, 0, crc, 0, p);
  output.set(out.subarray(0, needed), 0);
  return result(DeflateFault.NONE, total, crc, outputBits, n);
}

/**
 * Type feedback for every path a job ends on, before V8 compiles the
 * compressor: a page that compresses (matches, literals, the unhashed tail,
 * end-of-block) and one that does not fit. Without it the first long job can
 * get on-stack-replacement code compiled before the code after the main loop
 * ever ran; that code then bails out at the end of every later job (seen as
 * thousands of "insufficient type feedback" deopts and a third of the speed
 * lost, in some processes and not others). Jobs share no matches across calls,
 * so these change no later output.
 */
{
  const page = new Uint8Array(256);
  for (let i = 0; i < page.length; i++) page[i] = i < 128 ? i & 7 : (i * 151) & 0xff;
  deflateIaa(page, new Uint8Array(512));
  deflateIaa(page, new Uint8Array(512), { ...IAA_HW_MATCHER });
  deflateIaa(page, new Uint8Array(512), { matchCandidates: 2 });
  deflateIaa(page, new Uint8Array(16));
}
