/**
 * lspci's decoding of the capability list (pciutils 3.9 ls-caps.c formats):
 * power management, MSI, MSI-X and PCI Express (device registers, device 2
 * registers); the extended capabilities follow in lspci_ecaps.ts. Other
 * capability IDs print pciutils' "Capability ID" line.
 */
import { cb, cl, cw, flag, have, hx, type PciConf } from "./lspci_conf.js";
import { showExtCaps } from "./lspci_ecaps.js";

const EXP_TYPE = { endpoint: 0, legacy: 1, rootPort: 4, upstream: 5, downstream: 6, pciBridge: 7, pcieBridge: 8, rcEndpoint: 9, rcEc: 10 } as const;

function capPm(c: PciConf, where: number, cap: number): string {
  const aux = [0, 55, 100, 160, 220, 270, 320, 375];
  let s = `Power Management version ${cap & 7}\n`;
  if (c.verbose < 2) return s;
  s += `\t\tFlags: PMEClk${flag(cap, 0x8)} DSI${flag(cap, 0x20)} D1${flag(cap, 0x200)} D2${flag(cap, 0x400)} AuxCurrent=${aux[(cap & 0x1c0) >> 6]}mA PME(D0${flag(cap, 0x800)},D1${flag(cap, 0x1000)},D2${flag(cap, 0x2000)},D3hot${flag(cap, 0x4000)},D3cold${flag(cap, 0x8000)})\n`;
  if (!have(c, where + 4, 4)) return s;
  const t = cw(c, where + 4);
  s += `\t\tStatus: D${t & 3} NoSoftRst${flag(t, 0x8)} PME-Enable${flag(t, 0x100)} DSel=${(t & 0x1e00) >> 9} DScale=${(t & 0x6000) >> 13} PME${flag(t, 0x8000)}\n`;
  const b = cb(c, where + 6);
  if (b !== 0) s += `\t\tBridge: PM${flag(b, 0x80)} B3${flag(~b, 0x40)}\n`;
  return s;
}

function capMsi(c: PciConf, where: number, cap: number): string {
  const is64 = (cap & 0x80) !== 0;
  let s = `MSI: Enable${flag(cap, 1)} Count=${1 << ((cap & 0x70) >> 4)}/${1 << ((cap & 0x0e) >> 1)} Maskable${flag(cap, 0x100)} 64bit${flag(cap, 0x80)}\n`;
  if (c.verbose < 2 || !have(c, where + 4, is64 ? 10 : 6)) return s;
  s += "\t\tAddress: ";
  const data = cw(c, where + (is64 ? 12 : 8));
  if (is64) s += hx(cl(c, where + 8), 8);
  s += `${hx(cl(c, where + 4), 8)}  Data: ${hx(data, 4)}\n`;
  if ((cap & 0x100) !== 0) {
    const m = where + (is64 ? 16 : 12);
    if (!have(c, m, 8)) return s;
    s += `\t\tMasking: ${hx(cl(c, m), 8)}  Pending: ${hx(cl(c, m + 4), 8)}\n`;
  }
  return s;
}

function capMsix(c: PciConf, where: number, cap: number): string {
  let s = `MSI-X: Enable${flag(cap, 0x8000)} Count=${(cap & 0x7ff) + 1} Masked${flag(cap, 0x4000)}\n`;
  if (c.verbose < 2 || !have(c, where + 4, 8)) return s;
  const t = cl(c, where + 4);
  const p = cl(c, where + 8);
  s += `\t\tVector table: BAR=${t & 7} offset=${hx((t & ~7) >>> 0, 8)}\n`;
  s += `\t\tPBA: BAR=${p & 7} offset=${hx((p & ~7) >>> 0, 8)}\n`;
  return s;
}

const L0S = ["<64ns", "<128ns", "<256ns", "<512ns", "<1us", "<2us", "<4us", "unlimited"];
const L1 = ["<1us", "<2us", "<4us", "<8us", "<16us", "<32us", "<64us", "unlimited"];

