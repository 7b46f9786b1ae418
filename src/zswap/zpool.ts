/**
 * The zpool interface zswap allocates compressed objects through (≤ 6.17).
 *
 * linux: mm/zpool.c, include/linux/zpool.h. Objects live in emulated
 * physical pages, so `pages` is what the pool really takes from RAM, and a
 * handle maps to a physical address the compressor can DMA from.
 */

export interface ZPool {
  /** zpool_get_type(): "zsmalloc", "zbud" or "z3fold". */
  readonly type: string;
  /** zpool_malloc(): a handle (>= 0), or -EINVAL (size 0), -ENOSPC (too big), -ENOMEM. */
  malloc(size: number): number;
  /** zpool_free() */
  free(handle: number): void;
  /** zpool_map_handle(): physical address of the object's bytes. */
  map(handle: number): number;
  /** zpool_get_total_pages() */
  readonly pages: number;
  /** zpool_can_sleep_mapped(): false for zsmalloc (zswap then copies before an async decompress). */
  readonly canSleepMapped: boolean;
  /** zpool_destroy_pool(): frees every page. */
  destroy(): void;
}
