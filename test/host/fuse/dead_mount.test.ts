/**
 * A machine process killed with its FUSE mount up leaves a dead entry that
 * answers ENOTCONN; clearDeadMount() takes it away (what `iaa exec` does
 * before mounting again), and leaves a live mount or a plain directory alone.
 * One stopped by SIGTERM (an upgrade restarts it so) undoes its mounts first,
 * even a busy one, and exits.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { clearDeadMount } from "../../../src/host/fuse/mount.js";
import { gate } from "./_harness.js";
import { machineHome, runBin } from "../../helpers/cli.js";

const MOUNT_JS = fileURLToPath(new URL("../../../src/host/fuse/mount.js", import.meta.url));
const WORLD_JS = fileURLToPath(new URL("../../../src/host/world.js", import.meta.url));

test("a mount left by a killed process is taken away; a live one and a plain directory are left alone", { timeout: 60_000 }, async (t) => {
  if (!gate(t)) return;
  const dir = mkdtempSync(join(tmpdir(), "iaa-dead-mount-"));
  assert.equal(await clearDeadMount(dir), false, "a plain directory");
  const child = spawn(process.execPath, ["--input-type=module", "-e", `
    const { mountFuse } = await import(${JSON.stringify(MOUNT_JS)});
    const { bootWorld } = await import(${JSON.stringify(WORLD_JS)});
    await mountFuse(bootWorld("tiny").stack.machine.vfs, ${JSON.stringify(dir)});
    console.log("mounted");
  `], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => d.toString().includes("mounted") && resolve());
    child.on("exit", (c) => reject(new Error(`the mounting process ended with ${c}`)));
  });
  assert.ok(readdirSync(dir).includes("sys"), "the mount is live");
  assert.equal(await clearDeadMount(dir), false, "a live mount");
  assert.ok(readdirSync(dir).includes("sys"), "still mounted");
  child.kill("SIGKILL");
  await new Promise((r) => child.once("exit", r));
  assert.throws(() => statSync(dir), /ENOTCONN|ECONNABORTED/);
  assert.equal(await clearDeadMount(dir), true);
  assert.deepEqual(readdirSync(dir), [], "the directory is back, empty");
  assert.equal(await clearDeadMount(dir), false);
  rmdirSync(dir);
});

test("SIGTERM to a machine process with its iaa exec mount held busy: the mount is undone and the process exits", { timeout: 60_000 }, async (t) => {
  if (!gate(t)) return;
  const home = machineHome("iaa-sigterm-mount-");
  try {
    assert.equal(runBin("iaa", ["boot", "--preset", "tiny"], home.env).status, 0);
    const r = runBin("iaa", ["exec", "true"], home.env);
    assert.equal(r.status, 0, r.stderr);
    const mnt = join(home.dir, "mnt");
    const mounted = (): boolean => readFileSync("/proc/self/mountinfo", "utf8").split("\n").some((l) => l.split(" ")[4] === mnt);
    assert.ok(mounted(), "iaa exec left its mount up for the next one");
    // a process whose working directory is inside the mount keeps a lazy unmount's connection alive
    const holder = spawn("sleep", ["60"], { cwd: join(mnt, "sys"), stdio: "ignore" });
    const pid = Number(readFileSync(join(home.dir, "machine.pid"), "utf8").split(/\s/)[0]);
    const t0 = Date.now();
    process.kill(pid, "SIGTERM");
    while (Date.now() - t0 < 30_000) {
      try {
        process.kill(pid, 0);
      } catch {
        break;
      }
      await new Promise((res) => setTimeout(res, 100));
    }
    holder.kill();
    assert.throws(() => process.kill(pid, 0), /ESRCH/, "the machine process is gone");
    assert.ok(Date.now() - t0 < 15_000, `it took ${Date.now() - t0} ms`);
    assert.equal(mounted(), false, "no mount left behind");
    assert.equal(runBin("iaa", ["sh", "-c", "cat /proc/sys/vm/swappiness"], home.env).stdout, "60\n");
  } finally {
    home.done();
  }
});
