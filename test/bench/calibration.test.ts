/**
 * The timing model against the published figures (shared/spec/iaa-hardware.md,
 * "Performance anchors table"), through the whole stack: crypto API,
 * iaa_crypto, idxd, the device model and the software compressors.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_BENCH_CONFIG, type BenchConfig } from "../../src/system/bench/bench_machine.js";
import { runCodec } from "../../src/system/bench/codec.js";
import { runLatency, type LatencyRow } from "../../src/system/bench/latency.js";

const IAA = DEFAULT_BENCH_CONFIG;

function within(actual: number, expected: number, tol: number, what: string): void {
  const err = Math.abs(actual - expected) / expected;
  assert.ok(err <= tol, `${what}: ${actual} vs published ${expected} (${(err * 100).toFixed(1)} % off, limit ${tol * 100} %)`);
}

function row(rows: LatencyRow[], c: Partial<LatencyRow>): LatencyRow {
  const r = rows.find((x) => Object.entries(c).every(([k, v]) => x[k as keyof LatencyRow] === v));
  assert.ok(r !== undefined, JSON.stringify(c));
  return r;
}

test("a 4 KiB page is within 10 % of each published latency, on the memory_madvise page and on the mix", () => {
  const configs: BenchConfig[] = [
    { ...IAA, syncMode: "sync", verify: false },
    { ...IAA, syncMode: "async_irq", verify: false },
    { ...IAA, compressor: "deflate-generic" },
  ];
  const { rows } = runLatency({ configs, pages: 16, repeats: 3 });
  const published: [Partial<LatencyRow>, number, number][] = [
    [{ compressor: "deflate-iaa", sync_mode: "sync" }, 3177, 2235],
    [{ compressor: "deflate-iaa", sync_mode: "async_irq" }, 6847, 5840],
    [{ compressor: "deflate-generic" }, 108978, 14485],
  ];
  for (const content of ["madvise", "mix"] as const) {
    for (const [key, comp, decomp] of published) {
      within(row(rows, { ...key, content, op: "compress" }).virtual_ns, comp, 0.1, `${JSON.stringify(key)} ${content} compress`);
      within(row(rows, { ...key, content, op: "decompress" }).virtual_ns, decomp, 0.1, `${JSON.stringify(key)} ${content} decompress`);
    }
  }
});

test("one 64 KiB job: the published job times and per-engine throughput; two compress engines per device", () => {
  const one = runCodec({ config: { ...IAA, verify: false }, jobs: 4 });
  within(one.compress.latency.p50, 34493, 0.1, "64 KiB compress job");
  within(one.decompress.latency.p50, 20038, 0.1, "64 KiB decompress job");
  within(one.compress.gbPerSecond, 1.9, 0.1, "compress GB/s of one engine");
  within(one.decompress.gbPerSecond, 3.3, 0.1, "decompress GB/s of one engine");
  // a device with all 8 engines in its group still compresses on its 2 compress engines only
  const dev = runCodec({ config: { ...IAA, preset: "spr-1s", iaaPerSocket: 1, syncMode: "async", verify: false }, jobs: 32, depth: 16 });
  within(dev.compress.gbPerSecond, 3.8, 0.1, "compress GB/s of one device");
  assert.ok(dev.decompress.gbPerSecond > 3 * dev.compress.gbPerSecond, "decompress uses all eight engines");
});

test("software compressors' 64 KiB figures are within 10 % of the published ones", () => {
  const published: [BenchConfig["compressor"], number, number][] = [
    ["lz4", 139190, 33687],
    ["lzo-rle", 138235, 61055],
    ["zstd", 251820, 90878],
  ];
  for (const [compressor, comp, decomp] of published) {
    const r = runCodec({ config: { ...IAA, compressor }, jobs: 2 });
    within(r.compress.latency.p50, comp, 0.1, `${compressor} compress`);
    within(r.decompress.latency.p50, decomp, 0.1, `${compressor} decompress`);
  }
});
