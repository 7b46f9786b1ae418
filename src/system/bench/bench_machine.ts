/**
 * A fresh machine set up for one benchmark configuration: booted from a
 * preset, iaa_crypto loaded, the IAA devices reconfigured through sysfs the
 * way the documentation's scripts do (disable, set the driver attributes,
 * configure WQs, engines and groups, enable), and zswap pointed at the
 * compressor. Never the persistent CLI machine.
 */
import type { AcompTfm } from "../../crypto/acomp.js";
import { bootStack, type Stack } from "../stack.js";
import { resolveMachineConfig, type MachineConfigInput } from "../machine_config.js";

/**
 * The compressors a benchmark can name (user-facing names), and `none`: zswap
 * off, so every page goes to the swap device (the zswap workload only).
 */
export const BENCH_COMPRESSORS = ["deflate-iaa", "deflate-generic", "lzo", "lzo-rle", "lz4", "zstd", "none"] as const;
export type BenchCompressor = (typeof BENCH_COMPRESSORS)[number];

export const SYNC_MODES = ["sync", "async", "async_irq"] as const;
export type SyncMode = (typeof SYNC_MODES)[number];

/** One configuration of the machine under test. */
export interface BenchConfig {
  /** Machine preset (default "spr-2s"). */
  preset: string;
  compressor: BenchCompressor;
  /** iaa_crypto sync_mode (deflate-iaa only). */
  syncMode: SyncMode;
  /** iaa_crypto verify_compress (deflate-iaa only). */
  verify: boolean;
  /** IAA devices per socket (default: the preset's). */
  iaaPerSocket?: number;
  /** WQs per IAA device, splitting the 128 WQ entries evenly (default 1). */
  wqsPerIaa: number;
  /** Engines in each group (default 8: the documentation's script puts every engine in group 0). */
  enginesPerGroup: number;
  /** Groups per device in use; WQs are dealt round-robin (default 1). */
  groups: number;
}

/** The defaults of {@link BenchConfig}. */
export const DEFAULT_BENCH_CONFIG: BenchConfig = {
  preset: "spr-2s",
  compressor: "deflate-iaa",
  syncMode: "sync",
  verify: true,
  wqsPerIaa: 1,
  enginesPerGroup: 8,
  groups: 1,
};

/** The acomp name that allocates a user-facing compressor (6.12: software deflate's acomp driver is deflate-scomp). */
export function acompName(c: BenchCompressor): string {
  return c === "deflate-generic" ? "deflate-scomp" : c;
}

/** A short label of a configuration, e.g. "deflate-iaa sync verify=1". */
export function configLabel(c: BenchConfig): string {
  if (c.compressor === "none") return "none (no zswap)";
  if (c.compressor !== "deflate-iaa") return c.compressor;
  const hw = c.wqsPerIaa !== 1 || c.enginesPerGroup !== 8 || c.groups !== 1 ? ` wq${c.wqsPerIaa}/eng${c.enginesPerGroup}/grp${c.groups}` : "";
  return `deflate-iaa ${c.syncMode} verify=${c.verify ? 1 : 0}${hw}${c.iaaPerSocket !== undefined ? ` iaa/socket=${c.iaaPerSocket}` : ""}`;
}

/** Checks a configuration; an error message or null. */
export function checkBenchConfig(c: BenchConfig): string | null {
  if (!(BENCH_COMPRESSORS as readonly string[]).includes(c.compressor)) return `unknown compressor '${c.compressor}' (known: ${BENCH_COMPRESSORS.join(", ")})`;
  if (!(SYNC_MODES as readonly string[]).includes(c.syncMode)) return `unknown sync mode '${c.syncMode}' (known: ${SYNC_MODES.join(", ")})`;
  const mc = resolveMachineConfig(machineInput(c));
  if (typeof mc === "string") return mc;
  if (c.compressor === "deflate-iaa" && mc.iaaPerSocket === 0) return "deflate-iaa needs at least one IAA device";
  if (!Number.isInteger(c.groups) || c.groups < 1 || c.groups > 4) return `groups must be 1 to 4, got ${c.groups}`;
  if (!Number.isInteger(c.wqsPerIaa) || c.wqsPerIaa < c.groups || c.wqsPerIaa > 8) return `wqs-per-iaa must be ${c.groups} to 8 (at least one per group), got ${c.wqsPerIaa}`;
  if (!Number.isInteger(c.enginesPerGroup) || c.enginesPerGroup < 1 || c.enginesPerGroup * c.groups > 8) return `engines-per-group × groups must be 1 to 8, got ${c.enginesPerGroup} × ${c.groups}`;
  return null;
}

function machineInput(c: BenchConfig): MachineConfigInput {
  return c.iaaPerSocket === undefined ? { preset: c.preset } : { preset: c.preset, iaaPerSocket: c.iaaPerSocket };
}

