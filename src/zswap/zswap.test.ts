import { test } from "node:test";
import assert from "node:assert/strict";
import { Errno } from "../lib/errno.js";
import { oopsState, TAINT_DIE, TASK_KILLED_BY_OOPS } from "../lib/oops.js";
import { MADV_PAGEOUT, MAP_ANONYMOUS, MAP_PRIVATE, MAP_SHARED, PROT_READ, PROT_WRITE } from "../mm/address_space.js";
import { PAGE_SIZE } from "../mm/phys_mem.js";
import { fillPage, makeTestMachine, type TestMachine } from "./_test_machine.js";

const RW = PROT_READ | PROT_WRITE;

function enable(m: TestMachine, compressor = "zswap-test"): void {
  assert.equal(m.echo(m.params, "enabled", "0\n"), 0);
  assert.equal(m.echo(m.params, "compressor", compressor + "\n"), 0);
  assert.equal(m.echo(m.params, "enabled", "1\n"), 0);
  assert.equal(m.mm.swapon("/dev/vdb"), 0);
}

/** Maps n private pages filled by `fill(i)` (a byte) and pages them out. */
function pageOut(m: TestMachine, n: number, fill: (i: number) => number, cpu = 0) {
  const p = m.mm.spawn("t", cpu);
  const a = m.mm.mmap(p, 0, n * PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS);
  for (let i = 0; i < n; i++) m.mm.memset(p, a + i * PAGE_SIZE, fill(i), PAGE_SIZE);
  assert.equal(m.mm.madvise(p, a, n * PAGE_SIZE, MADV_PAGEOUT), 0);
  return { p, a };
}

const debugNames = ["pool_limit_hit", "reject_reclaim_fail", "reject_alloc_fail", "reject_kmemcache_fail", "reject_compress_fail", "reject_compress_poor", "written_back_pages", "pool_total_size", "stored_pages"];

test("zswap parameters have the 6.12 defaults and Y/N readback", () => {
  const m = makeTestMachine();
  assert.deepEqual([...m.params.children.keys()], ["enabled", "compressor", "zpool", "max_pool_percent", "accept_threshold_percent", "shrinker_enabled"]);
  assert.equal(m.cat(m.params, "enabled"), "N\n");
  assert.equal(m.cat(m.params, "compressor"), "lzo\n");
  assert.equal(m.cat(m.params, "zpool"), "zsmalloc\n");
  assert.equal(m.cat(m.params, "max_pool_percent"), "20\n");
  assert.equal(m.cat(m.params, "accept_threshold_percent"), "90\n");
  assert.equal(m.cat(m.params, "shrinker_enabled"), "N\n");
  assert.equal(m.debugfs.children.size, 0, "debugfs appears with zswap_setup()");
});

test("zswap is set up lazily by the first enabled write; earlier names are checked then", () => {
  const m = makeTestMachine();
  assert.equal(m.echo(m.params, "compressor", "bogus\n"), 0, "not validated before init");
  assert.equal(m.echo(m.params, "zpool", "zfoo\n"), 0);
  assert.equal(m.echo(m.params, "enabled", "1\n"), 0);
  assert.deepEqual(m.log(), [
    "zswap: compressor bogus not available, using default lzo",
    "zswap: zpool zfoo not available, using default zsmalloc",
    "zswap: loaded using pool lzo/zsmalloc",
  ]);
  assert.equal(m.cat(m.params, "enabled"), "Y\n");
  assert.equal(m.cat(m.params, "compressor"), "lzo\n");
  assert.deepEqual([...m.debugfs.children.get("zswap")!.kind === "dir" ? (m.debugfs.children.get("zswap") as never as { children: Map<string, unknown> }).children.keys() : []], debugNames);
});

