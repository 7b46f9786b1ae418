/**
 * The machine's identity programs and variables: id, whoami, hostname (over
 * kernel.hostname, kept in snapshots), mktemp (files 0600 and directories
 * 0700 under $TMPDIR or /tmp, the same names for the same commands), and
 * bash's UID, EUID and PPID.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { bootWorld, type World } from "../../src/host/world.js";
import { restoreWorld, saveWorld } from "../../src/host/snapshot.js";

function run(w: World, script: string): { out: string; err: string; status: number } {
  let out = "";
  let err = "";
  const dec = new TextDecoder();
  const sink = (add: (s: string) => void) => ({ write: (d: string | Uint8Array) => void add(typeof d === "string" ? d : dec.decode(d)) });
  const status = w.shell({ stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)) }).runString(script);
  return { out, err, status };
}

test("id, whoami and bash's UID/EUID say root; a root check in a script passes without an error", () => {
  const w = bootWorld("tiny");
  const r = run(w, 'id; id -u; id -g; id -G; id -un; id -gn; whoami; echo "$UID $EUID $PPID"; if [ "$EUID" -ne 0 ]; then echo "not root"; fi; id nobody; echo $?');
  assert.equal(r.out, "uid=0(root) gid=0(root) groups=0(root)\n0\n0\n0\nroot\nroot\nroot\n0 0 1\n1\n");
  assert.equal(r.err, "id: ‘nobody’: no such user\n");
  assert.equal(run(w, "id -u -g").err, 'id: cannot print "only" of more than one choice\n');
  assert.match(run(w, "UID=5; echo reached").err, /UID: readonly variable/);
});

test("hostname reads and sets kernel.hostname (uname -n and sysctl see it), and a snapshot keeps it", () => {
  const w = bootWorld("tiny");
  assert.equal(run(w, "hostname").out, "iaa-emu\n");
  const r = run(w, "hostname node7.lab.example; hostname; hostname -s; uname -n; sysctl -n kernel.hostname");
  assert.equal(r.out, "node7.lab.example\nnode7\nnode7.lab.example\nnode7.lab.example\n");
  assert.equal(run(w, `hostname ${"x".repeat(65)}; echo $?`).out, "1\n");
  const back = restoreWorld(saveWorld(w));
  assert.equal(run(back, "hostname").out, "node7.lab.example\n");
});

test("mktemp makes a file (0600) or a directory (0700) with a fresh name, under TMPDIR or -p; bad templates fail", () => {
  const a = bootWorld("tiny");
  const b = bootWorld("tiny");
  const script = 'f=$(mktemp); d=$(mktemp -d); g=$(mktemp -p /root run.XXXXXX); h=$(TMPDIR=/root mktemp); echo "$f $d $g $h"; ls -ld "$f" | cut -c1-10; ls -ld "$d" | cut -c1-10; test -f "$g" && test -f "$h" && echo made';
  const ra = run(a, script);
  assert.equal(ra.status, 0, ra.err);
  const [f, d, g, h] = ra.out.split("\n")[0]!.split(" ");
  assert.match(f!, /^\/tmp\/tmp\.[0-9A-Za-z]{10}$/);
  assert.match(d!, /^\/tmp\/tmp\.[0-9A-Za-z]{10}$/);
  assert.notEqual(f, d);
  assert.match(g!, /^\/root\/run\.[0-9A-Za-z]{6}$/);
  assert.match(h!, /^\/root\/tmp\.[0-9A-Za-z]{10}$/);
  assert.deepEqual(ra.out.split("\n").slice(1), ["-rw-------", "drwx------", "made", ""]);
  assert.equal(run(b, script).out, ra.out, "a twin machine makes the same names");
  const bad = run(a, "mktemp abc.XX; echo $?; mktemp -d /nonexistent/x.XXXX; echo $?");
  assert.equal(bad.out, "1\n1\n");
  assert.match(bad.err, /^mktemp: too few X's in template ‘abc\.XX’\nmktemp: failed to create directory via template ‘\/nonexistent\/x\.XXXX’: No such file or directory\n$/);
});
