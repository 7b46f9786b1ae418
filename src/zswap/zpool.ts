/**
 * The zpool interface zswap allocates compressed objects through (≤ 6.17).
 *
 * linux: mm/zpool.c, include/linux/zpool.h. Objects live in emulated
 * physical pages, so `pages` is what the pool really takes from RAM, and a
 * mapped handle is a physical address the compressor can DMA from.
 */

/** enum zpool_mapmode (ZPOOL_MM_RO, ZPOOL_MM_WO). */
export type ZpoolMapMode = "ro" | "wo";

export interface ZPool {
  /** zpool_get_type(): "zsmalloc", "zbud" or "z3fold". */
  readonly type: string;
  /** zpool_malloc(): a handle (>= 0), or -EINVAL (size 0), -ENOSPC (too big), -ENOMEM. */
  malloc(size: number): number;
  /** zpool_free() */
  free(handle: number): void;
  /**
   * zpool_map_handle(): physical address of the object's bytes, valid until
   * {@link ZPool.unmap}. "ro" maps for reading, "wo" for writing the whole
   * object (an object zsmalloc split over two pages is copied through a
   * bounce buffer: in for "ro", back out at unmap for "wo"). Each map is
   * paired with one unmap.
   */
  map(handle: number, mode: ZpoolMapMode): number;
  /** zpool_unmap_handle() */
  unmap(handle: number): void;
  /** zpool_get_total_pages() */
  readonly pages: number;
  /** zpool_can_sleep_mapped(): false for zsmalloc (zswap then copies before an async decompress). */
  readonly canSleepMapped: boolean;
  /** zpool_destroy_pool(): frees every page. */
  destroy(): void;
}