test("zswap parameter writes after init: refusals change nothing", () => {
  const m = makeTestMachine();
  m.echo(m.params, "enabled", "0");
  const cases: [string, string, number, string | null][] = [
    ["compressor", "bogus\n", -Errno.ENOENT, "zswap: compressor bogus not available"],
    ["zpool", "zfoo\n", -Errno.ENOENT, "zswap: zpool zfoo not available"],
    ["enabled", "maybe\n", -Errno.EINVAL, null],
    ["max_pool_percent", "-1\n", -Errno.EINVAL, null],
    ["max_pool_percent", "ten\n", -Errno.EINVAL, null],
    ["accept_threshold_percent", "1.5\n", -Errno.EINVAL, null],
    ["shrinker_enabled", "2\n", -Errno.EINVAL, null],
  ];
  for (const [name, val, err, msg] of cases) {
    const before = m.cat(m.params, name);
    const nlog = m.log().length;
    assert.equal(m.echo(m.params, name, val), err, `${name} <- ${JSON.stringify(val)}`);
    assert.equal(m.cat(m.params, name), before);
    assert.deepEqual(m.log().slice(nlog), msg === null ? [] : [msg]);
  }
  assert.equal(m.echo(m.params, "compressor", "lzo\n"), 0, "the current value is a no-op");
  assert.equal(m.zswap.poolList().length, 1);
  assert.equal(m.echo(m.params, "max_pool_percent", "50\n"), 0);
  assert.equal(m.echo(m.params, "shrinker_enabled", "Y"), 0);
  assert.equal(m.cat(m.params, "shrinker_enabled"), "Y\n");
  for (const zp of ["zbud", "z3fold", "zsmalloc"]) assert.equal(m.echo(m.params, "zpool", zp), 0);
  assert.equal(m.cat(m.params, "zpool"), "zsmalloc\n");
});

test("enabled cannot be written when no pool could be created", () => {
  const m = makeTestMachine({ zpools: ["zbud"] });
  m.echo(m.params, "compressor", "nothere");
  assert.equal(m.echo(m.params, "enabled", "1"), -Errno.ENODEV);
  assert.deepEqual(m.log(), [
    "zswap: compressor nothere not available, using default lzo",
    "zswap: default zpool zsmalloc not available",
    "zswap: pool creation failed",
    "zswap: can't enable, no pool configured",
  ]);
  assert.equal(m.cat(m.params, "enabled"), "N\n");
});

test("store and load move the counters; loads are exclusive; invalidate on exit", () => {
  const m = makeTestMachine();
  enable(m);
  const { p, a } = pageOut(m, 10, (i) => 0x41 + i, 2);
  assert.equal(m.zswap.storedPages, 10);
  assert.equal(m.mm.events.zswpout, 10);
  assert.equal(m.mm.events.pswpout, 0);
  assert.deepEqual(new Set(m.ctl.cpus), new Set([2]), "compressed on the task's CPU");
  assert.equal(m.cat(m.debugfs.children.get("zswap") as never, "stored_pages"), "10\n");
  // RLE of a one-byte page is 32 bytes: +8 handle = 40, class 48 (3 pages, 256 objects)
  assert.equal(m.zswap.stats().pool_total_size, 3 * PAGE_SIZE, "10 tiny objects share one 3-page zspage");
  assert.match(m.mm.meminfo(), /^Zswap:\s+12 kB$/m);
  assert.match(m.mm.meminfo(), /^Zswapped:\s+40 kB$/m);
  for (let i = 0; i < 5; i++) assert.equal(m.mm.readByte(p, a + i * PAGE_SIZE + 1), 0x41 + i);
  assert.equal(m.mm.events.zswpin, 5);
  assert.equal(m.zswap.storedPages, 5, "each load freed its entry");
  // the reloaded pages are dirty: paging them out again compresses again
  m.mm.madvise(p, a, 5 * PAGE_SIZE, MADV_PAGEOUT);
  assert.equal(m.mm.events.zswpout, 15);
  m.mm.exit(p);
  assert.equal(m.zswap.storedPages, 0);
  assert.equal(m.zswap.stats().pool_total_size, 0);
});

