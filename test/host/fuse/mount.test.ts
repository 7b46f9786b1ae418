/**
 * The machine's /sys, debugfs and /proc through FUSE, used by host programs:
 * the host's bash, coreutils, findutils, grep and python3 see what a real
 * kernel's sysfs gives (live content, one store per write, the kernel's
 * errnos, modes, sizes, links), compared with the machine's own shell running
 * the same commands on the same machine.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bootWorld } from "../../../src/host/world.js";
import { mountFuse } from "../../../src/host/fuse/mount.js";
import { Rig, collect, gate, host, missingPrereq } from "./_harness.js";

const D = "/sys/bus/dsa/devices";
/** A host program that hangs fails its test instead of stopping the run. */
const T = 120_000;
let rig: Rig | undefined;

before(async () => {
  if (missingPrereq() === null) rig = await Rig.start();
});
after(async () => {
  await rig?.stop();
});

test("host bash reads an attribute and writes one through its store; the machine sees the write", { timeout: T }, async (t) => {
  if (!gate(t)) return;
  const r = await rig!.bash(`cat ${D}/iax1/state; echo 7 > ${D}/wq1.1/priority; echo "rc=$?"; cat ${D}/wq1.1/priority`);
  assert.deepEqual(r, { code: 0, stdout: `${rig!.read(`${D}/iax1/state`)}rc=0\n7\n`, stderr: "" });
  assert.equal(rig!.read(`${D}/wq1.1/priority`), "7\n");
  // live: a change made on the machine shows in the next read
  rig!.machine(`echo 3 > ${D}/wq1.1/priority`);
  assert.equal((await host(["cat", `${rig!.dir}${D}/wq1.1/priority`])).stdout, "3\n");
});

test("refused writes: the host bash prints the kernel's errno as the machine's shell does, status 1", { timeout: T }, async (t) => {
  if (!gate(t)) return;
  const einval = `echo 100 > ${D}/wq1.2/priority; echo "rc=$?"`;
  const want = rig!.machine(einval);
  assert.match(want.stderr, /write error: Invalid argument/);
  assert.deepEqual(await rig!.bash(einval), want);
  assert.equal(rig!.machine("modprobe iaa_crypto").code, 0);
  assert.equal(rig!.read(`${D}/wq1.0/state`), "enabled\n");
  const refused = `echo 5 > ${D}/wq1.0/priority; echo "rc=$?"; echo sync > /sys/bus/dsa/drivers/crypto/sync_mode; echo "rc=$?"`;
  const host = await rig!.bash(refused);
  assert.deepEqual(host, {
    code: 0,
    stdout: "rc=1\nrc=1\n",
    stderr: "bash: line 1: echo: write error: Operation not permitted\nbash: line 1: echo: write error: Device or resource busy\n",
  });
  assert.deepEqual(host, rig!.machine(refused));
  assert.equal((await rig!.bash(`echo 5 > ${D}/wq1.0/priority`)).code, 1, "the write's status");
});

test("grep -r over zswap's parameters and find over the dsa bus list what the machine has", { timeout: T }, async (t) => {
  if (!gate(t)) return;
  const g = await rig!.bash("grep -r . /sys/module/zswap/parameters/");
  assert.equal(g.code, 0);
  const vfs = rig!.world.stack.machine.vfs;
  const want = vfs.readdir("/sys/module/zswap/parameters").map((n) => `/sys/module/zswap/parameters/${n}:${vfs.readText(`/sys/module/zswap/parameters/${n}`).trimEnd()}`);
  assert.deepEqual(g.stdout.trimEnd().split("\n").sort(), want.sort());
  const f = await rig!.bash(`find ${D}/ -maxdepth 1`);
  assert.deepEqual(f.stdout.trimEnd().split("\n").sort(), [`${D}/`, ...vfs.readdir(D).map((n) => `${D}/${n}`)].sort());
  const l = await rig!.bash(`find ${D}/ -maxdepth 1 -type l | wc -l`);
  assert.equal(Number(l.stdout), vfs.readdir(D).length, "every entry of devices/ is a symlink");
});

