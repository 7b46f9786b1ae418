/**
 * The text of /proc/meminfo (fs/proc/meminfo.c, 6.12 layout), /proc/vmstat
 * (mm/vmstat.c, the counters this machine keeps) and /proc/swaps
 * (mm/swapfile.c swap_show) from the memory manager's counters.
 */
import type { SwapDevice } from "./swap_device.js";
import type { VmEvents } from "./vm_events.js";

/** The counters, in pages, as read at one instant. */
export interface MmCounters {
  totalPages: number;
  freePages: number;
  anonPages: number;
  shmemPages: number;
  shmemMapped: number;
  swapCachePages: number;
  /** Swap-cache pages no process maps (counted as inactive anon). */
  orphanSwapCache: number;
  zswapPoolPages: number;
  zswappedPages: number;
  totalSwapPages: number;
  freeSwapPages: number;
  commitLimitPages: number;
  committedPages: number;
  events: VmEvents;
}

/** `seq_file_path(m, file, " \t\n\\")`: those characters as \ooo. */
function escapePath(p: string): string {
  return p.replace(/[ \t\n\\]/g, (c) => "\\" + c.charCodeAt(0).toString(8).padStart(3, "0"));
}

/** /proc/meminfo in the 6.12 layout. */
export function formatMeminfo(c: MmCounters): string {
  const kb = (pages: number) => pages * 4;
  const line = (label: string, v: number) => `${(label + ":").padEnd(16)}${String(v).padStart(8)} kB\n`;
  const total = c.totalPages;
  const free = c.freePages;
  const cached = c.shmemPages;
  const inactiveAnon = c.anonPages + c.shmemPages + c.orphanSwapCache;
  const zswap = c.zswapPoolPages;
  const zswapped = c.zswappedPages;
  let s = "";
  s += line("MemTotal", kb(total));
  s += line("MemFree", kb(free));
  s += line("MemAvailable", kb(free));
  s += line("Buffers", 0);
  s += line("Cached", kb(cached));
  s += line("SwapCached", kb(c.swapCachePages));
  s += line("Active", 0);
  s += line("Inactive", kb(inactiveAnon));
  s += line("Active(anon)", 0);
  s += line("Inactive(anon)", kb(inactiveAnon));
  s += line("Active(file)", 0);
  s += line("Inactive(file)", 0);
  s += line("Unevictable", 0);
  s += line("Mlocked", 0);
  s += line("SwapTotal", kb(c.totalSwapPages));
  s += line("SwapFree", kb(c.freeSwapPages));
  s += line("Zswap", kb(zswap));
  s += line("Zswapped", kb(zswapped));
  s += line("Dirty", 0);
  s += line("Writeback", 0);
  s += line("AnonPages", kb(c.anonPages));
  s += line("Mapped", kb(c.shmemMapped));
  s += line("Shmem", kb(c.shmemPages));
  s += line("KReclaimable", 0);
  s += line("Slab", 0);
  s += line("SReclaimable", 0);
  s += line("SUnreclaim", 0);
  s += line("KernelStack", 0);
  s += line("PageTables", 0);
  s += line("SecPageTables", 0);
  s += line("NFS_Unstable", 0);
  s += line("Bounce", 0);
  s += line("WritebackTmp", 0);
  s += line("CommitLimit", kb(c.commitLimitPages));
  s += line("Committed_AS", kb(c.committedPages));
  s += line("VmallocTotal", 34359738367);
  s += line("VmallocUsed", 0);
  s += line("VmallocChunk", 0);
  s += line("Percpu", 0);
  s += `HardwareCorrupted: ${String(0).padStart(5)} kB\n`;
  s += line("AnonHugePages", 0);
  s += line("ShmemHugePages", 0);
  s += line("ShmemPmdMapped", 0);
  s += line("FileHugePages", 0);
  s += line("FilePmdMapped", 0);
  s += `HugePages_Total:   ${String(0).padStart(5)}\n`;
  s += `HugePages_Free:    ${String(0).padStart(5)}\n`;
  s += `HugePages_Rsvd:    ${String(0).padStart(5)}\n`;
  s += `HugePages_Surp:    ${String(0).padStart(5)}\n`;
  s += line("Hugepagesize", 2048);
  s += line("Hugetlb", 0);
  const totalKb = kb(total);
  const g1 = Math.floor(totalKb / 1048576) * 1048576;
  const m2 = Math.floor((totalKb - g1) / 2048) * 2048;
  s += line("DirectMap4k", totalKb - g1 - m2);
  s += line("DirectMap2M", m2);
  s += line("DirectMap1G", g1);
  return s;
}

/** One NUMA node's share of the counters, in pages (what node_read_meminfo() reads). */
export interface NodeMemCounters {
  totalPages: number;
  freePages: number;
  swapCachePages: number;
  /** Inactive(anon): anonymous, shmem and orphaned swap-cache pages (nothing is ever activated here). */
  inactiveAnon: number;
  /** NR_FILE_PAGES: shmem and swap cache. */
  filePages: number;
  shmemMapped: number;
  anonPages: number;
  shmemPages: number;
}

