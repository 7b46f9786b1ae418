/**
 * The kernel-wide services every kernel layer is handed at construction:
 * virtual time, the printk ring, dynamic debug and the topology, plus the CPU
 * the current kernel code runs on (what get_cpu()/smp_processor_id() return).
 */
import type { VirtualClock } from "./clock.js";
import type { DynamicDebug } from "./dyndbg.js";
import type { OopsState } from "./oops.js";
import type { Printk } from "./printk.js";
import type { Topology } from "./topology.js";

export interface KernelContext {
  clock: VirtualClock;
  log: Printk;
  dyndbg: DynamicDebug;
  topo: Topology;
  /** smp_processor_id(): the CPU the calling task runs on. Set by the scheduler/mm. */
  cpu: number;
  /**
   * `current`: the task whose system call the kernel runs now, as far as the
   * caller told (the shell sets itself for a builtin and a program's name for
   * a program; a FUSE request its host process); absent when unknown.
   */
  current?: { pid: number; comm: string };
  /** Taint and die counter, read and changed by oopses (lib/oops.ts); made on first use if absent. */
  oops?: OopsState;
}
