/**
 * The driver keeps its own copy of the fixed tables, as the kernel's
 * iaa_crypto_comp_fixed.c does; the record it builds must be byte-identical
 * to what the codec (the engine's side) builds for fixed mode.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { FIXED_MODE, FIXED_LL_SYM, FIXED_D_SYM, buildAecsCompRecord } from "../../src/driver/iaa_crypto/comp_fixed.js";
import { buildAecsCompress, fixedAecsRecord, parseAecsCompress } from "../../src/deflate/aecs.js";
import { FIXED_D_SYM as CODEC_D, FIXED_LL_SYM as CODEC_LL } from "../../src/deflate/tables.js";

test("iaa_crypto's fixed tables equal the codec's", () => {
  assert.deepEqual(FIXED_LL_SYM, CODEC_LL);
  assert.deepEqual(FIXED_D_SYM, CODEC_D);
});

test("iaa_crypto's fixed-mode AECS record equals the codec's byte for byte and parses back", () => {
  const mine = new Uint8Array(1568);
  assert.equal(buildAecsCompRecord(mine, FIXED_MODE), 0);
  assert.deepEqual(mine, buildAecsCompress(fixedAecsRecord()));
  const rec = parseAecsCompress(mine);
  assert.equal(rec.numOutputAccumBits, 3);
  assert.equal(rec.outputAccum[0], 0x03);
});
