import assert from "node:assert/strict";
import test from "node:test";
import { VirtualClock } from "./clock.js";
import { blockSize, logBufLen, LogLevel, memparse, Printk } from "./printk.js";

test("log_buf_len as setup_log_buf() computes it", () => {
  assert.equal(logBufLen(18, 12, 8), 1 << 18, "7 × 4 KiB is not more than half of 256 KiB");
  assert.equal(logBufLen(18, 12, 160), 1 << 20, "159 × 4 KiB + 256 KiB rounded up to a power of two");
  assert.equal(logBufLen(18, 12, 1), 1 << 18);
  assert.equal(logBufLen(18, 12, 160, 3 << 20), 4 << 20, "log_buf_len= wins and is rounded up");
  assert.equal(logBufLen(18, 12, 8, 4096), 1 << 18, "a log_buf_len= below the static buffer is ignored");
  assert.equal(memparse("2M"), 2 << 20);
  assert.ok(Number.isNaN(memparse("lots")));
});

test("a record takes its text plus the block id, 8-byte aligned", () => {
  assert.equal(blockSize(""), 0);
  assert.equal(blockSize("a"), 16);
  assert.equal(blockSize("12345678"), 16);
  assert.equal(blockSize("123456789"), 24);
  assert.equal(blockSize("é"), 16);
});

test("the ring drops the oldest records once their data space is reused", () => {
  const clock = new VirtualClock();
  const log = new Printk(clock, 4096); // 128 descriptors
  const line = (i: number): string => `line ${String(i).padStart(50, "0")}`; // 55 bytes → 64-byte blocks
  for (let i = 0; i < 1000; i++) log.printk(LogLevel.INFO, line(i));
  const recs = log.records;
  // 4096 / 64 = 64 blocks, but a block ending exactly at the end of a wrap counts as crossing it
  // (DATA_WRAPS(begin) != DATA_WRAPS(next)), so each wrap holds 63 blocks and the ring keeps 63
  assert.equal(recs.length, 63);
  assert.equal(recs.at(-1)!.text, line(999));
  assert.equal(recs[0]!.text, line(937));
  assert.equal(recs[0]!.seq, 937);
  assert.equal(log.nextSeq, 1000);
});

test("a block that would cross the end of the ring starts the next wrap (the tail is wasted)", () => {
  const log = new Printk(new VirtualClock(), 256);
  const text = "x".repeat(100 - 8); // 100 → 104-byte blocks
  log.printk(LogLevel.INFO, text); // [0,104)
  log.printk(LogLevel.INFO, text); // [104,208)
  log.printk(LogLevel.INFO, text); // would end at 312: starts at 256 → [256,360), so [0,104) is lost
  assert.deepEqual(log.records.map((r) => r.seq), [1, 2]);
  log.printk(LogLevel.INFO, text); // [360,464): pushes the tail past 208
  assert.deepEqual(log.records.map((r) => r.seq), [2, 3]);
});

test("short records are bounded by the descriptor count", () => {
  const log = new Printk(new VirtualClock(), 4096); // 128 descriptors, 16-byte blocks would fit 256
  for (let i = 0; i < 500; i++) log.printk(LogLevel.DEBUG, "x");
  assert.equal(log.records.length, 128);
  assert.equal(log.records[0]!.seq, 372);
});

test("a 50,000-page debug run keeps the kernel's window of the log", () => {
  const log = new Printk(new VirtualClock(), 1 << 18);
  for (let i = 0; i < 50_000; i++) {
    log.printk(LogLevel.DEBUG, `idxd 0000:6a:02.0: iaa_comp_acompress: dma_map_sg, src_addr ${(0x2000000000 + i * 4096).toString(16)}, nr_sgs 1, req->src 00000000a1b2c3d4, req->slen 4096, sg_dma_len(sg) 4096`);
  }
  const recs = log.records;
  const block = blockSize(recs[0]!.text);
  assert.ok(recs.length * block <= 1 << 18 && (recs.length + 1) * block > (1 << 18) - block, `${recs.length} records of ${block} bytes`);
  assert.equal(recs.at(-1)!.seq, 49_999);
  const s = log.saveRing();
  const again = new Printk(new VirtualClock(), 1 << 18);
  again.loadRing(s);
  again.printk(LogLevel.INFO, "next");
  log.printk(LogLevel.INFO, "next");
  assert.deepEqual(again.records, log.records);
});

test("saveRing/loadRing: the ring in typed arrays comes back record for record, any text included", () => {
  const clock = new VirtualClock();
  const log = new Printk(clock, 1 << 12);
  const texts = ["plain", "", "latin1 é\x85\xff", "wide € ü 中", "lone \ud800 surrogate \udfff", "emoji 😀"];
  for (let i = 0; i < 300; i++) {
    clock.advance(1234 + i);
    log.printk(i % 8, `${texts[i % texts.length]} #${i}`);
  }
  log.printk(LogLevel.INFO, "");
  const ring = log.saveRing();
  assert.equal(ring.wide, true);
  assert.ok(ring.text instanceof Uint8Array && ring.ts instanceof Float64Array && ring.level instanceof Uint8Array);
  const again = new Printk(new VirtualClock(), 1 << 12);
  again.loadRing(ring);
  assert.deepEqual(again.records, log.records);
  assert.deepEqual(again.format(), log.format());
  // the ring goes on the same way: the same records pushed out by the same new ones
  for (let i = 0; i < 50; i++) {
    log.printk(LogLevel.DEBUG, `more ${i} ${"x".repeat(i)}`);
    again.printk(LogLevel.DEBUG, `more ${i} ${"x".repeat(i)}`);
  }
  assert.deepEqual(again.records.map((r) => [r.seq, r.text, r.level]), log.records.map((r) => [r.seq, r.text, r.level]));
  // latin-1 only: one byte per character
  const narrow = new Printk(new VirtualClock(), 1 << 12);
  narrow.printk(LogLevel.INFO, "abc é");
  narrow.clear();
  narrow.printk(LogLevel.INFO, "after clear é\x85");
  const r2 = narrow.saveRing();
  assert.equal(r2.wide, false);
  assert.equal(r2.text.length, "after clear é\x85".length);
  const n2 = new Printk(new VirtualClock(), 1 << 12);
  n2.loadRing(r2);
  assert.deepEqual(n2.records, narrow.records);
  assert.equal(n2.nextSeq, 2);
  // arrays that do not fit together are refused
  assert.throws(() => n2.loadRing({ ...r2, lens: Uint32Array.of(3) }), /printk ring/);
});

test("saveRing returns the same object while the ring is unchanged, a new one after a record or a clear", () => {
  const log = new Printk(new VirtualClock(), 1 << 12);
  log.printk(LogLevel.INFO, "one");
  const a = log.saveRing();
  void log.records;
  assert.equal(log.saveRing(), a);
  log.printk(LogLevel.INFO, "two");
  const b = log.saveRing();
  assert.notEqual(b, a);
  assert.equal(b.lens.length, 2);
  log.clear();
  const c = log.saveRing();
  assert.notEqual(c, b);
  assert.equal(c.lens.length, 0);
  log.loadRing(b);
  assert.notEqual(log.saveRing(), c);
  assert.deepEqual(log.format().map((l) => l.slice(15)), ["one", "two"]);
});