test("compressor failures send the page to the swap device with its data", () => {
  const m = makeTestMachine();
  enable(m);
  m.ctl.failCompress = 3;
  m.ctl.failErr = -Errno.E2BIG;
  const { p, a } = pageOut(m, 6, (i) => i + 1);
  assert.equal(m.zswap.rejectCompressFail, 3);
  assert.equal(m.mm.events.pswpout, 3);
  assert.equal(m.mm.events.zswpout, 3);
  for (let i = 0; i < 6; i++) assert.equal(m.mm.readByte(p, a + i * PAGE_SIZE + 4000), i + 1);
  assert.equal(m.mm.events.pswpin, 3);
  m.ctl.failCompress = 1;
  m.ctl.failErr = -Errno.ENOSPC;
  pageOut(m, 1, () => 9);
  assert.equal(m.zswap.rejectCompressPoor, 1, "-ENOSPC from the compressor counts as poor");
});

test("incompressible pages: deflate refuses (compress_fail), lzo overflows zsmalloc (compress_poor)", () => {
  for (const [alg, field] of [["deflate", "rejectCompressFail"], ["lzo", "rejectCompressPoor"]] as const) {
    const m = makeTestMachine();
    enable(m, alg);
    const p = m.mm.spawn("t");
    const a = m.mm.mmap(p, 0, 4 * PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS);
    const buf = new Uint8Array(4 * PAGE_SIZE);
    for (let i = 0; i < 4; i++) fillPage(buf, i * PAGE_SIZE, 3, i + 1);
    m.mm.writeBytes(p, a, buf);
    m.mm.madvise(p, a, 4 * PAGE_SIZE, MADV_PAGEOUT);
    assert.equal(m.zswap[field], 4, alg);
    assert.equal(m.mm.events.pswpout, 4);
    const back = new Uint8Array(4 * PAGE_SIZE);
    assert.equal(m.mm.readBytes(p, a, back), 0);
    assert.deepEqual(back, buf);
  }
});

test("entry and zpool allocation failures count reject_kmemcache_fail and reject_alloc_fail", () => {
  const m = makeTestMachine();
  enable(m);
  m.zswap.inject.kmemcacheFail = 2;
  m.zswap.inject.zpoolAllocFail = 1;
  const { p, a } = pageOut(m, 5, () => 0x5a);
  assert.equal(m.zswap.rejectKmemcacheFail, 2);
  assert.equal(m.zswap.rejectAllocFail, 1);
  assert.equal(m.mm.events.pswpout, 3);
  assert.equal(m.zswap.storedPages, 2);
  for (let i = 0; i < 5; i++) assert.equal(m.mm.readByte(p, a + i * PAGE_SIZE), 0x5a);
});

