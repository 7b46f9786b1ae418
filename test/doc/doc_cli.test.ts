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
import { docScripts, readRst } from "./_rst.js";

test("iaa run executes the documentation's disable and set-up scripts as written, and the machine keeps their result", () => {
  const dir = mkdtempSync(join(tmpdir(), "iaa-doc-"));
  const env = { IAA_EMU_HOME: join(dir, "home") };
  try {
    const { setup, disable } = docScripts(readRst());
    writeFileSync(join(dir, "disable.sh"), disable);
    writeFileSync(join(dir, "setup.sh"), setup);
    assert.equal(runBin("iaa", ["boot"], env).status, 0);
    assert.equal(runBin("iaa", ["sh", "-c", "modprobe iaa_crypto"], env).status, 0);

    const d = runBin("iaa", ["run", join(dir, "disable.sh")], env);
    assert.equal(d.status, 0, d.stderr);
    assert.match(d.stdout, /^IAA 设备:\n(?:[0-9a-f]{2}:02\.0 System peripheral: Intel Corporation Device 0cfe \(rev 01\)\n){8}# IAA 设备数量:\n8\n找到 8 个 IAA 实例\n禁用 IAA\n/);
    assert.match(d.stdout, /禁用 IAA iax15\n结束禁用 IAA\n$/);
    assert.equal(d.stderr, "disabled 1 wq(s) out of 1\ndisabled 1 device(s) out of 1\n".repeat(8));
    const states = runBin("iaa", ["sh", "-c", "for i in 1 3 5 7 9 11 13 15; do cat /sys/bus/dsa/devices/iax$i/state; done | sort | uniq -c"], env);
    assert.equal(states.stdout.trim(), "8 disabled");

    const s = runBin("iaa", ["run", join(dir, "setup.sh")], env);
    assert.equal(s.status, 0, s.stderr);
    assert.match(s.stdout, /重新加载 iaa_crypto 模块\n结束重新加载 iaa_crypto 模块\n配置 IAA\n结束配置 IAA\n启用 IAA\n启用 iaa iax1\n启用 wq iax1\/wq1\.0\n/);
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
