/**
 * Whole-stack scenarios: the documentation's memory_madvise program written
 * against the mm API, and the selftest (tools/testing/selftests/cgroup/
 * test_zswap.c) scenarios that apply to one machine without cgroups, with
 * MADV_PAGEOUT standing in for memory.reclaim / memory.max pressure.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { NSEC_PER_SEC } from "../../src/lib/clock.js";
import { MADV_PAGEOUT, MAP_ANONYMOUS, MAP_PRIVATE, MAP_SHARED, PROT_READ, PROT_WRITE } from "../../src/mm/address_space.js";
import { PAGE_SIZE } from "../../src/mm/phys_mem.js";
import { makeTestMachine, type TestMachine } from "../../src/zswap/_test_machine.js";

const RW = PROT_READ | PROT_WRITE;

/** The documentation's setup: enabled 0, max_pool_percent 50, compressor, zpool, enabled 1, swappiness 100. */
function docSetup(m: TestMachine, compressor: string): void {
  const knob = (path: string) => m.mm.knobs().find((k) => k.path === path)!;
  assert.equal(m.echo(m.params, "enabled", "0\n"), 0);
  assert.equal(m.echo(m.params, "max_pool_percent", "50\n"), 0);
  assert.equal(m.echo(m.params, "compressor", `${compressor}\n`), 0);
  assert.equal(m.echo(m.params, "zpool", "zsmalloc\n"), 0);
  assert.equal(m.echo(m.params, "enabled", "1\n"), 0);
  assert.equal(knob("/proc/sys/vm/swappiness").store("100\n"), 0);
  assert.equal(knob("/sys/kernel/mm/transparent_hugepage/enabled").store("never\n"), 0);
  assert.equal(knob("/proc/sys/vm/overcommit_memory").store("1\n"), 0);
  assert.equal(m.mm.swapon("/dev/vdb"), 0);
}

/** memory_madvise.c on the mm API; returns the printed lines. */
function memoryMadvise(m: TestMachine, nrPages: number, cpu: number): string[] {
  const out: string[] = [];
  const p = m.mm.spawn("memory_madvise", cpu);
  out.push(`分配 ${nrPages} 页以进行交换`);
  const addr = m.mm.mmap(p, 0, nrPages * PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS);
  assert.ok(addr > 0);
  assert.equal(m.mm.writeByte(p, addr, 1), 0);
  assert.equal(m.mm.memset(p, addr, 0x2a, nrPages * PAGE_SIZE), 0);
  out.push(`正在交换出 ${nrPages} 页`);
  assert.equal(m.mm.madvise(p, addr, nrPages * PAGE_SIZE, MADV_PAGEOUT), 0);
  m.ctx.clock.advance(5 * NSEC_PER_SEC); // sleep(5)
  out.push(`正在交换入 ${nrPages} 页`);
  for (let i = 0; i < nrPages; i++) {
    const b = m.mm.readByte(p, addr + i * PAGE_SIZE);
    if (b !== 0x2a) out.push("从解压得到的数据错误!!!!!");
  }
  out.push(`已交换出和交换入 ${nrPages} 页`);
  m.mm.exit(p);
  return out;
}

test("memory_madvise 100: 100 pages out through zswap and back, stats move as the kernel's", () => {
  const m = makeTestMachine({ cpus: 8 });
  docSetup(m, "zswap-test");
  const t0 = m.ctx.clock.now;
  const lines = memoryMadvise(m, 100, 6);
  assert.deepEqual(lines, ["分配 100 页以进行交换", "正在交换出 100 页", "正在交换入 100 页", "已交换出和交换入 100 页"]);
  assert.ok(m.ctx.clock.now - t0 >= 5 * NSEC_PER_SEC);
  assert.equal(m.ctl.compressCalls, 100);
  assert.equal(m.ctl.decompressCalls, 100);
  assert.deepEqual(new Set(m.ctl.cpus), new Set([6]), "the reclaiming CPU picks the per-CPU transform");
  assert.equal(m.mm.events.zswpout, 100);
  assert.equal(m.mm.events.zswpin, 100);
  assert.equal(m.mm.events.pswpout + m.mm.events.pswpin, 0);
  const s = m.zswap.stats();
  assert.equal(s.stored_pages, 0);
  assert.equal(s.pool_total_size, 0);
  assert.match(m.mm.vmstat(), /^zswpin 100\nzswpout 100\nzswpwb 0\n$/m);
});

