/**
 * The dashboard's collectors against a booted machine: what they report is
 * what the machine's files say (read here through a shell, as a user would).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { bootWorld, type World } from "../world.js";
import { parseWqStats, readCounters } from "./counters.js";
import { History } from "./history.js";
import { collectDyndbg, logSince, parseDyndbgControl } from "./machine_info.js";
import { publishedFor } from "./published.js";
import { dashboardState } from "./state.js";
import { collectTopology } from "./topology.js";

function sh(world: World, script: string): string {
  let out = "";
  const dec = new TextDecoder();
  const sink = { write: (s: string | Uint8Array) => ((out += typeof s === "string" ? s : dec.decode(s)), true) };
  assert.equal(world.shell({ stdout: sink, stderr: sink }).runString(script), 0, out);
  return out;
}

test("topology: devices, WQ attributes and the CPUs of each WQ as sysfs and iaa_crypto's table give them", () => {
  const w = bootWorld("spr-2s");
  sh(w, "modprobe iaa_crypto");
  const t = collectTopology(w);
  assert.deepEqual(
    t.devices.map((d) => d.name).sort(),
    sh(w, "ls /sys/bus/dsa/devices | grep -E '^(iax|dsa)[0-9]+$'").trim().split("\n").sort(),
  );
  const iax1 = t.devices.find((d) => d.name === "iax1")!;
  const wq = iax1.wqs.find((x) => x.name === "wq1.0")!;
  const attr = (a: string): string => sh(w, `cat /sys/bus/dsa/devices/iax1/wq1.0/${a}`).trim();
  assert.equal(wq.mode, attr("mode"));
  assert.equal(String(wq.size), attr("size"));
  assert.equal(String(wq.priority), attr("priority"));
  assert.equal(wq.type, attr("type"));
  assert.equal(wq.wqName, attr("name"));
  assert.equal(wq.state, attr("state"));
  assert.equal(wq.driver, "crypto");
  // every CPU is mapped to exactly one WQ: each IAA device's WQ gets a share of them
  const cpus = t.devices.flatMap((d) => d.wqs).map((x) => x.cpus).filter((c) => c !== "");
  const count = cpus.flatMap((c) => c.split(",")).reduce((n, r) => n + (r.includes("-") ? Number(r.split("-")[1]) - Number(r.split("-")[0]) + 1 : 1), 0);
  assert.equal(count, t.nrCpus);
  assert.equal(cpus.length, 8);
  // the engines that compress are the device's first two (in a group or not)
  assert.deepEqual(iax1.engines.filter((e) => e.canCompress).map((e) => e.name), ["engine1.0", "engine1.1"]);
  assert.ok(t.devices.filter((d) => d.kind === "dsa").every((d) => d.engines.every((e) => !e.canCompress)));
  assert.equal(t.nodes.length, 2);
  assert.equal(t.nodes[1]!.cpulist, sh(w, "cat /sys/devices/system/node/node1/cpulist").trim());
  // unbinding the WQ empties its CPUs
  sh(w, "echo wq1.0 > /sys/bus/dsa/drivers/crypto/unbind");
  assert.equal(collectTopology(w).devices.find((d) => d.name === "iax1")!.wqs[0]!.cpus, "");
});

test("counters: wq_stats per WQ and global_stats as the files print them; zswap's appear once it exists", () => {
  const w = bootWorld("spr-2s");
  sh(w, "modprobe iaa_crypto");
  const text = sh(w, "cat /sys/kernel/debug/iaa-crypto/wq_stats");
  const per = parseWqStats(text);
  assert.equal(Object.keys(per).length, (text.match(/^ {4}name:/gm) ?? []).length);
  const s = readCounters(w.stack.machine.vfs, 0, 0, 0);
  assert.equal(s.iaa!["total_comp_calls"], Number(/total_comp_calls: (\d+)/.exec(sh(w, "cat /sys/kernel/debug/iaa-crypto/global_stats"))![1]));
  assert.equal(s.vmstat["zswpout"], 0);
  sh(w, "echo deflate-iaa > /sys/module/zswap/parameters/compressor; echo 1 > /sys/module/zswap/parameters/enabled; echo never > /sys/kernel/mm/transparent_hugepage/enabled; cd /root && ./memory_madvise 50");
  const s2 = readCounters(w.stack.machine.vfs, 1, 0, 0);
  assert.equal(s2.vmstat["zswpout"], 50);
  assert.ok(s2.iaa!["total_comp_calls"]! >= s.iaa!["total_comp_calls"]! + 50);
  assert.notEqual(s2.zswap, null);
  assert.equal(s2.zswap!["stored_pages"], Number(sh(w, "cat /sys/kernel/debug/zswap/stored_pages").trim()));
});

test("history: bounded, a repeat within a second is not kept, since() gives what came after", () => {
  const w = bootWorld("tiny");
  let wall = 0;
  const h = new History(() => w.stack.machine.vfs, () => w.stack.machine.ctx.clock.now, 3, () => wall);
  h.sample();
  h.sample();
  assert.equal(h.size, 1);
  for (let i = 0; i < 5; i++) {
    w.stack.machine.ctx.clock.advance(1000);
    h.sample();
  }
  assert.equal(h.size, 3);
  const all = h.since(-1);
  assert.deepEqual(all.map((s) => s.seq), [3, 4, 5]);
  assert.deepEqual(h.since(4).map((s) => s.seq), [5]);
  wall = 1500;
  h.sample();
  assert.equal(h.since(5).length, 1, "the wall clock moves the history on at least once a second");
});

test("dynamic debug: the control file's sites and the switches a query turns on", () => {
  const w = bootWorld("spr-2s");
  sh(w, "modprobe iaa_crypto");
  const before = collectDyndbg(w).modules.find((m) => m.module === "iaa_crypto")!;
  assert.equal(before.printing, 0);
  assert.equal(before.sites, parseDyndbgControl(sh(w, "cat /sys/kernel/debug/dynamic_debug/control")).filter((s) => s.module === "iaa_crypto").length);
  sh(w, "echo -n 'func rebalance_wq_table +p' > /sys/kernel/debug/dynamic_debug/control");
  const after = collectDyndbg(w);
  const on = sh(w, "grep -v ' =_ ' /sys/kernel/debug/dynamic_debug/control | grep -v '^#'").trim().split("\n");
  assert.ok(on.length >= 1);
  assert.deepEqual(after.enabled.map((s) => `${s.site} [${s.module}]${s.func} =${s.flags}`), on.map((l) => l.slice(0, l.indexOf(' "'))));
  assert.ok(after.enabled.every((s) => s.func === "rebalance_wq_table" && s.flags === "p"));
});

test("log: the lines after a sequence number, formatted as dmesg prints them", () => {
  const w = bootWorld("tiny");
  const all = logSince(w, -1);
  assert.deepEqual(all.map((l) => l.line).join("\n") + "\n", sh(w, "dmesg"));
  const last = all[all.length - 1]!.seq;
  assert.deepEqual(logSince(w, last), []);
  sh(w, "modprobe iaa_crypto");
  assert.ok(logSince(w, last).length > 0);
});

test("state: what /api/state answers changes nothing on the machine", () => {
  const w = bootWorld("spr-2s");
  sh(w, "modprobe iaa_crypto");
  const h = new History(() => w.stack.machine.vfs, () => w.stack.machine.ctx.clock.now);
  const now = w.stack.machine.ctx.clock.now;
  const snap = sh(w, "cat /sys/kernel/debug/iaa-crypto/global_stats; cat /proc/vmstat; dmesg | wc -l");
  const t = w.stack.machine.ctx.clock.now;
  for (let i = 0; i < 3; i++) dashboardState(w, "0", h, -1, -1);
  assert.equal(w.stack.machine.ctx.clock.now, t, "no virtual time passes");
  assert.ok(t > now);
  assert.equal(sh(w, "cat /sys/kernel/debug/iaa-crypto/global_stats; cat /proc/vmstat; dmesg | wc -l"), snap);
});

test("published figures apply to the configurations they were measured on", () => {
  const iaa = { compressor: "deflate-iaa", sync_mode: "sync", verify: 0, bytes: 4096 };
  assert.deepEqual(publishedFor(iaa).map((f) => `${f.source} ${f.op} ${f.value}`), ["Z23 compress 3177", "Z23 decompress 2235"]);
  assert.deepEqual(publishedFor({ ...iaa, verify: 1 }), []);
  assert.deepEqual(publishedFor({ ...iaa, sync_mode: "async" }), []);
  assert.equal(publishedFor({ ...iaa, bytes: 65536 }).length, 3);
  assert.equal(publishedFor({ ...iaa, bytes: 65536, depth: 16 }).length, 2);
  assert.equal(publishedFor({ compressor: "lzo", sync_mode: "sync", verify: 0, bytes: 65536 }).length, 0);
});
