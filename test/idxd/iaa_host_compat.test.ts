/**
 * The idxd driver satisfies the interface iaa_crypto is written against
 * (src/driver/iaa_crypto/host.ts IdxdOps): checked by the compiler here, and
 * a WQ registered through it behaves as a sub-driver.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { IdxdOps, IdxdSubDriver as HostSubDriver } from "../../src/driver/iaa_crypto/host.js";
import { bootMachine } from "../../src/system/machine.js";

test("Idxd is usable as iaa_crypto's IdxdOps", () => {
  const m = bootMachine("tiny");
  const ops: IdxdOps = m.idxd!;
  const probed: string[] = [];
  const drv: HostSubDriver = {
    name: "crypto",
    probe(wq) {
      if (!wq.idxd.enabled) return -6;
      if (!wq.idxd.isIax || !wq.driverName.startsWith("crypto")) return -19;
      probed.push(`${wq.idxd.pciName} wq${wq.idxd.id}.${wq.id} ${wq.name} ${wq.driverName}`);
      wq.type = "kernel";
      return ops.drvEnableWq(wq);
    },
    remove(wq) {
      ops.drvDisableWq(wq);
    },
    descComplete() {},
  };
  assert.equal(ops.driverRegister(drv), 0);
  assert.deepEqual(probed, ["0000:6a:02.0 wq1.0 iaa_crypto crypto", "0000:6f:02.0 wq3.0 iaa_crypto crypto"]);
  assert.notEqual(ops.driverDir(drv), null);
  assert.equal(m.vfs.readText("/sys/bus/dsa/devices/wq3.0/state"), "enabled\n");
  ops.driverUnregister(drv);
  assert.equal(m.vfs.readText("/sys/bus/dsa/devices/wq3.0/state"), "disabled\n");
  assert.equal(m.vfs.exists("/sys/bus/dsa/drivers/crypto"), false);
});
