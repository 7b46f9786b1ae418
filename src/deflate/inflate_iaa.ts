/**
 * The IAA decompressor: all of RFC 1951 (stored, fixed and dynamic blocks),
 * output bounded by `maxDstSize`, a 4 KiB ("hw") or 32 KiB ("sw") history,
 * and a suppress-output mode that decodes and checksums without writing.
 *
 * The bit buffer holds at most 31 bits, so it stays a non-negative int32 and
 * plain `>>` shifts serve. While input remains, it is refilled without a
 * branch, libdeflate style: the next 4 bytes are ORed in above the valid bits
 * and only the whole bytes that fitted are counted (bits above the count are
 * already the right input bits, so a later refill ORs the same values in).
 * Lengths and distances decode with their extra bits from one table lookup.
 * Match copies move two 32-bit words per step through a DataView and may
 * write up to 7 bytes past the match (never past `maxDstSize`): the bytes of
 * `output` after `outputSize` are unspecified, as on the hardware.
 *
 * Symbols are decoded by a fast loop while 12 input and 280 output bytes
 * remain (no per-symbol bounds tests, two literals per refill, a joint length and
 * distance table for fixed blocks), by the general step otherwise.
 *
 * Failures are returned, never thrown: the loop sets a fault and leaves with
 * `break`. Truncated input is found without bounds checks in the loop: the
 * input is decoded from a copy with zero bytes after it, and a stream that
 * needed any of those bits is TRUNCATED (checked at each refill of the bit
 * buffer past the input's end, at end-of-block and on any other fault; a
 * symbol or two decoded from the padding may have been written by then, as
 * hardware output is unspecified on error).
 */
import { DeflateFault, FAULT_IAA_ERROR, faultStatus } from "./constants.js";
import { crc32Update } from "./crc32.js";
import type { IaaResult } from "./result.js";
import { DIST_BASE, DIST_EXTRA, fixedLlLengths, LENGTH_BASE, LENGTH_EXTRA } from "./tables.js";

/** Options of {@link inflateIaa}; every field optional. */
export interface InflateIaaOptions {
  /** Output capacity in bytes. Default (and upper bound): `output.length`. Ignored with `suppressOutput`. */
  maxDstSize?: number;
  /** History window: "hw" = 4 KiB as the IAA hardware (farther distances are error 17), "sw" = 32 KiB. Default "hw". */
  window?: "hw" | "sw";
  /** Decode and compute the CRC but write nothing (decompress flag SUPPRESS_OUTPUT, used by verify). */
  suppressOutput?: boolean;
  /** CRC seed. Default 0. */
  crcSeed?: number;
}

/* ------------------------------------------------------------------ */
/* Decoding tables                                                      */
/* ------------------------------------------------------------------ */
// One Int32 entry per table slot, bits from the top:
//   31     LITERAL: a literal byte (the entry is negative, so one sign test finds it)
//   16..30 value: the literal byte, a length or distance base, or a subtable's offset
//   15     SPECIAL: end-of-block, link or invalid (bits 12..14 tell which)
//   8..11  code length (for a link: the subtable's index bits)
//   0..7   bits to consume: code length + extra bits of a length or distance
//          (for a link: the root bits)
// A length or distance entry thus decodes its extra bits from the same
// lookahead: value + ((hold & mask(bits)) >> codeLength). The symbol loop
// writes these flags as literals (0x8000, 0x4000, 0x2000): a module constant
// there costs a context load and a check on every use.
const E_LITERAL = 1 << 31;
const E_SPECIAL = 1 << 15;
const E_EOB = 1 << 14;
const E_LINK = 1 << 13;
const E_INVALID = 1 << 12;
const INVALID_ENTRY = E_SPECIAL | E_INVALID | (1 << 8) | 1;

const KIND_CL = 0;
const KIND_LL = 1;
const KIND_D = 2;

const BUILD_OK = 0;
const BUILD_OVER = 1;
const BUILD_INCOMPLETE = 2;

