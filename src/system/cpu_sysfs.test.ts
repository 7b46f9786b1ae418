/**
 * /sys/devices/system/cpu and /sys/devices/system/node on booted machines:
 * which files exist (cpu0 has no `online` on x86), their text, the bin
 * attributes' sizes, the links, writes to `online`, and each node's
 * meminfo adding up to /proc/meminfo.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { bootMachine } from "./machine.js";
import { bootStack } from "./stack.js";
import { cpulistFileMaxBytes, cpumapFileMaxBytes } from "./cpu_sysfs.js";
import { Errno, SysError } from "../lib/errno.js";

const CPU = "/sys/devices/system/cpu";
const NODE = "/sys/devices/system/node";

test("the cpu root: online/possible/present/enabled lists, empty offline and isolated, kernel_max = NR_CPUS - 1", () => {
  const m = bootMachine("spr-2s");
  const r = (f: string) => m.vfs.readText(`${CPU}/${f}`);
  for (const f of ["online", "possible", "present", "enabled"]) assert.equal(r(f), "0-159\n", f);
  assert.equal(r("offline"), "\n");
  assert.equal(r("isolated"), "\n");
  assert.equal(r("kernel_max"), "8191\n");
  assert.equal(bootMachine({ preset: "tiny", kconfig: { CONFIG_NR_CPUS: "64" } }).vfs.readText(`${CPU}/kernel_max`), "63\n");
  assert.equal(m.vfs.readdir(CPU).filter((d) => /^cpu\d+$/.test(d)).length, 160);
});

test("cpuN: no online file on cpu0 (not hotpluggable on x86), topology/ with the kernel's names, a node link", () => {
  const m = bootMachine("spr-2s");
  assert.deepEqual(m.vfs.readdir(`${CPU}/cpu0`).sort(), ["cache", "node0", "subsystem", "topology"]);
  assert.deepEqual(m.vfs.readdir(`${CPU}/cpu121`).sort(), ["cache", "node1", "online", "subsystem", "topology"]);
  assert.deepEqual(m.vfs.readdir(`${CPU}/cpu0/topology`).sort(), [
    "cluster_cpus", "cluster_cpus_list", "cluster_id", "core_cpus", "core_cpus_list", "core_id", "core_siblings", "core_siblings_list",
    "die_cpus", "die_cpus_list", "die_id", "package_cpus", "package_cpus_list", "physical_package_id", "thread_siblings", "thread_siblings_list",
  ]);
  const t = (cpu: number, f: string) => m.vfs.readText(`${CPU}/cpu${cpu}/topology/${f}`);
  assert.equal(t(121, "physical_package_id"), "1\n");
  assert.equal(t(121, "core_id"), "1\n");
  assert.equal(t(121, "die_id"), "0\n");
  assert.equal(t(121, "thread_siblings_list"), "41,121\n");
  assert.equal(t(121, "core_cpus"), "00000000,02000000,00000000,00000200,00000000\n");
  assert.equal(t(121, "core_siblings_list"), "40-79,120-159\n");
  assert.equal(t(121, "package_cpus"), m.vfs.readText(`${NODE}/node1/cpumap`));
  assert.equal(t(121, "die_cpus_list"), "40-79,120-159\n");
  assert.equal(t(41, "cluster_cpus_list"), "41,121\n");
  assert.equal(m.vfs.realpath(`${CPU}/cpu121/node1`), `${NODE}/node1`);
  assert.equal(m.vfs.realpath(`${NODE}/node1/cpu121`), `${CPU}/cpu121`);
  assert.equal(m.vfs.realpath("/sys/bus/cpu/devices/cpu7"), `${CPU}/cpu7`);
  assert.equal(m.vfs.realpath("/sys/bus/node/devices/node1"), `${NODE}/node1`);
  const tiny = bootMachine("tiny");
  assert.equal(tiny.vfs.readText(`${CPU}/cpu5/topology/thread_siblings`), "22\n");
  assert.equal(tiny.vfs.readText(`${CPU}/cpu5/topology/core_siblings`), "ff\n");
});

test("bin attributes report CPUMAP/CPULIST_FILE_MAX_BYTES as their size; plain attributes 4096", () => {
  assert.equal(cpumapFileMaxBytes(8192), 4096);
  assert.equal(cpulistFileMaxBytes(8192), 28672);
  assert.equal(cpumapFileMaxBytes(256), 4096);
  assert.equal(cpulistFileMaxBytes(256), 4096);
  assert.equal(cpumapFileMaxBytes(16384), 4607);
  const m = bootMachine("tiny");
  assert.equal(m.vfs.stat(`${CPU}/cpu1/topology/core_cpus_list`).size, 28672);
  assert.equal(m.vfs.stat(`${CPU}/cpu1/topology/core_cpus`).size, 4096);
  assert.equal(m.vfs.stat(`${NODE}/node0/cpulist`).size, 28672);
  assert.equal(m.vfs.stat(`${CPU}/cpu1/topology/core_id`).size, 4096);
  assert.equal(m.vfs.stat(`${CPU}/cpu1/online`).mode, 0o644);
});

test("writing cpuN/online: 1 succeeds (it is online), 0 is refused with EBUSY (hotplug disabled), other text EINVAL", () => {
  const m = bootMachine("tiny");
  m.vfs.writeFile(`${CPU}/cpu3/online`, "1\n");
  const errno = (text: string): number => {
    try {
      m.vfs.writeFile(`${CPU}/cpu3/online`, text);
      return 0;
    } catch (e) {
      return e instanceof SysError ? e.errno : -1;
    }
  };
  assert.equal(errno("0\n"), Errno.EBUSY);
  assert.equal(errno("maybe\n"), Errno.EINVAL);
  assert.equal(m.vfs.readText(`${CPU}/cpu3/online`), "1\n");
  assert.equal(m.vfs.readText(`${CPU}/online`), "0-7\n");
});

test("node states and nodeN files: lists, has_generic_initiator empty, distance, cpumap", () => {
  const m = bootMachine("spr-2s");
  for (const f of ["online", "possible", "has_cpu", "has_memory", "has_normal_memory"]) assert.equal(m.vfs.readText(`${NODE}/${f}`), "0-1\n", f);
  assert.equal(m.vfs.readText(`${NODE}/has_generic_initiator`), "\n");
  assert.equal(m.vfs.readText(`${NODE}/node0/distance`), "10 21\n");
  assert.equal(bootMachine("tiny").vfs.readText(`${NODE}/possible`), "0\n");
  assert.equal(m.vfs.readdir(`${NODE}/node1`).filter((n) => /^cpu\d+$/.test(n)).length, 80);
});

function field(text: string, re: RegExp): number {
  const v = re.exec(text)?.[1];
  assert.ok(v !== undefined, `${re} in ${text.slice(0, 200)}`);
  return Number(v);
}

test("nodeN/meminfo: the kernel's layout, each node's size, and the nodes adding up to /proc/meminfo", () => {
  const s = bootStack("spr-2s");
  const v = s.machine.vfs;
  const n0 = v.readText(`${NODE}/node0/meminfo`);
  const lines = n0.split("\n");
  assert.equal(lines[0], "Node 0 MemTotal:       268435456 kB");
  assert.match(lines[1]!, /^Node 0 MemFree:        \d{9} kB$/);
  assert.equal(lines[3], "Node 0 SwapCached:            0 kB");
  assert.equal(lines.at(-4), "Node 0 HugePages_Total:     0");
  assert.equal(lines.at(-3), "Node 0 HugePages_Free:      0");
  assert.equal(lines.at(-2), "Node 0 HugePages_Surp:      0");
  assert.equal(lines.length, 37);
  for (const l of lines.slice(0, -4)) assert.match(l, /^Node 0 [A-Za-z_()]+: +\d+ kB$/);
  assert.equal(lines.map((l) => l.slice(0, 23)).filter((l) => l.length === 23 && !l.startsWith("Node 0 HugePages")).every((l) => l.endsWith(" ") || /\d$/.test(l)), true);
  assert.match(v.readText(`${NODE}/node1/numastat`), /^numa_hit \d+\nnuma_miss 0\nnuma_foreign 0\ninterleave_hit 0\nlocal_node \d+\nother_node 0\n$/);
  const sum = (re: RegExp) => [0, 1].reduce((a, n) => a + field(v.readText(`${NODE}/node${n}/meminfo`), re), 0);
  const pm = v.readText("/proc/meminfo");
  assert.equal(sum(/MemTotal: +(\d+)/), field(pm, /^MemTotal: +(\d+)/m));
  assert.equal(sum(/MemFree: +(\d+)/), field(pm, /^MemFree: +(\d+)/m));
});

test("nodeN/meminfo follows the pages in use: a process's pages on node 0 first, then on node 1 once node 0 is full", () => {
  // two nodes of 256 MiB; the allocator fills the lowest frames first
  const s = bootStack({ preset: "custom", sockets: 2, coresPerSocket: 2, threadsPerCore: 2, memBytes: 512 * 1024 * 1024, iaaPerSocket: 1, dsaPerSocket: 0 });
  const v = s.machine.vfs;
  const read = (n: number, re: RegExp) => field(v.readText(`${NODE}/node${n}/meminfo`), re);
  const hits = (n: number) => field(v.readText(`${NODE}/node${n}/numastat`), /numa_hit (\d+)/);
  const free0 = read(0, /MemFree: +(\d+)/);
  const free1 = read(1, /MemFree: +(\d+)/);
  const hits0 = hits(0);
  const p = s.mm.spawn("t", 0);
  const pages = 1000;
  const addr = s.mm.mmap(p, 0, pages * 4096, 3, 0x22);
  assert.ok(addr > 0);
  s.mm.memset(p, addr, 1, pages * 4096);
  assert.equal(read(0, /AnonPages: +(\d+)/), pages * 4);
  assert.equal(read(1, /AnonPages: +(\d+)/), 0);
  assert.equal(read(0, /MemFree: +(\d+)/), free0 - pages * 4);
  assert.equal(read(1, /MemFree: +(\d+)/), free1);
  assert.equal(hits(0), hits0 + pages);
  // fill the rest of node 0 and spill into node 1
  const more = Math.floor(free0 / 4) - pages + 5000;
  const addr2 = s.mm.mmap(p, 0, more * 4096, 3, 0x22);
  s.mm.memset(p, addr2, 1, more * 4096);
  assert.ok(read(1, /MemFree: +(\d+)/) < free1, "node 1 holds some of the pages");
  const pm = v.readText("/proc/meminfo");
  assert.equal(read(0, /AnonPages: +(\d+)/) + read(1, /AnonPages: +(\d+)/), field(pm, /^AnonPages: +(\d+)/m));
  assert.equal(read(0, /MemFree: +(\d+)/) + read(1, /MemFree: +(\d+)/), field(pm, /^MemFree: +(\d+)/m));
});

test("smt/active and smt/control: on with two threads a core, notsupported with one; turning SMT off is refused", () => {
  const m = bootMachine("spr-2s");
  assert.equal(m.vfs.readText(`${CPU}/smt/active`), "1\n");
  assert.equal(m.vfs.readText(`${CPU}/smt/control`), "on\n");
  const errno = (mm: ReturnType<typeof bootMachine>, text: string): number => {
    try {
      mm.vfs.writeFile(`${CPU}/smt/control`, text);
      return 0;
    } catch (e) {
      return e instanceof SysError ? e.errno : -1;
    }
  };
  const cases: [string, number][] = [["on\n", 0], ["2\n", 0], ["off\n", Errno.EBUSY], ["forceoff", Errno.EBUSY], ["1\n", Errno.EBUSY], ["3\n", Errno.EINVAL], ["0\n", Errno.EINVAL], ["maybe\n", Errno.EINVAL]];
  for (const [text, want] of cases) assert.equal(errno(m, text), want, JSON.stringify(text));
  const noHt = bootMachine({ sockets: 1, coresPerSocket: 4, threadsPerCore: 1, iaaPerSocket: 1, dsaPerSocket: 0, memGiB: 1 });
  assert.equal(noHt.vfs.readText(`${CPU}/smt/active`), "0\n");
  assert.equal(noHt.vfs.readText(`${CPU}/smt/control`), "notsupported\n");
  assert.equal(errno(noHt, "on\n"), Errno.ENODEV);
});

/** The number of CPUs in a cpulist ("0-39,80-119" → 80). */
function count(list: string): number {
  let n = 0;
  for (const p of list.split(",")) {
    const [a, z] = p.split("-").map(Number);
    n += (z ?? a!) - a! + 1;
  }
  return n;
}

