import { test } from "node:test";
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { makeFixture } from "./test_fixture.js";
import { promptFor, runRepl } from "./repl.js";

test("promptFor() shows the home directory as ~", () => {
  assert.equal(promptFor("/root", "/root", "iaa-emu"), "root@iaa-emu:~# ");
  assert.equal(promptFor("/root/x", "/root", "iaa-emu"), "root@iaa-emu:~/x# ");
  assert.equal(promptFor("/sys/bus", "/root", "h"), "root@h:/sys/bus# ");
});

test("runRepl() runs lines, continues incomplete commands and stops at exit", async () => {
  const fx = makeFixture();
  const input = new PassThrough();
  const output = new PassThrough();
  let prompts = "";
  output.on("data", (d: Buffer) => (prompts += d.toString()));
  const seen: number[] = [];
  const done = runRepl(fx.shell, { input, output, prompts: true, afterLine: (s) => seen.push(s) });
  input.write("x=4\nif true; then\necho in $x\nfi\ncd /sys\nfalse\nexit 3\necho never\n");
  const st = await done;
  assert.equal(st, 3);
  assert.equal(fx.sinks.out(), "in 4\n");
  assert.deepEqual(seen, [0, 0, 0, 1, 3]);
  assert.equal(prompts, "root@iaa-emu:~# root@iaa-emu:~# > > root@iaa-emu:~# root@iaa-emu:/sys# root@iaa-emu:/sys# ");
});
