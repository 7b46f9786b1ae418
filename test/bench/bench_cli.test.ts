/**
 * `iaa bench`: options, the latency JSON shape, the SVG, the progress bar
 * and usage errors (in process), and the command's row in the `iaa` table
 * (as a child process).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchCommand, benchConfigs, parseBenchArgs, progressBar } from "../../src/cli/bench_command.js";
import type { CliIo } from "../../src/cli/cli_io.js";
import { runBin } from "../helpers/cli.js";

function io(tty = false): CliIo & { out: string; err: string; stderrIsTTY: boolean } {
  const o = {
    out: "",
    err: "",
    stderrIsTTY: tty,
    async readStdin() {
      return new Uint8Array(0);
    },
    async stdout(d: Uint8Array | string) {
      o.out += typeof d === "string" ? d : new TextDecoder().decode(d);
    },
    stderr(t: string) {
      o.err += t;
    },
  };
  return o;
}

test("latency --json: exactly the documented keys, the madvise page in results and the mix beside", async () => {
  const x = io();
  assert.equal(await benchCommand(["latency", "--compressor", "deflate-iaa,lz4", "--sync-mode", "sync", "--verify", "0", "--pages", "4", "--json"], x), 0);
  const j = JSON.parse(x.out) as { results: Record<string, unknown>[]; mix_results: Record<string, unknown>[] };
  assert.equal(j.results.length, 4);
  for (const r of [...j.results, ...j.mix_results]) assert.deepEqual(Object.keys(r), ["compressor", "sync_mode", "verify", "op", "bytes", "virtual_ns"]);
  assert.deepEqual(j.results[0], { compressor: "deflate-iaa", sync_mode: "sync", verify: 0, op: "compress", bytes: 4096, virtual_ns: 3206 });
  assert.deepEqual(j.results.map((r) => `${r.compressor} ${r.op}`), ["deflate-iaa compress", "deflate-iaa decompress", "lz4 compress", "lz4 decompress"]);
  assert.equal(x.err, "", "no progress bar off a terminal");
});

test("zswap table and SVG; codec JSON", async () => {
  const dir = mkdtempSync(join(tmpdir(), "iaa-bench-"));
  try {
    const svg = join(dir, "z.svg");
    const x = io();
    assert.equal(await benchCommand(["zswap", "--compressor", "deflate-iaa,lzo", "--processes", "2", "--pages", "16", "--threads", "1", "--svg", svg], x), 0);
    assert.match(x.out, /^configuration +procs x pages +out KB\/s/);
    assert.match(x.out, /\ndeflate-iaa sync verify=1 +2x16 /);
    assert.match(x.out, /\nlzo +2x16 /);
    const s = readFileSync(svg, "utf8");
    assert.match(s, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.ok(s.trimEnd().endsWith("</svg>"));
    assert.equal((s.match(/page-out KB\/s/g) ?? []).length, 1);
    assert.ok(!s.includes("NaN"));
    const c = io();
    assert.equal(await benchCommand(["codec", "--verify", "0", "--jobs", "2", "--size", "8192", "--json"], c), 0);
    const j = JSON.parse(c.out) as { results: { bufferBytes: number; compress: { gbPerSecond: number; samples?: unknown } }[] };
    assert.equal(j.results[0]!.bufferBytes, 8192);
    assert.ok(j.results[0]!.compress.gbPerSecond > 0);
    assert.equal(j.results[0]!.compress.samples, undefined, "raw samples stay out of the JSON");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bad options are usage errors that run nothing", async () => {
  for (const args of [[], ["nope"], ["latency", "--compressor", "gzip"], ["latency", "--verify", "2"], ["zswap", "--threads", "0"], ["codec", "--threads", "65"], ["codec", "--bogus", "1"], ["latency", "--pages"], ["codec", "--iaa", "3"], ["latency", "--compressor", "none"], ["codec", "--compressor", "lz4,none"]]) {
    const x = io();
    assert.equal(await benchCommand(args, x), 2, args.join(" "));
    assert.match(x.err, /^iaa: bench: /);
    assert.equal(x.out, "");
  }
  const x = io();
  assert.equal(await benchCommand(["codec", "--depth", "4"], x), 1, "depth > 1 needs an asynchronous mode");
  assert.match(x.err, /needs deflate-iaa with sync_mode async or async_irq/);
});

test("options multiply into configurations; software compressors once", () => {
  const o = parseBenchArgs(["latency", "--compressor=deflate-iaa,zstd", "--sync-mode", "sync,async_irq", "--verify", "0,1", "--iaa", "4", "--wqs-per-iaa", "2"]);
  assert.ok(typeof o !== "string");
  const cs = benchConfigs(o);
  assert.ok(typeof cs !== "string");
  assert.equal(cs.length, 5);
  assert.ok(cs.every((c) => c.iaaPerSocket === 2 && c.wqsPerIaa === 2));
  assert.equal(cs.filter((c) => c.compressor === "zstd").length, 1);
});

test("the progress bar: terminal only, after the first second, throttled, cleared at the end", () => {
  let clock = 0;
  let written = "";
  const text = (): string => written;
  const bar = progressBar((s) => (written += s), true, 1000, () => clock);
  bar.update(1, 10);
  assert.equal(text(), "", "nothing during the first second");
  clock = 1500;
  bar.update(5, 10);
  assert.equal(text(), "\r[###############...............]  50% 5/10");
  clock = 1550;
  bar.update(6, 10);
  assert.equal(text().split("\r").length, 2, "at most one redraw per 100 ms");
  clock = 1560;
  bar.update(10, 10);
  assert.ok(text().endsWith("\r[##############################] 100% 10/10"), "the last one always");
  bar.end();
  assert.ok(text().endsWith("\r\x1b[K"));
  let off = "";
  const quiet = progressBar((s) => (off += s), false, 0, () => clock);
  quiet.update(1, 2);
  quiet.end();
  assert.equal(off, "", "never off a terminal");
});

test("`iaa bench` is a row of the iaa command table", () => {
  const r = runBin("iaa", ["bench", "latency", "--compressor", "lz4", "--pages", "2"], {});
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\nlz4 +sync +0 +madvise +compress +4096 +8,984\n/);
  const h = runBin("iaa", ["--help"], {});
  assert.match(h.stdout, /\n {2}bench latency\|codec\|zswap /);
});
