/**
 * The machine process's engine prefetch (src/system/pageout_prefetch.ts):
 * worker threads precompute the IAA engines' results for a MADV_PAGEOUT
 * batch, and a machine with them gives exactly the output, kernel log,
 * debugfs statistics and /proc/vmstat of one without them, both in process
 * (where the hits can be counted) and through the machine process with
 * IAA_EMU_THREADS=1 and 2.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { machineHome, runBin } from "../helpers/cli.js";
import { ZSWAP_ON_IAA } from "../helpers/zswap.js";
import { bootWorld, type World } from "../../src/host/world.js";
import { CodecPool } from "../../src/system/bench/codec_pool.js";
import { PageoutPrefetch } from "../../src/system/pageout_prefetch.js";
import { machineThreads } from "../../src/host/threads.js";

/** The doc's zswap set-up, a run of memory_madvise on '*' pages and one on pages of varied content, and the state after. */
const SCRIPT = `modprobe iaa_crypto
${ZSWAP_ON_IAA}echo 1 > /sys/kernel/debug/iaa-crypto/stats_reset
./memory_madvise 1500
cat /sys/kernel/debug/iaa-crypto/global_stats
grep -r . /sys/kernel/debug/zswap/ | sort
grep -E '^(zswpin|zswpout|pswpin|pswpout|pgpgin|pgpgout) ' /proc/vmstat
dmesg
`;

function runIn(w: World): { out: string; err: string; status: number } {
  let out = "";
  let err = "";
  const sh = w.shell({ stdout: { write: (d) => void (out += typeof d === "string" ? d : Buffer.from(d).toString()) }, stderr: { write: (d) => void (err += typeof d === "string" ? d : Buffer.from(d).toString()) } });
  const status = sh.runString(SCRIPT);
  return { out, err, status };
}

test("with pool workers the machine takes precomputed results and gives the same output, dmesg, debugfs and vmstat", async () => {
  const plain = runIn(bootWorld("spr-1s"));
  const w = bootWorld("spr-1s");
  const pool = new CodecPool(1);
  const pf = PageoutPrefetch.install(w.stack, pool);
  try {
    const threaded = runIn(w);
    assert.equal(plain.status, 0, plain.err);
    assert.match(plain.out, /Swapped out and in 1500 pages|已交换出和交换入 1500 页/);
    assert.match(plain.out, /stored_pages/);
    assert.equal(threaded.status, plain.status);
    assert.equal(threaded.err, plain.err);
    assert.equal(threaded.out, plain.out);
    const s = pf.stats;
    assert.equal(s.batches, 1);
    assert.equal(s.pages, 1500);
    // every page out and back in through a precomputed result (compress, verify and page-in)
    assert.ok(s.compressHits >= 1400, `compress hits ${s.compressHits}`);
    assert.ok(s.decompressHits >= 2800, `decompress hits ${s.decompressHits}`);
  } finally {
    pf.uninstall();
    await pool.close();
  }
});

test("a batch below the minimum or with zswap not on deflate-iaa is not prefetched", async () => {
  const w = bootWorld("spr-1s");
  const pool = new CodecPool(1);
  const pf = PageoutPrefetch.install(w.stack, pool);
  try {
    let out = "";
    const sh = w.shell({ stdout: { write: (d) => void (out += String(d)) }, stderr: { write: (d) => void (out += String(d)) } });
    // zswap off: the page-out goes to the swap device, nothing to precompute
    assert.equal(sh.runString("./memory_madvise 500 > /dev/null"), 0, out);
    assert.equal(pf.stats.batches, 0);
    assert.equal(sh.runString(`modprobe iaa_crypto\n${ZSWAP_ON_IAA}./memory_madvise 10 > /dev/null`), 0, out);
    assert.equal(pf.stats.batches, 0);
  } finally {
    pf.uninstall();
    await pool.close();
  }
});

test("IAA_EMU_THREADS: a number from 1 to 64, else a one-line error; unset, the host's parallelism (at most 4)", () => {
  assert.equal(machineThreads({ IAA_EMU_THREADS: "2" }), 2);
  assert.equal(machineThreads({ IAA_EMU_THREADS: "1" }), 1);
  for (const bad of ["0", "65", "two", "-1", "1.5"]) assert.match(String(machineThreads({ IAA_EMU_THREADS: bad })), /^iaa: IAA_EMU_THREADS must be a number from 1 to 64, got '.*'$/);
  const d = machineThreads({});
  assert.ok(typeof d === "number" && d >= 1 && d <= 4);
});

test("through the machine process: IAA_EMU_THREADS=1 and =2 give identical output, dmesg, debugfs and vmstat", () => {
  const homes = [machineHome("iaa-thr1-"), machineHome("iaa-thr2-")];
  try {
    const outs = homes.map((h, k) => {
      const env = { ...h.env, IAA_EMU_THREADS: String(k + 1) };
      assert.equal(runBin("iaa", ["boot", "--preset", "spr-1s"], env).status, 0);
      const r = runBin("iaa", ["sh", "-c", SCRIPT], env);
      assert.equal(r.status, 0, r.stderr);
      return r;
    });
    assert.match(outs[0]!.stdout, /stored_pages/);
    assert.equal(outs[1]!.stdout, outs[0]!.stdout);
    assert.equal(outs[1]!.stderr, outs[0]!.stderr);
    // the threaded machine's snapshot restores (the prefetch is the host's, not the machine's state)
    const env2 = { ...homes[1]!.env, IAA_EMU_THREADS: "2" };
    assert.equal(runBin("iaa", ["down"], env2).status, 0);
    const again = runBin("iaa", ["sh", "-c", "grep -E '^(zswpin|zswpout) ' /proc/vmstat"], env2);
    assert.equal(again.stderr, "");
    assert.equal(again.status, 0);
    assert.match(again.stdout, /^zswpin [1-9]\d*\nzswpout [1-9]\d*\n$/);
  } finally {
    for (const h of homes) h.done();
  }
});

test("a bad IAA_EMU_THREADS stops the client with one line before it starts a machine process", () => {
  const h = machineHome("iaa-thrbad-");
  try {
    const r = runBin("iaa", ["sh", "-c", "true"], { ...h.env, IAA_EMU_THREADS: "lots" });
    assert.equal(r.status, 1);
    assert.equal(r.stderr, "iaa: IAA_EMU_THREADS must be a number from 1 to 64, got 'lots'\n");
  } finally {
    h.done();
  }
});
