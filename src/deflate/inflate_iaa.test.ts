import { test } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync, inflateRawSync, constants } from "node:zlib";
import { DeflateFault, IaaError } from "./constants.js";
import { crc32 } from "./crc32.js";
import { deflateIaa, IAA_HW_MATCHER } from "./deflate_iaa.js";
import { inflateIaa } from "./inflate_iaa.js";
import { BitWriter, dynamicHeader } from "./_test_streams.js";

const hex = (s: string): Uint8Array => Uint8Array.from(s.trim().split(/\s+/).filter(Boolean).map((h) => parseInt(h, 16)));

const VECTOR_A_IN = "Join us now and share the software Join us now and share the software ";
const VECTOR_A_OUT = "f3cacfcc53282d56c8cb2f5748cc4b5128ce482c4a5528c9485528ce4f2b290771bc082b0100";
const VECTOR_B_IN =
  "This document describes a compression method based on the DEFLATEcompression algorithm.  This document defines the application of the DEFLATE algorithm to the IP Payload Compression Protocol.";
const VECTOR_B_OUT =
  "5d8d310ec2301004bfb22fc81f10040989c2853f70b12ff824db67d947c1ef49681251ae7667d62719881ade85ab21f2085d161e20042dadf318a215852d69c4428323b66c89719befcf8b9fcf33ca2fed62a94c80ff13af5237ed0e526b5902d94ee87a761d0298fe8a8783a34f568ab89e8e5c57d3a079fa02";

function inflateAll(input: Uint8Array, window: "hw" | "sw" = "sw", max = 1 << 16) {
  const out = new Uint8Array(max);
  const r = inflateIaa(input, out, { window });
  return { r, data: out.subarray(0, r.outputSize) };
}

test("inflateIaa() decompresses testmgr vectors A (fixed) and B (dynamic) exactly", () => {
  for (const [inp, outHex, crc] of [
    [VECTOR_A_IN, VECTOR_A_OUT, 0x934446d2],
    [VECTOR_B_IN, VECTOR_B_OUT, undefined],
  ] as const) {
    const { r, data } = inflateAll(Buffer.from(outHex, "hex"), "hw", 512);
    assert.equal(r.status, 1);
    assert.equal(Buffer.from(data).toString("latin1"), inp);
    assert.equal(r.outputSize, inp.length);
    assert.equal(r.bytesConsumed, outHex.length / 2);
    if (crc !== undefined) assert.equal(r.crc, crc);
  }
});

