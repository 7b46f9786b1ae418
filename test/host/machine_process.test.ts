/**
 * The machine process as its clients see it: it stays up between commands,
 * streams output in order, passes stdin and signals, survives its own death,
 * refuses to lose committed state on a full or read-only file system, and
 * copes with whatever it finds in its directory.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { binArgs, machineHome, runBin } from "../helpers/cli.js";
import { repoRoot } from "../helpers/repo_root.js";

const isRoot = process.getuid?.() === 0;
const inCi = process.env["CI"] === "true";

/** Skips (outside CI) a test that needs root; in CI, root is a given and its absence a failure. */
function needsRoot(t: TestContext): boolean {
  if (isRoot) return true;
  if (inCi) assert.fail("this test needs root (mount) and CI runs as root");
  t.skip("needs root to mount a small or read-only file system");
  return false;
}

function machinePid(dir: string): number {
  return Number(readFileSync(join(dir, "machine.pid"), "utf8").split(" ")[0]);
}

/** Runs `iaa ARGS` through the host's bash (for pipes and redirections around it). */
function viaBash(script: string, env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const iaa = [process.execPath, ...binArgs("iaa")].map((a) => `'${a}'`).join(" ");
  const r = spawnSync("bash", ["-c", script.replaceAll("IAA", iaa)], { env: { ...process.env, ...env }, encoding: "utf8", cwd: repoRoot() });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `fn` with a machine directory on a tmpfs of `mib` MiB of its own (mounted at `mnt`), then stops the machine and unmounts it. */
function onTmpfs(mib: number, fn: (mnt: string, env: { IAA_EMU_HOME: string }) => void): void {
  const h = machineHome();
  const mnt = join(h.dir, "fs");
  mkdirSync(mnt);
  const env = { IAA_EMU_HOME: join(mnt, "m") };
  assert.equal(spawnSync("mount", ["-t", "tmpfs", "-o", `size=${mib}m`, "tmpfs", mnt]).status, 0);
  try {
    fn(mnt, env);
  } finally {
    runBin("iaa", ["down"], env);
    spawnSync("umount", [mnt]);
    h.done();
  }
}

test("the machine process stays up between commands; iaa down stops it and the next command starts a new one", () => {
  const h = machineHome();
  try {
    assert.equal(runBin("iaa", ["boot", "--preset", "tiny"], h.env).status, 0);
    const pid = machinePid(h.dir);
    const s = runBin("iaa", ["status"], h.env);
    assert.equal(s.status, 0, s.stderr);
    assert.match(s.stdout, new RegExp(`^machine process: running, pid ${pid}, up [\\d.]+ s, RSS [\\d.]+ MiB, state in `));
    assert.match(s.stdout, /\nmachine: tiny, 1 nodes, 8 CPUs/);
    assert.equal(runBin("iaa", ["sh", "-c", "true"], h.env).status, 0);
    assert.equal(machinePid(h.dir), pid);
    const d = runBin("iaa", ["down"], h.env);
    assert.equal(d.status, 0, d.stderr);
    assert.equal(existsSync(join(h.dir, "machine.pid")), false);
    assert.equal(existsSync(join(h.dir, "machine.sock")), false);
    const u = runBin("iaa", ["up"], h.env);
    assert.equal(u.status, 0, u.stderr);
    assert.notEqual(machinePid(h.dir), pid);
    assert.match(u.stderr, new RegExp(`^iaa: the machine process runs \\(pid ${machinePid(h.dir)}\\)`));
  } finally {
    h.done();
  }
});

test("host stdin reaches the command, and stdout and stderr stay apart and in order", () => {
  const h = machineHome();
  try {
    runBin("iaa", ["boot", "--preset", "tiny"], h.env);
    assert.deepEqual(viaBash("echo data | IAA sh -c 'cat; echo end'", h.env), { status: 0, stdout: "data\nend\n", stderr: "" });
    const script = join(h.dir, "read.sh");
    writeFileSync(script, 'read -r a; read -r b; echo "got $b then $a"; wc -l\n');
    assert.deepEqual(viaBash(`printf 'one\\ntwo\\nthree\\nfour\\n' | IAA run ${script}`, h.env), { status: 0, stdout: "got two then one\n2\n", stderr: "" });
    // a command that does not read stdin leaves it to the next reader, as a real program does
    assert.equal(viaBash("printf 'x\\ny\\n' | { IAA sh -c true; cat; }", h.env).stdout, "x\ny\n");
    const mixed = viaBash("IAA sh -c 'echo a; echo b >&2; echo c; exit 3' 2>&1", h.env);
    assert.deepEqual(mixed, { status: 3, stdout: "a\nb\nc\n", stderr: "" });
    const apart = runBin("iaa", ["sh", "-c", "echo out; echo err >&2"], h.env);
    assert.deepEqual([apart.stdout, apart.stderr], ["out\n", "err\n"]);
  } finally {
    h.done();
  }
});

test("a reader that goes away ends the command with SIGPIPE, and the machine goes on", () => {
  const h = machineHome();
  try {
    runBin("iaa", ["boot", "--preset", "tiny"], h.env);
    const r = viaBash("IAA sh -c 'while :; do echo y; done' | head -3; echo \"${PIPESTATUS[0]}\"", h.env);
    assert.equal(r.stdout, "y\ny\ny\n141\n");
    assert.equal(runBin("iaa", ["sh", "-c", "echo still"], h.env).stdout, "still\n");
  } finally {
    h.done();
  }
});

test("Ctrl-C interrupts a running command promptly with status 130; the machine stays up and consistent", async () => {
  const h = machineHome();
  try {
    runBin("iaa", ["boot", "--preset", "tiny"], h.env);
    const pid = machinePid(h.dir);
    for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      const child = spawn(process.execPath, [...binArgs("iaa"), "sh", "-c", "echo started; while :; do :; done"], { env: { ...process.env, ...h.env } });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
      const sent = Date.now();
      child.kill(sig);
      const status = await new Promise<number | null>((resolve) => child.once("close", (c) => resolve(c)));
      const took = Date.now() - sent;
      assert.equal(status, 128 + { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 }[sig], `${sig}: ${out}`);
      assert.ok(took < 5000, `${sig} took ${took} ms`);
    }
    assert.equal(machinePid(h.dir), pid);
    // interrupted at any step, the machine is still whole: its devices answer and a full zswap trip works
    const r = runBin("iaa", ["sh", "-c", "cat /sys/bus/dsa/devices/iax1/state; ./memory_madvise 50 | tail -1 >/dev/null; echo $?"], h.env);
    assert.deepEqual([r.status, r.stdout], [0, "enabled\n0\n"], r.stderr);
  } finally {
    h.done();
  }
});

