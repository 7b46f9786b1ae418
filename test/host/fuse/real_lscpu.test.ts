/**
 * The host's real lscpu (util-linux) and numactl (Debian's numactl) reading
 * the machine's /sys and /proc in the `iaa exec` namespace: the CPUs,
 * threads, cores, sockets and NUMA nodes they count, each CPU's socket and
 * node, and each node's CPUs, size, free memory and distances are the
 * machine's configuration and files; so are the CPU counts the host's
 * glibc getconf reads from sysfs.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Rig, gate, missingPrereq } from "./_harness.js";
import { formatCpuList } from "../../../src/lib/topology.js";
import type { MachineConfigInput } from "../../../src/system/machine_config.js";

const T = 120_000;
const prereq = ["lscpu", "numactl", "getconf"];
/** The default two-socket machine, and a small one without SMT. */
const CONFIGS: { name: string; input: string | MachineConfigInput; sockets: number; cores: number; threads: number; caches: string[] }[] = [
  {
    name: "spr-2s", input: "spr-2s", sockets: 2, cores: 40, threads: 2,
    // what lscpu prints on a two-socket Xeon Platinum 8460Y+
    caches: ["3.8 MiB (80 instances)", "2.5 MiB (80 instances)", "160 MiB (80 instances)", "210 MiB (2 instances)"],
  },
  {
    name: "2x3 without SMT", input: { sockets: 2, coresPerSocket: 3, threadsPerCore: 1, iaaPerSocket: 1, dsaPerSocket: 0, memGiB: 2 }, sockets: 2, cores: 3, threads: 1,
    caches: ["288 KiB (6 instances)", "192 KiB (6 instances)", "12 MiB (6 instances)", "210 MiB (2 instances)"],
  },
];
const rigs: Rig[] = [];

before(async () => {
  if (missingPrereq(prereq) !== null) return;
  for (const c of CONFIGS) rigs.push(await Rig.start(c.input));
});
after(async () => {
  for (const r of rigs) await r.stop();
});

/** "Key:   value" lines of lscpu's summary. */
function summary(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const l of text.split("\n")) {
    const i = l.indexOf(":");
    if (i > 0) m.set(l.slice(0, i).trim(), l.slice(i + 1).trim());
  }
  return m;
}

