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

test("a fault-file write refused with -EINVAL applies none of its lines", async () => {
  const { KnDir } = await import("../kernfs/node.js");
  const { createFaultFiles } = await import("./fault_inject.js");
  const injected: unknown[] = [];
  const hw = { faults: injected, injectFault: (f: unknown) => void injected.push(f) };
  const root = new KnDir("debugfs" as never);
  createFaultFiles(root, [{ name: "iax1", hw: hw as never }]);
  const dir = root.children.get("iaa_emu") as InstanceType<typeof KnDir>;
  const file = (dir.children.get("faults") as InstanceType<typeof KnDir>).children.get("iax1") as { store: (b: string) => number };
  assert.equal(file.store("status=0x24\nbogus\n"), -22);
  assert.equal(injected.length, 0, "the valid first line was not applied");
  assert.equal(file.store("status=0x24\nhang count=2\n"), 0);
  assert.equal(injected.length, 2);
});