function powerLimit(value: number, scale: number): string {
  if (scale === 0 && value === 0xff) return ">600W";
  const v = scale === 0 && value >= 0xf0 && value <= 0xfe ? 250 + 25 * (value - 0xf0) : value;
  // %g of value × {1, 0.1, 0.01, 0.001}
  return `${Number((v * [1, 0.1, 0.01, 0.001][scale]!).toPrecision(6))}W`;
}

function expressDev(c: PciConf, where: number, type: number): string {
  const ep = type === EXP_TYPE.endpoint || type === EXP_TYPE.legacy;
  const t = cl(c, where + 4);
  let s = `\t\tDevCap:\tMaxPayload ${128 << (t & 7)} bytes, PhantFunc ${(1 << ((t & 0x18) >> 3)) - 1}`;
  if (ep) s += `, Latency L0s ${L0S[(t & 0x1c0) >> 6]}, L1 ${L1[(t & 0xe00) >> 9]}`;
  s += `\n\t\t\tExtTag${flag(t, 0x20)}`;
  if (ep || type === EXP_TYPE.upstream || type === EXP_TYPE.pciBridge) s += ` AttnBtn${flag(t, 0x1000)} AttnInd${flag(t, 0x2000)} PwrInd${flag(t, 0x4000)}`;
  s += ` RBE${flag(t, 0x8000)}`;
  const flrType = ep || type === EXP_TYPE.rcEndpoint;
  if (flrType) s += ` FLReset${flag(t, 0x10000000)}`;
  if (type === EXP_TYPE.endpoint || type === EXP_TYPE.upstream || type === EXP_TYPE.pciBridge) s += ` SlotPowerLimit ${powerLimit((t & 0x3fc0000) >>> 18, (t & 0xc000000) >>> 26)}`;
  s += "\n";
  const w = cw(c, where + 8);
  s += `\t\tDevCtl:\tCorrErr${flag(w, 1)} NonFatalErr${flag(w, 2)} FatalErr${flag(w, 4)} UnsupReq${flag(w, 8)}\n`;
  s += `\t\t\tRlxdOrd${flag(w, 0x10)} ExtTag${flag(w, 0x100)} PhantFunc${flag(w, 0x200)} AuxPwr${flag(w, 0x400)} NoSnoop${flag(w, 0x800)}`;
  if (type === EXP_TYPE.pciBridge) s += ` BrConfRtry${flag(w, 0x8000)}`;
  if (flrType && (t & 0x10000000) !== 0) s += ` FLReset${flag(w, 0x8000)}`;
  s += `\n\t\t\tMaxPayload ${128 << ((w & 0xe0) >> 5)} bytes, MaxReadReq ${128 << ((w & 0x7000) >> 12)} bytes\n`;
  const st = cw(c, where + 10);
  s += `\t\tDevSta:\tCorrErr${flag(st, 1)} NonFatalErr${flag(st, 2)} FatalErr${flag(st, 4)} UnsupReq${flag(st, 8)} AuxPwr${flag(st, 0x10)} TransPend${flag(st, 0x20)}\n`;
  return s;
}

const TIMEOUT_RANGE: Record<number, string> = { 0: "Not Supported", 1: "Range A", 2: "Range B", 3: "Range AB", 6: "Range BC", 7: "Range ABC", 14: "Range BCD", 15: "Range ABCD" };
const TIMEOUT_VALUE: Record<number, string> = { 0: "50us to 50ms", 1: "50us to 100us", 2: "1ms to 10ms", 5: "16ms to 55ms", 6: "65ms to 210ms", 9: "260ms to 900ms", 10: "1s to 3.5s", 13: "4s to 13s", 14: "17s to 64s" };
const OBFF_CAP = ["Not Supported", "Via message", "Via WAKE#", "Via message/WAKE#"];
const EPR = ["Not Supported", "Dev Specific", "Form Factor Dev Specific", "Reserved"];
const LN_CLS = ["Not Supported", "64byte cachelines", "128byte cachelines", "Reserved"];
const TPH_COMP = ["TPHComp- ExtTPHComp-", "TPHComp+ ExtTPHComp-", "", "TPHComp+ ExtTPHComp+"];
const OBFF_CTL = ["Disabled", "Via message A", "Via message B", "Via WAKE#"];

