/**
 * PCI configuration space of the IAA and DSA functions (4 KiB: the type-0
 * header, the capability list and the PCIe extended capabilities), as the
 * sysfs `config` file shows it, and the BARs behind the `resource` file.
 *
 * Sources (docs/FIDELITY.md, "PCI config space"): the kernel's idxd driver
 * (BAR0 = MMIO registers, BAR2 = WQ portals, 4 pages per WQ; FLR through
 * pcie_flr; "enabling device (0140 -> 0142)" / "(0144 -> 0146)" in public SPR
 * boot logs); a public SPR DSA `lspci -vvv` (intel/idxd-config issue #46:
 * Express at 0x40, MSI-X at 0x80 with 9 vectors, table at BAR0+0x2000 and PBA
 * at BAR0+0x3000, power management v3 at 0x90, AER v2 at 0x100, LTR at
 * 0x150). The other values are chosen and listed there.
 *
 *   const cfg = idxdConfigSpace(SPR_IAA_CAPS, { bar0: 0x2000_0010_0000, bar2: 0x2000_0014_0000, irq: 16, state });
 *   cfg.length; // 4096
 */
import type { IdxdHwCaps } from "./caps.js";

/** BAR0: the MMIO registers (64 KiB, 64-bit prefetchable). */
export const IDXD_BAR0_SIZE = 0x10000;
/** BAR2: the WQ portals, 4 pages (unlimited/limited × MSI-X/IMS) per WQ. */
export function idxdBar2Size(caps: IdxdHwCaps): number {
  return caps.maxWqs * 4 * 4096;
}

/** What the kernel has done to the function. */
export interface PciFunctionState {
  /** A driver is bound (memory decode, bus mastering and MSI-X on). */
  bound: boolean;
  /** The IOMMU enabled ATS and PASID on it (scalable mode). */
  iommuScalable: boolean;
  /** The driver enabled page requests (idxd with user SVA). */
  pri: boolean;
}

export interface IdxdConfigInput {
  bar0: number;
  bar2: number;
  /** The legacy IRQ the interrupt line register holds. */
  irq: number;
  state: PciFunctionState;
}

/** PCI_COMMAND before the driver (firmware's value; DSA already has bus mastering). */
const COMMAND_FIRMWARE = { iax: 0x0140, dsa: 0x0144 } as const;
const COMMAND_MEMORY = 0x0002;
const COMMAND_MASTER = 0x0004;
const COMMAND_INTX_DISABLE = 0x0400;

/** Capability offsets of the layout. */
export const IDXD_CAP = { express: 0x40, msix: 0x80, pm: 0x90, aer: 0x100, ltr: 0x150, ats: 0x160, pasid: 0x170, pri: 0x180 } as const;