test("real lscpu counts the machine's CPUs, threads per core, cores per socket, sockets and NUMA nodes", { timeout: T }, async (t) => {
  if (!gate(t, prereq)) return;
  assert.equal(rigs.length, CONFIGS.length, "the FUSE mounts did not start");
  for (const [i, c] of CONFIGS.entries()) {
    const rig = rigs[i]!;
    const r = await rig.exec(["lscpu"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    const s = summary(r.stdout);
    const n = c.sockets * c.cores * c.threads;
    assert.equal(s.get("CPU(s)"), String(n), `${c.name}: ${r.stdout}`);
    assert.equal(s.get("On-line CPU(s) list"), `0-${n - 1}`, c.name);
    assert.equal(s.get("Thread(s) per core"), String(c.threads), c.name);
    assert.equal(s.get("Core(s) per socket"), String(c.cores), c.name);
    assert.equal(s.get("Socket(s)"), String(c.sockets), c.name);
    assert.equal(s.get("NUMA node(s)"), String(c.sockets), c.name);
    assert.equal(s.get("Model name"), "Intel(R) Xeon(R) Platinum 8460Y+");
    assert.deepEqual(["L1d cache", "L1i cache", "L2 cache", "L3 cache"].map((k) => s.get(k)), c.caches, c.name);
    for (let node = 0; node < c.sockets; node++) {
      assert.equal(s.get(`NUMA node${node} CPU(s)`), rig.read(`/sys/devices/system/node/node${node}/cpulist`).trim(), c.name);
    }
  }
});

test("real lscpu -p: each CPU's socket and node are its topology files', and its core is shared by exactly its siblings", { timeout: T }, async (t) => {
  if (!gate(t, prereq)) return;
  assert.equal(rigs.length, CONFIGS.length, "the FUSE mounts did not start");
  for (const [i, c] of CONFIGS.entries()) {
    const rig = rigs[i]!;
    const r = await rig.exec(["lscpu", "-p=CPU,CORE,SOCKET,NODE,ONLINE"]);
    assert.equal(r.code, 0, r.stderr);
    const rows = r.stdout.split("\n").filter((l) => l !== "" && !l.startsWith("#")).map((l) => l.split(","));
    const n = c.sockets * c.cores * c.threads;
    assert.equal(rows.length, n, c.name);
    const byCore = new Map<string, number[]>();
    for (const [cpu, core, socket, node, online] of rows) {
      const top = `/sys/devices/system/cpu/cpu${cpu}/topology`;
      assert.equal(`${socket}\n`, rig.read(`${top}/physical_package_id`), `${c.name} cpu${cpu}`);
      assert.ok(rig.world.stack.machine.vfs.exists(`/sys/devices/system/cpu/cpu${cpu}/node${node}`), `${c.name} cpu${cpu} node${node}`);
      assert.equal(online, "Y");
      byCore.set(core!, [...(byCore.get(core!) ?? []), Number(cpu)]);
    }
    assert.equal(byCore.size, c.sockets * c.cores, c.name);
    for (const cpus of byCore.values()) assert.equal(`${formatCpuList(cpus)}\n`, rig.read(`/sys/devices/system/cpu/cpu${cpus[0]}/topology/thread_siblings_list`));
  }
});

test("real numactl -H shows the machine's nodes: their CPUs, sizes and free memory from nodeN/meminfo, the distances", { timeout: T }, async (t) => {
  if (!gate(t, prereq)) return;
  assert.equal(rigs.length, CONFIGS.length, "the FUSE mounts did not start");
  for (const [i, c] of CONFIGS.entries()) {
    const rig = rigs[i]!;
    const r = await rig.exec(["numactl", "-H"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    const lines = r.stdout.split("\n");
    assert.equal(lines[0], `available: ${c.sockets} nodes (0-${c.sockets - 1})`, c.name);
    for (let node = 0; node < c.sockets; node++) {
      const cpus = rig.read(`/sys/devices/system/node/node${node}/cpulist`).trim();
      const expand = cpus.split(",").flatMap((p) => {
        const [a, b] = p.split("-").map(Number);
        return Array.from({ length: (b ?? a!) - a! + 1 }, (_, k) => a! + k);
      });
      assert.ok(lines.includes(`node ${node} cpus: ${expand.join(" ")}`), `${c.name} node ${node} cpus`);
      const meminfo = rig.read(`/sys/devices/system/node/node${node}/meminfo`);
      const kb = (f: string) => Number(new RegExp(`${f}: +(\\d+) kB`).exec(meminfo)![1]);
      assert.ok(lines.includes(`node ${node} size: ${Math.floor(kb("MemTotal") / 1024)} MB`), `${c.name} node ${node} size`);
      assert.ok(lines.includes(`node ${node} free: ${Math.floor(kb("MemFree") / 1024)} MB`), `${c.name} node ${node} free`);
    }
    assert.ok(lines.includes("node distances:"));
    if (c.sockets === 2) assert.deepEqual(lines.slice(-4, -1), ["node   0   1 ", "  0:  10  21 ", "  1:  21  10 "]);
  }
});

test("the host's glibc getconf counts the machine's CPUs (it reads sysfs), as the machine's getconf does", { timeout: T }, async (t) => {
  if (!gate(t, prereq)) return;
  assert.equal(rigs.length, CONFIGS.length, "the FUSE mounts did not start");
  for (const [i, c] of CONFIGS.entries()) {
    const rig = rigs[i]!;
    const host = await rig.bash("getconf _NPROCESSORS_ONLN; getconf _NPROCESSORS_CONF");
    const ours = rig.machine("getconf _NPROCESSORS_ONLN; getconf _NPROCESSORS_CONF");
    const n = c.sockets * c.cores * c.threads;
    assert.equal(host.stdout, `${n}\n${n}\n`, c.name);
    assert.equal(ours.stdout, host.stdout, c.name);
  }
});
