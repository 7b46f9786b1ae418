/**
 * The host's real sysctl (Debian's procps-ng 4.0.2) over the machine's
 * /proc/sys in the `iaa exec` namespace, and the machine's own sysctl on a
 * twin machine, run the same script of reads, writes, errors, listings and
 * -p files: every line of output, every message and every status alike.
 * The namespace's /proc/sys is the machine's alone: a key only the host has
 * is not found, and a write reaches the machine, never the host.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Rig, gate, missingPrereq } from "./_harness.js";

const T = 120_000;
const prereq = ["sysctl"];
let real: Rig | undefined;
let ours: Rig | undefined;

before(async () => {
  if (missingPrereq(prereq) !== null) return;
  real = await Rig.start("tiny");
  ours = await Rig.start("tiny");
});
after(async () => {
  await real?.stop();
  await ours?.stop();
});

const CASES = [
  "vm.swappiness", "-n vm.swappiness", "-N vm.swappiness", "vm/swappiness", "vm.swappiness=10", "-w vm.swappiness=20",
  "-q -w vm.swappiness=30", "-w vm.swappiness", "vm.nosuch", "-e vm.nosuch", "-w vm.nosuch=1", "-e -w vm.nosuch=1",
  "-w vm.swappiness=abc", "-w vm.swappiness=300", "'vm.swappiness= 40 '", "vm.swappiness vm.page-cluster", "vm", "-n vm",
  "kernel", "-a", "-a -N", "-a -n", "-A", "-X", "-x", "-w vm.drop_caches=3", "vm.drop_caches", "-n vm.drop_caches",
  "'vm.swappiness = 50'", "vm.swappiness=", "=5", ".vm.swappiness", "vm..swappiness", "-p $D/a.conf", "-q -p $D/a.conf",
  "-p $D/nosuchfile", "-w -p $D/a.conf", "-p$D/b.conf", "-f $D/b.conf", "-p $D/c.conf", "--values vm.swappiness",
  "-a -r over", "-a -r '['", "-r swap", "--pattern swap -a", "-N -n vm.swappiness", "vm.swappiness -n",
  "-e vm.nosuch vm.swappiness", "vm.swappiness=1 vm.nosuch=3 vm.page-cluster=4", "-w 'vm.swappiness=2 3'",
  "-w kernel.osrelease=x", "kernel.tainted=1", "-n kernel.tainted", "-b vm.swappiness", "--dry-run vm.swappiness=33",
  "vm.swappiness", "-Z", "--nosuch", "-h", "-V", "",
];

/** The script: conf files made in $D, then each case's stdout, its stderr marked, its status. */
function script(dir: string): string {
  return [
    `D=${dir}`,
    "mkdir -p $D",
    "printf 'vm.swappiness = 61\\n# comment\\n; c2\\n\\nvm.page-cluster=2\\n-vm.nosuch = 1\\nvm.nosuch2 = 3\\n  vm.overcommit_ratio  =  51  \\n' > $D/a.conf",
    "printf 'vm.nosuch = 1\\n' > $D/b.conf",
    "printf 'bad line here\\nvm.swappiness\\n' > $D/c.conf",
    `t() { echo "## sysctl $*"; sysctl "$@" 2>$D/err; echo "rc=$?"; while IFS= read -r l; do echo "ERR: $l"; done < $D/err; }`,
    ...CASES.map((c) => `t ${c}`),
    "rm -rf $D",
  ].join("\n");
}

test("real sysctl over the machine's /proc/sys and the machine's sysctl print the same, case by case", { timeout: T }, async (t) => {
  if (!gate(t, prereq)) return;
  assert.ok(real !== undefined && ours !== undefined, "the FUSE mounts did not start");
  const dir = `/tmp/iaa-sysctl-${process.pid}`;
  const host = await real.bash(script(dir));
  const mine = ours.machine(script(dir));
  assert.equal(host.stderr, "");
  assert.equal(host.code, 0);
  const h = host.stdout.split("\n## ");
  const m = mine.stdout.split("\n## ");
  assert.equal(h.length, CASES.length, host.stdout.slice(0, 400));
  for (let i = 0; i < h.length; i++) assert.equal(m[i], h[i], `case ${i}`);
  assert.equal(mine.stdout, host.stdout);
  assert.equal(real.read("/proc/sys/vm/swappiness"), ours.read("/proc/sys/vm/swappiness"));
});

test("in the namespace /proc/sys is the machine's alone: the host's keys are not found and never written", { timeout: T }, async (t) => {
  if (!gate(t, prereq)) return;
  assert.ok(real !== undefined);
  const hostDirty = readFileSync("/proc/sys/vm/dirty_ratio", "utf8");
  const r = await real.bash("sysctl vm.dirty_ratio; echo rc=$?; echo 5 > /proc/sys/vm/dirty_ratio; echo rc=$?; echo 33 > /proc/sys/vm/swappiness; ls /proc/sys/vm");
  assert.equal(r.stdout, "rc=1\nrc=1\ndrop_caches\novercommit_memory\novercommit_ratio\npage-cluster\nswappiness\n");
  assert.match(r.stderr, /^sysctl: cannot stat \/proc\/sys\/vm\/dirty_ratio: No such file or directory\nbash: line 1: \/proc\/sys\/vm\/dirty_ratio: (No such file or directory|Permission denied)\n$/);
  assert.equal(readFileSync("/proc/sys/vm/dirty_ratio", "utf8"), hostDirty, "the host's vm.dirty_ratio is untouched");
  assert.equal(real.read("/proc/sys/vm/swappiness"), "33\n");
});