/** A machine ready to run a workload, and the transform to call directly. */
export interface BenchMachine {
  stack: Stack;
  config: BenchConfig;
  /** IAA device names (iax1, iax3, …). */
  iaaDevices: string[];
  /** Allocates a transform of the configured compressor (caller frees). */
  allocTfm(): AcompTfm;
}

/**
 * Boots and configures a fresh machine; throws on a bad configuration (the
 * CLI checks with {@link checkBenchConfig} first).
 *
 * @example
 * const bm = bootBenchMachine({ ...DEFAULT_BENCH_CONFIG, syncMode: "async_irq", verify: false });
 * const tfm = bm.allocTfm(); // deflate-iaa, async_irq, no verify
 */
export function bootBenchMachine(config: BenchConfig): BenchMachine {
  const err = checkBenchConfig(config);
  if (err !== null) throw new Error(err);
  const stack = bootStack(machineInput(config));
  const m = stack.machine;
  const w = (path: string, v: string): void => m.vfs.writeFile(path, v);
  const rc = m.modules.modprobe("iaa_crypto").rc;
  if (rc !== 0) throw new Error(`modprobe iaa_crypto failed: ${rc}`);
  const devs = m.vfs.readdir("/sys/bus/dsa/devices").filter((n) => /^iax\d+$/.test(n)).sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
  if (config.compressor === "deflate-iaa") {
    // the documentation's disable loop: WQs first, then the device
    for (const d of devs) {
      const id = d.slice(3);
      for (const wq of m.vfs.readdir(`/sys/bus/dsa/devices/${d}`).filter((n) => n.startsWith(`wq${id}.`))) {
        if (m.vfs.readText(`/sys/bus/dsa/devices/${d}/${wq}/state`) === "enabled\n") w("/sys/bus/dsa/drivers/crypto/unbind", wq);
      }
      if (m.vfs.readText(`/sys/bus/dsa/devices/${d}/state`) === "enabled\n") w("/sys/bus/dsa/drivers/idxd/unbind", d);
    }
    // deflate-iaa stays registered after the last unbind (kernel): reload the module, as the documented set-up script does
    for (const r of [m.modules.rmmod("iaa_crypto").rc, m.modules.modprobe("iaa_crypto").rc]) if (r !== 0) throw new Error(`reloading iaa_crypto failed: ${r}`);
    w("/sys/bus/dsa/drivers/crypto/sync_mode", config.syncMode);
    w("/sys/bus/dsa/drivers/crypto/verify_compress", config.verify ? "1" : "0");
    for (const d of devs) configureDevice(stack, d, config);
  }
  const name = acompName(config.compressor);
  if (config.compressor === "none") w("/sys/module/zswap/parameters/enabled", "N");
  else {
    w("/sys/module/zswap/parameters/compressor", name);
    w("/sys/module/zswap/parameters/enabled", "Y");
  }
  return {
    stack,
    config,
    iaaDevices: devs,
    allocTfm(): AcompTfm {
      if (config.compressor === "none") throw new Error("no compressor: zswap is off");
      const t = stack.crypto.allocAcomp(name);
      if (typeof t === "number") throw new Error(`crypto_alloc_acomp(${name}) failed: ${t}`);
      return t;
    },
  };
}

/** WQs wqN.0 … and engines of one device: sizes split evenly, groups dealt round-robin. */
function configureDevice(stack: Stack, dev: string, c: BenchConfig): void {
  const m = stack.machine;
  const id = dev.slice(3);
  const base = `/sys/bus/dsa/devices/${dev}`;
  const w = (path: string, v: string): void => m.vfs.writeFile(`${base}/${path}`, v);
  const size = Math.floor(128 / c.wqsPerIaa);
  // shrink wq0 first: the defaults gave it every entry
  for (let k = 0; k < c.wqsPerIaa; k++) {
    const wq = `wq${id}.${k}`;
    w(`${wq}/mode`, "dedicated");
    w(`${wq}/size`, String(size));
    w(`${wq}/group_id`, String(k % c.groups));
    w(`${wq}/priority`, "10");
    w(`${wq}/type`, "kernel");
    w(`${wq}/name`, "iaa_crypto");
    w(`${wq}/driver_name`, "crypto");
  }
  for (let e = 0; e < 8; e++) {
    const g = Math.floor(e / c.enginesPerGroup);
    w(`engine${id}.${e}/group_id`, g < c.groups ? String(g) : "-1");
  }
  m.vfs.writeFile("/sys/bus/dsa/drivers/idxd/bind", dev);
  for (let k = 0; k < c.wqsPerIaa; k++) m.vfs.writeFile("/sys/bus/dsa/drivers/crypto/bind", `wq${id}.${k}`);
}
