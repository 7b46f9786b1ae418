/**
 * The inflater's fast loop (bounds tested once per symbol group, the fixed
 * block's joint length/distance table, literal pairs): random and
 * adversarial streams against node:zlib's inflateRawSync, and corrupt streams
 * whose error codes must stay what the general path gives.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { constants, deflateRawSync, inflateRawSync } from "node:zlib";
import { DeflateFault, FAULT_IAA_ERROR } from "./constants.js";
import { crc32 } from "./crc32.js";
import { deflateIaa } from "./deflate_iaa.js";
import { inflateIaa } from "./inflate_iaa.js";
import { BitWriter } from "./_test_streams.js";
import { DIST_BASE, DIST_EXTRA, LENGTH_BASE, LENGTH_EXTRA } from "./tables.js";

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Fixed-Huffman code of literal/length symbol `s`. */
function fixedLl(w: BitWriter, s: number): void {
  if (s < 144) w.code(0x30 + s, 8);
  else if (s < 256) w.code(0x190 + s - 144, 9);
  else if (s < 280) w.code(s - 256, 7);
  else w.code(0xc0 + s - 280, 8);
}

function lengthSymbol(len: number): number {
  let s = 28;
  while (LENGTH_BASE[s] > len) s--;
  return s;
}

function distSymbol(dist: number): number {
  let s = 29;
  while (DIST_BASE[s] > dist) s--;
  return s;
}

/**
 * A random single fixed block: runs of literals and matches of every length
 * and distance class (within `maxDist` and the output so far), of about `size`
 * output bytes. Returns the stream and the bytes it must give.
 */
function randomFixedStream(r: () => number, size: number, maxDist: number): { stream: Uint8Array; expected: Uint8Array } {
  const w = new BitWriter();
  w.bits(1, 1);
  w.bits(1, 2);
  const out: number[] = [];
  const alphabet = 1 + (r() % 256);
  while (out.length < size) {
    if (out.length === 0 || r() % 3 !== 0) {
      const b = r() % 4 === 0 ? r() & 0xff : r() % alphabet;
      fixedLl(w, b);
      out.push(b);
      continue;
    }
    const len = r() % 4 === 0 ? 3 + (r() % 256) : 3 + (r() % 8);
    const lim = Math.min(out.length, maxDist);
    const dist = r() % 3 === 0 ? 1 + (r() % Math.min(lim, 8)) : 1 + (r() % lim);
    const ls = lengthSymbol(len);
    fixedLl(w, 257 + ls);
    w.bits(len - LENGTH_BASE[ls], LENGTH_EXTRA[ls]);
    const ds = distSymbol(dist);
    w.code(ds, 5);
    w.bits(dist - DIST_BASE[ds], DIST_EXTRA[ds]);
    for (let i = 0; i < len; i++) out.push(out[out.length - dist]);
  }
  fixedLl(w, 256);
  return { stream: w.finish().bytes, expected: Uint8Array.from(out) };
}

test("inflateIaa() decodes random fixed blocks (every length and distance class) as zlib does, with the right CRC", () => {
  const r = rng(14);
  for (let k = 0; k < 300; k++) {
    const size = k < 50 ? 1 + (r() % 64) : 1 + (r() % 9000);
    const { stream, expected } = randomFixedStream(r, size, 4096);
    assert.deepEqual(new Uint8Array(inflateRawSync(stream)), expected, `stream ${k}`);
    const out = new Uint8Array(expected.length + (k % 2 === 0 ? 0 : 300));
    const res = inflateIaa(stream, out);
    assert.equal(res.status, 1, `stream ${k}: fault ${res.fault}`);
    assert.equal(res.outputSize, expected.length);
    assert.deepEqual(out.subarray(0, expected.length), expected, `stream ${k}`);
    assert.equal(res.crc, crc32(expected));
    assert.equal(res.bytesConsumed, stream.length);
  }
});

test("inflateIaa() decodes zlib's fixed, dynamic and multi-block streams of mixed pages exactly", () => {
  const r = rng(41);
  for (let k = 0; k < 120; k++) {
    const n = 1 + (r() % 20000);
    const data = new Uint8Array(n);
    const kind = k % 4;
    for (let i = 0; i < n; i++) {
      data[i] =
        kind === 0 ? r() & 0xff : kind === 1 ? 0x61 + (r() % 6) : kind === 2 ? (i > 4 && r() % 4 !== 0 ? data[i - 1 - (r() % 4)] : r() & 0xff) : (i >> 7) & 0xff;
    }
    const z = deflateRawSync(data, { windowBits: 12, level: 1 + (k % 9), strategy: k % 3 === 0 ? constants.Z_FIXED : constants.Z_DEFAULT_STRATEGY });
    const out = new Uint8Array(n);
    const res = inflateIaa(z, out, { window: "hw" });
    assert.equal(res.status, 1, `case ${k}: fault ${res.fault}`);
    assert.deepEqual(out, data, `case ${k}`);
    assert.equal(res.crc, crc32(data));
  }
});

