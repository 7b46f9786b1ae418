/**
 * The bounded in-memory history of counter samples: a ring of the last
 * `capacity` samples; a sample is taken when the page polls and after each
 * command, and skipped when nothing moved since the previous one (except to
 * let the wall-clock axis advance at most once a second).
 */
import type { Vfs } from "../../kernfs/vfs.js";
import { readCounters, type Sample } from "./counters.js";

export const HISTORY_CAPACITY = 2000;

function sameCounters(a: Sample, b: Sample): boolean {
  return a.virtualNs === b.virtualNs && JSON.stringify([a.iaa, a.wqs, a.zswap, a.vmstat]) === JSON.stringify([b.iaa, b.wqs, b.zswap, b.vmstat]);
}

export class History {
  private ring: Sample[] = [];
  private nextSeq = 0;

  constructor(
    private readonly vfs: () => Vfs,
    private readonly clock: () => number,
    readonly capacity = HISTORY_CAPACITY,
    private readonly wall: () => number = () => Date.now(),
  ) {}

  /** Reads the counters; keeps the sample unless it repeats the last one within a second. Returns the newest sample. */
  sample(): Sample {
    const s = readCounters(this.vfs(), this.nextSeq, this.clock(), this.wall());
    const last = this.ring[this.ring.length - 1];
    if (last !== undefined && sameCounters(last, s) && s.wallMs - last.wallMs < 1000) return last;
    this.nextSeq += 1;
    this.ring.push(s);
    if (this.ring.length > this.capacity) this.ring.splice(0, this.ring.length - this.capacity);
    return s;
  }

  /** Samples with seq > `after`, oldest first. */
  since(after: number): Sample[] {
    let i = this.ring.length;
    while (i > 0 && this.ring[i - 1]!.seq > after) i--;
    return this.ring.slice(i);
  }

  get size(): number {
    return this.ring.length;
  }
}
