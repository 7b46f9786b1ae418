/**
 * LZ4 block format: fast compression (acceleration 1) and safe decompression.
 *
 * linux: lib/lz4/lz4_compress.c LZ4_compress_default(), lib/lz4/lz4_decompress.c
 * LZ4_decompress_safe(). Written from the LZ4 block format description: a
 * sequence is a token (literal length << 4 | match length - 4), extra length
 * bytes of 255, the literals, a 16-bit little-endian offset and extra match
 * length bytes. The last 5 bytes are always literals and no match starts in
 * the last 12 bytes. The compressor uses a 13-bit hash of 4 bytes (the
 * kernel's byU16 table for inputs under 64 KiB) and the skip-ahead search.
 */

const MINMATCH = 4;
const LASTLITERALS = 5;
const MFLIMIT = 12;
const LZ4_MIN_LENGTH = MFLIMIT + 1;
const MAX_DISTANCE = 65535;
const ML_BITS = 4;
const ML_MASK = (1 << ML_BITS) - 1;
const RUN_MASK = (1 << (8 - ML_BITS)) - 1;
const SKIP_TRIGGER = 6;
const HASH_LOG = 13;

/** LZ4_compressBound() */
export function lz4CompressBound(n: number): number {
  return n + Math.floor(n / 255) + 16;
}