/** The 4096 bytes of the function's configuration space. */
export function idxdConfigSpace(caps: IdxdHwCaps, inp: IdxdConfigInput): Uint8Array {
  const b = new Uint8Array(4096);
  const dv = new DataView(b.buffer);
  const w16 = (o: number, v: number): void => dv.setUint16(o, v, true);
  const w32 = (o: number, v: number): void => dv.setUint32(o, v >>> 0, true);
  const { state } = inp;
  // --- type-0 header
  w16(0x00, caps.pciVendor);
  w16(0x02, caps.pciDevice);
  let cmd: number = COMMAND_FIRMWARE[caps.type];
  if (state.bound) cmd |= COMMAND_MEMORY | COMMAND_MASTER | COMMAND_INTX_DISABLE;
  w16(0x04, cmd);
  w16(0x06, 0x0010); // capability list; DEVSEL fast
  b[0x08] = 0x01; // revision
  b[0x09] = caps.pciClass & 0xff;
  b[0x0a] = (caps.pciClass >> 8) & 0xff;
  b[0x0b] = (caps.pciClass >> 16) & 0xff;
  const bar64 = (off: number, addr: number): void => {
    w32(off, (addr % 0x100000000) | 0x0c); // memory, 64-bit, prefetchable
    w32(off + 4, Math.floor(addr / 0x100000000));
  };
  bar64(0x10, inp.bar0);
  bar64(0x18, inp.bar2);
  w16(0x2c, 0x8086);
  w16(0x2e, 0x0000);
  b[0x34] = IDXD_CAP.express;
  b[0x3c] = inp.irq & 0xff;
  b[0x3d] = 0x01; // INTA#
  // --- PCI Express: v2, root complex integrated endpoint
  let o: number = IDXD_CAP.express;
  b[o] = 0x10;
  b[o + 1] = IDXD_CAP.msix;
  w16(o + 2, 0x0092);
  w32(o + 4, 0x10008021); // DevCap: MaxPayload 256, ExtTag, RBE, FLR
  w16(o + 8, 0x213f); // DevCtl: error reporting, RlxdOrd, ExtTag, MaxPayload 256, MaxReadReq 512
  w32(o + 0x24, 0x00000813); // DevCap2: timeout ranges AB, TimeoutDis, LTR
  w16(o + 0x28, 0x0010); // DevCtl2: TimeoutDis
  // --- MSI-X: one vector for misc events + one per WQ
  o = IDXD_CAP.msix;
  b[o] = 0x11;
  b[o + 1] = IDXD_CAP.pm;
  w16(o + 2, (state.bound ? 0x8000 : 0) | caps.maxWqs);
  w32(o + 4, 0x2000);
  w32(o + 8, 0x3000);
  // --- power management v3, D0, NoSoftRst
  o = IDXD_CAP.pm;
  b[o] = 0x01;
  b[o + 1] = 0x00;
  w16(o + 2, 0x0003);
  w16(o + 4, 0x0008);
  // --- extended capabilities
  const ext = (off: number, id: number, ver: number, next: number): void => w32(off, id | (ver << 16) | (next << 20));
  o = IDXD_CAP.aer;
  ext(o, 0x0001, 2, IDXD_CAP.ltr);
  w32(o + 0x08, 0x00100000); // UEMsk: UnsupReq
  w32(o + 0x0c, 0x00040000); // UESvrt: MalfTLP
  ext(IDXD_CAP.ltr, 0x0018, 1, IDXD_CAP.ats);
  o = IDXD_CAP.ats;
  ext(o, 0x000f, 1, IDXD_CAP.pasid);
  w16(o + 4, 0x0020); // page-aligned requests, invalidate queue depth 0 (= 32)
  w16(o + 6, state.iommuScalable ? 0x8000 : 0);
  o = IDXD_CAP.pasid;
  ext(o, 0x001b, 1, IDXD_CAP.pri);
  w16(o + 4, 0x1404); // Priv, 20-bit PASIDs
  w16(o + 6, state.iommuScalable ? 0x0005 : 0); // Enable, Priv
  o = IDXD_CAP.pri;
  ext(o, 0x0013, 1, 0);
  w16(o + 4, state.pri ? 0x0001 : 0);
  w16(o + 6, state.pri ? 0 : 0x0100); // Stopped while disabled
  w32(o + 8, 0x200); // outstanding page request capacity
  w32(o + 12, state.pri ? 0x200 : 0);
  return b;
}

/** The sysfs `resource` file: 13 lines of start, end, flags (IORESOURCE_*; 6 BARs, ROM, 6 IOV BARs). */
export function idxdResourceText(caps: IdxdHwCaps, bar0: number, bar2: number): string {
  const flags = 0x14220c; // IORESOURCE_MEM | PREFETCH | MEM_64 | SIZEALIGN, with the BAR's low bits
  const line = (start: number, size: number, f: number): string => {
    const h = (n: number): string => "0x" + n.toString(16).padStart(16, "0");
    return size === 0 ? `${h(0)} ${h(0)} ${h(0)}\n` : `${h(start)} ${h(start + size - 1)} ${h(f)}\n`;
  };
  let s = line(bar0, IDXD_BAR0_SIZE, flags) + line(0, 0, 0) + line(bar2, idxdBar2Size(caps), flags);
  for (let i = 3; i < 13; i++) s += line(0, 0, 0);
  return s;
}
