/**
 * What the machine process commits: a command that changes no large part
 * (a `cat` of sysfs) rewrites only machine.snap, and a machine killed after
 * it comes back as it was; a printk ring the machine changed comes back byte
 * for byte after a restart.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import test from "node:test";
import { machineHome, runBin } from "../helpers/cli.js";

const DEBUG_ZSWAP = [
  "modprobe iaa_crypto",
  "echo -n 'module iaa_crypto +p' > /sys/kernel/debug/dynamic_debug/control",
  "echo deflate-iaa > /sys/module/zswap/parameters/compressor",
  "echo 1 > /sys/module/zswap/parameters/enabled",
].join("; ");

function sh(env: Record<string, string>, text: string): string {
  const r = runBin("iaa", ["sh", "-c", text], env);
  assert.equal(r.status, 0, `${text}: ${r.stderr}`);
  assert.equal(r.stderr, "");
  return r.stdout;
}

/** The part files and their inodes. */
function partFiles(dir: string): Map<string, number> {
  return new Map(readdirSync(dir).filter((n) => n.startsWith("machine.part-")).map((n) => [n, statSync(join(dir, n)).ino]));
}

test("a cat of sysfs rewrites machine.snap only; SIGKILL after it loses nothing", () => {
  const h = machineHome();
  try {
    assert.equal(runBin("iaa", ["boot", "--preset", "tiny"], h.env).status, 0);
    sh(h.env, `${DEBUG_ZSWAP}; echo 45 > /proc/sys/vm/swappiness; cd /root && ./memory_madvise 300 > /dev/null`);
    const dmesg = sh(h.env, "dmesg");
    const parts = partFiles(h.dir);
    assert.equal(parts.size, 2, [...parts.keys()].join(" "));
    const snapIno = statSync(join(h.dir, "machine.snap")).ino;
    assert.equal(sh(h.env, "cat /sys/bus/dsa/devices/iax1/state"), "enabled\n");
    assert.deepEqual(partFiles(h.dir), parts, "the page frames and the printk ring were not written again");
    assert.notEqual(statSync(join(h.dir, "machine.snap")).ino, snapIno, "the commit itself happened");
    process.kill(Number(readFileSync(join(h.dir, "machine.pid"), "utf8").split(" ")[0]), "SIGKILL");
    assert.equal(sh(h.env, "cat /proc/sys/vm/swappiness"), "45\n");
    assert.equal(sh(h.env, "dmesg"), dmesg);
  } finally {
    h.done();
  }
});

test("a printk ring the machine changed survives iaa down; iaa up byte for byte", () => {
  const h = machineHome();
  try {
    assert.equal(runBin("iaa", ["boot", "--preset", "tiny"], h.env).status, 0);
    const booted = partFiles(h.dir);
    // enough debug messages to wrap the 256 KiB ring (texts beyond Latin-1: src/lib/printk.test.ts)
    sh(h.env, `${DEBUG_ZSWAP}; cd /root && ./memory_madvise 3000 > /dev/null`);
    const before = sh(h.env, "dmesg");
    assert.ok(!before.includes("Linux version"), "the ring wrapped");
    assert.notDeepEqual(partFiles(h.dir), booted);
    assert.equal(runBin("iaa", ["down"], h.env).status, 0);
    assert.equal(runBin("iaa", ["up"], h.env).status, 0);
    const after = sh(h.env, "dmesg");
    assert.equal(Buffer.compare(Buffer.from(after), Buffer.from(before)), 0);
    // and it goes on from there: the next message follows the restored ones
    sh(h.env, "cd /root && ./memory_madvise 10 > /dev/null");
    const next = sh(h.env, "dmesg").split("\n");
    const last = after.split("\n").at(-2)!;
    assert.ok(next.indexOf(last) > 0 && next.indexOf(last) < next.length - 2, "new messages follow the restored ones");
  } finally {
    h.done();
  }
});