test("a failed decompression is 6.12's BUG_ON(): the oops, the task killed, the entry and the page left as the kernel leaves them", () => {
  const m = makeTestMachine();
  enable(m);
  const { p, a } = pageOut(m, 3, () => 0x77, 2);
  const size = m.zswap.stats().pool_total_size;
  m.ctl.failDecompress = 1;
  const nlog = m.log().length;
  assert.equal(m.mm.readByte(p, a), TASK_KILLED_BY_OOPS, "never data, never a signal the task could catch");
  assert.equal(p.alive, false, "do_exit(): the task and its mappings are gone");
  const oops = m.log().slice(nlog);
  assert.deepEqual(oops.slice(0, 5), [
    "------------[ cut here ]------------",
    "kernel BUG at mm/zswap.c:981!",
    "Oops: invalid opcode: 0000 [#1] PREEMPT SMP NOPTI",
    `CPU: 2 UID: 0 PID: ${p.pid} Comm: t Not tainted 6.12.0 #1`,
    "RIP: 0010:zswap_decompress+0x1c6/0x1d0",
  ]);
  const trace = oops.slice(oops.indexOf(" <TASK>") + 1, oops.indexOf(" </TASK>"));
  assert.deepEqual(trace.slice(0, 3).map((f) => f.replace(/\+.*/, "")), [" zswap_load", " swap_read_folio", " swap_vma_readahead"]);
  assert.ok(trace.some((f) => f.startsWith(" do_swap_page+")) && trace.at(-1)!.startsWith(" asm_exc_page_fault+"));
  assert.ok(oops.indexOf("---[ end trace 0000000000000000 ]---") > oops.indexOf(" </TASK>"));
  assert.equal(oops.at(-10), "RIP: 0010:zswap_decompress+0x1c6/0x1d0", "the executive summary");
  assert.equal(oopsState(m.ctx).taint, 1 << TAINT_DIE);
  // the entry was erased before the decompression and is never freed; the other two went with the task
  assert.equal(m.mm.events.zswpin, 0);
  assert.equal(m.zswap.storedPages, 1);
  assert.equal(m.zswap.stats().pool_total_size, size, "its zpool memory stays");
  // the folio being read stays locked in the swap cache, and so does its slot
  assert.equal(m.mm.swapCachePages, 1);
  assert.equal(m.mm.freeSwapPages(), m.mm.totalSwapPages() - 1);

  // a second oops: [#2], tainted D, the first oops' RIP in the summary
  const q = pageOut(m, 1, () => 0x11, 1);
  m.ctl.shortDecompress = 1;
  const n2 = m.log().length;
  assert.equal(m.mm.writeByte(q.p, q.a, 1), TASK_KILLED_BY_OOPS);
  const second = m.log().slice(n2);
  assert.deepEqual(second.slice(1, 5), [
    "kernel BUG at mm/zswap.c:982!",
    "Oops: invalid opcode: 0000 [#2] PREEMPT SMP NOPTI",
    `CPU: 1 UID: 0 PID: ${q.p.pid} Comm: t Tainted: G      D            6.12.0 #1`,
    "Tainted: [D]=DIE",
  ]);
  assert.equal(second[5], "RIP: 0010:zswap_decompress+0x1ca/0x1d0");
  assert.equal(second.at(-10), "RIP: 0010:zswap_decompress+0x1c6/0x1d0");
  assert.equal(m.zswap.storedPages, 2);
});

test("an asynchronous compressor (-EINPROGRESS) is waited for on the virtual clock", () => {
  const m = makeTestMachine({ asyncAlg: true });
  enable(m);
  const t0 = m.ctx.clock.now;
  const { p, a } = pageOut(m, 4, (i) => 0x10 + i);
  assert.equal(m.zswap.storedPages, 4);
  assert.ok(m.ctx.clock.now >= t0 + 4 * 500);
  for (let i = 0; i < 4; i++) assert.equal(m.mm.readByte(p, a + i * PAGE_SIZE + 7), 0x10 + i);
});

test("a compressor switch makes a new current pool; old entries stay and their pool goes with the last one", () => {
  const m = makeTestMachine();
  enable(m, "lzo");
  const first = pageOut(m, 3, () => 1);
  assert.equal(m.echo(m.params, "compressor", "deflate\n"), 0);
  const second = pageOut(m, 3, () => 2);
  assert.deepEqual(m.zswap.poolList().map((x) => [x.compressor, x.zpool, x.entries]), [["deflate", "zsmalloc", 3], ["lzo", "zsmalloc", 3]]);
  assert.equal(m.zswap.stats().pool_total_size, 2 * PAGE_SIZE, "the size sums both pools");
  for (let i = 0; i < 3; i++) assert.equal(m.mm.readByte(first.p, first.a + i * PAGE_SIZE), 1);
  assert.deepEqual(m.zswap.poolList().map((x) => x.compressor), ["deflate"], "the empty old pool is freed");
  assert.equal(m.echo(m.params, "zpool", "zbud\n"), 0);
  assert.deepEqual(m.zswap.poolList().map((x) => [x.compressor, x.zpool]), [["deflate", "zbud"], ["deflate", "zsmalloc"]]);
  assert.equal(m.echo(m.params, "zpool", "zsmalloc\n"), 0);
  assert.deepEqual(m.zswap.poolList().map((x) => [x.compressor, x.zpool]), [["deflate", "zsmalloc"]], "the old pool is revived; the empty zbud pool goes");
  for (let i = 0; i < 3; i++) assert.equal(m.mm.readByte(second.p, second.a + i * PAGE_SIZE), 2);
});

