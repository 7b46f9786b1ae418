import { test } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync, inflateRawSync, constants } from "node:zlib";
import { DeflateFault, IaaError } from "./constants.js";
import { crc32 } from "./crc32.js";
import { deflateIaa, IAA_HW_MATCHER } from "./deflate_iaa.js";
import { inflateIaa } from "./inflate_iaa.js";
import { FIXED_D_SYM, FIXED_LL_SYM, huffEntry } from "./tables.js";
import { BitWriter, dynamicHeader } from "./_test_streams.js";

const VECTOR_A_IN = "Join us now and share the software Join us now and share the software ";
const VECTOR_A_OUT = "f3cacfcc53282d56c8cb2f5748cc4b5128ce482c4a5528c9485528ce4f2b290771bc082b0100";
const VECTOR_B_IN =
  "This document describes a compression method based on the DEFLATEcompression algorithm.  This document defines the application of the DEFLATE algorithm to the IP Payload Compression Protocol.";

function compress(input: Uint8Array, max = input.length * 2 + 64) {
  const out = new Uint8Array(max);
  const r = deflateIaa(input, out, { maxDstSize: max });
  return { r, data: out.subarray(0, r.outputSize) };
}

test("deflateIaa() reproduces testmgr vector A byte for byte, with its CRC", () => {
  const { r, data } = compress(Buffer.from(VECTOR_A_IN), 512);
  assert.equal(r.status, 1);
  assert.equal(Buffer.from(data).toString("hex"), VECTOR_A_OUT);
  assert.equal(r.crc, 0x934446d2);
});

test("deflateIaa() round-trips testmgr vector B within 512 bytes as one final fixed block", () => {
  const input = Buffer.from(VECTOR_B_IN);
  const { r, data } = compress(input, 512);
  assert.equal(r.status, 1);
  assert.equal(data[0] & 7, 0b011, "BFINAL=1, BTYPE=01");
  assert.deepEqual(inflateRawSync(data), input);
  assert.equal(r.crc, crc32(input));
});

function varied(seed: number, n: number): Uint8Array[] {
  let x = seed;
  const rnd = (): number => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0);
  const words = "alpha beta gamma delta memory page swap zswap kernel compress { } ( ) ; = => 0x7f".split(" ");
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const size = [0, 1, 2, 3, 4, 5, 17, 258, 259, 4096, 4096, 4096, 8192, 70000][i % 14];
    const b = new Uint8Array(size);
    const kind = i % 6;
    for (let j = 0; j < size; ) {
      if (kind === 0) b[j++] = rnd() >>> 24;
      else if (kind === 1) {
        const w = words[rnd() % words.length] + " ";
        for (let k = 0; k < w.length && j < size; k++) b[j++] = w.charCodeAt(k);
      } else if (kind === 2) b[j++] = 0;
      else if (kind === 3) b[j++] = j % 8 < 3 ? rnd() & 7 : j % 8 === 7 ? 0x7f : 0;
      else if (kind === 4) b[j++] = (j >> 6) & 0xff;
      else b[j++] = rnd() % 3 === 0 ? rnd() >>> 28 : 0x20;
    }
    out.push(b);
  }
  return out;
}

test("deflateIaa() output inflates with node:zlib, and zlib's fixed-mode output inflates with inflateIaa()", () => {
  for (const input of varied(7, 84)) {
    const { r, data } = compress(input);
    assert.equal(r.status, 1);
    assert.deepEqual(inflateRawSync(data), Buffer.from(input));
    assert.equal(r.crc, crc32(input));
    for (const opts of [{ windowBits: 12, strategy: constants.Z_FIXED, level: 1 }, { windowBits: 12, level: 9 }, { windowBits: 12, level: 0 }]) {
      const z = deflateRawSync(input, opts);
      const out = new Uint8Array(input.length);
      const d = inflateIaa(z, out, { window: "hw" });
      assert.equal(d.status, 1);
      assert.deepEqual(out, input);
      assert.equal(d.crc, r.crc);
    }
  }
});

test("deflateIaa() never uses a distance beyond 4096 (hw-mode inflate accepts every output)", () => {
  for (const input of varied(11, 42)) {
    const { r, data } = compress(input);
    const out = new Uint8Array(input.length);
    assert.equal(inflateIaa(data, out, { window: "hw" }).status, 1);
    assert.equal(r.status, 1);
  }
});

