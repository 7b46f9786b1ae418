/**
 * CPU choices for the workloads (private to the folder).
 */
import type { Topology } from "../../lib/topology.js";

/**
 * `n` CPUs spread over the nodes: node by node in turn, and within a node
 * evenly over its sorted CPU list (so consecutive picks land on different
 * IAA devices, which iaa_crypto assigns to CPUs in blocks of cpus_per_iaa).
 */
export function spreadCpus(topo: Topology, n: number): number[] {
  const nodes = topo.nodes.filter((x) => x.cpus.length > 0).map((x) => [...x.cpus].sort((a, b) => a - b));
  const out: number[] = [];
  if (nodes.length === 0) return new Array<number>(n).fill(0);
  const perNode = Math.ceil(n / nodes.length);
  for (let i = 0; i < n; i++) {
    const node = nodes[i % nodes.length]!;
    const k = Math.floor(i / nodes.length);
    out.push(node[Math.floor((k * node.length) / perNode) % node.length]!);
  }
  return out;
}
