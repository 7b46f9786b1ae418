import { test } from "node:test";
import assert from "node:assert/strict";
import { PhysMem } from "../mm/phys_mem.js";
import { BuddyPool } from "./zbud.js";
import { sizeClassIndex, ZS_CLASSES, ZS_HANDLE_SIZE, ZsPool } from "./zsmalloc.js";

function classFor(len: number) {
  return ZS_CLASSES[sizeClassIndex(len + ZS_HANDLE_SIZE)]!;
}

test("ZS_CLASSES matches the spec's per-object cost table (chain size 8)", () => {
  const table: [number, number, number, number][] = [
    [100, 112, 7, 256],
    [500, 512, 1, 8],
    [1000, 1024, 1, 4],
    [1500, 1536, 3, 8],
    [2000, 2048, 1, 2],
    [2500, 2512, 8, 13],
    [3000, 3072, 3, 4],
    [3250, 3264, 4, 5],
    [3500, 3584, 7, 8],
    [3625, 4096, 1, 1],
    [4096, 4096, 1, 1],
  ];
  for (const [len, size, pages, objs] of table) {
    const c = classFor(len);
    assert.deepEqual([c.size, c.pagesPerZspage, c.objsPerZspage], [size, pages, objs], `length ${len}`);
  }
  assert.equal(new Set(ZS_CLASSES).size, 119, "119 distinct classes after merging");
  assert.equal(classFor(3624).size < 4096, true, "huge_class_size is 3625: 3624 still fits a shared class");
});

test("ZsPool reproduces the spec's worked example: 1000 objects of 1500 bytes take 375 pages", () => {
  const phys = new PhysMem(64 << 20);
  const zs = new ZsPool("zswap1", phys);
  const handles: number[] = [];
  for (let i = 0; i < 1000; i++) handles.push(zs.malloc(1500));
  assert.equal(zs.pages, 375);
  assert.equal(phys.allocatedFrames, 375);
  // frees leave fragmentation: a zspage goes only when empty
  for (let i = 0; i < 1000; i += 2) zs.free(handles[i]!);
  assert.equal(zs.pages, 375);
  for (let i = 1; i < 1000; i += 2) zs.free(handles[i]!);
  assert.equal(zs.pages, 0);
  assert.equal(phys.allocatedFrames, 0);
});

test("ZsPool refuses size 0 and sizes over a page, accepts exactly 4096", () => {
  const zs = new ZsPool("z", new PhysMem(1 << 20));
  assert.equal(zs.malloc(0), -22);
  assert.equal(zs.malloc(4097), -28);
  const h = zs.malloc(4096);
  assert.ok(h >= 0);
  assert.equal(zs.pages, 1);
});

test("ZsPool fills the fullest zspage first and keeps objects apart", () => {
  const phys = new PhysMem(4 << 20);
  const zs = new ZsPool("z", phys);
  const a = [zs.malloc(1000), zs.malloc(1000), zs.malloc(1000)];
  const addrs = a.map((h) => zs.map(h, "wo"));
  assert.equal(new Set(addrs).size, 3);
  assert.equal(zs.pages, 1, "three 1024-byte objects share one 4-object zspage");
  for (let i = 0; i < 3; i++) phys.view(addrs[i]!, 1000).fill(i + 1);
  for (let i = 0; i < 3; i++) assert.ok(phys.view(addrs[i]!, 1000).every((b) => b === i + 1));
  zs.malloc(1000);
  zs.malloc(1000);
  assert.equal(zs.pages, 2);
});

test("zbud holds two objects per page, z3fold three", () => {
  const phys = new PhysMem(4 << 20);
  const zbud = new BuddyPool("zbud", phys);
  for (let i = 0; i < 6; i++) zbud.malloc(100);
  assert.equal(zbud.pages, 3);
  assert.equal(zbud.malloc(3969), -28);
  const z3 = new BuddyPool("z3fold", phys);
  const hs: number[] = [];
  for (let i = 0; i < 6; i++) hs.push(z3.malloc(100));
  assert.equal(z3.pages, 2);
  const addrs = hs.map((h) => z3.map(h, "wo"));
  assert.equal(new Set(addrs).size, 6);
  for (const h of hs) z3.free(h);
  assert.equal(z3.pages, 0);
});

