/**
 * The frontswap-like hook between the swap core and a compressed cache.
 *
 * linux: mm/page_io.c swap_writepage()/swap_read_folio() calling
 * zswap_store()/zswap_load(), mm/swapfile.c calling zswap_invalidate(),
 * zswap_swapon(), zswap_swapoff(). mm declares the interface; zswap registers
 * an implementation with {@link Mm.registerSwapBackend} and gets a
 * {@link SwapCore} back for writeback. mm never imports zswap.
 */

import type { OopsTask } from "../lib/oops.js";

/** Result of {@link SwapBackendOps.load} when the backend does not hold the slot. */
export const SWAP_BACKEND_MISS = 1;

export interface SwapBackendOps {
  /**
   * zswap_store(): take the 4 KiB page at physical address `pa` for slot
   * (type, offset). True if stored; false sends the page to the device.
   */
  store(type: number, offset: number, pa: number): boolean;
  /**
   * zswap_load(): fill the page at `pa` from slot (type, offset). Returns 0
   * when loaded, {@link SWAP_BACKEND_MISS} when not held (read the device),
   * a negative errno when held but unreadable (the fault becomes SIGBUS), or
   * TASK_KILLED_BY_OOPS (lib/oops.ts) when the backend's BUG_ON() killed
   * `task`. `exclusive` = read into the swap cache: the entry is freed after
   * a successful load. `trace`: the call-trace frames of the swap-in path
   * below the backend, innermost first, for an oops.
   */
  load(type: number, offset: number, pa: number, exclusive: boolean, task: OopsTask, trace: readonly string[]): number;
  /** zswap_invalidate(): the slot was freed. */
  invalidate(type: number, offset: number): void;
  /** zswap_swapon(): a device of `nrPages` slots became type `type`. 0 or -ENOMEM. */
  swapon(type: number, nrPages: number): number;
  /** zswap_swapoff(): the device is gone (every slot already freed). */
  swapoff(type: number): void;
}

/** What the swap core offers a backend (for writeback and accounting). */
export interface SwapCore {
  /**
   * __swap_writepage(): write the page at `pa` to slot (type, offset) of the
   * device (pswpout, pgpgout). 0 or a negative errno.
   */
  writeToDevice(type: number, offset: number, pa: number): number;
  /** True if the slot's page is in RAM (the swap cache): writeback must not race it (-EEXIST). */
  slotInSwapCache(type: number, offset: number): boolean;
  /**
   * The backend's task died in an oops holding the page at `pa` it was reading
   * for the slot: the page stays in the swap cache, locked (mm_struct.ts PG_LOCKED).
   */
  leaveLocked(type: number, offset: number, pa: number): void;
  /** True while the slot is allocated. */
  slotInUse(type: number, offset: number): boolean;
}

/** What a backend contributes to /proc/meminfo and /proc/vmstat. */
export interface SwapBackendStats {
  /** Pages of memory the compressed pool uses (meminfo Zswap, vmstat nr_zspages). */
  poolPages(): number;
  /** Pages stored (meminfo Zswapped). */
  storedPages(): number;
}
