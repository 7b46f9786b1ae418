/**
 * Faults injected from user space through /sys/kernel/debug/iaa_emu/faults/<dev>
 * reach the driver's completion handling, and the pages' data survives.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { bootWorld } from "../../src/host/world.js";
import { BufferSink } from "../../src/shell/io.js";

test("a watchdog fault written to the debugfs file turns into timeouts; memory_madvise still gets its data back", () => {
  const w = bootWorld("tiny");
  const out = new BufferSink();
  const err = new BufferSink();
  const sh = w.shell({ stdout: out, stderr: err });
  const script = [
    "modprobe iaa_crypto",
    "for p in 'enabled 1' 'compressor deflate-iaa'; do set -- $p; echo $2 > /sys/module/zswap/parameters/$1; done",
    "echo 'status=0x24 opcode=0x43 count=2' > /sys/kernel/debug/iaa_emu/faults/iax1",
    "cat /sys/kernel/debug/iaa_emu/faults/iax1",
    "echo nonsense > /sys/kernel/debug/iaa_emu/faults/iax1; echo rc=$?",
    "LANG=en_US.UTF-8 ./memory_madvise 10",
    "grep timeout /sys/kernel/debug/iaa_crypto/global_stats",
    "grep -E '^(zswpout|pswpout) ' /proc/vmstat",
  ].join("\n");
  assert.equal(sh.runString(script), 0, err.text());
  assert.equal(
    out.text(),
    [
      "status=0x24 opcode=0x43 count=2",
      "rc=1",
      "Allocating 10 pages to swap in/out",
      "Swapping out 10 pages",
      "Swapping in 10 pages",
      "Swapped out and in 10 pages",
      "  total_completion_timeout_errors: 2",
      "pswpout 2",
      "zswpout 8",
      "",
    ].join("\n"),
  );
  assert.equal(err.text(), "bash: line 5: echo: write error: Invalid argument\n");
});
