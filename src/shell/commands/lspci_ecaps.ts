/**
 * lspci's decoding of the PCIe extended capabilities from offset 0x100
 * (pciutils 3.9 ls-ecaps.c formats): AER, LTR, ATS, PRI, PASID, DSN; other
 * IDs print their name line only, like pciutils for the ones it calls <?>,
 * or pciutils' "Extended Capability ID" line.
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

function capDsn(c: PciConf, where: number): string {
  if (!have(c, where + 4, 8)) return "";
  const t1 = cl(c, where + 4);
  const t2 = cl(c, where + 8);
  const bytes = [t2 >>> 24, (t2 >>> 16) & 0xff, (t2 >>> 8) & 0xff, t2 & 0xff, t1 >>> 24, (t1 >>> 16) & 0xff, (t1 >>> 8) & 0xff, t1 & 0xff];
  return `Device Serial Number ${bytes.map((b) => hx(b, 2)).join("-")}\n`;
}

/** IDs pciutils prints as a name with <?>. */
const NAMED_ONLY: Record<number, string> = { 0x04: "Power Budgeting <?>", 0x06: "Root Complex Internal Link <?>", 0x08: "Multi-Function Virtual Channel <?>", 0x0a: "Root Complex Register Block <?>", 0x11: "Multi-Root I/O Virtualization <?>", 0x16: "Dynamic Power Allocation <?>", 0x1a: "Protocol Multiplexing <?>", 0x1c: "LN Requester <?>", 0x20: "PCI Express over M_PHY <?>", 0x21: "FRS Queueing <?>", 0x22: "Readiness Time Reporting <?>", 0x25: "Data Link Feature <?>", 0x26: "Physical Layer 16.0 GT/s <?>", 0x27: "Lane Margining at the Receiver <?>", 0x28: "Hierarchy ID <?>", 0x29: "Native PCIe Enclosure Management <?>" };

function extCap(c: PciConf, where: number, id: number, type: number): string {
  if (id === 0x0000) return "Null\n";
  if (id === 0x0001) return capAer(c, where, type);
  if (id === 0x0003) return capDsn(c, where);
  if (id === 0x000f) return capAts(c, where);
  if (id === 0x0013) return capPri(c, where);
  if (id === 0x0018) return capLtr(c, where);
  if (id === 0x001b) return capPasid(c, where);
  const named = NAMED_ONLY[id];
  if (named !== undefined) return named + "\n";
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