test("stat of attributes and ls -l of a device directory look as on a kernel's sysfs and procfs", { timeout: T }, async (t) => {
  if (!gate(t)) return;
  const fmt = "%s %a %U %G %h %F %b";
  const r = await rig!.bash(`stat -c '${fmt}' ${D}/iax1/state ${D}/wq1.1/priority /sys/bus/dsa/drivers/idxd/bind /proc/meminfo; stat -c '%F %s %N' ${D}/iax1/driver`);
  assert.equal(
    r.stdout,
    [
      "4096 444 root root 1 regular file 0",
      "4096 644 root root 1 regular file 0",
      "4096 200 root root 1 regular file 0",
      "0 444 root root 1 regular empty file 0",
      "symbolic link 0 '/sys/bus/dsa/devices/iax1/driver' -> '../../../../bus/dsa/drivers/idxd'",
      "",
    ].join("\n"),
  );
  const ls = await rig!.bash(`ls -l ${D}/iax1/`);
  const vfs = rig!.world.stack.machine.vfs;
  const dev = vfs.realpath(`${D}/iax1`);
  const lines = ls.stdout.trimEnd().split("\n");
  assert.equal(lines[0], "total 0");
  const names = lines.slice(1).map((l) => l.split(/\s+/)[8]);
  assert.deepEqual(names, [...vfs.readdir(dev)].sort((a, b) => a.localeCompare(b, "en")).filter((n) => names.includes(n)));
  assert.equal(names.length, vfs.readdir(dev).length);
  assert.match(ls.stdout, /\nlrwxrwxrwx 1 root root    0 \w{3} +\d+ +\d{4} driver -> \.\.\/\.\.\/\.\.\/\.\.\/bus\/dsa\/drivers\/idxd\n/);
  assert.match(ls.stdout, /\n-r--r--r-- 1 root root 4096 .* state\n/);
  assert.match(ls.stdout, /\ndrwxr-xr-x 2 root root    0 .* engine1\.0\n/);
});

test("what sysfs refuses: reading bind, creating, removing, mkdir, chmod", { timeout: T }, async (t) => {
  if (!gate(t)) return;
  const r = await rig!.bash(`cat /sys/bus/dsa/drivers/idxd/bind; touch ${D}/iax1/x; rm -f ${D}/iax1/state; mkdir /sys/y; chmod 600 ${D}/iax1/state; echo 1 > ${D}/iax1/version`);
  assert.equal(
    r.stderr,
    [
      "cat: /sys/bus/dsa/drivers/idxd/bind: Permission denied",
      `touch: cannot touch '${D}/iax1/x': Permission denied`,
      `rm: cannot remove '${D}/iax1/state': Operation not permitted`,
      "mkdir: cannot create directory ‘/sys/y’: Operation not permitted",
      `chmod: changing permissions of '${D}/iax1/state': Operation not permitted`,
      `bash: line 1: ${D}/iax1/version: Permission denied`,
      "",
    ].join("\n"),
  );
});

test("python3 reads and writes attributes; a read at offset 0 regenerates, later reads continue the text", { timeout: T }, async (t) => {
  if (!gate(t, ["python3"])) return;
  const py = [
    "import os",
    `p = '${D}/wq1.3/name'`,
    "with open(p, 'w') as f: f.write('py_wq\\n')",
    "fd = os.open(p, os.O_RDONLY)",
    "parts = []",
    "while True:",
    "    b = os.read(fd, 2)",
    "    if not b: break",
    "    parts.append(b.decode())",
    "print(parts, flush=True)",
    "import sys; sys.stdin.readline()",
    "print(os.pread(fd, 100, 0).decode(), end='')",
  ].join("\n");
  const { child } = (await import("../../../src/host/fuse/exec.js")).spawnInNamespace(rig!.dir, ["python3", "-u", "-c", py], { stdio: ["pipe", "pipe", "pipe"], shimCommand: ["false"], cwd: tmpdir() });
  let first = "";
  const done = collect(child);
  await new Promise<void>((res) => child.stdout!.on("data", (s: Buffer) => ((first += s.toString()), first.includes("]") && res())));
  assert.equal(first, "['py', '_w', 'q\\n']\n", "three reads of one open file continue one generated text");
  assert.equal(rig!.read(`${D}/wq1.3/name`), "py_wq\n");
  rig!.machine(`echo other > ${D}/wq1.3/name`);
  child.stdin!.end("\n");
  const r = await done;
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "['py', '_w', 'q\\n']\nother\n", "pread at 0 generated the content anew");
});