/**
 * /sys/devices/system/node/nodeN/meminfo (drivers/base/node.c
 * node_read_meminfo(), 6.12 layout for x86_64 with THP and without
 * HIGHMEM, SHADOW_CALL_STACK or UNACCEPTED_MEMORY; then
 * hugetlb_report_node_meminfo()).
 *
 * @example
 * formatNodeMeminfo(0, c).split("\n")[0]; // "Node 0 MemTotal:       268435456 kB"
 */
export function formatNodeMeminfo(nid: number, c: NodeMemCounters): string {
  const kb = (pages: number) => pages * 4;
  // "Node %d Label: %8lu kB": the label padded so that the numbers line up
  const line = (label: string, v: number) => `Node ${nid} ${(label + ":").padEnd(16)}${String(v).padStart(8)} kB\n`;
  const rows: [string, number][] = [
    ["MemTotal", kb(c.totalPages)],
    ["MemFree", kb(c.freePages)],
    ["MemUsed", kb(c.totalPages - c.freePages)],
    ["SwapCached", kb(c.swapCachePages)],
    ["Active", 0],
    ["Inactive", kb(c.inactiveAnon)],
    ["Active(anon)", 0],
    ["Inactive(anon)", kb(c.inactiveAnon)],
    ["Active(file)", 0],
    ["Inactive(file)", 0],
    ["Unevictable", 0],
    ["Mlocked", 0],
    ["Dirty", 0],
    ["Writeback", 0],
    ["FilePages", kb(c.filePages)],
    ["Mapped", kb(c.shmemMapped)],
    ["AnonPages", kb(c.anonPages)],
    ["Shmem", kb(c.shmemPages)],
    ["KernelStack", 0],
    ["PageTables", 0],
    ["SecPageTables", 0],
    ["NFS_Unstable", 0],
    ["Bounce", 0],
    ["WritebackTmp", 0],
    ["KReclaimable", 0],
    ["Slab", 0],
    ["SReclaimable", 0],
    ["SUnreclaim", 0],
    ["AnonHugePages", 0],
    ["ShmemHugePages", 0],
    ["ShmemPmdMapped", 0],
    ["FileHugePages", 0],
    ["FilePmdMapped", 0],
  ];
  let s = rows.map(([k, v]) => line(k, v)).join("");
  // hugetlb_report_node_meminfo(): "Node %d HugePages_Total: %5u" (no huge pages are reserved)
  s += `Node ${nid} HugePages_Total: ${String(0).padStart(5)}\n`;
  s += `Node ${nid} HugePages_Free:  ${String(0).padStart(5)}\n`;
  s += `Node ${nid} HugePages_Surp:  ${String(0).padStart(5)}\n`;
  return s;
}

/** /proc/vmstat (the counters this machine keeps, in the kernel's order). */
export function formatVmstat(c: MmCounters): string {
  const e = c.events;
  const inactiveAnon = c.anonPages + c.shmemPages + c.orphanSwapCache;
  const zspages = c.zswapPoolPages;
  const rows: [string, number][] = [
    ["nr_free_pages", c.freePages],
    ["nr_zone_inactive_anon", inactiveAnon],
    ["nr_zone_active_anon", 0],
    ["nr_zone_inactive_file", 0],
    ["nr_zone_active_file", 0],
    ["nr_zone_unevictable", 0],
    ["nr_zone_write_pending", 0],
    ["nr_mlock", 0],
    ["nr_bounce", 0],
    ["nr_zspages", zspages],
    ["nr_free_cma", 0],
    ["nr_inactive_anon", inactiveAnon],
    ["nr_active_anon", 0],
    ["nr_inactive_file", 0],
    ["nr_active_file", 0],
    ["nr_unevictable", 0],
    ["nr_anon_pages", c.anonPages],
    ["nr_mapped", c.shmemMapped],
    ["nr_file_pages", c.shmemPages + c.swapCachePages],
    ["nr_dirty", 0],
    ["nr_writeback", 0],
    ["nr_shmem", c.shmemPages],
    ["nr_swapcached", c.swapCachePages],
    ["pgpgin", e.pgpgin],
    ["pgpgout", e.pgpgout],
    ["pswpin", e.pswpin],
    ["pswpout", e.pswpout],
    ["pgfault", e.pgfault],
    ["pgmajfault", e.pgmajfault],
    ["drop_pagecache", e.dropPagecache],
    ["drop_slab", e.dropSlab],
    ["zswpin", e.zswpin],
    ["zswpout", e.zswpout],
    ["zswpwb", e.zswpwb],
  ];
  return rows.map(([k, v]) => `${k} ${v}\n`).join("");
}

/** /proc/swaps */
export function formatProcSwaps(active: SwapDevice[]): string {
  let out = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";
  for (const d of active) {
    const name = escapePath(d.area.path);
    const bytes = d.pages * 4;
    const inuse = d.inuse * 4;
    out += `${name}${" ".repeat(name.length < 40 ? 40 - name.length : 1)}`;
    out += `${d.area.kind === "partition" ? "partition" : "file\t"}\t${bytes}\t${bytes < 10000000 ? "\t" : ""}${inuse}\t${inuse < 10000000 ? "\t" : ""}${d.prio}\n`;
  }
  return out;
}
