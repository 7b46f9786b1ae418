/**
 * The IAA device model on its own: commands, portals, descriptors with bad
 * fields, a real compress/decompress round trip checked against node:zlib,
 * interrupts, fault injection and virtual-time determinism.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { crc32 as zcrc32, inflateRawSync } from "node:zlib";
import { buildAecsCompress, fixedAecsRecord } from "../deflate/mod.js";
import { VirtualClock } from "../lib/clock.js";
import { PhysMem } from "../mm/phys_mem.js";
import { SPR_IAA_CAPS } from "./caps.js";
import {
  encodeIaxHwDesc,
  IAX_OPCODE_COMPRESS,
  IAX_OPCODE_DECOMPRESS,
  IAX_OPCODE_NOOP,
  IDXD_OP_FLAG_CC,
  IDXD_OP_FLAG_CRAV,
  IDXD_OP_FLAG_RCI,
  IDXD_OP_FLAG_RCR,
  IDXD_OP_FLAG_RD_SRC2_AECS,
  parseIaxCompletion,
  type IaxHwDesc,
} from "./descriptor.js";
import { IDXD_CMD_DISABLE_WQ, IDXD_CMD_ENABLE_DEVICE, IDXD_CMD_ENABLE_WQ, IdxdHw } from "./idxd_hw.js";

const COMP_FLAGS = IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR | IDXD_OP_FLAG_RD_SRC2_AECS | IDXD_OP_FLAG_CC; // 0x1010C
const DECOMP_FLAGS = IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR | IDXD_OP_FLAG_CC; // 0x10C

interface Rig {
  clock: VirtualClock;
  mem: PhysMem;
  hw: IdxdHw;
  src: number;
  dst: number;
  out: number;
  aecs: number;
  cr: number;
  irqs: number[];
}

/** An enabled IAA with wq0 dedicated (size 16), wq1 shared (size 16, threshold 2), all in group 0 with engines 0 and 2. */
function rig(): Rig {
  const clock = new VirtualClock();
  const mem = new PhysMem(64 << 20);
  const hw = new IdxdHw(SPR_IAA_CAPS, clock, mem);
  const irqs: number[] = [];
  hw.onInterrupt = (v) => irqs.push(v);
  hw.wqcfg[0] = { ...hw.wqcfg[0]!, size: 16, priority: 10, dedicated: true };
  hw.wqcfg[1] = { ...hw.wqcfg[1]!, size: 16, threshold: 2, priority: 10, dedicated: false, pasidEn: true };
  hw.grpcfg[0] = { wqs: 0b11, engines: 0b101 };
  assert.equal(hw.command(IDXD_CMD_ENABLE_DEVICE, 0), 0);
  assert.equal(hw.command(IDXD_CMD_ENABLE_WQ, 0), 0);
  assert.equal(hw.command(IDXD_CMD_ENABLE_WQ, 1), 0);
  const src = mem.allocPages(1);
  const dst = mem.allocPages(2);
  const out = mem.allocPages(1);
  const aecs = mem.kmalloc(1568 + 32, 32);
  mem.view(aecs, 1568).set(buildAecsCompress(fixedAecsRecord()));
  const cr = mem.kmalloc(64, 64);
  return { clock, mem, hw, src, dst, out, aecs, cr, irqs };
}

function page(seed: number): Uint8Array {
  const p = new Uint8Array(4096);
  const words = ["alpha ", "beta ", "gamma ", "delta ", "swap ", "page "];
  let x = seed;
  for (let i = 0; i < p.length; ) {
    x = (x * 1103515245 + 12345) >>> 0;
    for (const ch of words[x % words.length]!) if (i < p.length) p[i++] = ch.charCodeAt(0);
  }
  return p;
}

function compressDesc(r: Rig, over: Partial<IaxHwDesc> = {}): Uint8Array {
  return encodeIaxHwDesc({ opcode: IAX_OPCODE_COMPRESS, flags: COMP_FLAGS, opFlags: 0x6, completionAddr: r.cr, src1Addr: r.src, src1Size: 4096, dstAddr: r.dst, maxDstSize: 4096, src2Addr: r.aecs, src2Size: 1568, ...over });
}