// zlib test/infcover.c cover_inflate(): hex stream → the fault it must give.
const CORRUPT: [string, string, number, number][] = [
  ["invalid stored block lengths", "0 0 0 0 0", DeflateFault.INVALID_STORED_LEN, IaaError.INVALID_STORED_LEN],
  ["invalid block type", "6", DeflateFault.INVALID_BLOCK_TYPE, IaaError.INVALID_BLOCK_TYPE],
  ["too many length symbols", "fc 0 0", DeflateFault.TOO_MANY_LL_CODES, IaaError.TOO_MANY_LL_CODES],
  ["invalid code lengths set", "4 0 fe ff", DeflateFault.CL_INCOMPLETE, IaaError.UNDEF_CL_CODE],
  ["invalid bit length repeat (first)", "4 0 24 49 0", DeflateFault.REPEAT_WITHOUT_PREVIOUS, IaaError.FIRST_LL_CODE_16],
  ["invalid bit length repeat (too long)", "4 0 24 e9 ff ff", DeflateFault.REPEAT_TOO_LONG, IaaError.WRONG_NUM_DIST_CODES],
  ["missing end-of-block", "4 0 24 e9 ff 6d", DeflateFault.MISSING_EOB, IaaError.NO_LL_CODE],
  ["invalid literal/lengths set", "4 80 49 92 24 49 92 24 71 ff ff 93 11 0", DeflateFault.LL_OVERSUBSCRIBED, IaaError.BAD_LL_CODE_LEN],
  ["invalid distances set", "4 80 49 92 24 49 92 24 f b4 ff ff c3 84", DeflateFault.D_INCOMPLETE, IaaError.BAD_DIST_CODE_LEN],
  ["invalid literal/length code", "4 c0 81 8 0 0 0 0 20 7f eb b 0 0", DeflateFault.INVALID_LL_CODE, IaaError.BAD_LL_CODE],
  ["invalid distance code", "2 7e ff ff", DeflateFault.INVALID_D_CODE, IaaError.BAD_D_CODE],
  ["distance too far back", "c c0 81 0 0 0 0 0 90 ff 6b 4 0", DeflateFault.DIST_BEFORE_START, IaaError.REF_BEFORE_START],
  ["fast invalid distance code (fixed 30)", "3 7e 0 0 0 0 0", DeflateFault.INVALID_D_CODE, IaaError.BAD_D_CODE],
  ["fast invalid literal/length code (fixed 286)", "1b 7 0 0 0 0 0", DeflateFault.INVALID_LL_CODE, IaaError.BAD_LL_CODE],
  ["truncated fixed block", "73 04", DeflateFault.TRUNCATED, IaaError.BAD_EOF],
  ["empty input", "", DeflateFault.TRUNCATED, IaaError.BAD_EOF],
  ["truncated stored block", "1 5 0 fa ff 61 62", DeflateFault.TRUNCATED, IaaError.BAD_EOF],
];

test("inflateIaa() reports each kind of corrupt stream with its own fault and the IAA error code", () => {
  const seen = new Set<number>();
  for (const [name, h, fault, code] of CORRUPT) {
    const { r } = inflateAll(hex(h));
    assert.equal(r.status, 0x0a, name);
    assert.equal(r.fault, fault, name);
    assert.equal(r.errorCode, code, name);
    seen.add(fault);
  }
  assert.equal(seen.size, CORRUPT.length - 4); // every kind but the repeated truncation and fast-path cases
});

test("inflateIaa() decodes zlib's valid edge streams as zlib does", () => {
  for (const h of [
    "3 0",
    "1 1 0 fe ff 0",
    "5 c0 21 d 0 0 0 80 b0 fe 6d 2f 91 6c",
    "5 e0 81 91 24 cb b2 2c 49 e2 f 2e 8b 9a 47 56 9f fb fe ec d2 ff 1f",
    "ed c0 1 1 0 0 0 40 20 ff 57 1b 42 2c 4f",
    "ed cf c1 b1 2c 47 10 c4 30 fa 6f 35 1d 1 82 59 3d fb be 2e 2a fc f c",
    "ed c0 81 0 0 0 0 80 a0 fd a9 17 a9 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 6",
    "2 8 20 80 0 3 0",
    "63 0 3 0 0 0 0 0",
  ]) {
    const input = hex(h);
    const expected = inflateRawSync(input);
    const { r, data } = inflateAll(input, "sw", 1 << 17);
    assert.equal(r.status, 1, h);
    assert.deepEqual(Buffer.from(data), expected, h);
  }
});

