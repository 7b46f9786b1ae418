/** Reading a PCI function's config bytes the way lspci does (little-endian; `have` stands for config_fetch). */

/** A function's configuration bytes as read from sysfs `config`, and what lspci knows besides. */
export interface PciConf {
  bytes: Uint8Array;
  /** -v count. */
  verbose: number;
  /** A BAR maps memory (from `resource`). */
  hasMemBar: boolean;
}

export const flag = (v: number, bit: number): string => ((v & bit) !== 0 ? "+" : "-");
export const hx = (n: number, w: number): string => n.toString(16).padStart(w, "0");

export function have(c: PciConf, pos: number, len: number): boolean {
  return pos + len <= c.bytes.length;
}
export function cb(c: PciConf, pos: number): number {
  return c.bytes[pos] ?? 0;
}
export function cw(c: PciConf, pos: number): number {
  return cb(c, pos) | (cb(c, pos + 1) << 8);
}
export function cl(c: PciConf, pos: number): number {
  return (cw(c, pos) | (cw(c, pos + 2) << 16)) >>> 0;
}

