/**
 * CPU time of the calling thread, for benchmarks on a shared host: unlike
 * wall time it does not grow while other processes hold the cores, so the
 * main thread's own cost per page stays measurable under load. Linux only
 * (/proc/thread-self/schedstat: ns on a CPU); NaN elsewhere.
 */
import { readFileSync } from "node:fs";

export function threadCpuMs(): number {
  try {
    return Number(readFileSync("/proc/thread-self/schedstat", "latin1").split(" ")[0]) / 1e6;
  } catch {
    return NaN;
  }
}
