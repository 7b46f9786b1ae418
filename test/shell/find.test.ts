/**
 * The machine's find against the host's GNU find 4.9, differentially:
 *
 * 1. The same small tree (directories, files of several sizes and modes, a
 *    symlink to a file, one to a directory, a dangling one) is built by the
 *    same script in a host scratch directory and in the machine's /tmp, and
 *    each case's output (sorted: the host's readdir order is its file
 *    system's), every stderr line and the status must be equal.
 * 2. The host's find runs in the `iaa exec` namespace over the machine's
 *    FUSE /sys and /proc, and the machine's find on the same machine: there
 *    the directory order is the same, so the output is compared as is.
 *    Needs root and FUSE: skipped without them (a failure under CI=true).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bootWorld } from "../../src/host/world.js";
import { machineShell } from "../helpers/machine_shell.js";
import { Rig, gate, missingPrereq } from "../host/fuse/_harness.js";

/** The tree: the same commands on both sides (the machine's clock moves only with sleep). */
const TREE = [
  "umask 022 2>/dev/null",
  "mkdir -p ft/a/b ft/c/d ft/e ft/tmpd/x",
  "printf hello > ft/a/f",
  "printf '' > ft/a/empty",
  "printf 'some text of more than five hundred and twelve bytes' > ft/c/t.txt",
  "i=0; while [ $i -lt 40 ]; do printf 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' >> ft/c/big.TXT; i=$((i+1)); done",
  "printf x > ft/c/d/g12",
  "printf x > ft/c/d/f3",
  "printf '#!/bin/sh\\n' > ft/e/run.sh",
  "chmod 755 ft/e/run.sh",
  "chmod 600 ft/a/f",
  "chmod 640 ft/c/t.txt",
  "chmod 1777 ft/e",
  "chmod 4711 ft/c/d/f3",
  "ln -s a/f ft/lnk",
  "ln -s c ft/dirlnk",
  "ln -s nowhere ft/dang",
  "printf o > ft/tmpd/a.o",
  "printf o > ft/tmpd/x/b.o",
  "printf c > ft/tmpd/x/b.c",
  "printf r > ft/old",
  "printf 'y\\nn\\n' > yes",
  "sleep 1",
  "printf n > ft/c/new",
].join("\n");

