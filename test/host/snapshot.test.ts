/**
 * Snapshots against the uninterrupted machine: one World runs a long mixed
 * sequence of commands; another is saved and restored between every two
 * commands. Every command's output and status, and a digest of the whole
 * machine after it, must be the same.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import test from "node:test";
import { deserialize, serialize } from "node:v8";
import { restoreNotice, restoreWorld, restoreWorldParts, saveWorld, saveWorldParts, SnapshotError } from "../../src/host/snapshot.js";
import { bootWorld, type World } from "../../src/host/world.js";
import type { KnDir } from "../../src/kernfs/node.js";

const THINK_NS = 2_000_000_000;

interface Outcome {
  out: string;
  err: string;
  status: number;
}

/** Runs one command as the persistent machine does (2 s of think time first, a fresh shell). */
function run(w: World, text: string): Outcome {
  w.stack.machine.ctx.clock.advance(THINK_NS);
  let out = "";
  let err = "";
  const dec = (d: string | Uint8Array): string => (typeof d === "string" ? d : Buffer.from(d).toString("latin1"));
  const status = w.shell({ stdout: { write: (d) => void (out += dec(d)) }, stderr: { write: (d) => void (err += dec(d)) }, stdin: { readAll: () => new Uint8Array(0), readLine: () => null } }).runString(text);
  return { out, err, status };
}

/** Every node of the machine: files' bytes, attributes' text (or errno), links, modes; dmesg; the clock. */
function digest(w: World): string {
  const h = createHash("sha256");
  const m = w.stack.machine;
  const visit = (d: KnDir, path: string): void => {
    for (const [name, n] of d.children) {
      const p = `${path}/${name}`;
      h.update(`${p} ${n.kind} ${n.mode} ${n.mtime}\n`);
      if (n.kind === "dir") visit(n, p);
      else if (n.kind === "file") h.update(n.data);
      else if (n.kind === "link") h.update(n.target);
      else if (n.show !== undefined && (n.mode & 0o444) !== 0) {
        const v = n.show();
        h.update(typeof v === "number" ? `errno ${v}` : v);
      }
    }
  };
  visit(m.fs.root, "");
  h.update(m.ctx.log.format().join("\n"));
  h.update(`now ${m.ctx.clock.now} seq ${m.ctx.log.nextSeq} frames ${m.mem.allocatedFrames}`);
  return h.digest("hex");
}

