/**
 * Virtual time: the emulated machine's only clock.
 *
 * Time is a number of nanoseconds since boot (a float64 holds every integer
 * nanosecond for 104 days). Nothing in the emulated machine reads the host's
 * clock or calls setTimeout: work that completes later (an engine finishing a
 * descriptor, an interrupt, a 5-second sleep) is an event on this queue, so a
 * run is repeatable. Events at the same instant run in the order they were
 * scheduled.
 */

/** A scheduled callback; `cancel()` removes it if it has not run yet. */
export interface TimerHandle {
  readonly at: number;
  cancel(): void;
}

/** A queued event; it is its own handle (one object per event). */
class Event implements TimerHandle {
  cancelled = false;
  constructor(
    readonly at: number,
    readonly seq: number,
    readonly fn: () => void,
  ) {}

  cancel(): void {
    this.cancelled = true;
  }
}

/** Nanoseconds in common units. */
export const NSEC_PER_USEC = 1_000;
export const NSEC_PER_MSEC = 1_000_000;
export const NSEC_PER_SEC = 1_000_000_000;

/**
 * The virtual clock and its event queue (a binary min-heap on (at, seq)).
 *
 * @example
 * const clock = new VirtualClock();
 * clock.schedule(1000, () => console.log("fired at", clock.now));
 * clock.runUntilIdle(); // prints "fired at 1000"
 */
export class VirtualClock {
  /** Current virtual time in ns since boot. */
  now = 0;
  private heap: Event[] = [];
  private seq = 0;

  /** Schedules `fn` to run `delay` ns from now (delay >= 0). */
  schedule(delay: number, fn: () => void): TimerHandle {
    return this.scheduleAt(this.now + Math.max(0, delay), fn);
  }

  /** Schedules `fn` at absolute time `at` (clamped to now). */
  scheduleAt(at: number, fn: () => void): TimerHandle {
    const ev = new Event(Math.max(at, this.now), this.seq++, fn);
    this.push(ev);
    return ev;
  }

  /** Number of events still queued (cancelled ones included until popped). */
  get pending(): number {
    return this.heap.length;
  }

  /** Events queued and not cancelled. */
  liveEvents(): number {
    return this.heap.reduce((n, e) => n + (e.cancelled ? 0 : 1), 0);
  }

  /** Drops every queued event (a restored snapshot's owners queue theirs again). */
  dropEvents(): void {
    this.heap = [];
  }

  /** Time of the next live event, or Infinity. */
  nextEventAt(): number {
    this.dropCancelled();
    return this.heap.length > 0 ? this.heap[0]!.at : Infinity;
  }

  /** Runs the next event (advancing time to it). Returns false if none. */
  step(): boolean {
    this.dropCancelled();
    const ev = this.pop();
    if (ev === undefined) return false;
    if (ev.at > this.now) this.now = ev.at;
    ev.fn();
    return true;
  }

  /**
   * Runs events until `done()` is true. Returns true if it became true,
   * false if the queue ran dry first (nothing can ever make it true).
   */
  runUntil(done: () => boolean): boolean {
    while (!done()) {
      if (!this.step()) return done();
    }
    return true;
  }

  /** Runs every event due up to `now + delay`, then sets time to that instant. */
  advance(delay: number): void {
    this.advanceTo(this.now + Math.max(0, delay));
  }

  /** Runs every event due up to `t`, then sets time to `t` (if later). */
  advanceTo(t: number): void {
    while (this.nextEventAt() <= t) this.step();
    if (t > this.now) this.now = t;
  }

  /** Runs every queued event (and those they schedule) to completion. */
  runUntilIdle(limit = 10_000_000): void {
    let n = 0;
    while (this.step()) {
      if (++n > limit) throw new Error(`VirtualClock: more than ${limit} events without going idle`);
    }
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop();
  }

  private less(a: Event, b: Event): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(ev: Event): void {
    const h = this.heap;
    h.push(ev);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      const t = h[i]!;
      h[i] = h[p]!;
      h[p] = t;
      i = p;
    }
  }

  private pop(): Event | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        const t = h[i]!;
        h[i] = h[m]!;
        h[m] = t;
        i = m;
      }
    }
    return top;
  }
}
