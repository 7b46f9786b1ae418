/**
 * The mm sysctls and sysfs knobs as plain show/store functions:
 * /proc/sys/vm/{swappiness, overcommit_memory, overcommit_ratio, page-cluster}
 * (proc_dointvec_minmax) and /sys/kernel/mm/transparent_hugepage/enabled.
 */
import { Errno } from "../lib/errno.js";
import { procDointvecMinmax, sysfsStreq } from "../lib/kstrto.js";

export type ThpMode = "always" | "madvise" | "never";

/** A sysctl/sysfs knob as plain functions; the machine wires it into procfs/sysfs. */
export interface Knob {
  /** Absolute path, e.g. "/proc/sys/vm/swappiness". */
  path: string;
  mode: number;
  /** The text, or a negative errno. */
  show(): string | number;
  /** 0 or a negative errno. */
  store(buf: string): number;
}

/** The tunables the knobs read and write (the Mm). */
export interface MmTunables {
  swappiness: number;
  overcommitMemory: number;
  overcommitRatio: number;
  pageCluster: number;
  thp: ThpMode;
}

/** The knobs over `mm`'s tunables. */
export function mmKnobs(mm: MmTunables): Knob[] {
  const intKnob = (name: string, min: number, max: number, get: () => number, set: (v: number) => void): Knob => ({
    path: `/proc/sys/vm/${name}`,
    mode: 0o644,
    show: () => `${get()}\n`,
    store: (buf) => {
      const r = procDointvecMinmax(buf, min, max);
      if (typeof r !== "number") return r.err;
      set(r);
      return 0;
    },
  });
  return [
    intKnob("swappiness", 0, 200, () => mm.swappiness, (v) => (mm.swappiness = v)),
    intKnob("overcommit_memory", 0, 2, () => mm.overcommitMemory, (v) => (mm.overcommitMemory = v)),
    intKnob("overcommit_ratio", -0x80000000, 0x7fffffff, () => mm.overcommitRatio, (v) => (mm.overcommitRatio = v)),
    intKnob("page-cluster", 0, 31, () => mm.pageCluster, (v) => (mm.pageCluster = v)),
    {
      path: "/sys/kernel/mm/transparent_hugepage/enabled",
      mode: 0o644,
      show: () => (["always", "madvise", "never"] as const).map((m) => (m === mm.thp ? `[${m}]` : m)).join(" ") + "\n",
      store: (buf) => {
        for (const m of ["always", "madvise", "never"] as const) {
          if (sysfsStreq(buf, m)) {
            mm.thp = m;
            return 0;
          }
        }
        return -Errno.EINVAL;
      },
    },
  ];
}
