/**
 * The machine's sysctls through its own shell: vm.drop_caches (write-only,
 * 1..4, the vmstat counters, the message naming the writer until a write
 * with bit 4), /proc/sys listed in name order, and sysctl -p / --system
 * reading the machine's files.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { bootWorld, type World } from "../../src/host/world.js";

function run(w: World, script: string): { out: string; err: string; status: number } {
  let out = "";
  let err = "";
  const dec = new TextDecoder();
  const sink = (add: (s: string) => void) => ({ write: (d: string | Uint8Array) => void add(typeof d === "string" ? d : dec.decode(d)) });
  const sh = w.shell({ stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)) });
  const status = sh.runString(script);
  return { out, err, status };
}

const drops = (w: World): string[] => run(w, "dmesg").out.split("\n").filter((l) => l.includes("drop_caches")).map((l) => l.replace(/^\[[ \d.]+\] /, ""));

test("vm.drop_caches: write-only for root too, 1 to 4 or EINVAL, counts drop_pagecache and drop_slab, logs the writer until bit 4", () => {
  const w = bootWorld("tiny");
  const pid = run(w, "echo $$").out.trim();
  const r = run(w, "echo 3 > /proc/sys/vm/drop_caches; echo $?; cat /proc/sys/vm/drop_caches; echo $?; echo 0 > /proc/sys/vm/drop_caches; echo $?; echo 5 > /proc/sys/vm/drop_caches; echo $?; echo 2 | tee /proc/sys/vm/drop_caches > /dev/null");
  assert.equal(r.out, "0\n1\n1\n1\n");
  assert.equal(r.err, "cat: /proc/sys/vm/drop_caches: Permission denied\nbash: line 1: echo: write error: Invalid argument\nbash: line 1: echo: write error: Invalid argument\n");
  assert.deepEqual(drops(w), [`bash (${pid}): drop_caches: 3`, `tee (${pid}): drop_caches: 2`]);
  w.stack.machine.vfs.writeFile("/root/drop.sh", "#!/bin/bash\necho 1 > /proc/sys/vm/drop_caches\n");
  run(w, "chmod +x drop.sh; ./drop.sh; echo 4 > /proc/sys/vm/drop_caches; echo 1 > /proc/sys/vm/drop_caches");
  const lines = drops(w);
  assert.match(lines[2]!, /^drop\.sh \(\d+\): drop_caches: 1$/);
  assert.notEqual(lines[2], `drop.sh (${pid}): drop_caches: 1`, "a script runs in a process of its own");
  assert.equal(lines[3], `bash (${pid}): drop_caches: 4`);
  assert.equal(lines.length, 4, "no message after a write with bit 4");
  assert.equal(run(w, "grep ^drop_ /proc/vmstat").out, "drop_pagecache 3\ndrop_slab 2\n");
  assert.equal(run(w, "ls -l /proc/sys/vm/drop_caches").out.slice(0, 10), "--w-------");
});

test("/proc/sys lists in name order; sysctl -a shows it so, skipping the write-only drop_caches", () => {
  const w = bootWorld("tiny");
  const r = run(w, "sysctl -a -N; echo 7 > /proc/sys/vm/page-cluster; sysctl vm.page-cluster vm/swappiness");
  assert.equal(r.status, 0, r.err);
  const names = r.out.split("\n").slice(0, -3);
  assert.deepEqual(names, [...names].sort());
  assert.ok(names.includes("vm.swappiness") && names.includes("kernel.osrelease"));
  assert.ok(!names.includes("vm.drop_caches"));
  assert.deepEqual(r.out.split("\n").slice(-3), ["vm.page-cluster = 7", "vm.swappiness = 60", ""]);
});

test("sysctl -p reads /etc/sysctl.conf, --system the sysctl.d files in name order (unknown keys passed over), then /etc/sysctl.conf", () => {
  const w = bootWorld("tiny");
  assert.deepEqual(run(w, "sysctl -p"), { out: "", err: "", status: 0 });
  const vfs = w.stack.machine.vfs;
  vfs.mkdir("/usr/lib/sysctl.d", { parents: true });
  vfs.writeFile("/usr/lib/sysctl.d/50-a.conf", "vm.swappiness = 11\nvm.no_such_key = 1\n");
  vfs.writeFile("/etc/sysctl.d/50-a.conf", "vm.swappiness = 12\n");
  vfs.writeFile("/etc/sysctl.d/60-b.conf", "# a comment\n; another\nnot a setting\nvm.page-cluster=5\n");
  vfs.writeFile("/etc/sysctl.conf", "vm.overcommit_ratio = 77\n");
  const r = run(w, "sysctl --system; sysctl -n vm.swappiness vm.page-cluster vm.overcommit_ratio");
  assert.equal(r.out, "* Applying /etc/sysctl.d/50-a.conf ...\n* Applying /etc/sysctl.d/60-b.conf ...\n* Applying /etc/sysctl.conf ...\nvm.swappiness = 12\nvm.page-cluster = 5\nvm.overcommit_ratio = 77\n12\n5\n77\n");
  assert.equal(r.err, "sysctl: /etc/sysctl.d/60-b.conf(3): invalid syntax, continuing...\n");
  assert.equal(r.status, 0);
  const p = run(w, "sysctl -p /usr/lib/sysctl.d/50-a.conf");
  assert.equal(p.out, "vm.swappiness = 11\n");
  assert.equal(p.err, "sysctl: cannot stat /proc/sys/vm/no_such_key: No such file or directory\n");
  assert.equal(p.status, 1);
});
