/**
 * Refused sysfs writes: each row asserts the errno and that no attribute of
 * the device changed (a snapshot of the whole iax1/dsa0 tree before and after).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { bootMachine, type Machine } from "../../src/system/machine.js";
import { rd, standInCrypto, wr } from "./_helpers.js";

const D = "/sys/bus/dsa/devices";

/** Every readable attribute under a device directory. */
function snapshot(m: Machine, dev: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (p: string) => {
    for (const name of m.vfs.readdir(p)) {
      const path = `${p}/${name}`;
      const st = m.vfs.lstat(path);
      if (st.type === "dir") walk(path);
      else if (st.type === "file" && name !== "uevent") out[path] = rd(m, path);
    }
  };
  walk(m.vfs.realpath(`${D}/${dev}`));
  return out;
}

interface Case {
  name: string;
  path: string;
  value: string;
  errno: string;
}

// iax1 enabled with wq1.0 bound (the boot default + crypto).
const enabledCases: Case[] = [
  { name: "wq size while device enabled", path: "iax1/wq1.1/size", value: "8", errno: "EPERM" },
  { name: "wq mode while wq enabled", path: "iax1/wq1.0/mode", value: "shared", errno: "EPERM" },
  { name: "wq group_id while wq enabled", path: "iax1/wq1.0/group_id", value: "1", errno: "EPERM" },
  { name: "wq priority while wq enabled", path: "iax1/wq1.0/priority", value: "5", errno: "EPERM" },
  { name: "wq type while wq enabled", path: "iax1/wq1.0/type", value: "user", errno: "EPERM" },
  { name: "wq name while wq enabled", path: "iax1/wq1.0/name", value: "x", errno: "EPERM" },
  { name: "wq driver_name while wq enabled", path: "iax1/wq1.0/driver_name", value: "user", errno: "EPERM" },
  { name: "wq block_on_fault while wq enabled", path: "iax1/wq1.0/block_on_fault", value: "1", errno: "ENXIO" },
  { name: "wq threshold 0", path: "iax1/wq1.0/threshold", value: "0", errno: "EINVAL" },
  { name: "wq threshold > size", path: "iax1/wq1.0/threshold", value: "129", errno: "EINVAL" },
  { name: "wq threshold while wq enabled", path: "iax1/wq1.0/threshold", value: "4", errno: "ENXIO" },
  { name: "wq max_transfer_size while enabled", path: "iax1/wq1.0/max_transfer_size", value: "4096", errno: "EPERM" },
  { name: "wq ats_disable while enabled", path: "iax1/wq1.0/ats_disable", value: "1", errno: "EPERM" },
  { name: "enqcmds_retries on a dedicated wq", path: "iax1/wq1.0/enqcmds_retries", value: "3", errno: "EOPNOTSUPP" },
  { name: "traffic_class_a while device enabled", path: "iax1/group1.0/traffic_class_a", value: "2", errno: "EPERM" },
  { name: "engine group_id out of range", path: "iax1/engine1.1/group_id", value: "4", errno: "EINVAL" },
  { name: "engine group_id below -1", path: "iax1/engine1.1/group_id", value: "-2", errno: "EINVAL" },
  { name: "engine group_id not a number", path: "iax1/engine1.1/group_id", value: "one", errno: "EINVAL" },
  { name: "read-only attribute", path: "iax1/max_engines", value: "1", errno: "EACCES" },
];

// iax1 disabled (unbound): the configuration checks themselves.
const disabledCases: Case[] = [
  { name: "wq size over the total", path: "iax1/wq1.1/size", value: "129", errno: "EINVAL" },
  { name: "wq size with others claimed", path: "iax1/wq1.1/size", value: "1", errno: "EINVAL" },
  { name: "wq size not a number", path: "iax1/wq1.1/size", value: "12x", errno: "EINVAL" },
  { name: "wq size negative", path: "iax1/wq1.1/size", value: "-1", errno: "EINVAL" },
  { name: "wq mode unknown", path: "iax1/wq1.1/mode", value: "exclusive", errno: "EINVAL" },
  { name: "wq group_id out of range", path: "iax1/wq1.1/group_id", value: "4", errno: "EINVAL" },
  { name: "wq priority > 15", path: "iax1/wq1.1/priority", value: "16", errno: "EINVAL" },
  { name: "wq type unknown", path: "iax1/wq1.1/type", value: "mdev", errno: "EINVAL" },
  { name: "wq name empty", path: "iax1/wq1.1/name", value: "", errno: "EINVAL" },
  { name: "wq name too long", path: "iax1/wq1.1/name", value: "n".repeat(1025), errno: "EINVAL" },
  { name: "wq driver_name too long", path: "iax1/wq1.1/driver_name", value: "d".repeat(129), errno: "EINVAL" },
  { name: "wq threshold on dedicated wq", path: "iax1/wq1.0/threshold", value: "8", errno: "EINVAL" },
  { name: "wq threshold with size 0", path: "iax1/wq1.1/threshold", value: "1", errno: "EINVAL" },
  { name: "wq max_transfer_size 0", path: "iax1/wq1.1/max_transfer_size", value: "0", errno: "EINVAL" },
  { name: "wq max_transfer_size above device max", path: "iax1/wq1.1/max_transfer_size", value: "4294967296", errno: "EINVAL" },
  { name: "wq block_on_fault not a bool", path: "iax1/wq1.1/block_on_fault", value: "maybe", errno: "EINVAL" },
  { name: "traffic class without tc_override", path: "iax1/group1.0/traffic_class_a", value: "2", errno: "EPERM" },
  // invisible attributes: sysfs directories cannot create files, so the shell's open fails with EACCES
  { name: "group read_buffers on IAA are invisible", path: "iax1/group1.0/read_buffers_reserved", value: "1", errno: "EACCES" },
  { name: "max_batch_size invisible on IAA", path: "iax1/wq1.1/max_batch_size", value: "8", errno: "EACCES" },
];