test("disabling zswap stops new stores; stored pages stay until loaded", () => {
  const m = makeTestMachine();
  enable(m);
  const a = pageOut(m, 2, () => 3);
  assert.equal(m.echo(m.params, "enabled", "N"), 0);
  pageOut(m, 2, () => 4);
  assert.equal(m.mm.events.pswpout, 2);
  assert.equal(m.zswap.storedPages, 2);
  assert.equal(m.mm.readByte(a.p, a.a), 3);
  assert.equal(m.mm.events.zswpin, 1);
});

test("the pool limit: pool_limit_hit, hysteresis down to accept_threshold_percent, writeback", () => {
  // 16 MiB of RAM = 4096 pages; 1% = 40 pages
  const m = makeTestMachine({ ramBytes: 16 << 20, swapBytes: 64 << 20 });
  enable(m, "lzo");
  m.echo(m.params, "max_pool_percent", "1");
  m.echo(m.params, "accept_threshold_percent", "50");
  const p = m.mm.spawn("t");
  const n = 200;
  const a = m.mm.mmap(p, 0, n * PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS);
  const buf = new Uint8Array(n * PAGE_SIZE);
  for (let i = 0; i < n; i++) fillPage(buf, i * PAGE_SIZE, 0, i + 1); // text: ~2 KiB each after lzo
  m.mm.writeBytes(p, a, buf);
  m.mm.madvise(p, a, n * PAGE_SIZE, MADV_PAGEOUT);
  const s = m.zswap.stats();
  assert.ok(s.pool_limit_hit >= 1);
  assert.ok(s.stored_pages > 0 && s.stored_pages < n);
  const rejected = n - m.mm.events.zswpout;
  assert.equal(m.mm.events.pswpout, rejected + m.zswap.writtenBackPages, "the device got every rejected page and every page written back");
  assert.ok(m.zswap.totalPages() <= 40 + 3, "the pool stopped near its limit");
  // Below the limit again only at accept_threshold_percent: a rejection while the pool
  // was marked full counts no limit hit.
  assert.ok(s.pool_limit_hit <= rejected);
  // Writing a page to the device takes virtual time, so the shrink worker (queued at
  // the first limit hit) ran during the call: fresh entries are "referenced", and
  // each run rotates up to MAX_RECLAIM_RETRIES (16) of them before giving up
  // (6.12's second chance).
  m.ctx.clock.runUntilIdle();
  assert.equal(m.zswap.lruLength(), m.zswap.stats().stored_pages);
  const p2 = m.mm.spawn("t2");
  const n2 = 60;
  const b = m.mm.mmap(p2, 0, n2 * PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS);
  const buf2 = new Uint8Array(n2 * PAGE_SIZE);
  for (let i = 0; i < n2; i++) fillPage(buf2, i * PAGE_SIZE, 4, i + 7);
  m.mm.writeBytes(p2, b, buf2);
  for (let i = 0; i < n2; i++) {
    m.mm.madvise(p2, b + i * PAGE_SIZE, PAGE_SIZE, MADV_PAGEOUT);
    m.ctx.clock.runUntilIdle();
  }
  assert.ok(m.zswap.writtenBackPages > 0);
  assert.equal(m.mm.events.zswpwb, m.zswap.writtenBackPages);
  assert.equal(m.mm.events.pswpout, m.zswap.writtenBackPages + (n + n2 - m.mm.events.zswpout), "device writes = writebacks + rejections");
  assert.ok(m.zswap.totalPages() <= 41);
  const back = new Uint8Array(n * PAGE_SIZE);
  assert.equal(m.mm.readBytes(p, a, back), 0);
  assert.deepEqual(back, buf, "written-back pages read back from the device");
  const back2 = new Uint8Array(n2 * PAGE_SIZE);
  assert.equal(m.mm.readBytes(p2, b, back2), 0);
  assert.deepEqual(back2, buf2);
});

