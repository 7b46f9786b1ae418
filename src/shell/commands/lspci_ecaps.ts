/**
 * lspci's decoding of the PCIe extended capabilities from offset 0x100
 * (pciutils 3.9 ls-ecaps.c formats): AER, LTR, TPH, VC, DVSEC, ATS, PRI,
 * PASID, DSN; the IDs pciutils shows as a name with <?> likewise; the others
 * pciutils decodes (ACS, ARI, SR-IOV, DPC, ...) say they are not decoded here.
 */
import { cl, cw, flag, have, hx, type PciConf } from "./lspci_conf.js";

const EXP_ROOT_PORT = 4;
const EXP_ROOT_EC = 10;

const UNC = (l: number): string =>
  `DLP${flag(l, 0x10)} SDES${flag(l, 0x20)} TLP${flag(l, 0x1000)} FCP${flag(l, 0x2000)} CmpltTO${flag(l, 0x4000)} CmpltAbrt${flag(l, 0x8000)} UnxCmplt${flag(l, 0x10000)} RxOF${flag(l, 0x20000)} MalfTLP${flag(l, 0x40000)} ECRC${flag(l, 0x80000)} UnsupReq${flag(l, 0x100000)} ACSViol${flag(l, 0x200000)}`;
const COR = (l: number): string => `RxErr${flag(l, 0x1)} BadTLP${flag(l, 0x40)} BadDLLP${flag(l, 0x80)} Rollover${flag(l, 0x100)} Timeout${flag(l, 0x1000)} AdvNonFatalErr${flag(l, 0x2000)}`;

function capAer(c: PciConf, where: number, type: number): string {
  let s = "Advanced Error Reporting\n";
  if (c.verbose < 2 || !have(c, where + 4, 40)) return s;
  s += `\t\tUESta:\t${UNC(cl(c, where + 4))}\n`;
  s += `\t\tUEMsk:\t${UNC(cl(c, where + 8))}\n`;
  s += `\t\tUESvrt:\t${UNC(cl(c, where + 12))}\n`;
  s += `\t\tCESta:\t${COR(cl(c, where + 16))}\n`;
  s += `\t\tCEMsk:\t${COR(cl(c, where + 20))}\n`;
  const l = cl(c, where + 24);
  s += `\t\tAERCap:\tFirst Error Pointer: ${hx(l & 31, 2)}, ECRCGenCap${flag(l, 0x20)} ECRCGenEn${flag(l, 0x40)} ECRCChkCap${flag(l, 0x80)} ECRCChkEn${flag(l, 0x100)}\n`;
  s += `\t\t\tMultHdrRecCap${flag(l, 0x200)} MultHdrRecEn${flag(l, 0x400)} TLPPfxPres${flag(l, 0x800)} HdrLogCap${flag(l, 0x1000)}\n`;
  s += `\t\tHeaderLog: ${[0, 4, 8, 12].map((k) => hx(cl(c, where + 28 + k), 8)).join(" ")}\n`;
  if (type === EXP_ROOT_PORT || type === EXP_ROOT_EC) s += "\t\t<root error registers not decoded by this lspci>\n";
  return s;
}

function capLtr(c: PciConf, where: number): string {
  let s = "Latency Tolerance Reporting\n";
  if (c.verbose < 2 || !have(c, where + 4, 4)) return s;
  const lat = (v: number): string => String((v & 0x3ff) * 2 ** (((v >> 10) & 7) * 5));
  s += `\t\tMax snoop latency: ${lat(cw(c, where + 4))}ns\n`;
  s += `\t\tMax no snoop latency: ${lat(cw(c, where + 6))}ns\n`;
  return s;
}

function capAts(c: PciConf, where: number): string {
  let s = "Address Translation Service (ATS)\n";
  if (c.verbose < 2 || !have(c, where + 4, 4)) return s;
  s += `\t\tATSCap:\tInvalidate Queue Depth: ${hx(cw(c, where + 4) & 0x1f, 2)}\n`;
  const w = cw(c, where + 6);
  s += `\t\tATSCtl:\tEnable${flag(w, 0x8000)}, Smallest Translation Unit: ${hx(w & 0x1f, 2)}\n`;
  return s;
}

function capPri(c: PciConf, where: number): string {
  let s = "Page Request Interface (PRI)\n";
  if (c.verbose < 2 || !have(c, where + 4, 12)) return s;
  const w = cw(c, where + 4);
  s += `\t\tPRICtl: Enable${flag(w, 1)} Reset${flag(w, 2)}\n`;
  const st = cw(c, where + 6);
  s += `\t\tPRISta: RF${flag(st, 1)} UPRGI${flag(st, 2)} Stopped${flag(st, 0x100)}\n`;
  s += `\t\tPage Request Capacity: ${hx(cl(c, where + 8), 8)}, Page Request Allocation: ${hx(cl(c, where + 12), 8)}\n`;
  return s;
}

