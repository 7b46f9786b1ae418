import { test } from "node:test";
import assert from "node:assert/strict";
import { AECS, FIXED_D_SYM, FIXED_LL_SYM, FIXED_MODE, buildAecsCompRecord } from "./comp_fixed.js";

test("FIXED_LL_SYM holds the RFC 1951 fixed literal/length codes as (len << 15) | code", () => {
  assert.equal(FIXED_LL_SYM.length, 286);
  assert.equal(FIXED_LL_SYM[0], 0x40030);
  assert.equal(FIXED_LL_SYM[143], 0x400bf);
  assert.equal(FIXED_LL_SYM[144], 0x48190);
  assert.equal(FIXED_LL_SYM[255], 0x481ff);
  assert.equal(FIXED_LL_SYM[256], 0x38000);
  assert.equal(FIXED_LL_SYM[279], 0x38017);
  assert.equal(FIXED_LL_SYM[280], 0x400c0);
  assert.equal(FIXED_LL_SYM[285], 0x400c5);
});

test("FIXED_LL_SYM is a complete prefix code (Kraft sum 1 over 288 symbols)", () => {
  let kraft = 0;
  for (const e of FIXED_LL_SYM) kraft += 2 ** -(e >>> 15);
  kraft += 2 * 2 ** -8; // symbols 286 and 287 exist in the code but not in the table
  assert.equal(kraft, 1);
});

test("FIXED_D_SYM holds 30 five-bit distance codes", () => {
  assert.equal(FIXED_D_SYM.length, 30);
  for (let i = 0; i < 30; i++) assert.equal(FIXED_D_SYM[i], 0x28000 | i);
});

test("buildAecsCompRecord() lays out the 1568-byte record with the 3 header bits", () => {
  const buf = new Uint8Array(1600).fill(0xee);
  assert.equal(buildAecsCompRecord(buf, FIXED_MODE), 0);
  const dv = new DataView(buf.buffer);
  assert.equal(dv.getUint32(AECS.crc, true), 0);
  assert.equal(dv.getUint32(AECS.xorChecksum, true), 0);
  assert.equal(dv.getUint32(AECS.numOutputAccumBits, true), 3);
  assert.equal(buf[AECS.outputAccum], 0x03);
  assert.equal(buf[AECS.outputAccum + 1], 0);
  assert.equal(dv.getUint32(288, true), 0x40030);
  assert.equal(dv.getUint32(288 + 4 * 285, true), 0x400c5);
  assert.equal(dv.getUint32(1432, true), 0); // reserved1
  assert.equal(dv.getUint32(1440, true), 0x28000);
  assert.equal(dv.getUint32(1440 + 4 * 29, true), 0x2801d);
  assert.equal(dv.getUint32(1560, true), 0); // padding
  assert.equal(buf[1568], 0xee); // nothing written past the record
});
