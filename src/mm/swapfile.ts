/**
 * Swap devices: swapon, swapoff (try_to_unuse), `swapon -a`, /proc/swaps and the backend hook.
 *
 * linux: mm/swapfile.c.
 */
import { PTE_POISON, PTE_SWAP, SHM_SWAP } from "./address_space.js";
import { parseFstabSwaps } from "./fstab.js";
import { PAGE_SIZE } from "./phys_mem.js";
import { type SwapBackendOps, type SwapBackendStats, type SwapCore } from "./swap_backend.js";
import { type SwapArea, SWAP_COUNT_MASK, SWAP_HAS_CACHE, SwapDevice } from "./swap_device.js";
import { formatProcSwaps } from "./mm_report.js";
import { swpEntry, swpOffset, swpType } from "./swp_entry.js";
import { Errno } from "../lib/errno.js";
import { type OopsTask, TASK_KILLED_BY_OOPS } from "../lib/oops.js";
import { LogLevel } from "../lib/printk.js";
import { TRACE_SWAPOFF_ANON, TRACE_SWAPOFF_SHMEM } from "./swapin_traces.js";
import { MAX_SWAPFILES, type MmStruct } from "./mm_struct.js";
import { doSwapPage, shmemSwapin } from "./fault.js";
import { freeFrame, pfnOf } from "./mem_map.js";
import { commitLimitPages } from "./mmap.js";
import { writeToDevice } from "./page_io.js";
import { deleteFromSwapCache, insertAvail, leaveLockedInSwapCache, pageLocked, releaseSlot, swapEntryPut, totalSwapPages } from "./swap_state.js";

/** Declares a block device or file that swapon may use (mkswap'd if `signature`). */
export function addSwapArea(mm: MmStruct, area: SwapArea): void {
  mm.areas.set(area.path, { ...area });
}

/** The area at `path`, if the machine has one. */
export function swapArea(mm: MmStruct, path: string): SwapArea | undefined {
  return mm.areas.get(path);
}

/** Active devices in type order. */
export function activeSwaps(mm: MmStruct): SwapDevice[] {
  return mm.devices.filter((d): d is SwapDevice => d !== undefined);
}

/**
 * swapon(2). `prio` >= 0 as with `swapon -p`; otherwise the next negative
 * default. Errors: ENOENT (no such path), EBUSY (already active), EINVAL
 * (no swap signature, logged "Unable to find swap-space signature"), EPERM
 * (MAX_SWAPFILES active), ENOMEM (the backend could not set up).
 */
export function swapon(mm: MmStruct, path: string, prio?: number): number {
  const area = mm.areas.get(path);
  if (area === undefined) return -Errno.ENOENT;
  if (activeSwaps(mm).some((d) => d.area.path === path)) return -Errno.EBUSY;
  if (!area.signature || area.bytes < 2 * PAGE_SIZE) {
    mm.ctx.log.printk(LogLevel.ERR, "Unable to find swap-space signature");
    return -Errno.EINVAL;
  }
  let type = 0;
  while (mm.devices[type] !== undefined) type++;
  if (type >= MAX_SWAPFILES) return -Errno.EPERM;
  const p = prio !== undefined && prio >= 0 ? Math.min(prio, 0x7fff) : --mm.leastPriority;
  const dev = new SwapDevice(area, type, p);
  if (mm.backend !== null) {
    const r = mm.backend.swapon(type, dev.nrSlots);
    if (r < 0) {
      if (prio === undefined || prio < 0) mm.leastPriority++;
      return r;
    }
  }
  mm.devices[type] = dev;
  insertAvail(mm, dev);
  const k = dev.pages * 4;
  mm.ctx.log.printk(LogLevel.INFO, `Adding ${k}k swap on ${path}.  Priority:${p} extents:1 across:${k}k ${area.ssd ? "SS" : ""}`);
  return 0;
}

/**
 * swapoff(2): brings every page back (zswap loads included), then frees the
 * device. Errors: ENOENT (no such path), EINVAL (not an active swap),
 * ENOMEM (overcommit refuses, or RAM cannot hold the pages; nothing changes),
 * EIO (a shmem page could not be read; the device stays active).
 * TASK_KILLED_BY_OOPS: a swap-in oopsed and killed `task` (the caller).
 */
export function swapoff(mm: MmStruct, path: string, task?: OopsTask): number {
  if (!mm.areas.has(path)) return -Errno.ENOENT;
  const dev = activeSwaps(mm).find((d) => d.area.path === path && d.writeOk);
  if (dev === undefined) return -Errno.EINVAL;
  // security_vm_enough_memory_mm(current->mm, p->pages)
  if (mm.overcommitMemory === 0 && dev.pages > mm.phys.totalPages + totalSwapPages(mm)) return -Errno.ENOMEM;
  if (mm.overcommitMemory === 2 && mm.committed + dev.pages > commitLimitPages(mm)) return -Errno.ENOMEM;
  // try_to_unuse() needs a frame for every slot whose page is not in RAM
  let need = 0;
  for (let off = 1; off < dev.nrSlots; off++) {
    const m = dev.map[off]!;
    if (m !== 0 && (m & SWAP_HAS_CACHE) === 0) need++;
  }
  if (need > mm.freePages) return -Errno.ENOMEM;
  const r = tryToUnuse(mm, dev, task ?? { pid: mm.nextPid, comm: "swapoff" });
  if (r === TASK_KILLED_BY_OOPS) {
    // the task died inside try_to_unuse(): the device stays as swapoff had made it before,
    // listed but off the active lists and not writable (a new swapoff finds nothing: -EINVAL)
    takeOffAvail(mm, dev);
    dev.writeOk = false;
    return r;
  }
  if (r < 0) return r;
  mm.backend?.swapoff(dev.type);
  takeOffAvail(mm, dev);
  mm.devices[dev.type] = undefined;
  return 0;
}

