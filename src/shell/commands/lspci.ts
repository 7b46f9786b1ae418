/**
 * lspci (pciutils 3.9) over sysfs, the way its linux-sysfs access method reads
 * /sys/bus/pci/devices/*: vendor, device, class, revision, subsystem_*, irq,
 * resource, numa_node, config, the driver and iommu_group links, and modalias
 * (matched against /lib/modules/$(uname -r)/modules.alias for "Kernel modules:").
 * Supports -v/-vv/-vvv, -x/-xxx/-xxxx, -k, -n/-nn, -D, -d [vendor]:[device][:class]
 * and -s [[domain:]bus:][slot][.func]. Decoding: lspci_verbose.ts, lspci_caps.ts,
 * lspci_ecaps.ts; names: lspci_names.ts.
 */
import type { CommandContext } from "../types.js";
import { byteCompare } from "../pattern.js";
import { className, deviceName, subsystemName } from "./lspci_names.js";
import { hexDump, showVerboseBody, type PciResource, type VerboseInfo } from "./lspci_verbose.js";

const DEV_ROOT = "/sys/bus/pci/devices";

interface PciDev {
  addr: string;
  base: string;
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
}

interface Options {
  numeric: number;
  verbose: number;
  hex: number;
  kernel: boolean;
  showDomain: boolean;
  idFilter: { vendor: number | null; device: number | null; cls: number | null } | null;
  slotFilter: { domain: number | null; bus: number | null; slot: number | null; func: number | null } | null;
}

function readText(ctx: CommandContext, path: string): string | null {
  try {
    return ctx.vfs.readText(path);
  } catch {
    return null;
  }
}

function hexAttr(ctx: CommandContext, path: string): number | null {
  const t = readText(ctx, path);
  if (t === null) return null;
  const v = parseInt(t.trim(), 16);
  return Number.isNaN(v) ? null : v;
}

function linkBase(ctx: CommandContext, path: string): string | null {
  try {
    const t = ctx.vfs.readlink(path);
    return t.slice(t.lastIndexOf("/") + 1);
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

/** Parses the command line; a number is the exit status of a usage error. */
function parseArgs(ctx: CommandContext): Options | number {
  const args = ctx.argv.slice(1);
  const o: Options = { numeric: 0, verbose: 0, hex: 0, kernel: false, showDomain: false, idFilter: null, slotFilter: null };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith("-") || a === "-") return usage(ctx, `Unexpected arguments`);
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if (c === "n") o.numeric++;
      else if (c === "v") o.verbose++;
      else if (c === "x") o.hex++;
      else if (c === "k") o.kernel = true;
      else if (c === "D") o.showDomain = true;
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
          o.idFilter = { vendor, device, cls };
        } else {
          const m = /^(?:(?:([0-9a-fA-F]*):)?([0-9a-fA-F]*):)?([0-9a-fA-F]*)(?:\.([0-7*]?))?$/.exec(v);
          if (m === null) return usage(ctx, "-s: Invalid slot number");
          const num = (s: string | undefined): number | null => (s === undefined || s === "" || s === "*" ? null : parseInt(s, 16));
          o.slotFilter = { domain: num(m[1]), bus: num(m[2]), slot: num(m[3]), func: num(m[4]) };
        }
        break;
      } else {
        ctx.stderr.write(`${ctx.argv[0]}: invalid option -- '${c}'\nUsage: lspci [<switches>]\n`);
        return 2;
      }
    }
  }
  return o;
}

function matches(o: Options, d: PciDev): boolean {
  const f = o.idFilter;
  if (f !== null && ((f.vendor !== null && f.vendor !== d.vendor) || (f.device !== null && f.device !== d.device) || (f.cls !== null && f.cls !== d.cls >> 8))) return false;
  const s = o.slotFilter;
  if (s !== null && ((s.domain !== null && s.domain !== d.domain) || (s.bus !== null && s.bus !== d.bus) || (s.slot !== null && s.slot !== d.slot) || (s.func !== null && s.func !== d.func))) return false;
  return true;
}

/** The lines of `resource` (BARs 0-5, ROM); empty when it cannot be read. */
function readResources(ctx: CommandContext, base: string): PciResource[] {
  const t = readText(ctx, `${base}/resource`);
  if (t === null) return [];
  const out: PciResource[] = [];
  for (const line of t.split("\n").slice(0, 7)) {
    const m = /^0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+)$/.exec(line);
    if (m === null) break;
    const start = Number(BigInt(`0x${m[1]}`));
    const end = Number(BigInt(`0x${m[2]}`));
    out.push({ start, size: end > start ? end - start + 1 : 0, flags: Number(BigInt(`0x${m[3]}`) & 0xffffffffn) });
  }
  return out;
}

