/**
 * 100,000 pages of varied content through zswap on deflate-iaa — MADV_PAGEOUT
 * → zswap store → crypto API → iaa_crypto → descriptors → the emulated IAA
 * engine, and back on touch — with every byte verified; then a run with
 * injected hardware faults on compress and decompress, where data must
 * survive (rejected pages go to the swap device, failed decompressions fall
 * back to software).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { MADV_PAGEOUT, MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE } from "../../src/mm/address_space.js";
import { PAGE_SIZE } from "../../src/mm/phys_mem.js";
import { bootStack, type Stack } from "../../src/system/stack.js";
import { fillPage as fillMixPage } from "../../src/system/bench/content.js";
import { fillPage } from "../../src/zswap/_test_machine.js";

const TOTAL = 100_000;
const BATCH = 5_000;

function zswapOnIaa(s: Stack): void {
  const { vfs, modules } = s.machine;
  assert.equal(modules.modprobe("iaa_crypto").rc, 0);
  for (const [f, v] of [["enabled", "0"], ["max_pool_percent", "50"], ["compressor", "deflate-iaa"], ["zpool", "zsmalloc"], ["enabled", "1"]] as const) {
    vfs.writeFile(`/sys/module/zswap/parameters/${f}`, `${v}\n`);
  }
}

function stats(s: Stack): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of s.machine.vfs.readText("/sys/kernel/debug/iaa_crypto/global_stats").matchAll(/^\s*(\w+): (\d+)$/gm)) out[m[1]!] = Number(m[2]);
  for (const m of s.machine.vfs.readText("/proc/vmstat").matchAll(/^(zswpin|zswpout|pswpin|pswpout) (\d+)$/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

function roundTrip(s: Stack, onBatch?: (b: number, phase: "out" | "in") => void): void {
  const { mm } = s;
  const p = mm.spawn("roundtrip", 3);
  const a = mm.mmap(p, 0, BATCH * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  assert.ok(a > 0);
  const want = new Uint8Array(BATCH * PAGE_SIZE);
  const got = new Uint8Array(BATCH * PAGE_SIZE);
  for (let b = 0; b < TOTAL; b += BATCH) {
    for (let i = 0; i < BATCH; i++) fillPage(want, i * PAGE_SIZE, (b + i) % 5, b + i + 1);
    onBatch?.(b, "out");
    assert.equal(mm.writeBytes(p, a, want), 0);
    assert.equal(mm.madvise(p, a, BATCH * PAGE_SIZE, MADV_PAGEOUT), 0);
    onBatch?.(b, "in");
    assert.equal(mm.readBytes(p, a, got), 0);
    assert.ok(Buffer.from(got.buffer).equals(Buffer.from(want.buffer)), `batch at page ${b} came back wrong`);
  }
  mm.exit(p);
}

test("100,000 varied pages round-trip through zswap on deflate-iaa, every byte verified", () => {
  const s = bootStack("tiny");
  zswapOnIaa(s);
  const before = stats(s);
  roundTrip(s);
  const after = stats(s);
  // zero pages never reach zswap (the swap core's zeromap); every other page is compressed by IAA
  const zeroPages = TOTAL / 5;
  const stored = after["zswpout"]! - before["zswpout"]!;
  const rejected = after["pswpout"]! - before["pswpout"]!;
  assert.equal(stored + rejected, TOTAL - zeroPages);
  assert.equal(after["total_comp_calls"]! - before["total_comp_calls"]!, TOTAL - zeroPages);
  assert.equal(after["total_decomp_calls"]! - before["total_decomp_calls"]!, stored);
  assert.equal(after["zswpin"]! - before["zswpin"]!, stored);
  assert.equal(after["total_completion_comp_buf_overflow_errors"]! - before["total_completion_comp_buf_overflow_errors"]!, rejected);
  assert.ok(rejected > 0, "the random pages overflow 4096 bytes and are rejected to the swap device");
  assert.equal(s.machine.vfs.readText("/sys/kernel/debug/zswap/stored_pages"), "0\n");
});

test("with injected watchdog, analytics and page faults, no page's data is lost", () => {
  const s = bootStack("tiny");
  zswapOnIaa(s);
  const hws = s.machine.pci.filter((f) => f.device === 0x0cfe).map((f) => f.hw);
  let injected = 0;
  roundTrip(s, (b, phase) => {
    if ((b / BATCH) % 2 !== 0) return;
    for (const hw of hws) {
      if (phase === "out") {
        // a watchdog and a page fault on compress; an analytics error on the verify pass
        hw.injectFault({ opcode: 0x43, status: 0x24, count: 7 });
        hw.injectFault({ opcode: 0x43, status: 0x04, count: 5 });
        hw.injectFault({ opcode: 0x42, status: 0x0a, errorCode: 0x11, count: 3 });
        injected += 15;
      } else {
        // analytics errors on swap-in: the driver decompresses in software instead
        hw.injectFault({ opcode: 0x42, status: 0x0a, errorCode: 0x11, count: 9 });
        injected += 9;
      }
    }
  });
  const st = stats(s);
  assert.ok(injected > 0);
  assert.ok(st["total_completion_timeout_errors"]! > 0);
  assert.ok(st["total_completion_einval_errors"]! > 0);
  assert.ok(st["total_sw_decomp_calls"]! > 0);
});

test("one MADV_PAGEOUT past the pool limit: the shrink worker writes back meanwhile, on deflate-iaa, and no page is lost", () => {
  const s = bootStack("tiny");
  zswapOnIaa(s);
  const { mm } = s;
  // 1 % of the tiny machine's 4 GiB is about 41 MiB of pool: 30,000 pages of the benchmarks' mix overflow it
  s.machine.vfs.writeFile("/sys/module/zswap/parameters/max_pool_percent", "1\n");
  const n = 30_000;
  const p = mm.spawn("pool_limit", 2);
  const a = mm.mmap(p, 0, n * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  const want = new Uint8Array(n * PAGE_SIZE);
  for (let i = 0; i < n; i++) fillMixPage(want.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE), "mix", 7, i);
  assert.equal(mm.writeBytes(p, a, want), 0);
  const t0 = s.machine.ctx.clock.now;
  assert.equal(mm.madvise(p, a, n * PAGE_SIZE, MADV_PAGEOUT), 0);
  const dbg = (f: string): number => Number(s.machine.vfs.readText(`/sys/kernel/debug/zswap/${f}`));
  assert.ok(dbg("pool_limit_hit") > 0, "the pool reached its limit");
  assert.ok(dbg("written_back_pages") > 0, "and the worker wrote pages back during the same call");
  assert.ok(mm.events.pswpout > 0 && mm.events.zswpwb === dbg("written_back_pages"));
  assert.ok(s.machine.ctx.clock.now - t0 >= mm.events.pswpout * 4_000, "every page written to the device cost its submission time");
  const got = new Uint8Array(n * PAGE_SIZE);
  assert.equal(mm.readBytes(p, a, got), 0);
  assert.ok(Buffer.from(got.buffer).equals(Buffer.from(want.buffer)), "every page came back");
  assert.ok(mm.events.pswpin > 0, "pages written back came from the device");
  mm.exit(p);
});
