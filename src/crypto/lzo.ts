/**
 * LZO1X-1 compression and safe decompression, with the lzo-rle extension.
 *
 * linux: lib/lzo/lzo1x_compress.c, lib/lzo/lzo1x_decompress_safe.c. The
 * compressor follows the kernel's lzo1x_1_compress() step for step (13-bit
 * dictionary, 0xC000-byte chunks, skip acceleration `1 + (ip - ii) >> 5`), so
 * its output matches the kernel's. lzo-rle (bitstream version 1) starts the
 * stream with `17, 1` and encodes runs of zero bytes with a 4-byte M4-style
 * instruction; the decompressor accepts both versions.
 *
 * Like the kernel's (before lzo1x_1_compress_safe), the compressor does not
 * bound its output: callers give it {@link lzo1xWorstCompress} bytes.
 */

/** LZO_E_* status codes (include/linux/lzo.h). */
export const LZO_E_OK = 0;
export const LZO_E_ERROR = -1;
export const LZO_E_INPUT_OVERRUN = -4;
export const LZO_E_OUTPUT_OVERRUN = -5;
export const LZO_E_LOOKBEHIND_OVERRUN = -6;
export const LZO_E_INPUT_NOT_CONSUMED = -8;

const M2_MAX_LEN = 8;
const M3_MAX_LEN = 33;
const M4_MAX_LEN = 9;
const M2_MAX_OFFSET = 0x0800;
const M3_MAX_OFFSET = 0x4000;
const M4_MAX_OFFSET_V0 = 0xbfff;
const M4_MAX_OFFSET_V1 = 0xbffe;
const M3_MARKER = 32;
const M4_MARKER = 16;
const MIN_ZERO_RUN_LENGTH = 4;
const MAX_ZERO_RUN_LENGTH = 2047 + MIN_ZERO_RUN_LENGTH;
const MAX_255_COUNT = Math.floor(0xffffffff / 255) - 2;
const D_BITS = 13;
const D_MASK = (1 << D_BITS) - 1;

/** lzo1x_worst_compress(): the most bytes the compressor can write for `n` input bytes. */
export function lzo1xWorstCompress(n: number): number {
  return n + Math.floor(n / 16) + 64 + 3 + 2;
}

