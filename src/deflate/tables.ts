/**
 * RFC 1951 §3.2.5 length and distance symbol tables, and the fixed Huffman
 * code (§3.2.6) in the IAA AECS format: each entry `(length << 15) | code`,
 * the code being the canonical value written MSB-first (not bit-reversed),
 * as in the kernel's `fixed_ll_sym`/`fixed_d_sym`.
 */

/** Base match length of length symbols 257..285 (index symbol − 257). */
export const LENGTH_BASE = Uint16Array.of(
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
);
/** Extra bits of length symbols 257..285. */
export const LENGTH_EXTRA = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0);
/** Base distance of distance symbols 0..29. */
export const DIST_BASE = Uint16Array.of(
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
  8193, 12289, 16385, 24577,
);
/** Extra bits of distance symbols 0..29. */
export const DIST_EXTRA = Uint8Array.of(0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13);

/** Number of literal/length symbols in an AECS table. */
export const LL_SYMBOLS = 286;
/** Number of distance symbols in an AECS table. */
export const D_SYMBOLS = 30;
/** End-of-block symbol. */
export const EOB = 256;

/** Packs a Huffman table entry as the hardware stores it. */
export function huffEntry(length: number, code: number): number {
  return (length << 15) | code;
}

/**
 * The fixed literal/length code as AECS entries (kernel `fixed_ll_sym[286]`).
 *
 * @example
 * ```ts
 * import { FIXED_LL_SYM } from "iaa-emu/deflate";
 * FIXED_LL_SYM[0].toString(16); // "40030": 8 bits, code 0x30
 * ```
 */
export const FIXED_LL_SYM: Uint32Array = buildFixedLl();
/** The fixed distance code as AECS entries (kernel `fixed_d_sym[30]`): 5 bits, code = symbol. */
export const FIXED_D_SYM: Uint32Array = buildFixedD();

function buildFixedLl(): Uint32Array {
  const t = new Uint32Array(LL_SYMBOLS);
  for (let s = 0; s < LL_SYMBOLS; s++) {
    if (s < 144) t[s] = huffEntry(8, 0x30 + s);
    else if (s < 256) t[s] = huffEntry(9, 0x190 + s - 144);
    else if (s < 280) t[s] = huffEntry(7, s - 256);
    else t[s] = huffEntry(8, 0xc0 + s - 280);
  }
  return t;
}

function buildFixedD(): Uint32Array {
  const t = new Uint32Array(D_SYMBOLS);
  for (let s = 0; s < D_SYMBOLS; s++) t[s] = huffEntry(5, s);
  return t;
}

/** Code lengths of the fixed literal/length code, symbols 0..287 (for the decoder). */
export function fixedLlLengths(): Uint8Array {
  const l = new Uint8Array(288);
  l.fill(8, 0, 144);
  l.fill(9, 144, 256);
  l.fill(7, 256, 280);
  l.fill(8, 280, 288);
  return l;
}
