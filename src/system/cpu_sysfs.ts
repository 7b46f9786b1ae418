/**
 * The CPU and NUMA node devices in sysfs: /sys/devices/system/cpu (the
 * online/possible/present maps, each cpuN with its topology/ and its node
 * link) and /sys/devices/system/node (the node states, each nodeN with its
 * CPU maps, distances and links), with /sys/bus/cpu and /sys/bus/node.
 *
 * linux: drivers/base/cpu.c (cpu_root_attrs, register_cpu), drivers/base/core.c
 * (online_show/online_store), drivers/base/topology.c (topology_attr_group),
 * drivers/base/node.c (node_dev_attrs, node_state_attr, register_cpu_under_node),
 * arch/x86/kernel/topology.c (arch_cpu_is_hotpluggable: cpu > 0).
 *
 * Everything here is computed from the configured topology: every CPU is
 * present, possible, online and enabled; none is isolated. CPU hotplug is
 * modelled as disabled (cpu_hotplug_disable()): writing 1 to an online CPU's
 * `online` succeeds (it is online), writing 0 fails with EBUSY as cpu_down()
 * does then; so is turning SMT off through smt/control. The files need no
 * state of their own.
 */
import type { KnDir } from "../kernfs/node.js";
import { addCpuCaches } from "./cpu_cache_sysfs.js";
import { Errno } from "../lib/errno.js";
import { kstrtobool, kstrtol, sysfsStreq } from "../lib/kstrto.js";
import { cpuTopology, formatCpuList, formatCpuMask, type CpuLayout, type Topology } from "../lib/topology.js";

/** CONFIG_NR_CPUS when the configuration does not say (RHEL's and Debian's x86_64 kernels). */
export const DEFAULT_NR_CPUS = 8192;
const PAGE_SIZE = 4096;

/** include/linux/cpumask.h CPUMAP_FILE_MAX_BYTES: the size of a `%*pb` bin attribute. */
export function cpumapFileMaxBytes(nrCpus: number): number {
  const n = Math.floor((nrCpus * 9) / 32);
  return n > PAGE_SIZE ? n - 1 : PAGE_SIZE;
}

/** include/linux/cpumask.h CPULIST_FILE_MAX_BYTES: the size of a `%*pbl` bin attribute. */
export function cpulistFileMaxBytes(nrCpus: number): number {
  const n = Math.floor((nrCpus * 7) / 2);
  return n > PAGE_SIZE ? n : PAGE_SIZE;
}

/** What the CPU and node files are built from. */
export interface CpuSysfsInput {
  topo: Topology;
  layout: CpuLayout;
  /** CONFIG_NR_CPUS (kernel_max is NR_CPUS - 1; bin attribute sizes follow it). */
  nrCpusConfig: number;
}

/**
 * Creates /sys/devices/system/cpu and /sys/devices/system/node (without the
 * nodes' meminfo and numastat, which the memory manager adds: node_meminfo.ts).
 *
 * @example
 * createCpuSysfs(m.fs.sys, { topo: m.topo, layout: m.config, nrCpusConfig: 8192 });
 * m.vfs.readText("/sys/devices/system/cpu/cpu1/topology/thread_siblings_list"); // "1,81\n" on spr-2s
 */