test("checkLimits hysteresis: full at max, accepting again only at or below the threshold", () => {
  const m = makeTestMachine({ ramBytes: 16 << 20 });
  enable(m, "zswap-test");
  m.echo(m.params, "max_pool_percent", "0");
  pageOut(m, 3, () => 1);
  assert.equal(m.zswap.poolLimitHit, 3, "max 0: every store is at the limit");
  assert.equal(m.zswap.storedPages, 0);
  m.echo(m.params, "max_pool_percent", "20");
  m.echo(m.params, "accept_threshold_percent", "0");
  const { p } = pageOut(m, 1, () => 2);
  assert.equal(m.zswap.storedPages, 1, "an empty pool (0 pages) is at the threshold 0");
  m.echo(m.params, "max_pool_percent", "0");
  pageOut(m, 1, () => 2);
  m.echo(m.params, "max_pool_percent", "20");
  pageOut(m, 1, () => 2);
  assert.equal(m.zswap.poolLimitHit, 4);
  assert.equal(m.zswap.storedPages, 1, "1 pool page > threshold 0: still rejecting, no new hit");
  m.mm.exit(p);
});

test("writeback gives referenced entries a second chance and counts failures", () => {
  const m = makeTestMachine();
  enable(m);
  pageOut(m, 4, () => 1);
  m.echo(m.params, "max_pool_percent", "0");
  m.zswap.shrinkWorker();
  assert.equal(m.zswap.writtenBackPages, 4, "4 rotations, then 4 writebacks");
  assert.equal(m.mm.events.pswpout, 4);
  assert.equal(m.zswap.rejectReclaimFail, 0);
});

test("swapoff drains zswap through loads and leaves no entries", () => {
  const m = makeTestMachine();
  enable(m);
  const { p, a } = pageOut(m, 50, (i) => i + 1);
  assert.equal(m.zswap.storedPages, 50);
  assert.equal(m.mm.swapoff("/dev/vdb"), 0);
  assert.equal(m.zswap.storedPages, 0);
  assert.equal(m.mm.events.zswpin, 50);
  assert.equal(m.zswap.stats().pool_total_size, 0);
  for (let i = 0; i < 50; i++) assert.equal(m.mm.readByte(p, a + i * PAGE_SIZE), i + 1);
});

test("saveState()/loadState() keep parameters and counters", () => {
  const m = makeTestMachine();
  enable(m);
  m.echo(m.params, "max_pool_percent", "50");
  pageOut(m, 2, () => 1);
  m.ctl.failCompress = 1;
  pageOut(m, 1, () => 1);
  const s = JSON.parse(JSON.stringify(m.zswap.saveState()));
  const n = makeTestMachine();
  n.zswap.loadState(s);
  assert.equal(n.cat(n.params, "enabled"), "Y\n");
  assert.equal(n.cat(n.params, "compressor"), "zswap-test\n");
  assert.equal(n.cat(n.params, "max_pool_percent"), "50\n");
  assert.equal(n.zswap.rejectCompressFail, 1);
  assert.equal(n.echo(n.params, "compressor", "bogus"), -Errno.ENOENT, "initialized: names are checked");
  n.mm.swapon("/dev/vdb");
  pageOut(n, 1, () => 5);
  assert.equal(n.zswap.storedPages, 1);
});

