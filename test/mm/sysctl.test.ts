/**
 * The machine's sysctls through its own shell: vm.drop_caches (write-only,
 * 1..4, the vmstat counters, the message naming the writer until a write
 * with bit 4), /proc/sys listed in name order, and sysctl -p / --system
 * reading the machine's files.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { bootWorld, type World } from "../../src/host/world.js";
import { machineShell } from "../helpers/machine_shell.js";


const drops = (w: World): string[] => machineShell(w, "dmesg").stdout.split("\n").filter((l) => l.includes("drop_caches")).map((l) => l.replace(/^\[[ \d.]+\] /, ""));

test("vm.drop_caches: write-only for root too, 1 to 4 or EINVAL, counts drop_pagecache and drop_slab, logs the writer until bit 4", () => {
  const w = bootWorld("tiny");
  const pid = machineShell(w, "echo $$").stdout.trim();
  const r = machineShell(w, "echo 3 > /proc/sys/vm/drop_caches; echo $?; cat /proc/sys/vm/drop_caches; echo $?; echo 0 > /proc/sys/vm/drop_caches; echo $?; echo 5 > /proc/sys/vm/drop_caches; echo $?; echo 2 | tee /proc/sys/vm/drop_caches > /dev/null");
  assert.equal(r.stdout, "0\n1\n1\n1\n");
  assert.equal(r.stderr, "cat: /proc/sys/vm/drop_caches: Permission denied\nbash: line 1: echo: write error: Invalid argument\nbash: line 1: echo: write error: Invalid argument\n");
  assert.deepEqual(drops(w), [`bash (${pid}): drop_caches: 3`, `tee (${pid}): drop_caches: 2`]);
  w.stack.machine.vfs.writeFile("/root/drop.sh", "#!/bin/bash\necho 1 > /proc/sys/vm/drop_caches\n");
  machineShell(w, "chmod +x drop.sh; ./drop.sh; echo 4 > /proc/sys/vm/drop_caches; echo 1 > /proc/sys/vm/drop_caches");
  const lines = drops(w);
  assert.match(lines[2]!, /^drop\.sh \(\d+\): drop_caches: 1$/);
  assert.notEqual(lines[2], `drop.sh (${pid}): drop_caches: 1`, "a script runs in a process of its own");
  assert.equal(lines[3], `bash (${pid}): drop_caches: 4`);
  assert.equal(lines.length, 4, "no message after a write with bit 4");
  assert.equal(machineShell(w, "grep ^drop_ /proc/vmstat").stdout, "drop_pagecache 3\ndrop_slab 2\n");
  assert.equal(machineShell(w, "ls -l /proc/sys/vm/drop_caches").stdout.slice(0, 10), "--w-------");
});

test("/proc/sys lists in name order; sysctl -a shows it so, skipping the write-only drop_caches", () => {
  const w = bootWorld("tiny");
  const r = machineShell(w, "sysctl -a -N; echo 7 > /proc/sys/vm/page-cluster; sysctl vm.page-cluster vm/swappiness");
  assert.equal(r.code, 0, r.stderr);
  const names = r.stdout.split("\n").slice(0, -3);
  assert.deepEqual(names, [...names].sort());
  assert.ok(names.includes("vm.swappiness") && names.includes("kernel.osrelease"));
  assert.ok(!names.includes("vm.drop_caches"));
  assert.deepEqual(r.stdout.split("\n").slice(-3), ["vm.page-cluster = 7", "vm.swappiness = 60", ""]);
});

test("sysctl -p reads /etc/sysctl.conf, --system the sysctl.d files in name order (unknown keys passed over), then /etc/sysctl.conf", () => {
  const w = bootWorld("tiny");
  assert.deepEqual(machineShell(w, "sysctl -p"), { code: 0, stdout: "", stderr: "" });
  const vfs = w.stack.machine.vfs;
  vfs.mkdir("/usr/lib/sysctl.d", { parents: true });
  vfs.writeFile("/usr/lib/sysctl.d/50-a.conf", "vm.swappiness = 11\nvm.no_such_key = 1\n");
  vfs.writeFile("/etc/sysctl.d/50-a.conf", "vm.swappiness = 12\n");
  vfs.writeFile("/etc/sysctl.d/60-b.conf", "# a comment\n; another\nnot a setting\nvm.page-cluster=5\n");
  vfs.writeFile("/etc/sysctl.conf", "vm.overcommit_ratio = 77\n");
  const r = machineShell(w, "sysctl --system; sysctl -n vm.swappiness vm.page-cluster vm.overcommit_ratio");
  assert.equal(r.stdout, "* Applying /etc/sysctl.d/50-a.conf ...\n* Applying /etc/sysctl.d/60-b.conf ...\n* Applying /etc/sysctl.conf ...\nvm.swappiness = 12\nvm.page-cluster = 5\nvm.overcommit_ratio = 77\n12\n5\n77\n");
  assert.equal(r.stderr, "sysctl: /etc/sysctl.d/60-b.conf(3): invalid syntax, continuing...\n");
  assert.equal(r.code, 0);
  const p = machineShell(w, "sysctl -p /usr/lib/sysctl.d/50-a.conf");
  assert.equal(p.stdout, "vm.swappiness = 11\n");
  assert.equal(p.stderr, "sysctl: cannot stat /proc/sys/vm/no_such_key: No such file or directory\n");
  assert.equal(p.code, 1);
});
