/**
 * /sys/devices/system/cpu/cpuN/cache/indexK: the caches of a Sapphire Rapids
 * core (Xeon Platinum 8460Y+, the model /proc/cpuinfo names), as lscpu reads
 * them for its "Caches" section.
 *
 * linux: drivers/base/cacheinfo.c (cache_default_attrs, size_show: "%uK"),
 * arch/x86/kernel/cpu/cacheinfo.c (CPUID leaf 4: id = apicid >> the bits of
 * the threads sharing the cache). L1d 48 KiB 12-way, L1i 32 KiB 8-way and L2
 * 2 MiB 16-way per core (its two threads), L3 105 MiB 15-way per package.
 */
import type { KnDir } from "../kernfs/node.js";
import { formatCpuList, formatCpuMask, type CpuTopology } from "../lib/topology.js";

interface CacheLeaf {
  level: number;
  type: "Data" | "Instruction" | "Unified";
  sizeKiB: number;
  ways: number;
  /** Shared by the core's threads (L1, L2) or by the package (L3). */
  shared: "core" | "package";
}

/** CPUID leaf 4 of a Golden Cove server core, in leaf order. */
export const SPR_CACHES: readonly CacheLeaf[] = [
  { level: 1, type: "Data", sizeKiB: 48, ways: 12, shared: "core" },
  { level: 1, type: "Instruction", sizeKiB: 32, ways: 8, shared: "core" },
  { level: 2, type: "Unified", sizeKiB: 2048, ways: 16, shared: "core" },
  { level: 3, type: "Unified", sizeKiB: 107520, ways: 15, shared: "package" },
];

const LINE = 64;

/**
 * Adds cache/index0… to one CPU's directory.
 *
 * @example
 * addCpuCaches(cpuDir, cpuTopology(layout, 5), 160);
 * // cpu5/cache/index3/size: "107520K\n"
 */
export function addCpuCaches(cpuDir: KnDir, t: CpuTopology, nrCpuIds: number): void {
  const cache = cpuDir.dir("cache");
  SPR_CACHES.forEach((c, i) => {
    const d = cache.dir(`index${i}`);
    const cpus = c.shared === "core" ? t.threadSiblings : t.packageCpus;
    const id = c.shared === "core" ? t.clusterId : t.packageId;
    d.attr("id", 0o444, () => `${id}\n`);
    d.attr("type", 0o444, () => `${c.type}\n`);
    d.attr("level", 0o444, () => `${c.level}\n`);
    d.attr("shared_cpu_map", 0o444, () => `${formatCpuMask(cpus, nrCpuIds)}\n`);
    d.attr("shared_cpu_list", 0o444, () => `${formatCpuList(cpus)}\n`);
    d.attr("coherency_line_size", 0o444, () => `${LINE}\n`);
    d.attr("ways_of_associativity", 0o444, () => `${c.ways}\n`);
    d.attr("number_of_sets", 0o444, () => `${(c.sizeKiB * 1024) / LINE / c.ways}\n`);
    d.attr("size", 0o444, () => `${c.sizeKiB}K\n`);
    d.attr("physical_line_partition", 0o444, () => "1\n");
  });
}
