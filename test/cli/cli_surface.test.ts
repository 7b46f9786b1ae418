/**
 * The `iaa` command's surface: help and version, every boot option listed,
 * and no host bin that takes the name of a real system tool.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { machineHome, runBin } from "../helpers/cli.js";
import { repoRoot } from "../helpers/repo_root.js";

const pkg = JSON.parse(readFileSync(join(repoRoot(), "package.json"), "utf8")) as { version: string; bin: Record<string, string> };

test("no bin installed on the host takes a real tool's name (accel-config is `iaa accel-config` or iaa-accel-config)", () => {
  const real = ["accel-config", "modprobe", "rmmod", "lsmod", "insmod", "swapon", "swapoff", "dmesg", "lspci", "free", "zcat", "bash", "sh"];
  for (const name of Object.keys(pkg.bin)) assert.ok(!real.includes(name), name);
  assert.ok(Object.keys(pkg.bin).every((n) => n === "iaa" || n.startsWith("iaa-")));
});

test("iaa --version, --help listing every boot option, and --help of every command exit 0", () => {
  const v = runBin("iaa", ["--version"], {});
  assert.deepEqual([v.status, v.stdout], [0, `iaa-emu ${pkg.version}\n`]);
  const help = runBin("iaa", ["--help"], {});
  assert.equal(help.status, 0);
  const boot = runBin("iaa", ["boot", "--help"], {});
  assert.equal(boot.status, 0);
  for (const opt of boot.stdout.match(/--[a-z-]+/g) ?? []) assert.ok(help.stdout.includes(opt), `iaa --help lacks ${opt}`);
  // the environment variables a user sets (the shims' IAA_EMU_NODE/IAA_EMU_CLI are internal)
  for (const v of ["IAA_EMU_HOME", "IAA_EMU_THREADS"]) assert.match(help.stdout, new RegExp(`^  ${v} `, "m"), `iaa --help lacks ${v}`);
  for (const cmd of ["boot", "reboot", "up", "down", "status", "sh", "run"]) {
    const r = runBin("iaa", [cmd, "--help"], {});
    assert.equal(r.status, 0, `${cmd} --help: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^usage: iaa ${cmd}`));
  }
});

test("iaa boot over an existing machine says that it replaced it", () => {
  const h = machineHome();
  try {
    const first = runBin("iaa", ["boot", "--preset", "tiny"], h.env);
    assert.equal(first.status, 0);
    assert.doesNotMatch(first.stderr, /replaced/);
    const second = runBin("iaa", ["boot", "--preset", "tiny"], h.env);
    assert.equal(second.status, 0);
    assert.match(second.stderr, /^iaa: booted tiny \(8 CPUs, 2 IAA, IOMMU scalable\) in .* \(it replaced the machine that was there\)\n$/);
  } finally {
    h.done();
  }
});
