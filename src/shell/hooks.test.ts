/**
 * The hooks the machine process uses: SIGINT (`interrupted`), Tab completion,
 * the host-command hint, size limits that end a run with one line, and stdin
 * read lazily in chunks.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { makeFixture, runC } from "./test_fixture.js";
import type { InputSource } from "./types.js";

/** An interrupted hook that reports one SIGINT at its `at`-th poll. */
function sigintAt(at: number): { interrupted: () => boolean; polls: () => number } {
  let n = 0;
  return { interrupted: () => ++n === at, polls: () => n };
}

test("SIGINT stops an endless command with status 130 and no message; the rest of the -c string does not run", () => {
  const h = sigintAt(50);
  const r = runC("yes > /dev/null; echo after", { hooks: { interrupted: h.interrupted } });
  assert.equal(r.status, 130);
  assert.equal(r.out, "");
  assert.equal(r.err, "");
});

test("SIGINT stops a shell loop (polled at every step)", () => {
  const h = sigintAt(1000);
  const r = runC("i=0; while :; do i=$((i+1)); done; echo after", { hooks: { interrupted: h.interrupted } });
  assert.equal(r.status, 130);
  assert.equal(r.out, "");
});

test("trap ... INT runs instead of stopping; the script goes on", () => {
  const h = sigintAt(200);
  const r = runC("trap 'echo caught $?' INT; n=0; while [ $n -lt 500 ]; do n=$((n+1)); done; echo done $n", { hooks: { interrupted: h.interrupted } });
  assert.equal(r.out, "caught 130\ndone 500\n");
  assert.equal(r.status, 0);
});

test("a script dies of SIGINT: status 130, its EXIT trap runs", () => {
  const h = sigintAt(30);
  const fx = makeFixture({ hooks: { interrupted: h.interrupted } });
  const st = fx.shell.runScript("trap 'echo bye' EXIT; echo a; yes > /dev/null; echo b\n", "s.sh");
  assert.equal(st, 130);
  assert.equal(fx.sinks.out(), "a\nbye\n");
});

test("interactive: the interrupted line returns 130, the next line runs normally", () => {
  let fire = false;
  const fx = makeFixture({ hooks: { interrupted: () => (fire ? ((fire = false), true) : false) } });
  fire = true;
  assert.equal(fx.shell.runLine("seq 1 1000000000; echo b"), 130);
  assert.equal(fx.shell.runLine("echo ok"), 0);
  assert.equal(fx.sinks.out(), "ok\n");
});

test("complete: command names at command position, paths elsewhere (directories end in /)", () => {
  const fx = makeFixture();
  fx.shell.runLine("myfunc() { :; }; alias myalias=ls");
  const c = fx.shell.complete("ca", 2);
  assert.equal(c.start, 0);
  assert.ok(c.candidates.includes("cat") && c.candidates.includes("case"), c.candidates.join(" "));
  assert.deepEqual(fx.shell.complete("echo x; my", 10).candidates, ["myalias", "myfunc"]);
  assert.deepEqual(fx.shell.complete("ls /sys/bus/d", 13), { start: 3, candidates: ["/sys/bus/dsa/"] });
  assert.deepEqual(fx.shell.complete("cat /root/mem", 13).candidates, ["/root/memory_madvise"]);
  assert.deepEqual(fx.shell.complete("cd /sys/bus/dsa/devices/", 24).candidates, ["/sys/bus/dsa/devices/iax1/", "/sys/bus/dsa/devices/iax3/"]);
  assert.deepEqual(fx.shell.complete("cat nosuchdir/x", 15).candidates, []);
});

test("command not found: bash's line, then the iaa exec hint when the host has the program", () => {
  const withHint = runC("strace .", { hooks: { hostHasCommand: (n) => n === "strace" } });
  assert.equal(withHint.status, 127);
  const lines = withHint.err.split("\n");
  assert.equal(lines[0], "bash: line 1: strace: command not found");
  assert.match(lines[1]!, /iaa exec strace/);
  assert.equal(lines.length, 3);
  const without = runC("strace .; nosuch", { hooks: { hostHasCommand: (n) => n === "strace" } });
  assert.equal(without.err.split("\n").filter((l) => l !== "").length, 3);
  assert.equal(runC("strace .").err, "bash: line 1: strace: command not found\n");
});

test("a huge string, a huge array or deep recursion ends with one line and status 1, not a crash", () => {
  const s = runC("s=x; while :; do s=$s$s; done; echo after");
  assert.equal(s.status, 1);
  assert.match(s.err, /^bash: xrealloc: cannot allocate \d+ bytes .*\n$/);
  const a = runC("a=(x); while :; do a+=(\"${a[@]}\"); done", { limits: { maxWords: 1 << 16 } });
  assert.equal(a.status, 1);
  assert.match(a.err, /^bash: xrealloc: cannot allocate a list of \d+ words/);
  const f = runC("f() { f; }; f");
  assert.equal(f.status, 1);
  assert.equal(f.err.split("\n").length, 2);
});

test("a pipe limit never shortens a result: streaming stages stay below it, a buffering reader gets the writer's error and no report", () => {
  const limits = { maxPipeBytes: 1 << 20 };
  // seq and wc stream: 6.9 MB pass through a pipe that may hold 1 MiB
  const ok = runC("seq 1 1000000 | wc -l", { limits });
  assert.deepEqual([ok.out, ok.err, ok.status], ["1000000\n", "", 0]);
  // a function cannot stream: its pipe must hold all of its output, which passes the limit
  const r = runC('f() { seq 1 1000000; }; f | { cat; } | wc -l; echo "${PIPESTATUS[@]}"', { limits });
  assert.equal(r.err, `seq: write error: pipe buffer limit reached (${1 << 20} bytes held for a reader that does not stream)\n`);
  // no count of the cut stream: the reader is not run, nor what reads from it
  assert.equal(r.out, "1 1 1\n");
  const st = runC("f() { seq 1 1000000; }; f | { cat; } | wc -l", { limits });
  assert.notEqual(st.status, 0);
  assert.equal(st.out, "");
});

test("stdin is read lazily in chunks: head stops on an endless source, cat streams chunk by chunk", () => {
  let reads = 0;
  const endless: InputSource = {
    readAll: () => {
      throw new Error("readAll on an endless source");
    },
    readLine: () => "y",
    read: (max) => {
      reads++;
      return new TextEncoder().encode("abcdefgh".repeat(Math.min(max, 1024) / 8));
    },
  };
  const fx = makeFixture({ stdin: endless });
  assert.equal(fx.shell.runString("head -c 5000 | wc -c"), 0);
  assert.equal(fx.sinks.out(), "5000\n");
  assert.ok(reads >= 5, `reads: ${reads}`);
  const chunks = ["one\n", "two\n", "three\n"];
  const writes: string[] = [];
  const fx2 = makeFixture({
    stdin: { readAll: () => new Uint8Array(0), readLine: () => null, read: () => (chunks.length === 0 ? null : new TextEncoder().encode(chunks.shift()!)) },
    stdout: { write: (d) => void writes.push(typeof d === "string" ? d : new TextDecoder().decode(d)) },
  });
  assert.equal(fx2.shell.runString("cat"), 0);
  assert.deepEqual(writes, ["one\n", "two\n", "three\n"]);
});