test("inflateIaa() accepts the incomplete codes libdeflate requires and rejects other incomplete codes", () => {
  const ll = (entries: [number, number][]): number[] => {
    const l = new Array<number>(258).fill(0);
    for (const [s, n] of entries) l[s] = n;
    return l;
  };
  // 1. empty distance code
  let w = new BitWriter();
  let c = dynamicHeader(w, true, ll([[65, 1], [256, 1]]), [0]);
  w.code(c.ll[65], 1);
  w.code(c.ll[256], 1);
  assert.equal(Buffer.from(inflateAll(w.finish().bytes).data).toString(), "A");
  // 2. literal/length code with only end-of-block
  w = new BitWriter();
  c = dynamicHeader(w, true, ll([[256, 1]]), [0]);
  w.code(c.ll[256], 1);
  let res = inflateAll(w.finish().bytes);
  assert.equal(res.r.status, 1);
  assert.equal(res.r.outputSize, 0);
  // 3. single-codeword distance code (symbol 0), 4. single codeword that is not symbol 0
  for (const [dsym, expect] of [
    [0, "AAAA"],
    [1, "ABABA"],
  ] as const) {
    w = new BitWriter();
    const lens = ll([[65, 2], [66, 2], [256, 2], [257, 2]]);
    const dl = dsym === 0 ? [1] : [0, 1];
    c = dynamicHeader(w, true, lens, dl);
    w.code(c.ll[65], 2);
    if (dsym === 1) w.code(c.ll[66], 2);
    w.code(c.ll[257], 2); // length 3
    w.code(c.d[dsym], 1);
    w.code(c.ll[256], 2);
    res = inflateAll(w.finish().bytes);
    assert.equal(res.r.status, 1, expect);
    assert.equal(Buffer.from(res.data).toString(), expect);
  }
  // An incomplete code with more than one codeword is refused.
  w = new BitWriter();
  c = dynamicHeader(w, true, ll([[65, 2], [256, 2], [257, 2]]), [1]);
  res = inflateAll(w.finish().bytes);
  assert.equal(res.r.fault, DeflateFault.LL_INCOMPLETE);
});

test("inflateIaa() reads a stored block that starts with a whole byte left in the bit buffer", () => {
  // A non-final fixed block of k literals, then a final stored block: every alignment of the stored header.
  for (let k = 0; k < 16; k++) {
    const w = new BitWriter();
    w.bits(0, 1);
    w.bits(1, 2);
    for (let i = 0; i < k; i++) w.code(0x30 + 0x61 + (i % 3), 8);
    w.code(0, 7);
    w.bits(1, 1);
    w.bits(0, 2);
    w.align();
    for (const b of [3, 0, 0xfc, 0xff, 0x78, 0x79, 0x7a]) w.bits(b, 8);
    const bytes = w.finish().bytes;
    const { r, data } = inflateAll(bytes);
    const expected = "abc".repeat(6).slice(0, k) + "xyz";
    assert.equal(r.status, 1, `k=${k}`);
    assert.equal(Buffer.from(data).toString(), expected);
    assert.deepEqual(Buffer.from(data), inflateRawSync(bytes));
  }
});

