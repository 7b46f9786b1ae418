/**
 * The numbers behind /proc/meminfo and /proc/vmstat, read from the mm state.
 *
 * linux: fs/proc/meminfo.c, mm/vmstat.c.
 */
import { formatMeminfo, formatVmstat, type MmCounters } from "./mm_report.js";
import { type MmStruct } from "./mm_struct.js";
import { pfnOf } from "./mem_map.js";
import { commitLimitPages } from "./mmap.js";
import { freeSwapPages, totalSwapPages } from "./swap_state.js";

/** The numbers /proc/meminfo and /proc/vmstat print, read now. */
export function counters(mm: MmStruct): MmCounters {
  return {
    totalPages: mm.phys.totalPages,
    freePages: mm.freePages,
    anonPages: mm.anonPages,
    shmemPages: mm.shmemPages,
    shmemMapped: mm.shmemMapped,
    swapCachePages: mm.swapCachePages,
    orphanSwapCache: orphanSwapCache(mm),
    zswapPoolPages: mm.backendStats?.poolPages() ?? 0,
    zswappedPages: mm.backendStats?.storedPages() ?? 0,
    totalSwapPages: totalSwapPages(mm),
    freeSwapPages: freeSwapPages(mm),
    commitLimitPages: commitLimitPages(mm),
    committedPages: mm.committed,
    events: mm.events,
  };
}

/** /proc/meminfo in the 6.12 layout. */
export function meminfo(mm: MmStruct): string {
  return formatMeminfo(counters(mm));
}

export function orphanSwapCache(mm: MmStruct): number {
  let n = 0;
  for (const pa of mm.swapCache.values()) if (mm.mapcount[pfnOf(mm, pa)] === 0) n++;
  return n;
}

/** /proc/vmstat (the counters mm machine keeps, in the kernel's order). */
export function vmstat(mm: MmStruct): string {
  return formatVmstat(counters(mm));
}
