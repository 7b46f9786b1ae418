import { test } from "node:test";
import assert from "node:assert/strict";
import { IAA_COMP_FLAGS } from "../../driver/iaa_crypto/iaa_crypto.js";
import { engineCompress, engineDecompress } from "../../hw/iaa_ops.js";
import { fillPage } from "./content.js";
import { fixedModeAecs, PrecomputedResults } from "./result_cache.js";

const N = 160;

function corpus(): Uint8Array {
  const pages = new Uint8Array(new SharedArrayBuffer(N * 4096));
  for (let i = 0; i < N; i++) fillPage(pages.subarray(i * 4096, (i + 1) * 4096), i % 10 === 0 ? "random" : "mix", 3, i);
  return pages;
}

test("a hit is exactly the engine's own result and bytes; anything else misses", async () => {
  const pages = corpus();
  const order = [...Array(N).keys()].reverse();
  const cache = new PrecomputedResults(pages, order, 2);
  assert.ok(cache.waitAll(), "the workers published every slot");
  const aecs = fixedModeAecs();
  const a = new Uint8Array(4096);
  const b = new Uint8Array(4096);
  let failures = 0;
  try {
    for (let i = 0; i < N; i++) {
      const page = pages.subarray(i * 4096, (i + 1) * 4096);
      a.fill(0x5a);
      b.fill(0x5a);
      const hit = cache.compress(page, a, aecs, IAA_COMP_FLAGS, 4096);
      const own = engineCompress(page, b, aecs, IAA_COMP_FLAGS, 4096);
      assert.deepEqual(hit, own, `page ${i}`);
      assert.deepEqual(a, b, `destination bytes of page ${i}`);
      if (own.status !== 1) {
        failures++;
        continue;
      }
      const stream = b.slice(0, own.outputSize);
      assert.deepEqual(cache.decompress(stream, null, 4096), engineDecompress(stream, null, 4096), "verify pass");
      const back1 = new Uint8Array(4096);
      const back2 = new Uint8Array(4096);
      assert.deepEqual(cache.decompress(stream, back1, 4096), engineDecompress(stream, back2, 4096));
      assert.deepEqual(back1, back2);
      assert.deepEqual(back1, page);
    }
    assert.ok(failures > 0, "the corpus has incompressible pages");
    assert.equal(cache.stats.misses, 0);
    // misses: other flags, other AECS bytes, a page not in the set, a stream never handed out
    const page = pages.subarray(4096, 8192);
    assert.equal(cache.compress(page, a, aecs, 0, 4096), null);
    const other = aecs.slice();
    other[0]! ^= 1;
    assert.equal(cache.compress(page, a, other, IAA_COMP_FLAGS, 4096), null);
    assert.equal(cache.compress(page, a, aecs, IAA_COMP_FLAGS, 2048), null);
    const changed = page.slice();
    changed[4095]! ^= 0xff;
    assert.equal(cache.compress(changed, a, aecs, IAA_COMP_FLAGS, 4096), null);
    assert.equal(cache.decompress(new Uint8Array([3, 0]), null, 4096), null);
    assert.equal(cache.stats.misses, 5);
  } finally {
    await cache.close();
  }
});

test("without workers every lookup misses at once", async () => {
  const pages = corpus();
  const cache = new PrecomputedResults(pages, [0, 1, 2], 0);
  assert.equal(cache.compress(pages.subarray(0, 4096), new Uint8Array(4096), fixedModeAecs(), IAA_COMP_FLAGS, 4096), null);
  assert.equal(cache.stats.waits, 0);
  await cache.close();
});

test("a page that comes twice has a slot for each time, and every lookup hits", async () => {
  const pages = new Uint8Array(new SharedArrayBuffer(8 * 4096));
  for (let i = 0; i < 8; i++) fillPage(pages.subarray(i * 4096, (i + 1) * 4096), i < 6 ? "madvise" : "mix", 1, i);
  const cache = new PrecomputedResults(pages, [...Array(8).keys()], 1);
  try {
    assert.equal(cache.slots, 8);
    assert.ok(cache.waitAll());
    const aecs = fixedModeAecs();
    const out = new Uint8Array(4096);
    for (let i = 0; i < 8; i++) {
      const r = cache.compress(pages.subarray(i * 4096, (i + 1) * 4096), out, aecs, IAA_COMP_FLAGS, 4096);
      assert.ok(r !== null && r.status === 1, `page ${i}`);
      assert.ok(cache.decompress(out.slice(0, r.outputSize), null, 4096) !== null);
    }
    assert.equal(cache.stats.misses, 0);
    assert.equal(cache.stats.inOrder, 16);
  } finally {
    await cache.close();
  }
});

test("without workers nothing is taken and every lookup misses", async () => {
  const pages = corpus();
  const cache = new PrecomputedResults(pages, [...Array(N).keys()], 0);
  const aecs = fixedModeAecs();
  await cache.close();
  const a = new Uint8Array(4096);
  // no workers: nothing is taken, every lookup is a plain miss
  assert.equal(cache.compress(pages.subarray(0, 4096), a, aecs, IAA_COMP_FLAGS, 4096), null);
  assert.equal(cache.stats.taken, 0);
});

test("racing a worker, this thread's own computations give the engine's results too", async () => {
  const pages = corpus();
  const order = [...Array(N).keys()];
  const cache = new PrecomputedResults(pages, order, 1);
  const aecs = fixedModeAecs();
  const got = new Uint8Array(4096);
  const want = new Uint8Array(4096);
  const streams: Uint8Array[] = [];
  try {
    // page-out order: compress then verify, no waiting for the worker first
    for (const i of order) {
      const page = pages.subarray(i * 4096, (i + 1) * 4096);
      const hit = cache.compress(page, got, aecs, IAA_COMP_FLAGS, 4096);
      const own = engineCompress(page, want, aecs, IAA_COMP_FLAGS, 4096);
      assert.deepEqual(hit, own, `page ${i}`);
      if (own.status !== 1) continue;
      assert.deepEqual(got.subarray(0, own.outputSize), want.subarray(0, own.outputSize));
      const stream = want.slice(0, own.outputSize);
      streams[i] = stream;
      assert.deepEqual(cache.decompress(stream, null, 4096), engineDecompress(stream, null, 4096));
    }
    // page-in order: the decompress stage
    for (const i of order) {
      const stream = streams[i];
      if (stream === undefined) continue;
      const back = new Uint8Array(4096);
      assert.deepEqual(cache.decompress(stream, back, 4096), engineDecompress(stream, new Uint8Array(4096), 4096));
      assert.deepEqual(back, pages.subarray(i * 4096, (i + 1) * 4096));
    }
    assert.equal(cache.stats.misses, 0);
    assert.equal(cache.stats.inOrder, cache.stats.compressHits + cache.stats.decompressHits, "every lookup found where the order predicts");
  } finally {
    await cache.close();
  }
});
