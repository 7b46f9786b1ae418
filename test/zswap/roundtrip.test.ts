/**
 * 100,000 pages of varied content (text, binary ramps, zero, random,
 * pointer-like) through MADV_PAGEOUT → zswap (a real software compressor)
 * → swap-in, every byte verified; then again with injected compressor
 * failures (a failed decompression is an oops: src/zswap/zswap.test.ts,
 * test/zswap/decompress_bug.test.ts). Work is done in batches so RAM stays small.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { AcompAlg } from "../../src/crypto/acomp.js";
import { Errno } from "../../src/lib/errno.js";
import { MADV_DONTNEED, MADV_PAGEOUT, MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE } from "../../src/mm/address_space.js";
import { PAGE_SIZE } from "../../src/mm/phys_mem.js";
import { fillPage, makeTestMachine, type TestMachine } from "../../src/zswap/_test_machine.js";

const TOTAL = 100_000;
const BATCH = 5_000;

/** Registers "lzo-faulty" (cra_name lzo): lzo-scomp with every `every`-th compress failing -EINVAL. */
function registerFaultyLzo(m: TestMachine, every: number): { fails: number } {
  const info = m.crypto.allocAcomp("lzo-scomp");
  assert.ok(typeof info !== "number");
  const inner: AcompAlg = info.alg;
  m.crypto.freeAcomp(info);
  const st = { fails: 0, n: 0 };
  const alg: AcompAlg = {
    ...inner,
    cra_driver_name: "lzo-faulty",
    cra_priority: 50,
    compress(req) {
      if (++st.n % every === 0) {
        st.fails++;
        return -Errno.EINVAL;
      }
      return inner.compress(req);
    },
  };
  assert.equal(m.crypto.registerAcomp(alg), 0);
  return st;
}

function roundTrip(m: TestMachine, compressor: string) {
  assert.equal(m.echo(m.params, "enabled", "0\n"), 0);
  assert.equal(m.echo(m.params, "compressor", compressor + "\n"), 0);
  assert.equal(m.echo(m.params, "max_pool_percent", "50\n"), 0);
  assert.equal(m.echo(m.params, "enabled", "1\n"), 0);
  assert.equal(m.mm.swapon("/dev/vdb"), 0);
  const p = m.mm.spawn("roundtrip", 1);
  const a = m.mm.mmap(p, 0, TOTAL * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  assert.ok(a > 0);
  const want = new Uint8Array(BATCH * PAGE_SIZE);
  const got = new Uint8Array(BATCH * PAGE_SIZE);
  let zero = 0;
  for (let b = 0; b < TOTAL; b += BATCH) {
    for (let i = 0; i < BATCH; i++) fillPage(want, i * PAGE_SIZE, (b + i) % 5, b + i + 1);
    const at = a + b * PAGE_SIZE;
    assert.equal(m.mm.writeBytes(p, at, want), 0);
    assert.equal(m.mm.madvise(p, at, BATCH * PAGE_SIZE, MADV_PAGEOUT), 0);
    assert.equal(m.mm.readBytes(p, at, got), 0);
    assert.ok(Buffer.from(got.buffer).equals(Buffer.from(want.buffer)), `batch at page ${b} came back wrong`);
    assert.equal(m.mm.madvise(p, at, BATCH * PAGE_SIZE, MADV_DONTNEED), 0);
    zero += BATCH / 5;
  }
  const e = m.mm.events;
  assert.equal(e.zswpout + e.pswpout + zero, TOTAL, "every non-zero page went to zswap or the device");
  assert.equal(e.zswpin, e.zswpout, "every stored page was loaded");
  assert.equal(e.pswpin, e.pswpout);
  assert.equal(m.zswap.storedPages, 0);
  assert.equal(m.zswap.stats().pool_total_size, 0);
  m.mm.exit(p);
  assert.equal(m.mm.freeSwapPages(), m.mm.totalSwapPages());
}

test("100,000 varied pages round-trip through zswap on lzo, every byte verified", () => {
  const m = makeTestMachine({ ramBytes: 512 << 20, swapBytes: 1 << 30 });
  roundTrip(m, "lzo");
  const s = m.zswap.stats();
  // random pages (1 in 5) do not fit a page: lzo overflows, zsmalloc says -ENOSPC
  assert.equal(s.reject_compress_poor, TOTAL / 5);
  assert.equal(s.reject_compress_fail, 0);
  assert.equal(m.mm.events.zswpout, (TOTAL * 3) / 5);
});

test("100,000 pages with injected compress failures lose nothing", () => {
  const m = makeTestMachine({ ramBytes: 512 << 20, swapBytes: 1 << 30 });
  const st = registerFaultyLzo(m, 7);
  roundTrip(m, "lzo-faulty");
  assert.ok(st.fails > 10_000);
  assert.equal(m.zswap.stats().reject_compress_fail, st.fails);
});
