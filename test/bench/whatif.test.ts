/**
 * Determinism, threaded = single-threaded, and the what-if directions the
 * published findings give (deflate-iaa zswap beats software deflate and
 * zstd in speed, zstd beats it in ratio; async_irq costs more per operation
 * than sync; verify costs about one decompress).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_BENCH_CONFIG } from "../../src/system/bench/bench_machine.js";
import { runCodec } from "../../src/system/bench/codec.js";
import { runLatency, type LatencyRow } from "../../src/system/bench/latency.js";
import { runZswap, type ZswapResult } from "../../src/system/bench/zswap_workload.js";

const IAA = DEFAULT_BENCH_CONFIG;

/** Everything but the emulator's own wall-clock figures. */
function virtual(r: ZswapResult): Omit<ZswapResult, "wall"> {
  const { wall: _wall, ...rest } = r;
  return rest;
}

test("two runs give the same virtual results", () => {
  const a = runZswap({ config: IAA, processes: 3, pages: 48 });
  const b = runZswap({ config: IAA, processes: 3, pages: 48 });
  assert.deepEqual(virtual(a), virtual(b));
  assert.equal(a.mismatches, 0);
  assert.ok(a.zswap.storedPages > 0 && a.pageout.virtualNs > 0);
  const l1 = runLatency({ configs: [IAA, { ...IAA, compressor: "zstd" }], pages: 8, repeats: 2 });
  const l2 = runLatency({ configs: [IAA, { ...IAA, compressor: "zstd" }], pages: 8, repeats: 2 });
  assert.deepEqual(l1.rows, l2.rows);
  assert.deepEqual(l1.samples, l2.samples);
});

test("threaded and single-threaded runs give identical bytes, statistics and virtual times", () => {
  for (const config of [IAA, { ...IAA, syncMode: "async_irq" as const, verify: false }]) {
    const one = runZswap({ config, processes: 2, pages: 96, threads: 1 });
    // every engine result from the workers
    const two = runZswap({ config, processes: 2, pages: 96, threads: 2, waitForWorkers: true });
    // results as they come: the simulation thread computes what the workers have not reached
    const three = runZswap({ config, processes: 2, pages: 96, threads: 3 });
    assert.deepEqual(virtual(two), virtual(one));
    assert.deepEqual(virtual(three), virtual(one));
    assert.equal(two.mismatches + three.mismatches, 0, "every page came back byte for byte");
    assert.equal(one.wall.cache, null);
    const c = two.wall.cache!;
    assert.ok(c.compressHits > 100 && c.decompressHits > 100, JSON.stringify(c));
    assert.equal(c.misses + c.taken, 0, "every engine result came from the workers");
  }
});

test("the codec workload on worker threads gives the same virtual results as on one", () => {
  for (const [config, depth] of [[IAA, 1], [{ ...IAA, syncMode: "async" as const }, 8]] as const) {
    const opts = { config, bufferBytes: 16384, jobs: 40, depth, content: "mix" as const, seed: 3 };
    const one = runCodec({ ...opts, threads: 1 });
    const two = runCodec({ ...opts, threads: 2 });
    const { wall: w1, ...v1 } = one;
    const { wall: w2, ...v2 } = two;
    assert.deepEqual(v2, v1);
    assert.equal(w1.threads, 1);
    assert.equal(w2.threads, 2);
    assert.ok(w2.cache !== null && w2.cache.compressHits + w2.cache.decompressHits > 0, JSON.stringify(w2.cache));
    assert.equal(w2.cache.misses, 0, "every engine job found its precomputed result");
    assert.ok(one.compress.failed < one.jobs, "most jobs compress");
  }
});

function ns(rows: LatencyRow[], sync: string, verify: 0 | 1, op: string, compressor = "deflate-iaa"): number {
  return rows.find((r) => r.compressor === compressor && r.sync_mode === sync && r.verify === verify && r.op === op && r.content === "mix")!.virtual_ns;
}

