/**
 * The documentation's appendix sysfs sequence on iax3, the boot defaults and
 * the bind/unbind rules, through the VFS as a shell would run them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { bootMachine, type Machine } from "../../src/system/machine.js";
import { rd, standInCrypto, wr } from "./_helpers.js";

const D = "/sys/bus/dsa/devices";
const CRYPTO = "/sys/bus/dsa/drivers/crypto";
const IDXD = "/sys/bus/dsa/drivers/idxd";

function bootWithCrypto(preset = "tiny"): { m: Machine; log: string[] } {
  const m = bootMachine(preset);
  const log: string[] = [];
  assert.equal(m.idxd!.driverRegister(standInCrypto(m.idxd!, log)), 0);
  return { m, log };
}

function wqState(m: Machine, wq: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of ["state", "mode", "size", "group_id", "priority", "type", "name", "driver_name", "threshold"]) out[a] = rd(m, `${D}/${wq}/${a}`).trim();
  return out;
}

test("boot defaults: iaxN wq0 configured, device enabled, WQ bound once crypto registers", () => {
  const m = bootMachine("tiny");
  assert.equal(rd(m, `${D}/iax3/state`), "enabled\n");
  assert.equal(rd(m, `${D}/wq3.0/state`), "disabled\n");
  const { m: m2, log } = bootWithCrypto();
  assert.deepEqual(log, ["probe wq1.0", "probe wq3.0"]);
  assert.deepEqual(wqState(m2, "wq3.0"), { state: "enabled", mode: "dedicated", size: "128", group_id: "0", priority: "10", type: "kernel", name: "iaa_crypto", driver_name: "crypto", threshold: "0" });
  assert.equal(rd(m2, `${D}/group3.0/engines`), "engine3.0\n");
  assert.equal(rd(m2, `${D}/group3.0/work_queues`), "wq3.0\n");
  assert.equal(rd(m2, `${D}/group3.1/engines`), "");
  assert.equal(rd(m2, `${D}/engine3.1/group_id`), "-1\n");
  assert.equal(m2.vfs.readlink(`${D}/wq3.0/driver`), "../../../../../bus/dsa/drivers/crypto");
  assert.ok(m2.vfs.exists(`${CRYPTO}/wq3.0`));
  // DSA devices have no defaults: probe failed with "no wqs configured"
  assert.equal(rd(m2, `${D}/dsa0/state`), "disabled\n");
  assert.equal(rd(m2, `${D}/dsa0/cmd_status`), "0x800d0000\n");
  assert.equal(wr(m2, `${D}/dsa0/cmd_status`, "1"), "ok");
  assert.equal(rd(m2, `${D}/dsa0/cmd_status`), "0x0\n");
});

test("appendix sequence: unbind WQs, unbind device, configure wq3.3, bind device, bind WQs", () => {
  const { m } = bootWithCrypto();
  // The doc starts with wq3.0 and wq3.1 bound to crypto: set that up first.
  assert.equal(wr(m, `${IDXD}/unbind`, "iax3"), "ok");
  for (const wq of ["wq3.0", "wq3.1"]) {
    for (const [a, v] of [["mode", "dedicated"], ["size", "64"], ["group_id", "0"], ["priority", "10"], ["type", "kernel"], ["name", "iaa_crypto"], ["driver_name", "crypto"]]) {
      assert.equal(wr(m, `${D}/iax3/${wq}/${a}`, v + "\n"), "ok", `${wq}/${a}`);
    }
  }
  assert.equal(wr(m, `${D}/iax3/engine3.0/group_id`, "0"), "ok");
  assert.equal(wr(m, `${IDXD}/bind`, "iax3"), "ok");
  assert.equal(wr(m, `${CRYPTO}/bind`, "wq3.0"), "ok");
  assert.equal(wr(m, `${CRYPTO}/bind`, "wq3.1"), "ok");

  // 1) disable the WQs: they keep size, group and driver_name, lose the rest
  assert.equal(wr(m, `${CRYPTO}/unbind`, "wq3.0\n"), "ok");
  assert.equal(wr(m, `${CRYPTO}/unbind`, "wq3.1\n"), "ok");
  assert.deepEqual(wqState(m, "wq3.0"), { state: "disabled", mode: "shared", size: "64", group_id: "0", priority: "0", type: "none", name: "", driver_name: "crypto", threshold: "0" });
  assert.equal(m.vfs.exists(`${D}/wq3.0/driver`), false);
  assert.equal(rd(m, `${D}/iax3/state`), "enabled\n");

  // 2) disable the device: the configuration is wiped except driver_name (idxd_device_wqs_clear_state())
  assert.equal(wr(m, `${IDXD}/unbind`, "iax3\n"), "ok");
  assert.equal(rd(m, `${D}/iax3/state`), "disabled\n");
  assert.deepEqual(wqState(m, "wq3.0"), { state: "disabled", mode: "shared", size: "0", group_id: "-1", priority: "0", type: "none", name: "", driver_name: "crypto", threshold: "0" });
  assert.equal(rd(m, `${D}/engine3.0/group_id`), "-1\n");

  // 3) configure wq3.3 exactly as the doc writes it
  const steps: [string, string][] = [["mode", "dedicated"], ["size", "128"], ["group_id", "0"], ["priority", "10"], ["type", "kernel"], ["name", "iaa_crypto"], ["driver_name", "crypto"]];
  for (const [a, v] of steps) assert.equal(wr(m, `${D}/iax3/wq3.3/${a}`, v + "\n"), "ok", a);
  assert.deepEqual(wqState(m, "wq3.3"), { state: "disabled", mode: "dedicated", size: "128", group_id: "0", priority: "10", type: "kernel", name: "iaa_crypto", driver_name: "crypto", threshold: "0" });

  // 4) enable the device: with no engine in a group the kernel refuses (ENXIO, no cmd_status) …
  assert.equal(wr(m, `${IDXD}/bind`, "iax3"), "ENXIO");
  assert.equal(rd(m, `${D}/iax3/cmd_status`), "0x0\n");
  assert.equal(rd(m, `${D}/iax3/state`), "disabled\n");
  // … so an engine goes to group 0 as part of step 3, then the bind works
  assert.equal(wr(m, `${D}/iax3/engine3.0/group_id`, "0"), "ok");
  assert.equal(wr(m, `${IDXD}/bind`, "iax3"), "ok");
  assert.equal(rd(m, `${D}/iax3/state`), "enabled\n");

  // 5) bind the WQs: wq3.0/3.1 lost their group in step 2 (drv_enable_wq checks the group before the name)
  assert.equal(wr(m, `${CRYPTO}/bind`, "wq3.0"), "ENXIO");
  assert.equal(rd(m, `${D}/iax3/cmd_status`), "0x80030000\n");
  assert.equal(wr(m, `${CRYPTO}/bind`, "wq3.3"), "ok");
  assert.equal(rd(m, `${D}/wq3.3/state`), "enabled\n");
  assert.equal(rd(m, `${D}/iax3/group3.0/work_queues`), "wq3.3\n");
  assert.equal(rd(m, `${D}/iax3/clients`), "0\n");
});

test("bind/unbind errors: unknown, wrong type, already bound, not bound", () => {
  const { m } = bootWithCrypto();
  assert.equal(wr(m, `${IDXD}/bind`, "iax9"), "ENODEV");
  assert.equal(wr(m, `${IDXD}/bind`, "wq1.0"), "ENODEV");
  assert.equal(wr(m, `${CRYPTO}/bind`, "iax1"), "ENODEV");
  assert.equal(wr(m, `${IDXD}/bind`, "iax1"), "EBUSY");
  assert.equal(wr(m, `${CRYPTO}/bind`, "wq1.0"), "EBUSY");
  assert.equal(wr(m, `${CRYPTO}/unbind`, "wq1.1"), "ENODEV");
  assert.equal(wr(m, `${IDXD}/unbind`, "dsa0"), "ENODEV");
  // WQ bind on a disabled device: ENXIO without cmd_status
  assert.equal(wr(m, `${IDXD}/unbind`, "iax1"), "ok");
  assert.equal(wr(m, `${D}/iax1/cmd_status`, "0"), "ok");
  assert.equal(wr(m, `${CRYPTO}/bind`, "wq1.0"), "ENXIO");
  assert.equal(rd(m, `${D}/iax1/cmd_status`), "0x0\n");
  // device unbind with an active WQ releases the WQ and warns
  const { m: m2, log } = bootWithCrypto();
  assert.equal(wr(m2, `${IDXD}/unbind`, "iax1"), "ok");
  assert.equal(log.at(-1), "remove wq1.0");
  assert.ok(m2.ctx.log.format().some((l) => l.endsWith("idxd iax1: Active wq 0 on disable wq1.0.")));
});

test("WQ enable failures set the kernel's cmd_status", () => {
  const { m } = bootWithCrypto();
  const wq = `${D}/iax1/wq1.1`;
  const bind = () => wr(m, `${CRYPTO}/bind`, "wq1.1");
  assert.equal(wr(m, `${wq}/driver_name`, "crypto"), "ok");
  assert.equal(bind(), "ENXIO");
  assert.equal(rd(m, `${D}/iax1/cmd_status`), "0x80030000\n"); // no group
  assert.equal(wr(m, `${wq}/group_id`, "1"), "ok");
  assert.equal(wr(m, "/sys/kernel/debug/dynamic_debug/control", "module idxd +p"), "ok");
  assert.equal(bind(), "ENXIO");
  assert.equal(rd(m, `${D}/iax1/cmd_status`), "0x80040000\n"); // no name
  assert.equal(m.ctx.log.format().at(-1)!.slice(15), "idxd 0000:6a:02.0: wq 1 name not set.");
  assert.equal(wr(m, `${wq}/name`, "x"), "ok");
  assert.equal(bind(), "ENXIO");
  assert.equal(rd(m, `${D}/iax1/cmd_status`), "0x80060000\n"); // shared, threshold 0
  assert.equal(wr(m, `${wq}/mode`, "dedicated"), "ok");
  // size 0 with type kernel is raised to 16 by the config write, priority 0 is refused by the hardware
  assert.equal(bind(), "ENXIO");
  assert.equal(rd(m, `${D}/iax1/cmd_status`), "0x23\n");
  assert.equal(rd(m, `${wq}/size`), "16\n");
  assert.equal(rd(m, `${wq}/state`), "disabled\n");
});
