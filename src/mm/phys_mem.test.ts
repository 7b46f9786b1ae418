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
