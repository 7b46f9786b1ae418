/**
 * Test helpers (private to src/deflate): an LSB-first bit writer and a builder
 * of dynamic-Huffman blocks from chosen code lengths, for hand-made streams.
 */

/** Bits written LSB-first, as DEFLATE packs them. */
export class BitWriter {
  bytes: number[] = [];
  acc = 0;
  n = 0;

  /** Writes `count` bits of `value`, least significant first. */
  bits(value: number, count: number): void {
    for (let i = 0; i < count; i++) {
      this.acc |= ((value >>> i) & 1) << this.n;
      if (++this.n === 8) this.flushByte();
    }
  }

  /** Writes a Huffman code (MSB-first). */
  code(code: number, len: number): void {
    for (let i = len - 1; i >= 0; i--) this.bits((code >>> i) & 1, 1);
  }

  private flushByte(): void {
    this.bytes.push(this.acc);
    this.acc = 0;
    this.n = 0;
  }

  /** Pads to a byte boundary with zero bits. */
  align(): void {
    if (this.n > 0) this.flushByte();
  }

  /** The bits written so far (the last byte padded), and the count of valid bits. */
  finish(): { bytes: Uint8Array; bitCount: number } {
    const bitCount = this.bytes.length * 8 + this.n;
    const out = this.n > 0 ? [...this.bytes, this.acc] : [...this.bytes];
    return { bytes: Uint8Array.from(out), bitCount };
  }
}

/** Canonical codes (RFC 1951 §3.2.2) for code lengths; 0 = unused. */
export function canonicalCodes(lens: ArrayLike<number>): number[] {
  const count = new Array<number>(16).fill(0);
  for (let i = 0; i < lens.length; i++) if (lens[i]) count[lens[i]]++;
  const next = new Array<number>(16).fill(0);
  let code = 0;
  for (let b = 1; b < 16; b++) {
    next[b] = code;
    code = (code + count[b]) << 1;
  }
  const codes: number[] = [];
  for (let i = 0; i < lens.length; i++) codes.push(lens[i] ? next[lens[i]]++ : 0);
  return codes;
}

/**
 * Writes a dynamic block header (BFINAL, BTYPE=2, HLIT, HDIST, HCLEN=19, a
 * code-length code giving symbols 0..15 four bits each, then every length
 * literally) and returns the codes for the literal/length and distance symbols.
 */
export function dynamicHeader(w: BitWriter, final: boolean, llLens: number[], dLens: number[]): { ll: number[]; d: number[] } {
  w.bits(final ? 1 : 0, 1);
  w.bits(2, 2);
  w.bits(llLens.length - 257, 5);
  w.bits(dLens.length - 1, 5);
  w.bits(19 - 4, 4);
  const order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
  for (const sym of order) w.bits(sym < 16 ? 4 : 0, 3);
  for (const l of [...llLens, ...dLens]) w.code(l, 4); // CL symbol s has code s (16 codes of 4 bits)
  return { ll: canonicalCodes(llLens), d: canonicalCodes(dLens) };
}