/** Submits to wq0 and runs the clock until the completion record is written; returns it and the time taken. */
function run(r: Rig, desc: Uint8Array, wq = 0): { cr: ReturnType<typeof parseIaxCompletion>; ns: number } {
  r.mem.view(r.cr, 64).fill(0);
  const t0 = r.clock.now;
  r.hw.portalWrite(wq, desc, wq === 0 ? "movdir64b" : "enqcmds");
  r.clock.runUntil(() => r.mem.view(r.cr, 1)[0] !== 0);
  return { cr: parseIaxCompletion(r.mem.view(r.cr, 64)), ns: r.clock.now - t0 };
}

test("compress (0x43, fixed AECS) then decompress (0x42) round trip through the portal", () => {
  const r = rig();
  const input = page(1);
  r.mem.view(r.src, 4096).set(input);
  const c = run(r, compressDesc(r));
  assert.equal(c.cr.status, 1);
  assert.ok(c.cr.outputSize > 0 && c.cr.outputSize < 4096);
  assert.equal(c.cr.crc, zcrc32(input));
  const z = r.mem.view(r.dst, c.cr.outputSize).slice();
  assert.equal(z[0]! & 7, 0b011, "one final fixed-Huffman block");
  assert.deepEqual(new Uint8Array(inflateRawSync(z)), input);
  // a 4 KiB compress takes ≈ setup + 4096 B / 1.9 GB/s (+ submit and CR write)
  assert.ok(c.ns > 2900 && c.ns < 3500, `compress took ${c.ns} ns`);

  const d = run(r, encodeIaxHwDesc({ opcode: IAX_OPCODE_DECOMPRESS, flags: DECOMP_FLAGS, opFlags: 0xf, completionAddr: r.cr, src1Addr: r.dst, src1Size: c.cr.outputSize, dstAddr: r.out, maxDstSize: 4096 }));
  assert.equal(d.cr.status, 1);
  assert.equal(d.cr.outputSize, 4096);
  assert.equal(d.cr.crc, c.cr.crc);
  assert.deepEqual(r.mem.view(r.out, 4096), input);
  assert.ok(d.ns > 2000 && d.ns < 2600, `decompress took ${d.ns} ns`);

  // verify-style decompress: suppress output (0x20F) writes nothing but reports the CRC
  r.mem.view(r.out, 4096).fill(0);
  const v = run(r, encodeIaxHwDesc({ opcode: IAX_OPCODE_DECOMPRESS, flags: DECOMP_FLAGS, opFlags: 0x20f, completionAddr: r.cr, src1Addr: r.dst, src1Size: c.cr.outputSize, dstAddr: r.src, maxDstSize: 4096 }));
  assert.equal(v.cr.status, 1);
  assert.equal(v.cr.crc, c.cr.crc);
  assert.deepEqual(r.mem.view(r.src, 4096), input, "suppressed output left dst alone");
});

test("incompressible input overflows: status 0x0a, error 0x19", () => {
  const r = rig();
  const p = r.mem.view(r.src, 4096);
  let x = 7;
  for (let i = 0; i < 4096; i++) p[i] = (x = (x * 1664525 + 1013904223) >>> 0) >>> 24;
  const c = run(r, compressDesc(r));
  assert.equal(c.cr.status, 0x0a);
  assert.equal(c.cr.errorCode, 0x19);
});

