/**
 * Pipelines run their stages interleaved (src/shell/pipeline.ts): streams far
 * larger than the pipe limit pass; a stage that cannot stream still buffers,
 * and what it cannot hold is an error, never a shortened result.
 * (Comparisons with bash 5.2 for SIGPIPE, PIPESTATUS and pipefail are in
 * bash_fixtures.json.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { makeFixture, runC } from "./test_fixture.js";

const limits = { maxPipeBytes: 1 << 20 };
const zero = "mkdir -p /dev && : > /dev/zero; ";

test("streaming stages pass 50 times the pipe limit through several pipes", () => {
  const r = runC(zero + 'head -c 50000000 /dev/zero | cat | tr "\\0" a | tee | grep -c b; echo "${PIPESTATUS[@]}"', { limits });
  assert.deepEqual([r.out, r.err], ["0\n0 0 0 0 1\n", ""]);
  const w = runC(zero + "head -c 50000000 /dev/zero | cat | wc -c", { limits });
  assert.deepEqual([w.out, w.err, w.status], ["50000000\n", "", 0]);
});

test("a loop or function as a stage is fed and drained by the streaming stages around it", () => {
  const r = runC('seq 1 300000 | while read -r n; do echo "$n"; done | wc -l', { limits: { ...limits, maxLoopIterations: 1 << 20 } });
  assert.deepEqual([r.out, r.err, r.status], ["300000\n", "", 0]);
  const f = runC('f() { cat; }; seq 1 1000000 | f | tail -1; echo "${PIPESTATUS[@]}"', { limits });
  assert.deepEqual([f.out, f.err], ["1000000\n0 0 0\n", ""]);
});

test("a stage that reads everything at once (sort) past the limit: the writer's error, no report downstream", () => {
  const r = runC('seq 1 1000000 | sort | wc -l; echo "${PIPESTATUS[@]}"', { limits });
  assert.equal(r.err, `seq: write error: pipe buffer limit reached (${1 << 20} bytes held for a reader that does not stream)\n`);
  assert.equal(r.out, "1 1 1\n");
  const s = runC("set -o pipefail; seq 1 1000000 | sort | wc -l", { limits });
  assert.equal(s.out, "");
  assert.equal(s.status, 1);
  // below the limit the same pipeline is exact
  assert.equal(runC("seq 1 10000 | sort | wc -l", { limits }).out, "10000\n");
});

test("|& sends a stage's stderr through the pipe in the order written", () => {
  const r = runC("{ echo a; echo b >&2; echo c; } |& cat -n");
  assert.deepEqual([r.out, r.err], ["     1\ta\n     2\tb\n     3\tc\n", ""]);
});

test("the same pipeline gives the same output every run", () => {
  const script = 'seq 1 200000 | tee /tmp/t | grep 7 | head -3; echo "${PIPESTATUS[@]}"; wc -c < /tmp/t';
  const run = (): { out: string; err: string; status: number } => {
    const r = runC(script);
    return { out: r.out, err: r.err, status: r.status };
  };
  const a = run();
  assert.deepEqual(run(), a);
  assert.equal(a.out.split("\n").slice(0, 4).join("\n"), "7\n17\n27\n141 141 141 0");
});

test("Ctrl-C stops an endless pipeline: status 130", () => {
  let polls = 0;
  const fx = makeFixture({ hooks: { interrupted: () => ++polls > 200 } });
  const st = fx.shell.runString("yes | cat | wc -l; echo not reached");
  assert.equal(st, 130);
  assert.equal(fx.sinks.out(), "");
});
