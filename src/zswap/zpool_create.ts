/**
 * zpool_create_pool(): builds a pool of a 6.12 zpool type.
 *
 * linux: mm/zpool.c zpool_create_pool(), zpool_has_pool().
 */
import type { PhysMem } from "../mm/phys_mem.js";
import { BuddyPool } from "./zbud.js";
import type { ZPool } from "./zpool.js";
import { ZsPool } from "./zsmalloc.js";

/** The zpool types of Linux 6.12. */
export const ZPOOL_TYPES = ["zbud", "z3fold", "zsmalloc"] as const;

/**
 * zpool_create_pool(): a pool of `type`, or null if the type is unknown.
 *
 * @example
 * const zp = zpoolCreatePool("zsmalloc", "zswap1", phys)!;
 * const h = zp.malloc(1500); // lands in the 1536-byte class
 */
export function zpoolCreatePool(type: string, name: string, phys: PhysMem): ZPool | null {
  switch (type) {
    case "zsmalloc":
      return new ZsPool(name, phys);
    case "zbud":
      return new BuddyPool("zbud", phys);
    case "z3fold":
      return new BuddyPool("z3fold", phys);
    default:
      return null;
  }
}
