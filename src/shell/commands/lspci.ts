/**
 * lspci (pciutils) over sysfs: reads /sys/bus/pci/devices/* /{vendor,device,class,revision}.
 * Supports -d [vendor]:[device][:class], -s [[domain:]bus:][slot][.func], -n, -nn, -k, -D.
 */
import type { CommandContext } from "../types.js";
import { byteCompare } from "../pattern.js";

const VENDORS: Record<number, string> = { 0x8086: "Intel Corporation", 0x1af4: "Red Hat, Inc.", 0x1b36: "Red Hat, Inc.", 0x10de: "NVIDIA Corporation", 0x1022: "Advanced Micro Devices, Inc. [AMD]", 0x15b3: "Mellanox Technologies", 0x144d: "Samsung Electronics Co Ltd", 0x14e4: "Broadcom Inc. and subsidiaries", 0x102b: "Matrox Electronics Systems Ltd." };
const SUBCLASSES: Record<number, string> = {
  0x0100: "SCSI storage controller", 0x0101: "IDE interface", 0x0104: "RAID bus controller", 0x0106: "SATA controller", 0x0107: "Serial Attached SCSI controller", 0x0108: "Non-Volatile memory controller", 0x0180: "Mass storage controller",
  0x0200: "Ethernet controller", 0x0207: "Infiniband controller", 0x0280: "Network controller", 0x0300: "VGA compatible controller", 0x0302: "3D controller", 0x0380: "Display controller",
  0x0403: "Audio device", 0x0500: "RAM memory", 0x0580: "Memory controller", 0x0600: "Host bridge", 0x0601: "ISA bridge", 0x0604: "PCI bridge", 0x0680: "Bridge",
  0x0700: "Serial controller", 0x0780: "Communication controller", 0x0800: "PIC", 0x0801: "DMA controller", 0x0802: "Timer", 0x0805: "SD Host controller", 0x0806: "IOMMU", 0x0880: "System peripheral",
  0x0b40: "Co-processor", 0x0c03: "USB controller", 0x0c05: "SMBus", 0x0c80: "Serial bus controller", 0x1101: "Performance counters", 0x1180: "Signal processing controller", 0x1200: "Processing accelerators", 0x1300: "Non-Essential Instrumentation",
};
const CLASSES: Record<number, string> = { 0x01: "Mass storage controller", 0x02: "Network controller", 0x03: "Display controller", 0x04: "Multimedia controller", 0x05: "Memory controller", 0x06: "Bridge", 0x07: "Communication controller", 0x08: "Generic system peripheral", 0x0b: "Processor", 0x0c: "Serial bus controller", 0x11: "Signal processing controller", 0x12: "Processing accelerators" };

const DEV_ROOT = "/sys/bus/pci/devices";

interface PciDev {
  addr: string;
  domain: number;
  bus: number;
  slot: number;
  func: number;
  vendor: number;
  device: number;
  cls: number;
  rev: number;
  subVendor: number | null;
  subDevice: number | null;
  driver: string | null;
}

function hexAttr(ctx: CommandContext, path: string): number | null {
  try {
    const v = parseInt(ctx.vfs.readText(path).trim(), 16);
    return Number.isNaN(v) ? null : v;
  } catch {
    return null;
  }
}

function usage(ctx: CommandContext, msg: string): number {
  ctx.stderr.write(`${ctx.argv[0]}: ${msg}\n`);
  return 2;
}

const h4 = (n: number): string => n.toString(16).padStart(4, "0");
const h2 = (n: number): string => n.toString(16).padStart(2, "0");

