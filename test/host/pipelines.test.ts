/**
 * Pipelines on the machine itself (the programs as the machine installs them,
 * in /usr/bin, with their start-up cost), not only on a bare shell: they
 * stream, and a writer whose reader exited dies of SIGPIPE, as bash's do.
 * The expected outputs are the host's bash's where it has the same tools.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { bootWorld } from "../../src/host/world.js";
import { BufferSink } from "../../src/shell/io.js";
import { machineHome, runBin } from "../helpers/cli.js";

const SCRIPT = [
  'yes | head -3; echo "${PIPESTATUS[@]}"',
  'yes | tee /dev/null | head -2; echo "${PIPESTATUS[@]}"',
  'yes | grep -m1 y; echo "${PIPESTATUS[@]}"',
  "head -c 300000000 /dev/zero | tr '\\0' a | head -c 5; echo",
  'seq 1 20000000 | cat | wc -l; echo "${PIPESTATUS[@]}"',
  "yes | (read x; echo $x)",
].join("\n");

function hostBash(): string | null {
  const r = spawnSync("bash", ["-c", SCRIPT], { encoding: "utf8", maxBuffer: 1 << 20 });
  return r.status === null ? null : r.stdout;
}

test("pipelines of the machine's programs stream and end as bash's: SIGPIPE (141) for the writer, the right counts", () => {
  const w = bootWorld("tiny");
  const out = new BufferSink();
  const err = new BufferSink();
  w.shell({ stdout: out, stderr: err }).runString(SCRIPT);
  assert.equal(err.text(), "");
  const expected = hostBash();
  const want = "y\ny\ny\n141 0\ny\ny\n141 141 0\ny\n141 0\naaaaa\n20000000\n0 0 0\ny\n";
  if (expected !== null) assert.equal(expected, want, "the host's bash agrees with the recorded expectation");
  assert.equal(out.text(), want);
});

test("the same through the machine process (iaa sh -c)", () => {
  const h = machineHome();
  try {
    assert.equal(runBin("iaa", ["boot", "--preset", "tiny"], h.env).status, 0);
    const r = runBin("iaa", ["sh", "-c", 'yes | head -3; echo "${PIPESTATUS[@]}"; seq 1 20000000 | wc -l'], h.env);
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, "y\ny\ny\n141 0\n20000000\n");
  } finally {
    h.done();
  }
});