const dsaCases: Case[] = [
  { name: "DSA read_buffer_limit above max", path: "dsa0/read_buffer_limit", value: "97", errno: "EINVAL" },
  { name: "DSA use_read_buffer_limit with limit 0", path: "dsa0/group0.0/use_read_buffer_limit", value: "1", errno: "EPERM" },
  { name: "DSA read_buffers_allowed above the total", path: "dsa0/group0.0/read_buffers_allowed", value: "97", errno: "EINVAL" },
  { name: "DSA read_buffers_reserved above max", path: "dsa0/group0.0/read_buffers_reserved", value: "97", errno: "EINVAL" },
  { name: "DSA wq max_batch_size above device max", path: "dsa0/wq0.0/max_batch_size", value: "2048", errno: "EINVAL" },
];

function runTable(setup: (m: Machine) => void, cases: Case[], dev: string): void {
  for (const c of cases) {
    const m = bootMachine("tiny");
    m.idxd!.driverRegister(standInCrypto(m.idxd!));
    setup(m);
    const before = snapshot(m, dev);
    assert.equal(wr(m, `${D}/${c.path}`, c.value), c.errno, c.name);
    assert.deepEqual(snapshot(m, dev), before, `${c.name}: state changed`);
  }
}

test("refused writes on an enabled device give the kernel's errno and change nothing", () => {
  runTable(() => {}, enabledCases, "iax1");
});

test("refused writes on a disabled device give the kernel's errno and change nothing", () => {
  // wq1.0 configured again after the wipe, the device disabled
  runTable((m) => {
    assert.equal(wr(m, "/sys/bus/dsa/drivers/idxd/unbind", "iax1"), "ok");
    for (const [a, v] of [["mode", "dedicated"], ["size", "128"], ["group_id", "0"]]) assert.equal(wr(m, `${D}/iax1/wq1.0/${a}`, v), "ok");
  }, disabledCases, "iax1");
});

test("refused DSA writes", () => {
  runTable(() => {}, dsaCases, "dsa0");
});

test("accepted edge values: trailing newline, rounding, clamping, type change clears name", () => {
  const m = bootMachine("tiny");
  assert.equal(wr(m, "/sys/bus/dsa/drivers/idxd/unbind", "iax1"), "ok");
  const wq = `${D}/iax1/wq1.2`;
  assert.equal(wr(m, `${wq}/max_transfer_size`, "3000\n"), "ok");
  assert.equal(rd(m, `${wq}/max_transfer_size`), "4096\n");
  assert.equal(wr(m, `${wq}/max_transfer_size`, "0x100000"), "ok");
  assert.equal(rd(m, `${wq}/max_transfer_size`), "1048576\n");
  assert.equal(wr(m, `${wq}/size`, "32"), "ok");
  assert.equal(wr(m, `${wq}/threshold`, "0x10"), "ok");
  assert.equal(rd(m, `${wq}/threshold`), "16\n");
  assert.equal(wr(m, `${wq}/enqcmds_retries`, "100"), "ok");
  assert.equal(rd(m, `${wq}/enqcmds_retries`), "64\n");
  assert.equal(wr(m, `${wq}/mode`, "dedicated\n"), "ok");
  assert.equal(rd(m, `${wq}/threshold`), "0\n");
  assert.equal(wr(m, `${wq}/name`, "  spaced name \n"), "ok");
  assert.equal(rd(m, `${wq}/name`), "spaced name\n");
  assert.equal(wr(m, `${wq}/type`, "kernel"), "ok");
  assert.equal(rd(m, `${wq}/name`), "\n");
  assert.equal(rd(m, `${wq}/cdev_minor`), "ENXIO");
  assert.equal(rd(m, `${wq}/occupancy`), "EOPNOTSUPP");
  assert.equal(wr(m, `${D}/iax1/engine1.3/group_id`, "2"), "ok");
  assert.equal(rd(m, `${D}/iax1/group1.2/engines`), "engine1.3\n");
  m.vfs.writeFile("/sys/module/idxd/parameters/tc_override", "1");
  assert.equal(wr(m, `${D}/iax1/group1.0/traffic_class_a`, "3"), "ok");
  assert.equal(wr(m, `${D}/iax1/group1.0/traffic_class_a`, "8"), "EINVAL");
  assert.equal(rd(m, `${D}/iax1/group1.0/traffic_class_a`), "3\n");
});
