/**
 * Capability registers of the devices the emulator models (shared/spec/
 * iaa-hardware.md §5, accel-config.md §4–§5): Sapphire Rapids IAA 1.0 and DSA.
 */

/** Which kind of accelerator a device is (idxd `enum idxd_type`). */
export type IdxdHwType = "dsa" | "iax";

/** What the capability registers (GENCAP, WQCAP, GRPCAP, ENGCAP, OPCAP) report. */
export interface IdxdHwCaps {
  type: IdxdHwType;
  pciVendor: number;
  pciDevice: number;
  /** PCI class code (24 bits): 0x088000 "System peripheral". */
  pciClass: number;
  /** VERSION register. */
  version: number;
  /** GENCAP (64 bits, as a number: < 2^53). */
  genCap: number;
  maxGroups: number;
  maxWqs: number;
  maxEngines: number;
  /** WQCAP total WQ size. */
  totalWqSize: number;
  /** OPCAP, 8 × 32-bit words, word 0 = opcodes 0-31. */
  opCap: readonly number[];
  /** GRPCAP total read buffers (DSA; 0 on IAA). */
  maxReadBuffers: number;
  /** Engines able to run compress (0x43): ids below this number. */
  compressEngines: number;
  /** WQCAP bits the sysfs visibility depends on. */
  wqAtsSupport: boolean;
  wqPrsSupport: boolean;
  wqOccupancySupport: boolean;
  wqOpConfigSupport: boolean;
}

/** GENCAP fields (`union gen_cap_reg`). */
export function genCapBlockOnFault(genCap: number): boolean {
  return (genCap & 1) !== 0;
}
export function genCapMaxXferShift(genCap: number): number {
  return Math.floor(genCap / 0x10000) & 0x1f;
}
export function genCapMaxBatchShift(genCap: number): number {
  return Math.floor(genCap / 0x200000) & 0xf;
}
export function genCapConfigEn(genCap: number): boolean {
  return (Math.floor(genCap / 0x80000000) & 1) !== 0;
}
export function genCapEvlSupport(genCap: number): boolean {
  return (Math.floor(genCap / 0x2000) & 3) !== 0;
}

/** Sapphire Rapids IAA 1.0 (PCI 8086:0cfe). */
export const SPR_IAA_CAPS: IdxdHwCaps = {
  type: "iax",
  pciVendor: 0x8086,
  pciDevice: 0x0cfe,
  pciClass: 0x088000,
  version: 0x100,
  genCap: 0x71f10901f0105,
  maxGroups: 4,
  maxWqs: 8,
  maxEngines: 8,
  totalWqSize: 128,
  opCap: [0x0000000d, 0x00000000, 0x007f331c, 0, 0, 0, 0, 0],
  maxReadBuffers: 0,
  compressEngines: 2,
  wqAtsSupport: true,
  wqPrsSupport: false,
  wqOccupancySupport: false,
  wqOpConfigSupport: false,
};

/** Sapphire Rapids DSA 1.0 (PCI 8086:0b25); modelled for configuration only. */
export const SPR_DSA_CAPS: IdxdHwCaps = {
  type: "dsa",
  pciVendor: 0x8086,
  pciDevice: 0x0b25,
  pciClass: 0x088000,
  version: 0x100,
  genCap: 0x40915f0107,
  maxGroups: 4,
  maxWqs: 8,
  maxEngines: 4,
  totalWqSize: 128,
  opCap: [0x003f03ff, 0x00000001, 0, 0, 0, 0, 0, 0],
  maxReadBuffers: 96,
  compressEngines: 0,
  wqAtsSupport: true,
  wqPrsSupport: false,
  wqOccupancySupport: false,
  wqOpConfigSupport: false,
};

/** Whether OPCAP advertises `opcode`. */
export function opCapHas(opCap: readonly number[], opcode: number): boolean {
  return ((opCap[opcode >>> 5] ?? 0) >>> (opcode & 31)) % 2 === 1;
}
