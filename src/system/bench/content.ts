/**
 * Deterministic page contents for the benchmarks: the documentation's
 * memory_madvise page ('*' × 4096) and a mix imitating swapped memory
 * (text, small integers, pointers, structs, partly filled, zero and
 * same-filled, random pages). No host data: a seeded PRNG, so every run and
 * every worker sees the same bytes.
 */

/** Page size of the emulated machine. */
export const BENCH_PAGE = 4096;

/** The content mixes `--content` accepts. */
export const CONTENT_MIXES = ["madvise", "mix", "text", "random", "zero"] as const;
export type ContentMix = (typeof CONTENT_MIXES)[number];

/** Kinds of page in the default mix. */
const KIND = { text: 0, smallInts: 1, pointers: 2, structs: 3, partly: 4, zero: 5, same: 6, random: 7 } as const;

/** The default mix: kind and weight (per mille). About 8 % of pages are incompressible. */
const MIX_KINDS: readonly [kind: number, weight: number][] = [
  [KIND.text, 300],
  [KIND.smallInts, 150],
  [KIND.pointers, 150],
  [KIND.structs, 120],
  [KIND.partly, 100],
  [KIND.zero, 60],
  [KIND.same, 40],
  [KIND.random, 80],
];

const WORDS = (
  "the of and to in is that for it as with was on be by this are from at or an which have not but " +
  "page memory swap compress kernel driver device queue work engine descriptor buffer zswap pool " +
  "entry offset length return value error status node cpu process thread lock list tree table " +
  "struct int unsigned long const static void char size_t uint64_t if else while for switch case"
).split(" ");
const WORD_BYTES = WORDS.map((w) => new TextEncoder().encode(w));

/** xorshift32 step. */
function next(s: number): number {
  s ^= s << 13;
  s ^= s >>> 17;
  s ^= s << 5;
  return s >>> 0;
}

/** `s % m` for an unsigned 32-bit `s` and m < 32768, in small-integer arithmetic (a plain `%` on s runs in floating point). */
function mod32(s: number, m: number): number {
  return (((s >>> 16) % m) * 65536 + (s & 0xffff)) % m;
}

/** A well-mixed 32-bit seed for page `index` of stream `seed`. */
function pageSeed(seed: number, index: number): number {
  let h = (Math.imul(index + 1, 0x9e3779b1) ^ Math.imul(seed + 0x7f4a7c15, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0 || 1;
}

/** Kind of page `index` in the default mix. */
export function mixKind(seed: number, index: number): number {
  let r = pageSeed(seed ^ 0x5bd1e995, index) % 1000;
  for (const [k, w] of MIX_KINDS) {
    if (r < w) return k;
    r -= w;
  }
  return KIND.text;
}

/**
 * Writes page `index` of `mix` into `dst` (4096 bytes). The same
 * (mix, seed, index) always gives the same bytes.
 *
 * @example
 * const page = new Uint8Array(4096);
 * fillPage(page, "madvise", 1, 0); // 4096 × '*'
 */
export function fillPage(dst: Uint8Array, mix: ContentMix, seed: number, index: number): void {
  switch (mix) {
    case "madvise":
      dst.fill(0x2a, 0, BENCH_PAGE);
      return;
    case "zero":
      dst.fill(0, 0, BENCH_PAGE);
      return;
    case "text":
      return fillKind(dst, KIND.text, pageSeed(seed, index));
    case "random":
      return fillKind(dst, KIND.random, pageSeed(seed, index));
    case "mix":
      return fillKind(dst, mixKind(seed, index), pageSeed(seed, index));
  }
}

function fillKind(dst: Uint8Array, kind: number, s: number): void {
  const n = BENCH_PAGE;
  switch (kind) {
    case 0: {
      // text: words and punctuation
      let o = 0;
      while (o < n) {
        s = next(s);
        const w = WORD_BYTES[mod32(s, WORD_BYTES.length)]!;
        for (let i = 0; i < w.length && o < n; i++) dst[o++] = w[i]!;
        if (o < n) dst[o++] = (s >>> 24) % 13 === 0 ? 0x0a : (s >>> 24) % 11 === 0 ? 0x2c : 0x20;
      }
      return;
    }
    case 1: {
      // small little-endian 32-bit integers
      for (let o = 0; o < n; o += 4) {
        s = next(s);
        const v = (s >>> 8) % 1000;
        dst[o] = v & 0xff;
        dst[o + 1] = v >>> 8;
        dst[o + 2] = 0;
        dst[o + 3] = 0;
      }
      return;
    }
    case 2: {
      // 64-bit pointers into a few regions
      for (let o = 0; o < n; o += 8) {
        s = next(s);
        const region = s & 3;
        const off = (s >>> 4) & 0xfff8;
        dst[o] = off & 0xff;
        dst[o + 1] = (off >>> 8) & 0xff;
        dst[o + 2] = 0x40 + region;
        dst[o + 3] = 0x5a;
        dst[o + 4] = 0xfe;
        dst[o + 5] = 0x7f;
        dst[o + 6] = 0;
        dst[o + 7] = 0;
      }
      return;
    }
    case 3: {
      // structs of 32 bytes: an id, flags, a pointer, a length, padding
      for (let o = 0; o < n; o += 32) {
        s = next(s);
        dst.fill(0, o, o + 32);
        dst[o] = (o >>> 5) & 0xff;
        dst[o + 1] = (o >>> 13) & 0xff;
        dst[o + 4] = s & 0x0f;
        dst[o + 8] = s & 0xf8;
        dst[o + 9] = (s >>> 8) & 0xff;
        dst[o + 10] = 0x61;
        dst[o + 13] = 0x7f;
        dst[o + 16] = (s >>> 16) & 0x3f;
      }
      return;
    }
    case 4: {
      // partly filled: text at the start, zeros after
      s = next(s);
      const used = 512 + (s % 2048);
      fillKind(dst, 0, s);
      dst.fill(0, used, n);
      return;
    }
    case 5:
      dst.fill(0, 0, n);
      return;
    case 6:
      dst.fill(next(s) & 0xff, 0, n);
      return;
    default: {
      for (let o = 0; o < n; o += 4) {
        s = next(s);
        dst[o] = s & 0xff;
        dst[o + 1] = (s >>> 8) & 0xff;
        dst[o + 2] = (s >>> 16) & 0xff;
        dst[o + 3] = s >>> 24;
      }
    }
  }
}
