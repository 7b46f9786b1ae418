/**
 * zswap's zpool choices follow the machine's own .config (/proc/config.gz):
 * zpool_has_pool() only finds allocators that are built, and
 * __zswap_param_set() refuses the others with "zswap: zpool %s not available"
 * and -ENOENT (mm/zswap.c, 6.12).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { bootStack } from "../../src/system/stack.js";
import { SysError } from "../../src/lib/errno.js";

test("a zpool that /proc/config.gz shows as not set is refused with ENOENT and the kernel's message", () => {
  const s = bootStack("tiny");
  const vfs = s.machine.vfs;
  const cfg = gunzipSync(vfs.readFile("/proc/config.gz")).toString("utf8");
  assert.match(cfg, /^# CONFIG_Z3FOLD is not set$/m);
  assert.match(cfg, /^CONFIG_ZBUD=y$/m);
  const P = "/sys/module/zswap/parameters";
  vfs.writeFile(`${P}/enabled`, "1"); // zswap_setup(): params are checked from now on
  const before = vfs.readText(`${P}/zpool`);
  let errno = 0;
  try {
    vfs.writeFile(`${P}/zpool`, "z3fold");
  } catch (e) {
    errno = e instanceof SysError ? e.errno : -1;
  }
  assert.equal(errno, 2, "ENOENT");
  assert.equal(vfs.readText(`${P}/zpool`), before);
  assert.ok(s.machine.ctx.log.format().some((l) => l.endsWith("zswap: zpool z3fold not available")));
  vfs.writeFile(`${P}/zpool`, "zbud");
  assert.equal(vfs.readText(`${P}/zpool`), "zbud\n");
});

test("a kernel built with CONFIG_Z3FOLD=y offers z3fold", () => {
  const s = bootStack({ preset: "tiny", kconfig: { CONFIG_Z3FOLD: "y" } });
  const P = "/sys/module/zswap/parameters";
  s.machine.vfs.writeFile(`${P}/enabled`, "1");
  s.machine.vfs.writeFile(`${P}/zpool`, "z3fold");
  assert.equal(s.machine.vfs.readText(`${P}/zpool`), "z3fold\n");
});
