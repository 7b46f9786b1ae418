import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { decompress as fzstdDecompress } from "fzstd";
import { Errno } from "../lib/errno.js";
import type { AcompTfm } from "./acomp.js";
import { makeTestEnv, putBytes, run } from "./_test_env.js";

const lz4js = createRequire(import.meta.url)("lz4js") as {
  decompressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, dIndex: number): number;
};

/** Deterministic pseudo-random bytes (sha256 counter mode). */
function prng(n: number, seed: string): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0, c = 0; i < n; c++) {
    const h = createHash("sha256").update(`${seed}:${c}`).digest();
    out.set(h.subarray(0, Math.min(32, n - i)), i);
    i += 32;
  }
  return out;
}

function textPage(): Uint8Array {
  let s = "";
  for (let i = 0; s.length < 4096; i++) s += `${i}: the quick brown fox jumps over the lazy dog; swap entry ${i * 37} offset ${i * 4096}\n`;
  return new TextEncoder().encode(s.slice(0, 4096));
}

function pointerPage(): Uint8Array {
  // Kernel-pointer-like 64-bit words with a few small integers between them.
  const page = new Uint8Array(4096);
  const dv = new DataView(page.buffer);
  const r = prng(512, "ptr");
  for (let i = 0; i < 512; i++) {
    if (i % 4 === 3) dv.setBigUint64(i * 8, BigInt(r[i]!), true);
    else dv.setBigUint64(i * 8, 0xffff888100000000n + BigInt(r[i]! & 0xf0) * 64n + BigInt(i & ~7) * 0x40n, true);
  }
  return page;
}

const CORPUS: [string, Uint8Array][] = [
  ["text", textPage()],
  ["zero page", new Uint8Array(4096)],
  ["random page", prng(4096, "rand")],
  ["repeated bytes", new Uint8Array(4096).fill(0x5a)],
  ["pointer-like memory", pointerPage()],
  ["short text", new TextEncoder().encode("hello, hello, hello world")],
  ["64 KiB text", new TextEncoder().encode(Array.from({ length: 1600 }, (_, i) => `row ${i} ${(i * 7919) % 1000}\n`).join("")).subarray(0, 65536)],
];

const ALGS = ["deflate", "lzo", "lzo-rle", "lz4", "zstd"] as const;

function roundTrip(alg: string, data: Uint8Array, dlen = 2 * data.length + 1024): { ret: number; comp: Uint8Array; back: Uint8Array | null } {
  const { api, mem } = makeTestEnvCached();
  const tfm = api.allocAcomp(alg) as AcompTfm;
  assert.equal(typeof tfm, "object");
  const req = api.requestAlloc(tfm);
  const pages = Math.ceil(Math.max(data.length, dlen) / 4096) + 1;
  const src = putBytes(mem, data, pages);
  const dst = mem.allocPages(pages);
  const back = mem.allocPages(pages);
  try {
    api.requestSetParams(req, [{ addr: src, length: data.length }], [{ addr: dst, length: pages * 4096 }], data.length, dlen);
    const ret = run(api, req, "compress");
    if (ret !== 0) return { ret, comp: new Uint8Array(0), back: null };
    const comp = mem.view(dst, req.dlen).slice();
    api.requestSetParams(req, [{ addr: dst, length: comp.length }], [{ addr: back, length: pages * 4096 }], comp.length, data.length);
    const r2 = run(api, req, "decompress");
    assert.equal(r2, 0, `${alg} decompress`);
    assert.equal(req.dlen, data.length);
    return { ret, comp, back: mem.view(back, req.dlen).slice() };
  } finally {
    api.requestFree(req);
    api.freeAcomp(tfm);
    mem.freePages(src, pages);
    mem.freePages(dst, pages);
    mem.freePages(back, pages);
  }
}

let cached: ReturnType<typeof makeTestEnv> | null = null;
function makeTestEnvCached(): ReturnType<typeof makeTestEnv> {
  cached ??= makeTestEnv();
  return cached;
}

