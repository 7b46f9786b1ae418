import { test } from "node:test";
import assert from "node:assert/strict";
import { AECS_COMP_SIZE, buildAecsCompress, fixedAecsRecord, parseAecsCompress } from "./aecs.js";
import { deflateIaa } from "./deflate_iaa.js";
import { FIXED_D_SYM, FIXED_LL_SYM } from "./tables.js";

test("FIXED_LL_SYM and FIXED_D_SYM hold the kernel's fixed_ll_sym/fixed_d_sym values", () => {
  assert.equal(FIXED_LL_SYM.length, 286);
  assert.equal(FIXED_LL_SYM[0], 0x40030);
  assert.equal(FIXED_LL_SYM[143], 0x400bf);
  assert.equal(FIXED_LL_SYM[144], 0x48190);
  assert.equal(FIXED_LL_SYM[255], 0x481ff);
  assert.equal(FIXED_LL_SYM[256], 0x38000);
  assert.equal(FIXED_LL_SYM[279], 0x38017);
  assert.equal(FIXED_LL_SYM[280], 0x400c0);
  assert.equal(FIXED_LL_SYM[285], 0x400c5);
  assert.deepEqual([...FIXED_D_SYM], Array.from({ length: 30 }, (_, i) => 0x28000 | i));
});

test("buildAecsCompress() lays out the 1568-byte record at the kernel's offsets and parseAecsCompress() reads it back", () => {
  const bytes = buildAecsCompress(fixedAecsRecord());
  assert.equal(bytes.length, AECS_COMP_SIZE);
  const dv = new DataView(bytes.buffer);
  assert.equal(dv.getUint32(28, true), 3);
  assert.equal(bytes[32], 0x03);
  assert.equal(dv.getUint32(288, true), 0x40030);
  assert.equal(dv.getUint32(288 + 4 * 256, true), 0x38000);
  assert.equal(dv.getUint32(1440 + 4 * 29, true), 0x2801d);
  assert.equal(dv.getUint32(1560, true), 0);
  const rec = parseAecsCompress(bytes);
  assert.deepEqual(rec.llSym, FIXED_LL_SYM);
  assert.deepEqual(rec.dSym, FIXED_D_SYM);
  assert.equal(rec.numOutputAccumBits, 3);
  // Compressing with the parsed record equals the default fixed mode.
  const input = Buffer.from("abcabcabcabc hello hello hello");
  const a = new Uint8Array(64);
  const b = new Uint8Array(64);
  const ra = deflateIaa(input, a);
  const rb = deflateIaa(input, b, rec);
  assert.equal(rb.status, 1);
  assert.deepEqual(b.subarray(0, rb.outputSize), a.subarray(0, ra.outputSize));
});

test("buildAecsCompress() refuses tables of the wrong size and an accumulator that does not fit", () => {
  assert.throws(() => buildAecsCompress({ ...fixedAecsRecord(), llSym: new Uint32Array(10) }), RangeError);
  assert.throws(() => buildAecsCompress({ ...fixedAecsRecord(), numOutputAccumBits: 2049, outputAccum: new Uint8Array(300) }), RangeError);
  assert.throws(() => buildAecsCompress(fixedAecsRecord(), new Uint8Array(100)), RangeError);
});