test("what is in the machine directory never makes a command spin, hang or lose the machine", () => {
  const h = machineHome();
  try {
    runBin("iaa", ["boot", "--preset", "tiny"], h.env);
    runBin("iaa", ["sh", "-c", "echo 33 > /proc/sys/vm/swappiness"], h.env);
    runBin("iaa", ["down"], h.env);
    const pidFile = join(h.dir, "machine.pid");
    // empty, garbage, another host's or a dead process's pid file: stale, taken over
    for (const content of ["", "garbage\n", "12 other-host\n", "999999999 " + spawnSync("hostname", { encoding: "utf8" }).stdout.trim() + "\n"]) {
      writeFileSync(pidFile, content);
      const r = runBin("iaa", ["sh", "-c", "echo ok"], h.env);
      assert.deepEqual([r.status, r.stdout, r.stderr], [0, "ok\n", ""], JSON.stringify(content));
      runBin("iaa", ["down"], h.env);
    }
    // a pid file or socket that is a directory: one line, at once
    for (const name of ["machine.pid", "machine.sock"]) {
      mkdirSync(join(h.dir, name));
      const started = Date.now();
      const r = spawnSync(process.execPath, [...binArgs("iaa"), "sh", "-c", "echo ok"], { env: { ...process.env, ...h.env }, encoding: "utf8", timeout: 30_000 });
      assert.equal(r.status, 1, `${name}: ${r.stderr}`);
      assert.match(r.stderr, /^iaa: [^\n]+\n$/);
      assert.match(r.stderr, new RegExp(name.replace(".", "\\.")));
      assert.ok(Date.now() - started < 20_000);
      rmSync(join(h.dir, name), { recursive: true });
    }
    const after = runBin("iaa", ["sh", "-c", "cat /proc/sys/vm/swappiness"], h.env);
    assert.equal(after.status, 0, after.stderr);
  } finally {
    h.done();
  }
});

test("a full file system fails the command with one line and a non-zero status, and the last committed state stays", (t) => {
  if (!needsRoot(t)) return;
  onTmpfs(16, (mnt, env) => {
  assert.equal(runBin("iaa", ["boot", "--preset", "tiny"], env).status, 0);
  assert.equal(runBin("iaa", ["sh", "-c", "echo 41 > /proc/sys/vm/swappiness"], env).status, 0);
  // fill the file system
  spawnSync("sh", ["-c", `cat /dev/zero > ${join(mnt, "fill")}`]);
  const r = runBin("iaa", ["sh", "-c", "echo 42 > /proc/sys/vm/swappiness; echo done"], env);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, "done\n");
  assert.match(r.stderr, /^iaa: cannot save the machine state in .*: No space left on device \(ENOSPC\); the machine is back at its last saved state\n$/);
  // the machine goes on from the last committed state, in this process and after a restart
  assert.equal(runBin("iaa", ["sh", "-c", "cat /proc/sys/vm/swappiness"], env).stdout, "41\n");
  rmSync(join(mnt, "fill"));
  runBin("iaa", ["down"], env);
  assert.equal(runBin("iaa", ["sh", "-c", "cat /proc/sys/vm/swappiness"], env).stdout, "41\n");
  });
});

