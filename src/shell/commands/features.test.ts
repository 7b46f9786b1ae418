/** grep -r/-R, ls -l in a directory reached through a symlink, head of endless input, clear, yes. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runC } from "../test_fixture.js";

const TREE = "mkdir -p T/a/b && echo hello > T/a/x && echo hello > T/a/b/y && echo no > T/z && ln -s a T/l";

test("grep -r walks directories (not symlinks below the top), -R follows them, no operand means '.' without './'", (t) => {
  const ours = runC(`cd /tmp && ${TREE} && grep -r hello T | sort; grep -R hello T | sort; cd T && grep -r hel | sort; grep hello a; echo $?`);
  const dir = mkdtempSync(join(tmpdir(), "grep-r-"));
  try {
    const host = spawnSync("bash", ["-c", `${TREE} && grep -r hello T | sort; grep -R hello T | sort; cd T && grep -r hel | sort; grep hello a; echo $?`], { cwd: dir, encoding: "utf8" });
    if (host.status === null || host.error !== undefined) {
      if (process.env["CI"] === "true") assert.fail("CI needs GNU grep");
      t.skip("no host grep to compare with");
      return;
    }
    assert.equal(ours.out, host.stdout);
    assert.equal(ours.err, host.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("ls -l in a directory reached through a symlink lists the directory (issue 13 point 16)", () => {
  const ours = runC("mkdir -p /tmp/w/real && touch /tmp/w/real/f && ln -s real /tmp/w/L && cd /tmp/w && cd L && ls -l | cut -c1-10; ls; ls -d . ; ls ..");
  assert.equal(ours.status, 0, ours.err);
  const lines = ours.out.split("\n");
  assert.equal(lines[0], "total 0");
  assert.equal(lines[1], "-rw-r--r--");
  assert.deepEqual(lines.slice(2), ["f", ".", "L", "real", ""]);
});

test("head -c of an endless device stops at the count; the wc of a long stream is exact", () => {
  const r = runC("mkdir -p /dev && : > /dev/zero; head -c 100000000 /dev/zero | wc -c; seq 1 2000000 | wc -l");
  assert.equal(r.out, "100000000\n2000000\n");
  assert.equal(r.status, 0);
});

test("clear writes the terminal's clear sequence; yes | head -n 3 gives three lines and yes dies of SIGPIPE", () => {
  assert.equal(runC("clear").out, "\x1b[H\x1b[2J\x1b[3J");
  const r = runC('yes | head -n 3; echo "${PIPESTATUS[@]}"', { hooks: { interrupted: () => false } });
  assert.equal(r.out, "y\ny\ny\n141 0\n");
  assert.equal(r.err, "");
  assert.equal(r.status, 0);
});
