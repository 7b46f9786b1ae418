/**
 * The machine's stat, ls -l, test and find on device files against the
 * host's GNU coreutils 9.1 and findutils, differentially:
 *
 * 1. The same small tree is built by the same script in a host scratch
 *    directory and in the machine's /tmp; each stat case's stdout, stderr
 *    and status must be equal. Inode numbers, devices and times differ
 *    between the two, so the cases leave them out, and the time formats
 *    are compared by shape (each digit as `9`).
 * 2. /dev/null, /dev/zero and /dev/full are the host's own devices: stat,
 *    ls -l, test and find on them must print the same on both sides.
 * 3. The machine's swap partition and its idxd user-WQ char devices
 *    (/dev/iax/wq1.0, wq1.1) against nodes made on the host with mknod as
 *    the kernel would make them (needs root; skipped without it, a failure
 *    under CI=true).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bootWorld } from "../../src/host/world.js";
import { machineShell } from "../helpers/machine_shell.js";

const TREE = [
  "umask 022",
  "mkdir -p st/d/sub st/e",
  "printf hello > st/f",
  ": > st/empty",
  "i=0; while [ $i -lt 40 ]; do printf 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' >> st/big; i=$((i+1)); done",
  "printf '#!/bin/sh\\n' > st/run.sh",
  "chmod 755 st/run.sh",
  "chmod 600 st/f",
  "chmod 1777 st/e",
  "chmod 4711 st/big",
  "ln -s f st/lnk",
  "ln -s d st/dlnk",
  "ln -s nowhere st/dang",
  "ln -s 'sp ace' st/l2",
  "touch 'st/sp ace' \"st/q'uote\" st/$'nl\\nx' 'st/d$x' 'st/a\"b' \"st/b'\\\"c\" 'st/é' \"st/~x'\" \"st/x'#\" \"st/x'@\" \"st/x'{\" 'st/a\\b' st/$'\\001z' st/$'x\\n'",
].join("\n");

/** The default format with its device, inode and time fields masked. */
const MASK = "sed -E 's/(Device: )[0-9]+,[0-9]+/\\1D/; s/Inode: [0-9]+ +/Inode: I /; s/^(Access|Modify|Change| Birth): [-0-9].*/\\1: T/'";

/** Everything stat prints that does not depend on inode numbers, devices or times. */
const STABLE = "%n|%s|%b|%B|%o|%h|%f|%F|%a|%A|%u|%U|%g|%G|%t|%T|%r|%R|%Hr|%Lr";

