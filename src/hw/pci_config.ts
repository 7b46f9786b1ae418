/**
 * PCI configuration space of the IAA and DSA functions (4 KiB: the type-0
 * header, the capability list and the PCIe extended capabilities), as the
 * sysfs `config` file shows it, and the BARs behind the `resource` file.
 *
 * Sources (docs/FIDELITY.md, "PCI config space"): a public `lspci -vvv` of an
 * SPR DSA (6a:01.0, idxd bound, scalable-mode IOMMU) gives every decoded
 * field: the capability layout (Express v2 RCiEP at 0x40, MSI-X at 0x80, PM at
 * 0x90; AER, LTR, TPH, VC, Intel DVSEC 5, ATS, PASID, PRI from 0x100), the
 * register values lspci decodes, and the BARs (BAR0 64 KiB registers, BAR2
 * 128 KiB portals, both 64-bit prefetchable); intel/idxd-config issue #46
 * shows the same first part. Public boot logs give the command register before
 * and after idxd ("enabling device (0140 -> 0142)" IAA, "(0144 -> 0146)" DSA);
 * public listings show revision 00. The IAA function is given the DSA's layout
 * (no public IAA dump found); bytes lspci does not decode are zero but the
 * ATS page-aligned-request bit (hardwired to 1 by PCIe 4.0+).
 *
 *   const cfg = idxdConfigSpace(SPR_IAA_CAPS, { bar0: 0x206ffff40000, bar2: 0x206ffff00000, state });
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
  /** A driver is bound (memory decoding, bus mastering and MSI-X on). */
  bound: boolean;
  /** A driver was bound once (pci_disable_device left memory decoding on; the PRI allocation stays). */
  everBound: boolean;
  /** The IOMMU enabled ATS and PASID on it (scalable mode). */
  iommuScalable: boolean;
  /** The driver enabled page requests (idxd with user SVA). */
  pri: boolean;
}

export interface IdxdConfigInput {
  bar0: number;
  bar2: number;
  state: PciFunctionState;
}

/** PCI_COMMAND before the driver: firmware's value ("enabling device (0140 -> 0142)", DSA "(0144 -> 0146)"). */
const COMMAND_FIRMWARE = { iax: 0x0140, dsa: 0x0144 } as const;
const COMMAND_MEMORY = 0x0002;
const COMMAND_MASTER = 0x0004;

/** Capability offsets (the public SPR DSA dump's layout). */
export const IDXD_CAP = { express: 0x40, msix: 0x80, pm: 0x90, aer: 0x100, ltr: 0x150, tph: 0x160, vc: 0x170, dvsec: 0x200, ats: 0x220, pasid: 0x230, pri: 0x240 } as const;

/** Page requests the function can have outstanding (PRI capacity) and the IOMMU's allocation (min(capacity, PRQ depth)). */
const PRI_CAPACITY = 0x200;

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
  if (state.bound) cmd |= COMMAND_MEMORY | COMMAND_MASTER;
  else if (state.everBound) cmd = (cmd | COMMAND_MEMORY) & ~COMMAND_MASTER;
  w16(0x04, cmd);
  w16(0x06, 0x0010); // capability list; DEVSEL fast
  b[0x08] = 0x00; // revision
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
  // interrupt line and pin 0: no INTx (MSI-X only)
  // --- PCI Express v2, root complex integrated endpoint
  let o: number = IDXD_CAP.express;
  b[o] = 0x10;
  b[o + 1] = IDXD_CAP.msix;
  w16(o + 2, 0x0092);
  w32(o + 4, 0x10008020); // DevCap: MaxPayload 128, ExtTag, RBE, FLR
  w16(o + 8, 0x5917); // DevCtl: CorrErr NonFatalErr FatalErr, RlxdOrd ExtTag NoSnoop, MaxPayload 128, MaxReadReq 4096
  w32(o + 0x24, 0x00730810); // DevCap2: TimeoutDis, LTR, 10-bit tags, ExtFmt, one end-end TLP prefix
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
  w16(o + 2, 0x0003);
  w16(o + 4, 0x0008);
  // --- extended capabilities
  const ext = (off: number, id: number, ver: number, next: number): void => w32(off, id | (ver << 16) | (next << 20));
  o = IDXD_CAP.aer;
  ext(o, 0x0001, 2, IDXD_CAP.ltr);
  w32(o + 0x08, 0x00100000); // UEMsk: UnsupReq
  w32(o + 0x0c, 0x00040000); // UESvrt: MalfTLP
  ext(IDXD_CAP.ltr, 0x0018, 1, IDXD_CAP.tph);
  ext(IDXD_CAP.tph, 0x0017, 1, IDXD_CAP.vc);
  w32(IDXD_CAP.tph + 4, 0x0204); // device-specific mode; steering table in the capability
  o = IDXD_CAP.vc;
  ext(o, 0x0002, 1, IDXD_CAP.dvsec);
  w32(o + 4, 0x11); // one extended VC, one low-priority extended VC
  w32(o + 8, 0x01); // fixed arbitration
  w32(o + 0x14, 0x800000fd); // VC0: enabled, TC/VC map fd
  w32(o + 0x20, 0x81000002); // VC1: enabled, ID 1, TC/VC map 02
  o = IDXD_CAP.dvsec;
  ext(o, 0x0023, 1, IDXD_CAP.ats);
  w32(o + 4, 0x8086 | (0 << 16) | (24 << 20)); // Intel, revision 0, 24 bytes
  w16(o + 8, 0x0005); // Intel's Scalable IOV DVSEC
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
  w16(o + 6, 0x0100); // Stopped: no page request outstanding
  w32(o + 8, PRI_CAPACITY);
  w32(o + 12, state.pri || (state.everBound && state.iommuScalable) ? PRI_CAPACITY : 0);
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
