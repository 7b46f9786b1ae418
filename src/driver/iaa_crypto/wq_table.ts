/**
 * The per-CPU work-queue table of iaa_crypto and its rebalancing.
 *
 * linux: drivers/crypto/intel/iaa/iaa_crypto_main.c rebalance_wq_table(),
 * wq_table_add_wqs(), wq_table_next_wq(). Every CPU gets the WQs of one IAA
 * device: CPUs are walked node by node with a node-local index, a new device
 * is taken every `cpus_per_iaa` CPUs (the device index is global and not reset
 * between nodes), and CPUs beyond the last device fall back to the first one.
 * A request takes its CPU's next WQ round-robin, incrementing before reading.
 */
import type { Topology } from "../../lib/topology.js";

/** One device of the `iaa_devices` list: its bound WQs in bind order. */
export interface WqTableDevice<W> {
  readonly wqs: readonly W[];
}

/** struct wq_table_entry */
export interface WqTableEntry<W> {
  wqs: (W | null)[];
  maxWqs: number;
  nWqs: number;
  curWq: number;
}

/** The globals rebalance_wq_table() reads. */
export interface RebalanceParams {
  nrNodes: number;
  nrCpus: number;
  nrIaa: number;
  cpusPerIaa: number;
}

/** What rebalancing did, step by step (for the driver's debug lines). */
export type RebalanceEvent<W> =
  | { kind: "start"; params: RebalanceParams }
  | { kind: "cpu"; cpu: number; node: number; iaa: number }
  | { kind: "device"; cpu: number; requested: number; device: number; fallback: boolean }
  | { kind: "added"; cpu: number; node: number; device: number; wqIndex: number; wq: W }
  | { kind: "warn"; message: string };

/**
 * cpus_per_iaa as save_iaa_wq()/remove_iaa_wq() compute it:
 * (nr_nodes * nr_cpus_per_node) / nr_iaa, at least 1, and 1 with no IAA.
 */
export function computeCpusPerIaa(nrNodes: number, nrCpusPerNode: number, nrIaa: number): number {
  if (nrIaa === 0) return 1;
  const n = Math.floor((nrNodes * nrCpusPerNode) / nrIaa);
  return n === 0 ? 1 : n;
}

/**
 * The per-CPU table (alloc_wq_table()): one entry per possible CPU, each with
 * room for `maxWqs` WQs (the first bound device's max_wqs).
 *
 * @example
 * const t = new WqTable<string>(4, 8);
 * t.add(0, "wq1.0"); t.add(0, "wq1.1");
 * t.nextWq(0); // "wq1.1" (pre-increment)
 */
export class WqTable<W> {
  readonly entries: WqTableEntry<W>[];

  constructor(
    readonly nrCpus: number,
    readonly maxWqs: number,
  ) {
    this.entries = [];
    for (let cpu = 0; cpu < nrCpus; cpu++) {
      this.entries.push({ wqs: new Array<W | null>(maxWqs).fill(null), maxWqs, nWqs: 0, curWq: 0 });
    }
  }

  /** clear_wq_table() */
  clear(): void {
    for (const e of this.entries) {
      e.nWqs = 0;
      e.curWq = 0;
      e.wqs.fill(null);
    }
  }

  /** wq_table_add(): false (a kernel WARN) when the entry is full. */
  add(cpu: number, wq: W): boolean {
    const e = this.entries[cpu]!;
    if (e.nWqs === e.maxWqs) return false;
    e.wqs[e.nWqs++] = wq;
    return true;
  }

  /**
   * wq_table_next_wq(): advances the CPU's cursor first, then returns the WQ
   * there, or null when the entry is empty.
   */
  nextWq(cpu: number): W | null {
    const e = this.entries[cpu];
    if (e === undefined) return null;
    if (++e.curWq >= e.nWqs) e.curWq = 0;
    return e.wqs[e.curWq] ?? null;
  }

  /** The WQs a CPU currently holds, in table order. */
  wqsOf(cpu: number): W[] {
    const e = this.entries[cpu]!;
    return e.wqs.slice(0, e.nWqs) as W[];
  }
}

/** The nodes for_each_node_with_cpus() visits. */
export function nodesWithCpus(topo: Topology): Topology["nodes"] {
  return topo.nodes.filter((n) => n.cpus.length > 0);
}

/**
 * rebalance_wq_table(): rebuilds `table` from the device list.
 * Returns false when it stopped early on a WARN (a device without WQs, a
 * full entry, a CPU id out of range); the kernel ignores that too.
 */
// linux: drivers/crypto/intel/iaa/iaa_crypto_main.c rebalance_wq_table()
export function rebalanceWqTable<W>(
  table: WqTable<W>,
  devices: readonly WqTableDevice<W>[],
  topo: Topology,
  params: RebalanceParams,
  trace?: (ev: RebalanceEvent<W>) => void,
): boolean {
  if (params.nrIaa === 0) return true;
  trace?.({ kind: "start", params });
  table.clear();

  if (params.nrIaa === 1) {
    for (let cpu = 0; cpu < params.nrCpus; cpu++) {
      if (!wqTableAddWqs(table, devices, 0, cpu, nodeOf(topo, cpu), trace)) {
        trace?.({ kind: "warn", message: `could not add any wqs for iaa 0 to cpu ${cpu}!` });
        return false;
      }
    }
    return true;
  }

  let iaa = -1;
  for (const node of nodesWithCpus(topo)) {
    const cpus = [...node.cpus].sort((a, b) => a - b);
    for (let i = 0; i < cpus.length; i++) {
      const nodeCpu = cpus[i]!;
      if (nodeCpu >= params.nrCpus) {
        trace?.({ kind: "warn", message: `node_cpu ${nodeCpu} doesn't exist!` });
        return false;
      }
      if (i % params.cpusPerIaa === 0) iaa++;
      trace?.({ kind: "cpu", cpu: nodeCpu, node: node.id, iaa });
      if (!wqTableAddWqs(table, devices, iaa, nodeCpu, node.id, trace)) {
        trace?.({ kind: "warn", message: `could not add any wqs for iaa ${iaa} to cpu ${i}!` });
        return false;
      }
    }
  }
  return true;
}

// linux: drivers/crypto/intel/iaa/iaa_crypto_main.c wq_table_add_wqs()
function wqTableAddWqs<W>(
  table: WqTable<W>,
  devices: readonly WqTableDevice<W>[],
  iaa: number,
  cpu: number,
  node: number,
  trace?: (ev: RebalanceEvent<W>) => void,
): boolean {
  let device = iaa;
  let fallback = false;
  if (iaa < 0 || iaa >= devices.length) {
    if (devices.length === 0) return false;
    device = 0;
    fallback = true;
  }
  trace?.({ kind: "device", cpu, requested: iaa, device, fallback });
  const wqs = devices[device]!.wqs;
  let added = 0;
  for (let i = 0; i < wqs.length; i++) {
    // the kernel counts the WQ even when a full entry made wq_table_add() WARN
    if (table.add(cpu, wqs[i]!)) trace?.({ kind: "added", cpu, node, device, wqIndex: i, wq: wqs[i]! });
    else trace?.({ kind: "warn", message: `wq table entry of cpu ${cpu} is full` });
    added++;
  }
  return added > 0;
}

function nodeOf(topo: Topology, cpu: number): number {
  for (const n of topo.nodes) if (n.cpus.includes(cpu)) return n.id;
  return 0;
}
