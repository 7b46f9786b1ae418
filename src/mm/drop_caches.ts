/**
 * /proc/sys/vm/drop_caches (linux: fs/drop_caches.c, drop_caches_sysctl_handler).
 *
 * Write-only (0200, so even root's read is EACCES), 1..4 (proc_dointvec_minmax;
 * anything else -EINVAL). Bit 1 drops the page cache and counts
 * drop_pagecache, bit 2 shrinks the slab caches and counts drop_slab (this
 * machine has no clean page cache and no shrinkable slab objects, so nothing
 * else changes: its tmpfs and swap cache pages are not droppable on the real
 * kernel either). Each write logs `COMM (PID): drop_caches: N` at KERN_INFO
 * until one with bit 4 set, which quietens the later ones.
 */
import type { KernelContext } from "../lib/context.js";
import { Errno } from "../lib/errno.js";
import { procDointvecMinmax } from "../lib/kstrto.js";
import { LogLevel } from "../lib/printk.js";
import type { Knob } from "./mm_knobs.js";
import type { VmEvents } from "./vm_events.js";

/** What the knob keeps (the kernel's sysctl_drop_caches and its static `stfu`), on the mm so snapshots keep it. */
export interface DropCachesState {
  dropCaches: number;
  dropCachesQuiet: number;
  readonly events: VmEvents;
}

export function dropCachesKnob(ctx: KernelContext, s: DropCachesState): Knob {
  return {
    path: "/proc/sys/vm/drop_caches",
    mode: 0o200,
    show: () => -Errno.EACCES,
    store(buf) {
      const v = procDointvecMinmax(buf, 1, 4);
      if (typeof v !== "number") return v.err;
      s.dropCaches = v;
      if (v & 1) s.events.dropPagecache++;
      if (v & 2) s.events.dropSlab++;
      if (s.dropCachesQuiet === 0) {
        const task = ctx.current ?? { comm: "bash", pid: 1 };
        ctx.log.printk(LogLevel.INFO, `${task.comm} (${task.pid}): drop_caches: ${v}`);
      }
      s.dropCachesQuiet |= v & 4;
      return 0;
    },
  };
}