test("two writers on different attributes and a reader, concurrently: every write stored, no torn read", { timeout: T }, async (t) => {
  if (!gate(t)) return;
  const n = 150;
  const w1 = rig!.bash(`for i in $(seq 1 ${n}); do echo $((i % 16)) > ${D}/wq1.4/priority || exit 1; done`);
  const w2 = rig!.bash(`for i in $(seq 1 ${n}); do echo wq_$i > ${D}/wq1.5/name || exit 1; done`);
  const rd = rig!.bash(`for i in $(seq 1 ${n}); do cat ${D}/wq1.4/priority ${D}/wq1.5/name; done`);
  const [a, b, c] = await Promise.all([w1, w2, rd]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(rig!.read(`${D}/wq1.4/priority`), `${n % 16}\n`);
  assert.equal(rig!.read(`${D}/wq1.5/name`), `wq_${n}\n`);
  const lines = c.stdout.split("\n").slice(0, -1);
  assert.equal(lines.length, 2 * n);
  for (let i = 0; i < lines.length; i += 2) {
    assert.match(lines[i]!, /^([0-9]|1[0-5])$/);
    assert.match(lines[i + 1]!, /^(|wq_\d+)$/);
  }
});

test("proc files and debugfs: the machine's content, live", { timeout: T }, async (t) => {
  if (!gate(t)) return;
  const r = await rig!.bash("cat /proc/swaps /proc/sys/vm/swappiness; ls /sys/kernel/debug; zcat /proc/config.gz | grep -c ^CONFIG_");
  const m = rig!.machine("cat /proc/swaps /proc/sys/vm/swappiness; ls /sys/kernel/debug; zcat /proc/config.gz | grep -c ^CONFIG_");
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, m.stdout);
});

test("an external umount ends the session; a new mount serves again", { timeout: T }, async (t) => {
  if (!gate(t)) return;
  const w = bootWorld("tiny");
  const dir = mkdtempSync(join(tmpdir(), "iaa-fuse-umount-"));
  const m = await mountFuse(w.stack.machine.vfs, dir);
  assert.equal((await host(["cat", `${dir}/sys/bus/dsa/devices/iax1/state`])).stdout, "enabled\n");
  const u = await collect(spawn("umount", [dir], { stdio: ["ignore", "pipe", "pipe"] }));
  assert.equal(u.code, 0, u.stderr);
  assert.equal(await m.closed, "unmounted");
  assert.equal((await host(["ls", dir])).stdout, "");
  rmdirSync(dir);
});

test("one store per write(2): a long write arrives as PAGE_SIZE pieces, the offset and O_TRUNC change nothing", { timeout: T }, async (t) => {
  if (!gate(t, ["python3"])) return;
  const stores: string[] = [];
  const kernel = rig!.world.stack.machine.vfs.lookup("/sys/kernel");
  assert.ok(kernel?.kind === "dir");
  kernel.attr("fuse_test_store", 0o644, () => `${stores.length}\n`, (buf) => (stores.push(buf), buf.startsWith("bad") ? -22 : 0));
  try {
    const py = [
      "import os",
      "fd = os.open('/sys/kernel/fuse_test_store', os.O_WRONLY | os.O_TRUNC)",
      "print(os.write(fd, b'a' * 5000))",
      "print(os.pwrite(fd, b'at100\\n', 100))",
      "try:",
      "    os.write(fd, b'bad\\n')",
      "except OSError as e:",
      "    print(e.errno)",
      "os.close(fd)",
      "print(open('/sys/kernel/fuse_test_store').read(), end='')",
    ].join("\n");
    const r = await rig!.exec(["python3", "-c", py]);
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, "5000\n6\n22\n4\n");
    assert.deepEqual(stores.map((s) => s.length), [4096, 904, 6, 4]);
    assert.equal(stores[2], "at100\n");
  } finally {
    kernel.remove("fuse_test_store");
  }
});