function capPasid(c: PciConf, where: number): string {
  let s = "Process Address Space ID (PASID)\n";
  if (c.verbose < 2 || !have(c, where + 4, 4)) return s;
  const w = cw(c, where + 4);
  s += `\t\tPASIDCap: Exec${flag(w, 2)} Priv${flag(w, 4)}, Max PASID Width: ${hx((w >> 8) & 0x1f, 2)}\n`;
  const t = cw(c, where + 6);
  s += `\t\tPASIDCtl: Enable${flag(t, 1)} Exec${flag(t, 2)} Priv${flag(t, 4)}\n`;
  return s;
}

function capTph(c: PciConf, where: number): string {
  let s = "Transaction Processing Hints\n";
  if (c.verbose < 2 || !have(c, where + 4, 4)) return s;
  const t = cl(c, where + 4);
  if ((t & 0x2) !== 0) s += "\t\tInterrupt vector mode supported\n";
  if ((t & 0x4) !== 0) s += "\t\tDevice specific mode supported\n";
  if ((t & 0x100) !== 0) s += "\t\tExtended requester support\n";
  s += ["\t\tNo steering table available\n", "\t\tSteering table in TPH capability structure\n", "\t\tSteering table in MSI-X table\n", "\t\tReserved steering table location\n"][(t >> 9) & 3];
  return s;
}

/** tab[i], or "??i" past its end (pciutils' TABLE()). */
const table = (tab: readonly string[], i: number): string => tab[i] ?? `??${i}`;
const ARB = ["Fixed", "WRR32", "WRR64", "WRR128", "??4", "??5", "??6", "??7"];
const VC_ARB = ["Fixed", "WRR32", "WRR64", "WRR128", "TWRR128", "WRR256", "??6", "??7"];
const arbFlags = (names: readonly string[], v: number): string => {
  let s = "";
  for (let i = 0; i < 8; i++) if (!names[i]!.startsWith("?") || (v & (1 << i)) !== 0) s += `${i === 0 ? "\t" : " "}${names[i]}${flag(v, 1 << i)}`;
  return s;
};

function capVc(c: PciConf, where: number): string {
  let s = "Virtual Channel\n";
  if (c.verbose < 2 || !have(c, where + 4, 0x18)) return s;
  const cr1 = cl(c, where + 4);
  const cr2 = cl(c, where + 8);
  const ctrl = cw(c, where + 12);
  const status = cw(c, where + 14);
  const evc = cr1 & 7;
  s += `\t\tCaps:\tLPEVC=${(cr1 >> 4) & 7} RefClk=${table(["100ns"], (cr1 >> 8) & 3)} PATEntryBits=${1 << ((cr1 >> 10) & 3)}\n`;
  s += `\t\tArb:${arbFlags(ARB, cr2)}\n`;
  s += `\t\tCtrl:\tArbSelect=${table(ARB, (ctrl >> 1) & 7)}\n`;
  s += `\t\tStatus:\tInProgress${flag(status, 1)}\n`;
  const patPos = cr2 >>> 24;
  if (patPos !== 0) s += `\t\tPort Arbitration Table [${(where + 16 * patPos).toString(16)}] <?>\n`;
  for (let i = 0; i <= evc; i++) {
    const pos = where + 16 + 12 * i;
    s += `\t\tVC${i}:\t`;
    if (!have(c, pos, 12)) {
      s += "<unreadable>\n";
      continue;
    }
    const rcap = cl(c, pos);
    const rctrl = cl(c, pos + 4);
    const rstatus = cw(c, pos + 10);
    const pat = rcap >>> 24;
    s += `Caps:\tPATOffset=${hx(pat, 2)} MaxTimeSlots=${((rcap >> 16) & 0x7f) + 1} RejSnoopTrans${flag(rcap, 1 << 15)}\n`;
    s += `\t\t\tArb:${arbFlags(VC_ARB, rcap)}\n`;
    s += `\t\t\tCtrl:\tEnable${flag(rctrl, 0x80000000)} ID=${(rctrl >> 24) & 7} ArbSelect=${table(VC_ARB, (rctrl >> 17) & 7)} TC/VC=${hx(rctrl & 0xff, 2)}\n`;
    s += `\t\t\tStatus:\tNegoPending${flag(rstatus, 2)} InProgress${flag(rstatus, 1)}\n`;
    if (pat !== 0) s += "\t\t\tPort Arbitration Table <?>\n";
  }
  return s;
}

