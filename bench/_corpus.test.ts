import { test } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync, inflateRawSync, constants } from "node:zlib";
import { deflateIaa, inflateIaa } from "../src/deflate/mod.js";
import { generateBuffers, generatePages, PAGE_KINDS, PAGE_SIZE } from "./_corpus.js";

test("generatePages() is deterministic and covers every page kind", () => {
  const a = generatePages(600, 9);
  const b = generatePages(600, 9);
  assert.deepEqual(a.data, b.data);
  assert.deepEqual(a.kinds, b.kinds);
  assert.equal(new Set(a.kinds).size, PAGE_KINDS.length);
  assert.notDeepEqual(generatePages(50, 10).data, generatePages(50, 11).data);
});

test("iaa-emu and node:zlib read each other's streams on a slice of the corpus", () => {
  const c = generatePages(500, 3);
  const out = new Uint8Array(PAGE_SIZE);
  const back = new Uint8Array(PAGE_SIZE);
  let overflow = 0;
  for (let i = 0; i < c.count; i++) {
    const page = c.data.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE);
    const r = deflateIaa(page, out, { maxDstSize: PAGE_SIZE });
    if (r.status === 0x0a) {
      assert.equal(r.errorCode, 0x19);
      overflow++;
    } else {
      assert.equal(r.status, 1);
      assert.deepEqual(new Uint8Array(inflateRawSync(out.subarray(0, r.outputSize))), page, `page ${i} (${c.kindNames[c.kinds[i]]})`);
      const v = inflateIaa(out.subarray(0, r.outputSize), back, { suppressOutput: true });
      assert.equal(v.crc, r.crc, "verify CRC");
    }
    const z = deflateRawSync(page, { windowBits: 12, strategy: constants.Z_FIXED, level: 1 });
    const d = inflateIaa(z, back, { window: "hw" });
    assert.equal(d.status, 1);
    assert.deepEqual(back, page);
    assert.equal(d.crc, r.crc);
  }
  assert.ok(overflow > 0 && overflow < c.count / 5, `${overflow} incompressible pages`);
});

test("generateBuffers() gives 1 MiB buffers that round-trip through iaa-emu", () => {
  const [buf] = generateBuffers(1, 1 << 20, 5);
  assert.equal(buf.length, 1 << 20);
  const out = new Uint8Array(2 << 20);
  const r = deflateIaa(buf, out);
  assert.equal(r.status, 1);
  const back = new Uint8Array(1 << 20);
  const d = inflateIaa(out.subarray(0, r.outputSize), back);
  assert.equal(d.status, 1);
  assert.deepEqual(back, buf);
});