const SEQUENCE = [
  "lsmod",
  "modprobe iaa_crypto",
  "cat /sys/bus/dsa/devices/iax1/state /sys/bus/dsa/devices/iax1/wq1.0/state",
  "echo -n 'module iaa_crypto +p' > /sys/kernel/debug/dynamic_debug/control",
  "echo -n 'module idxd +p' > /sys/kernel/debug/dynamic_debug/control",
  "echo 0 > /sys/module/zswap/parameters/enabled",
  "echo 50 > /sys/module/zswap/parameters/max_pool_percent",
  "echo deflate-iaa > /sys/module/zswap/parameters/compressor",
  "echo zsmalloc > /sys/module/zswap/parameters/zpool",
  "echo 1 > /sys/module/zswap/parameters/enabled",
  "echo 100 > /proc/sys/vm/swappiness",
  "echo never > /sys/kernel/mm/transparent_hugepage/enabled",
  "echo 1 > /proc/sys/vm/overcommit_memory",
  "echo bogus > /sys/module/zswap/parameters/compressor",
  "dmesg -c > /dev/null",
  "echo 1 > /sys/kernel/debug/iaa-crypto/stats_reset",
  "cd /root && ./memory_madvise 300",
  "cat /sys/kernel/debug/iaa-crypto/global_stats",
  "echo 'status=0x24 count=3' > /sys/kernel/debug/iaa_emu/faults/iax1; cat /sys/kernel/debug/iaa_emu/faults/iax1",
  "echo async > /sys/bus/dsa/drivers/crypto/sync_mode; echo 1 > /sys/bus/dsa/drivers/crypto/verify_compress; cat /sys/bus/dsa/drivers/crypto/sync_mode",
  "cd /root && ./memory_madvise 40; echo rc=$?",
  "cat /sys/kernel/debug/iaa_emu/faults/iax1; echo clear > /sys/kernel/debug/iaa_emu/faults/iax1",
  "echo sync > /sys/bus/dsa/drivers/crypto/sync_mode; dmesg -C; dmesg | wc -l",
  "echo 'module idxd -p' > /sys/kernel/debug/dynamic_debug/control; grep -c '=p' /sys/kernel/debug/dynamic_debug/control",
  "cat /sys/kernel/debug/iaa-crypto/iax1/wq1.0/* 2>&1 | head -20",
  "for f in stored_pages pool_total_size reject_compress_fail written_back_pages; do echo \"$f: $(cat /sys/kernel/debug/zswap/$f)\"; done",
  "grep -E '^(zswpin|zswpout|pswpin|pswpout) ' /proc/vmstat",
  "dmesg | tail -n 5",
  "echo hello > /root/note.txt && chmod 600 /root/note.txt && ln -s /root/note.txt /tmp/link && ls -l /root /tmp",
  "accel-config list | head -30",
  "accel-config save-config -s /etc/accel-config/accel-config.conf && wc -c /etc/accel-config/accel-config.conf",
  "echo lz4 > /sys/module/zswap/parameters/compressor",
  "modprobe lz4; echo lz4 > /sys/module/zswap/parameters/compressor; cat /sys/module/zswap/parameters/compressor",
  "cd /root && ./memory_madvise 120",
  "cat /sys/kernel/debug/zswap/pool_total_size /sys/kernel/debug/zswap/stored_pages",
  "swapoff -a; cat /proc/swaps",
  "swapon -a; cat /proc/swaps",
  "rmmod iaa_crypto",
  "echo deflate > /sys/module/zswap/parameters/compressor; rmmod iaa_crypto; lsmod",
  "accel-config disable-wq iax1/wq1.0; accel-config disable-device iax1",
  "echo 4 > /sys/bus/dsa/devices/iax1/wq1.0/size; cat /sys/bus/dsa/devices/iax1/wq1.0/size",
  "echo 1 > /sys/bus/dsa/devices/iax1/wq1.0/size 2>&1; echo rc=$?",
  "accel-config config-wq iax1/wq1.0 -g 0 -m dedicated -y kernel -n iaa_crypto -d crypto -p 10 -s 8",
  "accel-config config-engine iax1/engine1.1 -g 0",
  "accel-config enable-device iax1; accel-config enable-wq iax1/wq1.0",
  "modprobe iaa_crypto verify_compress=0; cat /sys/bus/dsa/drivers/crypto/verify_compress /sys/bus/dsa/drivers/crypto/sync_mode",
  "grep -A8 deflate-iaa /proc/crypto",
  "cat /proc/meminfo | head -20; cat /proc/swaps",
  "dmesg | tail -n 20",
  "date; uptime 2>/dev/null; cat /proc/uptime",
];

/**
 * Runs `cmds` on two machines of `preset`, the second saved and restored
 * before every command; asserts that outputs and whole machines agree after
 * each, and returns the outputs.
 */
function twins(preset: string, cmds: string[]): string[] {
  const a = bootWorld(preset);
  let b = bootWorld(preset);
  const outs: string[] = [];
  for (const [i, cmd] of cmds.entries()) {
    b = restoreWorld(saveWorld(b));
    const ra = run(a, cmd);
    assert.deepEqual(run(b, cmd), ra, `command ${i}: ${cmd}`);
    assert.equal(digest(b), digest(a), `machine after command ${i}: ${cmd}`);
    outs.push(ra.out + ra.err);
  }
  return outs;
}

test("a machine saved and restored between every command behaves as the uninterrupted one", () => {
  twins("tiny", SEQUENCE);
});

