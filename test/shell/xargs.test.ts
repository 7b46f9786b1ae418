/**
 * The machine's xargs against the host's GNU xargs, with echo and printf as
 * the commands (programs in /usr/bin on both): the same input and options
 * give the same output, messages and status. Also `env echo`, which needs
 * /usr/bin/echo, and the `builtin` builtin.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { bootWorld } from "../../src/host/world.js";
import { machineShell } from "../helpers/machine_shell.js";

const INPUT = "iax1 iax3\n'quoted arg' \"double q\" back\\ slash\n\nwq1.0\twq3.0\nlast";
const CASES: string[][] = [
  [], ["echo"], ["-n", "1", "echo", "x"], ["-n", "2"], ["-L", "1", "echo", "L:"], ["-L", "2"], ["-I", "{}", "echo", "<{}>"], ["-I{}", "printf", "[%s]\\n", "{}"],
  ["-d", "\\n", "echo"], ["-0", "echo"], ["-r", "echo", "never"], ["-t", "echo", "traced"], ["-E", "back slash", "echo"], ["-n", "0"], ["-n", "x"], ["-q"],
  ["nosuchprogram"], ["printf", "%s|"], ["-P", "1", "-n", "3", "echo"],
];

test("xargs: the machine's and GNU xargs agree on output, messages and status", (t) => {
  const v = spawnSync("xargs", ["--version"], { encoding: "utf8" });
  if (v.status !== 0 || !v.stdout.includes("GNU findutils")) {
    if (process.env.CI === "true") assert.fail("CI=true but the host has no GNU xargs");
    t.skip("the host has no GNU xargs to compare with");
    return;
  }
  const w = bootWorld("tiny");
  for (const args of CASES) {
    for (const input of [INPUT, ""]) {
      const host = spawnSync("xargs", args, { input, encoding: "utf8" });
      w.stack.machine.vfs.writeFile("/root/in.txt", input);
      const { code: status, stdout: out, stderr: err } = machineShell(w, `xargs ${args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ")} < /root/in.txt`);
      const label = `xargs ${args.join(" ")} (${input === "" ? "empty input" : "input"})`;
      assert.equal(out, host.stdout, `${label}: stdout`);
      assert.equal(err, host.stderr, `${label}: stderr`);
      assert.equal(status, host.status, `${label}: status`);
    }
  }
});

test("env runs /usr/bin/echo; builtin runs only builtins", () => {
  const w = bootWorld("tiny");
  const r = machineShell(w, "env echo -n hi; env printf '%s!' x; env true && env [ 2 -gt 1 ] && echo ok; echo() { printf 'function\\n'; }; builtin echo builtin; builtin nosuch");
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "hix!ok\nbuiltin\n");
  assert.equal(r.stderr, "bash: line 1: builtin: nosuch: not a shell builtin\n");
});
