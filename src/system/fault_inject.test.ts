import { test } from "node:test";
import assert from "node:assert/strict";
import { parseFault } from "./fault_inject.js";

test("parseFault() reads status, error, opcode and count, and refuses the rest with -EINVAL", () => {
  assert.deepEqual(parseFault("status=0x24 opcode=0x43 count=2\n"), { status: 0x24, opcode: 0x43, count: 2 });
  assert.deepEqual(parseFault("status=10 error=0x11"), { status: 0x0a, errorCode: 0x11 });
  assert.deepEqual(parseFault("hang count=all"), { status: "hang", count: Infinity });
  assert.equal(parseFault("clear"), "clear");
  for (const bad of ["", "error=0x11", "status=0", "status=0x100", "status=x", "count=0 status=1", "bogus=1 status=1", "status=1 count=-1"]) {
    assert.equal(parseFault(bad), -22, bad);
  }
});
