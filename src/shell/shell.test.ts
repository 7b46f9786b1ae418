/**
 * Shell behaviour on the emulated file system: kernfs write errors as bash
 * reports them, set -e, streaming order, limits, executables, interactive mode.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { KnDir } from "../kernfs/node.js";
import { makeFixture, putFile, runC } from "./test_fixture.js";

const S = "/sys/bus/dsa/devices/iax1/wq1.0/size";

test("echo to a refused sysfs attribute prints bash's write error and sets $? to 1", () => {
  const r = runC(`echo 5 > ${S}; echo "rc=$?"`);
  assert.equal(r.err, "bash: line 1: echo: write error: Operation not permitted\n");
  assert.equal(r.out, "rc=1\n");
  assert.equal(r.status, 0);
  assert.deepEqual(r.fx.stores, [[S, "5\n"]]);
});

test("write errors carry the prefix of each mode", () => {
  const fx = makeFixture();
  fx.shell.runScript(`echo start\necho 5 > ${S}\n`, "/root/cfg.sh");
  assert.equal(fx.sinks.err(), "/root/cfg.sh: line 2: echo: write error: Operation not permitted\n");
  const fi = makeFixture();
  assert.equal(fi.shell.runLine(`echo 5 > ${S}`), 1);
  assert.equal(fi.sinks.err(), "bash: echo: write error: Operation not permitted\n");
});

test("set -e stops a script at a refused write", () => {
  const r = runC(`set -e\necho before\necho 5 > ${S}\necho NOT_REACHED`);
  assert.deepEqual([r.out, r.err, r.status], ["before\n", "bash: line 3: echo: write error: Operation not permitted\n", 1]);
});

test("refused writes in conditions, lists, functions and loops", () => {
  const r = runC(`echo 5 > ${S} || echo "failed rc=$?"
if ! echo 5 > ${S}; then echo failed; fi
f() { echo 5 > ${S}; }; f; echo "f rc=$?"
for i in 1 2; do echo $i > ${S}; echo "iter $i rc=$?"; done
echo 5 > ${S} 2>/dev/null; echo "quiet rc=$?"`);
  assert.equal(r.out, "failed rc=1\nfailed\nf rc=1\niter 1 rc=1\niter 2 rc=1\nquiet rc=1\n");
  assert.equal(r.err, [1, 2, 3, 4, 4].map((l) => `bash: line ${l}: echo: write error: Operation not permitted\n`).join(""));
});

test("open failures, EINVAL, printf, cat, tee and missing files", () => {
  const fx = makeFixture();
  fx.wq.get("iax1/wq1.0")!.state = "disabled";
  const script = [
    `echo x > /sys/bus/dsa/devices/iax1/state; echo "ro=$?"`,
    `echo 500 > ${S}; echo "inval=$?"`,
    `printf '5\\n' > /sys/bus/dsa/devices/iax3/wq3.0/size`,
    `cat > ${S} <<END`,
    `200`,
    `END`,
    `echo 5 | tee /sys/bus/dsa/devices/iax3/wq3.0/size; echo "tee=\${PIPESTATUS[1]}"`,
    `cat /nope; echo "cat=$?"`,
    `read v < /nope; echo "read=$?"`,
    `nosuch; echo "nf=$?"`,
    `echo 64 > ${S}; cat ${S}`,
  ].join("\n");
  const st = fx.shell.runString(script);
  assert.equal(st, 0);
  assert.equal(fx.sinks.out(), "ro=1\ninval=1\n5\ntee=1\ncat=1\nread=1\nnf=127\n64\n");
  assert.equal(
    fx.sinks.err(),
    [
      "bash: line 1: /sys/bus/dsa/devices/iax1/state: Permission denied",
      "bash: line 2: echo: write error: Invalid argument",
      "bash: line 3: printf: write error: Operation not permitted",
      "cat: write error: Invalid argument",
      "tee: /sys/bus/dsa/devices/iax3/wq3.0/size: Operation not permitted",
      "cat: /nope: No such file or directory",
      "bash: line 9: /nope: No such file or directory",
      "bash: line 10: nosuch: command not found",
      "",
    ].join("\n"),
  );
  assert.deepEqual(
    fx.stores.filter((s) => s[0] === S),
    [
      [S, "500\n"],
      [S, "200\n"],
      [S, "64\n"],
    ],
  );
});

test("cat reports the errno of a failing show()", () => {
  const fx = makeFixture();
  (fx.vfs.lookup("/sys/bus/dsa/devices/iax1") as KnDir).attr("broken", 0o444, () => -5);
  assert.equal(fx.shell.runString("cat /sys/bus/dsa/devices/iax1/broken"), 1);
  assert.equal(fx.sinks.err(), "cat: /sys/bus/dsa/devices/iax1/broken: Input/output error\n");
});

test("stdout and stderr of a command reach their sinks in the order written", () => {
  const fx = makeFixture();
  fx.shell.register("chatty", (ctx) => {
    ctx.stdout.write("out1\n");
    ctx.stderr.write("err1\n");
    ctx.stdout.write("out2\n");
    return 0;
  });
  putFile(fx, "/usr/bin/chatty", "\x7fELF iaa-emu:chatty\n", 0o755);
  fx.shell.runString("chatty; chatty 2>&1 | cat");
  assert.deepEqual(fx.sinks.events, [
    { fd: 1, text: "out1\n" },
    { fd: 2, text: "err1\n" },
    { fd: 1, text: "out2\n" },
    { fd: 1, text: "out1\nerr1\nout2\n" },
  ]);
});

test("pipes feed wc -l and command substitution", () => {
  const r = runC('lspci -d:0cfe | wc -l; n=$(lspci -d:${id:-0cfe} | wc -l); echo "n=[$n]"; zcat /proc/config.gz | grep IAA');
  assert.equal(r.out, "2\nn=[2]\nCONFIG_CRYPTO_DEV_IAA_CRYPTO=m\n# CONFIG_CRYPTO_DEV_IAA_CRYPTO_STATS is not set\n");
  assert.equal(r.err, "");
});

test("globs expand against the VFS", () => {
  const r = runC('echo /sys/bus/dsa/devices/*; for d in /sys/bus/dsa/devices/iax?; do echo "$(basename $d): $(cat $d/state)"; done; echo /sys/bus/dsa/devices/[x]*; cd /sys/bus/dsa/devices && echo iax[13]/wq*');
  assert.equal(r.out, "/sys/bus/dsa/devices/iax1 /sys/bus/dsa/devices/iax3\niax1: enabled\niax3: enabled\n/sys/bus/dsa/devices/[x]*\niax1/wq1.0 iax3/wq3.0\n");
});

test("the step limit stops a loop that never ends", () => {
  const r = runC("while true; do :; done; echo after", { limits: { maxSteps: 5000 } });
  assert.deepEqual([r.out, r.err, r.status], ["", "bash: execution limit reached (5000 steps); script stopped\n", 1]);
  const l = runC("for ((;;)); do :; done", { limits: { maxLoopIterations: 100 } });
  assert.equal(l.err, "bash: execution limit reached (100 loop iterations); script stopped\n");
  const f = runC("f() { f; }; f; echo after", { limits: { maxDepth: 50 } });
  assert.equal(f.err, "bash: line 1: f: maximum function nesting level exceeded (50)\n");
  assert.equal(f.status, 1);
});

test("executables: emulated binaries, scripts with #!, permissions", () => {
  const fx = makeFixture();
  putFile(fx, "/root/t.sh", '#!/bin/bash\necho "$0 $# $1"\nnosuch\nexit 3\n', 0o755);
  putFile(fx, "/root/noexec.sh", "echo hi\n", 0o644);
  putFile(fx, "/usr/bin/alien", "\x7fELF iaa-emu:alien\n", 0o755);
  const st = fx.shell.runString('./t.sh a b; echo "rc=$?"; ./noexec.sh; echo "rc=$?"; ./nope; echo "rc=$?"; alien; echo "rc=$?"; ./memory_madvise 3 | head -1; bash t.sh z; sh -c \'echo "$0-$1"\' n0 n1');
  assert.equal(st, 0);
  assert.equal(fx.sinks.out(), "./t.sh 2 a\nrc=3\nrc=126\nrc=127\nrc=126\n分配 3 页以进行交换\nt.sh 1 z\nn0-n1\n");
  assert.equal(
    fx.sinks.err(),
    "./t.sh: line 3: nosuch: command not found\nbash: line 1: ./noexec.sh: Permission denied\nbash: line 1: ./nope: No such file or directory\nbash: line 1: alien: cannot execute binary file: Exec format error\nt.sh: line 3: nosuch: command not found\n",
  );
  assert.deepEqual(fx.slept, [5]);
});

test("sleep advances virtual time through the hook", () => {
  const r = runC("sleep 2; sleep 0.5 1m; sleep x");
  assert.deepEqual(r.fx.slept, [2, 60.5]);
  assert.equal(r.err, "sleep: invalid time interval 'x'\nTry 'sleep --help' for more information.\n");
});

test("interactive lines keep state and report errors without line numbers", () => {
  const fx = makeFixture();
  fx.shell.runLine("x=5; cd /sys/bus/dsa/devices");
  fx.shell.runLine('echo "$x $PWD"; f() { echo fn; }');
  fx.shell.runLine("f; foo");
  assert.equal(fx.shell.cwd, "/sys/bus/dsa/devices");
  assert.equal(fx.sinks.out(), "5 /sys/bus/dsa/devices\nfn\n");
  assert.equal(fx.sinks.err(), "bash: foo: command not found\n");
  assert.equal(fx.shell.runLine("if then"), 2);
  assert.equal(fx.shell.exited, false);
  fx.shell.runLine("exit 4");
  assert.equal(fx.shell.exited, true);
  assert.equal(fx.shell.status, 4);
  assert.equal(fx.shell.isComplete("if true; then"), false);
  assert.equal(fx.shell.isComplete('echo "a'), false);
  assert.equal(fx.shell.isComplete("echo a; echo b"), true);
});

test("source, eval, command -v, which and type find the VFS programs", () => {
  const fx = makeFixture();
  putFile(fx, "/root/lib.sh", 'greet() { echo "hi $1"; }\nLIBVAR=1\n');
  fx.shell.runString('. ./lib.sh; greet you; eval "echo \\$LIBVAR"; command -v lspci; which accel-config; type modprobe; type -t greet');
  assert.equal(fx.sinks.out(), "hi you\n1\n/usr/bin/lspci\n/usr/bin/accel-config\nmodprobe is /usr/bin/modprobe\nfunction\n");
});

test("heredocs with expansions, quoted delimiters and <<-", () => {
  const r = runC("n=2\ncat <<EOF\nn=$n $((n*2))\nEOF\ncat <<'X'\n$n\nX\ncat <<-E\n\t\tindented\n\tE\n");
  assert.equal(r.out, "n=2 4\n$n\nindented\n");
});

test("$(< file) reads a file without running a command; >&- closes stdout", () => {
  const r = runC('x=$(< /sys/bus/dsa/devices/iax1/state); echo "[$x]"; y=$(< /nope); echo "rc=$?"; echo gone >&-; echo "closed rc=$?"');
  assert.equal(r.out, "[enabled]\nrc=1\nclosed rc=1\n");
  assert.equal(r.err, "bash: line 1: /nope: No such file or directory\nbash: line 1: echo: write error: Bad file descriptor\n");
});
