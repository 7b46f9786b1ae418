import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { decompress as fzstdDecompress } from "fzstd";
import { lz4CompressBound, lz4CompressDefault, lz4DecompressSafe } from "./lz4.js";
import { LZO_E_INPUT_NOT_CONSUMED, LZO_E_LOOKBEHIND_OVERRUN, LZO_E_OUTPUT_OVERRUN, lzo1x1Compress, lzo1xDecompressSafe, lzo1xWorstCompress } from "./lzo.js";
import { zstdCompress } from "./zstd.js";

const lz4js = createRequire(import.meta.url)("lz4js") as {
  decompressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, dIndex: number): number;
};

/** Inputs with literals, near and far repeats and zero runs, from a fixed LCG. */
function* inputs(count: number, maxLen: number): Generator<Uint8Array> {
  let seed = 12345;
  const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (let it = 0; it < count; it++) {
    const n = 1 + Math.floor(rnd() ** 2 * maxLen);
    const a = new Uint8Array(n);
    const alpha = 1 + Math.floor(rnd() * 255);
    for (let i = 0; i < n; ) {
      if (i > 10 && rnd() < 0.3) {
        const d = 1 + Math.floor(rnd() * Math.min(i, rnd() < 0.5 ? 100 : 70000));
        const l = Math.min(n - i, 3 + Math.floor(rnd() ** 3 * 3000));
        for (let k = 0; k < l; k++, i++) a[i] = a[i - d]!;
      } else if (rnd() < 0.05) {
        i += Math.min(n - i, Math.floor(rnd() * 5000));
      } else {
        a[i++] = Math.floor(rnd() * alpha);
      }
    }
    yield a;
  }
}

test("lzo1x1Compress() and lzo1xDecompressSafe() round-trip varied inputs, lzo and lzo-rle", () => {
  for (const a of inputs(80, 131072)) {
    for (const rle of [false, true]) {
      const o = new Uint8Array(lzo1xWorstCompress(a.length));
      const n = lzo1x1Compress(a, o, rle);
      const d = new Uint8Array(a.length);
      assert.equal(lzo1xDecompressSafe(o.subarray(0, n), d), a.length);
      assert.deepEqual(d, a);
    }
  }
});

test("lzo1xDecompressSafe() reports overruns and trailing input", () => {
  const a = new TextEncoder().encode("abcabcabcabcabcabcabcabcabcabc0123456789");
  const o = new Uint8Array(lzo1xWorstCompress(a.length));
  const n = lzo1x1Compress(a, o, false);
  assert.equal(lzo1xDecompressSafe(o.subarray(0, n), new Uint8Array(10)), LZO_E_OUTPUT_OVERRUN);
  const extra = new Uint8Array(n + 1);
  extra.set(o.subarray(0, n));
  assert.equal(lzo1xDecompressSafe(extra, new Uint8Array(64)), LZO_E_INPUT_NOT_CONSUMED);
  // A match reaching before the start of the output.
  assert.equal(lzo1xDecompressSafe(Uint8Array.of(0x15, 0x61, 0x62, 0x63, 0x64, 0xff, 0xff, 0x11, 0, 0), new Uint8Array(64)), LZO_E_LOOKBEHIND_OVERRUN);
});

test("lz4CompressDefault() output decodes with lz4js and lz4DecompressSafe()", () => {
  for (const a of inputs(80, 131072)) {
    const o = new Uint8Array(lz4CompressBound(a.length));
    const n = lz4CompressDefault(a, o);
    assert.ok(n > 0);
    const d = new Uint8Array(a.length);
    assert.equal(lz4DecompressSafe(o.subarray(0, n), d), a.length);
    assert.deepEqual(d, a);
    const p = new Uint8Array(a.length);
    assert.equal(lz4js.decompressBlock(o, p, 0, n, 0), a.length);
    assert.deepEqual(p, a);
  }
});

test("lz4CompressDefault() returns 0 when the output does not fit", () => {
  let x = 7;
  const a = new Uint8Array(4096).map(() => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24);
  assert.equal(lz4CompressDefault(a, new Uint8Array(4096)), 0);
});

test("zstdCompress() frames decode with fzstd", () => {
  for (const a of inputs(80, 131072)) {
    const o = new Uint8Array(a.length + 64);
    const n = zstdCompress(a, o);
    assert.ok(n > 0);
    assert.deepEqual(fzstdDecompress(o.subarray(0, n)), a);
  }
  // Several blocks: more than 128 KiB.
  const big = new Uint8Array(300_000).map((_, i) => (i % 251) ^ (i >> 12));
  const o = new Uint8Array(big.length + 64);
  assert.deepEqual(fzstdDecompress(o.subarray(0, zstdCompress(big, o))), big);
  assert.equal(zstdCompress(big, new Uint8Array(100)), -1);
});
