/**
 * The documentation's set-up and disable scripts (read from iaa-crypto.rst at
 * test time) run by the host's bash in the exec namespace, the machine's
 * programs reached through their shims, Intel's accel-config doing the
 * configuration: the same output, status and device states as the machine's
 * own shell gives on a second machine.
 */
import { englishDoc, projectDoc } from "../../helpers/repo_root.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bootWorld } from "../../../src/host/world.js";
import { spawnInNamespace } from "../../../src/host/fuse/exec.js";
import { docScripts, readRst } from "../../doc/_rst.js";
import { Rig, collect, gate, machineShell } from "./_harness.js";
import { startProgServer } from "./_prog_server.js";

/** A host program that hangs fails its test instead of stopping the run. */
const T = 300_000;

function states(vfs: { readdir(p: string): string[]; readText(p: string): string }): string[] {
  const D = "/sys/bus/dsa/devices";
  return vfs.readdir(D).filter((n) => /^(iax|wq)/.test(n)).map((n) => `${n} ${vfs.readText(`${D}/${n}/state`).trimEnd()}`);
}

test("the documentation's set-up and disable scripts through the host's bash equal the machine shell's", { timeout: T }, async (t) => {
  if (!gate(t, ["accel-config"])) return;
  const { setup, disable } = docScripts(readRst(projectDoc().path ?? englishDoc()));
  const rig = await Rig.start("spr-2s");
  const scratch = mkdtempSync(join(tmpdir(), "iaa-doc-"));
  const progs = await startProgServer(scratch, (s) => rig.machine(s));
  const twin = bootWorld("spr-2s");
  try {
    for (const [name, script] of [["setup.sh", setup], ["disable.sh", disable]] as const) {
      writeFileSync(join(rig.cwd, name), script);
      const { child } = spawnInNamespace(rig.dir, ["bash", `./${name}`], { stdio: ["ignore", "pipe", "pipe"], shimCommand: progs.shim, cwd: rig.cwd });
      const host = await collect(child);
      const own = machineShell(twin, `bash -c ${"'" + script.replace(/'/g, `'\\''`) + "'"}`);
      assert.equal(host.code, 0, host.stderr);
      assert.equal(host.stdout, own.stdout, name);
      assert.deepEqual(states(rig.world.stack.machine.vfs), states(twin.stack.machine.vfs), name);
      const wq = rig.world.stack.machine.vfs.readText("/sys/bus/dsa/devices/wq1.0/state");
      assert.equal(wq, name === "setup.sh" ? "enabled\n" : "disabled\n", `${name} left wq1.0`);
    }
  } finally {
    await progs.close();
    await rig.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
});

test("a reader of /proc/vmstat during a long memory_madvise: every read whole, the counts only grow, the pages all back", { timeout: T }, async (t) => {
  if (!gate(t)) return;
  const rig = await Rig.start("tiny");
  const scratch = mkdtempSync(join(tmpdir(), "iaa-madv-"));
  const progs = await startProgServer(scratch, (s) => rig.machine(`LANG=en_US.UTF-8 ${s}`));
  try {
    const before = rig.read("/proc/vmstat");
    const fields = before.trimEnd().split("\n").length;
    const { child } = spawnInNamespace(rig.dir, ["bash", "-c", "./memory_madvise 4000 & p=$!; while kill -0 $p 2>/dev/null; do cat /proc/vmstat; echo --; done; wait $p; s=$?; cat /proc/vmstat; exit $s"], {
      stdio: ["ignore", "pipe", "pipe"],
      shimCommand: progs.shim,
      cwd: rig.cwd,
    });
    const r = await collect(child);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Swapped out and in 4000 pages$/m);
    assert.doesNotMatch(r.stdout, /Wrong data/);
    const dumps = r.stdout.split("--\n").map((d) => d.split("\n").filter((l) => /^[a-z_]+ \d+$/.test(l)));
    const whole = dumps.filter((d) => d.length > 0);
    assert.ok(whole.length >= 2, `${whole.length} reads`);
    let last = 0;
    for (const d of whole) {
      assert.equal(d.length, fields, "a whole /proc/vmstat each time");
      const pswpout = Number(d.find((l) => l.startsWith("pswpout ") || l.startsWith("zswpout "))?.split(" ")[1] ?? "0");
      assert.ok(pswpout >= last, "counters never go back");
      last = pswpout;
    }
    assert.ok(last > 0, "the pages went out");
    assert.notDeepEqual(whole[0], whole[whole.length - 1], "read before and after the program");
    assert.deepEqual(whole[whole.length - 1], rig.read("/proc/vmstat").trimEnd().split("\n"));
  } finally {
    await progs.close();
    await rig.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
});
