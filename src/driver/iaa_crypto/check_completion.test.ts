import { test } from "node:test";
import assert from "node:assert/strict";
import { VirtualClock } from "../../lib/clock.js";
import { DynamicDebug } from "../../lib/dyndbg.js";
import { Errno } from "../../lib/errno.js";
import { Printk } from "../../lib/printk.js";
import { IaaLog, hexDumpLines } from "./_log.js";
import { IAA_POLL_NS, checkCompletion, completionErrno, type CheckCompletionEnv } from "./check_completion.js";
import { IAA_COMPLETION_TIMEOUT } from "./iaa_crypto.js";
import { IaaStats } from "./stats.js";

function setup(debug = false) {
  const clock = new VirtualClock();
  const log = new Printk(clock);
  const dyndbg = new DynamicDebug();
  dyndbg.register("iaa_crypto", [{ func: "check_completion", file: "drivers/crypto/intel/iaa/iaa_crypto_main.c", line: 1, format: "x" }]);
  if (debug) dyndbg.exec("module iaa_crypto +p");
  const stats = new IaaStats(true);
  let disabled = 0;
  const env: CheckCompletionEnv = { clock, stats, log: new IaaLog(log, dyndbg), dev: "idxd 0000:e7:02.0", disable: () => disabled++ };
  const comp = new Uint8Array(64);
  return { clock, log, stats, env, comp, disabled: () => disabled };
}

function record(comp: Uint8Array, status: number, error = 0, outputSize = 0): void {
  comp[1] = error;
  new DataView(comp.buffer).setUint32(24, outputSize, true);
  comp[0] = status;
}

test("completionErrno() maps each status as check_completion() does", () => {
  const table: [number, number, boolean, number][] = [
    [0x01, 0, true, 0],
    [0x24, 0, true, -Errno.ETIMEDOUT],
    [0x24, 0, false, -Errno.ETIMEDOUT],
    [0x0a, 0x19, true, -Errno.E2BIG],
    [0x0a, 0x19, false, -Errno.EINVAL],
    [0x0a, 0x11, false, -Errno.EINVAL],
    [0x0a, 0x11, true, -Errno.EINVAL],
    [0x0b, 0, false, -Errno.EOVERFLOW],
    [0x0b, 0, true, -Errno.EOVERFLOW],
    [0x04, 0, true, -Errno.EINVAL],
    [0x10, 0, false, -Errno.EINVAL],
    [0x8a, 0x19, true, -Errno.EINVAL], // raw compare, no mask
  ];
  for (const [st, err, compress, want] of table) assert.equal(completionErrno(st, err, compress), want, `status ${st} error ${err} ${compress}`);
});

test("checkCompletion() returns 0 on success without touching counters", () => {
  const t = setup();
  record(t.comp, 1);
  assert.equal(checkCompletion(t.env, t.comp, true, false), 0);
  assert.match(t.stats.globalStatsShow(), /einval_errors: 0\n  total_completion_timeout_errors: 0\n  total_completion_comp_buf_overflow_errors: 0/);
});

test("checkCompletion() with only_once returns -EAGAIN while the record is unwritten", () => {
  const t = setup();
  assert.equal(checkCompletion(t.env, t.comp, false, true), -Errno.EAGAIN);
  assert.equal(t.clock.now, 0);
});

test("checkCompletion() polls in virtual time until the engine writes the record", () => {
  const t = setup();
  t.clock.schedule(5000, () => record(t.comp, 1, 0, 228));
  assert.equal(checkCompletion(t.env, t.comp, true, false), 0);
  assert.equal(t.clock.now, 5000);
});

test("checkCompletion() gives up after 1,000,000 polls, logs it and disables iaa_crypto", () => {
  const t = setup();
  t.clock.schedule(IAA_COMPLETION_TIMEOUT * IAA_POLL_NS + 1, () => record(t.comp, 1));
  assert.equal(checkCompletion(t.env, t.comp, false, false), -Errno.ETIMEDOUT);
  assert.equal(t.clock.now, IAA_COMPLETION_TIMEOUT * IAA_POLL_NS);
  assert.equal(t.disabled(), 1);
  assert.deepEqual(t.log.format(), ["[    0.020000] idxd 0000:e7:02.0: decompress completion timed out - assuming broken hw, iaa_crypto now DISABLED"]);
  assert.equal(t.stats.total_completion_timeout_errors, 0);
});

test("checkCompletion() maps the watchdog status to -ETIMEDOUT and counts it", () => {
  const t = setup(true);
  record(t.comp, 0x24, 0, 0x10);
  assert.equal(checkCompletion(t.env, t.comp, true, false), -Errno.ETIMEDOUT);
  assert.equal(t.stats.total_completion_timeout_errors, 1);
  assert.equal(t.disabled(), 0);
  assert.deepEqual(t.log.format(), ["[    0.000000] idxd 0000:e7:02.0: check_completion: compress timed out, size=0x10"]);
});

test("checkCompletion() maps a compress output overflow to -E2BIG and counts it", () => {
  const t = setup(true);
  record(t.comp, 0x0a, 0x19, 0x1000);
  assert.equal(checkCompletion(t.env, t.comp, true, false), -Errno.E2BIG);
  assert.equal(t.stats.total_completion_comp_buf_overflow_errors, 1);
  assert.equal(t.stats.total_completion_einval_errors, 0);
  assert.match(t.log.format()[0]!, /check_completion: compressed > uncompressed size, not compressing, size=0x1000$/);
});

test("checkCompletion() maps a decompress output overflow to -EOVERFLOW with no counter", () => {
  const t = setup(true);
  record(t.comp, 0x0b);
  assert.equal(checkCompletion(t.env, t.comp, false, false), -Errno.EOVERFLOW);
  assert.equal(t.stats.total_completion_einval_errors, 0);
  assert.deepEqual(t.log.format(), []);
});

test("checkCompletion() maps other statuses to -EINVAL, counts them and dumps the record", () => {
  const t = setup(true);
  record(t.comp, 0x04, 0, 0);
  assert.equal(checkCompletion(t.env, t.comp, false, false), -Errno.EINVAL);
  assert.equal(t.stats.total_completion_einval_errors, 1);
  const lines = t.log.format();
  assert.match(lines[0]!, /idxd 0000:e7:02.0: check_completion: iaa decompress status=0x4, error=0x0, size=0x0$/);
  assert.equal(lines.length, 9);
  assert.equal(lines[1], "[    0.000000] cmp-rec: 00000000: 04 00 00 00 00 00 00 00");
  assert.equal(lines[8], "[    0.000000] cmp-rec: 00000038: 00 00 00 00 00 00 00 00");
});

test("checkCompletion() debug lines stay silent unless dynamic debug enables them", () => {
  const t = setup(false);
  record(t.comp, 0x0a, 0x11);
  assert.equal(checkCompletion(t.env, t.comp, false, false), -Errno.EINVAL);
  assert.equal(t.log.format().filter((l) => l.includes("check_completion")).length, 0);
  assert.equal(t.log.format().filter((l) => l.includes("cmp-rec")).length, 8);
});

test("hexDumpLines() prints 8 bytes per row with the offset", () => {
  const b = new Uint8Array(16).map((_, i) => i * 17);
  assert.deepEqual(hexDumpLines("cmp-rec: ", b), ["cmp-rec: 00000000: 00 11 22 33 44 55 66 77", "cmp-rec: 00000008: 88 99 aa bb cc dd ee ff"]);
});
