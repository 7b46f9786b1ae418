/**
 * The bounded printk ring on a whole machine: a 50,000-page zswap run with
 * iaa_crypto's debug messages on logs hundreds of thousands of lines; dmesg
 * shows the newest 256 KiB of them, as the kernel's ring would, and neither
 * the log nor the machine's snapshot grows with the run.
 */
import assert from "node:assert/strict";
import test from "node:test";
import { gunzipSync } from "node:zlib";
import { restoreWorld, saveWorld } from "../../src/host/snapshot.js";
import { bootWorld } from "../../src/host/world.js";
import { blockSize } from "../../src/lib/printk.js";

function sh(w: ReturnType<typeof bootWorld>, text: string): string {
  let out = "";
  w.shell({ stdout: { write: (d) => void (out += typeof d === "string" ? d : Buffer.from(d).toString()) }, stderr: { write: () => {} } }).runString(text);
  return out;
}

test("dmesg after a 50,000-page debug run holds the newest 256 KiB of the log", () => {
  const w = bootWorld("tiny");
  const config = gunzipSync(w.stack.machine.vfs.readFile("/proc/config.gz")).toString();
  assert.match(config, /^CONFIG_LOG_BUF_SHIFT=18$/m);
  sh(w, "modprobe iaa_crypto; echo -n 'module iaa_crypto +p' > /sys/kernel/debug/dynamic_debug/control; echo deflate-iaa > /sys/module/zswap/parameters/compressor; echo 1 > /sys/module/zswap/parameters/enabled");
  const small = saveWorld(w).length;
  sh(w, "cd /root && ./memory_madvise 50000");
  const log = w.stack.machine.ctx.log;
  const recs = log.records;
  assert.equal(log.bufLen, 1 << 18);
  assert.ok(log.nextSeq > 200_000, `${log.nextSeq} messages were logged`);
  const bytes = recs.reduce((n, r) => n + blockSize(r.text), 0);
  assert.ok(bytes <= log.bufLen && bytes > log.bufLen - 2 * blockSize(recs.at(-1)!.text) - 512, `${recs.length} records take ${bytes} bytes`);
  // the readable records are the newest ones, without gaps
  assert.equal(recs.at(-1)!.seq, log.nextSeq - 1);
  assert.equal(recs[0]!.seq, log.nextSeq - recs.length);
  const lines = sh(w, "dmesg").split("\n").filter((l) => l !== "");
  assert.equal(lines.length, recs.length);
  assert.ok(!lines.some((l) => l.includes("Linux version")), "the boot lines were pushed out");
  // the snapshot grows by the ring and the run's state, not by the messages
  const big = saveWorld(w);
  assert.ok(big.length - small < 4 * (1 << 20) , `snapshot ${small} → ${big.length} bytes`);
  const again = restoreWorld(big);
  assert.deepEqual(sh(again, "dmesg | tail -n 3"), sh(w, "dmesg | tail -n 3"));
});