for (const alg of ALGS) {
  test(`${alg}: acomp round trip of the corpus through PhysMem`, () => {
    for (const [name, data] of CORPUS) {
      const { ret, comp, back } = roundTrip(alg, data);
      assert.equal(ret, 0, `${alg} ${name}`);
      assert.deepEqual(back, data, `${alg} ${name}`);
      if (name === "zero page" || name === "repeated bytes") assert.ok(comp.length < 100, `${alg} ${name}: ${comp.length} bytes`);
      if (name === "text") assert.ok(comp.length < 2048, `${alg} ${name}: ${comp.length} bytes`);
    }
  });
}

test("deflate: output is raw deflate that node:zlib inflates, and zlib's own streams decompress", () => {
  for (const [name, data] of CORPUS) {
    const { comp } = roundTrip("deflate", data);
    assert.deepEqual(new Uint8Array(inflateRawSync(comp)), data, name);
    // The kernel's parameters: level 6, windowBits 11, memLevel 9 (what zlib itself gives).
    assert.deepEqual(comp, new Uint8Array(deflateRawSync(data, { level: 6, windowBits: 11, memLevel: 9 })), name);
  }
  // A 32 KiB-window stream from zlib decompresses through the acomp API.
  const { api, mem } = makeTestEnvCached();
  const data = CORPUS[6]![1];
  const stream = new Uint8Array(deflateRawSync(data, { level: 9, windowBits: 15 }));
  const tfm = api.allocAcomp("deflate") as AcompTfm;
  const req = api.requestAlloc(tfm);
  const src = putBytes(mem, stream, 17);
  const dst = mem.allocPages(17);
  api.requestSetParams(req, [{ addr: src, length: stream.length }], [{ addr: dst, length: 17 * 4096 }], stream.length, data.length);
  assert.equal(run(api, req, "decompress"), 0);
  assert.deepEqual(mem.view(dst, req.dlen).slice(), data);
  api.requestFree(req);
  api.freeAcomp(tfm);
});

test("lz4: output decodes with the lz4js block decoder", () => {
  for (const [name, data] of CORPUS) {
    const { comp } = roundTrip("lz4", data);
    const out = new Uint8Array(data.length);
    assert.equal(lz4js.decompressBlock(comp, out, 0, comp.length, 0), data.length, name);
    assert.deepEqual(out, data, name);
  }
});

test("zstd: output is a zstd frame that fzstd decodes", () => {
  for (const [name, data] of CORPUS) {
    const { comp } = roundTrip("zstd", data);
    assert.deepEqual([...comp.subarray(0, 4)], [0x28, 0xb5, 0x2f, 0xfd], name);
    assert.deepEqual(fzstdDecompress(comp), data, name);
  }
});

test("an incompressible page with dlen = PAGE_SIZE: -EINVAL for deflate, lz4, zstd; lzo overruns and scomp says -ENOSPC", () => {
  const page = CORPUS[2]![1];
  for (const alg of ["deflate", "lz4", "zstd"]) assert.equal(roundTrip(alg, page, 4096).ret, -Errno.EINVAL, alg);
  for (const alg of ["lzo", "lzo-rle"]) {
    const { api, mem } = makeTestEnvCached();
    const tfm = api.allocAcomp(alg) as AcompTfm;
    const req = api.requestAlloc(tfm);
    const src = putBytes(mem, page);
    const dst = mem.allocPages(2);
    api.requestSetParams(req, [{ addr: src, length: 4096 }], [{ addr: dst, length: 8192 }], 4096, 4096);
    assert.equal(run(api, req, "compress"), -Errno.ENOSPC, alg);
    // 4096 literals, a 17-byte literal header and the 3-byte end marker (+2 for the lzo-rle header).
    assert.equal(req.dlen, alg === "lzo" ? 4116 : 4118, alg);
    api.requestFree(req);
    api.freeAcomp(tfm);
  }
});