export function createCpuSysfs(sys: KnDir, inp: CpuSysfsInput): void {
  const { topo } = inp;
  const all: number[] = [];
  for (let c = 0; c < topo.nrCpus; c++) all.push(c);
  const nodeIds = topo.nodes.map((n) => n.id);
  const mapSize = cpumapFileMaxBytes(inp.nrCpusConfig);
  const listSize = cpulistFileMaxBytes(inp.nrCpusConfig);
  // %*pb prints nr_cpu_ids bits: every CPU here is possible, so nr_cpu_ids = the CPU count
  const mask = (cpus: readonly number[]) => `${formatCpuMask(cpus, topo.nrCpus)}\n`;
  const list = (cpus: readonly number[]) => `${formatCpuList(cpus)}\n`;

  // ---- /sys/devices/system/cpu: cpu_root_attrs ----
  const cpuRoot = sys.mkdirp("devices/system/cpu");
  for (const f of ["online", "possible", "present", "enabled"]) cpuRoot.attr(f, 0o444, () => list(all));
  cpuRoot.attr("kernel_max", 0o444, () => `${inp.nrCpusConfig - 1}\n`);
  cpuRoot.attr("offline", 0o444, () => "\n");
  cpuRoot.attr("isolated", 0o444, () => "\n");
  // kernel/cpu.c cpuhp_smt_attrs: SMT "notsupported" when the CPUs have one thread (HT off in the BIOS)
  const smt = cpuRoot.dir("smt");
  const threads = inp.layout.threadsPerCore;
  smt.attr("active", 0o444, () => `${threads > 1 ? 1 : 0}\n`);
  smt.attr("control", 0o644, () => (threads > 1 ? "on\n" : "notsupported\n"), (buf) => storeSmtControl(buf, threads));
  const busCpu = sys.mkdirp("bus/cpu/devices");
  sys.mkdirp("bus/cpu/drivers");

  for (const cpu of all) {
    const name = `cpu${cpu}`;
    const d = cpuRoot.dir(name);
    const t = cpuTopology(inp.layout, cpu);
    // x86: the boot CPU is not hotpluggable, so it has no `online` file (offline_disabled)
    if (cpu > 0) d.attr("online", 0o644, () => "1\n", storeOnline);
    const top = d.dir("topology");
    top.attr("physical_package_id", 0o444, () => `${t.packageId}\n`);
    top.attr("die_id", 0o444, () => `${t.dieId}\n`);
    top.attr("cluster_id", 0o444, () => `${t.clusterId}\n`);
    top.attr("core_id", 0o444, () => `${t.coreId}\n`);
    const maps: [string, readonly number[]][] = [
      ["core_cpus", t.threadSiblings],
      ["thread_siblings", t.threadSiblings],
      ["core_siblings", t.packageCpus],
      ["cluster_cpus", t.threadSiblings],
      ["die_cpus", t.packageCpus],
      ["package_cpus", t.packageCpus],
    ];
    for (const [f, cpus] of maps) {
      top.binAttr(f, 0o444, mapSize, () => mask(cpus));
      top.binAttr(`${f}_list`, 0o444, listSize, () => list(cpus));
    }
    addCpuCaches(d, t, topo.nrCpus);
    const node = topo.nodes.find((n) => n.cpus.includes(cpu));
    if (node !== undefined) d.link(`node${node.id}`, `../../node/node${node.id}`);
    d.link("subsystem", "../../../../bus/cpu");
    busCpu.link(name, `../../../devices/system/cpu/${name}`);
  }

  // ---- /sys/devices/system/node: node_state_attrs ----
  const nodeRoot = sys.mkdirp("devices/system/node");
  for (const f of ["possible", "online", "has_normal_memory", "has_memory", "has_cpu"]) nodeRoot.attr(f, 0o444, () => list(nodeIds));
  nodeRoot.attr("has_generic_initiator", 0o444, () => "\n");
  const busNode = sys.mkdirp("bus/node/devices");
  for (const n of topo.nodes) {
    const name = `node${n.id}`;
    const d = nodeRoot.dir(name);
    // node_read_cpumap(): the node's CPUs that are online
    d.binAttr("cpumap", 0o444, mapSize, () => mask(n.cpus));
    d.binAttr("cpulist", 0o444, listSize, () => list(n.cpus));
    // the SLIT of a two-socket SPR without sub-NUMA clustering: 10 local, 21 remote
    d.attr("distance", 0o444, () => `${topo.nodes.map((o) => (o.id === n.id ? 10 : 21)).join(" ")}\n`);
    for (const cpu of n.cpus) d.link(`cpu${cpu}`, `../../cpu/cpu${cpu}`);
    d.link("subsystem", "../../../../bus/node");
    busNode.link(name, `../../../devices/system/node/${name}`);
  }
}

/**
 * __store_smt_control(): ENODEV without SMT; "on", "off", "forceoff" or a
 * thread count (else EINVAL); as many threads as there are changes nothing,
 * fewer would take CPUs down, refused with EBUSY (hotplug disabled).
 */
function storeSmtControl(buf: string, threads: number): number {
  if (threads <= 1) return -Errno.ENODEV;
  let want: number;
  if (sysfsStreq(buf, "on")) want = threads;
  else if (sysfsStreq(buf, "off") || sysfsStreq(buf, "forceoff")) want = 1;
  else {
    const n = kstrtol(buf);
    if (!n.ok || n.v < 1 || n.v > threads) return -Errno.EINVAL;
    want = n.v;
  }
  return want < threads ? -Errno.EBUSY : 0;
}

/** The directories {@link createCpuSysfs} fills, by path under /sys. */
const STATIC_DIRS = ["devices/system/cpu", "devices/system/node", "bus/cpu", "bus/node"];

/**
 * Those directories as snapshot externals: computed from the topology, they
 * hold no state, so a snapshot names them instead of saving their thousands
 * of nodes (the restored machine has the same ones). A chmod on one of their
 * files is not kept.
 *
 * @example
 * saveGraph(roots, { externals: new Map([...m.mem.chunkNames(), ...cpuSysfsDirs(m.fs.sys)]) });
 */
export function cpuSysfsDirs(sys: KnDir): Map<object, string> {
  const out = new Map<object, string>();
  for (const p of STATIC_DIRS) out.set(sys.mkdirp(p), `sysfs:${p}`);
  return out;
}

/** online_store(): kstrtobool, then device_online() (already online: nothing to do) or device_offline(). */
function storeOnline(buf: string): number {
  const v = kstrtobool(buf);
  if (typeof v === "number") return v;
  // cpu_down() while CPU hotplug is disabled
  return v ? 0 : -Errno.EBUSY;
}
