/**
 * Zstandard: a compliant single-frame compressor and (through fzstd) a full decoder.
 *
 * linux: crypto/zstd.c (level 3) over lib/zstd. The compressor is written from
 * RFC 8878: one frame with Single_Segment_flag and Frame_Content_Size, blocks of
 * at most 128 KiB that are RLE (a block of one repeated byte), raw, or
 * compressed with raw literals and greedy 4-byte hash matches whose sequences
 * are FSE-coded with the predefined distributions (RFC 8878 §3.1.1.3.2.2).
 * Its ratio is below real zstd's level 3 (no Huffman literals, no repeat
 * offsets); the format is exact, so any zstd decoder reads it. Decompression
 * uses the `fzstd` package, a complete decoder.
 */
import { decompress as fzstdDecompress } from "fzstd";

const ZSTD_MAGIC = 0xfd2fb528;
const BLOCK_MAX = 128 * 1024;
const MIN_MATCH = 4;
const HASH_LOG = 15;

// ----- predefined FSE distributions (RFC 8878 §3.1.1.3.2.2) -----
const LL_DIST = [4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 1, 1, 1, 1, 1, -1, -1, -1, -1];
const ML_DIST = [
  1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1,
  -1, -1, -1, -1, -1,
];
const OF_DIST = [1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1];

