/**
 * Each NUMA node's meminfo and numastat (/sys/devices/system/node/nodeN),
 * as the node's share of what /proc/meminfo shows.
 *
 * linux: drivers/base/node.c (node_read_meminfo, node_read_numastat),
 * mm/show_mem.c si_meminfo_node().
 *
 * Model: node N owns the Nth slice of physical memory (node 0 the lowest
 * frames, each node the RAM the configuration gives it, the last one the
 * rest); a node's MemFree comes from the frames in use in its slice and
 * its numa_hit from the pages processes got there (PhysMem.framesIn, by
 * 16 MiB chunk). The kernel's own pages are spread over the nodes by size. The
 * page-type counters (anonymous, shmem, swap cache) are kept machine-wide,
 * so each node gets them in proportion to its frames in use: exact while
 * every page in use is on one node (the allocator fills node 0 first, and
 * a node holds at least 128 MiB), and the nodes' lines always add up to
 * /proc/meminfo's. Allocations are always local: numa_miss, numa_foreign,
 * interleave_hit and other_node stay 0; numa_hit counts the kernel's own
 * pages as allocated at boot.
 */
import type { KnDir } from "../kernfs/node.js";
import type { Topology } from "../lib/topology.js";
import { formatNodeMeminfo, type Mm, type MmCounters, type NodeMemCounters } from "../mm/mm.js";
import { PAGE_SIZE } from "../mm/phys_mem.js";

/** The frames [first, end) of each node, in node order. */
export function nodeFrameRanges(topo: Topology, totalPages: number): { first: number; end: number }[] {
  const out: { first: number; end: number }[] = [];
  let first = 0;
  topo.nodes.forEach((n, i) => {
    const end = i === topo.nodes.length - 1 ? totalPages : Math.min(totalPages, first + Math.floor(n.memBytes / PAGE_SIZE));
    out.push({ first, end });
    first = end;
  });
  return out;
}

/** `total` split as `weights` are (largest remainders by cumulative rounding): the parts add up to `total`. */
function shares(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map((_, i) => (i === 0 ? total : 0));
  let acc = 0;
  let prev = 0;
  return weights.map((w) => {
    acc += w;
    const cum = Math.round((total * acc) / sum);
    const part = cum - prev;
    prev = cum;
    return part;
  });
}

/** Every node's counters, read now. */
export function nodeMemCounters(mm: Mm, topo: Topology): NodeMemCounters[] {
  const c: MmCounters = mm.counters();
  const ranges = nodeFrameRanges(topo, c.totalPages);
  const used = ranges.map((r) => mm.phys.framesIn(r.first, r.end).inUse);
  const kernel = shares(mm.kernelPages, ranges.map((r) => r.end - r.first));
  const typed = (v: number) => shares(v, used);
  const swapCache = typed(c.swapCachePages);
  const inactive = typed(c.anonPages + c.shmemPages + c.orphanSwapCache);
  const file = typed(c.shmemPages + c.swapCachePages);
  const mapped = typed(c.shmemMapped);
  const anon = typed(c.anonPages);
  const shmem = typed(c.shmemPages);
  // the kernel's share of a node its processes' pages filled is charged to the next node (the sums stay /proc/meminfo's)
  let carry = 0;
  return ranges.map((r, i) => {
    const total = r.end - r.first;
    const free = total - kernel[i]! - used[i]! - carry;
    carry = free < 0 ? -free : 0;
    return {
      totalPages: total,
      freePages: Math.max(0, free),
      swapCachePages: swapCache[i]!,
      inactiveAnon: inactive[i]!,
      filePages: file[i]!,
      shmemMapped: mapped[i]!,
      anonPages: anon[i]!,
      shmemPages: shmem[i]!,
    };
  });
}

/** node_read_numastat(): every allocation (the kernel's own pages at boot, then every page a process got) is a local hit. */
export function formatNumastat(allocated: number): string {
  return `numa_hit ${allocated}\nnuma_miss 0\nnuma_foreign 0\ninterleave_hit 0\nlocal_node ${allocated}\nother_node 0\n`;
}

/**
 * Adds meminfo and numastat to each /sys/devices/system/node/nodeN.
 *
 * @example
 * addNodeMeminfo(m.fs.sys, mm, m.topo);
 * m.vfs.readText("/sys/devices/system/node/node0/meminfo"); // "Node 0 MemTotal:       268435456 kB\n…"
 */
export function addNodeMeminfo(sys: KnDir, mm: Mm, topo: Topology): void {
  const root = sys.mkdirp("devices/system/node");
  topo.nodes.forEach((n, i) => {
    const d = root.dir(`node${n.id}`);
    d.attr("meminfo", 0o444, () => formatNodeMeminfo(n.id, nodeMemCounters(mm, topo)[i]!));
    d.attr("numastat", 0o444, () => {
      const ranges = nodeFrameRanges(topo, mm.phys.totalPages);
      const kernel = shares(mm.kernelPages, ranges.map((r) => r.end - r.first))[i]!;
      return formatNumastat(kernel + mm.phys.framesIn(ranges[i]!.first, ranges[i]!.end).allocated);
    });
  });
}
