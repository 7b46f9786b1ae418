/**
 * lspci -v/-vv/-vvv body of a type-0 function (pciutils 3.9 lspci.c
 * show_verbose, show_bases, show_rom) and the -x/-xxx/-xxxx hex dump.
 */
import { showCaps } from "./lspci_caps.js";
import { cb, cl, cw, flag, hx, type PciConf } from "./lspci_conf.js";

/** One line of sysfs `resource`. */
export interface PciResource {
  start: number;
  size: number;
  flags: number;
}

/** What the verbose body needs besides the config bytes. */
export interface VerboseInfo {
  irq: number;
  numaNode: number;
  iommuGroup: string | null;
  /** BARs 0-5 then the ROM (index 6). */
  resources: PciResource[];
}

const IORESOURCE_IO = 0x100;
const IORESOURCE_MEM = 0x200;
const IORESOURCE_PREFETCH = 0x2000;
const IORESOURCE_MEM_64 = 0x100000;

function ioflagsToBar(f: number): number {
  if ((f & IORESOURCE_IO) !== 0) return 1;
  if ((f & IORESOURCE_MEM) === 0) return 0;
  return ((f & IORESOURCE_MEM_64) !== 0 ? 4 : 0) | ((f & IORESOURCE_PREFETCH) !== 0 ? 8 : 0);
}

function showSize(x: number): string {
  if (x === 0) return "";
  const suffix = ["", "K", "M", "G", "T"];
  let i = 0;
  for (; i < suffix.length - 1; i++) {
    if (x % 1024 !== 0) break;
    x /= 1024;
  }
  return ` [size=${x >>> 0}${suffix[i]}]`;
}

const devsel = (status: number): string => ["fast", "medium", "slow", "??"][(status >> 9) & 3]!;

function showBases(c: PciConf, res: PciResource[]): string {
  const cmd = cw(c, 0x04);
  let s = "";
  for (let i = 0; i < 6; i++) {
    const r = res[i] ?? { start: 0, size: 0, flags: 0 };
    const pos = r.start + (r.flags & 0xf);
    const flg = ioflagsToBar(r.flags);
    if (pos === 0 && flg === 0 && r.size === 0) continue;
    s += c.verbose > 1 ? `\tRegion ${i}: ` : "\t";
    let hwLower = 0;
    let hwUpper = 0;
    let broken = false;
    hwLower = cl(c, 0x10 + 4 * i);
    if ((hwLower & 1) === (flg & 1)) {
      if ((r.flags & 0x1f00) === IORESOURCE_MEM && (hwLower & 6) === 4) {
        if (i >= 5) broken = true;
        else hwUpper = cl(c, 0x10 + 4 * i + 1); // pciutils reads at +1 here
      }
    }
    const virtual = pos !== 0 && hwLower === 0 && hwUpper === 0;
    if ((flg & 1) !== 0) {
      const a = pos - (pos % 4);
      s += "I/O ports at ";
      s += a !== 0 || (cmd & 1) !== 0 ? hx(a, 4) : hwLower !== 0 ? "<ignored>" : "<unassigned>";
      if (virtual) s += " [virtual]";
      else if ((cmd & 1) === 0) s += " [disabled]";
    } else {
      const t = flg & 6;
      const a = pos - (pos % 16);
      s += "Memory at ";
      s += broken ? "<broken-64-bit-slot>" : a !== 0 ? hx(a, 8) : hwLower !== 0 || hwUpper !== 0 ? "<ignored>" : "<unassigned>";
      s += ` (${t === 0 ? "32-bit" : t === 4 ? "64-bit" : t === 2 ? "low-1M" : "type 3"}, ${(flg & 8) !== 0 ? "" : "non-"}prefetchable)`;
      if (virtual) s += " [virtual]";
      else if ((cmd & 2) === 0) s += " [disabled]";
    }
    s += showSize(r.size) + "\n";
  }
  return s;
}

function showRom(c: PciConf, rom: PciResource | undefined): string {
  const r = rom ?? { start: 0, size: 0, flags: 0 };
  const base = r.start + (r.flags & 0xf);
  let flg = cl(c, 0x30);
  const cmd = cw(c, 0x04);
  if (base === 0 && flg === 0 && r.size === 0) return "";
  const mask = (v: number): number => v - (v % 0x800);
  let virtual = false;
  if (mask(base) !== 0 && mask(flg) === 0) {
    flg = base;
    virtual = true;
  }
  let s = "\tExpansion ROM at ";
  s += mask(base) !== 0 ? hx(mask(base), 8) : mask(flg) !== 0 ? "<ignored>" : "<unassigned>";
  if (virtual) s += " [virtual]";
  if ((flg & 1) === 0) s += " [disabled]";
  else if (!virtual && (cmd & 2) === 0) s += " [disabled by cmd]";
  return s + showSize(r.size) + "\n";
}