test("descriptors with bad fields get the hardware status codes", () => {
  const r = rig();
  r.mem.view(r.src, 4096).set(page(2));
  const cases: [string, Partial<IaxHwDesc>, number][] = [
    ["opcode not in OPCAP", { opcode: 0x4a }, 0x10],
    ["DSA-only flag (DRDBK)", { flags: COMP_FLAGS | 0x4000 }, 0x11],
    ["block on fault not allowed by the WQ", { flags: COMP_FLAGS | 0x0002 }, 0x11],
    ["compress without RD_SRC2_AECS", { flags: DECOMP_FLAGS }, 0x11],
    ["RCI with interrupt handle 0", { flags: COMP_FLAGS | IDXD_OP_FLAG_RCI }, 0x19],
    ["statistics-mode compress flag", { opFlags: 0x7 }, 0x30],
    ["src1_size 0", { src1Size: 0 }, 0x13],
    ["src1_size above the WQ max transfer", { src1Size: 4 << 20 }, 0x13],
    ["AECS smaller than the table record", { src2Size: 1024 }, 0x13],
    ["AECS size not a multiple of 32", { src2Size: 1570 }, 0x1c],
    ["AECS misaligned", { src2Addr: 0 }, 0x1c],
    ["unbacked source", { src1Addr: 0x1000 }, 0x03],
  ];
  for (const [name, over, status] of cases) {
    if (name === "AECS misaligned") over.src2Addr = r.aecs + 16;
    const c = run(r, compressDesc(r, over));
    assert.equal(c.cr.status, status, name);
  }
  const dec = (over: Partial<IaxHwDesc>) => run(r, encodeIaxHwDesc({ opcode: IAX_OPCODE_DECOMPRESS, flags: DECOMP_FLAGS, opFlags: 0xf, completionAddr: r.cr, src1Addr: r.src, src1Size: 16, dstAddr: r.out, maxDstSize: 4096, ...over })).cr;
  assert.equal(dec({ opFlags: 0xe }).status, 0x30, "decompress without ENABLE");
  r.mem.view(r.src, 2).set([0x07, 0x00]); // BTYPE=11: invalid block type
  const bad = dec({ src1Size: 2 });
  assert.equal(bad.status, 0x0a);
  assert.notEqual(bad.errorCode, 0);
  // misaligned completion record: no record, a software error and the misc interrupt
  r.hw.portalWrite(0, compressDesc(r, { completionAddr: r.cr + 8 }), "movdir64b");
  r.clock.runUntilIdle();
  assert.equal(r.hw.swerr.valid, true);
  assert.equal(r.hw.swerr.status, 0x1b);
  assert.deepEqual(r.irqs, [0]);
});

test("RCI raises the descriptor's interrupt after the completion record", () => {
  const r = rig();
  r.mem.view(r.src, 4096).set(page(3));
  const seen: [number, number][] = [];
  r.hw.onInterrupt = (v) => seen.push([v, r.mem.view(r.cr, 1)[0]!]);
  r.hw.portalWrite(0, compressDesc(r, { flags: COMP_FLAGS | IDXD_OP_FLAG_RCI, intHandle: 1 }), "movdir64b");
  r.clock.runUntilIdle();
  assert.deepEqual(seen, [[1, 1]]);
});

test("shared WQ: ENQCMDS accepted below the threshold, retry at it; disabled WQ retries", () => {
  const r = rig();
  const noop = encodeIaxHwDesc({ opcode: IAX_OPCODE_NOOP, flags: IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR, completionAddr: r.cr });
  assert.equal(r.hw.portalWrite(1, noop, "enqcmds"), 0);
  assert.equal(r.hw.portalWrite(1, noop, "enqcmds"), 0);
  assert.equal(r.hw.wqOccupancy(1), 2);
  assert.equal(r.hw.portalWrite(1, noop, "enqcmds"), 1);
  r.clock.runUntilIdle();
  assert.equal(r.hw.wqOccupancy(1), 0);
  assert.equal(r.hw.portalWrite(1, noop, "enqcmds"), 0);
  r.clock.runUntilIdle();
  assert.equal(r.hw.command(IDXD_CMD_DISABLE_WQ, 1), 0);
  assert.equal(r.hw.portalWrite(1, noop, "enqcmds"), 1);
  assert.equal(r.hw.completed.get(IAX_OPCODE_NOOP), 3);
});

test("only compress-capable engines take 0x43; two of them run in parallel", () => {
  const r = rig();
  r.hw.grpcfg[0] = { wqs: 0b1, engines: 0b1110 }; // engines 1, 2, 3: only engine 1 can compress
  r.mem.view(r.src, 4096).set(page(4));
  const crs = [r.mem.kmalloc(64, 64), r.mem.kmalloc(64, 64)];
  const t0 = r.clock.now;
  for (const cr of crs) r.hw.portalWrite(0, compressDesc(r, { completionAddr: cr }), "movdir64b");
  r.clock.runUntilIdle();
  const serial = r.clock.now - t0;
  r.hw.grpcfg[0] = { wqs: 0b1, engines: 0b11 }; // engines 0 and 1 both compress
  for (const cr of crs) r.mem.view(cr, 64).fill(0);
  const t1 = r.clock.now;
  for (const cr of crs) r.hw.portalWrite(0, compressDesc(r, { completionAddr: cr }), "movdir64b");
  r.clock.runUntilIdle();
  const parallel = r.clock.now - t1;
  assert.ok(serial > 1.7 * parallel, `serial ${serial} vs parallel ${parallel}`);
  for (const cr of crs) assert.equal(r.mem.view(cr, 1)[0], 1);
});

