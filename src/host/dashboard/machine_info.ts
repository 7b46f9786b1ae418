/**
 * The machine's settings and log for the dashboard: boot settings (preset,
 * IOMMU mode, /proc/cmdline), loaded modules (/proc/modules), iaa_crypto's
 * driver attributes, zswap's parameters, the dynamic-debug switches
 * (/sys/kernel/debug/dynamic_debug/control) and the kernel log after a
 * sequence number (what `dmesg` prints).
 */
import { formatTimestamp } from "../../lib/printk.js";
import type { World } from "../world.js";
import { readAttr, readDir, readText } from "./read_files.js";

export const DYNDBG_CONTROL = "/sys/kernel/debug/dynamic_debug/control";
const CRYPTO_DRIVER = "/sys/bus/dsa/drivers/crypto";
const ZSWAP_PARAMS = "/sys/module/zswap/parameters";

export interface BootView {
  preset: string;
  iommu: string;
  cmdline: string;
  release: string | null;
}

export interface SettingsView {
  modules: string[];
  /** iaa_crypto driver attributes (sync_mode, verify_compress) while loaded. */
  iaaCrypto: Record<string, string>;
  zswap: Record<string, string>;
  swappiness: string | null;
}

export interface DyndbgSite {
  site: string;
  module: string;
  func: string;
  flags: string;
  format: string;
}

export interface DyndbgView {
  /** Per module: sites in all, and sites printing (flag p). */
  modules: { module: string; sites: number; printing: number }[];
  /** The sites with any flag set. */
  enabled: DyndbgSite[];
}

export interface LogLine {
  seq: number;
  level: number;
  /** As dmesg prints it: "[    0.000000] text". */
  line: string;
}

export function collectBoot(world: World): BootView {
  const m = world.stack.machine;
  const vfs = m.vfs;
  return { preset: m.config.preset, iommu: m.iommu, cmdline: readAttr(vfs, "/proc/cmdline") ?? m.config.cmdline, release: readAttr(vfs, "/proc/sys/kernel/osrelease") };
}

function attrs(world: World, dir: string, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = readAttr(world.stack.machine.vfs, `${dir}/${n}`);
    if (v !== null) out[n] = v;
  }
  return out;
}

export function collectSettings(world: World): SettingsView {
  const vfs = world.stack.machine.vfs;
  const modules = (readText(vfs, "/proc/modules") ?? "")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => l.split(" ")[0]!);
  const zs = readDir(vfs, ZSWAP_PARAMS).sort();
  return { modules, iaaCrypto: attrs(world, CRYPTO_DRIVER, ["sync_mode", "verify_compress"]), zswap: attrs(world, ZSWAP_PARAMS, zs), swappiness: readAttr(vfs, "/proc/sys/vm/swappiness") };
}

/** Parses dynamic_debug/control: "file:line [module]func =flags \"format\"". */
export function parseDyndbgControl(text: string): DyndbgSite[] {
  const out: DyndbgSite[] = [];
  for (const line of text.split("\n")) {
    const m = /^(\S+) \[([^\]]+)\](\S+) =(\S*) "(.*)"$/.exec(line);
    if (m !== null) out.push({ site: m[1]!, module: m[2]!, func: m[3]!, flags: m[4]!, format: m[5]! });
  }
  return out;
}

export function collectDyndbg(world: World): DyndbgView {
  const sites = parseDyndbgControl(readText(world.stack.machine.vfs, DYNDBG_CONTROL) ?? "");
  const mods = new Map<string, { module: string; sites: number; printing: number }>();
  for (const s of sites) {
    const e = mods.get(s.module) ?? { module: s.module, sites: 0, printing: 0 };
    e.sites += 1;
    if (s.flags.includes("p")) e.printing += 1;
    mods.set(s.module, e);
  }
  return { modules: [...mods.values()], enabled: sites.filter((s) => s.flags !== "_" && s.flags !== "") };
}

/** Kernel log records with seq > `after`, at most `max` (the newest). */
export function logSince(world: World, after: number, max = 500): LogLine[] {
  const recs = world.stack.machine.ctx.log.records;
  let i = recs.length;
  while (i > 0 && recs[i - 1]!.seq > after && recs.length - i < max) i--;
  return recs.slice(i).map((r) => ({ seq: r.seq, level: r.level, line: `${formatTimestamp(r.ts)} ${r.text}` }));
}
