import { test } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";
import { fillPage, mixKind } from "./content.js";

test("pages are deterministic; the memory_madvise page is '*' x 4096", () => {
  const a = new Uint8Array(4096);
  const b = new Uint8Array(4096);
  fillPage(a, "madvise", 0, 0);
  assert.ok(a.every((x) => x === 0x2a));
  for (let i = 0; i < 50; i++) {
    fillPage(a, "mix", 9, i);
    fillPage(b, "mix", 9, i);
    assert.deepEqual(a, b);
  }
  fillPage(b, "mix", 10, 3);
  fillPage(a, "mix", 9, 3);
  assert.notDeepEqual(a, b, "another seed, other bytes");
});

test("the mix has every kind and compresses like memory (zlib as the peer)", () => {
  const kinds = new Set<number>();
  let inBytes = 0;
  let outBytes = 0;
  let incompressible = 0;
  const p = new Uint8Array(4096);
  for (let i = 0; i < 400; i++) {
    kinds.add(mixKind(1, i));
    fillPage(p, "mix", 1, i);
    const n = deflateRawSync(p).length;
    if (n >= 4000) incompressible++;
    inBytes += 4096;
    outBytes += n;
  }
  assert.equal(kinds.size, 8);
  assert.ok(incompressible > 10 && incompressible < 80, `${incompressible} incompressible pages`);
  const ratio = inBytes / outBytes;
  assert.ok(ratio > 2 && ratio < 6, `zlib ratio ${ratio}`);
});
