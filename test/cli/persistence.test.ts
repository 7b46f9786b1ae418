/**
 * The persistent machine: state kept between separate `iaa` invocations, the
 * accel-config bin on the same machine, concurrent commands that all land,
 * and damaged state reported with its fix.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { SNAPSHOT_FILE_FORMAT } from "../../src/host/snapshot_store.js";
import { machineHome, runBin, runBinAsync } from "../helpers/cli.js";

const home = machineHome;

test("iaa keeps the machine between invocations: a disabled WQ stays disabled", () => {
  const h = home();
  try {
    assert.equal(runBin("iaa", ["boot", "--preset", "tiny"], h.env).status, 0);
    const a = runBin("iaa", ["sh", "-c", "modprobe iaa_crypto && accel-config disable-wq iax1/wq1.0"], h.env);
    assert.equal(a.status, 0, a.stderr);
    assert.equal(a.stderr, "disabled 1 wq(s) out of 1\n");
    const b = runBin("iaa", ["sh", "-c", "cat /sys/bus/dsa/devices/iax1/wq1.0/state"], h.env);
    assert.deepEqual([b.status, b.stdout], [0, "disabled\n"]);
    // the host's accel-config acts on the same machine (disabling cleared the WQ's mode, type and name)
    const n = runBin("iaa", ["accel-config", "config-wq", "--mode=dedicated", "--type=kernel", "--priority=10", "--name=iaa_crypto", "iax1/wq1.0"], h.env);
    assert.equal(n.status, 0, n.stderr);
    const c = runBin("iaa", ["accel-config", "enable-wq", "iax1/wq1.0"], h.env);
    assert.equal(c.status, 0, c.stderr);
    assert.equal(c.stderr, "enabled 1 wq(s) out of 1\n");
    const d = runBin("iaa", ["sh", "-c", "cat /sys/bus/dsa/devices/iax1/wq1.0/state; lsmod | grep -c '^iaa_crypto'"], h.env);
    assert.equal(d.stdout, "enabled\n1\n");
    // reboot forgets everything but the boot settings
    assert.equal(runBin("iaa", ["reboot"], h.env).status, 0);
    const e = runBin("iaa", ["sh", "-c", "lsmod | grep -c '^iaa_crypto'; nproc"], h.env);
    assert.equal(e.stdout, "0\n8\n");
  } finally {
    h.done();
  }
});

test("a refused sysfs write shows bash's message and status, and the command line goes on", () => {
  const h = home();
  try {
    runBin("iaa", ["boot", "--preset", "tiny"], h.env);
    const r = runBin("iaa", ["sh", "-c", "echo 5 > /sys/bus/dsa/devices/iax1/wq1.0/size; echo rc=$?"], h.env);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, "rc=1\n");
    assert.equal(r.stderr, "bash: line 1: echo: write error: Operation not permitted\n");
  } finally {
    h.done();
  }
});

test("20 concurrent accel-config config-wq commands on different WQs are all applied", async () => {
  const h = home();
  try {
    runBin("iaa", ["boot", "--preset", "spr-1s"], h.env);
    // iax1's WQs 1..7 and iax3's WQs 1..7 and iax5's 1..6: 20 WQs of disabled... devices must be disabled to set size
    runBin("iaa", ["sh", "-c", "for d in 1 3 5; do accel-config disable-device iax$d; done"], h.env);
    const targets: string[] = [];
    for (const d of [1, 3, 5]) for (let q = 0; q < 8 && targets.length < 20; q++) targets.push(`iax${d}/wq${d}.${q}`);
    const runs = await Promise.all(targets.map((t, i) => runBinAsync("iaa", ["accel-config", "config-wq", t, "--wq-size=4", `--priority=${(i % 15) + 1}`, "--mode=dedicated"], h.env)));
    for (const r of runs) assert.equal(r.status, 0, r.stderr);
    const check = runBin("iaa", ["sh", "-c", targets.map((t) => `cat /sys/bus/dsa/devices/${t.split("/")[1]}/priority`).join("; ")], h.env);
    assert.deepEqual(check.stdout.trim().split("\n").map(Number), targets.map((_, i) => (i % 15) + 1));
  } finally {
    h.done();
  }
});

test("a damaged or foreign snapshot gives one line naming the fix, never a stack trace", () => {
  const h = home();
  try {
    const none = runBin("iaa", ["sh", "-c", "true"], h.env);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /^iaa: no machine in .*; run `iaa boot` first\n$/);
    runBin("iaa", ["boot", "--preset", "tiny"], h.env);
    const file = join(h.dir, "machine.snap");
    const raw = readFileSync(file);
    const nl = raw.indexOf(0x0a);
    const cases: Array<[Buffer, RegExp]> = [
      [Buffer.concat([raw.subarray(0, nl + 1), Buffer.from(raw.subarray(nl + 1)).fill(0x41, 0, 1)]), /damaged \(checksum mismatch\); run `iaa boot` to start over\n$/],
      [raw.subarray(0, nl + 1 + Math.floor((raw.length - nl) / 2)), /damaged \(truncated: \d+ of \d+ bytes\); run `iaa boot` to start over\n$/],
      [Buffer.from("garbage"), /damaged \(no header\); run `iaa boot` to start over\n$/],
      [Buffer.concat([Buffer.from(raw.subarray(0, nl).toString().replace(`"format":${SNAPSHOT_FILE_FORMAT}`, '"format":2')), raw.subarray(nl)]), new RegExp(`machine\\.snap was written by another build of iaa-emu \\(snapshot format 2; this build reads format ${SNAPSHOT_FILE_FORMAT} only\\); run \`iaa boot\` to start a new machine\n$`)],
    ];
    for (const [bytes, message] of cases) {
      assert.equal(runBin("iaa", ["down"], h.env).status, 0);
      writeFileSync(file, bytes);
      const r = runBin("iaa", ["sh", "-c", "true"], h.env);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /^iaa: /);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n.+/);
    }
    assert.equal(runBin("iaa", ["boot", "--preset", "tiny"], h.env).status, 0);
    assert.equal(runBin("iaa", ["status"], h.env).status, 0);
  } finally {
    h.done();
  }
});

test("a machine process killed mid-commit leaves the last committed state: its stale pid file, socket and temp file are ignored", () => {
  const h = home();
  try {
    runBin("iaa", ["boot", "--preset", "tiny"], h.env);
    runBin("iaa", ["sh", "-c", "echo 77 > /proc/sys/vm/swappiness"], h.env);
    runBin("iaa", ["down"], h.env);
    // a process that died owning the directory, halfway through writing its snapshot
    writeFileSync(join(h.dir, "machine.pid"), `999999999 ${hostname()}\n`);
    writeFileSync(join(h.dir, "machine.snap.tmp-999999999"), `{"format":${SNAPSHOT_FILE_FORMAT},"bytes":99`);
    writeFileSync(join(h.dir, "machine.sock"), "");
    const r = runBin("iaa", ["sh", "-c", "cat /proc/sys/vm/swappiness"], h.env);
    assert.deepEqual([r.status, r.stdout, r.stderr], [0, "77\n", ""]);
  } finally {
    h.done();
  }
});

test("iaa sh reads lines interactively: variables and cwd carry from line to line, each line lands in the machine", () => {
  const h = home();
  try {
    runBin("iaa", ["boot", "--preset", "tiny"], h.env);
    const r = runBin("iaa", ["sh"], h.env, "x=5\ncd /sys/bus/dsa\necho $x $(pwd)\nfor i in 1 2; do\necho $i\ndone\necho 9 > /proc/sys/vm/page-cluster\nexit 3\n");
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stdout, /5 \/sys\/bus\/dsa\n/);
    assert.match(r.stdout, /1\n2\n/);
    const after = runBin("iaa", ["sh", "-c", "cat /proc/sys/vm/page-cluster"], h.env);
    assert.equal(after.stdout, "9\n");
  } finally {
    h.done();
  }
});
