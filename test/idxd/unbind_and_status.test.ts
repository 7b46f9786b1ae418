/**
 * What a device unbind keeps and clears, cmd_status after each command,
 * `%#x`/`%*pb` formats, conf_dev message names, dsa-bus uevent files and
 * NUL-terminated stores, checked against drivers/dma/idxd (device.c
 * idxd_device_wqs_clear_state(), idxd_cmd_exec(); sysfs.c errors_show();
 * bus.c idxd_bus_uevent()), drivers/base/core.c dev_uevent() and
 * lib/vsprintf.c number()/bitmap_string().
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { accelConfigMain } from "../../src/accfg/accel_config.js";
import { bootStack } from "../../src/system/stack.js";
import type { Machine } from "../../src/system/machine.js";
import { rd, wr } from "./_helpers.js";

const D = "/sys/bus/dsa/devices";
const CRYPTO = "/sys/bus/dsa/drivers/crypto";
const IDXD = "/sys/bus/dsa/drivers/idxd";

function acc(m: Machine) {
  return (...args: string[]) => {
    let stdout = "";
    let stderr = "";
    const code = accelConfigMain(["accel-config", ...args], {
      vfs: m.vfs,
      stdout: { write: (s) => void (stdout += s) },
      stderr: { write: (s) => void (stderr += s) },
      env: { PWD: "/tmp" },
    });
    return { code, stdout, stderr };
  };
}

function withCrypto(): Machine {
  const m = bootStack("tiny").machine;
  assert.equal(m.modules.modprobe("iaa_crypto").rc, 0);
  return m;
}

const dmesg = (m: Machine): string[] => m.ctx.log.format().map((l) => l.replace(/^\[[ 0-9.]+\] /, ""));

test("a device unbind keeps driver_name: disable-device → config-wq without -d → enable-device → enable-wq works", () => {
  const m = withCrypto();
  const run = acc(m);
  assert.equal(rd(m, `${D}/wq1.0/state`), "enabled\n");
  assert.deepEqual(run("disable-device", "iax1"), { code: 0, stdout: "", stderr: "disabled 1 device(s) out of 1\n" });
  assert.equal(rd(m, `${D}/wq1.0/driver_name`), "crypto\n");
  for (const [a, v] of [["size", "0"], ["group_id", "-1"], ["type", "none"], ["name", ""], ["priority", "0"], ["mode", "shared"]]) {
    assert.equal(rd(m, `${D}/wq1.0/${a}`), `${v}\n`, a);
  }
  assert.equal(rd(m, `${D}/iax1/cmd_status`), "0x0\n", "disable + reset ran; each cleared cmd_status");
  assert.ok(dmesg(m).includes("idxd iax1: Active wq 0 on disable wq1.0."));
  const cfg = run("config-wq", "--group-id=0", "--mode=dedicated", "--type=kernel", "--priority=10", "--name=iaa_crypto", "iax1/wq1.0");
  assert.deepEqual(cfg, { code: 0, stdout: "", stderr: "" });
  assert.equal(run("config-engine", "iax1/engine1.0", "--group-id=0").code, 0);
  assert.deepEqual(run("enable-device", "iax1"), { code: 0, stdout: "", stderr: "enabled 1 device(s) out of 1\n" });
  assert.deepEqual(run("enable-wq", "iax1/wq1.0"), { code: 0, stdout: "", stderr: "enabled 1 wq(s) out of 1\n" });
  assert.equal(rd(m, `${D}/wq1.0/state`), "enabled\n");
  assert.equal(rd(m, `${D}/iax1/cmd_status`), "0x0\n");
});

test("the appendix's wq3.0 bind after the device unbind fails in the kernel's order: no group (0x80030000), then no name (0x80040000)", () => {
  const m = withCrypto();
  assert.equal(wr(m, `${CRYPTO}/unbind`, "wq3.0"), "ok");
  assert.equal(wr(m, `${IDXD}/unbind`, "iax3"), "ok");
  assert.equal(rd(m, `${D}/wq3.0/driver_name`), "crypto\n");
  assert.equal(wr(m, `${D}/engine3.0/group_id`, "0"), "ok");
  for (const [a, v] of [["mode", "dedicated"], ["size", "128"], ["group_id", "0"], ["priority", "10"], ["type", "kernel"], ["name", "iaa_crypto"], ["driver_name", "crypto"]]) {
    assert.equal(wr(m, `${D}/iax3/wq3.3/${a}`, `${v}\n`), "ok", a);
  }
  assert.equal(wr(m, `${IDXD}/bind`, "iax3"), "ok");
  assert.equal(rd(m, `${D}/iax3/cmd_status`), "0x0\n");
  assert.equal(wr(m, `${CRYPTO}/bind`, "wq3.0"), "ENXIO");
  assert.equal(rd(m, `${D}/iax3/cmd_status`), "0x80030000\n");
  assert.equal(wr(m, `${D}/iax3/wq3.0/group_id`, "0"), "ok");
  assert.equal(wr(m, `${CRYPTO}/bind`, "wq3.0"), "ENXIO");
  assert.equal(rd(m, `${D}/iax3/cmd_status`), "0x80040000\n");
  // a successful command clears the stale status
  assert.equal(wr(m, `${CRYPTO}/bind`, "wq3.3"), "ok");
  assert.equal(rd(m, `${D}/iax3/cmd_status`), "0x0\n");
});

test("cmd_status: a stale 0x80200000 is cleared by the next command the device executes (WQ unbind and bind)", () => {
  const m = withCrypto();
  assert.equal(wr(m, `${D}/iax1/wq1.1/driver_name`, "user"), "ok");
  assert.equal(wr(m, `${CRYPTO}/bind`, "wq1.1"), "ENODEV");
  assert.equal(rd(m, `${D}/iax1/cmd_status`), "0x80200000\n");
  assert.equal(wr(m, `${CRYPTO}/unbind`, "wq1.0"), "ok"); // drv_disable_wq(): reset-WQ command
  assert.equal(rd(m, `${D}/iax1/cmd_status`), "0x0\n");
  assert.equal(wr(m, `${D}/iax1/wq1.1/driver_name`, "crypto"), "ok");
  assert.equal(wr(m, `${CRYPTO}/bind`, "wq1.1"), "ENXIO"); // no group: a software status, no command
  assert.equal(rd(m, `${D}/iax1/cmd_status`), "0x80030000\n");
  // the WQ unbind cleared wq1.0's mode, priority and name (idxd_wq_disable_cleanup()): configure them again
  for (const [a, v] of [["mode", "dedicated"], ["priority", "10"], ["name", "iaa_crypto"]]) assert.equal(wr(m, `${D}/wq1.0/${a}`, v), "ok", a);
  assert.equal(wr(m, `${CRYPTO}/bind`, "wq1.0"), "ok"); // enable-WQ command
  assert.equal(rd(m, `${D}/iax1/cmd_status`), "0x0\n");
});

test("%#x attributes print 0x0 for zero; errors is %*pb of 256 bits as accel-config 4.1.6 parses it", () => {
  const m = withCrypto();
  // iaa_crypto's autoprobe left 0x80200000 (the unconfigured WQs fail the driver_name match); any write clears it
  assert.equal(rd(m, `${D}/iax1/cmd_status`), "0x80200000\n");
  assert.equal(wr(m, `${D}/iax1/cmd_status`, "1"), "ok");
  assert.equal(rd(m, `${D}/iax1/cmd_status`), "0x0\n");
  assert.equal(rd(m, `${D}/iax1/version`), "0x100\n");
  const zero = "00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000\n";
  assert.equal(rd(m, `${D}/iax1/errors`), zero);
  // a descriptor with a misaligned completion record: SWERR valid, error 0x..., wq 0, opcode
  const hw = m.idxd!.devices.find((d) => d.name === "iax1")!.hw;
  hw.swerr = { valid: true, status: 0x83, wq: 0, opcode: 0x42, addr: 0x1_2345_6789 };
  // bits[0] = valid|desc_valid|wq_idx_valid | error<<8 | wq<<16 | operation<<32; bits[2] = fault_addr
  assert.equal(rd(m, `${D}/iax1/errors`), "00000000,00000000,00000001,23456789,00000000,00000000,00000042,0000830d\n");
  const list = acc(m)("list");
  assert.equal(list.code, 0);
  assert.match(list.stdout, /"errors":"00000000,00000000,00000001,23456789,00000000,00000000,00000042,0000830d"/);
});

test("uevent of dsa-bus devices: DEVTYPE, DRIVER while bound, then idxd_bus_uevent()'s MODALIAS", () => {
  const m = withCrypto();
  assert.equal(rd(m, `${D}/iax1/uevent`), "DEVTYPE=iax\nDRIVER=idxd\nMODALIAS=idxd:t0\n");
  assert.equal(rd(m, `${D}/dsa0/uevent`), "DEVTYPE=dsa\nMODALIAS=idxd:t0\n");
  assert.equal(rd(m, `${D}/wq1.0/uevent`), "DEVTYPE=wq\nDRIVER=crypto\nMODALIAS=idxd:t0\n");
  assert.equal(rd(m, `${D}/wq1.1/uevent`), "DEVTYPE=wq\nMODALIAS=idxd:t0\n");
  assert.equal(rd(m, `${D}/engine1.0/uevent`), "DEVTYPE=engine\nMODALIAS=idxd:t0\n");
  assert.equal(rd(m, `${D}/group1.0/uevent`), "DEVTYPE=group\nMODALIAS=idxd:t0\n");
});

test("string stores stop at an embedded NUL, as strlen() and sysfs_streq() in the kernel's stores do", () => {
  const m = withCrypto();
  assert.equal(wr(m, `${CRYPTO}/unbind`, "wq1.0\0junk"), "ok");
  assert.equal(wr(m, `${D}/wq1.0/name`, "a\0b"), "ok");
  assert.equal(rd(m, `${D}/wq1.0/name`), "a\n");
  assert.equal(wr(m, `${D}/wq1.0/name`, "\0b"), "EINVAL", "strlen() is 0");
  assert.equal(rd(m, `${D}/wq1.0/name`), "a\n");
  assert.equal(wr(m, `${D}/wq1.0/driver_name`, "crypto\0x"), "ok");
  assert.equal(rd(m, `${D}/wq1.0/driver_name`), "crypto\n");
  assert.equal(wr(m, `${D}/wq1.0/type`, "kernel\0user"), "ok");
  assert.equal(rd(m, `${D}/wq1.0/type`), "kernel\n");
  assert.equal(wr(m, `${D}/wq1.0/priority`, "7\0" + "9"), "ok");
  assert.equal(rd(m, `${D}/wq1.0/priority`), "7\n");
});