function expressDev2(c: PciConf, where: number, type: number): string {
  const rp = type === EXP_TYPE.rootPort;
  const switchPort = type === EXP_TYPE.upstream || type === EXP_TYPE.downstream;
  const l = cl(c, where + 0x24);
  let s = `\t\tDevCap2: Completion Timeout: ${TIMEOUT_RANGE[l & 0xf] ?? "Unknown"}, TimeoutDis${flag(l, 0x10)} NROPrPrP${flag(l, 0x400)} LTR${flag(l, 0x800)}`;
  s += `\n\t\t\t 10BitTagComp${flag(l, 0x10000)} 10BitTagReq${flag(l, 0x20000)} OBFF ${OBFF_CAP[(l >>> 18) & 3]}, ExtFmt${flag(l, 0x100000)} EETLPPrefix${flag(l, 0x200000)}`;
  if ((l & 0x200000) !== 0) s += `, MaxEETLPPrefixes ${(l >>> 22) & 3 || 4}`;
  s += `\n\t\t\t EmergencyPowerReduction ${EPR[(l >>> 24) & 3]}, EmergencyPowerReductionInit${flag(l, 0x4000000)}`;
  s += `\n\t\t\t FRS${flag(l, 0x80000000)}`;
  if (rp) s += ` LN System CLS ${LN_CLS[(l >>> 14) & 3]},`;
  if (rp || type === EXP_TYPE.endpoint) s += ` ${TPH_COMP[(l >>> 12) & 3]}`;
  s += rp || type === EXP_TYPE.downstream ? ` ARIFwd${flag(l, 0x20)}\n` : "\n";
  if (rp || switchPort || c.hasMemBar) {
    s += "\t\t\t AtomicOpsCap:";
    if (rp || switchPort) s += ` Routing${flag(l, 0x40)}`;
    if (rp || c.hasMemBar) s += ` 32bit${flag(l, 0x80)} 64bit${flag(l, 0x100)} 128bitCAS${flag(l, 0x200)}`;
    s += "\n";
  }
  const w = cw(c, where + 0x28);
  s += `\t\tDevCtl2: Completion Timeout: ${TIMEOUT_VALUE[w & 0xf] ?? "Unknown"}, TimeoutDis${flag(w, 0x10)} LTR${flag(w, 0x400)} 10BitTagReq${flag(w, 0x1000)} OBFF ${OBFF_CTL[(w >> 13) & 3]},`;
  s += rp || type === EXP_TYPE.downstream ? ` ARIFwd${flag(w, 0x20)}\n` : "\n";
  const reqType = rp || type === EXP_TYPE.endpoint || type === EXP_TYPE.rcEndpoint || type === EXP_TYPE.legacy;
  if (reqType || switchPort) {
    s += "\t\t\t AtomicOpsCtl:";
    if (reqType) s += ` ReqEn${flag(w, 0x40)}`;
    if (rp || switchPort) s += ` EgressBlck${flag(w, 0x80)}`;
    s += "\n";
  }
  return s;
}

const EXP_NAMES: Record<number, (cap: number) => string> = {
  0: () => "Endpoint",
  1: () => "Legacy Endpoint",
  4: (cap) => `Root Port (Slot${flag(cap, 0x100)})`,
  5: () => "Upstream Port",
  6: (cap) => `Downstream Port (Slot${flag(cap, 0x100)})`,
  7: () => "PCI-Express to PCI/PCI-X Bridge",
  8: (cap) => `PCI/PCI-X to PCI-Express Bridge (Slot${flag(cap, 0x100)})`,
  9: () => "Root Complex Integrated Endpoint",
  10: () => "Root Complex Event Collector",
};

