/**
 * Global VM event counters (the `count_vm_event()` half of /proc/vmstat).
 *
 * linux: include/linux/vm_event_item.h, mm/vmstat.c. Plain numbers, bumped by
 * mm and by zswap (which is handed this object); `pgpgin`/`pgpgout` are kept
 * in KiB as /proc/vmstat shows them.
 */
export class VmEvents {
  /** KiB read from block devices (swap reads here). */
  pgpgin = 0;
  /** KiB written to block devices (swap writes here). */
  pgpgout = 0;
  /** Pages read from a swap device. */
  pswpin = 0;
  /** Pages written to a swap device (zswap writeback included). */
  pswpout = 0;
  pgfault = 0;
  pgmajfault = 0;
  /** Pages decompressed by zswap loads. */
  zswpin = 0;
  /** Pages stored in zswap. */
  zswpout = 0;
  /** Pages written back from zswap to the swap device. */
  zswpwb = 0;
  /** Writes to vm.drop_caches with bit 1 (page cache), with bit 2 (slab). */
  dropPagecache = 0;
  dropSlab = 0;

  /** The counters as a plain record (saveState). */
  save(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(this)) if (typeof v === "number") out[k] = v;
    return out;
  }

  load(s: Record<string, number>): void {
    for (const k of Object.keys(this) as (keyof VmEvents)[]) {
      const v = s[k];
      if (typeof v === "number") (this as Record<string, unknown>)[k] = v;
    }
  }
}