/** Everything show_verbose prints after the terse lines, for a type-0 header. */
export function showVerboseBody(c: PciConf, info: VerboseInfo): string {
  let s = "";
  const htype = cb(c, 0x0e) & 0x7f;
  if (htype !== 0) return `\t!!! Unknown header type ${hx(htype, 2)}\n`;
  const cmd = cw(c, 0x04);
  const status = cw(c, 0x06);
  if (c.verbose > 1) {
    s += `\tControl: I/O${flag(cmd, 1)} Mem${flag(cmd, 2)} BusMaster${flag(cmd, 4)} SpecCycle${flag(cmd, 8)} MemWINV${flag(cmd, 0x10)} VGASnoop${flag(cmd, 0x20)} ParErr${flag(cmd, 0x40)} Stepping${flag(cmd, 0x80)} SERR${flag(cmd, 0x100)} FastB2B${flag(cmd, 0x200)} DisINTx${flag(cmd, 0x400)}\n`;
    s += `\tStatus: Cap${flag(status, 0x10)} 66MHz${flag(status, 0x20)} UDF${flag(status, 0x40)} FastB2B${flag(status, 0x80)} ParErr${flag(status, 0x100)} DEVSEL=${devsel(status)} >TAbort${flag(status, 0x800)} <TAbort${flag(status, 0x1000)} <MAbort${flag(status, 0x2000)} >SERR${flag(status, 0x4000)} <PERR${flag(status, 0x8000)} INTx${flag(status, 0x8)}\n`;
    if ((cmd & 4) !== 0) {
      const minGnt = cb(c, 0x3e);
      const maxLat = cb(c, 0x3f);
      s += `\tLatency: ${cb(c, 0x0d)}`;
      if (minGnt !== 0 || maxLat !== 0) {
        const parts: string[] = [];
        if (minGnt !== 0) parts.push(`${minGnt * 250}ns min`);
        if (maxLat !== 0) parts.push(`${maxLat * 250}ns max`);
        s += ` (${parts.join(", ")})`;
      }
      const cls = cb(c, 0x0c);
      if (cls !== 0) s += `, Cache Line Size: ${cls * 4} bytes`;
      s += "\n";
    }
    const pin = cb(c, 0x3d);
    if (pin !== 0 || info.irq !== 0) s += `\tInterrupt: pin ${pin !== 0 ? String.fromCharCode(0x40 + pin) : "?"} routed to IRQ ${info.irq}\n`;
    if (info.numaNode !== -1) s += `\tNUMA node: ${info.numaNode}\n`;
    if (info.iommuGroup !== null) s += `\tIOMMU group: ${info.iommuGroup}\n`;
  } else {
    s += "\tFlags: ";
    if ((cmd & 4) !== 0) s += "bus master, ";
    if ((cmd & 0x20) !== 0) s += "VGA palette snoop, ";
    if ((cmd & 0x80) !== 0) s += "stepping, ";
    if ((cmd & 0x200) !== 0) s += "fast Back2Back, ";
    if ((status & 0x20) !== 0) s += "66MHz, ";
    if ((status & 0x40) !== 0) s += "user-definable features, ";
    s += `${devsel(status)} devsel`;
    if ((cmd & 4) !== 0) s += `, latency ${cb(c, 0x0d)}`;
    if (info.irq !== 0) s += `, IRQ ${info.irq}`;
    if (info.numaNode !== -1) s += `, NUMA node ${info.numaNode}`;
    if (info.iommuGroup !== null) s += `, IOMMU group ${info.iommuGroup}`;
    s += "\n";
  }
  const bist = cb(c, 0x0f);
  if ((bist & 0x80) !== 0) s += (bist & 0x40) !== 0 ? "\tBIST is running\n" : `\tBIST result: ${hx(bist & 0x0f, 2)}\n`;
  s += showBases(c, info.resources);
  s += showRom(c, info.resources[6]);
  s += showCaps(c);
  return s;
}

/** -x (64 bytes), -xxx (256), -xxxx (4096): the bytes that were read. */
export function hexDump(bytes: Uint8Array, level: number): string {
  const want = level >= 4 ? 4096 : level >= 3 ? 256 : 64;
  const cnt = bytes.length >= want ? want : bytes.length >= 256 && level >= 3 ? 256 : 64;
  let s = "";
  for (let i = 0; i < cnt; i++) {
    if ((i & 15) === 0) s += `${hx(i, 2)}:`;
    s += ` ${hx(bytes[i] ?? 0, 2)}`;
    if ((i & 15) === 15) s += "\n";
  }
  return s;
}