test("swapoff that oopses dies in try_to_unuse(): the device stays listed, off the active lists; the page's owner gets SIGBUS", () => {
  const m = makeTestMachine();
  enable(m);
  const priv = pageOut(m, 2, () => 0x11);
  const task = m.mm.spawn("swapoff", 3);
  m.ctx.cpu = 3; // the CPU swapoff runs on
  m.ctl.failDecompress = 1;
  const nlog = m.log().length;
  assert.equal(m.mm.swapoff("/dev/vdb", task), TASK_KILLED_BY_OOPS);
  const oops = m.log().slice(nlog);
  assert.equal(oops[3], `CPU: 3 UID: 0 PID: ${task.pid} Comm: swapoff Not tainted 6.12.0 #1`);
  const trace = oops.slice(oops.indexOf(" <TASK>") + 1, oops.indexOf(" </TASK>")).map((f) => f.replace(/\+.*/, ""));
  assert.deepEqual(trace.slice(-5), [" unuse_pte_range", " try_to_unuse", " __do_sys_swapoff", " do_syscall_64", " entry_SYSCALL_64_after_hwframe"]);
  assert.equal(m.mm.activeSwaps().length, 1, "still in /proc/swaps");
  assert.equal(m.mm.totalSwapPages(), 0, "no longer counted or used");
  assert.equal(m.mm.swapoff("/dev/vdb"), -Errno.EINVAL, "a new swapoff does not find it");
  assert.equal(m.mm.swapon("/dev/vdb"), -Errno.EBUSY);
  assert.equal(m.mm.readByte(priv.p, priv.a), -Errno.EIO, "its page is locked forever: SIGBUS where the kernel would block");
  assert.equal(m.mm.readByte(priv.p, priv.a + PAGE_SIZE), 0x11, "the other page was never reached");
  const saved = m.mm.saveState();
  assert.deepEqual(saved.swaps.map((s) => s.stuck ?? false), [true]);
});

test("an oops in writeback kills the zswap-shrink kworker: the entry's page stays locked, the shrink work never runs again", () => {
  // 16 MiB of RAM: a 40-page pool; pages whose runs are 4 bytes long take 2 KiB each
  const m = makeTestMachine({ ramBytes: 16 << 20 });
  enable(m);
  assert.equal(m.echo(m.params, "max_pool_percent", "1\n"), 0);
  const runs = (n: number) => {
    const p = m.mm.spawn("t");
    const a = m.mm.mmap(p, 0, n * PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS);
    const buf = new Uint8Array(n * PAGE_SIZE);
    for (let k = 0; k < buf.length; k++) buf[k] = ((k >> 2) * 7) & 0xff;
    assert.equal(m.mm.writeBytes(p, a, buf), 0);
    assert.equal(m.mm.madvise(p, a, n * PAGE_SIZE, MADV_PAGEOUT), 0);
    m.ctx.clock.runUntilIdle();
    return { p, a };
  };
  m.ctl.failDecompress = 1;
  const nlog = m.log().length;
  const { p, a } = runs(200);
  const oops = m.log().slice(nlog);
  const at = oops.indexOf("kernel BUG at mm/zswap.c:981!");
  assert.ok(at > 0, "the writeback decompression BUG()s");
  assert.match(oops[at + 2]!, /^CPU: \d+ UID: 0 PID: \d+ Comm: kworker\/u8:1 Not tainted 6\.12\.0 #1$/);
  assert.equal(oops[at + 3], "Workqueue: zswap-shrink shrink_worker");
  const trace = oops.slice(oops.indexOf(" <TASK>") + 1, oops.indexOf(" </TASK>")).map((f) => f.replace(/\+.*/, ""));
  assert.deepEqual(trace.slice(0, 2), [" zswap_writeback_entry", " shrink_memcg_cb"]);
  assert.equal(trace.at(-1), " ret_from_fork_asm");
  const written = m.zswap.writtenBackPages;
  const stats = m.zswap.stats();
  runs(60);
  assert.equal(m.zswap.writtenBackPages, written, "no more writeback");
  assert.ok(m.zswap.stats().pool_limit_hit > stats.pool_limit_hit, "the pool stays full");
  assert.equal(m.zswap.pendingEvents(), 0);
  // the page whose writeback died: locked in the swap cache, SIGBUS for its owner
  let sigbus = 0;
  for (let i = 0; i < 200; i++) {
    const b = m.mm.readByte(p, a + i * PAGE_SIZE + 4);
    if (b === -Errno.EIO) sigbus++;
    else assert.equal(b, 7);
  }
  assert.equal(sigbus, 1);
});
