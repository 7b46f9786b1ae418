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