function capExpress(c: PciConf, where: number, cap: number): { text: string; type: number } {
  const type = (cap & 0xf0) >> 4;
  let s = "Express " + (c.verbose >= 2 ? `(v${cap & 0xf}) ` : "");
  s += (EXP_NAMES[type] ?? (() => `Unknown type ${type}`))(cap);
  s += `, MSI ${hx((cap & 0x3e00) >> 9, 2)}\n`;
  if (c.verbose < 2) return { text: s, type };
  const size = type === EXP_TYPE.rootPort || type === EXP_TYPE.rcEc ? 32 : 16;
  if (!have(c, where + 4, size)) return { text: s, type };
  s += expressDev(c, where, type);
  if (type !== EXP_TYPE.rcEndpoint && type !== EXP_TYPE.rcEc) {
    // the link, slot and root registers of ports and of non-integrated endpoints (and what follows them) are not decoded here
    return { text: s + "\t\t<link registers not decoded by this lspci>\n", type };
  }
  if (type === EXP_TYPE.rcEc) s += "\t\t<root registers not decoded by this lspci>\n";
  if ((cap & 0xf) < 2 || !have(c, where + 0x24, 16)) return { text: s, type };
  s += expressDev2(c, where, type);
  return { text: s, type };
}

/** Capabilities pciutils prints as one name line. */
const NAMED: Record<number, string> = { 0x00: "Null", 0x06: "CompactPCI hot-swap <?>", 0x0b: "CompactPCI central resource control <?>", 0x0c: "Hot-plug capable", 0x0e: "AGP3 <?>", 0x0f: "Secure device <?>" };
/** Capabilities pciutils decodes that this lspci does not (pciutils' names). */
const NOT_DECODED: Record<number, string> = { 0x02: "AGP", 0x03: "Vital Product Data", 0x07: "PCI-X", 0x08: "HyperTransport", 0x09: "Vendor Specific Information", 0x0d: "Subsystem", 0x12: "SATA HBA", 0x14: "Enhanced Allocation (EA)" };

function capAf(c: PciConf, where: number): string {
  let s = "PCI Advanced Features\n";
  if (c.verbose < 2 || !have(c, where + 3, 3)) return s;
  const capb = cb(c, where + 3);
  s += `\t\tAFCap: TP${flag(capb, 1)} FLR${flag(capb, 2)}\n`;
  s += `\t\tAFCtrl: FLR${flag(cb(c, where + 4), 1)}\n`;
  s += `\t\tAFStatus: TP${flag(cb(c, where + 5), 1)}\n`;
  return s;
}

function simpleCap(c: PciConf, where: number, id: number, cap: number): string {
  const named = NAMED[id];
  if (named !== undefined) return named + "\n";
  if (id === 0x04) return `Slot ID: ${cap & 0x1f} slots, First${flag(cap, 0x20)}, chassis ${hx(cap >> 8, 2)}\n`;
  if (id === 0x0a) return `Debug port: BAR=${cap >> 13} offset=${hx(cap & 0x1fff, 4)}\n`;
  if (id === 0x13) return capAf(c, where);
  const undecoded = NOT_DECODED[id];
  if (undecoded !== undefined) return `${undecoded} <not decoded by this lspci>\n`;
  return `Capability ID ${"0x" + id.toString(16)} [${hx(cap, 4)}]\n`;
}

/** The "Capabilities:" lines from the list at 0x34, then the extended ones when PCIe. */
export function showCaps(c: PciConf): string {
  let s = "";
  let canHaveExt = false;
  let type = -1;
  if ((cw(c, 0x06) & 0x10) !== 0) {
    const seen = new Uint8Array(256);
    let where = cb(c, 0x34) & ~3;
    while (where !== 0) {
      s += "\tCapabilities: ";
      if (!have(c, where, 4)) {
        s += "<access denied>\n";
        break;
      }
      const id = cb(c, where);
      const next = cb(c, where + 1) & ~3;
      const cap = cw(c, where + 2);
      s += `[${hx(where, 2)}] `;
      if (seen[where]++ !== 0) {
        s += "<chain looped>\n";
        break;
      }
      if (id === 0xff) {
        s += "<chain broken>\n";
        break;
      }
      if (id === 0x01) s += capPm(c, where, cap);
      else if (id === 0x05) s += capMsi(c, where, cap);
      else if (id === 0x11) s += capMsix(c, where, cap);
      else if (id === 0x10) {
        const r = capExpress(c, where, cap);
        s += r.text;
        type = r.type;
        canHaveExt = true;
      } else s += simpleCap(c, where, id, cap);
      where = next;
    }
  }
  if (canHaveExt) s += showExtCaps(c, type);
  return s;
}