test("/proc/cpuinfo agrees with the topology files: physical id, core id, siblings, cpu cores", () => {
  const m = bootMachine("spr-2s");
  const blocks = m.vfs.readText("/proc/cpuinfo").trim().split("\n\n");
  assert.equal(blocks.length, 160);
  for (const b of blocks) {
    const f = (k: string) => new RegExp(`^${k}\\t*: (.*)$`, "m").exec(b)![1]!;
    const cpu = f("processor");
    const t = (x: string) => m.vfs.readText(`${CPU}/cpu${cpu}/topology/${x}`).trim();
    assert.equal(f("physical id"), t("physical_package_id"), `cpu${cpu}`);
    assert.equal(f("core id"), t("core_id"), `cpu${cpu}`);
    assert.equal(Number(f("siblings")), count(t("package_cpus_list")), `cpu${cpu}`);
    assert.equal(Number(f("cpu cores")) * count(t("thread_siblings_list")), count(t("package_cpus_list")), `cpu${cpu}`);
  }
});

test("cpuN/cache/indexK: SPR's L1d, L1i, L2 per core and L3 per package, with the kernel's formats", () => {
  const m = bootMachine("spr-2s");
  const c = (cpu: number, i: number, f: string) => m.vfs.readText(`${CPU}/cpu${cpu}/cache/index${i}/${f}`);
  assert.deepEqual(m.vfs.readdir(`${CPU}/cpu0/cache`).sort(), ["index0", "index1", "index2", "index3"]);
  assert.deepEqual(m.vfs.readdir(`${CPU}/cpu0/cache/index0`).sort(), [
    "coherency_line_size", "id", "level", "number_of_sets", "physical_line_partition", "shared_cpu_list", "shared_cpu_map", "size", "type", "ways_of_associativity",
  ]);
  const rows = [0, 1, 2, 3].map((i) => ["level", "type", "size", "ways_of_associativity", "number_of_sets", "coherency_line_size"].map((f) => c(121, i, f).trim()).join(" "));
  assert.deepEqual(rows, ["1 Data 48K 12 64 64", "1 Instruction 32K 8 64 64", "2 Unified 2048K 16 2048 64", "3 Unified 107520K 15 114688 64"]);
  assert.equal(c(121, 0, "shared_cpu_list"), "41,121\n");
  assert.equal(c(121, 2, "shared_cpu_map"), m.vfs.readText(`${CPU}/cpu121/topology/thread_siblings`));
  assert.equal(c(121, 3, "shared_cpu_list"), "40-79,120-159\n");
  assert.equal(c(121, 0, "id"), m.vfs.readText(`${CPU}/cpu121/topology/cluster_id`));
  assert.equal(c(121, 3, "id"), "1\n");
  assert.equal(c(0, 3, "id"), "0\n");
});
