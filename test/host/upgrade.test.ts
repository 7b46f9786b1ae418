/**
 * A client of one build that finds the machine process of another (after
 * `git pull && npm run build`) never talks to it: it stops it cleanly,
 * starts its own from the last committed snapshot, and says so in one line;
 * a snapshot the new build cannot read gets one line naming the file and
 * `iaa boot`.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import test from "node:test";
import { deserialize, serialize } from "node:v8";
import { pidAlive } from "../../src/host/pidfile.js";
import { SNAPSHOT_FILE_FORMAT } from "../../src/host/snapshot_store.js";
import { machineHome, runBin } from "../helpers/cli.js";

const pidOf = (dir: string): number => Number(readFileSync(join(dir, "machine.pid"), "utf8").split(" ")[0]);
const RESTART = /^iaa: the machine process \(pid (\d+)\) is another build of iaa-emu \(([^;]+); this is (\S+)\); restarting it from its last committed snapshot\n/;

test("a machine process of another build is restarted from the last committed snapshot, with one line", () => {
  const h = machineHome();
  try {
    assert.equal(runBin("iaa", ["boot", "--preset", "tiny"], h.env).status, 0);
    assert.equal(runBin("iaa", ["sh", "-c", "echo 37 > /proc/sys/vm/swappiness; modprobe iaa_crypto"], h.env).status, 0);
    const dmesg = runBin("iaa", ["sh", "-c", "dmesg"], h.env).stdout;
    const [ownPid, ownBuild] = readFileSync(join(h.dir, "machine.build"), "utf8").trim().split(" ");
    assert.equal(Number(ownPid), pidOf(h.dir));
    // the same build: no word about it
    const same = runBin("iaa", ["sh", "-c", "true"], h.env);
    assert.deepEqual([same.status, same.stderr], [0, ""]);
    for (const other of ["another", "older"] as const) {
      const old = pidOf(h.dir);
      if (other === "another") writeFileSync(join(h.dir, "machine.build"), `${old} 0.0.9+0123456789abcdef\n`);
      else unlinkSync(join(h.dir, "machine.build")); // a build from before build ids writes none
      const r = runBin("iaa", ["sh", "-c", "cat /proc/sys/vm/swappiness"], h.env);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, "37\n");
      const m = RESTART.exec(r.stderr);
      assert.ok(m !== null, r.stderr);
      assert.equal(r.stderr, m[0], "one line");
      assert.deepEqual([Number(m[1]), m[2], m[3]], [old, other === "another" ? "0.0.9+0123456789abcdef" : "an older build", ownBuild]);
      assert.equal(pidAlive(old), false, "the old process is gone");
      assert.notEqual(pidOf(h.dir), old);
      assert.equal(readFileSync(join(h.dir, "machine.build"), "utf8"), `${pidOf(h.dir)} ${ownBuild}\n`);
      assert.equal(runBin("iaa", ["sh", "-c", "dmesg"], h.env).stdout, dmesg);
    }
    // iaa down against another build stops it without a word to it
    const old = pidOf(h.dir);
    writeFileSync(join(h.dir, "machine.build"), `${old} 0.0.9+0123456789abcdef\n`);
    const d = runBin("iaa", ["down"], h.env);
    assert.equal(d.status, 0);
    assert.match(d.stderr, new RegExp(`^iaa: the machine process \\(pid ${old}\\) is another build of iaa-emu \\(0\\.0\\.9\\+0123456789abcdef; this is \\S+\\); stopping it\niaa: stopped the machine process for \\S+\n$`));
    assert.equal(pidAlive(old), false);
    assert.equal(runBin("iaa", ["sh", "-c", "cat /proc/sys/vm/swappiness"], h.env).stdout, "37\n");
  } finally {
    h.done();
  }
});

test("after the restart, a snapshot the new build cannot read: one line naming the file and iaa boot", () => {
  const h = machineHome();
  try {
    assert.equal(runBin("iaa", ["boot", "--preset", "tiny"], h.env).status, 0);
    const snap = join(h.dir, "machine.snap");
    // the old build's snapshot, in a file format this build does not read
    const raw = readFileSync(snap);
    const nl = raw.indexOf(0x0a);
    writeFileSync(snap, Buffer.concat([Buffer.from(raw.subarray(0, nl).toString().replace(`"format":${SNAPSHOT_FILE_FORMAT}`, `"format":${SNAPSHOT_FILE_FORMAT + 1}`)), raw.subarray(nl)]));
    writeFileSync(join(h.dir, "machine.build"), `${pidOf(h.dir)} 9.9.9+fedcba9876543210\n`);
    const r = runBin("iaa", ["sh", "-c", "true"], h.env);
    assert.equal(r.status, 1);
    const lines = r.stderr.split("\n");
    assert.equal(lines.length, 3, r.stderr);
    assert.match(lines[0]!, /^iaa: the machine process \(pid \d+\) is another build of iaa-emu \(9\.9\.9\+fedcba9876543210; /);
    assert.equal(lines[1], `iaa: the machine state ${snap} was written by another build of iaa-emu (snapshot format ${SNAPSHOT_FILE_FORMAT + 1}; this build reads format ${SNAPSHOT_FILE_FORMAT} only); run \`iaa boot\` to start a new machine`);
    // nothing was reset behind the user's back: the file is as it was until `iaa boot`
    assert.match(readFileSync(snap).subarray(0, 40).toString(), new RegExp(`"format":${SNAPSHOT_FILE_FORMAT + 1}`));
    assert.equal(runBin("iaa", ["boot", "--preset", "tiny"], h.env).status, 0);
    assert.equal(runBin("iaa", ["sh", "-c", "cat /sys/bus/dsa/devices/iax1/state"], h.env).stdout, "enabled\n");
  } finally {
    h.done();
  }
});

test("a snapshot whose object graph another build wrote in classes this build lacks: its configuration is carried over, and one line says what was not", () => {
  const h = machineHome();
  try {
    assert.equal(runBin("iaa", ["boot", "--preset", "tiny"], h.env).status, 0);
    assert.equal(runBin("iaa", ["sh", "-c", "modprobe iaa_crypto; accel-config disable-wq iax1/wq1.0; echo 36 > /proc/sys/vm/swappiness"], h.env).status, 0);
    const dmesg = runBin("iaa", ["sh", "-c", "dmesg"], h.env).stdout;
    runBin("iaa", ["down"], h.env);
    // what another build would have written: the same structure, a graph naming a class this build does not have
    const snap = join(h.dir, "machine.snap");
    const raw = readFileSync(snap);
    const nl = raw.indexOf(0x0a);
    const env = deserialize(raw.subarray(nl + 1)) as { build: string; stack: { graph: { classes: string[] } } };
    env.build = "0.0.9+0123456789abcdef";
    env.stack.graph.classes[0] = "MmV2(pageTables)";
    const body = serialize(env);
    const head = JSON.parse(raw.subarray(0, nl).toString()) as { bytes: number; sha256: string };
    head.bytes = body.length;
    head.sha256 = createHash("sha256").update(body).digest("hex");
    writeFileSync(snap, Buffer.concat([Buffer.from(`${JSON.stringify(head)}\n`), body]));
    const r = runBin("iaa", ["sh", "-c", "cat /proc/sys/vm/swappiness /sys/bus/dsa/devices/iax1/wq1.0/state /sys/bus/dsa/devices/iax3/wq3.0/state"], h.env);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "36\ndisabled\nenabled\n");
    assert.equal(r.stderr, "iaa: the machine snapshot was written by another build of iaa-emu (0.0.9+0123456789abcdef); its modules, devices and WQs, swap devices, zswap parameters, sysctls and log were carried over, its statistics, swapped-out data and files were not\n");
    assert.equal(runBin("iaa", ["sh", "-c", "dmesg"], h.env).stdout, dmesg);
    // said once; the machine is this build's from now on
    const again = runBin("iaa", ["sh", "-c", "true"], h.env);
    assert.deepEqual([again.status, again.stderr], [0, ""]);
    runBin("iaa", ["down"], h.env);
    assert.equal(runBin("iaa", ["sh", "-c", "cat /proc/sys/vm/swappiness"], h.env).stderr, "");
  } finally {
    h.done();
  }
});