/** Cases on the tree, as find's arguments (shell words). */
const TREE_CASES = [
  "ft", "ft -maxdepth 1", "ft -mindepth 2", "ft -mindepth 1 -maxdepth 2", "ft -depth", "ft -maxdepth 0", "",
  "ft -type f", "ft -type d", "ft -type l", "ft -type f,l", "ft -xtype f", "ft -xtype l", "ft -xtype d",
  "-L ft -type l", "-L ft -xtype l", "-L ft -type d", "-H ft/dirlnk", "ft/dirlnk", "ft/dirlnk/", "-H ft/lnk -type f", "-L ft/dirlnk -maxdepth 1 -type f",
  "ft -name '*.txt'", "ft -iname '*.TXT'", "ft -name '[ef]*'", "ft -name '?'", "ft -name 'f[0-9]'", "ft/ -name ft", "ft -name '.*'",
  "ft -path 'ft/c/*'", "ft -ipath 'FT/C/D*'", "ft -wholename '*/d/*'", "ft -lname 'a/*'", "ft -ilname 'NOW*'",
  "ft -regex '.*/[fg][0-9]*'", "ft -regex 'ft/c.*'", "ft -iregex '.*TXT'", "ft -regex '.*\\(f3\\|g12\\)'", "ft -regex '.*/g1+2'",
  "ft -regex '.*/[[:alpha:]]+'", "ft -regex '.*/[[:a]+'", "ft -regex 'ft/c/d/(f3)'", "ft -regex 'ft/c/d/f3|x'", "ft -regex '.*/g1\\{2\\}'", "ft -regex '.*/g12{1}'",
  "ft -regex '^ft/a.*$'", "ft -regex 'ft/a$'", "ft -regex 'ft/c/\\w+'", "ft -regex '.*\\bf.*'", "ft -regex '.*/\\(.\\)\\1*'", "ft -regex '*ft.*'", "ft -regex 'ft/[^a-c].*'", "ft -regex 'ft/[]a]'",
  "ft -regextype posix-extended -regex '.*/(f|g)[0-9]+'", "ft -regextype posix-extended -regex '.*/[[:alpha:]]+'", "ft -regextype posix-extended -regex 'ft/(a|c)/(.)\\2*.*'", "ft -regextype sed -regex 'ft/\\(a\\|e\\)'", "ft -regextype posix-extended -regex '.*/[[:alpha:]]{3}\\.[a-z]+'",
  "ft -regextype posix-basic -regex '.*/g1\\{2\\}'", "ft -regextype posix-basic -regex '.*/\\(b\\)\\.[oc]'", "ft -regextype egrep -regex '.*t(xt|XT)'",
  "ft -empty", "ft ! -empty -type f", "ft -newer ft/old -type f", "ft ! -newer ft/old -type f",
  "ft -perm 644", "ft -perm -u+x", "ft -perm /o+w", "ft -perm -220", "ft -perm /111 -type f", "ft -perm u=rw,go=r", "ft -perm -4000", "ft -perm /1000",
  "ft -perm 0", "ft -perm -0 -type f", "ft -perm g=r,u=rw",
  "ft -type f -size 0", "ft -size -1k", "ft -size +1", "ft -type f -size 5c", "ft -size +4c -type f", "ft -size -6c", "ft -type f -size 1k", "ft -size -1M", "ft -size +2k", "ft -size 3k", "ft -size 6b",
  "ft -user root -type f", "ft -group 0 -type l", "ft -uid 0 -maxdepth 1", "ft -uid +0", "ft -gid -1 -maxdepth 1", "ft -user 4242", "ft -readable -type f", "ft -executable -type f", "ft -writable -maxdepth 1",
  "ft -links 2", "ft -links +2", "ft -links -2 -type f", "ft -samefile ft/a/f", "-L ft -samefile ft/a/f",
  "ft -name a -prune -o -print", "ft -name c -prune -o -type f -print", "ft -path ft/c -prune -o -name '*.o' -print",
  "ft -type f -name f -o -type d -name b", "ft ! -type d", "ft -not -name f -type f", "ft \\( -name f -o -name g12 \\) -type f", "ft -false -o -name f",
  "ft -name f , -name g12", "ft -true -maxdepth 1", "ft -type d -a -name d", "ft -type d -and -name b -or -name f3", "ft ! \\( -type f -o -type d \\)",
  "ft -maxdepth 1 -name '*' -print -print", "ft -name f3 -print0", "ft -name 'f3' -printf '%p\\0'",
  "ft -printf '%p %f %h %P %H %d %y %Y %m %M %l %n %u %g %U %G\\n'", "ft -type f -printf '%s %k %b\\n'", "ft -printf '%-10f|%10d|%.3p|%+d|%#m|%05d|%-6m|%x\\n'",
  "ft/ -maxdepth 1 -printf '[%p|%f|%h|%P]\\n'", "ft//c -maxdepth 1 -printf '[%p|%f|%h|%P]\\n'", "./ft -maxdepth 1 -printf '[%p|%f|%h]\\n'",
  "ft -maxdepth 1 -printf 'a\\tb\\\\\\101\\0x\\n'", "ft -maxdepth 0 -printf 'x\\cy\\n'", "ft -maxdepth 0 -printf '100%%\\n'", "ft -maxdepth 0 -printf '\\q\\n'",
  "ft -type f -exec echo X {} \\;", "ft -type f -exec printf '<%s>\\n' {} +", "ft -name '*.o' -exec echo a{}b {} \\;", "ft -type f -exec test -s {} \\; -print",
  "ft -maxdepth 1 -exec false \\;", "ft -maxdepth 1 -exec false {} +", "ft -maxdepth 1 -name a -exec nosuchcmd {} \\;", "ft -maxdepth 1 -name a -exec nosuchcmd {} +",
  "ft -type f -name 'f*' -execdir echo {} \\;", "ft -name '*.o' -execdir printf '<%s>\\n' {} +", "ft/a -maxdepth 0 -execdir echo {} \\;",
  "ft -name f3 -print -quit", "ft -quit", "ft -name '*.o' -delete", "ft -path '*/tmpd*'", "ft/tmpd -delete", "ft -name tmpd",
  "ft -xdev -maxdepth 1", "ft -noleaf -maxdepth 1 -type d", "ft -ignore_readdir_race -maxdepth 0", "-P ft -maxdepth 1 -type l", "-O3 ft -maxdepth 0", "-D help",
  "nosuch ft -maxdepth 0", "ft nosuch", "ft/a/f/x", "''",
  "-foo", "ft -foo", "ft -name", "ft \\( -name x", "ft \\)", "ft -name x \\)", "ft -o", "ft -name x -o", "ft !", "ft -not", "ft -a", "ft -name x -a",
  "ft ! -o -name x", "ft -name x -o -o -print", "ft \\( \\)", "ft -print ,", "ft , -print", "ft -type z", "ft -type f,z", "ft -type ff", "ft -type f,f", "ft -type f,", "ft -type ,f",
  "ft -maxdepth x", "ft -maxdepth -1", "ft -mindepth 1x", "ft -size 3q", "ft -size x", "ft -size +", "ft -size 1.5k", "ft -perm 999", "ft -perm +222", "ft -perm u+q",
  "ft -newer nosuch", "ft -samefile nosuch", "ft -exec echo", "ft -exec echo {} x +", "ft -exec echo {} {} +", "ft -exec \\;", "ft -execdir", "ft -regextype foo",
  "ft -user bobx", "ft -group bobx", "ft -delete -prune", "ft -name x b", "ft -name x ft", "ft -printf", "ft -printf '%z\\n' -maxdepth 0", "ft -printf '%'", "ft -printf '%{'",
  "ft -links x", "ft -regex '\\('", "ft -regex '[a'", "ft -regextype posix-extended -regex 'a{1'", "ft -regex '\\)'",
  "ft -maxdepth 0 -warn -name x/", "ft -maxdepth 0 -warn -iname x/", "ft -warn -path a/ -maxdepth 0", "ft -warn -name x -maxdepth 1", "ft -warn -print -d -maxdepth 0", "ft -nowarn -name x -mindepth 1",
  "ft -mmin -1 -type f", "ft -mmin +1", "ft -mtime 0 -type f", "ft -mtime +0", "ft -mtime -1 -name old", "ft -atime 0 -name old", "ft -cmin -5 -name new", "ft -daystart -mtime 0 -type f", "ft -mmin x", "ft -mtime 1.5x",
  "ft -newermm ft/old -type f", "ft -newermt '2000-01-01' -maxdepth 0", "ft -newermt '2999-01-01 10:00'", "ft -newerqq x", "ft -newertm x", "ft -newermt garbage", "ft -newerBt 2020-01-01", "ft -newermm nosuch",
  "ft -maxdepth 1 -name a -fprint fp; cat fp", "ft -name f3 -fprint0 fp -fprintf fq '<%f>'; cat fp fq", "ft -fprint", "ft -maxdepth 0 -fprintf x",
  "ft -maxdepth 1 -ls | cut -c11- | sed -E 's/ [A-Z][a-z]{2} [ 0-9][0-9] ( [0-9]{4}|[0-9]{2}:[0-9]{2}) / DATE /'", "ft -name f3 -fls fl; cut -c11-40 fl",
  "ft -maxdepth 1 -name 'e' -ok echo {} \\; < yes", "ft/a ft/e -maxdepth 0 -ok echo {} \\; < yes", "ft -maxdepth 1 -name a -okdir echo {} \\; < yes", "ft -maxdepth 1 -name e -ok echo {} x \\; < yes", "ft -ok echo {} +", "ft -name a -okdir echo {} + \\; < yes",
  "-version",
];

