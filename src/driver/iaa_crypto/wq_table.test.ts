import { test } from "node:test";
import assert from "node:assert/strict";
import { makeTopology, type Topology } from "../../lib/topology.js";
import { WqTable, computeCpusPerIaa, nodesWithCpus, rebalanceWqTable, type RebalanceEvent, type WqTableDevice } from "./wq_table.js";

/** n devices with `wqsPer` WQs named "wq<dev>.<i>" (dev numbered 1,3,5… as on SPR). */
function devices(n: number, wqsPer = 1): WqTableDevice<string>[] {
  const out: WqTableDevice<string>[] = [];
  for (let d = 0; d < n; d++) {
    const wqs: string[] = [];
    for (let i = 0; i < wqsPer; i++) wqs.push(`wq${2 * d + 1}.${i}`);
    out.push({ wqs });
  }
  return out;
}

/** Builds and rebalances a table the way iaa_crypto does after a bind. */
function build(topo: Topology, devs: WqTableDevice<string>[], maxWqs = 8, trace?: (e: RebalanceEvent<string>) => void) {
  const nrNodes = nodesWithCpus(topo).length;
  const nrCpus = topo.nrCpus;
  const cpusPerIaa = computeCpusPerIaa(nrNodes, Math.floor(nrCpus / nrNodes), devs.length);
  const table = new WqTable<string>(nrCpus, maxWqs);
  const ok = rebalanceWqTable(table, devs, topo, { nrNodes, nrCpus, nrIaa: devs.length, cpusPerIaa }, trace);
  return { table, cpusPerIaa, ok };
}

/** Which device (by its first WQ) each CPU in `cpus` got. */
function owner(table: WqTable<string>, cpu: number): string {
  return table.wqsOf(cpu)[0] ?? "none";
}

function assertRange(table: WqTable<string>, from: number, to: number, wq: string): void {
  for (let c = from; c <= to; c++) assert.equal(owner(table, c), wq, `cpu ${c}`);
}

test("computeCpusPerIaa() divides node CPUs by devices, at least 1, and 1 without devices", () => {
  assert.equal(computeCpusPerIaa(2, 80, 8), 20);
  assert.equal(computeCpusPerIaa(2, 112, 8), 28);
  assert.equal(computeCpusPerIaa(1, 4, 8), 1);
  assert.equal(computeCpusPerIaa(2, 80, 0), 1);
  assert.equal(computeCpusPerIaa(2, 80, 3), 53);
});

test("rebalanceWqTable() spreads 160 CPUs over 2 nodes across 8 IAAs, 20 CPUs each, node by node", () => {
  const topo = makeTopology(2, 40, 2, 1 << 30); // node0 = 0-39,80-119; node1 = 40-79,120-159
  const { table, cpusPerIaa, ok } = build(topo, devices(8));
  assert.ok(ok);
  assert.equal(cpusPerIaa, 20);
  assertRange(table, 0, 19, "wq1.0");
  assertRange(table, 20, 39, "wq3.0");
  assertRange(table, 80, 99, "wq5.0");
  assertRange(table, 100, 119, "wq7.0");
  assertRange(table, 40, 59, "wq9.0");
  assertRange(table, 60, 79, "wq11.0");
  assertRange(table, 120, 139, "wq13.0");
  assertRange(table, 140, 159, "wq15.0");
});

test("rebalanceWqTable() reproduces the 2x112-CPU example with 28 CPUs per IAA", () => {
  const topo = makeTopology(2, 56, 2, 1 << 30); // node0 = 0-55,112-167
  const { table, cpusPerIaa } = build(topo, devices(8));
  assert.equal(cpusPerIaa, 28);
  assertRange(table, 0, 27, "wq1.0");
  assertRange(table, 28, 55, "wq3.0");
  assertRange(table, 112, 139, "wq5.0");
  assertRange(table, 140, 167, "wq7.0");
  assertRange(table, 56, 83, "wq9.0");
  assertRange(table, 84, 111, "wq11.0");
  assertRange(table, 168, 195, "wq13.0");
  assertRange(table, 196, 223, "wq15.0");
});

test("rebalanceWqTable() gives each node its own IAA with 2 devices", () => {
  const topo = makeTopology(2, 40, 2, 1 << 30);
  const { table } = build(topo, devices(2));
  for (const c of topo.nodes[0]!.cpus) assert.equal(owner(table, c), "wq1.0");
  for (const c of topo.nodes[1]!.cpus) assert.equal(owner(table, c), "wq3.0");
});

test("rebalanceWqTable() gives every CPU all WQs of the only IAA", () => {
  const topo = makeTopology(2, 40, 2, 1 << 30);
  const { table } = build(topo, devices(1, 3));
  for (let c = 0; c < 160; c++) assert.deepEqual(table.wqsOf(c), ["wq1.0", "wq1.1", "wq1.2"]);
});

