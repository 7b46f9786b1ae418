/**
 * Swap entries: a swp_entry_t as one number, type * 2^32 + offset (offset >= 1,
 * so 0 means none). linux: include/linux/swapops.h.
 */
const TYPE_MUL = 0x1_0000_0000;

/** swp_entry(type, offset). */
export function swpEntry(type: number, off: number): number {
  return type * TYPE_MUL + off;
}
export function swpType(ent: number): number {
  return Math.floor(ent / TYPE_MUL);
}
export function swpOffset(ent: number): number {
  return ent % TYPE_MUL;
}