test("the documentation's zswap flow on the 2-socket preset survives a snapshot between every command", () => {
  const cmds = [
    "modprobe iaa_crypto",
    "echo -n 'module iaa_crypto +p' > /sys/kernel/debug/dynamic_debug/control",
    "echo deflate-iaa > /sys/module/zswap/parameters/compressor; echo 1 > /sys/module/zswap/parameters/enabled",
    "cd /root && ./memory_madvise 64",
    "cat /sys/kernel/debug/iaa-crypto/global_stats; cat /sys/kernel/debug/zswap/stored_pages",
    "dmesg | tail -n 8",
  ];
  twins("spr-2s", cmds);
});

test("after an oops (a decompression BUG_ON under zswap_load) the taint, the leaked entry and the locked page survive a snapshot", () => {
  const cmds = [
    // verify_compress=0 (set between a reload and the WQs' enabling), in one command
    [
      "modprobe iaa_crypto",
      "for n in 1 3; do accel-config disable-wq iax$n/wq$n.0; accel-config disable-device iax$n; done >/dev/null 2>&1",
      "rmmod iaa_crypto; modprobe iaa_crypto; echo 0 > /sys/bus/dsa/drivers/crypto/verify_compress",
      "for n in 1 3; do accel-config config-wq -g 0 -m dedicated -s 128 -p 10 -y kernel -n iaa_crypto -d crypto iax$n/wq$n.0; accel-config config-engine iax$n/engine$n.0 -g 0; accel-config enable-device iax$n; accel-config enable-wq iax$n/wq$n.0; done >/dev/null 2>&1",
      "cat /sys/bus/dsa/drivers/crypto/verify_compress",
    ].join("\n"),
    "echo deflate-iaa > /sys/module/zswap/parameters/compressor; echo 1 > /sys/module/zswap/parameters/enabled",
    "for f in /sys/kernel/debug/iaa_emu/faults/iax*; do echo 'status=0x03 opcode=0x42 count=1' > $f; done",
    "cd /root && ./memory_madvise 20; echo rc=$?",
    "cat /proc/sys/kernel/tainted /sys/kernel/debug/zswap/stored_pages; grep SwapCached /proc/meminfo",
    "cd /root && ./memory_madvise 20; echo rc=$?",
    "swapoff -a; echo rc=$?; cat /proc/swaps",
    "dmesg | grep -E 'BUG|Oops|Tainted'",
  ];
  const outs = twins("tiny", cmds);
  assert.equal(outs[0], "0\n");
  assert.match(outs[3]!, /rc=139\nSegmentation fault\n$/);
  assert.match(outs[4]!, /^128\n1\nSwapCached: +4 kB\n$/);
  assert.match(outs[5]!, /rc=0\n$/);
  assert.match(outs[6]!, /swapoff failed: Input\/output error/);
  assert.equal(outs[7]!.split("\n").filter((l) => l.includes("kernel BUG at mm/zswap.c:981!")).length, 1);
});

test("the snapshot of an idle machine does not grow with the number of commands", () => {
  let w = bootWorld("tiny");
  const sizes: number[] = [];
  for (let i = 0; i < 30; i++) {
    run(w, "cat /proc/vmstat > /dev/null");
    const bytes = saveWorld(w);
    sizes.push(bytes.length);
    w = restoreWorld(bytes);
  }
  // only the printk ring (bounded) and counters change; the tenth and thirtieth are alike
  assert.ok(Math.abs(sizes[29]! - sizes[9]!) < 256, `sizes ${sizes[9]} → ${sizes[29]}`);
});

test("foreign or damaged snapshots are refused with one line naming `iaa boot`", () => {
  const w = bootWorld("tiny");
  const good = saveWorld(w);
  const bad: Uint8Array[] = [new Uint8Array([1, 2, 3]), good.slice(0, good.length >> 1), serialize({ magic: "iaa-emu machine snapshot", format: 1, version: "0.0.0-other" }), serialize({ hello: 1 })];
  const flipped = good.slice();
  flipped[20] ^= 0xff;
  bad.push(flipped);
  for (const b of bad) {
    assert.throws(
      () => restoreWorld(b),
      (e: unknown) => e instanceof SnapshotError && !e.message.includes("\n") && e.message.includes("iaa boot"),
    );
  }
});