const LL_ROOT = 10;
const D_ROOT = 8;
const CL_ROOT = 7;

const REV = buildReverse();
const count = new Uint16Array(16);
const offs = new Uint16Array(16);
const sorted = new Uint16Array(320);

function buildReverse(): Uint16Array {
  const r = new Uint16Array(1 << 15);
  for (let i = 0; i < 1 << 15; i++) {
    let x = i;
    let y = 0;
    for (let k = 0; k < 15; k++) {
      y = (y << 1) | (x & 1);
      x >>>= 1;
    }
    r[i] = y;
  }
  return r;
}

/** The entry of symbol `sym` with a code of `len` bits (in its table level). */
function symbolEntry(kind: number, sym: number, len: number): number {
  const code = (len << 8) | len;
  if (kind === KIND_CL) return (sym << 16) | code;
  if (kind === KIND_LL) {
    if (sym < 256) return E_LITERAL | (sym << 16) | code;
    if (sym === 256) return E_SPECIAL | E_EOB | code;
    if (sym < 286) return (LENGTH_BASE[sym - 257] << 16) | (code + LENGTH_EXTRA[sym - 257]);
    return E_SPECIAL | E_INVALID | code;
  }
  if (sym < 30) return (DIST_BASE[sym] << 16) | (code + DIST_EXTRA[sym]);
  return E_SPECIAL | E_INVALID | code;
}

/**
 * Builds a two-level decoding table for `n` code lengths at `lens[off..]`.
 * Incomplete codes are accepted only as a single 1-bit code or an empty code
 * (as zlib and libdeflate do), never for the code-length code.
 */
function buildTable(lens: Uint8Array, off: number, n: number, table: Int32Array, root: number, kind: number): number {
  count.fill(0);
  for (let s = 0; s < n; s++) count[lens[off + s]]++;
  count[0] = 0;
  let max = 15;
  while (max > 0 && count[max] === 0) max--;
  const rootSize = 1 << root;
  table.fill(INVALID_ENTRY, 0, rootSize);
  if (max === 0) return kind === KIND_CL ? BUILD_INCOMPLETE : BUILD_OK;
  let left = 1;
  for (let len = 1; len <= 15; len++) {
    left = (left << 1) - count[len];
    if (left < 0) return BUILD_OVER;
  }
  if (left > 0 && (kind === KIND_CL || max !== 1)) return BUILD_INCOMPLETE;
  offs[1] = 0;
  for (let len = 1; len < 15; len++) offs[len + 1] = offs[len] + count[len];
  for (let s = 0; s < n; s++) {
    const l = lens[off + s];
    if (l !== 0) sorted[offs[l]++] = s;
  }
  const subBits = max > root ? max - root : 0;
  const subSize = 1 << subBits;
  let next = rootSize;
  let code = 0;
  let k = 0;
  for (let len = 1; len <= max; len++) {
    for (let c = count[len]; c > 0; c--) {
      const sym = sorted[k++];
      const rev = REV[code] >>> (15 - len);
      if (len <= root) {
        const e = symbolEntry(kind, sym, len);
        for (let i = rev; i < rootSize; i += 1 << len) table[i] = e;
      } else {
        const prefix = rev & (rootSize - 1);
        let link = table[prefix];
        if ((link & E_LINK) === 0) {
          table.fill(INVALID_ENTRY, next, next + subSize);
          link = (next << 16) | E_SPECIAL | E_LINK | (subBits << 8) | root;
          table[prefix] = link;
          next += subSize;
        }
        const e = symbolEntry(kind, sym, len - root);
        const at = link >>> 16;
        for (let i = rev >>> root; i < subSize; i += 1 << (len - root)) table[at + i] = e;
      }
      code++;
    }
    code <<= 1;
  }
  return BUILD_OK;
}

const FIXED_LL_TABLE = new Int32Array(1 << 9);
const FIXED_D_TABLE = new Int32Array(1 << 5);
{
  const l = fixedLlLengths();
  buildTable(l, 0, 288, FIXED_LL_TABLE, 9, KIND_LL);
  const d = new Uint8Array(32).fill(5);
  buildTable(d, 0, 32, FIXED_D_TABLE, 5, KIND_D);
}

