/**
 * accel-config on the emulated machine (bootMachine "tiny": dsa0 iax1 dsa2
 * iax3): the documentation's typical usage, list on the boot defaults,
 * error cases with their exact output, every shipped config file, and
 * save-config → load-config giving back the same tree.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { bootMachine, type Machine } from "../../src/system/machine.js";
import { bootStack } from "../../src/system/stack.js";
import { accelConfigMain } from "../../src/accfg/accel_config.js";
import { repoRoot } from "../helpers/repo_root.js";

const CONFIG_DIR = join(repoRoot(), "src/accfg/configs");

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

function attr(m: Machine, obj: string, name: string): string {
  return m.vfs.readText(`/sys/bus/dsa/devices/${obj}/${name}`).trimEnd();
}

function putConfig(m: Machine, name: string): void {
  m.vfs.writeFile(`/tmp/${name}`, readFileSync(join(CONFIG_DIR, name)));
}

test("documentation's typical usage on iax1 (dmaengine driver), after disabling the default", () => {
  const m = bootMachine("tiny");
  const run = acc(m);
  assert.deepEqual(run("disable-device", "iax1"), { code: 0, stdout: "", stderr: "disabled 1 device(s) out of 1\n" });
  assert.equal(attr(m, "engine1.0", "group_id"), "-1");
  const cfg = run("config-wq", "--group-id=0", "--mode=dedicated", "--type=kernel", "--priority=10", "--name=iaa_crypto", "--driver-name=dmaengine", "iax1/wq1.0");
  assert.deepEqual(cfg, { code: 0, stdout: "", stderr: "" });
  assert.deepEqual(run("config-engine", "iax1/engine1.0", "--group-id=0"), { code: 0, stdout: "", stderr: "" });
  assert.deepEqual(run("enable-device", "iax1"), { code: 0, stdout: "", stderr: "enabled 1 device(s) out of 1\n" });
  assert.deepEqual(run("enable-wq", "iax1/wq1.0"), { code: 0, stdout: "", stderr: "enabled 1 wq(s) out of 1\n" });
  assert.equal(attr(m, "iax1", "state"), "enabled");
  const want: Record<string, string> = { state: "enabled", mode: "dedicated", group_id: "0", priority: "10", type: "kernel", name: "iaa_crypto", driver_name: "dmaengine" };
  for (const [k, v] of Object.entries(want)) assert.equal(attr(m, "wq1.0", k), v, k);
  // size 0 before enable: the kernel gave the grouped wq its default depth
  assert.equal(attr(m, "wq1.0", "size"), "16");
  const q = run("list", "-q", "iax1/wq1.0");
  assert.equal(q.code, 0);
  assert.ok(q.stdout.startsWith('workqueues:\ndevice iax1:\n[\n  {\n    "dev":"wq1.0",\n    "mode":"dedicated",\n    "size":16,\n    "group_id":0,\n    "priority":10,\n'));
});

test("typical usage with --driver-name=crypto once iaa_crypto is loaded", () => {
  const m = bootStack("tiny").machine;
  assert.equal(m.modules.modprobe("iaa_crypto").rc, 0);
  const run = acc(m);
  if (attr(m, "wq1.0", "state") === "enabled") assert.equal(run("disable-wq", "iax1/wq1.0").code, 0);
  assert.equal(run("disable-device", "iax1").code, 0);
  assert.equal(run("config-wq", "--group-id=0", "--mode=dedicated", "--type=kernel", "--priority=10", "--name=iaa_crypto", "--driver-name=crypto", "iax1/wq1.0").code, 0);
  assert.equal(run("config-engine", "iax1/engine1.0", "--group-id=0").code, 0);
  assert.equal(run("enable-device", "iax1").code, 0);
  assert.deepEqual(run("enable-wq", "iax1/wq1.0"), { code: 0, stdout: "", stderr: "enabled 1 wq(s) out of 1\n" });
  assert.equal(attr(m, "wq1.0", "driver_name"), "crypto");
});

test("list on the boot-default machine, with and without -i", () => {
  const m = bootMachine("tiny");
  const run = acc(m);
  const r = run("list");
  assert.equal(r.code, 0);
  assert.equal(r.stderr, "");
  const devs = JSON.parse(r.stdout) as { dev: string; state: string; groups: { dev: string }[]; ungrouped_engines: { dev: string }[] }[];
  // DSA devices fail their auto-probe and stay disabled, so only the IAA devices show
  assert.deepEqual(devs.map((d) => d.dev), ["iax1", "iax3"]);
  const iax1 = devs[0]!;
  assert.deepEqual(Object.keys(iax1), [
    "dev", "max_groups", "max_work_queues", "max_engines", "work_queue_size", "numa_node", "op_cap", "gen_cap", "version", "state",
    "max_batch_size", "max_transfer_size", "configurable", "pasid_enabled", "cdev_major", "clients", "groups", "ungrouped_engines",
  ]);
  assert.equal(iax1.state, "enabled");
  assert.deepEqual(iax1.groups.map((g) => g.dev), ["group1.0", "group1.1", "group1.2", "group1.3"]);
  assert.deepEqual(iax1.ungrouped_engines.map((e) => e.dev), ["engine1.1", "engine1.2", "engine1.3", "engine1.4", "engine1.5", "engine1.6", "engine1.7"]);
  assert.ok(r.stdout.startsWith('[\n  {\n    "dev":"iax1",\n    "max_groups":4,\n    "max_work_queues":8,\n    "max_engines":8,\n    "work_queue_size":128,\n'));
  assert.ok(r.stdout.includes('    "version":"0x100",\n    "state":"enabled",\n    "max_batch_size":-2,\n'));
  const engines10 = '        "grouped_engines":[\n          {\n            "dev":"engine1.0",\n            "group_id":0\n          }\n        ]\n      },\n';
  if (attr(m, "wq1.0", "state") === "enabled") {
    // iaa_crypto loaded at boot: the default wq is listed in its group
    assert.ok(r.stdout.includes('      {\n        "dev":"group1.0",\n        "grouped_workqueues":[\n          {\n            "dev":"wq1.0",\n'));
    assert.ok(r.stdout.includes('            "state":"enabled",\n            "clients":0\n          }\n        ],\n' + engines10));
  } else {
    assert.ok(r.stdout.includes('      {\n        "dev":"group1.0",\n' + engines10));
  }
  const idle = run("list", "-i");
  const all = JSON.parse(idle.stdout) as { dev: string; state: string; "ungrouped workqueues"?: { dev: string }[] }[];
  // scandir order: dsa first, then iax, each alphabetically
  assert.deepEqual(all.map((d) => `${d.dev}:${d.state}`), ["dsa0:disabled", "dsa2:disabled", "iax1:enabled", "iax3:enabled"]);
  assert.ok(idle.stdout.includes('"read_buffer_limit":'));
  assert.ok(idle.stdout.includes('"max_read_buffers":'));
  const wq10 = JSON.parse(run("list", "-i", "-q", "iax1/wq1.0").stdout.replace(/^workqueues:\ndevice iax1:\n/, "")) as Record<string, unknown>[];
  assert.deepEqual(
    { dev: wq10[0]!["dev"], mode: wq10[0]!["mode"], size: wq10[0]!["size"], name: wq10[0]!["name"], driver_name: wq10[0]!["driver_name"], max_batch_size: wq10[0]!["max_batch_size"] },
    { dev: "wq1.0", mode: "dedicated", size: 128, name: "iaa_crypto", driver_name: "crypto", max_batch_size: -2 },
  );
});

test("error cases: exact output and exit status, nothing changed", () => {
  const m = bootMachine("tiny");
  const run = acc(m);
  run("disable-device", "iax3");
  // iaa_crypto is not loaded here: bind the default wq through dmaengine instead
  if (attr(m, "wq1.0", "state") !== "enabled") {
    assert.equal(run("config-wq", "-d", "dmaengine", "iax1/wq1.0").code, 0);
    assert.equal(run("enable-wq", "iax1/wq1.0").code, 0);
  }
  assert.equal(run("config-wq", "-m", "dedicated", "iax3/wq3.2").code, 0);
  const cases: [string[], number, string, string][] = [
    [["config-wq", "-p", "3", "iax1/wq1.0"], 1, "", "libaccfg: accfg_wq_set_priority: wq1.0: priority attribute write failed: Operation not permitted\n"],
    [["config-wq", "-s", "8", "iax1/wq1.1"], 1, "", "libaccfg: accfg_wq_set_size: wq1.1: size attribute write failed: Operation not permitted\n"],
    [["config-wq", "-m", "dedicated", "iax1/wq1.0"], 1, "", "libaccfg: accfg_wq_set_str_mode: wq1.0: write failed: Operation not permitted\n"],
    [["config-wq", "-m", "fast", "iax3/wq3.0"], 1, "", "valid mode should be shared or dedicated\n"],
    [["config-wq", "-s", "200", "iax3/wq3.0"], 1, "", "valid size should be 0 to 128\n"],
    [["config-wq", "-g", "4", "iax3/wq3.0"], 1, "", "valid group id should be 0 to 3 or -1 to dissociate the wq from groups\n"],
    [["config-wq", "-d", "foo", "iax3/wq3.0"], 1, "", 'Invalid driver name "foo"\n'],
    [["config-wq", "-c", "8", "iax3/wq3.0"], 1, "", "libaccfg: accfg_wq_set_max_batch_size: wq3.0: max_batch_size attribute write failed: No such file or directory\n"],
    [["config-wq", "-t", "4", "iax3/wq3.2"], 1, "", "libaccfg: accfg_wq_set_threshold: wq3.2: threshold attribute write failed: Invalid argument\n"],
    [["config-wq", "iax9/wq9.0", "-p", "1"], 0, "", "iax9 device not found\niax9/wq9.0 is not a valid workqueue name\n"],
    [["config-wq", "iax1/wq1.9"], 0, "", "iax1/wq1.9 workqueue not found\niax1/wq1.9 is not a valid workqueue name\n"],
    [["config-engine", "all"], 0, "", "all is not a valid engine name\n"],
    [["enable-device", "iax9"], 1, "", "iax9 device not found\nenabled 0 device(s) out of 1\n"],
    [["enable-device", "iax1"], 1, "", "iax1 is in enabled state already, skipping...\nfailed in iax1\nenabled 0 device(s) out of 1\n"],
    [["disable-device", "iax3"], 1, "", "iax3 is in disabled state already, skipping...\nfailed in iax3\ndisabled 0 device(s) out of 1\n"],
    [["enable-device", "iax3"], 1, "Error[0x800d0000] iax3: wq error - no wqs configured\n", "failed in iax3\nenabled 0 device(s) out of 1\n"],
    [["disable-wq", "iax3/wq3.0"], 1, "", "iax3/wq3.0 is in disabled mode already, skipping...\nfailed in iax3/wq3.0\ndisabled 0 wq(s) out of 1\n"],
    [["list", "-d", "iax3"], 1, "devices:\n", "No matching device found\n"],
    [["frobnicate"], 129, "", ""],
  ];
  for (const [args, code, stdout, stderr] of cases) {
    const before = run("list", "-i").stdout;
    const r = run(...args);
    assert.equal(r.code, code, args.join(" "));
    assert.equal(r.stdout, stdout, args.join(" "));
    if (stderr !== "") assert.equal(r.stderr, stderr, args.join(" "));
    assert.equal(run("list", "-i").stdout, before, `state changed by ${args.join(" ")}`);
  }
  // a wq of a disabled device: ENXIO from bind, no cmd_status, no Error line
  run("config-wq", "-g", "0", "-y", "kernel", "-n", "k", "-d", "dmaengine", "iax3/wq3.0");
  assert.deepEqual(run("enable-wq", "iax3/wq3.0"), { code: 1, stdout: "", stderr: "failed in iax3/wq3.0\nenabled 0 wq(s) out of 1\n" });
});

test("shared wq in legacy IOMMU mode: the kernel's cmd_status in the Error line", () => {
  const m = bootMachine({ preset: "tiny", cmdline: "intel_iommu=off" });
  const run = acc(m);
  assert.equal(run("disable-device", "iax1").code, 0);
  assert.equal(run("config-wq", "-g", "0", "-m", "shared", "-s", "16", "-t", "8", "-y", "user", "-n", "app", "-d", "user", "-p", "5", "iax1/wq1.1").code, 0);
  assert.equal(run("config-engine", "iax1/engine1.0").code, 0);
  assert.deepEqual(run("enable-device", "iax1"), {
    code: 1,
    stdout: "Error[0x800c0000] iax1: wq error - no shared wq support (platform configuration error)\n",
    stderr: "failed in iax1\nenabled 0 device(s) out of 1\n",
  });
  assert.equal(attr(m, "iax1", "state"), "disabled");
  // dedicated works; a user wq still needs SVA
  assert.equal(run("config-wq", "-m", "dedicated", "iax1/wq1.1").code, 0);
  assert.equal(run("enable-device", "iax1").code, 0);
  assert.deepEqual(run("enable-wq", "iax1/wq1.1"), { code: 1, stdout: "Error[0x80110000] iax1/wq1.1: Unknown error\n", stderr: "failed in iax1/wq1.1\nenabled 0 wq(s) out of 1\n" });
});

test("load-config of every shipped config file", () => {
  const files = readdirSync(CONFIG_DIR).filter((f) => f.includes(".conf")).sort();
  assert.deepEqual(files, [
    "2g2q_user_1.conf", "2g2q_user_2.conf", "accel-config.conf.sample", "app_profile.conf", "net_profile.conf", "os_profile.conf", "storage_profile.conf", "user_default_profile.conf",
  ]);
  const expect: Record<string, { code: number; stdout: string; stderr: string; check?: (m: Machine) => void }> = {
    "2g2q_user_1.conf": {
      code: 0, stdout: "Enabling device dsa0\nEnabling wq wq0.1\nEnabling wq wq0.0\n", stderr: "",
      check: (m) => {
        assert.equal(attr(m, "wq0.0", "threshold"), "15");
        assert.equal(attr(m, "group0.1", "engines"), "engine0.2 engine0.3");
      },
    },
    "2g2q_user_2.conf": {
      code: 0, stdout: "Enabling device iax1\nEnabling wq wq1.4\nEnabling wq wq1.1\n", stderr: "iax1 is active. Disabling...\n",
      check: (m) => {
        assert.equal(attr(m, "wq1.4", "threshold"), "40");
        assert.equal(attr(m, "wq1.1", "max_transfer_size"), "4194304");
        assert.equal(attr(m, "engine1.0", "group_id"), "-1");
        assert.equal(attr(m, "engine1.3", "group_id"), "2");
      },
    },
    "accel-config.conf.sample": { code: 1, stdout: "", stderr: "group set traffic_class_a value failed\nParse json and set device fail: -1\n" },
    "app_profile.conf": { code: 0, stdout: "Enabling device dsa0\nEnabling wq wq0.1\nEnabling wq wq0.0\n", stderr: "", check: (m) => assert.equal(attr(m, "wq0.0", "max_transfer_size"), "16384") },
    "net_profile.conf": {
      code: 0, stdout: "Enabling device dsa0\nEnabling wq wq0.3\nEnabling wq wq0.2\nEnabling wq wq0.1\nEnabling wq wq0.0\n", stderr: "",
      check: (m) => assert.equal(attr(m, "wq0.3", "max_batch_size"), "1024"),
    },
    "os_profile.conf": { code: 0, stdout: "Enabling device dsa0\nEnabling wq wq0.0\n", stderr: "", check: (m) => assert.equal(attr(m, "wq0.0", "type"), "kernel") },
    "storage_profile.conf": { code: 0, stdout: "Enabling device dsa0\nEnabling wq wq0.1\nEnabling wq wq0.0\n", stderr: "", check: (m) => assert.equal(attr(m, "wq0.1", "mode"), "dedicated") },
    // a config-user-default template: no engines, so the device does not enable
    "user_default_profile.conf": { code: 1, stdout: "Enabling device iax1\n", stderr: "iax1 is active. Disabling...\nError enabling device\n" },
  };
  for (const f of files) {
    const m = bootMachine("tiny");
    putConfig(m, f);
    const r = acc(m)("load-config", "-f", "-e", "-c", f);
    const e = expect[f]!;
    assert.deepEqual(r, { code: e.code, stdout: e.stdout, stderr: e.stderr }, f);
    e.check?.(m);
  }
});

test("save-config → load-config gives back the same tree", () => {
  const m = bootMachine("tiny");
  const run = acc(m);
  putConfig(m, "app_profile.conf");
  putConfig(m, "2g2q_user_2.conf");
  // iax3's default wq is not bound without iaa_crypto; a device without enabled wqs does not round-trip
  assert.equal(run("disable-device", "iax3").code, 0);
  assert.equal(run("load-config", "-e", "-c", "app_profile.conf").code, 0);
  assert.equal(run("load-config", "-f", "-e", "-c", "2g2q_user_2.conf").code, 0);
  const before = run("list", "-i").stdout;
  assert.deepEqual(run("save-config"), { code: 1, stdout: "", stderr: "Failed to open /etc/accel-config/accel-config.conf for save: No such file or directory\n" });
  m.vfs.mkdir("/etc/accel-config", { parents: true }); // what the package installs
  assert.deepEqual(run("save-config"), { code: 0, stdout: "", stderr: "" });
  const saved = m.vfs.readText("/etc/accel-config/accel-config.conf");
  assert.ok(saved.startsWith('[\n  {\n    "dev":"dsa0",\n    "read_buffer_limit":0,\n'));
  assert.ok(!saved.includes('"max_batch_size":-2'));
  assert.deepEqual(run("disable-device", "dsa0", "iax1"), { code: 0, stdout: "", stderr: "disabled 2 device(s) out of 2\n" });
  assert.notEqual(run("list", "-i").stdout, before);
  assert.deepEqual(run("load-config", "-e"), {
    code: 0,
    stdout: "Enabling device iax1\nEnabling device dsa0\nEnabling wq wq1.4\nEnabling wq wq1.1\nEnabling wq wq0.1\nEnabling wq wq0.0\n",
    stderr: "",
  });
  assert.equal(run("list", "-i").stdout, before);
});

test("spr-2s: devices listed in scandir (C locale) order, dsa before iax", () => {
  const m = bootMachine("spr-2s");
  const r = acc(m)("list", "-i");
  const names = (JSON.parse(r.stdout) as { dev: string }[]).map((d) => d.dev);
  assert.deepEqual(names, ["dsa0", "dsa10", "dsa12", "dsa14", "dsa2", "dsa4", "dsa6", "dsa8", "iax1", "iax11", "iax13", "iax15", "iax3", "iax5", "iax7", "iax9"]);
  const q = acc(m)("list", "-i", "-E", "-d", "iax9");
  assert.equal(q.code, 0);
  assert.ok(q.stdout.startsWith("engines:\ndevice iax9:\ngrouped engines:\ngroup id 0:\n[\n  {\n    \"dev\":\"engine9.0\",\n    \"group_id\":0\n  }\n]\nungrouped engines:\n"));
});
