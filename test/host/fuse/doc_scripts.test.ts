/**
 * The documentation's set-up and disable scripts (read from iaa-crypto.rst at
 * test time) run by the host's bash in the exec namespace, the machine's
 * programs reached through their shims, Intel's accel-config doing the
 * configuration: the same output, status and device states as the machine's
 * own shell gives on a second machine.
 */
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
  const { setup, disable } = docScripts(readRst());
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
