/**
 * The README's main job and the other examples: `iaa boot` then
 * `iaa run examples/zswap_test.sh` on the default machine, and the set-up and
 * disable scripts, with the outcomes the documentation describes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bootWorld } from "../../src/host/world.js";
import { BufferSink } from "../../src/shell/io.js";
import { runBin } from "../helpers/cli.js";
import { repoRoot } from "../helpers/repo_root.js";

test("the main job: examples/zswap_test.sh swaps 100 pages through deflate-iaa on the default machine", () => {
  const dir = mkdtempSync(join(tmpdir(), "iaa-main-"));
  const env = { IAA_EMU_HOME: dir };
  try {
    assert.equal(runBin("iaa", ["boot"], env).status, 0);
    const r = runBin("iaa", ["run", "examples/zswap_test.sh"], env);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, "");
    const out = r.stdout;
    assert.match(out, /^iax1: enabled, wq1\.0: enabled$/m);
    assert.match(out, /iaa_crypto: iaa_crypto_enable: iaa_crypto now ENABLED$/m);
    assert.match(out, /^zswap compressor = deflate-iaa$/m);
    assert.match(out, /分配 100 页以进行交换\n正在交换出 100 页\n正在交换入 100 页\n已交换出和交换入 100 页\n/);
    assert.match(out, /^  total_comp_calls: 100$/m);
    assert.match(out, /^  total_decomp_calls: 100$/m);
    assert.match(out, /^  total_comp_bytes_out: 22800$/m, "100 pages of '*' at 228 bytes each");
    assert.match(out, /^zswpout 100$/m);
    assert.match(out, /^zswpin 100$/m);
    assert.match(out, /iaa_compress_verify: \(verify\) desc->src1_addr [0-9a-f]+, desc->src1_size 228, /);
    assert.match(out, /iaa_decompress: desc->src1_addr [0-9a-f]+, desc->src1_size 228, desc->dst_addr [0-9a-f]+, desc->max_dst_size 4096/);
    assert.match(out, /zswap enabled = N, compressor = lzo\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("examples/iaa_disable.sh and examples/iaa_setup.sh leave every IAA disabled, then enabled for iaa_crypto", () => {
  const w = bootWorld();
  const run = (file: string): { status: number; out: string; err: string } => {
    const stdout = new BufferSink();
    const stderr = new BufferSink();
    const status = w.shell({ stdout, stderr }).runScript(readFileSync(join(repoRoot(), "examples", file), "utf8"), file);
    return { status, out: stdout.text(), err: stderr.text() };
  };
  const st = (p: string): string => w.stack.machine.vfs.readText(`/sys/bus/dsa/devices/${p}/state`).trim();
  assert.equal(w.shell({ stdout: new BufferSink(), stderr: new BufferSink() }).runString("modprobe iaa_crypto"), 0);
  const d = run("iaa_disable.sh");
  assert.equal(d.status, 0, d.err);
  assert.match(d.out, /^IAA devices on this machine: 8\n/);
  for (let i = 1; i < 16; i += 2) assert.equal(st(`iax${i}`), "disabled");
  const s = run("iaa_setup.sh");
  assert.equal(s.status, 0, s.err);
  assert.match(s.out, /all IAA devices enabled for iaa_crypto\n$/);
  for (let i = 1; i < 16; i += 2) assert.deepEqual([st(`iax${i}`), st(`wq${i}.0`)], ["enabled", "enabled"]);
});