test("inflateIaa() in hw mode fails a distance beyond 4 KiB with error 17, and sw mode decodes it", () => {
  const data = new Uint8Array(12000);
  let x = 12345;
  for (let i = 0; i < 9000; i++) data[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
  data.set(data.subarray(0, 3000), 9000);
  const z = deflateRawSync(data, { level: 6, windowBits: 15 });
  const hw = inflateAll(z, "hw", data.length);
  assert.equal(hw.r.status, 0x0a);
  assert.equal(hw.r.errorCode, IaaError.BAD_DIST);
  assert.equal(hw.r.fault, DeflateFault.DIST_TOO_FAR);
  const sw = inflateAll(z, "sw", data.length);
  assert.equal(sw.r.status, 1);
  assert.deepEqual(sw.data, data);
  // A 4 KiB-window stream decodes in hw mode.
  const z12 = deflateRawSync(data, { level: 6, windowBits: 12 });
  assert.equal(inflateAll(z12, "hw", data.length).r.status, 1);
});

test("inflateIaa() stops at maxDstSize with status 0x0b and writes nothing past it", () => {
  const data = Buffer.from("abcdefgh".repeat(200) + "0123456789".repeat(50));
  for (const z of [deflateRawSync(data, { level: 6 }), deflateRawSync(data, { level: 0 }), deflateRawSync(data, { strategy: constants.Z_FIXED })]) {
    for (const max of [0, 1, 7, 100, 1000, data.length - 1]) {
      const out = new Uint8Array(data.length + 64).fill(0xee);
      const r = inflateIaa(z, out, { maxDstSize: max, window: "sw" });
      assert.equal(r.status, 0x0b, `max ${max}`);
      assert.ok(r.outputSize <= max);
      assert.deepEqual(Buffer.from(out.subarray(0, r.outputSize)), Buffer.from(data.subarray(0, r.outputSize)));
      assert.ok(out.subarray(max).every((b) => b === 0xee), `no write past ${max}`);
    }
    const out = new Uint8Array(data.length);
    assert.equal(inflateIaa(z, out, { window: "sw" }).status, 1);
  }
});

test("inflateIaa() with suppressOutput writes nothing and gives the same CRC, also past its history buffer", () => {
  const data = new Uint8Array(300000);
  for (let i = 0; i < data.length; i++) data[i] = (i % 251) ^ (i >> 9) ^ (i % 7 === 0 ? i >> 3 : 0);
  for (const opts of [{ level: 1 }, { level: 0 }, { level: 9, strategy: constants.Z_FIXED }]) {
    const z = deflateRawSync(data, opts);
    const out = new Uint8Array(data.length);
    const full = inflateIaa(z, out, { window: "sw" });
    assert.equal(full.status, 1);
    const probe = new Uint8Array(16).fill(0xee);
    const s = inflateIaa(z, probe, { window: "sw", suppressOutput: true });
    assert.equal(s.status, 1);
    assert.equal(s.outputSize, 0);
    assert.equal(s.crc, full.crc);
    assert.ok(probe.every((b) => b === 0xee));
  }
});

test("inflateIaa() never throws on random input or mutated streams, and agrees with zlib", () => {
  let x = 987654321;
  const rnd = (): number => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0);
  const text = Buffer.from("The quick brown fox jumps over the lazy dog. 0123456789 ".repeat(40));
  const streams = [deflateRawSync(text, { level: 6 }), deflateRawSync(text, { strategy: constants.Z_FIXED }), deflateRawSync(text, { level: 0 })];
  const out = new Uint8Array(4096);
  for (let iter = 0; iter < 3000; iter++) {
    let input: Uint8Array;
    if (iter % 3 === 0) {
      input = new Uint8Array(rnd() % 64);
      for (let i = 0; i < input.length; i++) input[i] = rnd();
    } else {
      const base = streams[iter % streams.length];
      input = Uint8Array.from(base.subarray(0, base.length - (rnd() % 4 === 0 ? rnd() % base.length : 0)));
      const flips = 1 + (rnd() % 3);
      for (let f = 0; f < flips && input.length > 0; f++) input[rnd() % input.length] ^= 1 << (rnd() % 8);
    }
    const max = rnd() % 4096;
    out.fill(0xee);
    const r = inflateIaa(input, out, { maxDstSize: max, window: "sw" });
    assert.ok([1, 0x0a, 0x0b].includes(r.status));
    assert.ok(r.outputSize <= max);
    assert.ok(out.subarray(max).every((b) => b === 0xee));
    let ref: Buffer | undefined;
    try {
      ref = inflateRawSync(input, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 1 << 20 });
    } catch {
      ref = undefined;
    }
    if (r.status === 1) {
      assert.ok(ref !== undefined, `zlib rejects a stream we accept (iter ${iter})`);
      assert.deepEqual(Buffer.from(out.subarray(0, r.outputSize)), ref.subarray(0, r.outputSize));
    }
  }
});

test("inflateIaa() refuses more than 30 distance codes (HDIST 31) with error 36", () => {
  const w = new BitWriter();
  w.bits(1, 1);
  w.bits(2, 2);
  w.bits(0, 5);
  w.bits(31, 5); // 32 distance codes
  w.bits(15, 4);
  for (let i = 0; i < 19; i++) w.bits(4, 3);
  const { r } = inflateAll(w.finish().bytes);
  assert.equal(r.fault, DeflateFault.TOO_MANY_D_CODES);
  assert.equal(r.errorCode, IaaError.TOO_MANY_D_CODES);
});

