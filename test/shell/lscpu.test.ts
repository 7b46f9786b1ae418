/**
 * The machine's lscpu against the host's (util-linux), differentially: the
 * machine's /sys/devices/system/{cpu,node} and /proc/cpuinfo are copied into
 * a host directory, the host's lscpu reads them there (`lscpu -s DIR`), and
 * the machine's lscpu reads its own; output, error text and status must be
 * equal, on several topologies. Terminal output (the tree, wrapped at 80
 * columns) is compared through `script`, which gives the host's lscpu a pty.
 * Needs the host's lscpu 2.38 (util-linux): skipped without it (a failure
 * under CI=true).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bootWorld, type World } from "../../src/host/world.js";
import type { MachineConfigInput } from "../../src/system/machine_config.js";
import { machineShell } from "../helpers/machine_shell.js";

function hostLscpu(): string | null {
  const v = spawnSync("lscpu", ["-V"], { encoding: "utf8" });
  if (v.status !== 0) return "the host has no lscpu";
  if (!v.stdout.includes("util-linux 2.38")) return `the host's lscpu is not util-linux 2.38 (${v.stdout.trim()})`;
  return null;
}

function gate(t: { skip(msg: string): void }): boolean {
  const why = hostLscpu();
  if (why === null) return true;
  if (process.env.CI === "true") assert.fail(`CI=true but ${why}`);
  t.skip(why);
  return false;
}

/** Copies `path` of the machine (files, directories, symlinks) into `dir` on the host. */
function copyOut(w: World, path: string, dir: string): void {
  const vfs = w.stack.machine.vfs;
  const walk = (p: string): void => {
    const dest = join(dir, p);
    const st = vfs.lstat(p);
    if (st.type === "link") {
      symlinkSync(vfs.readlink(p), dest);
    } else if (st.type === "dir") {
      mkdirSync(dest, { recursive: true });
      for (const name of vfs.readdir(p)) walk(`${p}/${name}`);
    } else {
      let data: Uint8Array = new Uint8Array(0);
      try {
        data = vfs.readFile(p);
      } catch {
        // write-only attribute
      }
      writeFileSync(dest, data);
    }
  };
  walk(path);
}

function machineLscpu(w: World, args: string, tty: boolean): { out: string; err: string; status: number } {
  const r = machineShell(w, `lscpu ${args}`, { tty, env: { COLUMNS: "80" } });
  return { out: r.stdout, err: r.stderr, status: r.code };
}

const CASES = [
  "", "-e", "-p", "-J", "-x", "-e -J", "-J -x", "-e -x", "-y -e", "-y -p", "-a -p", "-b -e", "-c -e", "-c -p", "-e -a",
  "-p=CPU,NODE,SOCKET,CORE,ONLINE,BOGOMIPS,MHZ,POLARIZATION", "-e=cpu,node", "-pCPU,Online", "--extended=SOCKET,CPU", "--parse=core",
  "--output-all -e", "--output-all -p", "--output-all -e -J", "-e=CPU -e", "-J -p", "--hex --json",
  "-B", "-B -J", "-C", "-C -B", "-C -J", "--output-all -C", "-C=NAME,ONE-SIZE", "-C=level,ways", "-p=CPU,CACHE", "-p=CACHE", "-e=CACHE,CPU",
  // refused
  "-z", "--foo", "-e -p", "-C -e", "-a", "-b", "foo", "-e=FOO", "-e=CPU,FOO,NODE", "-e=", "-e=CPU,,NODE", "-C=FOO", "-C=", "--o", "--all=x", "--json=1", "-a -b -e",
  "-h", "--help", "-V", "--version", "--vers",
];

const TTY_CASES = ["", "-x", "-J", "-e"];

const MACHINES: [string, string | MachineConfigInput][] = [
  ["spr-1s", "spr-1s"],
  ["spr-2s", "spr-2s"],
  ["tiny", "tiny"],
  ["2 sockets of 3 cores, no SMT", { preset: "tiny", sockets: 2, coresPerSocket: 3, threadsPerCore: 1 }],
];

