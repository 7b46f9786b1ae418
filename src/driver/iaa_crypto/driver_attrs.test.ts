import { test } from "node:test";
import assert from "node:assert/strict";
import { Errno } from "../../lib/errno.js";
import {
  compressionCtxInit,
  defaultSettings,
  kstrtobool,
  setIaaSyncMode,
  syncModeShow,
  syncModeStore,
  sysfsStreq,
  verifyCompressShow,
  verifyCompressStore,
} from "./driver_attrs.js";

test("defaultSettings() is verify_compress 1 and sync_mode sync", () => {
  const s = defaultSettings();
  assert.equal(verifyCompressShow(s), "1\n");
  assert.equal(syncModeShow(s), "sync\n");
});

test("kstrtobool() accepts the kernel's spellings and refuses the rest", () => {
  const table: [string, boolean | number][] = [
    ["1", true], ["0", false], ["y", true], ["Y\n", true], ["yes", true], ["n", false], ["no", false],
    ["t", true], ["true", true], ["f", false], ["False", false], ["on", true], ["ON", true], ["off", false],
    ["1\n", true], ["0\n", false], ["", -Errno.EINVAL], ["\n", -Errno.EINVAL], ["2", -Errno.EINVAL],
    ["o", -Errno.EINVAL], ["ox", -Errno.EINVAL], ["maybe", -Errno.EINVAL], [" 1", -Errno.EINVAL],
  ];
  for (const [input, want] of table) assert.equal(kstrtobool(input), want, JSON.stringify(input));
});

test("sysfsStreq() ignores one trailing newline", () => {
  assert.ok(sysfsStreq("sync\n", "sync"));
  assert.ok(sysfsStreq("sync", "sync"));
  assert.equal(sysfsStreq("sync\n\n", "sync"), false);
  assert.equal(sysfsStreq(" sync", "sync"), false);
});

test("verifyCompressStore() sets the value, refuses bad input and leaves it unchanged", () => {
  const s = defaultSettings();
  assert.equal(verifyCompressStore(s, false, "0\n"), 0);
  assert.equal(verifyCompressShow(s), "0\n");
  assert.equal(verifyCompressStore(s, false, "bogus\n"), -Errno.EINVAL);
  assert.equal(verifyCompressShow(s), "0\n");
  assert.equal(verifyCompressStore(s, false, "on"), 0);
  assert.equal(verifyCompressShow(s), "1\n");
});

test("verifyCompressStore() and syncModeStore() are -EBUSY while enabled, even for bad input", () => {
  const s = defaultSettings();
  assert.equal(verifyCompressStore(s, true, "0"), -Errno.EBUSY);
  assert.equal(verifyCompressStore(s, true, "junk"), -Errno.EBUSY);
  assert.equal(syncModeStore(s, true, "async_irq"), -Errno.EBUSY);
  assert.equal(syncModeStore(s, true, "junk"), -Errno.EBUSY);
  assert.deepEqual(s, defaultSettings());
});

test("setIaaSyncMode() maps the three names; async stays async as documented", () => {
  const s = defaultSettings();
  assert.equal(setIaaSyncMode(s, "async\n"), 0);
  assert.deepEqual([s.asyncMode, s.useIrq, syncModeShow(s)], [true, false, "async\n"]);
  assert.equal(setIaaSyncMode(s, "async_irq"), 0);
  assert.deepEqual([s.asyncMode, s.useIrq, syncModeShow(s)], [true, true, "async_irq\n"]);
  assert.equal(setIaaSyncMode(s, "sync\n"), 0);
  assert.deepEqual([s.asyncMode, s.useIrq, syncModeShow(s)], [false, false, "sync\n"]);
});

test("syncModeStore() refuses unknown names and leaves the mode unchanged", () => {
  const s = defaultSettings();
  setIaaSyncMode(s, "async_irq");
  for (const bad of ["", "Sync", "asyncirq", "irq", "async_irq ", "sync\n\n"]) {
    assert.equal(syncModeStore(s, false, bad), -Errno.EINVAL, JSON.stringify(bad));
  }
  assert.equal(syncModeShow(s), "async_irq\n");
});

test("compressionCtxInit() snapshots the settings; later changes do not reach it", () => {
  const s = defaultSettings();
  const ctx = compressionCtxInit(s);
  verifyCompressStore(s, false, "0");
  syncModeStore(s, false, "async");
  assert.deepEqual(ctx, { verifyCompress: true, asyncMode: false, useIrq: false, mode: 0 });
  assert.deepEqual(compressionCtxInit(s), { verifyCompress: false, asyncMode: true, useIrq: false, mode: 0 });
});