test("a snapshot of another build whose classes this build lacks says so, not 'damaged'; parts round-trip like the whole", () => {
  const w = bootWorld("tiny");
  run(w, "modprobe iaa_crypto; echo 39 > /proc/sys/vm/swappiness");
  const { body, parts } = saveWorldParts(w);
  assert.deepEqual(Object.keys(parts).sort(), ["frames", "printk"]);
  assert.equal(digest(restoreWorldParts(body, parts)), digest(w));
  const env = deserialize(body) as { build: string; stack: { graph: { classes: string[] } } };
  const i = env.stack.graph.classes.findIndex((c) => c.startsWith("KnAttr("));
  env.stack.graph.classes[i] = "KnAttr(renamedMethod)";
  assert.throws(() => restoreWorldParts(serialize(env), parts), /^SnapshotError: iaa: the machine snapshot is damaged \(no class KnAttr on this machine\); run `iaa boot`/);
  // another build: what the kernel's own operations rebuild is carried over, and the restore says what was not
  env.build = "0.0.9+0123456789abcdef";
  const other = restoreWorldParts(serialize(env), parts);
  assert.equal(run(other, "cat /proc/sys/vm/swappiness; lsmod | grep -c ^iaa_crypto; cat /sys/bus/dsa/devices/iax1/wq1.0/state").out, "39\n1\nenabled\n");
  assert.equal(run(other, "dmesg").out, run(w, "dmesg").out, "the log is carried over");
  assert.match(restoreNotice(other)!, /^iaa: the machine snapshot was written by another build of iaa-emu \(0\.0\.9\+0123456789abcdef\); its modules, devices and WQs, swap devices, zswap parameters, sysctls and log were carried over, its statistics, swapped-out data and files were not$/);
  assert.equal(restoreNotice(restoreWorldParts(body, parts)), null);
  // neither the graph nor the structure readable: one line
  const broken = deserialize(body) as { build: string; stack: { graph: { classes: string[] }; idxd: unknown } };
  broken.build = env.build;
  broken.stack.graph.classes[i] = "KnAttr(renamedMethod)";
  broken.stack.idxd = { params: {}, devices: [{ name: "iax99", wqs: [], groups: [], engines: [] }] };
  assert.throws(() => restoreWorldParts(serialize(broken), parts), /^SnapshotError: iaa: the machine snapshot was written by another build of iaa-emu \S+ \(0\.0\.9\+0123456789abcdef\), which this build \(\S+\) cannot read: idxd's devices do not match the snapshot's \(ENODEV\); run `iaa boot` to start a new machine$/);
  assert.throws(() => restoreWorldParts(body, { frames: parts["frames"]! }), /is damaged \(a part is missing\)/);
});

test("a restore between reloading iaa_crypto with its devices disabled and enabling its WQs: the WQs enable as without it", () => {
  const outs = twins("tiny", [
    "modprobe iaa_crypto",
    "for n in 1 3; do accel-config disable-wq iax$n/wq$n.0; accel-config disable-device iax$n; done",
    "rmmod iaa_crypto; modprobe iaa_crypto; grep -c deflate-iaa /proc/crypto",
    "for n in 1 3; do accel-config config-wq --group-id=0 --mode=dedicated --wq-size=128 --priority=10 --type=kernel --name=iaa_crypto --driver-name=crypto iax$n/wq$n.0; accel-config config-engine iax$n/engine$n.0 --group-id=0; done",
    "for n in 1 3; do accel-config enable-device iax$n; accel-config enable-wq iax$n/wq$n.0; done",
    "cat /sys/bus/dsa/devices/iax1/wq1.0/state /sys/bus/dsa/devices/iax3/wq3.0/state; grep -A1 '^name *: deflate$' /proc/crypto | grep -c deflate-iaa",
  ]);
  assert.equal(outs[2], "0\n");
  assert.equal(outs[5], "enabled\nenabled\n1\n");
});
