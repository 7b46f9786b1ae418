import { test } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";
import { compressFixed, decompress } from "./convenience.js";
import { DeflateError } from "./deflate_error.js";

test("compressFixed() and decompress() round-trip, including incompressible data", () => {
  const random = new Uint8Array(10000);
  for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24;
  for (const input of [new Uint8Array(0), Buffer.from("hello hello hello"), new Uint8Array(100000), random]) {
    const z = compressFixed(input);
    assert.deepEqual(decompress(z), new Uint8Array(input));
  }
});

test("decompress() throws DeflateError with the IAA code, and honours maxOutput", () => {
  const err = (f: () => unknown): DeflateError => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof DeflateError);
      return e;
    }
    assert.fail("no error");
  };
  const e1 = err(() => decompress(Uint8Array.of(6)));
  assert.equal(e1.status, 0x0a);
  assert.equal(e1.errorCode, 13);
  assert.match(e1.message, /^invalid block type \(IAA error 0x0d\)$/);
  const data = new Uint8Array(20000);
  for (let i = 0; i < 9000; i++) data[i] = (i * 2654435761) >>> 24;
  data.set(data.subarray(0, 5000), 10000);
  const far = deflateRawSync(data, { level: 6 });
  const e2 = err(() => decompress(far));
  assert.equal(e2.errorCode, 17);
  assert.match(e2.message, /^distance too far back \(IAA error 0x11\)$/);
  assert.deepEqual(decompress(far, { window: "sw" }), data);
  const e3 = err(() => decompress(far, { window: "sw", maxOutput: 1000 }));
  assert.equal(e3.status, 0x0b);
});
