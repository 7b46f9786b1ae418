/**
 * What persists between commands: sysctls, event counters and the active swap devices.
 */
import { SwapDevice } from "./swap_device.js";
import type { ThpMode } from "./mm_knobs.js";
import type { MmStruct } from "./mm_struct.js";
import { insertAvail } from "./swap_state.js";
import { activeSwaps } from "./swapfile.js";

/** What persists between commands. */
export interface MmState {
  swappiness: number;
  overcommitMemory: number;
  overcommitRatio: number;
  pageCluster: number;
  /** vm.drop_caches's last value and its quiet bit (absent in older snapshots). */
  dropCaches?: number;
  dropCachesQuiet?: number;
  thp: ThpMode;
  events: Record<string, number>;
  leastPriority: number;
  /** `stuck`: a swapoff of it died in an oops (listed, not writable). */
  swaps: { path: string; type: number; prio: number; stuck?: boolean }[];
}

/** Sysctls, counters and the active swap devices (processes do not persist). */
export function saveState(mm: MmStruct): MmState {
  return {
    swappiness: mm.swappiness,
    overcommitMemory: mm.overcommitMemory,
    overcommitRatio: mm.overcommitRatio,
    pageCluster: mm.pageCluster,
    dropCaches: mm.dropCaches,
    dropCachesQuiet: mm.dropCachesQuiet,
    thp: mm.thp,
    events: mm.events.save(),
    leastPriority: mm.leastPriority,
    swaps: activeSwaps(mm).map((d) => (d.writeOk ? { path: d.area.path, type: d.type, prio: d.prio } : { path: d.area.path, type: d.type, prio: d.prio, stuck: true })),
  };
}

/** Restores {@link saveState} output; swap areas must be declared first. Devices come back empty. */
export function loadState(mm: MmStruct, s: MmState): void {
  mm.swappiness = s.swappiness;
  mm.overcommitMemory = s.overcommitMemory;
  mm.overcommitRatio = s.overcommitRatio;
  mm.pageCluster = s.pageCluster;
  mm.dropCaches = s.dropCaches ?? 0;
  mm.dropCachesQuiet = s.dropCachesQuiet ?? 0;
  mm.thp = s.thp;
  mm.events.load(s.events);
  mm.leastPriority = s.leastPriority;
  for (const sw of s.swaps) {
    const area = mm.areas.get(sw.path);
    if (area === undefined || mm.devices[sw.type] !== undefined) continue;
    const dev = new SwapDevice(area, sw.type, sw.prio);
    mm.devices[sw.type] = dev;
    if (sw.stuck === true) dev.writeOk = false;
    else insertAvail(mm, dev);
    mm.backend?.swapon(dev.type, dev.nrSlots);
  }
}
