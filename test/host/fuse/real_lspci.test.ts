/**
 * The host's real lspci (Debian's pciutils 3.9) reading the emulated machine's
 * /sys through the `iaa exec` namespace prints, for every IAA and DSA
 * function, byte for byte what the machine's own lspci prints: -vvv, -v, -x,
 * -xxx, -xxxx, -k, -nn and -vvv -nn, with the driver bound and after
 * `rmmod idxd`.
 *
 * Real lspci is run as `/usr/bin/lspci -A linux-sysfs -O hwdb.disable=1`: the
 * sysfs access method is the one the machine serves, and names come from
 * pci.ids alone (not from a udev hwdb the host may or may not have). Its
 * "Kernel modules:" line comes from libkmod reading the host's
 * /lib/modules/$(uname -r), which `iaa exec` does not replace: the line is
 * compared only when the host has one; ours must say idxd.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { Rig, gate, missingPrereq } from "./_harness.js";

const LSPCI = "/usr/bin/lspci";
const T = 120_000;
let rig: Rig | undefined;
const prereq = ["lspci"];

before(async () => {
  if (missingPrereq(prereq) === null && existsSync(LSPCI)) rig = await Rig.start("tiny");
});
after(async () => {
  await rig?.stop();
});

const MODULES = /^\tKernel modules: .*\n/gm;

async function compare(args: string[]): Promise<void> {
  const host = await rig!.exec([LSPCI, "-A", "linux-sysfs", "-O", "hwdb.disable=1", ...args]);
  const ours = rig!.machine(`lspci ${args.join(" ")}`);
  assert.equal(host.code, 0, `lspci ${args.join(" ")}: ${host.stderr}`);
  assert.equal(ours.code, 0, ours.stderr);
  assert.ok(ours.stdout.length > 0);
  // a host without /lib/modules for its kernel: libkmod finds no index, lspci says so on stderr and prints no line
  const hostModules = host.stdout.match(MODULES);
  const expected = hostModules === null ? ours.stdout.replace(MODULES, "") : ours.stdout;
  assert.equal(host.stdout, expected, `lspci ${args.join(" ")}`);
  if (args.some((a) => /^-.*[kv]/.test(a)) && ours.stdout.includes("Kernel driver in use: idxd")) assert.match(ours.stdout, /^\tKernel modules: idxd$/m);
  const stderr = host.stderr.replace(/^lspci: Unable to load libkmod resources: error -\d+\n/gm, "");
  assert.equal(stderr, "", `lspci ${args.join(" ")} stderr`);
}

const FILTERS = [["-d", "8086:0cfe"], ["-d", "8086:0b25"], []];
const MODES = [["-vvv"], ["-vv"], ["-v"], ["-x"], ["-xxx"], ["-xxxx"], ["-k"], ["-nn"], ["-vvv", "-nn"], ["-n", "-v"], ["-vvvxxx"]];

test("real lspci over the machine's sysfs prints what the machine's lspci prints (idxd bound)", { timeout: T }, async (t) => {
  if (!gate(t, prereq)) return;
  assert.ok(rig !== undefined, `${LSPCI} missing`);
  for (const f of FILTERS) for (const m of MODES) await compare([...m, ...f]);
});

test("…and with idxd unloaded (no driver, bus mastering and MSI-X off)", { timeout: T }, async (t) => {
  if (!gate(t, prereq)) return;
  assert.ok(rig !== undefined, `${LSPCI} missing`);
  const r = rig.machine("rmmod iaa_crypto 2>/dev/null; rmmod idxd; lspci -vv -d :0cfe | grep -c 'BusMaster-'");
  assert.equal(r.stdout.trim().split("\n").pop(), String(rig.world.stack.machine.pci.filter((p) => p.device === 0x0cfe).length), r.stderr);
  for (const m of [["-vvv"], ["-v"], ["-k"], ["-xxx"]]) await compare([...m, "-d", "8086:0cfe"]);
  rig.machine("modprobe idxd");
});