for (const [label, config] of MACHINES) {
  test(`lscpu on ${label}: the machine's and util-linux's agree on the machine's files`, { timeout: 120_000 }, (t) => {
    if (!gate(t)) return;
    const w = bootWorld(config);
    const root = mkdtempSync(join(tmpdir(), "iaa-lscpu-"));
    try {
      copyOut(w, "/sys/devices/system/cpu", root);
      copyOut(w, "/sys/devices/system/node", root);
      mkdirSync(join(root, "proc"));
      writeFileSync(join(root, "proc", "cpuinfo"), w.stack.machine.vfs.readFile("/proc/cpuinfo"));
      const env = { ...process.env, LANG: "C", LC_ALL: "C", COLUMNS: "80" };
      for (const args of CASES) {
        const host = spawnSync("bash", ["-c", `exec lscpu -s "$0" ${args}`, root], { encoding: "utf8", env });
        const mine = machineLscpu(w, args, false);
        assert.deepEqual(
          { out: mine.out, err: mine.err, status: mine.status },
          { out: host.stdout, err: host.stderr, status: host.status },
          `lscpu ${args}`,
        );
      }
      const script = spawnSync("script", ["--version"], { encoding: "utf8" });
      if (script.status !== 0) {
        if (process.env.CI === "true") assert.fail("CI=true but the host has no script(1) for the terminal cases");
        t.diagnostic("terminal cases skipped: the host has no script(1)");
        return;
      }
      for (const args of TTY_CASES) {
        const host = spawnSync("script", ["-qec", `lscpu -s ${root} ${args}`, "/dev/null"], { encoding: "utf8", env, input: "" });
        const mine = machineLscpu(w, args, true);
        assert.match(host.stdout, /CPU/, `the host's lscpu ${args} printed through script(1)`);
        assert.equal(mine.out, host.stdout.replace(/\r\n/g, "\n"), `lscpu ${args} on a terminal`);
        assert.equal(mine.status, host.status, `lscpu ${args} on a terminal: status`);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
}

test("the documentation's kind of set-up script reads the socket count from lscpu", () => {
  const w = bootWorld("spr-2s");
  const r = machineLscpu(w, "| grep Socket | awk '{print $2}'", false);
  assert.equal(r.status, 0, r.err);
  assert.equal(r.out, "2\n");
  const one = machineLscpu(bootWorld("spr-1s"), "-p=SOCKET | grep -v '^#' | sort -u | wc -l", false);
  assert.equal(one.out.trim(), "1");
});

test("lscpu -s on a system root without topology directories: counted as util-linux counts it", (t) => {
  if (!gate(t)) return;
  const w = bootWorld("tiny");
  const root = mkdtempSync(join(tmpdir(), "iaa-lscpu-bare-"));
  try {
    const setup = "mkdir -p /tmp/bare/proc /tmp/bare/sys/devices/system/cpu && cp /proc/cpuinfo /tmp/bare/proc/ && cp /sys/devices/system/cpu/online /sys/devices/system/cpu/possible /sys/devices/system/cpu/present /tmp/bare/sys/devices/system/cpu/";
    assert.equal(machineLscpu(w, `>/dev/null; ${setup}`, false).status, 0);
    copyOut(w, "/tmp/bare", root);
    assert.equal(machineLscpu(w, "> /dev/null; mkdir -p /tmp/empty", false).status, 0);
    mkdirSync(join(root, "tmp", "empty"), { recursive: true });
    for (const [dir, args] of [["bare", ""], ["bare", "-e"], ["bare", "-p"], ["bare", "-y -p"], ["empty", ""]]) {
      const host = spawnSync("bash", ["-c", `exec lscpu -s "$0" ${args}`, join(root, "tmp", dir)], { encoding: "utf8", env: { ...process.env, LANG: "C", LC_ALL: "C" } });
      const mine = machineLscpu(w, `-s /tmp/${dir} ${args}`, false);
      assert.deepEqual({ out: mine.out, err: mine.err, status: mine.status }, { out: host.stdout, err: host.stderr, status: host.status }, `lscpu -s DIR ${args}`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
