/**
 * getconf on the machine: the host's real getconf (glibc) and the machine's
 * run the same cases (stdout, stderr, status); the values that depend on the
 * machine (CPU and page counts) follow its configuration and its files.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { bootWorld, type World } from "../../src/host/world.js";
import { machineShell } from "../helpers/machine_shell.js";

const hostGetconf = spawnSync("getconf", ["--version"], { encoding: "utf8" });
const HAVE_GETCONF = hostGetconf.status === 0;
/** Debian 12's glibc, which the machine's getconf copies (its version lines and GNU_LIBC_VERSION). */
const SAME_GLIBC = HAVE_GETCONF && hostGetconf.stdout.startsWith("getconf (Debian GLIBC 2.36-");

const CASES = [
  "LONG_BIT", "WORD_BIT", "PAGESIZE", "PAGE_SIZE", "CLK_TCK", "CHAR_BIT", "CHAR_MIN", "INT_MIN", "INT_MAX", "UINT_MAX", "ULONG_MAX",
  "SSIZE_MAX", "TZNAME_MAX", "PATH", "NAME_MAX /", "PATH_MAX /", "PIPE_BUF /", "NAME_MAX /nonexistent", "PATH_MAX /nonexistent",
  "PIPE_BUF /nonexistent", "NAME_MAX", "LONG_BIT /", "FOO", "_SC_PAGESIZE", "NPROCESSORS_ONLN", "-x", "-h", "--versionx", "",
  "_NPROCESSORS_ONLN extra", "_NPROCESSORS_ONLN extra extra", "-v", "-v X", "-v POSIX_V7_LP64_OFF64 LONG_BIT", "-vPOSIX_V7_LP64_OFF64 WORD_BIT",
  "-v POSIX_V7_LP64_OFF64", "-- LONG_BIT", "--help", "-a / x", "_PHYS_PAGES x", "_NPROCESSORS_ONLN -a",
];
const GLIBC_CASES = ["--version", "GNU_LIBC_VERSION", "GNU_LIBPTHREAD_VERSION"];

function script(cases: string[]): string {
  return cases.map((c) => `echo "## getconf ${c}"; getconf ${c} 2>&1; echo "rc=$?"`).join("\n");
}

test("getconf prints what glibc's prints, case by case: values, messages, usage, statuses", (t) => {
  if (!HAVE_GETCONF) {
    if (process.env.CI === "true") assert.fail("CI=true but the host has no getconf (libc-bin)");
    t.skip("the host has no getconf");
    return;
  }
  const cases = SAME_GLIBC ? [...CASES, ...GLIBC_CASES] : CASES;
  const host = spawnSync("bash", ["-c", script(cases)], { encoding: "utf8" });
  assert.equal(host.status, 0);
  const mine = machineShell(bootWorld("tiny"), script(cases));
  assert.equal(mine.stderr, "");
  const h = host.stdout.split("## ");
  const m = mine.stdout.split("## ");
  assert.equal(m.length, h.length);
  for (let i = 0; i < h.length; i++) assert.equal(m[i], h[i]);
});

test("getconf -a: every line the machine prints is glibc's (name padded to 35, then the value), the machine's values aside", (t) => {
  if (!HAVE_GETCONF) {
    if (process.env.CI === "true") assert.fail("CI=true but the host has no getconf (libc-bin)");
    t.skip("the host has no getconf");
    return;
  }
  const host = new Set(spawnSync("getconf", ["-a"], { encoding: "utf8" }).stdout.split("\n"));
  const hostNames = [...host].map((l) => l.split(" ")[0]);
  const r = machineShell(bootWorld("tiny"), "getconf -a; echo rc=$?");
  const lines = r.stdout.trimEnd().split("\n");
  assert.equal(lines.pop(), "rc=0");
  const machineDependent = /^(_NPROCESSORS_CONF|_NPROCESSORS_ONLN|_PHYS_PAGES|_AVPHYS_PAGES|OPEN_MAX|ARG_MAX|GNU_LIBC_VERSION|GNU_LIBPTHREAD_VERSION|LEVEL\d_\w+) /;
  for (const l of lines) {
    const name = l.split(" ")[0]!;
    assert.ok(l.startsWith(name.padEnd(35)) && l[35] !== " ", l);
    if (!machineDependent.test(l)) assert.ok(host.has(l), `host's getconf -a has "${l}"`);
  }
  // the machine's order is glibc's
  const names = lines.map((l) => l.split(" ")[0]!);
  const order = names.map((n) => hostNames.indexOf(n));
  assert.ok(order.every((x) => x >= 0));
  assert.deepEqual([...order].sort((a, b) => a - b), order);
});

function values(w: World, names: string[]): string[] {
  const r = machineShell(w, names.map((n) => `getconf ${n}`).join("; "));
  assert.equal(r.stderr, "");
  return r.stdout.trimEnd().split("\n");
}

test("getconf's CPU and page counts are the machine's: sysfs online/possible, /proc/meminfo", () => {
  const spr = bootWorld("spr-2s");
  const [onln, conf, phys, avphys] = values(spr, ["_NPROCESSORS_ONLN", "_NPROCESSORS_CONF", "_PHYS_PAGES", "_AVPHYS_PAGES"]);
  assert.equal(onln, "160");
  assert.equal(conf, "160");
  assert.equal(phys, String((512 * 1024 ** 3) / 4096));
  const free = Number(/^MemFree: +(\d+) kB/m.exec(spr.stack.machine.vfs.readText("/proc/meminfo"))![1]) / 4;
  assert.equal(avphys, String(free));
  assert.deepEqual(values(bootWorld("tiny"), ["_NPROCESSORS_ONLN", "_NPROCESSORS_CONF"]), ["8", "8"]);
  const custom = bootWorld({ sockets: 2, coresPerSocket: 3, threadsPerCore: 1, iaaPerSocket: 1, dsaPerSocket: 0, memGiB: 1 });
  assert.deepEqual(values(custom, ["_NPROCESSORS_ONLN", "_NPROCESSORS_CONF", "_PHYS_PAGES"]), ["6", "6", "262144"]);
  // the caches are the ones sysfs shows
  assert.deepEqual(values(spr, ["LEVEL1_DCACHE_SIZE", "LEVEL1_DCACHE_ASSOC", "LEVEL1_ICACHE_SIZE", "LEVEL2_CACHE_SIZE", "LEVEL3_CACHE_SIZE", "LEVEL3_CACHE_ASSOC", "LEVEL3_CACHE_LINESIZE"]), ["49152", "12", "32768", "2097152", "110100480", "15", "64"]);
  assert.equal(spr.stack.machine.vfs.readText("/sys/devices/system/cpu/cpu0/cache/index3/size"), `${110100480 / 1024}K\n`);
  // and nproc agrees
  assert.equal(machineShell(spr, "nproc; nproc --all").stdout, "160\n160\n");
});
