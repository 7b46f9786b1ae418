/**
 * CRC-32 as in RFC 1952 (gzip, ITU-T V.42; reflected polynomial 0xEDB88320),
 * the checksum the IAA completion record reports in its `crc` field.
 *
 * Long ranges go to Node's native `zlib.crc32()` when the runtime has it
 * (Node ≥ 20.15; about three times faster than JavaScript here). Otherwise, and
 * for short ranges where a native call costs more than it saves: slice-by-16,
 * sixteen 256-entry tables built once at module load, the inner loop folding
 * four aligned 32-bit words per iteration.
 */
import zlib from "node:zlib";

/** `zlib.crc32(data, value)` of Node ≥ 20.15, or undefined. */
const nativeCrc32 = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
/** Below this many bytes the JavaScript loop beats a native call. */
const NATIVE_MIN = 512;

const TABLES = buildTables();
const IS_BIG_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 0;

function buildTables(): Int32Array {
  const t = new Int32Array(16 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n];
    for (let k = 1; k < 16; k++) {
      c = t[c & 0xff] ^ (c >>> 8);
      t[k * 256 + n] = c;
    }
  }
  return t;
}

/** The last range given to the native CRC: `viewOf[viewStart..viewEnd)` as `view`. */
let viewOf: Uint8Array | null = null;
let viewStart = 0;
let viewEnd = 0;
let view: Uint8Array = new Uint8Array(0);

/** A 32-bit view of the last buffer seen, so aligned data is read a word at a time without a new view per call. */
let wordsBuffer: ArrayBufferLike | null = null;
let words: Int32Array = new Int32Array(0);

function wordsOf(buffer: ArrayBufferLike): Int32Array {
  if (buffer !== wordsBuffer) {
    words = new Int32Array(buffer, 0, buffer.byteLength >>> 2);
    wordsBuffer = buffer;
  }
  return words;
}

/**
 * Continues a CRC-32 over `data[start..end)`. `crc` is a finished CRC value
 * (0 for a new checksum), so calls chain: `crc32Update(crc32Update(0, a, …), b, …)`.
 */
export function crc32Update(crc: number, data: Uint8Array, start: number, end: number): number {
  if (nativeCrc32 !== undefined && end - start >= NATIVE_MIN) {
    if (start === 0 && end === data.length) return nativeCrc32(data, crc) >>> 0;
    // The same range of the same array as last time (a decoder's output
    // buffer, page after page): reuse its view instead of a new one per call.
    if (data !== viewOf || start !== viewStart || end !== viewEnd) {
      viewOf = data;
      viewStart = start;
      viewEnd = end;
      view = data.subarray(start, end);
    }
    return nativeCrc32(view, crc) >>> 0;
  }
  return crc32Js(crc, data, start, end);
}

/** The JavaScript CRC-32 (slice-by-16), used when no native one is available. */
export function crc32Js(crc: number, data: Uint8Array, start: number, end: number): number {
  const t = TABLES;
  let c = ~crc;
  let i = start;
  // Byte-wise up to a 4-byte boundary of the underlying buffer, then 16 bytes per step (slice-by-16).
  const abs = data.byteOffset + start;
  if (end - start >= 64 && !IS_BIG_ENDIAN) {
    const head = (4 - (abs & 3)) & 3;
    const headEnd = i + head;
    while (i < headEnd) c = t[(c ^ data[i++]) & 0xff] ^ (c >>> 8);
    const w = wordsOf(data.buffer);
    let j = (data.byteOffset + i) >>> 2;
    const nw = ((end - i) >>> 4) << 2;
    const jEnd = j + nw;
    for (; j < jEnd; j += 4) {
      const a = c ^ w[j];
      const b = w[j + 1];
      const e = w[j + 2];
      const f = w[j + 3];
      c =
        t[3840 + (a & 0xff)] ^ t[3584 + ((a >>> 8) & 0xff)] ^ t[3328 + ((a >>> 16) & 0xff)] ^ t[3072 + (a >>> 24)] ^
        t[2816 + (b & 0xff)] ^ t[2560 + ((b >>> 8) & 0xff)] ^ t[2304 + ((b >>> 16) & 0xff)] ^ t[2048 + (b >>> 24)] ^
        t[1792 + (e & 0xff)] ^ t[1536 + ((e >>> 8) & 0xff)] ^ t[1280 + ((e >>> 16) & 0xff)] ^ t[1024 + (e >>> 24)] ^
        t[768 + (f & 0xff)] ^ t[512 + ((f >>> 8) & 0xff)] ^ t[256 + ((f >>> 16) & 0xff)] ^ t[f >>> 24];
    }
    i += nw << 2;
  }
  while (i < end) c = t[(c ^ data[i++]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * CRC-32 (RFC 1952) of `data`, continuing from `seed` (a previous result; 0 to start).
 *
 * @example
 * ```ts
 * import { crc32 } from "iaa-emu/deflate";
 * crc32(new TextEncoder().encode("123456789")); // 0xcbf43926
 * ```
 */
export function crc32(data: Uint8Array, seed = 0): number {
  return crc32Update(seed, data, 0, data.length);
}