/** swapoff's del_from_avail_list() and the priority shift of the devices after it. */
function takeOffAvail(mm: MmStruct, dev: SwapDevice): void {
  mm.avail = mm.avail.filter((d) => d !== dev);
  if (dev.prio < 0) {
    for (const d of mm.avail) if (d.prio < dev.prio) d.prio++;
    mm.leastPriority++;
  }
}

/**
 * try_to_unuse() run by `task`: swap in every page of the device and drop its
 * swap-cache pages. 0, -EIO (a shmem page could not be read) or
 * TASK_KILLED_BY_OOPS (a swap-in oopsed; the rest is left as it is).
 */
export function tryToUnuse(mm: MmStruct, dev: SwapDevice, task: OopsTask): number {
  // runs in the swapoff caller's context: its CPU (ctx.cpu) does the loads
  for (const p of mm.procs.values()) {
    for (const v of p.as.vmas) {
      if (v.shared) continue;
      for (let i = 0; i < v.npages; i++) {
        if (v.pte[i] !== PTE_SWAP || swpType(v.swp[i]!) !== dev.type) continue;
        const ent = v.swp[i]!;
        const r = doSwapPage(mm, v, i, false, task, TRACE_SWAPOFF_ANON);
        if (r === TASK_KILLED_BY_OOPS) return r;
        if (r < 0) {
          // unuse_pte(): an unreadable page becomes a poisoned entry
          swapEntryPut(mm, ent);
          v.pte[i] = PTE_POISON;
          v.swp[i] = 0;
        }
      }
    }
  }
  for (const obj of mm.shmemObjects) {
    for (let idx = 0; idx < obj.npages; idx++) {
      if (obj.state[idx] !== SHM_SWAP || swpType(obj.swp[idx]!) !== dev.type) continue;
      const r = shmemSwapin(mm, obj, idx, task, TRACE_SWAPOFF_SHMEM);
      if (r < 0) return r;
    }
  }
  for (const [ent, pa] of [...mm.swapCache]) {
    if (swpType(ent) !== dev.type) continue;
    if (pageLocked(mm, pa)) return -Errno.EIO; // the kernel would wait in folio_lock() forever
    const off = swpOffset(ent);
    deleteFromSwapCache(mm, ent, pa);
    if (mm.mapcount[pfnOf(mm, pa)] === 0) freeFrame(mm, pa);
    if ((dev.map[off]! & SWAP_COUNT_MASK) === 0) releaseSlot(mm, dev, off);
  }
  return 0;
}

/** `swapoff -a` over every active device (in /proc/swaps order); the first error wins. */
export function swapoffAll(mm: MmStruct, task?: OopsTask): number {
  let ret = 0;
  for (const d of activeSwaps(mm)) {
    const r = swapoff(mm, d.area.path, task);
    if (r === TASK_KILLED_BY_OOPS) return r;
    if (r < 0 && ret === 0) ret = r;
  }
  return ret;
}

/**
 * `swapon -a`: every swap entry of an fstab text without `noauto` that is
 * not active yet, with its `pri=`. Returns one result per attempted entry
 * (0 or -errno) and the parser's complaints; the caller prints messages.
 */
export function swaponFstab(mm: MmStruct, fstab: string): { results: { spec: string; ret: number }[]; errors: string[] } {
  const { entries, errors } = parseFstabSwaps(fstab);
  const results: { spec: string; ret: number }[] = [];
  for (const e of entries) {
    if (e.noauto) continue;
    if (activeSwaps(mm).some((d) => d.area.path === e.spec)) continue;
    results.push({ spec: e.spec, ret: swapon(mm, e.spec, e.prio) });
  }
  return { results, errors };
}

/** /proc/swaps */
export function procSwaps(mm: MmStruct): string {
  return formatProcSwaps(activeSwaps(mm));
}

/**
 * Registers the compressed-cache backend (zswap). Devices already active
 * are announced to it. Returns the swap core it may call for writeback.
 */
export function registerSwapBackend(mm: MmStruct, ops: SwapBackendOps, stats: SwapBackendStats): SwapCore {
  mm.backend = ops;
  mm.backendStats = stats;
  for (const d of activeSwaps(mm)) ops.swapon(d.type, d.nrSlots);
  return {
    writeToDevice: (type, off, pa) => {
      const d = mm.devices[type];
      if (d === undefined) return -Errno.ENODEV;
      writeToDevice(mm, d, off, pa);
      return 0;
    },
    slotInSwapCache: (type, off) => mm.swapCache.has(swpEntry(type, off)),
    leaveLocked: (type, off, pa) => {
      if (mm.devices[type] !== undefined) leaveLockedInSwapCache(mm, swpEntry(type, off), pa);
    },
    slotInUse: (type, off) => {
      const d = mm.devices[type];
      return d !== undefined && off > 0 && off < d.nrSlots && d.map[off] !== 0;
    },
  };
}