const CASES = [
  `-c '${STABLE}' st/f st/empty st/big st/run.sh st/d st/e st/lnk st/dlnk st/dang`,
  `-L -c '${STABLE}' st/lnk st/dlnk`, `--dereference --format='%n %F %s' st/lnk`, "-c '%N' st/lnk st/dang st/l2 st/f st/d", "-L -c '%N' st/lnk",
  "-c %N st/*", "--printf '%N\\n' st/*",
  "-c '%-8s|%8s|%08s|%+s|% s|%.3s|%.0s|%-5a|%5A|%.2A|%10.3n|%#a|%#f|%#t|%#.3a|%5h|%-3u|%05g|%'\"'\"'s|%-+6s|%#T|%#5R' st/big st/empty",
  "-c '%U %G %u %g %-6U|%6G|' st/f", "-c '%Hx|%H|%L|%Q|%k' st/f", "-c '100%%' st/f", "-c '%' st/f", "-c 'a%5%' st/f", "-c 'a%5' st/f", "-c 'x%-3.2%' st/f",
  "--printf 'a\\tb\\x41\\101\\x4g\\0101|%n\\n' st/f", "--printf '%s\\n\\c' st/f", "--printf '\\q\\e\\\"\\\\' st/f", "--printf 'end\\' st/f", "-c 'a\\tb\\n' st/f", "--printf '' st/f",
  "-c '%n' --printf '%s\\n' st/f", "--printf '%s' -c '%n' st/f",
  "-t st/f st/d st/lnk | cut -d' ' -f1-6,9-11,16", "-L -t st/lnk | cut -d' ' -f1-6,9-11,16", "--terse -c '%n' st/f",
  `st/f st/d st/lnk st/empty st/e st/big | ${MASK}`,
  `-L st/lnk st/dlnk | ${MASK}`,
  "st/q\\'uote st/$'nl\\nx' st/l2 | grep File",
  "", "nosuch", `st/f nosuch st/empty | ${MASK}`, "-c %n st/f nosuch st/f 2>&1", "''", "-L st/dang", "st/f/x", "st/nosuch/x", "\"nosuch'q\"", "$'a\\nb'",
  "-q st/f", "--foo st/f", "--form=%n st/f", "-c", "--printf", "--cached=never -c %n st/f", "--cached=al -c %n st/f", "--cached=x st/f", "--cached= st/f", "--terse=1 st/f",
  "-c '%C' st/f", "-c '%n %C' st/f st/empty",
  "QUOTING_STYLE=literal; export QUOTING_STYLE; stat -c %N st/l2 \"st/q'uote\"; unset QUOTING_STYLE",
  "QUOTING_STYLE=shell; export QUOTING_STYLE; stat -c %N st/l2 st/f \"st/q'uote\"; unset QUOTING_STYLE",
  "QUOTING_STYLE=shell-always; export QUOTING_STYLE; stat -c %N st/l2 st/f; unset QUOTING_STYLE",
  "QUOTING_STYLE=shell-escape; export QUOTING_STYLE; stat -c %N st/l2 st/f st/$'nl\\nx'; unset QUOTING_STYLE",
  "QUOTING_STYLE=c; export QUOTING_STYLE; stat -c %N st/l2 st/$'nl\\nx' 'st/a\"b' 'st/a\\b'; unset QUOTING_STYLE",
  "QUOTING_STYLE=escape; export QUOTING_STYLE; stat -c %N st/l2 st/$'nl\\nx' 'st/a\\b'; unset QUOTING_STYLE",
  "QUOTING_STYLE=bogus; export QUOTING_STYLE; stat -c %N st/f; stat -c %n st/f; unset QUOTING_STYLE",
  "--help | head -3", "--version | head -1",
];

/** The time formats, compared by shape: every digit printed as 9. */
const SHAPE_CASES = [
  "-c '%x|%y|%z|%X|%Y|%Z' st/f",
  "-c '%.3Y|%.Y|%10.2Y|%-20.3Y|%020.3Y|%+.2Y|%.0Y|%.12Y|%-28.12Y|%5.1Y|%-5.1Y|%30Y|%-12Y|' st/f",
  "-c '%w|%W|%.3W|%5W|%-5.1W|' /sys/kernel",
];

/** One case: `## case`, the status, stdout, stderr lines marked. */
function script(cases: string[], shape: boolean): string {
  const filter = shape ? " | sed 's/[0-9]/9/g'" : "";
  return [
    `t() { echo "## stat $1"; eval "stat $1" > out 2> err; echo "rc=$?"; cat out${filter}; echo "<eof>"; while IFS= read -r l || [ -n "$l" ]; do echo "ERR: $l"; done < err; }`,
    ...cases.map((c) => `t "${c.replace(/[\\"$`]/g, "\\$&")}"`),
  ].join("\n");
}

function hostStat(): boolean {
  const v = spawnSync("stat", ["--version"], { encoding: "utf8" });
  return v.status === 0 && v.stdout.includes("GNU coreutils") && v.stdout.includes(" 9.1");
}

function needHostStat(t: { skip(msg: string): void }): boolean {
  if (hostStat()) return true;
  if (process.env.CI === "true") assert.fail("CI=true but the host has no GNU stat 9.1");
  t.skip("the host has no GNU stat 9.1 to compare with");
  return false;
}

const { QUOTING_STYLE: _unset, ...hostEnv } = process.env;
const HOST_ENV = { ...hostEnv, LANG: "C.UTF-8", LC_ALL: "", LC_MESSAGES: "", TZ: "UTC" };

