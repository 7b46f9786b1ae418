/**
 * A hint from reclaim to whoever wants to work ahead: the pages a
 * MADV_PAGEOUT of a range is about to write to swap, in the order it will
 * write them. mm declares the interface and calls it; a higher layer (the
 * machine process's engine prefetch, src/system/pageout_prefetch.ts)
 * registers an implementation with {@link Mm.registerPageoutHint}. A hint
 * changes nothing in the machine: the pages are written exactly as without
 * one.
 */
export interface PageoutHintOps {
  /**
   * `pas`: physical addresses of the 4 KiB pages about to be written (each
   * page's bytes stay as they are until it is written).
   */
  willWrite(pas: readonly number[]): void;
}
