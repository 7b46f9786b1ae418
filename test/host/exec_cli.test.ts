/**
 * `iaa exec` end to end, through the machine process: the documentation's
 * set-up and disable scripts, taken from the documentation at test time, and
 * the zswap test sequence run by the host's real bash give the states,
 * statistics, dmesg lines and outputs that `iaa sh` gives on a twin machine.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { binArgs, machineHome, runBin } from "../helpers/cli.js";
import { englishDoc, projectDoc } from "../helpers/repo_root.js";
import { ZSWAP_ON_IAA } from "../helpers/zswap.js";
import { gate } from "./fuse/_harness.js";
import { docScripts, readRst } from "../doc/_rst.js";

/** The project's documentation, else the kernel's English original the tests carry. */
function doc(): string {
  return readRst(projectDoc().path ?? englishDoc());
}

function exec(env: Record<string, string>, cwd: string, argv: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...binArgs("iaa"), "exec", "--", ...argv], { env: { ...process.env, ...env }, cwd, encoding: "utf8", maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The machine state both runs must agree on: the device tree through accel-config, stats, zswap, dmesg without timestamps. */
const STATE = [
  "accel-config list -i",
  "cat /sys/kernel/debug/iaa-crypto/global_stats",
  "grep -r . /sys/module/zswap/parameters/ | sort",
  "grep -E '^(zswpin|zswpout|pswpin|pswpout) ' /proc/vmstat",
  "dmesg | sed 's/^\\[[ 0-9.]*\\] //'",
].join("; ");

const ZSWAP = `set -e
${ZSWAP_ON_IAA}echo 1 > /sys/kernel/debug/iaa-crypto/stats_reset
./memory_madvise 200
cat /sys/kernel/debug/iaa-crypto/global_stats
for f in stored_pages pool_total_size written_back_pages; do echo "$f: $(cat /sys/kernel/debug/zswap/$f)"; done
`;

test("the documentation's scripts and the zswap sequence under the host's bash via iaa exec match iaa sh on a twin machine", (t) => {
  if (!gate(t)) return;
  const { setup, disable } = docScripts(doc());
  const viaSh = machineHome("iaa-sh-");
  const viaExec = machineHome("iaa-ex-");
  const work = mkdtempSync(join(tmpdir(), "iaa-exec-cli-"));
  try {
    for (const h of [viaSh, viaExec]) assert.equal(runBin("iaa", ["boot", "--preset", "spr-1s"], h.env).status, 0);
    const steps: Array<[string, string]> = [
      ["modprobe", "modprobe iaa_crypto\n"],
      ["disable", disable],
      ["setup", setup],
      ["zswap", ZSWAP],
    ];
    for (const [name, script] of steps) {
      const file = join(work, `${name}.sh`);
      mkdirSync(work, { recursive: true });
      writeFileSync(file, script);
      const a = runBin("iaa", ["run", file], viaSh.env);
      const b = exec(viaExec.env, work, ["bash", file]);
      assert.equal(b.status, a.status, `${name}: ${b.stderr}`);
      assert.equal(b.stdout, a.stdout, name);
      // our shell names the script as bash does; the host's bash names its own path
      assert.equal(b.stderr.replaceAll(file, "SCRIPT"), a.stderr.replaceAll(file, "SCRIPT"), name);
      const sa = runBin("iaa", ["sh", "-c", STATE], viaSh.env);
      const sb = runBin("iaa", ["sh", "-c", STATE], viaExec.env);
      assert.equal(sb.stdout, sa.stdout, `state after ${name}`);
    }
  } finally {
    viaSh.done();
    viaExec.done();
    rmSync(work, { recursive: true, force: true });
  }
});

test("real bash via iaa exec: a refused write prints bash's own message and sets $? to 1; the exit status is the program's", (t) => {
  if (!gate(t)) return;
  const h = machineHome();
  const work = mkdtempSync(join(tmpdir(), "iaa-exec-cli-"));
  try {
    runBin("iaa", ["boot", "--preset", "tiny"], h.env);
    const r = exec(h.env, work, ["bash", "-c", "modprobe iaa_crypto; echo 5 > /sys/bus/dsa/devices/iax1/wq1.0/size; echo rc=$?; exit 7"]);
    assert.equal(r.status, 7);
    assert.equal(r.stdout, "rc=1\n");
    assert.equal(r.stderr, "bash: line 1: echo: write error: Operation not permitted\n");
    // a write through the mount is committed like a command: it survives a restart of the machine process
    assert.equal(exec(h.env, work, ["sh", "-c", "echo 23 > /proc/sys/vm/swappiness"]).status, 0);
    runBin("iaa", ["down"], h.env);
    assert.equal(runBin("iaa", ["sh", "-c", "cat /proc/sys/vm/swappiness"], h.env).stdout, "23\n");
  } finally {
    h.done();
    rmSync(work, { recursive: true, force: true });
  }
});

test("iaa exec: accel-config is the host's own where it has one, else the machine's", (t) => {
  if (!gate(t)) return;
  const h = machineHome();
  const work = mkdtempSync(join(tmpdir(), "iaa-exec-cli-"));
  try {
    runBin("iaa", ["boot", "--preset", "tiny"], h.env);
    const host = spawnSync("sh", ["-c", "command -v accel-config"], { encoding: "utf8" });
    const r = exec(h.env, work, ["sh", "-c", "command -v accel-config; accel-config --version; accel-config list | grep -c '\"dev\":\"iax'"]);
    assert.equal(r.status, 0, r.stderr);
    const [path, version, devices] = r.stdout.split("\n");
    if (host.status === 0) assert.equal(path, host.stdout.trim(), "the host's accel-config runs");
    else {
      assert.match(path!, /iaa-exec-/, "a shim of the machine's accel-config");
      assert.equal(version, runBin("iaa", ["accel-config", "--version"], h.env).stdout.trim(), "the machine's accel-config runs");
    }
    assert.equal(devices, "2", "it lists the machine's two IAA devices");
  } finally {
    h.done();
    rmSync(work, { recursive: true, force: true });
  }
});