test("ZsPool keeps objects that straddle two pages intact through map/unmap", () => {
  const phys = new PhysMem(8 << 20);
  const zs = new ZsPool("z", phys);
  // 1,500-byte objects (class 1,520 with the handle tag) cross page boundaries inside their zspages
  const handles: number[] = [];
  for (let i = 0; i < 40; i++) handles.push(zs.malloc(1500));
  let bounced = 0;
  for (const [i, h] of handles.entries()) {
    const pa = zs.map(h, "wo");
    // an object's own bytes never start on a page boundary (the handle tag comes first): that is the bounce buffer
    if (pa % 4096 === 0) bounced++;
    phys.view(pa, 1500).fill(0x20 + i);
    zs.unmap(h);
  }
  assert.ok(bounced > 0, "some objects straddle two pages");
  // read back in reverse: the shared bounce buffer is refilled from the object's two pages each time
  for (let i = handles.length - 1; i >= 0; i--) {
    const pa = zs.map(handles[i]!, "ro");
    assert.ok(phys.view(pa, 1500).every((b) => b === 0x20 + i), `object ${i} reads back`);
    zs.unmap(handles[i]!);
  }
  for (const h of handles) zs.free(h);
  assert.equal(zs.pages, 0);
  zs.destroy();
  assert.equal(phys.allocatedFrames, 0);
});

test("ZsPool: a straddling object mapped twice before its unmap reads the same through both mappings", () => {
  const phys = new PhysMem(8 << 20);
  const zs = new ZsPool("z", phys);
  const handles = Array.from({ length: 8 }, () => zs.malloc(1500));
  for (const [i, h] of handles.entries()) {
    phys.view(zs.map(h, "wo"), 1500).fill(0x40 + i);
    zs.unmap(h);
  }
  const straddling = handles.filter((h) => {
    const pa = zs.map(h, "ro");
    zs.unmap(h);
    return pa % 4096 === 0;
  });
  assert.ok(straddling.length > 0);
  const h = straddling[0]!;
  const i = handles.indexOf(h);
  const a = zs.map(h, "ro");
  const b = zs.map(h, "ro");
  assert.notEqual(a, b);
  assert.ok(phys.view(a, 1500).every((x) => x === 0x40 + i) && phys.view(b, 1500).every((x) => x === 0x40 + i));
  zs.unmap(h);
  zs.unmap(h);
  zs.unmap(h); // one unmap too many changes nothing
  for (const x of handles) zs.free(x);
  zs.destroy();
  assert.equal(phys.allocatedFrames, 0);
});

test("ZsPool under random sizes, writes, frees and reuse: every live object reads back what was written", () => {
  const phys = new PhysMem(64 << 20);
  const zs = new ZsPool("z", phys);
  let x = 12345;
  const rnd = (n: number): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
  const live = new Map<number, { size: number; tag: number }>();
  for (let step = 0; step < 6000; step++) {
    if (live.size > 0 && rnd(3) === 0) {
      const keys = [...live.keys()];
      const h = keys[rnd(keys.length)]!;
      zs.free(h);
      live.delete(h);
      continue;
    }
    const size = 1 + rnd(4096);
    const h = zs.malloc(size);
    assert.ok(h >= 0, `malloc(${size})`);
    assert.equal(live.has(h), false, "a live handle is never handed out twice");
    const tag = rnd(256);
    const v = phys.view(zs.map(h, "wo"), size);
    for (let i = 0; i < size; i++) v[i] = (tag + i * 7) & 0xff;
    zs.unmap(h);
    live.set(h, { size, tag });
  }
  for (const [h, { size, tag }] of live) {
    const v = phys.view(zs.map(h, "ro"), size);
    for (let i = 0; i < size; i++) if (v[i] !== ((tag + i * 7) & 0xff)) assert.fail(`handle ${h} byte ${i}`);
    zs.unmap(h);
  }
  for (const h of live.keys()) zs.free(h);
  assert.equal(zs.pages, 0);
  zs.destroy();
  assert.equal(phys.allocatedFrames, 0);
});