test("what-if directions: async_irq slower than sync per op; verify costs about one decompress", () => {
  const configs = [
    { ...IAA, syncMode: "sync" as const, verify: false },
    { ...IAA, syncMode: "sync" as const, verify: true },
    { ...IAA, syncMode: "async_irq" as const, verify: false },
  ];
  const { rows } = runLatency({ configs, pages: 8, repeats: 1 });
  assert.ok(ns(rows, "async_irq", 0, "compress") > ns(rows, "sync", 0, "compress"));
  assert.ok(ns(rows, "async_irq", 0, "decompress") > ns(rows, "sync", 0, "decompress"));
  const verifyCost = ns(rows, "sync", 1, "compress") - ns(rows, "sync", 0, "compress");
  const decompress = ns(rows, "sync", 0, "decompress");
  assert.ok(Math.abs(verifyCost - decompress) / decompress < 0.2, `verify ${verifyCost} ns vs decompress ${decompress} ns`);
});

test("what-if directions: zswap on deflate-iaa pages faster than on software deflate, and compresses", () => {
  const iaa = runZswap({ config: IAA, processes: 2, pages: 64 });
  const sw = runZswap({ config: { ...IAA, compressor: "deflate-generic" }, processes: 2, pages: 64 });
  assert.ok(iaa.kbPerSecond > 5 * sw.kbPerSecond, `${iaa.kbPerSecond} vs ${sw.kbPerSecond} KB/s`);
  assert.ok(iaa.pageout.latency.p50 < sw.pageout.latency.p50);
  assert.equal(iaa.mismatches + sw.mismatches, 0);
  assert.ok(iaa.zswap.storedPages > 0 && iaa.zswap.ratio > 1);
});

test("what-if directions: zstd keeps zswap's pool smaller than deflate-iaa, and deflate-iaa is faster (published 2.96 vs 2.23)", () => {
  const iaa = runZswap({ config: IAA, processes: 2, pages: 512 });
  const zstd = runZswap({ config: { ...IAA, compressor: "zstd" }, processes: 2, pages: 512 });
  const r = zstd.zswap.ratio / iaa.zswap.ratio;
  assert.ok(r > 1.15 && r < 1.6, `zstd ${zstd.zswap.ratio.toFixed(2)} vs deflate-iaa ${iaa.zswap.ratio.toFixed(2)}`);
  assert.ok(iaa.kbPerSecond > zstd.kbPerSecond, `${iaa.kbPerSecond} vs ${zstd.kbPerSecond} KB/s`);
  assert.equal(iaa.mismatches + zstd.mismatches, 0);
});

test("what-if directions: zswap on deflate-iaa beats swapping every page to the device, most of all on the way back in", () => {
  const iaa = runZswap({ config: IAA, processes: 2, pages: 128 });
  const none = runZswap({ config: { ...IAA, compressor: "none" }, processes: 2, pages: 128 });
  assert.equal(none.zswap.storedPages, 0);
  assert.equal(none.engineOps.compress + none.engineOps.decompress, 0, "no page went near the IAA");
  assert.ok(iaa.kbPerSecond > 2 * none.kbPerSecond, `${iaa.kbPerSecond} vs ${none.kbPerSecond} KB/s`);
  assert.ok(iaa.pagein.latency.p50 * 10 < none.pagein.latency.p50, "a zswap load against a device read");
  assert.equal(iaa.mismatches + none.mismatches, 0);
});

test("more processes than one device can serve are device-bound", () => {
  const r = runZswap({ config: { ...IAA, preset: "spr-1s", iaaPerSocket: 1, verify: false }, processes: 16, pages: 16, threads: 1 });
  assert.ok(r.pageout.deviceBoundNs > r.pageout.cpuBoundNs, JSON.stringify(r.pageout));
  assert.equal(r.pageout.virtualNs, r.pageout.deviceBoundNs);
});