/** Runs `body` in a fresh host scratch directory and in the machine's /tmp/iaa-stat; both outputs, split by case. */
function bothSides(body: string, machinePrefix = ""): { host: string[]; mine: string[]; hostErr: string; mineErr: string } {
  const dir = mkdtempSync(join(tmpdir(), "iaa-stat-"));
  try {
    const host = spawnSync("bash", ["-c", body], { cwd: dir, encoding: "utf8", env: HOST_ENV, input: "" });
    const w = bootWorld("tiny");
    const mine = machineShell(w, `${machinePrefix}mkdir -p /tmp/iaa-stat && cd /tmp/iaa-stat\n${body}`);
    return { host: host.stdout.split("\n## "), mine: mine.stdout.split("\n## "), hostErr: host.stderr, mineErr: mine.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("stat on a small tree: the machine's and GNU stat 9.1 agree case by case", { timeout: 120_000 }, (t) => {
  if (!needHostStat(t)) return;
  const r = bothSides(`${TREE}\n${script(CASES, false)}\n${script(SHAPE_CASES, true)}`);
  assert.equal(r.hostErr, "", "the host script's own errors");
  const all = [...CASES, ...SHAPE_CASES];
  assert.equal(r.host.length, all.length, r.host.slice(0, 2).join("\n"));
  for (let i = 0; i < all.length; i++) assert.equal(r.mine[i], r.host[i], `case ${i}: stat ${all[i]}`);
  assert.equal(r.mineErr, "");
});

/** Cases on the devices every Linux has: /dev/null, /dev/zero, /dev/full (1,3 1,5 1,7, 0666 root:root). */
const MEM_DEVICES = [
  `stat -c '${STABLE}|%N' /dev/null /dev/zero /dev/full`,
  "stat -t /dev/null | cut -d' ' -f1-6,9-11,16",
  "stat /dev/zero | sed -E 's/Inode: [0-9]+ +/Inode: I /; s/^(Access|Modify|Change| Birth): [-0-9].*/\\1: T/'",
  "ls -l /dev/null /dev/zero /dev/full | sed -E 's/ [A-Z][a-z]{2} [ 0-9][0-9] ( [0-9]{4}|[0-9]{2}:[0-9]{2}) / DATE /'",
  "ls -lF /dev/null | cut -c1-28; ls -l --  /dev/full | cut -c1-28",
  "for o in -c -b -f -e -s -d -L -r -w; do test $o /dev/null; printf '%s=%s ' $o $?; [ $o /dev/zero ]; printf '%s ' $?; done; echo",
  "[[ -c /dev/null ]] && echo c; [[ -b /dev/null ]] || echo not-b; [[ ! -f /dev/full ]] && echo not-f",
  "find /dev/null /dev/zero /dev/full -type c; find /dev/null -type b; find /dev/null -type f; find /dev/zero -printf '%y %m %s %u %g %M\\n'",
  "find /dev/null -ls | cut -c11- | sed -E 's/ [A-Z][a-z]{2} [ 0-9][0-9] ( [0-9]{4}|[0-9]{2}:[0-9]{2}) / DATE /'",
  "find /dev/null /dev/zero -type c,b -empty; find /dev/full -xtype c; find /dev/full -group 0 -user root -gid 0 -uid 0",
  "echo x > /dev/null; echo $?; head -c 5 /dev/zero | wc -c; cat /dev/null | wc -c",
];

test("/dev/null, /dev/zero and /dev/full: the host's own devices and the machine's look the same to stat, ls, test and find", { timeout: 60_000 }, (t) => {
  if (!needHostStat(t)) return;
  const body = MEM_DEVICES.map((c) => `echo "## ${c.replace(/[\\"$`]/g, "\\$&")}"\n${c} 2>&1; echo "rc=$?"`).join("\n");
  const r = bothSides(body);
  assert.equal(r.hostErr, "");
  assert.equal(r.host.length, MEM_DEVICES.length);
  for (let i = 0; i < MEM_DEVICES.length; i++) assert.equal(r.mine[i], r.host[i], `case ${i}: ${MEM_DEVICES[i]}`);
});

/** The user WQs the machine enables (idxd's "user" driver), and the kernel's nodes for them. */
const USER_WQS = [
  "modprobe idxd",
  "accel-config disable-device iax1 > /dev/null 2>&1",
  "accel-config config-wq iax1/wq1.0 --group-id=0 --type=user --name=app1 --mode=dedicated --wq-size=16 --priority=10 --driver-name=user",
  "accel-config config-wq iax1/wq1.1 --group-id=0 --type=user --name=app2 --mode=shared --threshold=8 --wq-size=16 --priority=10 --driver-name=user",
  "accel-config config-engine iax1/engine1.0 --group-id=0",
  "accel-config enable-device iax1 > /dev/null 2>&1",
  "accel-config enable-wq iax1/wq1.0 iax1/wq1.1 > /dev/null 2>&1",
].join("\n");

/** Cases run in a directory D that holds null, zero, full, nvme0n1p3 and iax/ (the machine's /dev; on the host, made with mknod). */
const NODE_CASES = [
  "ls -l $D | sed -E 's/ [A-Z][a-z]{2} [ 0-9][0-9] ( [0-9]{4}|[0-9]{2}:[0-9]{2}) / DATE /' | grep -v -e ' iax$' -e '^total'",
  "ls -l $D/iax | sed -E 's/ [A-Z][a-z]{2} [ 0-9][0-9] ( [0-9]{4}|[0-9]{2}:[0-9]{2}) / DATE /'",
  "ls -l $D/nvme0n1p3 $D/iax/wq1.1 | sed -E 's/ [A-Z][a-z]{2} [ 0-9][0-9] ( [0-9]{4}|[0-9]{2}:[0-9]{2}) / DATE /; s| /.*/| |'",
  "cd $D && stat -c '%n|%F|%t|%T|%Hr|%Lr|%r|%R|%a|%A|%U|%G|%u|%g|%s|%b|%h|%f' nvme0n1p3 iax/wq1.0 iax/wq1.1",
  `cd $D && stat iax/wq1.1 nvme0n1p3 | ${MASK}`,
  "cd $D && [ -c iax/wq1.0 ] && [ -b nvme0n1p3 ] && [ ! -c nvme0n1p3 ] && [[ -c iax/wq1.1 ]] && echo yes",
  "cd $D && find iax nvme0n1p3 -type c | sort; find nvme0n1p3 iax -type b; find iax/wq1.0 nvme0n1p3 -printf '%y %m %u %g %s\\n'; find nvme0n1p3 -group disk -gid 6",
  "cd $D && find iax nvme0n1p3 -ls | cut -c11- | sed -E 's/ [A-Z][a-z]{2} [ 0-9][0-9] ( [0-9]{4}|[0-9]{2}:[0-9]{2}) / DATE /' | grep -v ' iax$' | sort",
];

test("the swap partition and idxd's /dev/iax/wqN.M: the machine's nodes match ones made as the kernel makes them", { timeout: 60_000 }, (t) => {
  if (!needHostStat(t)) return;
  const dir = mkdtempSync(join(tmpdir(), "iaa-stat-dev-"));
  try {
    // drivers/dma/idxd/cdev.c: the iax major (the machine's cdev_major), minors 0 and 1 from the IDA, 0600 root:root
    const mk = spawnSync("bash", ["-c", "set -e; mkdir iax; mknod -m 666 null c 1 3; mknod -m 666 zero c 1 5; mknod -m 666 full c 1 7; mknod -m 600 iax/wq1.0 c 234 0; mknod -m 600 iax/wq1.1 c 234 1; mknod -m 660 nvme0n1p3 b 259 3; chgrp disk nvme0n1p3"], { cwd: dir, encoding: "utf8" });
    if (mk.status !== 0) {
      if (process.env.CI === "true") assert.fail(`CI=true but mknod failed: ${mk.stderr}`);
      t.skip(`needs root to make device nodes (${mk.stderr.trim()})`);
      return;
    }
    const body = NODE_CASES.map((c) => `echo "## ${c.replace(/[\\"$`]/g, "\\$&")}"\n(${c}) 2>&1; echo "rc=$?"`).join("\n");
    const host = spawnSync("bash", ["-c", `D=${dir}\n${body}`], { encoding: "utf8", env: HOST_ENV });
    const w = bootWorld("tiny");
    const mine = machineShell(w, `${USER_WQS}\nD=/dev\n${body}`);
    assert.equal(host.stderr, "");
    assert.equal(mine.stderr, "");
    const h = host.stdout.split("\n## ");
    const m = mine.stdout.split("\n## ");
    assert.equal(h.length, NODE_CASES.length);
    for (let i = 0; i < NODE_CASES.length; i++) assert.equal(m[i], h[i], `case ${i}: ${NODE_CASES[i]}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("idxd's user-WQ nodes carry the device's cdev_major and the WQ's cdev_minor, and go when the WQ is disabled", () => {
  const w = bootWorld("tiny");
  const r = machineShell(
    w,
    [
      USER_WQS,
      "for q in wq1.0 wq1.1; do echo $q $(printf '%d %d' 0x$(stat -c %t /dev/iax/$q) 0x$(stat -c %T /dev/iax/$q)) $(cat /sys/bus/dsa/devices/iax1/cdev_major /sys/bus/dsa/devices/$q/cdev_minor); done",
      "accel-config list -d iax1 | grep -E 'cdev_major|cdev_minor' | tr -d ' ,'",
      "accel-config disable-wq iax1/wq1.0 > /dev/null 2>&1; ls /dev/iax; accel-config disable-wq iax1/wq1.1 > /dev/null 2>&1; ls -d /dev/iax 2>&1",
      // the IDA hands out the lowest free minor again
      "accel-config config-wq iax1/wq1.1 --group-id=0 --type=user --name=app2 --mode=shared --threshold=8 --priority=10 --driver-name=user; accel-config enable-wq iax1/wq1.1 > /dev/null 2>&1",
      "stat -c '%n %Hr,%Lr %a' /dev/iax/*",
    ].join("\n"),
  );
  assert.equal(r.stderr, "");
  assert.equal(
    r.stdout,
    [
      "wq1.0 234 0 234 0",
      "wq1.1 234 1 234 1",
      '"cdev_major":234',
      '"cdev_minor":0',
      '"cdev_minor":1',
      "wq1.1",
      "ls: cannot access '/dev/iax': No such file or directory",
      "/dev/iax/wq1.1 234,0 600",
      "",
    ].join("\n"),
  );
});

test("stat's times and numbers: one mtime for %x %y %z, no birth, the inode ls -i shows, st_dev of each file system", () => {
  const w = bootWorld("tiny");
  const r = machineShell(
    w,
    [
      "cd /tmp; printf x > f; sleep 1",
      "stat -c '%x|%y|%z' f; stat -c '%X %Y %Z %W %w' f; find f -printf '%T@ %i\\n'; ls -i f; stat -c '%i' f",
      "stat -c '%d %D %Hd:%Ld %m' f /sys/bus /proc/meminfo /dev/null /sys/kernel/debug",
    ].join("\n"),
  );
  assert.equal(r.stderr, "");
  const [times, epochs, findLine, lsI, ino, ...devs] = r.stdout.trimEnd().split("\n");
  const [x, y, z] = times!.split("|");
  assert.match(y!, /^2026-03-03 07:50:\d\d\.\d{9} \+0000$/);
  assert.equal(x, y);
  assert.equal(z, y);
  const [X, Y, Z, W, wb] = epochs!.split(" ");
  assert.equal(X, Y);
  assert.equal(Z, Y);
  assert.equal(W, "0");
  assert.equal(wb, "-");
  assert.equal(findLine!.split(".")[0], Y);
  assert.equal(Number(Y) % 60, Number(y!.slice(17, 19)));
  assert.equal(lsI, `${ino} f`);
  assert.equal(findLine!.split(" ")[1], ino);
  assert.deepEqual(devs, ["66306 10302 259:2 /", "21 15 0:21 /sys", "20 14 0:20 /proc", "6 6 0:6 /dev", "7 7 0:7 /sys/kernel/debug"]);
});