function le32(b: Uint8Array, i: number): number {
  return (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
}

/** How many of the 8 bytes at `a` and `b` are equal before the first difference. */
function equalBytes8(b: Uint8Array, a: number, c: number): number {
  let k = 0;
  while (k < 8 && a + k < b.length && b[a + k] === b[c + k]) k++;
  return k;
}

/** Compressor state carried between chunks (the kernel's `t` and `state_offset`). */
class Lzo1xState {
  op = 0;
  stateOffset = -2;
  readonly dict = new Uint16Array(1 << D_BITS);
}

/** The compressor's state and dictionary, allocated once. */
const compressState = new Lzo1xState();

/** The header of a run of `t` > 3 literals: `t - 3` up to 18, else 0, 255-steps and the rest. Returns the new op. */
function literalRunHeader(out: Uint8Array, op: number, t: number): number {
  if (t <= 18) {
    out[op++] = t - 3;
    return op;
  }
  let tt = t - 18;
  out[op++] = 0;
  while (tt > 255) {
    tt -= 255;
    out[op++] = 0;
  }
  out[op++] = tt;
  return op;
}

/**
 * lzo1x_1_do_compress(): compresses `in[base, base+len)` into `out` at st.op;
 * `ti` literals before `base` are still pending. Returns the literals left pending.
 */
function lzo1x1DoCompress(src: Uint8Array, base: number, len: number, out: Uint8Array, st: Lzo1xState, tiIn: number, rle: boolean): number {
  const dict = st.dict;
  const inEnd = base + len;
  const ipEnd = base + len - 20;
  let op = st.op;
  let ti = tiIn;
  let ip = base;
  let ii = ip;
  ip += ti < 4 ? 4 - ti : 0;

  let literal = true;
  for (;;) {
    let mPos = 0;
    let runLength = 0;
    if (literal) ip += 1 + ((ip - ii) >> 5);
    literal = true;
    if (ip >= ipEnd) break;
    const dv = le32(src, ip);
    if (dv === 0 && rle) {
      let ir = ip + 4;
      const limit = Math.min(ipEnd, ip + MAX_ZERO_RUN_LENGTH + 1);
      while (ir < limit && src[ir] === 0) ir++;
      runLength = ir - ip;
      if (runLength > MAX_ZERO_RUN_LENGTH) runLength = MAX_ZERO_RUN_LENGTH;
    } else {
      const t = (Math.imul(dv, 0x1824429d) >>> (32 - D_BITS)) & D_MASK;
      mPos = base + dict[t]!;
      dict[t] = ip - base;
      if (dv !== le32(src, mPos)) continue;
    }

    ii -= ti;
    ti = 0;
    let t = ip - ii;
    if (t !== 0) {
      if (t <= 3) {
        out[op + st.stateOffset] |= t;
        for (let k = 0; k < t; k++) out[op + k] = src[ii + k]!;
        op += t;
      } else if (t <= 16) {
        out[op++] = t - 3;
        for (let k = 0; k < t; k++) out[op + k] = src[ii + k]!;
        op += t;
      } else {
        op = literalRunHeader(out, op, t);
        out.set(src.subarray(ii, ii + t), op);
        op += t;
        ii += t;
        t = 0;
      }
    }

    if (runLength !== 0) {
      ip += runLength;
      runLength -= MIN_ZERO_RUN_LENGTH;
      const v = ((runLength << 21) | 0xfffc18 | (runLength & 7)) >>> 0;
      out[op] = v & 0xff;
      out[op + 1] = (v >>> 8) & 0xff;
      out[op + 2] = (v >>> 16) & 0xff;
      out[op + 3] = v >>> 24;
      op += 4;
      st.stateOffset = -3;
      ii = ip;
      literal = false;
      continue;
    }

    // The x86-64 match extension (LZO_USE_CTZ64): 8 bytes at a time, the
    // end checked only after a fully equal 8-byte word.
    let mLen = 4;
    let eq = equalBytes8(src, ip + mLen, mPos + mLen);
    if (eq === 8) {
      do {
        mLen += 8;
        eq = equalBytes8(src, ip + mLen, mPos + mLen);
        if (ip + mLen >= ipEnd) {
          eq = 0;
          break;
        }
      } while (eq === 8);
    }
    mLen += eq;
    let mOff = ip - mPos;
    ip += mLen;
    if (mLen <= M2_MAX_LEN && mOff <= M2_MAX_OFFSET) {
      mOff -= 1;
      out[op++] = ((mLen - 1) << 5) | ((mOff & 7) << 2);
      out[op++] = mOff >> 3;
    } else if (mOff <= M3_MAX_OFFSET) {
      mOff -= 1;
      if (mLen <= M3_MAX_LEN) {
        out[op++] = M3_MARKER | (mLen - 2);
      } else {
        mLen -= M3_MAX_LEN;
        out[op++] = M3_MARKER;
        while (mLen > 255) {
          mLen -= 255;
          out[op++] = 0;
        }
        out[op++] = mLen;
      }
      out[op++] = (mOff << 2) & 0xff;
      out[op++] = (mOff >> 6) & 0xff;
    } else {
      mOff -= 0x4000;
      if (mLen <= M4_MAX_LEN) {
        out[op++] = M4_MARKER | ((mOff >> 11) & 8) | (mLen - 2);
      } else {
        if ((mOff & 0x403f) === 0x403f && mLen >= 261 && mLen <= 264 && rle) {
          // lzo-rle: these lengths and distances would read as a zero run.
          ip -= mLen - 260;
          mLen = 260;
        }
        mLen -= M4_MAX_LEN;
        out[op++] = M4_MARKER | ((mOff >> 11) & 8);
        while (mLen > 255) {
          mLen -= 255;
          out[op++] = 0;
        }
        out[op++] = mLen;
      }
      out[op++] = (mOff << 2) & 0xff;
      out[op++] = (mOff >> 6) & 0xff;
    }
    st.stateOffset = -2;
    ii = ip;
    literal = false;
  }
  st.op = op;
  return inEnd - (ii - ti);
}

/**
 * lzo1x_1_compress() / lzorle1x_1_compress(): compresses `src` into `out`
 * (which must hold lzo1xWorstCompress(src.length) bytes). Returns the length.
 *
 * @example
 * const out = new Uint8Array(lzo1xWorstCompress(page.length));
 * const n = lzo1x1Compress(page, out, true); // lzo-rle
 */
export function lzo1x1Compress(src: Uint8Array, out: Uint8Array, rle: boolean): number {
  const st = compressState;
  st.op = 0;
  st.stateOffset = -2;
  let ip = 0;
  let l = src.length;
  let t = 0;
  let m4MaxOffset = M4_MAX_OFFSET_V0;
  if (rle) {
    out[st.op++] = 17;
    out[st.op++] = 1;
    m4MaxOffset = M4_MAX_OFFSET_V1;
  }
  const dataStart = st.op;
  while (l > 20) {
    const ll = Math.min(l, m4MaxOffset + 1);
    st.dict.fill(0);
    t = lzo1x1DoCompress(src, ip, ll, out, st, t, rle);
    ip += ll;
    l -= ll;
  }
  t += l;
  let op = st.op;
  if (t > 0) {
    let ii = src.length - t;
    if (op === dataStart && t <= 238) {
      out[op++] = 17 + t;
    } else if (t <= 3) {
      out[op + st.stateOffset] |= t;
    } else {
      op = literalRunHeader(out, op, t);
    }
    out.set(src.subarray(ii, ii + t), op);
    op += t;
    ii += t;
  }
  out[op++] = M4_MARKER | 1;
  out[op++] = 0;
  out[op++] = 0;
  return op;
}

/**
 * lzo1x_decompress_safe(): decodes `src` into `dst` (never writing past it).
 * Returns the output length (>= 0) or an LZO_E_* code (< 0).
 */
export function lzo1xDecompressSafe(src: Uint8Array, dst: Uint8Array): number {
  const ipEnd = src.length;
  const opEnd = dst.length;
  let ip = 0;
  let op = 0;
  let t = 0;
  let next = 0;
  let state = 0;
  let mPos = 0;
  let version = 0;

  if (ipEnd < 3) return LZO_E_INPUT_OVERRUN;
  if (ipEnd >= 5 && src[0] === 17) {
    version = src[1]!;
    ip = 2;
  }

  // A label-less rendering of the kernel's gotos: `mode` is where to resume.
  const COPY_LITERAL_RUN = 1;
  const MATCH_NEXT = 2;
  const MATCH = 3;
  let mode = 0;
  if (src[ip]! > 17) {
    t = src[ip++]! - 17;
    if (t < 4) {
      next = t;
      mode = MATCH_NEXT;
    } else {
      mode = COPY_LITERAL_RUN;
    }
  }

  for (;;) {
    if (mode === 0) {
      if (ip >= ipEnd) return LZO_E_INPUT_OVERRUN;
      t = src[ip++]!;
      if (t < 16) {
        if (state === 0) {
          if (t === 0) {
            const ipLast = ip;
            while (ip < ipEnd && src[ip] === 0) ip++;
            if (ip >= ipEnd) return LZO_E_INPUT_OVERRUN;
            const n = ip - ipLast;
            if (n > MAX_255_COUNT) return LZO_E_ERROR;
            t += n * 255 + 15 + src[ip++]!;
          }
          t += 3;
          mode = COPY_LITERAL_RUN;
        } else if (state !== 4) {
          if (ip >= ipEnd) return LZO_E_INPUT_OVERRUN;
          next = t & 3;
          mPos = op - 1 - (t >> 2) - (src[ip++]! << 2);
          if (mPos < 0) return LZO_E_LOOKBEHIND_OVERRUN;
          if (op + 2 > opEnd) return LZO_E_OUTPUT_OVERRUN;
          dst[op] = dst[mPos]!;
          dst[op + 1] = dst[mPos + 1]!;
          op += 2;
          mode = MATCH_NEXT;
        } else {
          if (ip >= ipEnd) return LZO_E_INPUT_OVERRUN;
          next = t & 3;
          mPos = op - (1 + M2_MAX_OFFSET) - (t >> 2) - (src[ip++]! << 2);
          t = 3;
          mode = MATCH;
        }
      } else if (t >= 64) {
        if (ip >= ipEnd) return LZO_E_INPUT_OVERRUN;
        next = t & 3;
        mPos = op - 1 - ((t >> 2) & 7) - (src[ip++]! << 3);
        t = (t >> 5) - 1 + 2;
        mode = MATCH;
      } else if (t >= 32) {
        t = (t & 31) + 2;
        if (t === 2) {
          const ipLast = ip;
          while (ip < ipEnd && src[ip] === 0) ip++;
          if (ip >= ipEnd) return LZO_E_INPUT_OVERRUN;
          const n = ip - ipLast;
          if (n > MAX_255_COUNT) return LZO_E_ERROR;
          t += n * 255 + 31 + src[ip++]!;
        }
        if (ip + 2 > ipEnd) return LZO_E_INPUT_OVERRUN;
        next = src[ip]! | (src[ip + 1]! << 8);
        ip += 2;
        mPos = op - 1 - (next >> 2);
        next &= 3;
        mode = MATCH;
      } else {
        if (ip + 2 > ipEnd) return LZO_E_INPUT_OVERRUN;
        next = src[ip]! | (src[ip + 1]! << 8);
        if ((next & 0xfffc) === 0xfffc && (t & 0xf8) === 0x18 && version !== 0) {
          if (ip + 3 > ipEnd) return LZO_E_INPUT_OVERRUN;
          t = (t & 7) | (src[ip + 2]! << 3);
          t += MIN_ZERO_RUN_LENGTH;
          if (op + t > opEnd) return LZO_E_OUTPUT_OVERRUN;
          dst.fill(0, op, op + t);
          op += t;
          next &= 3;
          ip += 3;
          mode = MATCH_NEXT;
        } else {
          mPos = op - ((t & 8) << 11);
          t = (t & 7) + 2;
          if (t === 2) {
            const ipLast = ip;
            while (ip < ipEnd && src[ip] === 0) ip++;
            if (ip >= ipEnd) return LZO_E_INPUT_OVERRUN;
            const n = ip - ipLast;
            if (n > MAX_255_COUNT) return LZO_E_ERROR;
            t += n * 255 + 7 + src[ip++]!;
            if (ip + 2 > ipEnd) return LZO_E_INPUT_OVERRUN;
            next = src[ip]! | (src[ip + 1]! << 8);
          }
          ip += 2;
          mPos -= next >> 2;
          next &= 3;
          if (mPos === op) {
            // eof_found
            if (t !== 3) return LZO_E_ERROR;
            if (ip === ipEnd) return op;
            return ip < ipEnd ? LZO_E_INPUT_NOT_CONSUMED : LZO_E_INPUT_OVERRUN;
          }
          mPos -= 0x4000;
          mode = MATCH;
        }
      }
    }

    if (mode === COPY_LITERAL_RUN) {
      if (ip + t > ipEnd) return LZO_E_INPUT_OVERRUN;
      if (op + t > opEnd) return LZO_E_OUTPUT_OVERRUN;
      dst.set(src.subarray(ip, ip + t), op);
      op += t;
      ip += t;
      state = 4;
      mode = 0;
      continue;
    }

    if (mode === MATCH) {
      if (mPos < 0) return LZO_E_LOOKBEHIND_OVERRUN;
      if (op + t > opEnd) return LZO_E_OUTPUT_OVERRUN;
      for (let k = 0; k < t; k++) dst[op + k] = dst[mPos + k]!;
      op += t;
      mode = MATCH_NEXT;
    }

    // match_next: up to 3 trailing literals
    state = next;
    t = next;
    if (ip + t > ipEnd) return LZO_E_INPUT_OVERRUN;
    if (op + t > opEnd) return LZO_E_OUTPUT_OVERRUN;
    for (let k = 0; k < t; k++) dst[op + k] = src[ip + k]!;
    op += t;
    ip += t;
    mode = 0;
  }
}

/** Prototypes of this file's private classes (a restored snapshot creates their objects). */
export const LZO_CLASSES: object[] = [Lzo1xState.prototype];