test("memory_madvise with software deflate: one 8-byte-handle object per page, all freed at exit", () => {
  const m = makeTestMachine();
  docSetup(m, "deflate");
  const p = m.mm.spawn("memory_madvise", 0);
  const n = 100;
  const addr = m.mm.mmap(p, 0, n * PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS);
  m.mm.memset(p, addr, 0x2a, n * PAGE_SIZE);
  m.mm.madvise(p, addr, n * PAGE_SIZE, MADV_PAGEOUT);
  assert.equal(m.zswap.storedPages, n);
  assert.ok(m.zswap.stats().pool_total_size > 0 && m.zswap.stats().pool_total_size <= 4 * PAGE_SIZE, "highly compressible: a few zspage pages");
  assert.match(m.mm.meminfo(), /^Zswapped:\s+400 kB$/m);
  for (let i = 0; i < n; i++) assert.equal(m.mm.readByte(p, addr + i * PAGE_SIZE), 0x2a);
  m.mm.exit(p);
  assert.equal(m.zswap.stats().pool_total_size, 0);
});

/** allocate_bytes-style workload: writes 'a' every 4095 bytes, pages it out, optionally reads back. */
function allocateAndReclaim(m: TestMachine, bytes: number, read: boolean): boolean {
  const p = m.mm.spawn("test_zswap");
  const a = m.mm.mmap(p, 0, bytes, RW, MAP_PRIVATE | MAP_ANONYMOUS);
  for (let i = 0; i < bytes; i += 4095) m.mm.writeByte(p, a + i, 0x61);
  m.mm.madvise(p, a, bytes, MADV_PAGEOUT);
  let ok = true;
  if (read) for (let i = 0; i < bytes; i += 4095) if (m.mm.readByte(p, a + i) !== 0x61) ok = false;
  m.mm.exit(p);
  return ok;
}

test("selftest test_zswap_usage: zswpout increases", () => {
  const m = makeTestMachine();
  docSetup(m, "lzo");
  const before = m.mm.events.zswpout;
  assert.ok(allocateAndReclaim(m, 4 << 20, false));
  assert.ok(m.mm.events.zswpout > before);
});

test("selftest test_swapin_nozswap: with zswap off pages still swap, zswpout stays 0", () => {
  const m = makeTestMachine();
  assert.equal(m.mm.swapon("/dev/vdb"), 0);
  assert.ok(allocateAndReclaim(m, 32 << 20, true));
  assert.ok(m.mm.events.pswpout * PAGE_SIZE >= 24 << 20);
  assert.equal(m.mm.events.zswpout, 0);
});

test("selftest test_zswapin: at least 24 MiB come back from zswap", () => {
  const m = makeTestMachine();
  docSetup(m, "lzo");
  assert.ok(allocateAndReclaim(m, 32 << 20, true));
  assert.ok(m.mm.events.zswpin >= (24 << 20) / PAGE_SIZE);
});

test("selftest test_zswap_writeback_enabled: a lowered pool limit makes zswpwb move, data intact", () => {
  const m = makeTestMachine({ ramBytes: 8 << 20 });
  docSetup(m, "lzo");
  const p = m.mm.spawn("test_zswap");
  const n = 1024; // 4 MiB of half-ramp, half-zero pages
  const a = m.mm.mmap(p, 0, n * PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS);
  const page = new Uint8Array(PAGE_SIZE);
  for (let i = 0; i < PAGE_SIZE / 2; i++) page[i] = i & 0xff;
  for (let i = 0; i < n; i++) m.mm.writeBytes(p, a + i * PAGE_SIZE, page);
  m.mm.madvise(p, a, n * PAGE_SIZE, MADV_PAGEOUT);
  assert.equal(m.mm.events.zswpwb, 0);
  const pool = m.zswap.totalPages();
  assert.ok(pool > 0);
  for (let i = 0; i < n; i++) assert.equal(m.mm.readByte(p, a + i * PAGE_SIZE + 100), 100);
  // like memory.zswap.max = usage/2: the global limit at about half the pool
  const pct = Math.max(1, Math.floor((pool / 2 / m.phys.totalPages) * 100));
  assert.equal(m.echo(m.params, "max_pool_percent", `${pct}\n`), 0);
  // reclaim again in steps; the shrink worker runs on the clock between them
  for (let i = 0; i < n; i += 32) {
    m.mm.madvise(p, a + i * PAGE_SIZE, 32 * PAGE_SIZE, MADV_PAGEOUT);
    m.ctx.clock.runUntilIdle();
  }
  assert.ok(m.mm.events.zswpwb > 0);
  const back = new Uint8Array(PAGE_SIZE);
  for (let i = 0; i < n; i++) {
    m.mm.readBytes(p, a + i * PAGE_SIZE, back);
    assert.deepEqual(back, page);
  }
});