function read32(b: Uint8Array, i: number): number {
  return (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
}

function hash4(b: Uint8Array, i: number): number {
  return Math.imul(read32(b, i), 2654435761) >>> (32 - HASH_LOG);
}

/** The hash table is reused between calls (allocated once). */
const table = new Int32Array(1 << HASH_LOG);

/**
 * Emits the final literal run. Returns the new output position or -1 if it does not fit.
 */
function lastLiterals(src: Uint8Array, anchor: number, dst: Uint8Array, op: number): number {
  const lastRun = src.length - anchor;
  if (op + lastRun + 1 + Math.floor((lastRun + 255 - RUN_MASK) / 255) > dst.length) return -1;
  if (lastRun >= RUN_MASK) {
    let acc = lastRun - RUN_MASK;
    dst[op++] = RUN_MASK << ML_BITS;
    for (; acc >= 255; acc -= 255) dst[op++] = 255;
    dst[op++] = acc;
  } else {
    dst[op++] = lastRun << ML_BITS;
  }
  dst.set(src.subarray(anchor), op);
  return op + lastRun;
}

/**
 * LZ4_compress_default(): compresses `src` into `dst`, never writing past
 * `dst.length`. Returns the compressed length, or 0 if it does not fit.
 *
 * @example
 * const out = new Uint8Array(lz4CompressBound(page.length));
 * const n = lz4CompressDefault(page, out);
 */
export function lz4CompressDefault(src: Uint8Array, dst: Uint8Array): number {
  const len = src.length;
  const olimit = dst.length;
  let op = 0;
  let anchor = 0;
  if (len < LZ4_MIN_LENGTH) {
    const r = lastLiterals(src, 0, dst, 0);
    return r < 0 ? 0 : r;
  }
  table.fill(-1);
  const mflimit = len - MFLIMIT;
  const matchlimit = len - LASTLITERALS;

  let ip = 0;
  table[hash4(src, ip)] = ip;
  ip++;
  let forwardH = hash4(src, ip);

  outer: for (;;) {
    let match = 0;
    // find a match
    {
      let forwardIp = ip;
      let step = 1;
      let searchMatchNb = 1 << SKIP_TRIGGER;
      do {
        const h = forwardH;
        ip = forwardIp;
        forwardIp += step;
        step = searchMatchNb++ >> SKIP_TRIGGER;
        if (forwardIp > mflimit) break outer;
        match = table[h]!;
        forwardH = hash4(src, forwardIp);
        table[h] = ip;
      } while (match < 0 || match + MAX_DISTANCE < ip || read32(src, match) !== read32(src, ip));
    }
    // catch up
    while (ip > anchor && match > 0 && src[ip - 1] === src[match - 1]) {
      ip--;
      match--;
    }
    // encode literal length
    const litLength = ip - anchor;
    let token = op++;
    if (op + litLength + (2 + 1 + LASTLITERALS) + Math.floor(litLength / 255) > olimit) return 0;
    if (litLength >= RUN_MASK) {
      let l = litLength - RUN_MASK;
      dst[token] = RUN_MASK << ML_BITS;
      for (; l >= 255; l -= 255) dst[op++] = 255;
      dst[op++] = l;
    } else {
      dst[token] = litLength << ML_BITS;
    }
    dst.set(src.subarray(anchor, ip), op);
    op += litLength;

    for (;;) {
      // next match: offset
      const offset = ip - match;
      dst[op++] = offset & 0xff;
      dst[op++] = offset >> 8;
      // match length
      let matchCode = 0;
      {
        let p = ip + MINMATCH;
        let m = match + MINMATCH;
        while (p < matchlimit && src[p] === src[m]) {
          p++;
          m++;
        }
        matchCode = p - (ip + MINMATCH);
        ip = p;
      }
      if (op + 1 + LASTLITERALS + (matchCode >> 8) > olimit) return 0;
      if (matchCode >= ML_MASK) {
        dst[token] |= ML_MASK;
        matchCode -= ML_MASK;
        for (; matchCode >= 510; matchCode -= 510) {
          dst[op++] = 255;
          dst[op++] = 255;
        }
        if (matchCode >= 255) {
          matchCode -= 255;
          dst[op++] = 255;
        }
        dst[op++] = matchCode;
      } else {
        dst[token] |= matchCode;
      }
      anchor = ip;
      if (ip > mflimit) break outer;
      table[hash4(src, ip - 2)] = ip - 2;
      // immediate next match?
      const h = hash4(src, ip);
      match = table[h]!;
      table[h] = ip;
      if (match >= 0 && match + MAX_DISTANCE >= ip && read32(src, match) === read32(src, ip)) {
        token = op++;
        dst[token] = 0;
        continue;
      }
      ip++;
      forwardH = hash4(src, ip);
      break;
    }
  }
  const r = lastLiterals(src, anchor, dst, op);
  return r < 0 ? 0 : r;
}

/**
 * LZ4_decompress_safe(): decodes a block into `dst`, never reading or
 * writing out of bounds. Returns the decoded length or -1 on malformed input
 * or when the output does not fit.
 */
export function lz4DecompressSafe(src: Uint8Array, dst: Uint8Array): number {
  const iend = src.length;
  const oend = dst.length;
  let ip = 0;
  let op = 0;
  if (iend === 0) return -1;
  for (;;) {
    if (ip >= iend) return -1;
    const token = src[ip++]!;
    let length = token >> ML_BITS;
    if (length === RUN_MASK) {
      let s: number;
      do {
        if (ip >= iend) return -1;
        s = src[ip++]!;
        length += s;
      } while (s === 255);
    }
    if (ip + length > iend || op + length > oend) return -1;
    dst.set(src.subarray(ip, ip + length), op);
    ip += length;
    op += length;
    if (ip === iend) return op; // end of block: last literals
    if (ip + 2 > iend) return -1;
    const offset = src[ip]! | (src[ip + 1]! << 8);
    ip += 2;
    const match = op - offset;
    if (offset === 0 || match < 0) return -1;
    length = token & ML_MASK;
    if (length === ML_MASK) {
      let s: number;
      do {
        if (ip >= iend) return -1;
        s = src[ip++]!;
        length += s;
      } while (s === 255);
    }
    length += MINMATCH;
    if (op + length > oend) return -1;
    if (offset >= length) {
      dst.copyWithin(op, match, match + length);
    } else {
      for (let k = 0; k < length; k++) dst[op + k] = dst[match + k]!;
    }
    op += length;
  }
}
