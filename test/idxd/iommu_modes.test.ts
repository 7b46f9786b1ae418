/**
 * IOMMU mode from firmware switches, kernel config and command line, and its
 * effect on shared WQs (scalable: allowed; legacy / no IOMMU: refused).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { bootMachine, type Machine } from "../../src/system/machine.js";
import { iommuMode, resolveMachineConfig, type MachineConfigInput } from "../../src/system/machine_config.js";
import { rd, standInCrypto, wr } from "./_helpers.js";

const D = "/sys/bus/dsa/devices";

function mode(input: MachineConfigInput): string {
  const c = resolveMachineConfig({ preset: "tiny", ...input });
  assert.ok(typeof c !== "string");
  return iommuMode(c);
}

test("iommuMode(): scalable needs VT-d, ENQCMDS, SVM and intel_iommu=on,sm_on", () => {
  assert.equal(mode({ cmdline: "intel_iommu=on,sm_on" }), "scalable");
  assert.equal(mode({ cmdline: "intel_iommu=on" }), "legacy");
  assert.equal(mode({ cmdline: "intel_iommu=off" }), "legacy");
  assert.equal(mode({ cmdline: "iommu=off intel_iommu=on,sm_on" }), "off");
  assert.equal(mode({ cmdline: "intel_iommu=on,sm_on", firmware: { vtd: false } }), "legacy");
  assert.equal(mode({ cmdline: "intel_iommu=on,sm_on", firmware: { enqcmds: false } }), "legacy");
  assert.equal(mode({ cmdline: "intel_iommu=on,sm_on", kconfig: { CONFIG_INTEL_IOMMU_SVM: "n" } }), "legacy");
});

/** Configures wq1.1 as a shared kernel WQ on a disabled iax1 with engine 1 in group 1. */
function sharedWq(m: Machine): void {
  assert.equal(wr(m, "/sys/bus/dsa/drivers/idxd/unbind", "iax1"), "ok");
  for (const [a, v] of [["mode", "shared"], ["size", "32"], ["threshold", "32"], ["group_id", "1"], ["priority", "10"], ["type", "kernel"], ["name", "swq"], ["driver_name", "crypto"]]) {
    assert.equal(wr(m, `${D}/iax1/wq1.1/${a}`, v), "ok", a);
  }
  assert.equal(wr(m, `${D}/iax1/engine1.1/group_id`, "1"), "ok");
}

for (const [label, input] of [
  ["legacy (intel_iommu=off)", { cmdline: "intel_iommu=off" }],
  ["no IOMMU (iommu=off)", { cmdline: "iommu=off" }],
  ["VT-d off in firmware", { firmware: { vtd: false } }],
] as [string, MachineConfigInput][]) {
  test(`${label}: shared WQ refused at device enable (0x800c0000), dedicated works`, () => {
    const m = bootMachine({ preset: "tiny", ...input });
    m.idxd!.driverRegister(standInCrypto(m.idxd!));
    assert.equal(rd(m, `${D}/iax1/pasid_enabled`), "0\n");
    assert.equal(rd(m, `${D}/wq1.0/state`), "enabled\n");
    sharedWq(m);
    assert.equal(wr(m, "/sys/bus/dsa/drivers/idxd/bind", "iax1"), "ENXIO");
    assert.equal(rd(m, `${D}/iax1/cmd_status`), "0x800c0000\n");
    assert.equal(rd(m, `${D}/iax1/state`), "disabled\n");
    // with the shared WQ ungrouped the device comes up, and binding the shared WQ gives 0x80050000
    assert.equal(wr(m, `${D}/iax1/wq1.1/group_id`, "-1"), "ok");
    assert.equal(wr(m, `${D}/iax1/wq1.0/mode`, "dedicated"), "ok");
    assert.equal(wr(m, `${D}/iax1/wq1.0/size`, "16"), "ok");
    assert.equal(wr(m, `${D}/iax1/wq1.0/group_id`, "1"), "ok");
    assert.equal(wr(m, "/sys/bus/dsa/drivers/idxd/bind", "iax1"), "ok");
    assert.equal(wr(m, `${D}/iax1/wq1.1/group_id`, "1"), "ok");
    assert.equal(wr(m, "/sys/bus/dsa/drivers/crypto/bind", "wq1.1"), "ENXIO");
    assert.equal(rd(m, `${D}/iax1/cmd_status`), "0x80050000\n");
    // user WQs need SVA
    assert.equal(wr(m, `${D}/iax1/wq1.1/mode`, "dedicated"), "ok");
    assert.equal(wr(m, `${D}/iax1/wq1.1/type`, "user"), "ok");
    assert.equal(wr(m, `${D}/iax1/wq1.1/name`, "app"), "ok");
    assert.equal(wr(m, `${D}/iax1/wq1.1/driver_name`, "user"), "ok");
    assert.equal(wr(m, "/sys/bus/dsa/drivers/user/bind", "wq1.1"), "EOPNOTSUPP");
    assert.equal(rd(m, `${D}/iax1/cmd_status`), "0x80110000\n");
  });
}

test("scalable mode: shared kernel WQ and user WQ enable; /dev/iax/wqN.M appears", () => {
  const m = bootMachine("tiny");
  m.idxd!.driverRegister(standInCrypto(m.idxd!));
  assert.equal(m.iommu, "scalable");
  assert.equal(rd(m, `${D}/iax1/pasid_enabled`), "1\n");
  sharedWq(m);
  assert.equal(wr(m, "/sys/bus/dsa/drivers/idxd/bind", "iax1"), "ok");
  assert.equal(wr(m, "/sys/bus/dsa/drivers/crypto/bind", "wq1.1"), "ok");
  assert.equal(rd(m, `${D}/wq1.1/state`), "enabled\n");
  assert.equal(rd(m, `${D}/wq1.1/enqcmds_retries`), "32\n");
  assert.equal(wr(m, "/sys/bus/dsa/drivers/crypto/unbind", "wq1.1"), "ok");
  for (const [a, v] of [["mode", "dedicated"], ["priority", "5"], ["type", "user"], ["name", "app"], ["driver_name", "user"]]) assert.equal(wr(m, `${D}/iax1/wq1.1/${a}`, v), "ok", a);
  assert.equal(wr(m, "/sys/bus/dsa/drivers/user/bind", "wq1.1"), "ok");
  assert.equal(rd(m, `${D}/wq1.1/cdev_minor`), "0\n");
  assert.ok(m.vfs.exists("/dev/iax/wq1.1"));
  assert.equal(wr(m, "/sys/bus/dsa/drivers/user/unbind", "wq1.1"), "ok");
  assert.equal(m.vfs.exists("/dev/iax/wq1.1"), false);
});

test("dmesg shows DMAR lines only with VT-d on", () => {
  const dmar = (m: Machine) => m.ctx.log.format().filter((l) => /dmar/i.test(l)).length;
  assert.ok(dmar(bootMachine("tiny")) > 2);
  assert.equal(dmar(bootMachine({ preset: "tiny", firmware: { vtd: false } })), 0);
});
