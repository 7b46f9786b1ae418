/**
 * The sub-driver path: descriptor pools, submission through the idxd driver
 * to the device model, polling and RCI completions via descComplete.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { crc32 as zcrc32, inflateRawSync } from "node:zlib";
import { buildAecsCompress, fixedAecsRecord } from "../../src/deflate/mod.js";
import { encodeIaxHwDesc, IAX_OPCODE_COMPRESS, IAX_OPCODE_NOOP, parseIaxCompletion } from "../../src/hw/descriptor.js";
import type { IdxdDesc } from "../../src/driver/idxd/submit.js";
import { Errno } from "../../src/lib/errno.js";
import { bootMachine } from "../../src/system/machine.js";
import { standInCrypto, wr } from "./_helpers.js";

function setup() {
  const m = bootMachine("tiny");
  const idxd = m.idxd!;
  const drv = standInCrypto(idxd);
  idxd.driverRegister(drv);
  const wq = idxd.devices.find((d) => d.name === "iax1")!.wqs[0]!;
  return { m, idxd, drv, wq };
}

test("allocDesc/submitDesc: a compress polled to completion, output checked with node:zlib", () => {
  const { m, idxd, wq } = setup();
  const src = m.mem.allocPages(1);
  const dst = m.mem.allocPages(1);
  const aecs = m.mem.kmalloc(1600, 32);
  m.mem.view(aecs, 1568).set(buildAecsCompress(fixedAecsRecord()));
  const input = new TextEncoder().encode("Join us now and share the software ".repeat(2));
  m.mem.view(src, input.length).set(input);
  const desc = idxd.allocDesc(wq, true) as IdxdDesc;
  assert.equal(typeof desc, "object");
  encodeIaxHwDesc({ opcode: IAX_OPCODE_COMPRESS, flags: 0x1010c, opFlags: 0x6, completionAddr: desc.complDma, src1Addr: src, src1Size: input.length, dstAddr: dst, maxDstSize: 512, src2Addr: aecs, src2Size: 1568 }, desc.hw);
  assert.equal(idxd.submitDesc(wq, desc), 0);
  assert.equal(desc.completion[0], 0);
  m.ctx.clock.runUntil(() => desc.completion[0] !== 0);
  const cr = parseIaxCompletion(desc.completion);
  assert.equal(cr.status, 1);
  assert.equal(cr.crc, zcrc32(input));
  assert.deepEqual(new Uint8Array(inflateRawSync(m.mem.view(dst, cr.outputSize))), input);
  idxd.freeDesc(wq, desc);
  assert.equal(wq.freeDescs.length, 128);
});

test("RCI: the idxd irq thread hands the descriptor to the sub-driver's descComplete", () => {
  const { m, idxd, drv, wq } = setup();
  const desc = idxd.allocDesc(wq, true) as IdxdDesc;
  encodeIaxHwDesc({ opcode: IAX_OPCODE_NOOP, flags: 0x1c, completionAddr: desc.complDma }, desc.hw);
  const t0 = m.ctx.clock.now;
  assert.equal(idxd.submitDesc(wq, desc), 0);
  assert.equal(wq.pending.length, 1);
  m.ctx.clock.runUntilIdle();
  assert.equal(drv.completed.length, 1);
  assert.equal((drv.completed[0] as { type: string }).type, "normal");
  assert.equal(wq.pending.length, 0);
  assert.equal(wq.freeDescs.length, 128, "descComplete freed it");
  assert.ok(m.ctx.clock.now - t0 >= 1500 + 2100, "interrupt delivery + wake-up");
});

test("pool exhaustion: non-blocking → -EAGAIN, blocking waits in virtual time; disabled device → -EIO", () => {
  const { m, idxd, wq } = setup();
  const descs: IdxdDesc[] = [];
  for (let i = 0; i < 128; i++) descs.push(idxd.allocDesc(wq, false) as IdxdDesc);
  assert.equal(idxd.allocDesc(wq, false), -Errno.EAGAIN);
  assert.equal(idxd.allocDesc(wq, true), -Errno.EAGAIN, "nothing in flight can free one");
  const t0 = m.ctx.clock.now;
  m.ctx.clock.schedule(5000, () => idxd.freeDesc(wq, descs[3]!));
  const d = idxd.allocDesc(wq, true);
  assert.equal(typeof d, "object");
  assert.equal(m.ctx.clock.now - t0, 5000);
  for (const x of descs) if (x !== descs[3]) idxd.freeDesc(wq, x);
  idxd.freeDesc(wq, d as IdxdDesc);
  assert.equal(wr(m, "/sys/bus/dsa/drivers/idxd/unbind", "iax1"), "ok");
  assert.equal(idxd.allocDesc(wq, false), -Errno.EIO);
});

test("shared WQ: ENQCMDS retried enqcmds_retries times, then -EAGAIN", () => {
  const { m, idxd } = setup();
  const D = "/sys/bus/dsa/devices/iax1";
  assert.equal(wr(m, "/sys/bus/dsa/drivers/idxd/unbind", "iax1"), "ok");
  for (const [a, v] of [["mode", "shared"], ["size", "4"], ["threshold", "2"], ["group_id", "0"], ["priority", "10"], ["type", "kernel"], ["name", "swq"], ["driver_name", "crypto"]]) assert.equal(wr(m, `${D}/wq1.0/${a}`, v), "ok");
  assert.equal(wr(m, `${D}/engine1.0/group_id`, "0"), "ok");
  assert.equal(wr(m, "/sys/bus/dsa/drivers/idxd/bind", "iax1"), "ok");
  assert.equal(wr(m, "/sys/bus/dsa/drivers/crypto/bind", "wq1.0"), "ok");
  const wq = idxd.devices.find((d) => d.name === "iax1")!.wqs[0]!;
  const sub = () => {
    const d = idxd.allocDesc(wq, false) as IdxdDesc;
    encodeIaxHwDesc({ opcode: IAX_OPCODE_NOOP, flags: 0xc, completionAddr: d.complDma }, d.hw);
    return idxd.submitDesc(wq, d);
  };
  assert.equal(sub(), 0);
  assert.equal(sub(), 0);
  assert.equal(sub(), -Errno.EAGAIN);
  m.ctx.clock.runUntilIdle();
  assert.equal(sub(), 0);
});