function capDvsec(c: PciConf, where: number): string {
  let s = "Designated Vendor-Specific: ";
  if (!have(c, where + 4, 8)) return s + "<unreadable>\n";
  const hdr = cl(c, where + 4);
  const vendor = hdr & 0xffff;
  const len = hdr >>> 20;
  s += `Vendor=${hx(vendor, 4)} ID=${hx(cw(c, where + 8), 4)} Rev=${(hdr >> 16) & 0xf} Len=${len}`;
  // CXL's DVSECs (vendor 1e98) are decoded by pciutils; not by this lspci
  return s + (vendor === 0x1e98 && len >= 16 ? " <CXL not decoded by this lspci>\n" : " <?>\n");
}

function capDsn(c: PciConf, where: number): string {
  if (!have(c, where + 4, 8)) return "";
  const t1 = cl(c, where + 4);
  const t2 = cl(c, where + 8);
  const bytes = [t2 >>> 24, (t2 >>> 16) & 0xff, (t2 >>> 8) & 0xff, t2 & 0xff, t1 >>> 24, (t1 >>> 16) & 0xff, (t1 >>> 8) & 0xff, t1 & 0xff];
  return `Device Serial Number ${bytes.map((b) => hx(b, 2)).join("-")}\n`;
}

/** IDs pciutils prints as a name with <?>. */
const NAMED_ONLY: Record<number, string> = { 0x04: "Power Budgeting <?>", 0x06: "Root Complex Internal Link <?>", 0x08: "Multi-Function Virtual Channel <?>", 0x0a: "Root Complex Register Block <?>", 0x11: "Multi-Root I/O Virtualization <?>", 0x16: "Dynamic Power Allocation <?>", 0x1a: "Protocol Multiplexing <?>", 0x1c: "LN Requester <?>", 0x20: "PCI Express over M_PHY <?>", 0x21: "FRS Queueing <?>", 0x22: "Readiness Time Reporting <?>", 0x25: "Data Link Feature <?>", 0x26: "Physical Layer 16.0 GT/s <?>", 0x27: "Lane Margining at the Receiver <?>", 0x28: "Hierarchy ID <?>", 0x29: "Native PCIe Enclosure Management <?>" };

/** IDs pciutils decodes that this lspci does not (their name lines, pciutils' words). */
const NOT_DECODED: Record<number, string> = { 0x05: "Root Complex Link", 0x07: "Root Complex Event Collector", 0x0b: "Vendor Specific Information", 0x0d: "Access Control Services", 0x0e: "Alternative Routing-ID Interpretation (ARI)", 0x10: "Single Root I/O Virtualization (SR-IOV)", 0x12: "Multicast", 0x15: "Physical Resizable BAR", 0x19: "Secondary PCI Express", 0x1d: "Downstream Port Containment", 0x1e: "L1 PM Substates", 0x1f: "Precision Time Measurement", 0x24: "VF Resizable BAR", 0x2e: "Data Object Exchange" };

function extCap(c: PciConf, where: number, id: number, type: number): string {
  if (id === 0x0000) return "Null\n";
  if (id === 0x0001) return capAer(c, where, type);
  if (id === 0x0002 || id === 0x0009) return capVc(c, where);
  if (id === 0x0003) return capDsn(c, where);
  if (id === 0x0017) return capTph(c, where);
  if (id === 0x0023) return capDvsec(c, where);
  if (id === 0x000f) return capAts(c, where);
  if (id === 0x0013) return capPri(c, where);
  if (id === 0x0018) return capLtr(c, where);
  if (id === 0x001b) return capPasid(c, where);
  const named = NAMED_ONLY[id];
  if (named !== undefined) return named + "\n";
  const undecoded = NOT_DECODED[id];
  if (undecoded !== undefined) return `${undecoded} <not decoded by this lspci>\n`;
  return `Extended Capability ID ${id === 0 ? "0" : "0x" + id.toString(16)}\n`;
}

export function showExtCaps(c: PciConf, type: number): string {
  let s = "";
  const seen = new Uint8Array(0x1000);
  let where = 0x100;
  do {
    if (!have(c, where, 4)) break;
    const header = cl(c, where);
    if (header === 0 || header === 0xffffffff) break;
    const id = header & 0xffff;
    s += `\tCapabilities: [${hx(where, 3)}${c.verbose > 1 ? ` v${(header >>> 16) & 0xf}` : ""}] `;
    if (seen[where]++ !== 0) {
      s += "<chain looped>\n";
      break;
    }
    s += extCap(c, where, id, type);
    where = (header >>> 20) & ~3;
  } while (where !== 0);
  return s;
}
