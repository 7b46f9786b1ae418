/**
 * The `iaa exec` runner: the namespace's PATH and ./memory_madvise reach the
 * machine's programs through the shim command, the program's writes to its
 * starting directory land in the real directory (and nothing else does), the
 * status and signals are the program's, and the host's /proc stays for processes.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInNamespace, spawnInNamespace } from "../../../src/host/fuse/exec.js";
import { Rig, collect, gate, missingPrereq } from "./_harness.js";

/** A host program that hangs fails its test instead of stopping the run. */
const T = 120_000;
let rig: Rig | undefined;
before(async () => {
  if (missingPrereq() === null) rig = await Rig.start();
});
after(async () => {
  await rig?.stop();
});

test("machine programs come first on PATH and ./memory_madvise works from the starting directory", { timeout: T }, async (t) => {
  if (!gate(t)) return;
  const r = await rig!.bash("modprobe iaa_crypto; ./memory_madvise 1 2 'a b'; lsmod; command -v swapon dmesg free | sed 's,.*/,,'; ls");
  assert.equal(r.stderr, "");
  assert.equal(r.stdout, "machine-program modprobe iaa_crypto\nmachine-program memory_madvise 1 2 a b\nmachine-program lsmod\nswapon\ndmesg\nfree\nmemory_madvise\n");
});

test("what the program writes in its directory lands in the real directory; the shim leaves no trace there", { timeout: T }, async (t) => {
  if (!gate(t)) return;
  const cwd = mkdtempSync(join(tmpdir(), "iaa-exec-cwd-"));
  try {
    const { child } = spawnInNamespace(rig!.dir, ["bash", "-c", "echo data > out.txt; mkdir sub; echo x > sub/f; ls"], { stdio: ["ignore", "pipe", "pipe"], shimCommand: ["true"], cwd });
    const r = await collect(child);
    assert.equal(r.stdout, "memory_madvise\nout.txt\nsub\n");
    assert.deepEqual(readdirSync(cwd).sort(), ["out.txt", "sub"]);
    assert.equal(readFileSync(join(cwd, "out.txt"), "utf8"), "data\n");
    assert.equal(readFileSync(join(cwd, "sub/f"), "utf8"), "x\n");
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

test("the status is the program's, 128+N when signal N ends it; the host's /proc still shows processes", { timeout: T }, async (t) => {
  if (!gate(t)) return;
  assert.equal(await runInNamespace(rig!.dir, ["sh", "-c", "exit 7"], { stdio: "ignore", cwd: rig!.cwd }), 7);
  assert.equal(await runInNamespace(rig!.dir, ["sh", "-c", "kill -TERM $$"], { stdio: "ignore", cwd: rig!.cwd }), 128 + 15);
  assert.equal(await runInNamespace(rig!.dir, ["no-such-program-here"], { stdio: "ignore", cwd: rig!.cwd }), 127);
  const { child, done } = spawnInNamespace(rig!.dir, ["sleep", "30"], { stdio: "ignore", cwd: rig!.cwd });
  child.on("spawn", () => setTimeout(() => child.kill("SIGINT"), 200));
  assert.equal(await done, 128 + 2);
  const r = await rig!.bash("cat /proc/self/comm; head -1 /proc/meminfo");
  assert.equal(r.stdout, `cat\n${rig!.read("/proc/meminfo").split("\n")[0]}\n`);
  assert.ok(!existsSync(join(rig!.cwd, "memory_madvise")));
});
