/**
 * The machine's identity programs and variables: id, whoami, hostname (over
 * kernel.hostname, kept in snapshots), mktemp (files 0600 and directories
 * 0700 under $TMPDIR or /tmp, the same names for the same commands), and
 * bash's UID, EUID and PPID.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { bootWorld } from "../../src/host/world.js";
import { machineShell } from "../helpers/machine_shell.js";
import { restoreWorld, saveWorld } from "../../src/host/snapshot.js";


test("id, whoami and bash's UID/EUID say root; a root check in a script passes without an error", () => {
  const w = bootWorld("tiny");
  const r = machineShell(w, 'id; id -u; id -g; id -G; id -un; id -gn; whoami; echo "$UID $EUID $PPID"; if [ "$EUID" -ne 0 ]; then echo "not root"; fi; id nobody; echo $?');
  assert.equal(r.stdout, "uid=0(root) gid=0(root) groups=0(root)\n0\n0\n0\nroot\nroot\nroot\n0 0 1\n1\n");
  assert.equal(r.stderr, "id: ‘nobody’: no such user\n");
  assert.equal(machineShell(w, "id -u -g").stderr, 'id: cannot print "only" of more than one choice\n');
  assert.match(machineShell(w, "UID=5; echo reached").stderr, /UID: readonly variable/);
});

test("hostname reads and sets kernel.hostname (uname -n and sysctl see it), and a snapshot keeps it", () => {
  const w = bootWorld("tiny");
  assert.equal(machineShell(w, "hostname").stdout, "iaa-emu\n");
  const r = machineShell(w, "hostname node7.lab.example; hostname; hostname -s; uname -n; sysctl -n kernel.hostname");
  assert.equal(r.stdout, "node7.lab.example\nnode7\nnode7.lab.example\nnode7.lab.example\n");
  assert.equal(machineShell(w, `hostname ${"x".repeat(65)}; echo $?`).stdout, "1\n");
  const back = restoreWorld(saveWorld(w));
  assert.equal(machineShell(back, "hostname").stdout, "node7.lab.example\n");
});

test("mktemp makes a file (0600) or a directory (0700) with a fresh name, under TMPDIR or -p; bad templates fail", () => {
  const a = bootWorld("tiny");
  const b = bootWorld("tiny");
  const script = 'f=$(mktemp); d=$(mktemp -d); g=$(mktemp -p /root run.XXXXXX); h=$(TMPDIR=/root mktemp); echo "$f $d $g $h"; ls -ld "$f" | cut -c1-10; ls -ld "$d" | cut -c1-10; test -f "$g" && test -f "$h" && echo made';
  const ra = machineShell(a, script);
  assert.equal(ra.code, 0, ra.stderr);
  const [f, d, g, h] = ra.stdout.split("\n")[0]!.split(" ");
  assert.match(f!, /^\/tmp\/tmp\.[0-9A-Za-z]{10}$/);
  assert.match(d!, /^\/tmp\/tmp\.[0-9A-Za-z]{10}$/);
  assert.notEqual(f, d);
  assert.match(g!, /^\/root\/run\.[0-9A-Za-z]{6}$/);
  assert.match(h!, /^\/root\/tmp\.[0-9A-Za-z]{10}$/);
  assert.deepEqual(ra.stdout.split("\n").slice(1), ["-rw-------", "drwx------", "made", ""]);
  assert.equal(machineShell(b, script).stdout, ra.stdout, "a twin machine makes the same names");
  const bad = machineShell(a, "mktemp abc.XX; echo $?; mktemp -d /nonexistent/x.XXXX; echo $?");
  assert.equal(bad.stdout, "1\n1\n");
  assert.match(bad.stderr, /^mktemp: too few X's in template ‘abc\.XX’\nmktemp: failed to create directory via template ‘\/nonexistent\/x\.XXXX’: No such file or directory\n$/);
});