/** Module names whose modules.alias patterns match the function's modalias, in file order, without repeats. */
function kernelModules(ctx: CommandContext, modalias: string, cache: { aliases: [RegExp, string][] | null }): string[] {
  if (cache.aliases === null) {
    const release = (readText(ctx, "/proc/sys/kernel/osrelease") ?? "").trim();
    const text = readText(ctx, `/lib/modules/${release}/modules.alias`) ?? "";
    cache.aliases = [];
    for (const line of text.split("\n")) {
      const m = /^alias (\S+) (\S+)$/.exec(line);
      if (m === null) continue;
      const re = new RegExp("^" + m[1]!.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$");
      cache.aliases.push([re, m[2]!]);
    }
  }
  const out: string[] = [];
  for (const [re, mod] of cache.aliases) if (re.test(modalias) && out[out.length - 1] !== mod) out.push(mod);
  return out;
}

function terse(o: Options, d: PciDev, anyDomain: boolean): string {
  const slot = (o.showDomain || anyDomain ? `${h4(d.domain)}:` : "") + `${h2(d.bus)}:${h2(d.slot)}.${d.func}`;
  const sub = d.cls >> 8;
  let line = o.numeric === 1 ? `${slot} ${h4(sub)}: ${deviceName(d.vendor, d.device, 1)}` : `${slot} ${className(sub, o.numeric)}: ${deviceName(d.vendor, d.device, o.numeric)}`;
  if (d.rev !== 0) line += ` (rev ${h2(d.rev)})`;
  const progIf = d.cls & 0xff;
  if (o.verbose > 0 && progIf !== 0) line += ` (prog-if ${h2(progIf)})`;
  let s = line + "\n";
  if ((o.verbose > 0 || o.kernel) && d.subVendor !== null && d.subDevice !== null && d.subVendor !== 0 && d.subVendor !== 0xffff) {
    s += `\tSubsystem: ${subsystemName(d.subVendor, d.subDevice, o.numeric)}\n`;
  }
  return s;
}

function showDevice(ctx: CommandContext, o: Options, d: PciDev, anyDomain: boolean, aliasCache: { aliases: [RegExp, string][] | null }): string {
  let s = terse(o, d, anyDomain);
  let config: Uint8Array | null = null;
  if (o.verbose > 0 || o.hex > 0) {
    try {
      config = ctx.vfs.readFile(`${d.base}/config`);
    } catch {
      config = null;
    }
    if (config !== null && config.length < 64) config = null;
  }
  if (o.verbose > 0) {
    const resources = readResources(ctx, d.base);
    const numa = readText(ctx, `${d.base}/numa_node`);
    const info: VerboseInfo = {
      irq: decAttr(readText(ctx, `${d.base}/irq`)),
      numaNode: numa === null ? -1 : Number(numa.trim()),
      iommuGroup: linkBase(ctx, `${d.base}/iommu_group`),
      resources,
    };
    if (config !== null) {
      const hasMemBar = resources.slice(0, 6).some((r) => (r.start !== 0 || r.size !== 0) && (r.flags & 1) === 0);
      s += showVerboseBody({ bytes: config, verbose: o.verbose, hasMemBar }, info);
    }
  }
  if (o.kernel || o.verbose > 0) {
    const driver = linkBase(ctx, `${d.base}/driver`);
    if (driver !== null) s += `\tKernel driver in use: ${driver}\n`;
    const alias = readText(ctx, `${d.base}/modalias`);
    const mods = alias === null ? [] : kernelModules(ctx, alias.trim(), aliasCache);
    if (mods.length > 0) s += `\tKernel modules: ${mods.join(", ")}\n`;
  }
  if (o.hex > 0) s += config === null ? "WARNING: Cannot show hex-dump of the config space\n" : hexDump(config, o.hex);
  if (o.verbose > 0 || o.hex > 0) s += "\n";
  return s;
}

function decAttr(t: string | null): number {
  const v = t === null ? NaN : Number(t.trim());
  return Number.isInteger(v) ? v : 0;
}

export function lspci(ctx: CommandContext): number {
  const o = parseArgs(ctx);
  if (typeof o === "number") return o;
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
    devs.push({
      addr: name,
      base,
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
    });
  }
  const anyDomain = devs.some((d) => d.domain !== 0);
  const aliasCache: { aliases: [RegExp, string][] | null } = { aliases: null };
  let out = "";
  for (const d of devs) if (matches(o, d)) out += showDevice(ctx, o, d, anyDomain, aliasCache);
  ctx.stdout.write(out);
  return 0;
}
