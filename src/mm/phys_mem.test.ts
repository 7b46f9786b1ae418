import { test } from "node:test";
import assert from "node:assert/strict";
import { PAGE_SIZE, PhysMem } from "./phys_mem.js";

test("releaseFreeChunks gives back only chunks with no frame in use; frames in use keep their bytes, freed ones come back usable", () => {
  const mem = new PhysMem(1 << 30);
  const keep = mem.allocPages(1);
  mem.view(keep, 4).set([1, 2, 3, 4]);
  // fill the rest of the first chunk and a second one, then free them all
  const temp: number[] = [];
  for (let i = 0; i < 4096 + 100; i++) {
    const pa = mem.allocPages(1, false);
    mem.view(pa, 1)[0] = 0xaa;
    temp.push(pa);
  }
  assert.equal(mem.releaseFreeChunks(), 0, "every chunk has frames in use");
  for (const pa of temp) mem.freePages(pa, 1);
  // the first chunk still holds `keep`; the second has nothing in use
  assert.equal(mem.releaseFreeChunks(), 1);
  assert.equal(mem.releaseFreeChunks(), 0, "a released chunk is not released again");
  assert.deepEqual([...mem.view(keep, 4)], [1, 2, 3, 4]);
  const again = temp.map(() => mem.allocPages(1));
  for (const pa of again) assert.equal(mem.view(pa, PAGE_SIZE).every((b) => b === 0), true);
  assert.equal(mem.allocatedFrames, 1 + temp.length);
});

test("frames of a released chunk are handed out uncleared only until they are allocated once; then they are cleared again", () => {
  const mem = new PhysMem(1 << 30);
  const pin = mem.allocPages(1); // keeps chunk 0 in use
  const first = mem.allocPages(4096, false); // all of chunk 1
  mem.view(first, 4096 * PAGE_SIZE).fill(0x5a);
  mem.freePages(first, 4096);
  assert.equal(mem.releaseFreeChunks(), 1);
  // a single frame, written, freed and allocated again: zero
  const a = mem.allocPages(4096);
  assert.equal(a, first);
  assert.equal(mem.view(a, 4096 * PAGE_SIZE).every((b) => b === 0), true, "a released chunk reads as zero");
  mem.view(a + 7 * PAGE_SIZE, PAGE_SIZE).fill(0x33);
  mem.freePages(a, 4096);
  const b = mem.allocPages(4096);
  assert.equal(b, a);
  assert.equal(mem.view(b + 7 * PAGE_SIZE, PAGE_SIZE).every((x) => x === 0), true, "frame 7 was written since the release");
  // without zeroing the caller gets the old bytes, as alloc_pages() without __GFP_ZERO
  mem.view(b, PAGE_SIZE).fill(0x11);
  mem.freePages(b, 4096);
  const c = mem.allocPages(4096, false);
  assert.equal(mem.view(c, 1)[0], 0x11);
  assert.notEqual(pin, c);
});