test("inflateIaa() round-trips every deflateIaa page through the fast loop, and zlib agrees", () => {
  const r = rng(7);
  const out = new Uint8Array(8192);
  const back = new Uint8Array(4096);
  for (let k = 0; k < 200; k++) {
    const page = new Uint8Array(4096);
    const period = 1 + (r() % 300);
    for (let i = 0; i < 4096; i++) page[i] = i >= period && r() % 5 !== 0 ? page[i - period] : r() % (2 + (k % 200));
    const c = deflateIaa(page, out, { maxDstSize: 8192 });
    assert.equal(c.status, 1);
    const z = out.subarray(0, c.outputSize);
    assert.deepEqual(new Uint8Array(inflateRawSync(z)), page);
    const d = inflateIaa(z, back);
    assert.equal(d.status, 1);
    assert.deepEqual(back, page);
    assert.equal(d.crc, c.crc);
  }
});

test("inflateIaa() reports truncation of a long stream cut at any byte as error 19 (TRUNCATED)", () => {
  const { stream, expected } = randomFixedStream(rng(3), 6000, 4096);
  const out = new Uint8Array(expected.length);
  for (let cut = 0; cut < stream.length; cut += cut < 40 || stream.length - cut < 40 ? 1 : 37) {
    const res = inflateIaa(stream.subarray(0, cut), out);
    assert.equal(res.fault, DeflateFault.TRUNCATED, `cut at ${cut}`);
    assert.equal(res.errorCode, FAULT_IAA_ERROR[DeflateFault.TRUNCATED]);
  }
});

/** A fixed block: `lits` literals, then `tail` writes the bad symbol, then end-of-block. */
function corrupt(lits: number, tail: (w: BitWriter) => void): Uint8Array {
  const w = new BitWriter();
  w.bits(1, 1);
  w.bits(1, 2);
  for (let i = 0; i < lits; i++) fixedLl(w, 0x41 + (i % 26));
  tail(w);
  for (let i = 0; i < 64; i++) fixedLl(w, 0x41);
  fixedLl(w, 256);
  return w.finish().bytes;
}

test("inflateIaa() keeps its IAA error codes for corrupt symbols inside a long stream (fast loop) and near its end", () => {
  for (const lits of [0, 5, 1000, 5000]) {
    const cases: [string, (w: BitWriter) => void, number, number][] = [
      ["distance before the start", (w) => { fixedLl(w, 257); w.code(13, 5); w.bits(0, 5); }, DeflateFault.DIST_BEFORE_START, lits < 193 ? 1 : 0],
      ["distance code 30", (w) => { fixedLl(w, 257); w.code(30, 5); }, DeflateFault.INVALID_D_CODE, 1],
      ["literal/length code 286", (w) => fixedLl(w, 286), DeflateFault.INVALID_LL_CODE, 1],
      ["distance 4097..8192 in hw mode", (w) => { fixedLl(w, 257); w.code(24, 5); w.bits(0, 11); }, DeflateFault.DIST_TOO_FAR, lits > 4097 ? 1 : 0],
    ];
    for (const [name, tail, fault, applies] of cases) {
      if (applies === 0) continue;
      const stream = corrupt(lits, tail);
      const res = inflateIaa(stream, new Uint8Array(8192));
      assert.equal(res.fault, fault, `${name} after ${lits} literals`);
      assert.equal(res.errorCode, FAULT_IAA_ERROR[fault], `${name} after ${lits} literals`);
      // (zlib's one-shot inflate has no 4 KiB limit: the hw-window case is IAA's own.)
      if (fault !== DeflateFault.DIST_TOO_FAR) assert.throws(() => inflateRawSync(stream), Error, `zlib rejects ${name} too`);
      else assert.equal(inflateRawSync(stream).length, lits + 3 + 64);
    }
  }
});

test("inflateIaa() stops a long stream at maxDstSize with status 0x0b, the bytes that fitted written", () => {
  const { stream, expected } = randomFixedStream(rng(9), 5000, 4096);
  for (const max of [1, 100, 1000, 4095, expected.length - 1]) {
    const out = new Uint8Array(max);
    const res = inflateIaa(stream, out, { maxDstSize: max });
    assert.equal(res.status, 0x0b, `max ${max}`);
    assert.equal(res.fault, DeflateFault.OUTPUT_OVERFLOW);
    assert.deepEqual(out.subarray(0, res.outputSize), expected.subarray(0, res.outputSize));
  }
});