test("inflateIaa() fails every proper prefix of a stored + fixed stream as truncated (Go TestTruncatedStreams)", () => {
  const w = new BitWriter();
  w.bits(0, 1);
  w.bits(0, 2);
  w.align();
  for (const b of [5, 0, 0xfa, 0xff, ...Buffer.from("hello")]) w.bits(b, 8);
  w.bits(1, 1);
  w.bits(1, 2);
  for (const ch of Buffer.from("world")) w.code(0x30 + ch, 8);
  w.code(0, 7);
  const full = w.finish().bytes;
  assert.equal(Buffer.from(inflateAll(full).data).toString(), "helloworld");
  for (let n = 0; n < full.length; n++) {
    const { r } = inflateAll(full.subarray(0, n));
    assert.equal(r.fault, DeflateFault.TRUNCATED, `prefix of ${n} bytes`);
    assert.equal(r.errorCode, IaaError.BAD_EOF);
  }
});

test("inflateIaa() copies every short period and length exactly, into a view at an offset of a shared buffer", () => {
  // Runs of each period 1..12 and lengths 3..300 between random bytes: overlapping and word-sized copies.
  let x = 4242;
  const rnd = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 16;
  const parts: number[] = [];
  for (let period = 1; period <= 12; period++) {
    for (const len of [3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 258, 300]) {
      const unit = Array.from({ length: period }, () => rnd() & 0xff);
      for (let i = 0; i < period + len; i++) parts.push(unit[i % period]);
      for (let i = 0; i < 5; i++) parts.push(rnd() & 0xff);
    }
  }
  const data = Uint8Array.from(parts);
  const hwOut = new Uint8Array(data.length * 2);
  const hw = deflateIaa(data, hwOut, { maxDstSize: hwOut.length, ...IAA_HW_MATCHER });
  assert.equal(hw.status, 1);
  const streams = [hwOut.subarray(0, hw.outputSize), deflateRawSync(data, { level: 9, windowBits: 12 }), deflateRawSync(data, { strategy: constants.Z_FIXED })];
  for (const z of streams) {
    const sab = new Uint8Array(new SharedArrayBuffer(data.length + 64)).fill(0xee);
    const view = sab.subarray(13, 13 + data.length + 40);
    const r = inflateIaa(z, view, { maxDstSize: data.length, window: "hw" });
    assert.equal(r.status, 1);
    assert.equal(r.outputSize, data.length);
    assert.deepEqual(Buffer.from(view.subarray(0, data.length)), Buffer.from(data));
    assert.equal(r.crc, crc32(data));
    assert.ok(sab.subarray(0, 13).every((b) => b === 0xee), "nothing before the view");
    assert.ok(sab.subarray(13 + data.length).every((b) => b === 0xee), "nothing past maxDstSize");
  }
});

test("inflateIaa() with suppressOutput ends on random and truncated streams with a defined status", () => {
  let x = 77;
  const rnd = (): number => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0);
  const text = Buffer.from("zswap verify: decompress and compare the CRC. ".repeat(60));
  const base = deflateRawSync(text, { level: 6 });
  const sink = new Uint8Array(0);
  for (let iter = 0; iter < 1500; iter++) {
    let input: Uint8Array;
    if (iter % 2 === 0) {
      input = new Uint8Array(1 + (rnd() % 48));
      for (let i = 0; i < input.length; i++) input[i] = rnd();
    } else {
      input = Uint8Array.from(base.subarray(0, rnd() % base.length));
      if (input.length > 0) input[rnd() % input.length] ^= 1 << (rnd() % 8);
    }
    const r = inflateIaa(input, sink, { suppressOutput: true, window: "sw" });
    assert.ok([1, 0x0a].includes(r.status), `iter ${iter}: status ${r.status}`);
    assert.equal(r.outputSize, 0);
  }
});
