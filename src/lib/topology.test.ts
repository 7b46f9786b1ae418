/**
 * The cpumask formats sysfs prints (lib/vsprintf.c bitmap_string() for %*pb,
 * bitmap_list_string() for %*pbl) and the per-CPU topology, against the
 * kernel's rules and against this host's own /sys files.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { cpuTopology, formatCpuList, formatCpuMask, makeTopology } from "./topology.js";

test("formatCpuMask() prints 32-bit chunks, most significant first, the first one only as wide as its bits", () => {
  const cases: [number[], number, string][] = [
    [[0, 1, 2, 3, 4, 5, 6, 7], 8, "ff"],
    [[1], 2, "2"],
    [[0, 1], 2, "3"],
    [[], 4, "0"],
    [[0], 32, "00000001"],
    [[31], 32, "80000000"],
    [[32], 33, "1,00000000"],
    [[0, 35], 36, "8,00000001"],
    [[], 64, "00000000,00000000"],
    [[63, 0], 64, "80000000,00000001"],
    [[1, 81], 160, "00000000,00000000,00020000,00000000,00000002"],
    // out-of-range bits are not printed (the mask has nr_cpu_ids bits)
    [[0, 200], 160, "00000000,00000000,00000000,00000000,00000001"],
  ];
  for (const [cpus, bits, want] of cases) assert.equal(formatCpuMask(cpus, bits), want, `${JSON.stringify(cpus)}/${bits}`);
  const all = Array.from({ length: 224 }, (_, i) => i);
  assert.equal(formatCpuMask(all, 224), "ffffffff,ffffffff,ffffffff,ffffffff,ffffffff,ffffffff,ffffffff");
  assert.equal(formatCpuMask(all.slice(0, 100), 100), "f,ffffffff,ffffffff,ffffffff");
});

test("formatCpuList() joins runs of two or more as ranges, in ascending order", () => {
  const cases: [number[], string][] = [
    [[], ""],
    [[5], "5"],
    [[0, 1], "0-1"],
    [[0, 2], "0,2"],
    [[3, 1, 2, 7], "1-3,7"],
    [[1, 81], "1,81"],
    [[...Array.from({ length: 40 }, (_, i) => i), ...Array.from({ length: 40 }, (_, i) => 80 + i)], "0-39,80-119"],
  ];
  for (const [cpus, want] of cases) assert.equal(formatCpuList(cpus), want, JSON.stringify(cpus));
});

test("the formats agree with this host's topology files (each *_list against its mask over nr_cpu_ids)", (t) => {
  const root = "/sys/devices/system/cpu";
  if (!existsSync(`${root}/possible`) || !existsSync(`${root}/cpu0/topology/core_siblings_list`)) {
    t.skip("no /sys/devices/system/cpu/*/topology on this host");
    return;
  }
  const parse = (s: string): number[] =>
    s.trim() === ""
      ? []
      : s
          .trim()
          .split(",")
          .flatMap((p) => {
            const [a, b] = p.split("-").map(Number);
            return Array.from({ length: (b ?? a!) - a! + 1 }, (_, i) => a! + i);
          });
  const nrCpuIds = Math.max(...parse(readFileSync(`${root}/possible`, "utf8"))) + 1;
  let checked = 0;
  for (const cpu of readdirSync(root).filter((d) => /^cpu\d+$/.test(d))) {
    const top = `${root}/${cpu}/topology`;
    if (!existsSync(top)) continue;
    for (const f of readdirSync(top).filter((x) => x.endsWith("_list"))) {
      const list = readFileSync(`${top}/${f}`, "utf8");
      const mask = readFileSync(`${top}/${f.slice(0, -5)}`, "utf8");
      assert.equal(`${formatCpuList(parse(list))}\n`, list, `${top}/${f}`);
      assert.equal(`${formatCpuMask(parse(list), nrCpuIds)}\n`, mask, `${top}/${f.slice(0, -5)}`);
      checked++;
    }
  }
  assert.ok(checked > 0);
});

test("cpuTopology() numbers threads as Linux does on a two-socket Xeon: siblings in the upper half", () => {
  const spr = { sockets: 2, coresPerSocket: 40, threadsPerCore: 2 };
  const c81 = cpuTopology(spr, 81);
  assert.deepEqual([c81.packageId, c81.coreId, c81.dieId, c81.apicId, c81.clusterId], [0, 1, 0, 3, 1]);
  assert.deepEqual(c81.threadSiblings, [1, 81]);
  assert.equal(formatCpuList(c81.packageCpus), "0-39,80-119");
  const c121 = cpuTopology(spr, 121);
  // 40 cores need 6 bits above the SMT bit: package 1 starts at APIC ID 128
  assert.deepEqual([c121.packageId, c121.coreId, c121.apicId, c121.clusterId], [1, 1, 128 + 3, 65]);
  assert.equal(formatCpuList(c121.packageCpus), "40-79,120-159");
  // the package's CPUs are the node's (one node per socket)
  const topo = makeTopology(2, 40, 2, 1 << 30);
  assert.deepEqual(c121.packageCpus, topo.nodes[1]!.cpus);
  // without SMT each core is alone, and the APIC IDs stay even
  const noHt = cpuTopology({ sockets: 1, coresPerSocket: 4, threadsPerCore: 1 }, 3);
  assert.deepEqual([noHt.threadSiblings, noHt.apicId, noHt.clusterId], [[3], 6, 3]);
});
