import { test } from "node:test";
import assert from "node:assert/strict";
import { crc32, deflateRawSync, inflateRawSync, constants as zc } from "node:zlib";
import { decompress as fzstdDecompress } from "fzstd";
import { Errno } from "../lib/errno.js";
import { LogLevel } from "../lib/printk.js";
import type { AcompAlg } from "./acomp.js";
import { makeTestEnv } from "./_test_env.js";
import { lz4DecompressSafe } from "./lz4.js";
import { lzo1xDecompressSafe } from "./lzo.js";
import { COMP_TEST_SUITES, findCompTestSuite } from "./testmgr.js";
import { zstdDecompress } from "./zstd.js";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

test("testmgr deflate vectors A and B are the ones in kernel-iaa-crypto.md §9", () => {
  const d = COMP_TEST_SUITES.deflate!;
  assert.equal(d.comp[0]!.input.length, 70);
  assert.equal(hex(d.comp[0]!.output), "f3cacfcc53282d56c8cb2f5748cc4b5128ce482c4a5528c9485528ce4f2b290771bc082b0100");
  assert.equal(crc32(d.comp[0]!.input), 0x934446d2);
  assert.equal(d.comp[1]!.input.length, 191);
  assert.equal(d.comp[1]!.output.length, 122);
  // zlib raw deflate, level 9, wbits -12, Z_FIXED reproduces vector A byte for byte.
  assert.deepEqual(new Uint8Array(deflateRawSync(d.comp[0]!.input, { level: 9, windowBits: 12, strategy: zc.Z_FIXED })), d.comp[0]!.output);
  for (const v of d.decomp) assert.deepEqual(new Uint8Array(inflateRawSync(v.input)), v.output);
});

test("testmgr decompression vectors decode exactly with the emulator's codecs", () => {
  const decoders: Record<string, (s: Uint8Array, d: Uint8Array) => number> = {
    lzo: lzo1xDecompressSafe,
    "lzo-rle": lzo1xDecompressSafe,
    lz4: lz4DecompressSafe,
    zstd: zstdDecompress,
  };
  for (const [alg, dec] of Object.entries(decoders)) {
    const suite = COMP_TEST_SUITES[alg]!;
    for (const v of [...suite.decomp, ...suite.comp.map((c) => ({ input: c.output, output: c.input }))]) {
      const out = new Uint8Array(512);
      const n = dec(v.input, out);
      assert.equal(n, v.output.length, alg);
      assert.deepEqual(out.subarray(0, n), v.output, alg);
    }
  }
  // The zstd vectors with a checksum also decode with fzstd directly.
  assert.deepEqual(fzstdDecompress(COMP_TEST_SUITES.zstd!.decomp[1]!.input), COMP_TEST_SUITES.zstd!.decomp[1]!.output);
});

test("findCompTestSuite() finds deflate-iaa by driver name and the others by cra_name", () => {
  assert.equal(findCompTestSuite("deflate", "deflate-iaa"), COMP_TEST_SUITES.deflate);
  assert.equal(findCompTestSuite("lzo-rle", "lzo-rle-scomp"), COMP_TEST_SUITES["lzo-rle"]);
  assert.equal(findCompTestSuite("842", "842-generic"), undefined);
});

test("registration self-tests every software algorithm: selftest passed", () => {
  const { api } = makeTestEnv();
  const list = api.list();
  assert.equal(list.length, 10);
  for (const a of list) assert.equal(a.selftest, "passed", a.driver);
});

test("a broken algorithm fails its self-test: selftest unknown, allocation -ELIBBAD, the kernel's messages", () => {
  const { api, ctx } = makeTestEnv(false);
  const broken: AcompAlg = {
    cra_name: "lz4",
    cra_driver_name: "lz4-broken",
    cra_priority: 0,
    cra_flags: 0,
    type: "scomp",
    compress: () => -Errno.EIO,
    decompress: () => -Errno.EIO,
  };
  assert.equal(api.registerAcomp(broken), 0);
  assert.equal(api.algInfo("lz4-broken")!.selftest, "unknown");
  assert.equal(api.allocAcomp("lz4"), -80);
  assert.equal(api.hasAcomp("lz4"), false);
  const lines = ctx.log.records.map((r) => [r.level, r.text]);
  assert.deepEqual(lines, [
    [LogLevel.ERR, "alg: acomp: compression failed on test 1 for lz4-broken: ret=5"],
    [LogLevel.WARNING, "alg: self-tests for lz4 using lz4-broken failed (rc=-5)"],
  ]);
});

test("lzo, lzo-rle and lz4 compress the testmgr inputs to the kernel's bytes exactly", async () => {
  const { lzo1x1Compress, lzo1xWorstCompress } = await import("./lzo.js");
  const { lz4CompressDefault } = await import("./lz4.js");
  for (const alg of ["lzo", "lzo-rle", "lz4"]) {
    for (const v of COMP_TEST_SUITES[alg]!.comp) {
      const out = new Uint8Array(lzo1xWorstCompress(v.input.length) + 64);
      const n = alg === "lz4" ? lz4CompressDefault(v.input, out) : lzo1x1Compress(v.input, out, alg === "lzo-rle");
      assert.equal(hex(out.subarray(0, n)), hex(v.output), alg);
    }
  }
});