test("a full file system while a changed part (the printk ring) is written: one line, the last committed state and its files stay", (t) => {
  if (!needsRoot(t)) return;
  onTmpfs(16, (mnt, env) => {
  assert.equal(runBin("iaa", ["boot", "--preset", "tiny"], env).status, 0);
  const dmesg = runBin("iaa", ["sh", "-c", "dmesg"], env).stdout;
  const files = readdirSync(env.IAA_EMU_HOME).sort();
  spawnSync("sh", ["-c", `cat /dev/zero > ${join(mnt, "fill")}`]);
  // loading a module logs lines: the ring's part is written before the header, and fails
  const r = runBin("iaa", ["sh", "-c", "modprobe iaa_crypto; dmesg | wc -l"], env);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^iaa: cannot save the machine state in .*: No space left on device \(ENOSPC\); the machine is back at its last saved state\n$/);
  assert.deepEqual(readdirSync(env.IAA_EMU_HOME).sort(), files);
  assert.equal(runBin("iaa", ["sh", "-c", "dmesg"], env).stdout, dmesg);
  rmSync(join(mnt, "fill"));
  runBin("iaa", ["down"], env);
  assert.equal(runBin("iaa", ["sh", "-c", "dmesg"], env).stdout, dmesg);
  });
});

test("a read-only file system fails the command with one line and a non-zero status, and the last committed state stays", (t) => {
  if (!needsRoot(t)) return;
  onTmpfs(64, (mnt, env) => {
  assert.equal(runBin("iaa", ["boot", "--preset", "tiny"], env).status, 0);
  assert.equal(runBin("iaa", ["sh", "-c", "echo 43 > /proc/sys/vm/swappiness"], env).status, 0);
  assert.equal(spawnSync("mount", ["-o", "remount,ro", mnt]).status, 0);
  const r = runBin("iaa", ["sh", "-c", "echo 44 > /proc/sys/vm/swappiness"], env);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^iaa: cannot save the machine state in .*: Read-only file system \(EROFS\); the machine is back at its last saved state\n$/);
  assert.equal(spawnSync("mount", ["-o", "remount,rw", mnt]).status, 0);
  assert.equal(runBin("iaa", ["sh", "-c", "cat /proc/sys/vm/swappiness"], env).stdout, "43\n");
  });
});

test("SIGKILL of the machine process loses nothing committed: the next command starts from the last snapshot", async () => {
  const h = machineHome();
  try {
    runBin("iaa", ["boot", "--preset", "tiny"], h.env);
    for (let round = 0; round < 3; round++) {
      assert.equal(runBin("iaa", ["sh", "-c", `echo ${50 + round} > /proc/sys/vm/swappiness`], h.env).status, 0);
      // kill it during a long command (its own work is lost, as on a real machine that loses power)
      const child = spawn(process.execPath, [...binArgs("iaa"), "sh", "-c", "echo go; ./memory_madvise 20000 >/dev/null; echo 99 > /proc/sys/vm/swappiness"], { env: { ...process.env, ...h.env } });
      await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
      await new Promise((r) => setTimeout(r, 50 + round * 150));
      process.kill(machinePid(h.dir), "SIGKILL");
      const status = await new Promise<number | null>((resolve) => child.once("close", (c) => resolve(c)));
      assert.equal(status, 1);
      const r = runBin("iaa", ["sh", "-c", "cat /proc/sys/vm/swappiness"], h.env);
      assert.deepEqual([r.status, r.stdout], [0, `${50 + round}\n`], r.stderr);
    }
  } finally {
    h.done();
  }
});

test("a script that exhausts memory gets one line; the machine process stays up", () => {
  const h = machineHome();
  try {
    runBin("iaa", ["boot", "--preset", "tiny"], h.env);
    const pid = machinePid(h.dir);
    const r = runBin("iaa", ["sh", "-c", "s=x; while :; do s=$s$s; done"], h.env);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /^[^\n]+\n$/);
    assert.doesNotMatch(r.stderr, /Maximum call stack|RangeError|at .*\.js:\d+/);
    assert.equal(machinePid(h.dir), pid);
    assert.equal(runBin("iaa", ["sh", "-c", "echo alive"], h.env).stdout, "alive\n");
  } finally {
    h.done();
  }
});
