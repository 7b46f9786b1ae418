/**
 * CPU and NUMA topology of the emulated machine, as plain data.
 *
 * linux: include/linux/topology.h, cpumask. CPU ids are numbered as Linux
 * enumerates them on a two-socket Xeon: with SMT, node 0 owns the first half
 * of the physical cores and their sibling threads in the upper half of the id
 * range (so node 0 = 0-55,112-167 on a 2x56-core part).
 */
export interface NumaNode {
  id: number;
  /** CPU ids on this node, ascending. */
  cpus: number[];
  /** Bytes of RAM on this node. */
  memBytes: number;
}

export interface Topology {
  sockets: number;
  nodes: NumaNode[];
  nrCpus: number;
}

/** Node of a CPU (cpu_to_node). */
export function cpuToNode(topo: Topology, cpu: number): number {
  for (const n of topo.nodes) if (n.cpus.includes(cpu)) return n.id;
  return 0;
}

/**
 * Builds the topology of `sockets` sockets with `coresPerSocket` cores each,
 * `threadsPerCore` (1 or 2) threads, one NUMA node per socket.
 */
export function makeTopology(sockets: number, coresPerSocket: number, threadsPerCore: number, memBytesPerNode: number): Topology {
  const physical = sockets * coresPerSocket;
  const nodes: NumaNode[] = [];
  for (let s = 0; s < sockets; s++) {
    const cpus: number[] = [];
    for (let t = 0; t < threadsPerCore; t++) {
      for (let c = 0; c < coresPerSocket; c++) cpus.push(t * physical + s * coresPerSocket + c);
    }
    cpus.sort((a, b) => a - b);
    nodes.push({ id: s, cpus, memBytes: memBytesPerNode });
  }
  return { sockets, nodes, nrCpus: physical * threadsPerCore };
}

/** Formats a CPU list the way sysfs does ("0-55,112-167"). */
export function formatCpuList(cpus: readonly number[]): string {
  const sorted = [...cpus].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

/**
 * A cpumask as sysfs prints it (`%*pb`, lib/vsprintf.c bitmap_string()):
 * hexadecimal in 32-bit chunks, most significant first, separated by commas,
 * over `nrBits` bits (nr_cpu_ids); the first chunk has only the digits its
 * bits need. 8 CPUs, all set: "ff".
 */
export function formatCpuMask(cpus: readonly number[], nrBits: number): string {
  const words = new Uint32Array(Math.ceil(nrBits / 32));
  for (const c of cpus) if (c >= 0 && c < nrBits) words[c >>> 5]! |= 1 << (c & 31);
  const parts: string[] = [];
  let chunk = nrBits % 32 === 0 ? 32 : nrBits % 32;
  for (let w = words.length - 1; w >= 0; w--) {
    parts.push(words[w]!.toString(16).padStart(Math.ceil(chunk / 4), "0"));
    chunk = 32;
  }
  return parts.join(",");
}

/** How the CPUs are laid out: what a machine's configuration says. */
export interface CpuLayout {
  sockets: number;
  coresPerSocket: number;
  threadsPerCore: number;
}

/** What drivers/base/topology.c shows of one CPU (arch/x86: cpuinfo_x86.topo and the sibling maps). */
export interface CpuTopology {
  /** topology_physical_package_id(): the socket. */
  packageId: number;
  /** topology_die_id(): SPR enumerates no dies in CPUID leaf 0x1F, so one die per package. */
  dieId: number;
  /** topology_core_id(): the core within its package. */
  coreId: number;
  /** The x2APIC ID: thread in bit 0 (SPR's SMT field is one bit even with HT off), core above, package above that. */
  apicId: number;
  /** topology_cluster_id(): the L2 cache's id, apicid >> 1 (one L2 per core, shared by its two threads). */
  clusterId: number;
  /** topology_sibling_cpumask(): the threads of this core (core_cpus, thread_siblings, cluster_cpus). */
  threadSiblings: number[];
  /** topology_core_cpumask(): the CPUs of this package (core_siblings, package_cpus, die_cpus). */
  packageCpus: number[];
}

/** Bits of the x2APIC ID below the package field: one SMT bit and enough for the cores (CPUID leaf 0x1F). */
function packageShift(l: CpuLayout): number {
  let coreBits = 0;
  while (1 << coreBits < l.coresPerSocket) coreBits++;
  return 1 + coreBits;
}

/**
 * The topology of CPU `cpu`, numbered as {@link makeTopology} numbers them
 * (thread t of core c on socket s is t * sockets * cores + s * cores + c).
 *
 * @example
 * cpuTopology({ sockets: 2, coresPerSocket: 40, threadsPerCore: 2 }, 81).threadSiblings; // [1, 81]
 */
export function cpuTopology(l: CpuLayout, cpu: number): CpuTopology {
  const physical = l.sockets * l.coresPerSocket;
  const core = cpu % physical;
  const thread = Math.floor(cpu / physical);
  const packageId = Math.floor(core / l.coresPerSocket);
  const coreId = core % l.coresPerSocket;
  const apicId = packageId * 2 ** packageShift(l) + coreId * 2 + thread;
  const threadSiblings: number[] = [];
  for (let t = 0; t < l.threadsPerCore; t++) threadSiblings.push(t * physical + core);
  const packageCpus: number[] = [];
  for (let t = 0; t < l.threadsPerCore; t++) for (let c = 0; c < l.coresPerSocket; c++) packageCpus.push(t * physical + packageId * l.coresPerSocket + c);
  packageCpus.sort((a, b) => a - b);
  return { packageId, dieId: 0, coreId, apicId, clusterId: Math.floor(apicId / 2), threadSiblings, packageCpus };
}
