/**
 * The documentation's scripts, extracted from iaa-crypto.rst at test time, run
 * through `iaa run` on a persistent machine in a fresh $IAA_EMU_HOME, and the
 * machine they leave behind inspected with `iaa sh -c` and `iaa sysfs export`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBin } from "../helpers/cli.js";
import { englishDoc, inCi, projectDoc } from "../helpers/repo_root.js";
import { docScripts, readRst, scriptStdout } from "./_rst.js";

const LSPCI = /^[0-9a-f]{2}:02\.0 System peripheral: Intel Corporation Device 0cfe$/;

function cliTest(label: string, rstPath: string): void {
test(`${label}: iaa run executes the disable and set-up scripts as written, and the machine keeps their result`, () => {
  const dir = mkdtempSync(join(tmpdir(), "iaa-doc-"));
  const env = { IAA_EMU_HOME: join(dir, "home") };
  try {
    const { setup, disable } = docScripts(readRst(rstPath));
    writeFileSync(join(dir, "disable.sh"), disable);
    writeFileSync(join(dir, "setup.sh"), setup);
    assert.equal(runBin("iaa", ["boot"], env).status, 0);
    assert.equal(runBin("iaa", ["sh", "-c", "modprobe iaa_crypto"], env).status, 0);

    const d = runBin("iaa", ["run", join(dir, "disable.sh")], env);
    assert.equal(d.status, 0, d.stderr);
    const lspci = d.stdout.split("\n").filter((l) => LSPCI.test(l));
    assert.equal(lspci.length, 8);
    assert.equal(d.stdout, scriptStdout(disable, lspci).map((l) => l + "\n").join(""));
    assert.equal(d.stderr, "disabled 1 wq(s) out of 1\ndisabled 1 device(s) out of 1\n".repeat(8));
    const states = runBin("iaa", ["sh", "-c", "for i in 1 3 5 7 9 11 13 15; do cat /sys/bus/dsa/devices/iax$i/state; done | sort | uniq -c"], env);
    assert.equal(states.stdout.trim(), "8 disabled");

    const s = runBin("iaa", ["run", join(dir, "setup.sh")], env);
    assert.equal(s.status, 0, s.stderr);
    assert.equal(s.stdout, scriptStdout(setup, lspci).map((l) => l + "\n").join(""));
    const after = runBin("iaa", ["sh", "-c", "cat /sys/bus/dsa/devices/iax9/wq9.0/state; dmesg | grep -c 'iaa_crypto now ENABLED'"], env);
    assert.equal(after.stdout, "enabled\n2\n");

    // the exported /sys matches what the shell sees
    const out = join(dir, "export");
    const x = runBin("iaa", ["sysfs", "export", out], env);
    assert.equal(x.status, 0, x.stderr);
    assert.equal(readFileSync(join(out, "sys/bus/dsa/devices/iax9/wq9.0/state"), "utf8"), "enabled\n");
    assert.equal(readFileSync(join(out, "sys/bus/dsa/drivers/crypto/sync_mode"), "utf8"), "sync\n");
    assert.match(readlinkSync(join(out, "sys/bus/dsa/devices/iax1")), /devices\/pci0000:6a\/0000:6a:02\.0\/iax1$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
}

const doc = projectDoc();
if (doc.path !== null) cliTest("the documentation", doc.path);
else if (inCi()) test("iaa run of the documentation's scripts (CI: the documentation is required)", () => assert.fail(doc.why));
else test("iaa run of the documentation's scripts", (t) => t.skip(doc.why));
cliTest("the kernel's English original", englishDoc());