/**
 * Fixed blocks: the 12 low bits of the bit buffer → a length 3..10 (a 7-bit
 * code without extra bits) and a distance code 0..23 (the 4 KiB window), as
 * `extra bits | length << 4 | distance base << 16`; 0 for anything else.
 */
const FIXED_LD = new Int32Array(1 << 12);
for (let i = 0; i < 1 << 12; i++) {
  const l = FIXED_LL_TABLE[i & 511];
  if (l < 0 || (l & 0x8000) !== 0 || (l & 0xff) !== 7) continue;
  const dcode = REV[(i >> 7) & 31] >>> 10;
  if (dcode > 23) continue;
  FIXED_LD[i] = DIST_EXTRA[dcode] | ((l >>> 16) << 4) | (DIST_BASE[dcode] << 16);
}

const dynLl = new Int32Array((1 << LL_ROOT) + 288 * (1 << (15 - LL_ROOT)));
const dynD = new Int32Array((1 << D_ROOT) + 32 * (1 << (15 - D_ROOT)));
const clTable = new Int32Array(1 << CL_ROOT);
const lens = new Uint8Array(320);
const clLens = new Uint8Array(19);
const CL_ORDER = Uint8Array.of(16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15);

/** History for suppress-output mode: 32 KiB kept, 64 KiB of room. */
const HIST_KEEP = 32768;
const hist = new Uint8Array(HIST_KEEP + 65536);
/** Input copied here with 16 zero bytes after it, and a DataView of it for 32-bit refills. */
let padded = new Uint8Array(8192);
let paddedView: DataView<ArrayBufferLike> = new DataView(padded.buffer);
/** A DataView of the last output buffer seen (match copies move 32-bit words through it). */
let outBuffer: ArrayBufferLike = hist.buffer;
let outView: DataView<ArrayBufferLike> = new DataView(outBuffer);

function result(fault: number, outputSize: number, crc: number, consumed: number): IaaResult {
  return { status: faultStatus(fault), errorCode: FAULT_IAA_ERROR[fault], outputSize, crc, outputBits: 0, bytesConsumed: consumed, fault };
}

/**
 * Decompresses the raw DEFLATE stream `input` into `output` as the IAA
 * decompress opcode (0x42) does with flags ENABLE|FLUSH|STOP/CHECK_EOB:
 * decoding stops at the final block's end-of-block; input that ends before it
 * is error 15 (BAD_EOF).
 *
 * Returns status 0x01 with the output size and the output's CRC-32; 0x0b when
 * the output exceeds `maxDstSize` (what fitted is written); or 0x0a with the
 * analytics error code (`fault` tells the precise kind). Bytes of `output`
 * between `outputSize` and `maxDstSize` may be overwritten.
 *
 * @example
 * ```ts
 * import { deflateIaa, inflateIaa } from "iaa-emu/deflate";
 * const data = new TextEncoder().encode("hello hello hello");
 * const z = new Uint8Array(64);
 * const c = deflateIaa(data, z);
 * const back = new Uint8Array(64);
 * const r = inflateIaa(z.subarray(0, c.outputSize), back, { window: "hw" });
 * // r.status === 1 && r.outputSize === data.length && r.crc === c.crc
 * ```
 */
