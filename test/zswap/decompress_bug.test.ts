/**
 * A decompression that fails under zswap_load() is 6.12's BUG_ON() in
 * zswap_decompress(): made here from user space with the fault-injection file
 * (the IAA device reports a decompress error that iaa_crypto does not redo
 * in software), through the shell, as the documentation's test would meet it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { bootWorld } from "../../src/host/world.js";
import { BufferSink } from "../../src/shell/io.js";
import { ZSWAP_ON_IAA } from "../helpers/zswap.js";

test("a decompress error under zswap_load() oopses: kernel BUG at mm/zswap.c:981, the task killed, the kernel tainted D, the machine still running", () => {
  const w = bootWorld("tiny");
  const out = new BufferSink();
  const err = new BufferSink();
  const sh = w.shell({ stdout: out, stderr: err });
  const script = [
    "modprobe iaa_crypto",
    // without the verifying decompression after each compression (the injected fault would fail the stores
    // first): verify_compress is set between a reload and the WQs' enabling, as the documentation does
    "for n in 1 3; do accel-config disable-wq iax$n/wq$n.0; accel-config disable-device iax$n; done >/dev/null 2>&1",
    "rmmod iaa_crypto; modprobe iaa_crypto",
    "echo 0 > /sys/bus/dsa/drivers/crypto/verify_compress",
    "for n in 1 3; do accel-config config-wq --group-id=0 --mode=dedicated --wq-size=128 --priority=10 --type=kernel --name=iaa_crypto --driver-name=crypto iax$n/wq$n.0; accel-config config-engine iax$n/engine$n.0 --group-id=0; accel-config enable-device iax$n; accel-config enable-wq iax$n/wq$n.0; done >/dev/null 2>&1",
    ZSWAP_ON_IAA,
    "cat /proc/sys/kernel/tainted",
    "dmesg -C",
    // every decompress descriptor on every IAA completes with a page-fault status (0x03): no software redo
    "for f in /sys/kernel/debug/iaa_emu/faults/iax*; do echo 'status=0x03 opcode=0x42 count=all' > $f; done",
    "LANG=en_US.UTF-8 ./memory_madvise 10",
    "echo rc=$?",
    "cat /proc/sys/kernel/tainted",
    "grep -E '^(zswpin|zswpout) ' /proc/vmstat",
    "cat /sys/kernel/debug/zswap/stored_pages",
    "grep SwapCached /proc/meminfo",
    "for f in /sys/kernel/debug/iaa_emu/faults/*; do echo clear > $f; done",
    "LANG=en_US.UTF-8 ./memory_madvise 3",
    "echo rc=$?",
  ].join("\n");
  assert.equal(sh.runString(script), 0, err.text());
  assert.equal(
    out.text(),
    [
      "0",
      "Allocating 10 pages to swap in/out",
      "Swapping out 10 pages",
      "Swapping in 10 pages",
      "rc=139",
      "128",
      "zswpin 0",
      "zswpout 10",
      "1",
      "SwapCached:            4 kB",
      "Allocating 3 pages to swap in/out",
      "Swapping out 3 pages",
      "Swapping in 3 pages",
      "Swapped out and in 3 pages",
      "rc=0",
      "",
    ].join("\n"),
  );
  // make_task_dead() → do_exit(SIGSEGV): killed by SIGSEGV, no core dump
  assert.equal(err.text(), "Segmentation fault\n");
  const log = w.stack.machine.ctx.log.records.map((r) => r.text);
  const at = log.indexOf("kernel BUG at mm/zswap.c:981!");
  assert.ok(at > 0, log.join("\n"));
  assert.equal(log[at - 1], "------------[ cut here ]------------");
  assert.equal(log[at + 1], "Oops: invalid opcode: 0000 [#1] PREEMPT SMP NOPTI");
  assert.match(log[at + 2]!, /^CPU: \d+ UID: 0 PID: \d+ Comm: memory_madvise Not tainted 6\.12\.0-iaa-emu #1$/);
  assert.equal(log[at + 3], "Hardware name: iaa-emu Virtual Machine, BIOS iaa-emu 01/01/2025");
  assert.equal(log[at + 4], "RIP: 0010:zswap_decompress+0x1c6/0x1d0");
  const trace = log.slice(log.indexOf(" <TASK>", at) + 1, log.indexOf(" </TASK>", at)).map((f) => f.trim().replace(/\+.*/, ""));
  assert.deepEqual(trace.slice(0, 4), ["zswap_load", "swap_read_folio", "swap_cluster_readahead", "shmem_swapin_folio"], "memory_madvise maps MAP_SHARED: shmem");
  assert.equal(trace.at(-1), "asm_exc_page_fault");
  const mods = log.find((l) => l.startsWith("Modules linked in:"))!;
  assert.match(mods, /^Modules linked in: iaa_crypto .*idxd/);
  assert.ok(log.indexOf("---[ end trace 0000000000000000 ]---", at) > log.indexOf(" </TASK>", at));
  assert.equal(log.filter((l) => l.startsWith("kernel BUG at")).length, 1, "the second run does not oops");
});

test("/proc/sys/kernel/tainted takes bits to add, never to clear (proc_taint)", () => {
  const w = bootWorld("tiny");
  const out = new BufferSink();
  const err = new BufferSink();
  const sh = w.shell({ stdout: out, stderr: err });
  const script = ["echo 4096 > /proc/sys/kernel/tainted", "echo 0 > /proc/sys/kernel/tainted", "cat /proc/sys/kernel/tainted", "echo x > /proc/sys/kernel/tainted; echo rc=$?", "cat /proc/sys/kernel/tainted"].join("\n");
  sh.runString(script);
  assert.equal(out.text(), "4096\nrc=1\n4096\n");
  assert.equal(err.text(), "bash: line 4: echo: write error: Invalid argument\n");
});
