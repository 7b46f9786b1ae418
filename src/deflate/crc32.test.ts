import { test } from "node:test";
import assert from "node:assert/strict";
import { crc32 as zlibCrc32 } from "node:zlib";
import { crc32, crc32Js } from "./crc32.js";

function bitwise(d: Uint8Array): number {
  let c = ~0;
  for (const b of d) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return ~c >>> 0;
}

test("crc32() gives the RFC 1952 check value", () => {
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
});

test("crc32() matches a bitwise reference at every alignment and length, and chains", () => {
  const big = new Uint8Array(5000);
  for (let i = 0; i < big.length; i++) big[i] = (i * 131 + 7) ^ (i >> 5);
  for (let s = 0; s < 9; s++) {
    for (const len of [1, 15, 63, 64, 65, 100, 1000, 4096]) {
      const d = big.subarray(s, s + len);
      assert.equal(crc32(d), bitwise(d), `offset ${s} length ${len}`);
      assert.equal(crc32Js(0, d, 0, d.length), bitwise(d), `JavaScript path, offset ${s} length ${len}`);
    }
  }
  assert.equal(crc32(big.subarray(1000), crc32(big.subarray(0, 1000))), crc32(big));
  if (typeof zlibCrc32 === "function") assert.equal(crc32(big), zlibCrc32(big));
});