export function inflateIaa(input: Uint8Array, output: Uint8Array, options: InflateIaaOptions = {}): IaaResult {
  const suppress = options.suppressOutput === true;
  const window = options.window === "sw" ? 32768 : 4096;
  const out = suppress ? hist : output;
  const outEnd = suppress ? hist.length : Math.max(0, Math.min(options.maxDstSize ?? output.length, output.length));
  // Decode from a zero-padded copy: refills need no bounds test (a copy costs
  // far less than a test per byte; truncation is found from `ip` afterwards).
  const inLen = input.length;
  if (padded.length < inLen + 16) {
    padded = new Uint8Array(Math.max(inLen + 16, padded.length * 2));
    paddedView = new DataView(padded.buffer);
  }
  const src = padded;
  const dvIn = paddedView;
  src.set(input);
  src.fill(0, inLen, inLen + 16);
  let crc = options.crcSeed ?? 0;
  if (out.buffer !== outBuffer) {
    outBuffer = out.buffer;
    outView = new DataView(outBuffer);
  }
  const dvOut = outView;
  const base = out.byteOffset;

  let ip = 0;
  let hold = 0;
  let bits = 0;
  let o = 0;
  /** Index in `out` of the stream's first byte (negative once suppress mode has slid its history). */
  let outStart = 0;
  /** Start of the bytes not yet folded into the CRC (suppress mode). */
  let crcFrom = 0;
  let fault: number = DeflateFault.NONE;
  let last = 0;

  blocks: while (last === 0) {
    // Block header: BFINAL, BTYPE.
    while (bits < 3) {
      hold |= src[ip] << bits;
      ip++;
      bits += 8;
    }
    if (ip > inLen && (ip - inLen) * 8 > bits - 3) {
      fault = DeflateFault.TRUNCATED;
      break;
    }
    last = hold & 1;
    const type = (hold >> 1) & 3;
    hold >>= 3;
    bits -= 3;

    let ll: Int32Array;
    let dd: Int32Array;
    let llMask: number;
    let dMask: number;
    let llRoot: number;
    let dRoot: number;
    if (type === 0) {
      // Stored: drop to a byte boundary and give back whole bytes still in the bit buffer.
      ip -= bits >>> 3;
      hold = 0;
      bits = 0;
      if (ip + 4 > inLen) {
        fault = DeflateFault.TRUNCATED;
        break;
      }
      const len = src[ip] | (src[ip + 1] << 8);
      const nlen = src[ip + 2] | (src[ip + 3] << 8);
      if (len !== (~nlen & 0xffff)) {
        fault = DeflateFault.INVALID_STORED_LEN;
        break;
      }
      ip += 4;
      let remaining = len;
      while (remaining > 0) {
        if (ip >= inLen) {
          fault = DeflateFault.TRUNCATED;
          break blocks;
        }
        let room = outEnd - o;
        if (room === 0) {
          if (!suppress) {
            fault = DeflateFault.OUTPUT_OVERFLOW;
            break blocks;
          }
          crc = crc32Update(crc, out, crcFrom, o);
          out.copyWithin(0, o - HIST_KEEP, o);
          outStart -= o - HIST_KEEP;
          o = HIST_KEEP;
          crcFrom = o;
          room = outEnd - o;
        }
        let n = remaining < room ? remaining : room;
        if (n > inLen - ip) n = inLen - ip;
        out.set(src.subarray(ip, ip + n), o);
        o += n;
        ip += n;
        remaining -= n;
      }
      continue;
    } else if (type === 1) {
      ll = FIXED_LL_TABLE;
      dd = FIXED_D_TABLE;
      llRoot = 9;
      dRoot = 5;
    } else if (type === 2) {
      // Dynamic: HLIT, HDIST, HCLEN, the code-length code, then the code lengths.
      while (bits < 14) {
        hold |= src[ip] << bits;
        ip++;
        bits += 8;
      }
      const nlen = 257 + (hold & 31);
      const ndist = 1 + ((hold >> 5) & 31);
      const ncode = 4 + ((hold >> 10) & 15);
      hold >>= 14;
      bits -= 14;
      if (ip > inLen && (ip - inLen) * 8 > bits) {
        fault = DeflateFault.TRUNCATED;
        break;
      }
      if (nlen > 286) {
        fault = DeflateFault.TOO_MANY_LL_CODES;
        break;
      }
      if (ndist > 30) {
        fault = DeflateFault.TOO_MANY_D_CODES;
        break;
      }
      clLens.fill(0);
      for (let i = 0; i < ncode; i++) {
        if (bits < 3) {
          hold |= src[ip] << bits;
          ip++;
          bits += 8;
        }
        clLens[CL_ORDER[i]] = hold & 7;
        hold >>= 3;
        bits -= 3;
      }
      if (ip > inLen && (ip - inLen) * 8 > bits) {
        fault = DeflateFault.TRUNCATED;
        break;
      }
      const clr = buildTable(clLens, 0, 19, clTable, CL_ROOT, KIND_CL);
      if (clr !== BUILD_OK) {
        fault = clr === BUILD_OVER ? DeflateFault.CL_OVERSUBSCRIBED : DeflateFault.CL_INCOMPLETE;
        break;
      }
      const total = nlen + ndist;
      let i = 0;
      while (i < total) {
        while (bits < 14) {
          hold |= src[ip] << bits;
          ip++;
          bits += 8;
        }
        const e = clTable[hold & 127];
        if (e & E_SPECIAL) {
          fault = DeflateFault.CL_UNDEFINED_CODE;
          break blocks;
        }
        const eb = e & 0xff;
        hold >>= eb;
        bits -= eb;
        const sym = e >> 16;
        if (sym < 16) {
          lens[i++] = sym;
        } else {
          let rep: number;
          let val = 0;
          if (sym === 16) {
            if (i === 0) {
              fault = DeflateFault.REPEAT_WITHOUT_PREVIOUS;
              break blocks;
            }
            val = lens[i - 1];
            rep = 3 + (hold & 3);
            hold >>= 2;
            bits -= 2;
          } else if (sym === 17) {
            rep = 3 + (hold & 7);
            hold >>= 3;
            bits -= 3;
          } else {
            rep = 11 + (hold & 127);
            hold >>= 7;
            bits -= 7;
          }
          if (i + rep > total) {
            fault = DeflateFault.REPEAT_TOO_LONG;
            break blocks;
          }
          lens.fill(val, i, i + rep);
          i += rep;
        }
        if (ip > inLen && (ip - inLen) * 8 > bits) {
          fault = DeflateFault.TRUNCATED;
          break blocks;
        }
      }
      if (lens[256] === 0) {
        fault = DeflateFault.MISSING_EOB;
        break;
      }
      const lr = buildTable(lens, 0, nlen, dynLl, LL_ROOT, KIND_LL);
      if (lr !== BUILD_OK) {
        fault = lr === BUILD_OVER ? DeflateFault.LL_OVERSUBSCRIBED : DeflateFault.LL_INCOMPLETE;
        break;
      }
      const dr = buildTable(lens, nlen, ndist, dynD, D_ROOT, KIND_D);
      if (dr !== BUILD_OK) {
        fault = dr === BUILD_OVER ? DeflateFault.D_OVERSUBSCRIBED : DeflateFault.D_INCOMPLETE;
        break;
      }
      ll = dynLl;
      dd = dynD;
      llRoot = LL_ROOT;
      dRoot = D_ROOT;
    } else {
      fault = DeflateFault.INVALID_BLOCK_TYPE;
      break;
    }
    llMask = (1 << llRoot) - 1;
    dMask = (1 << dRoot) - 1;

    // Huffman-coded symbols until end-of-block. Overrunning the input is
    // checked when the bit buffer is refilled past the input's end (and at
    // end-of-block and on any fault), not per symbol: the zero padding keeps
    // the reads in bounds (a symbol begun before the end reads at most 9 bytes past it).
    // After a refill at least 24 bits are buffered (16 past the input's end):
    // enough for any root entry with its extra bits (root ≤ 10 bits + 5
    // length extra bits; a distance of the 4 KiB window: 5 + 10 or 8 + 7
    // bits); longer distance codes take the two-step path.
    // Fast loop, as zlib's and pako's inffast: while at least 12 input bytes
    // and 280 bytes of output room remain, a whole symbol (up to a literal
    // pair, or a length, a distance and a 258-byte copy with its 8-byte
    // overshoot) needs no bounds or truncation test: one test per group. A
    // subtable entry, end-of-block or an invalid code leaves it, unconsumed,
    // for the general step below, which then comes back here.
    const fixed = type === 1;
    const fastIn = inLen - 12;
    const fastOut = outEnd - 280;
    symbols: for (;;) {
      fast: while (ip < fastIn && o < fastOut) {
        hold = (hold | (dvIn.getInt32(ip, true) << bits)) & 0x7fffffff;
        ip += (31 - bits) >> 3;
        bits |= 24;
        let e = ll[hold & llMask];
        if (e < 0) {
          // Two literals from one refill: a root code is at most 10 bits and 24 are
          // buffered, so the second is always whole (a third per refill measured slower).
          let n = e & 0xff;
          hold >>= n;
          bits -= n;
          out[o++] = e >> 16;
          e = ll[hold & llMask];
          if (e >= 0) continue;
          n = e & 0xff;
          hold >>= n;
          bits -= n;
          out[o++] = e >> 16;
          continue;
        }
        if (e & 0x8000) break fast;
        let len: number;
        let dist: number;
        const ldc = fixed ? FIXED_LD[hold & 0xfff] : 0;
        if (ldc !== 0) {
          // Fixed block, length 3..10 and a distance code of the 4 KiB window: both from one lookup.
          const x = ldc & 15;
          len = (ldc >> 4) & 31;
          dist = (ldc >>> 16) + ((hold >> 12) & ((1 << x) - 1));
          hold >>= 12 + x;
          bits -= 12 + x;
        } else {
        let t = e & 0xff;
        len = (e >>> 16) + ((hold & ((1 << t) - 1)) >> ((e >> 8) & 15));
        hold >>= t;
        bits -= t;
        if (bits < 16) {
          hold = (hold | (dvIn.getInt32(ip, true) << bits)) & 0x7fffffff;
          ip += (31 - bits) >> 3;
          bits |= 24;
        }
        e = dd[hold & dMask];
        t = e & 0xff;
        if ((e & 0x8000) === 0 && t <= bits) {
          dist = (e >>> 16) + ((hold & ((1 << t) - 1)) >> ((e >> 8) & 15));
          hold >>= t;
          bits -= t;
        } else {
          if (e & 0x8000) {
            if ((e & 0x2000) === 0) {
              fault = DeflateFault.INVALID_D_CODE;
              break blocks;
            }
            hold >>= t;
            bits -= t;
            e = dd[(e >>> 16) + (hold & ((1 << ((e >> 8) & 15)) - 1))];
            if (e & 0x8000) {
              fault = DeflateFault.INVALID_D_CODE;
              break blocks;
            }
            t = e & 0xff;
          }
          const c = (e >> 8) & 15;
          hold >>= c;
          bits -= c;
          const x = t - c;
          while (bits < x) {
            hold |= src[ip] << bits;
            ip++;
            bits += 8;
          }
          dist = (e >>> 16) + (hold & ((1 << x) - 1));
          hold >>= x;
          bits -= x;
        }
        }
        if (dist > o - outStart) {
          fault = DeflateFault.DIST_BEFORE_START;
          break blocks;
        }
        if (dist > window) {
          fault = DeflateFault.DIST_TOO_FAR;
          break blocks;
        }
        const end = o + len;
        const dv = dvOut;
        let q = base + o - dist;
        let w = base + o;
        const we = base + end;
        if (dist >= 8) {
          do {
            dv.setInt32(w, dv.getInt32(q, true), true);
            dv.setInt32(w + 4, dv.getInt32(q + 4, true), true);
            w += 8;
            q += 8;
          } while (w < we);
        } else {
          const from = o - dist;
          out[o] = out[from];
          out[o + 1] = out[from + 1];
          out[o + 2] = out[from + 2];
          out[o + 3] = out[from + 3];
          out[o + 4] = out[from + 4];
          out[o + 5] = out[from + 5];
          out[o + 6] = out[from + 6];
          out[o + 7] = out[from + 7];
          if (len > 8) {
            w += 8;
            q = w - (dist === 3 ? 9 : dist < 5 ? 8 : dist * 2); // the least multiple of dist ≥ 8
            do {
              dv.setInt32(w, dv.getInt32(q, true), true);
              dv.setInt32(w + 4, dv.getInt32(q + 4, true), true);
              w += 8;
              q += 8;
            } while (w < we);
          }
        }
        o = end;
      }
      if (ip < inLen) {
        // Branchless: load the next 4 bytes over the free bits, count the whole bytes that fitted.
        hold = (hold | (dvIn.getInt32(ip, true) << bits)) & 0x7fffffff;
        ip += (31 - bits) >> 3;
        bits |= 24;
      } else if (bits < 16) {
        if (ip > inLen && (ip - inLen) * 8 > bits) {
          fault = DeflateFault.TRUNCATED;
          break blocks;
        }
        hold |= (src[ip] | (src[ip + 1] << 8)) << bits;
        ip += 2;
        bits += 16;
      }
      let e = ll[hold & llMask];
      if (e < 0) {
        // Literal (the common case, tested first).
        const n = e & 0xff;
        hold >>= n;
        bits -= n;
        if (o >= outEnd) {
          if (!suppress) {
            fault = DeflateFault.OUTPUT_OVERFLOW;
            break blocks;
          }
          crc = crc32Update(crc, out, crcFrom, o);
          out.copyWithin(0, o - HIST_KEEP, o);
          outStart -= o - HIST_KEEP;
          o = HIST_KEEP;
          crcFrom = o;
        }
        out[o++] = (e >> 16) & 0xff;
        // A second literal from the same refill when its code is all buffered.
        e = ll[hold & llMask];
        if (e < 0 && (e & 0xff) <= bits && o < outEnd) {
          const n2 = e & 0xff;
          hold >>= n2;
          bits -= n2;
          out[o++] = (e >> 16) & 0xff;
        }
        continue;
      }
      if (e & 0x8000) {
        if (e & 0x2000) {
          // Subtable: at least 6 bits stay after the root bits, enough for its index.
          const rb = e & 0xff;
          hold >>= rb;
          bits -= rb;
          e = ll[(e >>> 16) + (hold & ((1 << ((e >> 8) & 15)) - 1))];
          if (bits < (e & 0xff)) {
            hold |= src[ip] << bits;
            ip++;
            bits += 8;
          }
          if (e < 0) {
            const n = e & 0xff;
            hold >>= n;
            bits -= n;
            if (o >= outEnd) {
              if (!suppress) {
                fault = DeflateFault.OUTPUT_OVERFLOW;
                break blocks;
              }
              crc = crc32Update(crc, out, crcFrom, o);
              out.copyWithin(0, o - HIST_KEEP, o);
              outStart -= o - HIST_KEEP;
              o = HIST_KEEP;
              crcFrom = o;
            }
            out[o++] = (e >> 16) & 0xff;
            continue;
          }
        }
        if (e & 0x8000) {
          if (e & 0x4000) {
            const n = e & 0xff;
            hold >>= n;
            bits -= n;
            if (ip > inLen && (ip - inLen) * 8 > bits) {
              fault = DeflateFault.TRUNCATED;
              break blocks;
            }
            break;
          }
          fault = DeflateFault.INVALID_LL_CODE;
          break blocks;
        }
      }
      // Length: base + extra bits, from the same lookahead.
      let t = e & 0xff;
      const len = (e >>> 16) + ((hold & ((1 << t) - 1)) >> ((e >> 8) & 15));
      hold >>= t;
      bits -= t;
      // Distance code.
      if (bits < 16) {
        if (ip < inLen) {
          hold = (hold | (dvIn.getInt32(ip, true) << bits)) & 0x7fffffff;
          ip += (31 - bits) >> 3;
          bits |= 24;
        } else {
          if (ip > inLen && (ip - inLen) * 8 > bits) {
            fault = DeflateFault.TRUNCATED;
            break blocks;
          }
          hold |= (src[ip] | (src[ip + 1] << 8)) << bits;
          ip += 2;
          bits += 16;
        }
      }
      e = dd[hold & dMask];
      t = e & 0xff;
      let dist: number;
      if ((e & 0x8000) === 0 && t <= bits) {
        dist = (e >>> 16) + ((hold & ((1 << t) - 1)) >> ((e >> 8) & 15));
        hold >>= t;
        bits -= t;
      } else {
        // A subtable or more extra bits than buffered: the code, then the extra bits.
        if (e & 0x8000) {
          if ((e & 0x2000) === 0) {
            fault = DeflateFault.INVALID_D_CODE;
            break blocks;
          }
          hold >>= t;
          bits -= t;
          e = dd[(e >>> 16) + (hold & ((1 << ((e >> 8) & 15)) - 1))];
          if (e & 0x8000) {
            fault = DeflateFault.INVALID_D_CODE;
            break blocks;
          }
          t = e & 0xff;
        }
        const c = (e >> 8) & 15;
        hold >>= c;
        bits -= c;
        const x = t - c;
        while (bits < x) {
          hold |= src[ip] << bits;
          ip++;
          bits += 8;
        }
        dist = (e >>> 16) + (hold & ((1 << x) - 1));
        hold >>= x;
        bits -= x;
      }
      if (dist > o - outStart) {
        fault = DeflateFault.DIST_BEFORE_START;
        break blocks;
      }
      if (dist > window) {
        fault = DeflateFault.DIST_TOO_FAR;
        break blocks;
      }
      if (len > outEnd - o) {
        if (!suppress) {
          // Write what fits, as the hardware does before reporting the overflow.
          let from = o - dist;
          while (o < outEnd) out[o++] = out[from++];
          fault = DeflateFault.OUTPUT_OVERFLOW;
          break blocks;
        }
        crc = crc32Update(crc, out, crcFrom, o);
        out.copyWithin(0, o - HIST_KEEP, o);
        outStart -= o - HIST_KEEP;
        o = HIST_KEEP;
        crcFrom = o;
      }
      let from = o - dist;
      const end = o + len;
      if (end + 8 <= outEnd) {
        if (dist >= 8) {
          const dv = dvOut;
          let p = base + o;
          let q = base + from;
          const pe = base + end;
          do {
            dv.setInt32(p, dv.getInt32(q, true), true);
            dv.setInt32(p + 4, dv.getInt32(q + 4, true), true);
            p += 8;
            q += 8;
          } while (p < pe);
        } else {
          // Overlapping: 8 bytes one at a time, then 8-byte words from a
          // multiple of the period that is at least 8 bytes back.
          out[o] = out[from];
          out[o + 1] = out[from + 1];
          out[o + 2] = out[from + 2];
          out[o + 3] = out[from + 3];
          out[o + 4] = out[from + 4];
          out[o + 5] = out[from + 5];
          out[o + 6] = out[from + 6];
          out[o + 7] = out[from + 7];
          if (len > 8) {
            const dv = dvOut;
            const step = dist === 3 ? 9 : dist < 5 ? 8 : dist * 2; // the least multiple of dist ≥ 8
            let p = base + o + 8;
            let q = p - step;
            const pe = base + end;
            do {
              dv.setInt32(p, dv.getInt32(q, true), true);
              dv.setInt32(p + 4, dv.getInt32(q + 4, true), true);
              p += 8;
              q += 8;
            } while (p < pe);
          }
        }
        o = end;
      } else {
        while (o < end) out[o++] = out[from++];
      }
    }
  }

  // Whatever failed, a stream that needed bits past its end is truncated.
  if (fault !== DeflateFault.NONE && ip > inLen && (ip - inLen) * 8 > bits) fault = DeflateFault.TRUNCATED;
  const consumedRaw = ip - (bits >>> 3);
  const consumed = consumedRaw < inLen ? consumedRaw : inLen;
  if (suppress) {
    crc = crc32Update(crc, out, crcFrom, o);
    return result(fault, 0, crc, consumed);
  }
  crc = crc32Update(crc, out, 0, o);
  return result(fault, o, crc, consumed);
}
