/**
 * A machine process killed with its FUSE mount up leaves a dead entry that
 * answers ENOTCONN; clearDeadMount() takes it away (what `iaa exec` does
 * before mounting again), and leaves a live mount or a plain directory alone.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { clearDeadMount } from "../../../src/host/fuse/mount.js";
import { gate } from "./_harness.js";

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