test("rebalanceWqTable() falls back to the first device past the last one (3 IAAs, global index)", () => {
  const topo = makeTopology(2, 40, 2, 1 << 30);
  const seen: RebalanceEvent<string>[] = [];
  const { table, cpusPerIaa } = build(topo, devices(3), 8, (e) => seen.push(e));
  assert.equal(cpusPerIaa, 53);
  const n0 = topo.nodes[0]!.cpus;
  const n1 = topo.nodes[1]!.cpus;
  for (let i = 0; i < 80; i++) assert.equal(owner(table, n0[i]!), i < 53 ? "wq1.0" : "wq3.0");
  // node 1 continues the global index: iaa 2, then iaa 3 which does not exist → device 0
  for (let i = 0; i < 80; i++) assert.equal(owner(table, n1[i]!), i < 53 ? "wq5.0" : "wq1.0");
  const fb = seen.filter((e) => e.kind === "device" && e.fallback);
  assert.equal(fb.length, 27);
  assert.deepEqual(fb[0], { kind: "device", cpu: n1[53], requested: 3, device: 0, fallback: true });
});

test("rebalanceWqTable() with fewer CPUs than IAAs gives one CPU per IAA and leaves the rest unused", () => {
  const topo = makeTopology(1, 4, 1, 1 << 30);
  const { table, cpusPerIaa } = build(topo, devices(8));
  assert.equal(cpusPerIaa, 1);
  assert.deepEqual([0, 1, 2, 3].map((c) => owner(table, c)), ["wq1.0", "wq3.0", "wq5.0", "wq7.0"]);
});

test("rebalanceWqTable() counts only nodes with CPUs", () => {
  const topo: Topology = {
    sockets: 2,
    nrCpus: 4,
    nodes: [
      { id: 0, cpus: [0, 1, 2, 3], memBytes: 1 },
      { id: 1, cpus: [], memBytes: 1 },
    ],
  };
  assert.equal(nodesWithCpus(topo).length, 1);
  const { table, cpusPerIaa } = build(topo, devices(2));
  assert.equal(cpusPerIaa, 2);
  assert.deepEqual([0, 1, 2, 3].map((c) => owner(table, c)), ["wq1.0", "wq1.0", "wq3.0", "wq3.0"]);
});

test("rebalanceWqTable() leaves the table untouched without devices", () => {
  const table = new WqTable<string>(2, 8);
  table.add(0, "stale");
  const topo = makeTopology(1, 2, 1, 1);
  assert.ok(rebalanceWqTable(table, [], topo, { nrNodes: 1, nrCpus: 2, nrIaa: 0, cpusPerIaa: 1 }));
  assert.deepEqual(table.wqsOf(0), ["stale"]);
});

test("rebalanceWqTable() stops at a device without WQs", () => {
  const topo = makeTopology(1, 4, 1, 1);
  const devs: WqTableDevice<string>[] = [{ wqs: ["wq1.0"] }, { wqs: [] }];
  const table = new WqTable<string>(4, 8);
  const ok = rebalanceWqTable(table, devs, topo, { nrNodes: 1, nrCpus: 4, nrIaa: 2, cpusPerIaa: 2 });
  assert.equal(ok, false);
  assert.deepEqual([0, 1, 2, 3].map((c) => owner(table, c)), ["wq1.0", "wq1.0", "none", "none"]);
});

test("WqTable.add() refuses past max_wqs", () => {
  const t = new WqTable<string>(1, 2);
  assert.ok(t.add(0, "a"));
  assert.ok(t.add(0, "b"));
  assert.equal(t.add(0, "c"), false);
  assert.deepEqual(t.wqsOf(0), ["a", "b"]);
});

test("WqTable.nextWq() pre-increments: with 2 WQs the first pick is index 1", () => {
  const t = new WqTable<string>(2, 8);
  t.add(0, "wq1.0");
  t.add(0, "wq1.1");
  assert.deepEqual([t.nextWq(0), t.nextWq(0), t.nextWq(0), t.nextWq(0)], ["wq1.1", "wq1.0", "wq1.1", "wq1.0"]);
  t.add(1, "only");
  assert.deepEqual([t.nextWq(1), t.nextWq(1)], ["only", "only"]);
});

test("WqTable.nextWq() returns null for an empty entry or an unknown CPU", () => {
  const t = new WqTable<string>(1, 8);
  assert.equal(t.nextWq(0), null);
  assert.equal(t.nextWq(5), null);
});

test("WqTable.clear() resets every entry and its cursor", () => {
  const t = new WqTable<string>(1, 8);
  t.add(0, "a");
  t.add(0, "b");
  t.nextWq(0);
  t.clear();
  assert.equal(t.entries[0]!.curWq, 0);
  assert.equal(t.nextWq(0), null);
});