// Literal-length and match-length codes: baseline and extra bits for codes 16+ / 32+.
const LL_BASE = [16, 18, 20, 22, 24, 28, 32, 40, 48, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536];
const LL_BITS = [1, 1, 1, 1, 2, 2, 3, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
const ML_BASE = [35, 37, 39, 41, 43, 47, 51, 59, 67, 83, 99, 131, 259, 515, 1027, 2051, 4099, 8195, 16387, 32771, 65539];
const ML_BITS = [1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];

/**
 * An FSE table in decoder form plus, for encoding, `enc[sym * size + next]`:
 * the state that decodes `sym` and can move to decoder state `next`.
 */
interface FseTable {
  log: number;
  size: number;
  nbBits: Uint8Array;
  baseline: Uint16Array;
  enc: Int16Array;
  firstState: Int16Array;
}

/** Builds the decoding table of RFC 8878 §4.1.1 and its inverse for the encoder. */
function buildFse(dist: number[], log: number): FseTable {
  const size = 1 << log;
  const symbol = new Uint8Array(size);
  let high = size - 1;
  for (let s = 0; s < dist.length; s++) if (dist[s] === -1) symbol[high--] = s;
  const step = (size >> 1) + (size >> 3) + 3;
  const mask = size - 1;
  let pos = 0;
  for (let s = 0; s < dist.length; s++) {
    for (let i = 0; i < dist[s]!; i++) {
      symbol[pos] = s;
      do pos = (pos + step) & mask;
      while (pos > high);
    }
  }
  const nbBits = new Uint8Array(size);
  const baseline = new Uint16Array(size);
  const next = dist.map((c) => (c === -1 ? 1 : c));
  for (let st = 0; st < size; st++) {
    const s = symbol[st]!;
    const x = next[s]!++;
    const nb = log - (31 - Math.clz32(x));
    nbBits[st] = nb;
    baseline[st] = (x << nb) - size;
  }
  const enc = new Int16Array(dist.length * size).fill(-1);
  const firstState = new Int16Array(dist.length).fill(-1);
  for (let st = 0; st < size; st++) {
    const s = symbol[st]!;
    if (firstState[s] === -1) firstState[s] = st;
    for (let v = baseline[st]!; v < baseline[st]! + (1 << nbBits[st]!); v++) enc[s * size + v] = st;
  }
  return { log, size, nbBits, baseline, enc, firstState };
}

const LL_FSE = buildFse(LL_DIST, 6);
const ML_FSE = buildFse(ML_DIST, 6);
const OF_FSE = buildFse(OF_DIST, 5);

function llCode(ll: number): number {
  if (ll < 16) return ll;
  let c = LL_BASE.length - 1;
  while (LL_BASE[c]! > ll) c--;
  return 16 + c;
}

function mlCode(ml: number): number {
  if (ml < 35) return ml - 3;
  let c = ML_BASE.length - 1;
  while (ML_BASE[c]! > ml) c--;
  return 32 + c;
}

/** A forward, LSB-first bit writer (read back from the end by the decoder). */
class BitWriter {
  readonly buf = new Uint8Array(BLOCK_MAX + 64);
  pos = 0;
  private limit = 0;
  private acc = 0;
  private nacc = 0;
  /** Starts a new stream of at most `capacity` bytes. */
  reset(capacity: number): void {
    this.pos = 0;
    this.limit = Math.min(capacity, this.buf.length);
    this.acc = 0;
    this.nacc = 0;
  }
  /** Appends `n` (<= 16) bits of `v`; returns false when the buffer is full. */
  add(v: number, n: number): boolean {
    this.acc |= (v & ((1 << n) - 1)) << this.nacc;
    this.nacc += n;
    while (this.nacc >= 8) {
      if (this.pos >= this.limit) return false;
      this.buf[this.pos++] = this.acc & 0xff;
      this.acc >>>= 8;
      this.nacc -= 8;
    }
    return true;
  }
  addLong(v: number, n: number): boolean {
    if (n <= 16) return this.add(v, n);
    return this.add(v & 0xffff, 16) && this.add(Math.floor(v / 65536), n - 16);
  }
  /** Adds the end mark and flushes the last byte. */
  close(): boolean {
    if (!this.add(1, 1)) return false;
    if (this.nacc > 0) {
      if (this.pos >= this.limit) return false;
      this.buf[this.pos++] = this.acc & 0xff;
    }
    return true;
  }
}

// Work arrays, allocated once.
const hashTable = new Int32Array(1 << HASH_LOG);
const seqLL = new Int32Array(BLOCK_MAX / MIN_MATCH + 1);
const seqML = new Int32Array(BLOCK_MAX / MIN_MATCH + 1);
const seqOF = new Int32Array(BLOCK_MAX / MIN_MATCH + 1);
const literals = new Uint8Array(BLOCK_MAX);
const bitWriter = new BitWriter();

function hash4(b: Uint8Array, i: number): number {
  const v = (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
  return Math.imul(v, 2654435761) >>> (32 - HASH_LOG);
}

/**
 * Encodes one compressed block body (literals section + sequences section)
 * of `src[start, end)` into `out` at `op`. Returns the new position, or -1
 * if it would not fit before `limit`.
 */
function compressBlockBody(src: Uint8Array, start: number, end: number, out: Uint8Array, op: number, limit: number): number {
  hashTable.fill(-1);
  let nSeq = 0;
  let nLit = 0;
  let anchor = start;
  let ip = start;
  const last = end - MIN_MATCH;
  while (ip <= last) {
    const h = hash4(src, ip);
    const cand = hashTable[h]!;
    hashTable[h] = ip;
    if (cand >= start && src[cand] === src[ip] && src[cand + 1] === src[ip + 1] && src[cand + 2] === src[ip + 2] && src[cand + 3] === src[ip + 3]) {
      let len = MIN_MATCH;
      while (ip + len < end && src[cand + len] === src[ip + len]) len++;
      const ll = ip - anchor;
      literals.set(src.subarray(anchor, ip), nLit);
      nLit += ll;
      seqLL[nSeq] = ll;
      seqML[nSeq] = len;
      seqOF[nSeq] = ip - cand;
      nSeq++;
      ip += len;
      anchor = ip;
    } else {
      ip++;
    }
  }
  literals.set(src.subarray(anchor, end), nLit);
  nLit += end - anchor;

  // Literals section: Raw_Literals_Block.
  const litHdr = nLit < 32 ? 1 : nLit < 4096 ? 2 : 3;
  if (op + litHdr + nLit + 4 > limit) return -1;
  if (litHdr === 1) {
    out[op++] = nLit << 3;
  } else if (litHdr === 2) {
    out[op++] = (1 << 2) | ((nLit & 0xf) << 4);
    out[op++] = nLit >> 4;
  } else {
    out[op++] = (3 << 2) | ((nLit & 0xf) << 4);
    out[op++] = (nLit >> 4) & 0xff;
    out[op++] = nLit >> 12;
  }
  out.set(literals.subarray(0, nLit), op);
  op += nLit;

  // Sequences section header.
  if (nSeq < 128) {
    out[op++] = nSeq;
  } else if (nSeq < 0x7f00) {
    out[op++] = (nSeq >> 8) + 0x80;
    out[op++] = nSeq & 0xff;
  } else {
    out[op++] = 0xff;
    out[op++] = (nSeq - 0x7f00) & 0xff;
    out[op++] = (nSeq - 0x7f00) >> 8;
  }
  if (nSeq === 0) return op;
  out[op++] = 0; // all three tables Predefined_Mode

  const bw = bitWriter;
  bw.reset(limit - op);
  let sLL = 0;
  let sML = 0;
  let sOF = 0;
  let ok = true;
  for (let i = nSeq - 1; i >= 0 && ok; i--) {
    const ll = seqLL[i]!;
    const ml = seqML[i]!;
    const ofv = seqOF[i]! + 3;
    const cLL = llCode(ll);
    const cML = mlCode(ml);
    const cOF = 31 - Math.clz32(ofv);
    let nLL: number;
    let nML: number;
    let nOF: number;
    if (i === nSeq - 1) {
      nLL = LL_FSE.firstState[cLL]!;
      nML = ML_FSE.firstState[cML]!;
      nOF = OF_FSE.firstState[cOF]!;
    } else {
      nLL = LL_FSE.enc[cLL * LL_FSE.size + sLL]!;
      nML = ML_FSE.enc[cML * ML_FSE.size + sML]!;
      nOF = OF_FSE.enc[cOF * OF_FSE.size + sOF]!;
      // state updates, written in reverse of the decoder's LL, ML, OF order
      ok &&= bw.add(sOF - OF_FSE.baseline[nOF]!, OF_FSE.nbBits[nOF]!);
      ok &&= bw.add(sML - ML_FSE.baseline[nML]!, ML_FSE.nbBits[nML]!);
      ok &&= bw.add(sLL - LL_FSE.baseline[nLL]!, LL_FSE.nbBits[nLL]!);
    }
    // extra bits, written in reverse of the decoder's OF, ML, LL order
    if (cLL >= 16) ok &&= bw.add(ll - LL_BASE[cLL - 16]!, LL_BITS[cLL - 16]!);
    if (cML >= 32) ok &&= bw.add(ml - ML_BASE[cML - 32]!, ML_BITS[cML - 32]!);
    ok &&= bw.addLong(ofv - 2 ** cOF, cOF);
    sLL = nLL;
    sML = nML;
    sOF = nOF;
  }
  ok &&= bw.add(sML, ML_FSE.log);
  ok &&= bw.add(sOF, OF_FSE.log);
  ok &&= bw.add(sLL, LL_FSE.log);
  ok &&= bw.close();
  if (!ok) return -1;
  out.set(bw.buf.subarray(0, bw.pos), op);
  return op + bw.pos;
}

/**
 * Compresses `src` into one zstd frame in `dst`, never writing past
 * `dst.length`. Returns the frame length, or -1 if it does not fit
 * (zstd's dstSize_tooSmall).
 *
 * @example
 * const n = zstdCompress(page, new Uint8Array(4096));
 */
export function zstdCompress(src: Uint8Array, dst: Uint8Array): number {
  const len = src.length;
  const cap = dst.length;
  let op = 0;
  // Frame header: magic, Frame_Header_Descriptor (Single_Segment), Frame_Content_Size.
  const fcsBytes = len < 256 ? 1 : len < 65536 + 256 ? 2 : 4;
  if (cap < 4 + 1 + fcsBytes + 3) return -1;
  dst[op++] = ZSTD_MAGIC & 0xff;
  dst[op++] = (ZSTD_MAGIC >>> 8) & 0xff;
  dst[op++] = (ZSTD_MAGIC >>> 16) & 0xff;
  dst[op++] = ZSTD_MAGIC >>> 24;
  const fcsFlag = fcsBytes === 1 ? 0 : fcsBytes === 2 ? 1 : 2;
  dst[op++] = (fcsFlag << 6) | (1 << 5);
  if (fcsBytes === 1) {
    dst[op++] = len;
  } else if (fcsBytes === 2) {
    const v = len - 256;
    dst[op++] = v & 0xff;
    dst[op++] = v >> 8;
  } else {
    dst[op++] = len & 0xff;
    dst[op++] = (len >>> 8) & 0xff;
    dst[op++] = (len >>> 16) & 0xff;
    dst[op++] = len >>> 24;
  }

  let pos = 0;
  do {
    const end = Math.min(len, pos + BLOCK_MAX);
    const lastBlock = end === len ? 1 : 0;
    const n = end - pos;
    if (op + 3 > cap) return -1;
    const hdr = op;
    op += 3;
    let type: number;
    let size: number;
    let rle = n > 0;
    for (let i = pos + 1; i < end && rle; i++) if (src[i] !== src[pos]) rle = false;
    if (rle) {
      if (op + 1 > cap) return -1;
      dst[op++] = src[pos]!;
      type = 1;
      size = n;
    } else {
      const e = n >= 16 ? compressBlockBody(src, pos, end, dst, op, Math.min(cap, op + n - 1)) : -1;
      if (e >= 0) {
        type = 2;
        size = e - op;
        op = e;
      } else {
        if (op + n > cap) return -1;
        dst.set(src.subarray(pos, end), op);
        op += n;
        type = 0;
        size = n;
      }
    }
    const h = lastBlock | (type << 1) | (size << 3);
    dst[hdr] = h & 0xff;
    dst[hdr + 1] = (h >>> 8) & 0xff;
    dst[hdr + 2] = (h >>> 16) & 0xff;
    pos = end;
  } while (pos < len);
  return op;
}

/**
 * Decompresses zstd frame(s) in `src` into `dst`. Returns the decoded length,
 * or -1 for a malformed frame or output larger than `dst`.
 */
export function zstdDecompress(src: Uint8Array, dst: Uint8Array): number {
  let out: Uint8Array;
  try {
    out = fzstdDecompress(src);
  } catch {
    return -1;
  }
  if (out.length > dst.length) return -1;
  dst.set(out);
  return out.length;
}
