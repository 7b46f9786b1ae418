/**
 * The accel-config manual pages on a booted machine: installed under
 * /usr/share/man/man1 like the package's, shown by `man` and by accel-config's
 * help options through the machine's shell.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { bootWorld } from "../../src/host/world.js";
import { MAN_PAGE_NAMES, manPageTexts } from "../../src/accfg/man_pages.js";
import { RecordingSinks } from "../../src/shell/io.js";

test("a booted machine has the pages, and man and accel-config --help show them", () => {
  const w = bootWorld("tiny");
  const vfs = w.stack.machine.vfs;
  assert.deepEqual(vfs.readdir("/usr/share/man/man1").sort(), MAN_PAGE_NAMES.map((n) => `${n}.1`).sort());
  for (const n of MAN_PAGE_NAMES) assert.equal(vfs.readText(`/usr/share/man/man1/${n}.1`), manPageTexts().get(n));

  const sinks = new RecordingSinks();
  const sh = w.shell({ stdout: sinks.stdout, stderr: sinks.stderr });
  const page = manPageTexts().get("accel-config-config-wq")!;
  const script = [
    "which man",
    "man accel-config-config-wq",
    "accel-config config-wq --help",
    "accel-config --help config-wq",
    "man 1 accel-config-list | head -n 1",
    "man accel-config-frob; echo rc=$?",
    "accel-config --help frob; echo rc=$?",
  ].join("\n");
  assert.equal(sh.runString(script), 0);
  assert.equal(
    sinks.out(),
    "/usr/bin/man\n" + page + page + page + manPageTexts().get("accel-config-list")!.split("\n")[0] + "\n" + "rc=16\nrc=16\n",
  );
  assert.equal(sinks.err(), "No manual entry for accel-config-frob\nNo manual entry for accel-config-frob\n");
});
