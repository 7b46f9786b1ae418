/**
 * The machine's sed against the host's GNU sed: the same script on the same
 * input gives the same output, messages and status, case by case (skipped
 * with the reason where the host has no GNU sed; CI installs it).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bootWorld } from "../../src/host/world.js";
import { machineShell } from "../helpers/machine_shell.js";

const INPUT = "alpha one\nbeta two\ngamma three\n\ndelta four 44\nepsilon five\nzeta six\n";
const CASES: string[][] = [
  ["s/a/A/"], ["s/a/A/g"], ["s/a/A/2"], ["s/a/A/2g"], ["-n", "s/e/E/gp"], ["s/\\(a\\)\\(l\\)/\\2\\1/"], ["-E", "s/(a)(l)/\\2\\1/"],
  ["s/[[:digit:]]\\+/<&>/"], ["s/o\\?n/X/"], ["-E", "s/o?n/X/g"], ["s|t|T|g"], ["s/^/> /"], ["s/$/;/"], ["s/ .*//"], ["s/.*/\\U&/"],
  ["2d"], ["2,4d"], ["/beta/,/delta/d"], ["$d"], ["-n", "$p"], ["-n", "2p"], ["-n", "/^$/="], ["="], ["2!d"], ["/a/!s/e/E/"],
  ["3q"], ["3q5"], ["3Q"], ["2i\\\ninserted"], ["2a appended"], ["$a the end"], ["2c changed"], ["2,3c changed"], ["y/abc/xyz/"],
  ["-n", "h;n;G;p"], ["N;s/\\n/+/"], ["$!N;P;D"], ["1!G;h;$!d"], ["-n", "/gamma/{p;p}"], ["/alpha/,+2d"], ["0,/a/d"], ["2,1d"],
  ["-n", "2{p;q}"], ["s/e/E/;s/E/e/2"], ["s/x*/-/g"], ["s/\\bt/T/g"], ["-e", "s/a/1/", "-e", "s/b/2/"], ["s/a/A/I"], ["s/A/x/Ig"],
  ["k"], ["s/a/b"], ["-s", "-n", "$p", "in.txt"], ["-n", "$=", "in.txt", "nosuch.txt"], ["-i.bak", "s/a/A/", "copy.txt"],
  ["-n", "/two/,/four/{=;p}"], ["s/[^ ]*$/(&)/"], ["-E", "s/([a-z]+) ([a-z]+)/\\2 \\1/"], ["s/e/\\n/2"], ["s/a/b/x"], ["/x/"], ["p;p"], ["{p"], ["}"], ["s/\\(a\\)/\\2/"], ["-n"], ["--version"],
];

function hasGnuSed(): boolean {
  const r = spawnSync("sed", ["--version"], { encoding: "utf8" });
  return r.status === 0 && r.stdout.startsWith("sed (GNU sed)");
}

test("sed: the machine's and GNU sed's output, messages and status agree on each case", (t) => {
  if (!hasGnuSed()) {
    if (process.env.CI === "true") assert.fail("CI=true but the host has no GNU sed");
    t.skip("the host has no GNU sed to compare with");
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "iaa-sed-"));
  writeFileSync(join(dir, "in.txt"), INPUT);
  const w = bootWorld("tiny");
  w.stack.machine.vfs.writeFile("/root/in.txt", INPUT);
  try {
    for (const args of CASES) {
      if (args[0] === "--version") continue;
      rmSync(join(dir, "copy.txt.bak"), { force: true });
      writeFileSync(join(dir, "copy.txt"), "a\nb a\nlast without newline a");
      w.stack.machine.vfs.writeFile("/root/copy.txt", "a\nb a\nlast without newline a");
      const host = spawnSync("sh", ["-c", `sed "$@"; s=$?; cat copy.txt copy.txt.bak 2>/dev/null; exit $s`, "sh", ...args, "in.txt"], { cwd: dir, encoding: "utf8" });
      const quoted = [...args, "in.txt"].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
      const { code: status, stdout: out, stderr: err } = machineShell(w, `cd /root; sed ${quoted}; s=$?; cat copy.txt copy.txt.bak 2>/dev/null; rm -f copy.txt.bak; exit $s`);
      const label = `sed ${args.join(" ")}`;
      assert.equal(out, host.stdout, `${label}: stdout`);
      assert.equal(err.split("\n")[0], host.stderr.split("\n")[0], `${label}: stderr`);
      assert.equal(status, host.status, `${label}: status`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