test("deflateIaa() reports 0x0a/0x19 when the output does not fit, and then writes nothing", () => {
  const random = new Uint8Array(4096);
  let x = 1;
  for (let i = 0; i < random.length; i++) random[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
  const out = new Uint8Array(8192).fill(0xee);
  const r = deflateIaa(random, out, { maxDstSize: 4096 });
  assert.equal(r.status, 0x0a);
  assert.equal(r.errorCode, IaaError.UNRECOVERABLE_OUTPUT_OVERFLOW);
  assert.equal(r.fault, DeflateFault.COMPRESS_OVERFLOW);
  assert.ok(out.every((b) => b === 0xee), "a failed job leaves the output as it was");
  // The exact boundary: fits in its own size, overflows one byte below it.
  const text = Buffer.from(VECTOR_B_IN.repeat(3));
  const { r: ok } = compress(text);
  const at = new Uint8Array(ok.outputSize + 8).fill(0xee);
  assert.equal(deflateIaa(text, at, { maxDstSize: ok.outputSize }).status, 1);
  assert.ok(at.subarray(ok.outputSize).every((b) => b === 0xee));
  const below = new Uint8Array(ok.outputSize + 8).fill(0xee);
  assert.equal(deflateIaa(text, below, { maxDstSize: ok.outputSize - 1 }).errorCode, 0x19);
  assert.ok(below.every((b) => b === 0xee));
});

test("deflateIaa() reports error 30 when a symbol it needs has no code", () => {
  const ll = FIXED_LL_SYM.slice();
  ll[0x41] = 0; // 'A' unused
  const out = new Uint8Array(256);
  const r = deflateIaa(Buffer.from("xyzAxyz"), out, { llSym: ll, dSym: FIXED_D_SYM, outputAccum: Uint8Array.of(3), numOutputAccumBits: 3 });
  assert.equal(r.status, 0x0a);
  assert.equal(r.errorCode, IaaError.INVALID_HUFFCODE);
  const noEob = FIXED_LL_SYM.slice();
  noEob[256] = 0;
  assert.equal(deflateIaa(Buffer.from("xyz"), out, { llSym: noEob, dSym: FIXED_D_SYM }).errorCode, 30);
  assert.equal(deflateIaa(Buffer.from("xyz"), out, { llSym: noEob, dSym: FIXED_D_SYM, appendEob: false }).status, 1);
});

test("deflateIaa() codes with any AECS tables: a dynamic header in the accumulator gives a valid dynamic block", () => {
  // Literal/length lengths: literals 9 bits, 256..285: two of 5 bits and 28 of 6 (a complete code).
  const llLens = new Array<number>(286).fill(9);
  for (let s = 256; s < 286; s++) llLens[s] = s < 258 ? 5 : 6;
  // Distances: two of 4 bits, 28 of 5.
  const dLens = new Array<number>(30).fill(5);
  dLens[0] = dLens[1] = 4;
  const w = new BitWriter();
  const codes = dynamicHeader(w, true, llLens, dLens);
  const { bytes, bitCount } = w.finish();
  const llSym = Uint32Array.from(llLens.map((l, s) => huffEntry(l, codes.ll[s])));
  const dSym = Uint32Array.from(dLens.map((l, s) => huffEntry(l, codes.d[s])));
  for (const input of varied(3, 28)) {
    const out = new Uint8Array(input.length * 2 + 400);
    const r = deflateIaa(input, out, { llSym, dSym, outputAccum: bytes, numOutputAccumBits: bitCount });
    assert.equal(r.status, 1);
    assert.equal(out[0] & 7, 0b101, "BFINAL=1, BTYPE=10");
    assert.deepEqual(inflateRawSync(out.subarray(0, r.outputSize)), Buffer.from(input));
  }
});

test("deflateIaa() codes 15-bit distance codes with 10 extra bits (25-bit tokens filling the bit buffer) that zlib decodes", () => {
  // A complete distance code: symbols 0..7, 28, 29 of 1..10 bits, 8..19 of 14 bits, 20..27 (distances 1025 and up) of 15.
  const dLens = new Array<number>(30).fill(14);
  [0, 1, 2, 3, 4, 5, 6, 7, 28, 29].forEach((s, i) => (dLens[s] = i + 1));
  for (let s = 20; s < 28; s++) dLens[s] = 15;
  const llLens = new Array<number>(286).fill(9);
  for (let s = 256; s < 286; s++) llLens[s] = s < 258 ? 5 : 6;
  const w = new BitWriter();
  const codes = dynamicHeader(w, true, llLens, dLens);
  const { bytes, bitCount } = w.finish();
  const llSym = Uint32Array.from(llLens.map((l, s) => huffEntry(l, codes.ll[s])));
  const dSym = Uint32Array.from(dLens.map((l, s) => huffEntry(l, codes.d[s])));
  let seed = 99;
  const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8;
  for (let t = 0; t < 8; t++) {
    // Random bytes, then runs copied from 1025..3000 bytes back: far matches between literals.
    const input = new Uint8Array(8192);
    for (let i = 0; i < 3000; i++) input[i] = rnd();
    let i = 3000;
    while (i < input.length) {
      const d = 1025 + (rnd() % 1976);
      for (let k = 0; k < 5 + (rnd() % 20) && i < input.length; k++, i++) input[i] = input[i - d];
      for (let k = rnd() % 4; k > 0 && i < input.length; k--, i++) input[i] = rnd();
    }
    const out = new Uint8Array(input.length * 3 + 400);
    const r = deflateIaa(input, out, { llSym, dSym, outputAccum: bytes, numOutputAccumBits: bitCount });
    assert.equal(r.status, 1);
    assert.deepEqual(inflateRawSync(out.subarray(0, r.outputSize), { windowBits: 15 }), Buffer.from(input));
  }
});

test("deflateIaa() without FLUSH leaves the partial byte out of outputSize and reports its bits", () => {
  const out = new Uint8Array(64);
  const flushed = deflateIaa(Buffer.from("abc"), out);
  const open = deflateIaa(Buffer.from("abc"), out, { flush: false });
  assert.equal(open.status, 1);
  assert.equal(open.outputSize + (open.outputBits > 0 ? 1 : 0), flushed.outputSize);
  assert.equal((3 + 3 * 8 + 7) % 8, open.outputBits);
});

test("deflateIaa() gives identical output when called again (no state leaks between jobs)", () => {
  const inputs = varied(5, 28);
  const first = inputs.map((i) => Buffer.from(compress(i).data));
  const second = inputs.map((i) => Buffer.from(compress(i).data));
  assert.deepEqual(second, first);
});

test("deflateIaa() with the hardware matcher gives the documented 228 bytes for a page of '*' and still round-trips", async () => {

  const { inflateRawSync } = await import("node:zlib");
  const page = new Uint8Array(4096).fill(0x2a);
  const out = new Uint8Array(4096);
  const r = deflateIaa(page, out, IAA_HW_MATCHER);
  assert.equal(r.status, 1);
  assert.equal(r.outputSize, 228);
  assert.deepEqual(new Uint8Array(inflateRawSync(out.subarray(0, r.outputSize))), page);
  // no match is longer than 32 bytes on a varied input either
  const text = new TextEncoder().encode("zswap pages go through IAA; ".repeat(200)).subarray(0, 4096);
  const r2 = deflateIaa(text, out, IAA_HW_MATCHER);
  assert.equal(r2.status, 1);
  assert.deepEqual(new Uint8Array(inflateRawSync(out.subarray(0, r2.outputSize))), text);
  assert.ok(r2.outputSize > deflateIaa(text, new Uint8Array(4096)).outputSize);
});

test("deflateIaa() with one or two match candidates and any hash table size round-trips adversarial pages through zlib, the hardware matcher untouched by the default's history", () => {
  let x = 99;
  const next = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 16;
  const out = new Uint8Array(8192);
  const hwFirst: Uint8Array[] = [];
  const pages: Uint8Array[] = [];
  for (let k = 0; k < 120; k++) {
    const page = new Uint8Array(4096);
    // Periods that make both bucket slots hit, short alphabets, runs and noise.
    const period = 1 + (next() % 64);
    for (let i = 0; i < 4096; i++) page[i] = i >= period && next() % 7 !== 0 ? page[i - period] ^ (next() % 9 === 0 ? 1 : 0) : next() % (1 + (k % 40));
    pages.push(page);
    const r = deflateIaa(page, out, { maxDstSize: 8192, ...IAA_HW_MATCHER });
    hwFirst.push(out.slice(0, r.outputSize));
  }
  for (const [k, page] of pages.entries()) {
    for (const matchCandidates of [1, 2] as const) {
      // Out-of-range sizes (NaN, 3, 99) are clamped to 8..15 bits.
      for (const hashBits of [undefined, 8, 12, 15, 3, 99, Number.NaN]) {
        const r = deflateIaa(page, out, { maxDstSize: 8192, matchCandidates, hashBits });
        assert.equal(r.status, 1);
        assert.deepEqual(new Uint8Array(inflateRawSync(out.subarray(0, r.outputSize))), page, `page ${k}, ${matchCandidates} candidates, ${hashBits} bits`);
      }
    }
    // The same page through the hardware matcher after default-matcher jobs: the same bytes as before them.
    const h = deflateIaa(page, out, { maxDstSize: 8192, ...IAA_HW_MATCHER });
    assert.deepEqual(out.subarray(0, h.outputSize), hwFirst[k], `page ${k}: hardware matcher output changed`);
  }
});

test("deflateIaa() takes matcher limits as numbers: Infinity is the longest, NaN and fractions fall to integers in range", () => {
  const text = new TextEncoder().encode("zswap pages go through IAA; the IAA compresses them. ".repeat(90)).subarray(0, 4096);
  const out = new Uint8Array(8192);
  const bytes = (o: Parameters<typeof deflateIaa>[2]): Uint8Array => {
    const r = deflateIaa(text, out, { maxDstSize: 8192, ...o });
    assert.equal(r.status, 1);
    return out.slice(0, r.outputSize);
  };
  assert.deepEqual(bytes({ maxMatch: Infinity, maxInsert: Infinity }), bytes({ maxMatch: 258, maxInsert: 258 }));
  assert.deepEqual(bytes({ maxMatch: Number.NaN, maxInsert: Number.NaN }), bytes({ maxMatch: 4, maxInsert: 0 }));
  assert.deepEqual(bytes({ maxMatch: 32.9, maxInsert: 7.5 }), bytes({ maxMatch: 32, maxInsert: 7 }));
  assert.ok(bytes({ maxMatch: 4 }).length > bytes({}).length);
});
