/**
 * accel-config against a small fake idxd tree (src/accfg/_fake_idxd.ts):
 * messages, exit codes, write order and list/save/load formats.
 * The same commands run on the real emulated machine in test/accfg/.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { accelConfigRunner, fakeIdxdTree } from "./_fake_idxd.js";
import { installManPages, manPageTexts } from "./man_pages.js";
import type { KnDir } from "../kernfs/node.js";


const WQ = "/sys/bus/dsa/devices/wq1.0";
const configFile = (name: string) => readFileSync(fileURLToPath(new URL(`./configs/${name}`, import.meta.url)));

test("global: version, --list-cmds, unknown command, man pages, module check", () => {
  const { vfs } = fakeIdxdTree();
  const run = accelConfigRunner(vfs);
  assert.deepEqual(run("--version"), { code: 0, stdout: "4.1.6\n", stderr: "" });
  const l = run("--list-cmds");
  assert.equal(l.stdout.split("\n")[0], "accel-config list");
  assert.equal(l.stdout.split("\n").length - 1, 12);
  const u = run("frob");
  assert.equal(u.code, 129);
  // accfg_usage_string of 4.1.6 (accfg/accel-config.c), printed by usage() as "\n Usage: %s\n"
  assert.equal(
    u.stderr,
    "Unknown command: 'frob'\n\n Usage: accel-config [--list-cmds] [-h | --help] [-v | --version] COMMAND [ARGS]\n\n" +
      " 'accel-config --help COMMAND' for information on a specific command\n" +
      " 'accel-config --list-cmds' for a list of available commands\n" +
      " 'accel-config --version' for version info\n",
  );
  assert.deepEqual(run("list", "--help"), { code: 16, stdout: "", stderr: "No manual entry for accel-config-list\n" });
  installManPages(vfs);
  assert.deepEqual(run("list", "--help"), { code: 0, stdout: manPageTexts().get("accel-config-list"), stderr: "" });
  (vfs.root.children.get("sys") as KnDir).remove("module");
  assert.deepEqual(run("list"), { code: 1, stdout: "", stderr: "idxd kernel module not loaded\n" });
});

test("list on the default configuration, and the empty list", () => {
  const { vfs } = fakeIdxdTree();
  const run = accelConfigRunner(vfs);
  const r = run("list");
  assert.equal(r.code, 0);
  const lines = r.stdout.split("\n");
  assert.deepEqual(lines.slice(0, 3), ["[", "  {", '    "dev":"iax1",']);
  assert.ok(r.stdout.includes('            "driver_name":"crypto",\n            "threshold":0,\n            "ats_disable":0,\n            "state":"enabled",\n            "clients":0\n'));
  assert.ok(r.stdout.includes('      {\n        "dev":"group1.1"\n      },'));
  assert.ok(r.stdout.includes('    "ungrouped_engines":[\n      {\n        "dev":"engine1.1"\n      },'));
  assert.ok(!r.stdout.includes("ungrouped workqueues"));
  assert.ok(run("list", "-i").stdout.includes('    "ungrouped workqueues":[\n      {\n        "dev":"wq1.1",\n        "mode":"shared",\n        "size":0,\n'));
  assert.equal(run("disable-device", "iax1").code, 0);
  assert.deepEqual(run("list"), { code: 0, stdout: "[\n]\n", stderr: "" });
  assert.deepEqual(run("list", "-d", "iax1"), { code: 1, stdout: "devices:\n", stderr: "No matching device found\n" });
  assert.deepEqual(run("list", "extra"), { code: 129, stdout: "", stderr: run("list", "extra").stderr });
  assert.match(run("list", "extra").stderr, /^  Error: unknown parameter "extra"\n\n\n usage: accel-config list/);
});

test("typical usage: disable the default, configure, enable", () => {
  const { vfs, dev } = fakeIdxdTree();
  const run = accelConfigRunner(vfs);
  const busy = run("config-wq", "--priority=5", "iax1/wq1.0");
  assert.deepEqual(busy, { code: 1, stdout: "", stderr: "libaccfg: accfg_wq_set_priority: wq1.0: priority attribute write failed: Operation not permitted\n" });
  assert.equal(vfs.readText(`${WQ}/priority`), "10\n");
  assert.deepEqual(run("disable-wq", "iax1/wq1.0"), { code: 0, stdout: "", stderr: "disabled 1 wq(s) out of 1\n" });
  assert.deepEqual(run("disable-device", "iax1"), { code: 0, stdout: "", stderr: "disabled 1 device(s) out of 1\n" });
  assert.equal(dev.wqs[0]!.group, -1);
  const cfg = run("config-wq", "--group-id=0", "--mode=dedicated", "--wq-size=128", "--type=kernel", "--priority=10", "--name=iaa_crypto", "--driver-name=crypto", "iax1/wq1.0");
  assert.deepEqual(cfg, { code: 0, stdout: "", stderr: "" });
  assert.deepEqual(run("config-engine", "iax1/engine1.0", "--group-id=0"), { code: 0, stdout: "", stderr: "" });
  assert.deepEqual(run("enable-device", "iax1"), { code: 0, stdout: "", stderr: "enabled 1 device(s) out of 1\n" });
  assert.deepEqual(run("enable-wq", "iax1/wq1.0"), { code: 0, stdout: "", stderr: "enabled 1 wq(s) out of 1\n" });
  for (const [attr, want] of [["mode", "dedicated"], ["size", "128"], ["group_id", "0"], ["priority", "10"], ["type", "kernel"], ["name", "iaa_crypto"], ["driver_name", "crypto"], ["state", "enabled"]]) {
    assert.equal(vfs.readText(`${WQ}/${attr}`), `${want}\n`, attr);
  }
  assert.equal(vfs.readText("/sys/bus/dsa/devices/iax1/state"), "enabled\n");
  const again = run("enable-wq", "iax1/wq1.0");
  assert.deepEqual(again, { code: 1, stdout: "", stderr: "iax1/wq1.0 is in enabled or locked mode, skipping...\nfailed in iax1/wq1.0\nenabled 0 wq(s) out of 1\n" });
  const dup = run("enable-device", "iax1");
  assert.deepEqual(dup, { code: 1, stdout: "", stderr: "iax1 is in enabled state already, skipping...\nfailed in iax1\nenabled 0 device(s) out of 1\n" });
});

test("config-wq writes type before name, and config-engine without -g writes group 0", () => {
  const { vfs, dev } = fakeIdxdTree({ defaults: false });
  const run = accelConfigRunner(vfs);
  // the kernel clears name when type changes: written in option order this would lose the name
  assert.equal(run("config-wq", "--name=mine", "--type=user", "iax1/wq1.2").code, 0);
  assert.equal(vfs.readText("/sys/bus/dsa/devices/wq1.2/name"), "mine\n");
  assert.equal(run("config-engine", "iax1/engine1.5").code, 0);
  assert.equal(dev.engines[5], 0);
  const bad = run("config-engine", "iax1/engine1.5", "-g", "4");
  assert.deepEqual(bad, { code: 1, stdout: "", stderr: "valid group id should be 0 to 3 or -1 to dissociate from groups\naccel_config_parse_engine_attribs failed\n" });
});

test("config-* name errors exit 0; option range errors exit 1 without writing", () => {
  const { vfs } = fakeIdxdTree({ defaults: false });
  const run = accelConfigRunner(vfs);
  assert.deepEqual(run("config-wq", "iax9/wq9.0", "-p", "3"), { code: 0, stdout: "", stderr: "iax9 device not found\niax9/wq9.0 is not a valid workqueue name\n" });
  assert.deepEqual(run("config-wq", "iax1/wq1.9"), { code: 0, stdout: "", stderr: "iax1/wq1.9 workqueue not found\niax1/wq1.9 is not a valid workqueue name\n" });
  assert.deepEqual(run("config-wq", "all", "iax1/wq1.0"), { code: 0, stdout: "", stderr: "all is not a valid workqueue name\n" });
  assert.deepEqual(run("config-wq"), { code: 0, stdout: "", stderr: "  Error: specify a wq name to configure attributes\n\n" });
  assert.deepEqual(run("config-wq", "-m", "fast", "iax1/wq1.0"), { code: 1, stdout: "", stderr: "valid mode should be shared or dedicated\n" });
  assert.deepEqual(run("config-wq", "-s", "129", "-p", "3", "iax1/wq1.0"), { code: 1, stdout: "", stderr: "valid size should be 0 to 128\n" });
  assert.equal(vfs.readText(`${WQ}/priority`), "0\n");
  assert.deepEqual(run("config-wq", "-d", "nodrv", "iax1/wq1.0"), { code: 1, stdout: "", stderr: 'Invalid driver name "nodrv"\n' });
  const mbs = run("config-wq", "-c", "4", "iax1/wq1.0");
  assert.deepEqual(mbs, { code: 1, stdout: "", stderr: "libaccfg: accfg_wq_set_max_batch_size: wq1.0: max_batch_size attribute write failed: No such file or directory\n" });
});

test("enable failures: Error line from cmd_status, none without one", () => {
  const { vfs, dev } = fakeIdxdTree({ defaults: false });
  const run = accelConfigRunner(vfs);
  const nowq = run("enable-device", "iax1");
  assert.deepEqual(nowq, { code: 1, stdout: "Error[0x800d0000] iax1: wq error - no wqs configured\n", stderr: "failed in iax1\nenabled 0 device(s) out of 1\n" });
  // the library clears cmd_status at start
  assert.equal(dev.cmdStatus, 0x800d0000);
  run("list");
  assert.equal(dev.cmdStatus, 0);
  assert.equal(run("config-wq", "-g", "0", "-y", "kernel", "-s", "16", "iax1/wq1.0").code, 0);
  // device disabled: the bind fails with ENXIO and no cmd_status, so no Error line
  assert.deepEqual(run("enable-wq", "iax1/wq1.0"), { code: 1, stdout: "", stderr: "failed in iax1/wq1.0\nenabled 0 wq(s) out of 1\n" });
  assert.equal(run("config-engine", "iax1/engine1.0").code, 0);
  assert.equal(run("enable-device", "iax1").code, 0);
  // empty driver_name: the tool binds through dmaengine, the kernel's name match fails
  assert.deepEqual(run("enable-wq", "iax1/wq1.0"), {
    code: 1,
    stdout: "Error[0x80200000] iax1/wq1.0: Unknown error\n",
    stderr: "failed in iax1/wq1.0\nenabled 0 wq(s) out of 1\n",
  });
  // driver_name set, name never set
  assert.equal(run("config-wq", "-d", "crypto", "iax1/wq1.0").code, 0);
  assert.deepEqual(run("enable-wq", "iax1/wq1.0"), {
    code: 1,
    stdout: "Error[0x80040000] iax1/wq1.0: wq error - name not set\n",
    stderr: "failed in iax1/wq1.0\nenabled 0 wq(s) out of 1\n",
  });
  assert.equal(run("config-wq", "-n", "iaa_crypto", "iax1/wq1.0").code, 0);
  assert.deepEqual(run("enable-wq", "iax1/wq1.0"), { code: 0, stdout: "", stderr: "enabled 1 wq(s) out of 1\n" });
});

test("disable-device of a disabled device, enable-wq on a disabled device", () => {
  const { vfs } = fakeIdxdTree({ defaults: false });
  const run = accelConfigRunner(vfs);
  assert.deepEqual(run("disable-device", "iax1"), { code: 1, stdout: "", stderr: "iax1 is in disabled state already, skipping...\nfailed in iax1\ndisabled 0 device(s) out of 1\n" });
  assert.deepEqual(run("disable-wq", "iax1/wq1.0"), { code: 1, stdout: "", stderr: "iax1/wq1.0 is in disabled mode already, skipping...\nfailed in iax1/wq1.0\ndisabled 0 wq(s) out of 1\n" });
  assert.equal(run("enable-device").code, 129);
  assert.deepEqual(run("enable-wq", "iax1/wq1.0"), { code: 1, stdout: "", stderr: 'Invalid wq driver name ""\nfailed in iax1/wq1.0\nenabled 0 wq(s) out of 1\n' });
  assert.deepEqual(run("enable-device", "iax9"), { code: 1, stdout: "", stderr: "iax9 device not found\nenabled 0 device(s) out of 1\n" });
});

test("save-config then load-config restores the same tree (IAX max_batch_size not saved)", () => {
  const { vfs } = fakeIdxdTree();
  const run = accelConfigRunner(vfs);
  assert.deepEqual(run("save-config", "-s", "saved.conf"), { code: 0, stdout: "", stderr: "" });
  const saved = vfs.readText("/tmp/saved.conf");
  assert.ok(!saved.includes("max_batch_size"));
  assert.ok(!saved.includes('"state"'));
  assert.ok(saved.startsWith('[\n  {\n    "dev":"iax1",\n    "groups":[\n'));
  const before = run("list", "-i").stdout;
  run("disable-device", "iax1");
  assert.notEqual(run("list", "-i").stdout, before);
  const load = run("load-config", "-c", "saved.conf", "-e");
  assert.deepEqual(load, { code: 0, stdout: "Enabling device iax1\nEnabling wq wq1.0\n", stderr: "" });
  assert.equal(run("list", "-i").stdout, before);
  // loading onto the active device skips it
  assert.deepEqual(run("load-config", "-c", "/tmp/saved.conf"), { code: 0, stdout: "", stderr: "iax1 is active. Skipping...\n" });
});

test("load-config of the shipped IAA config: trailing commas, key order, ungrouped engines", () => {
  const { vfs, dev } = fakeIdxdTree();
  const run = accelConfigRunner(vfs);
  vfs.writeFile("/tmp/2g2q_user_2.conf", configFile("2g2q_user_2.conf"));
  const r = run("load-config", "-f", "-c", "2g2q_user_2.conf");
  assert.deepEqual(r, { code: 0, stdout: "", stderr: "iax1 is active. Disabling...\n" });
  assert.deepEqual(
    { mode: dev.wqs[1]!.mode, size: dev.wqs[1]!.size, group: dev.wqs[1]!.group, type: dev.wqs[1]!.type, name: dev.wqs[1]!.name, xfer: dev.wqs[1]!.xfer },
    { mode: "dedicated", size: 16, group: 1, type: "user", name: "wq1.1", xfer: 4194304 },
  );
  assert.deepEqual({ mode: dev.wqs[4]!.mode, size: dev.wqs[4]!.size, threshold: dev.wqs[4]!.threshold }, { mode: "shared", size: 40, threshold: 40 });
  assert.deepEqual(dev.engines, [-1, 1, -1, 2, -1, -1, -1, -1]);
});

test("load-config failures: parse error, empty array, missing device, refused write", () => {
  const { vfs, dev } = fakeIdxdTree({ defaults: false });
  const run = accelConfigRunner(vfs);
  vfs.writeFile("/tmp/broken.conf", '[ { "dev":"iax1", ');
  assert.deepEqual(run("load-config", "-c", "broken.conf"), { code: 1, stdout: "", stderr: "Parse json and set device fail: -12\n" });
  vfs.writeFile("/tmp/empty.conf", '[ { "dev":"iax1", "groups":[] } ]');
  assert.deepEqual(run("load-config", "-c", "empty.conf"), { code: 1, stdout: "", stderr: "Parse json and set device fail: -1\n" });
  vfs.writeFile("/tmp/nodev.conf", '[ { "dev":"iax9" } ]');
  assert.deepEqual(run("load-config", "-c", "nodev.conf"), { code: 1, stdout: "", stderr: "device is not available\nParse json and set device fail: -1\n" });
  vfs.writeFile("/tmp/bad.conf", '[ { "dev":"iax1", "groups":[ { "dev":"group1.0", "grouped_workqueues":[ { "dev":"wq1.2", "size":8, "priority":99 } ] } ] } ]');
  const bad = run("load-config", "-c", "bad.conf");
  assert.deepEqual(bad, {
    code: 1,
    stdout: "",
    stderr: "libaccfg: accfg_wq_set_priority: wq1.2: priority attribute write failed: Invalid argument\nwq set priority value failed\nParse json and set device fail: -1\n",
  });
  // earlier writes are not rolled back
  assert.equal(dev.wqs[2]!.size, 8);
});

test("config-user-default: shared user wqs on idle devices, -d takes them down", () => {
  const { vfs, dev } = fakeIdxdTree({ defaults: false });
  const run = accelConfigRunner(vfs);
  const r = run("config-user-default", "-v");
  assert.equal(r.code, 0);
  // the fake rejects nothing about shared wqs, so every wq binds to the user driver
  assert.ok(r.stderr.startsWith("config wq1.0\nconfig wq1.1\n"));
  assert.ok(r.stderr.includes("enable iax1\nenable wq1.0\n"));
  assert.deepEqual(
    { mode: dev.wqs[3]!.mode, size: dev.wqs[3]!.size, threshold: dev.wqs[3]!.threshold, prio: dev.wqs[3]!.priority, name: dev.wqs[3]!.name, type: dev.wqs[3]!.type, enabled: dev.wqs[3]!.enabled },
    { mode: "shared", size: 16, threshold: 16, prio: 10, name: "user_default_wq", type: "user", enabled: true },
  );
  assert.deepEqual(dev.engines, [0, 0, 0, 0, 0, 0, 0, 0]);
  const d = run("config-user-default", "-d");
  assert.deepEqual(d, { code: 0, stdout: "", stderr: "disable WQs named as user_default_wq\n" });
  assert.equal(dev.enabled, false);
});

test("config-device and config-group on IAX: absent read-buffer files, range checks", () => {
  const { vfs } = fakeIdxdTree({ defaults: false });
  const run = accelConfigRunner(vfs);
  assert.deepEqual(run("config-device", "iax1", "-l", "8"), {
    code: 1,
    stdout: "",
    stderr: "libaccfg: accfg_device_set_read_buffer_limit: iax1: write failed: No such file or directory\naccel_config_parse_device_attribs failed\n",
  });
  assert.deepEqual(run("config-device", "iax1", "-e", "32"), {
    code: 1,
    stdout: "",
    stderr: "configured event-log-size for device is not within range (64-65535)\naccel_config_parse_device_attribs failed\n",
  });
  // no event_log_size attribute: nothing to write, success
  assert.deepEqual(run("config-device", "iax1", "-e", "64"), { code: 0, stdout: "", stderr: "" });
  assert.deepEqual(run("config-group", "iax1/group1.0", "-a", "1"), { code: 1, stdout: "", stderr: "traffic-class cannot be configured\n" });
  assert.deepEqual(run("config-group", "iax1/group1.0", "-d", "5"), { code: 1, stdout: "", stderr: "configured desc-progress-limit reserved for group is not within range\n" });
  assert.deepEqual(run("config-group", "iax1/group1.0", "-r", "1"), {
    code: 1,
    stdout: "",
    stderr: "libaccfg: accfg_group_set_read_buffers_reserved: group1.0: read_buffers_reserved attribute write failed: No such file or directory\n",
  });
  assert.deepEqual(run("config-group", "iax1/group1.7"), { code: 0, stdout: "", stderr: "iax1/group1.7 group not found\niax1/group1.7 is not a valid group name\n" });
  assert.deepEqual(run("config-device", "dsb1"), { code: 0, stdout: "", stderr: "no such device type\ndsb1 is not a valid device name\n" });
});