test("fault injection: status, error code, count, hang", () => {
  const r = rig();
  r.mem.view(r.src, 4096).set(page(5));
  r.hw.injectFault({ opcode: IAX_OPCODE_COMPRESS, status: 0x24 });
  assert.equal(run(r, compressDesc(r)).cr.status, 0x24);
  assert.equal(run(r, compressDesc(r)).cr.status, 1);
  r.hw.injectFault({ status: 0x0a, errorCode: 0x11, count: 2 });
  assert.deepEqual([run(r, compressDesc(r)).cr, run(r, compressDesc(r)).cr].map((c) => [c.status, c.errorCode]), [[0x0a, 0x11], [0x0a, 0x11]]);
  r.hw.injectFault({ status: "hang" });
  r.mem.view(r.cr, 64).fill(0);
  r.hw.portalWrite(0, compressDesc(r), "movdir64b");
  r.clock.runUntilIdle();
  assert.equal(r.mem.view(r.cr, 1)[0], 0, "never completes");
  assert.equal(r.hw.wqOccupancy(0), 1);
});

test("virtual time is deterministic: the same submissions finish at the same instants", () => {
  const trace = () => {
    const r = rig();
    const times: number[] = [];
    r.mem.view(r.src, 4096).set(page(6));
    for (let i = 0; i < 6; i++) {
      const cr = r.mem.kmalloc(64, 64);
      r.hw.portalWrite(0, compressDesc(r, { completionAddr: cr }), "movdir64b");
      r.clock.schedule(0, () => {});
    }
    r.hw.onInterrupt = () => times.push(r.clock.now);
    r.clock.runUntilIdle();
    times.push(r.clock.now);
    return times;
  };
  const a = trace();
  assert.deepEqual(trace(), a);
  assert.ok(a.at(-1)! > 0);
});

test("device commands: enable checks config, WQ enable checks size/priority/mode", () => {
  const clock = new VirtualClock();
  const hw = new IdxdHw(SPR_IAA_CAPS, clock, new PhysMem(64 << 20));
  assert.equal(hw.command(IDXD_CMD_ENABLE_DEVICE, 0), 0x15, "no group in use");
  hw.grpcfg[0] = { wqs: 1, engines: 0 };
  assert.equal(hw.command(IDXD_CMD_ENABLE_DEVICE, 0), 0x15, "group without engines");
  hw.grpcfg[0] = { wqs: 1, engines: 1 };
  hw.wqcfg[0] = { ...hw.wqcfg[0]!, size: 100 };
  hw.wqcfg[1] = { ...hw.wqcfg[1]!, size: 100 };
  assert.equal(hw.command(IDXD_CMD_ENABLE_DEVICE, 0), 0x14, "sum of WQ sizes");
  hw.wqcfg[1] = { ...hw.wqcfg[1]!, size: 0 };
  assert.equal(hw.command(IDXD_CMD_ENABLE_WQ, 0), 0x20, "device not enabled");
  assert.equal(hw.command(IDXD_CMD_ENABLE_DEVICE, 0), 0);
  assert.equal(hw.command(IDXD_CMD_ENABLE_DEVICE, 0), 0x10);
  assert.equal(hw.command(IDXD_CMD_ENABLE_WQ, 1), 0x22, "size 0");
  assert.equal(hw.command(IDXD_CMD_ENABLE_WQ, 0), 0x23, "priority 0");
  hw.wqcfg[0] = { ...hw.wqcfg[0]!, priority: 1 };
  assert.equal(hw.command(IDXD_CMD_ENABLE_WQ, 0), 0x24, "shared without PASID");
  hw.wqcfg[0] = { ...hw.wqcfg[0]!, dedicated: true };
  assert.equal(hw.command(IDXD_CMD_ENABLE_WQ, 0), 0);
  assert.equal(hw.command(IDXD_CMD_ENABLE_WQ, 0), 0x21);
  assert.equal(hw.command(99, 0), 0x01);
  const s = JSON.parse(JSON.stringify(hw.saveState()));
  const hw2 = new IdxdHw(SPR_IAA_CAPS, clock, new PhysMem(64 << 20));
  hw2.loadState(s);
  assert.deepEqual(hw2.saveState(), hw.saveState());
});