test("decompression of corrupt input or into a too small buffer fails with -EINVAL", () => {
  const { api, mem } = makeTestEnvCached();
  const data = CORPUS[0]![1];
  for (const alg of ALGS) {
    const { comp } = roundTrip(alg, data);
    const tfm = api.allocAcomp(alg) as AcompTfm;
    const req = api.requestAlloc(tfm);
    const src = putBytes(mem, comp);
    const dst = mem.allocPages(2);
    api.requestSetParams(req, [{ addr: src, length: comp.length }], [{ addr: dst, length: 8192 }], comp.length, 4000);
    assert.equal(run(api, req, "decompress"), -Errno.EINVAL, `${alg} short dst`);
    const trunc = Math.floor(comp.length / 2);
    api.requestSetParams(req, [{ addr: src, length: trunc }], [{ addr: dst, length: 8192 }], trunc, 4096);
    assert.equal(run(api, req, "decompress"), -Errno.EINVAL, `${alg} truncated`);
    api.requestFree(req);
    api.freeAcomp(tfm);
  }
});

test("scomp: multi-segment scatterlists are gathered and scattered", () => {
  const { api, mem } = makeTestEnvCached();
  const data = CORPUS[4]![1];
  const a = putBytes(mem, data.subarray(0, 1000));
  const b = putBytes(mem, data.subarray(1000));
  const out1 = mem.allocPages(1);
  const out2 = mem.allocPages(1);
  const tfm = api.allocAcomp("lzo-rle") as AcompTfm;
  const req = api.requestAlloc(tfm);
  api.requestSetParams(req, [{ addr: a, length: 1000 }, { addr: b, length: 3096 }], [{ addr: out1, length: 100 }, { addr: out2, length: 4096 }], 4096, 4196);
  assert.equal(run(api, req, "compress"), 0);
  const n = req.dlen;
  assert.ok(n > 100);
  const comp = new Uint8Array(n);
  comp.set(mem.view(out1, 100));
  comp.set(mem.view(out2, n - 100), 100);
  const back = mem.allocPages(1);
  const srcPa = putBytes(mem, comp, 2);
  api.requestSetParams(req, [{ addr: srcPa, length: n }], [{ addr: back, length: 4096 }], n, 4096);
  assert.equal(run(api, req, "decompress"), 0);
  assert.deepEqual(mem.view(back, 4096).slice(), data);
  api.requestFree(req);
  api.freeAcomp(tfm);
});

test("scomp: bad lengths are -EINVAL", () => {
  const { api, mem } = makeTestEnvCached();
  const tfm = api.allocAcomp("lz4") as AcompTfm;
  const req = api.requestAlloc(tfm);
  const pa = mem.allocPages(1);
  api.requestSetParams(req, [{ addr: pa, length: 4096 }], [{ addr: pa, length: 4096 }], 0, 4096);
  assert.equal(api.compress(req), -Errno.EINVAL);
  api.requestSetParams(req, [{ addr: pa, length: 4096 }], [{ addr: pa, length: 4096 }], 131073, 4096);
  assert.equal(api.compress(req), -Errno.EINVAL);
  api.requestSetParams(req, [{ addr: pa, length: 4096 }], [{ addr: pa, length: 4096 }], 4096, 0);
  assert.equal(api.compress(req), -Errno.EINVAL);
  api.requestFree(req);
  api.freeAcomp(tfm);
});

test("software algorithms report a CPU cost that grows with input", () => {
  const { api } = makeTestEnvCached();
  for (const alg of ALGS) {
    const tfm = api.allocAcomp(alg) as AcompTfm;
    const small = tfm.alg.costNs!("compress", 512, 100);
    const page = tfm.alg.costNs!("compress", 4096, 1000);
    assert.ok(small > 0 && page > small, alg);
    assert.ok(tfm.alg.costNs!("decompress", 1000, 4096) > 0, alg);
    api.freeAcomp(tfm);
  }
});