export function lspci(ctx: CommandContext): number {
  const args = ctx.argv.slice(1);
  let numeric = 0;
  let kernel = false;
  let showDomain = false;
  let idFilter: { vendor: number | null; device: number | null; cls: number | null } | null = null;
  let slotFilter: { domain: number | null; bus: number | null; slot: number | null; func: number | null } | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith("-") || a === "-") return usage(ctx, `Unexpected arguments`);
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if (c === "n") numeric++;
      else if (c === "k") kernel = true;
      else if (c === "D") showDomain = true;
      else if (c === "d" || c === "s") {
        const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
        if (v === undefined) {
          ctx.stderr.write(`${ctx.argv[0]}: option requires an argument -- '${c}'\n`);
          return 2;
        }
        if (c === "d") {
          const parts = v.split(":");
          if (parts.length < 2 || parts.length > 3) return usage(ctx, "-d: Invalid vendor ID");
          const parse = (s: string | undefined, max: number): number | null | undefined => {
            if (s === undefined || s === "" || s === "*") return null;
            if (!/^[0-9a-fA-F]+$/.test(s)) return undefined;
            const n = parseInt(s, 16);
            return n > max ? undefined : n;
          };
          const vendor = parse(parts[0], 0xffff);
          if (vendor === undefined) return usage(ctx, "-d: Invalid vendor ID");
          const device = parse(parts[1], 0xffff);
          if (device === undefined) return usage(ctx, "-d: Invalid device ID");
          const cls = parse(parts[2], 0xffff);
          if (cls === undefined) return usage(ctx, "-d: Invalid class code");
          idFilter = { vendor, device, cls };
        } else {
          const m = /^(?:(?:([0-9a-fA-F]*):)?([0-9a-fA-F]*):)?([0-9a-fA-F]*)(?:\.([0-7*]?))?$/.exec(v);
          if (m === null) return usage(ctx, "-s: Invalid slot number");
          const num = (s: string | undefined): number | null => (s === undefined || s === "" || s === "*" ? null : parseInt(s, 16));
          slotFilter = { domain: num(m[1]), bus: num(m[2]), slot: num(m[3]), func: num(m[4]) };
        }
        break;
      } else {
        ctx.stderr.write(`${ctx.argv[0]}: invalid option -- '${c}'\nUsage: lspci [<switches>]\n`);
        return 2;
      }
    }
  }
  let names: string[];
  try {
    names = ctx.vfs.readdir(DEV_ROOT);
  } catch {
    ctx.stderr.write(`${ctx.argv[0]}: Cannot open /sys/bus/pci/devices\n`);
    return 1;
  }
  const devs: PciDev[] = [];
  for (const name of names.sort(byteCompare)) {
    const m = /^([0-9a-f]{4,}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/.exec(name);
    if (m === null) continue;
    const base = `${DEV_ROOT}/${name}`;
    let driver: string | null = null;
    try {
      const t = ctx.vfs.readlink(`${base}/driver`);
      driver = t.slice(t.lastIndexOf("/") + 1);
    } catch {
      driver = null;
    }
    devs.push({
      addr: name,
      domain: parseInt(m[1]!, 16),
      bus: parseInt(m[2]!, 16),
      slot: parseInt(m[3]!, 16),
      func: Number(m[4]),
      vendor: hexAttr(ctx, `${base}/vendor`) ?? 0xffff,
      device: hexAttr(ctx, `${base}/device`) ?? 0xffff,
      cls: hexAttr(ctx, `${base}/class`) ?? 0,
      rev: hexAttr(ctx, `${base}/revision`) ?? 0,
      subVendor: hexAttr(ctx, `${base}/subsystem_vendor`),
      subDevice: hexAttr(ctx, `${base}/subsystem_device`),
      driver,
    });
  }
  const anyDomain = devs.some((d) => d.domain !== 0);
  let out = "";
  for (const d of devs) {
    if (idFilter !== null) {
      if (idFilter.vendor !== null && idFilter.vendor !== d.vendor) continue;
      if (idFilter.device !== null && idFilter.device !== d.device) continue;
      if (idFilter.cls !== null && idFilter.cls !== d.cls >> 8) continue;
    }
    if (slotFilter !== null) {
      if (slotFilter.domain !== null && slotFilter.domain !== d.domain) continue;
      if (slotFilter.bus !== null && slotFilter.bus !== d.bus) continue;
      if (slotFilter.slot !== null && slotFilter.slot !== d.slot) continue;
      if (slotFilter.func !== null && slotFilter.func !== d.func) continue;
    }
    const slot = (showDomain || anyDomain ? `${h4(d.domain)}:` : "") + `${h2(d.bus)}:${h2(d.slot)}.${d.func}`;
    const sub = d.cls >> 8;
    const clsName = SUBCLASSES[sub] ?? CLASSES[sub >> 8] ?? null;
    const vName = VENDORS[d.vendor] ?? null;
    let line: string;
    if (numeric === 1) line = `${slot} ${h4(sub)}: ${h4(d.vendor)}:${h4(d.device)}`;
    else {
      const c = clsName === null ? `Class ${h4(sub)}` : numeric >= 2 ? `${clsName} [${h4(sub)}]` : clsName;
      const dev = vName === null ? (numeric >= 2 ? `Device [${h4(d.vendor)}:${h4(d.device)}]` : `Device ${h4(d.vendor)}:${h4(d.device)}`) : numeric >= 2 ? `${vName} Device [${h4(d.vendor)}:${h4(d.device)}]` : `${vName} Device ${h4(d.device)}`;
      line = `${slot} ${c}: ${dev}`;
    }
    if (d.rev !== 0) line += ` (rev ${h2(d.rev)})`;
    out += line + "\n";
    if (kernel) {
      if (d.subVendor !== null && d.subDevice !== null && (d.subVendor !== 0 || d.subDevice !== 0)) {
        const sv = VENDORS[d.subVendor];
        out += numeric >= 1 && numeric < 2 ? `\tSubsystem: ${h4(d.subVendor)}:${h4(d.subDevice)}\n` : `\tSubsystem: ${sv ?? `Device ${h4(d.subVendor)}`} Device ${numeric >= 2 ? `[${h4(d.subVendor)}:${h4(d.subDevice)}]` : h4(d.subDevice)}\n`;
      }
      if (d.driver !== null) out += `\tKernel driver in use: ${d.driver}\n`;
    }
  }
  ctx.stdout.write(out);
  return 0;
}