/** The script: the tree, then each case's sorted stdout, its stderr lines marked, its status. */
function treeScript(cases: string[]): string {
  return [
    TREE,
    `t() { echo "## find $1"; eval "find $1" > out 2> err; echo "rc=$?"; tr '\\0' '@' < out | sort; while IFS= read -r l || [ -n "$l" ]; do echo "ERR: $l"; done < err; }`,
    ...cases.map((c) => `t "${c.replace(/[\\"$`]/g, "\\$&")}"`),
  ].join("\n");
}

function hostFind(): boolean {
  const v = spawnSync("find", ["--version"], { encoding: "utf8" });
  return v.status === 0 && v.stdout.includes("GNU findutils");
}

const HOST_ENV = { ...process.env, LANG: "C.UTF-8", LC_ALL: "", LC_MESSAGES: "", TZ: "UTC" };

test("find on a small tree: the machine's and GNU find agree case by case", { timeout: 120_000 }, (t) => {
  if (!hostFind()) {
    if (process.env.CI === "true") assert.fail("CI=true but the host has no GNU find");
    t.skip("the host has no GNU find to compare with");
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "iaa-find-"));
  try {
    const script = treeScript(TREE_CASES);
    const host = spawnSync("bash", ["-c", script], { cwd: dir, encoding: "utf8", env: HOST_ENV, input: "" });
    const w = bootWorld("tiny");
    const mine = machineShell(w, `mkdir -p /tmp/iaa-find && cd /tmp/iaa-find\n${script}`);
    assert.equal(host.stderr, "", "the host script's own errors");
    const h = host.stdout.split("\n## ");
    const m = mine.stdout.split("\n## ");
    assert.equal(h.length, TREE_CASES.length, host.stdout.slice(0, 300));
    for (let i = 0; i < h.length; i++) assert.equal(m[i], h[i], `case ${i}: find ${TREE_CASES[i]}`);
    assert.equal(mine.stderr, "");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Cases over /sys and /proc: the host's find in the namespace, the machine's on the same machine; output as is. */
const SYS_CASES = [
  "/sys/bus/dsa/devices -maxdepth 1 -name 'wq*'", "/sys/bus/dsa/devices", "/sys/bus/dsa -maxdepth 2", "/sys/bus/dsa -depth -maxdepth 2",
  "/sys/bus/dsa/devices/ -maxdepth 1 -type l", "-H /sys/bus/dsa/devices/iax1 -maxdepth 1", "/sys/bus/dsa/devices/iax1", "/sys/bus/dsa/devices/iax1/ -maxdepth 1",
  "-L /sys/bus/dsa/devices/iax1 -maxdepth 1 -type d", "-L /sys/bus/dsa/devices -maxdepth 2 -name 'wq1*'", "-L /sys/bus/dsa/devices/wq1.0 -maxdepth 3 -name subsystem",
  "/sys/kernel/debug -type f", "/sys/kernel/debug/iaa-crypto -type f -exec cat {} +", "/sys/kernel/debug/iaa-crypto -type f -exec grep -H . {} \\;",
  "/sys/devices -name 'wq1.*' -print0 | xargs -0 -n1 basename", "/sys/devices -maxdepth 3 -name 'iax*' -printf '%d %y %f\\n'",
  "/sys/bus/dsa/devices/ -maxdepth 1 -printf '%p|%f|%h|%P|%y|%Y|%l|%s|%m|%M|%n|%k\\n'",
  "/sys/bus/dsa/devices/iax1/ -printf '%s %m %M %n %k %b %d %T@ %t %TY-%Tm-%Td %TT %A+ %C@ %Tk:%TI %Tp %Tj %Ta %Tb %Te %TD %TF %Ts\\n'",
  // -ls without the inode (the mount's node id is the machine's inode + 1) and the date (the machine's clock says when "now" is)
  "/sys/bus/dsa/devices/iax1/ -maxdepth 1 -ls | cut -c11- | sed -E 's/ [A-Z][a-z]{2} [ 0-9][0-9] ( [0-9]{4}|[0-9]{2}:[0-9]{2}) / DATE /'",
  "/sys/bus/dsa/drivers -maxdepth 1 -ls | cut -c11- | sed -E 's/ [A-Z][a-z]{2} [ 0-9][0-9] ( [0-9]{4}|[0-9]{2}:[0-9]{2}) / DATE /'",
  "/proc/sys -empty", "/proc/sys -type f -size 0 -name 's*'", "/proc/sys/vm -printf '%s %m %n %k %y\\n'", "/sys/bus/dsa/devices/iax1 -maxdepth 1 ! -empty -name 'max*'", "/sys/kernel/debug -empty",
  "/sys/bus/dsa/devices/iax1/ -maxdepth 1 -perm 0644", "/sys/bus/dsa/devices/iax1/ -maxdepth 1 -perm -200", "/sys/bus/dsa/devices/iax1/ -maxdepth 1 -perm /222 -type f",
  "/sys/bus/dsa/devices/iax1/ -maxdepth 1 -writable -type f", "/sys/bus/dsa/devices/iax1/ -executable", "/sys/bus/dsa/devices/iax1/ -maxdepth 1 -size -1",
  "/sys/bus/dsa/devices/iax1/ -maxdepth 1 -type f -name 'max_*' -exec cat {} \\;", "/sys/bus/dsa/devices -maxdepth 1 -name 'iax*' -execdir echo {} \\;",
  "/sys/bus/dsa/devices -maxdepth 1 -name 'iax*' -print -quit", "/sys/bus/dsa/devices/wq1.0 /sys/bus/dsa/devices/wq1.0/ -maxdepth 1 -type l", "/sys/class -maxdepth 2 -xtype d -type l",
  "/sys/bus/dsa -name drivers -prune -o -maxdepth 2 -print", "/sys/bus/dsa/devices -maxdepth 1 -newer /sys/bus/dsa/devices/iax1", "/sys/bus/dsa/devices -maxdepth 1 -regex '.*/wq[13]\\.[0-3]'",
  "/sys/bus/dsa/devices/iax1/ -maxdepth 1 -links 1 -name 'op*'", "/sys/module/iaa_crypto -maxdepth 2", "/sys/nosuch /sys/bus/dsa -maxdepth 1", "/sys/bus/dsa/devices/iax1/ -maxdepth 1 -delete -name version",
  "/sys/bus/dsa/devices -mindepth 1 -maxdepth 1 -samefile /sys/bus/dsa/devices/iax1", "-L /sys/bus/dsa/devices -mindepth 1 -maxdepth 1 -samefile /sys/bus/dsa/devices/iax1",
];

let rig: Rig | undefined;
before(async () => {
  if (missingPrereq() !== null || !hostFind()) return;
  rig = await Rig.start("tiny");
  const r = rig.machine("modprobe iaa_crypto");
  assert.equal(r.code, 0, r.stderr);
});
after(async () => {
  await rig?.stop();
});

test("find over the machine's /sys and /proc: the host's GNU find in iaa exec and the machine's find print the same", { timeout: 120_000 }, async (t) => {
  if (!gate(t)) return;
  if (!hostFind()) {
    if (process.env.CI === "true") assert.fail("CI=true but the host has no GNU find");
    t.skip("the host has no GNU find to compare with");
    return;
  }
  assert.ok(rig !== undefined, "the FUSE mount did not start");
  const script = [
    "export LANG=C.UTF-8 TZ=UTC LC_ALL=",
    "D=/tmp/iaa-find-sys-$$; mkdir -p $D",
    `t() { echo "## find $1"; eval "find $1" > $D/out 2> $D/err; echo "rc=$?"; cat $D/out; while IFS= read -r l; do echo "ERR: $l"; done < $D/err; }`,
    ...SYS_CASES.map((c) => `t "${c.replace(/[\\"$`]/g, "\\$&")}"`),
    "rm -rf $D",
  ].join("\n");
  const host = await rig.bash(script);
  const mine = rig.machine(script);
  assert.equal(host.stderr, "");
  const h = host.stdout.split("\n## ");
  const m = mine.stdout.split("\n## ");
  assert.equal(h.length, SYS_CASES.length, host.stdout.slice(0, 300));
  for (let i = 0; i < h.length; i++) assert.equal(m[i], h[i], `case ${i}: find ${SYS_CASES[i]}`);
});
