/**
 * The machine's description: topology, accelerators, firmware switches, the
 * kernel command line and configuration. Presets and custom topologies.
 */

/** Firmware (BIOS) switches the documentation names. */
export interface FirmwareConfig {
  /** Socket Configuration > IIO > Intel VT for Directed I/O (VT-d). */
  vtd: boolean;
  /** Socket Configuration > IIO > PCIe ENQCMD > ENQCMDS. */
  enqcmds: boolean;
}

/** Everything bootMachine() needs. Plain JSON. */
export interface MachineConfig {
  /** Preset name this config came from, or "custom". */
  preset: string;
  sockets: number;
  coresPerSocket: number;
  threadsPerCore: number;
  /** Total RAM in bytes (split evenly between nodes). */
  memBytes: number;
  /** IAA devices per socket (≤ 4, one per root complex). */
  iaaPerSocket: number;
  /** DSA devices per socket (≤ 4). */
  dsaPerSocket: number;
  firmware: FirmwareConfig;
  /** The kernel command line (/proc/cmdline). */
  cmdline: string;
  /** Kernel configuration: CONFIG_FOO → "y" | "m" | "n" | a value. */
  kconfig: Record<string, string>;
  /** uname -r */
  release: string;
  /** Modules loaded at boot (udev coldplug), in order. */
  autoload: string[];
}

const GiB = 1024 ** 3;
export const KERNEL_RELEASE = "6.12.0-iaa-emu";

/** The documentation's kernel options (Documentation/driver-api/crypto/iaa) and their neighbours. */
export const DEFAULT_KCONFIG: Record<string, string> = {
  // NR_CPUS of RHEL's and Debian's x86_64 kernels: /sys/devices/system/cpu/kernel_max is NR_CPUS - 1
  CONFIG_NR_CPUS: "8192",
  CONFIG_PCI_ATS: "y",
  CONFIG_PCI_PRI: "y",
  CONFIG_PCI_PASID: "y",
  CONFIG_IRQ_REMAP: "y",
  CONFIG_INTEL_IOMMU: "y",
  CONFIG_INTEL_IOMMU_SVM: "y",
  CONFIG_INTEL_IOMMU_DEFAULT_ON: "n",
  CONFIG_INTEL_IOMMU_SCALABLE_MODE_DEFAULT_ON: "n",
  CONFIG_DMADEVICES: "y",
  CONFIG_INTEL_IDXD_BUS: "m",
  CONFIG_INTEL_IDXD: "m",
  CONFIG_INTEL_IDXD_SVM: "y",
  CONFIG_INTEL_IDXD_PERFMON: "y",
  CONFIG_CRYPTO_DEFLATE: "y",
  CONFIG_CRYPTO_LZO: "y",
  CONFIG_CRYPTO_LZ4: "m",
  CONFIG_CRYPTO_ZSTD: "m",
  CONFIG_CRYPTO_DEV_IAA_CRYPTO: "m",
  CONFIG_CRYPTO_DEV_IAA_CRYPTO_STATS: "y",
  CONFIG_ZSWAP: "y",
  CONFIG_ZSWAP_DEFAULT_ON: "n",
  CONFIG_ZPOOL: "y",
  CONFIG_ZSMALLOC: "y",
  CONFIG_ZBUD: "y",
  CONFIG_Z3FOLD: "n",
  CONFIG_SWAP: "y",
  CONFIG_DEBUG_FS: "y",
  CONFIG_DYNAMIC_DEBUG: "y",
  CONFIG_IKCONFIG: "y",
  CONFIG_IKCONFIG_PROC: "y",
  CONFIG_LOG_BUF_SHIFT: "18",
  CONFIG_LOG_CPU_MAX_BUF_SHIFT: "12",
};

const BASE = {
  firmware: { vtd: true, enqcmds: true },
  cmdline: `BOOT_IMAGE=/boot/vmlinuz-${KERNEL_RELEASE} root=/dev/mapper/rhel-root ro intel_iommu=on,sm_on`,
  release: KERNEL_RELEASE,
  autoload: ["idxd"],
};

/** The presets: `spr-2s` (default), `spr-1s`, `tiny`. */
export const PRESETS: Record<string, Omit<MachineConfig, "kconfig" | "firmware" | "cmdline" | "release" | "autoload">> = {
  "spr-2s": { preset: "spr-2s", sockets: 2, coresPerSocket: 40, threadsPerCore: 2, memBytes: 512 * GiB, iaaPerSocket: 4, dsaPerSocket: 4 },
  "spr-1s": { preset: "spr-1s", sockets: 1, coresPerSocket: 40, threadsPerCore: 2, memBytes: 256 * GiB, iaaPerSocket: 4, dsaPerSocket: 4 },
  tiny: { preset: "tiny", sockets: 1, coresPerSocket: 4, threadsPerCore: 2, memBytes: 4 * GiB, iaaPerSocket: 2, dsaPerSocket: 2 },
};

/** Partial configuration: a preset name plus overrides (also what a custom JSON topology file holds). */
export type MachineConfigInput = Partial<Omit<MachineConfig, "firmware" | "kconfig">> & {
  firmware?: Partial<FirmwareConfig>;
  kconfig?: Record<string, string>;
  /** Convenience for JSON files: RAM in GiB. */
  memGiB?: number;
};

/**
 * Resolves a preset name or partial config into a full, validated config.
 * Returns an error message for a bad topology.
 *
 * @example
 * resolveMachineConfig("tiny").sockets; // 1
 * resolveMachineConfig({ preset: "spr-2s", cmdline: "intel_iommu=off" });
 */
export function resolveMachineConfig(input: string | MachineConfigInput = {}): MachineConfig | string {
  const inp: MachineConfigInput = typeof input === "string" ? { preset: input } : input;
  const presetName = inp.preset ?? "spr-2s";
  const preset = PRESETS[presetName];
  if (preset === undefined && inp.sockets === undefined) return `Unknown machine preset '${presetName}' (known: ${Object.keys(PRESETS).join(", ")})`;
  const base = preset ?? PRESETS["spr-2s"]!;
  const cfg: MachineConfig = {
    preset: preset !== undefined && Object.keys(inp).every((k) => ["preset", "firmware", "cmdline", "kconfig", "autoload", "release"].includes(k)) ? presetName : (inp.preset ?? "custom"),
    sockets: inp.sockets ?? base.sockets,
    coresPerSocket: inp.coresPerSocket ?? base.coresPerSocket,
    threadsPerCore: inp.threadsPerCore ?? base.threadsPerCore,
    memBytes: inp.memBytes ?? (inp.memGiB !== undefined ? inp.memGiB * GiB : base.memBytes),
    iaaPerSocket: inp.iaaPerSocket ?? base.iaaPerSocket,
    dsaPerSocket: inp.dsaPerSocket ?? base.dsaPerSocket,
    firmware: { ...BASE.firmware, ...(inp.firmware ?? {}) },
    cmdline: inp.cmdline ?? BASE.cmdline,
    kconfig: { ...DEFAULT_KCONFIG, ...(inp.kconfig ?? {}) },
    release: inp.release ?? BASE.release,
    autoload: inp.autoload ?? [...BASE.autoload],
  };
  const ints: [keyof MachineConfig, number, number][] = [["sockets", 1, 2], ["coresPerSocket", 1, 128], ["threadsPerCore", 1, 2], ["iaaPerSocket", 0, 4], ["dsaPerSocket", 0, 4]];
  for (const [k, lo, hi] of ints) {
    const v = cfg[k] as number;
    if (!Number.isInteger(v) || v < lo || v > hi) return `Invalid machine config: ${k} must be an integer from ${lo} to ${hi}, got ${JSON.stringify(v)}`;
  }
  if (!Number.isFinite(cfg.memBytes) || cfg.memBytes < 256 * 1024 * 1024) return `Invalid machine config: memory must be at least 256 MiB`;
  return cfg;
}

/** IOMMU mode the kernel ends up in. */
export type IommuMode = "scalable" | "legacy" | "off";

/** Value of a `key=value` kernel parameter (last one wins), or undefined. */
export function cmdlineParam(cmdline: string, key: string): string | undefined {
  let v: string | undefined;
  for (const tok of cmdline.split(/\s+/)) {
    if (tok === key) v = "";
    else if (tok.startsWith(key + "=")) v = tok.slice(key.length + 1);
  }
  return v;
}

/**
 * The IOMMU mode: `iommu=off` → no IOMMU; VT-d off or `intel_iommu=off` →
 * legacy; scalable needs VT-d, ENQCMDS, CONFIG_INTEL_IOMMU_SVM and
 * `intel_iommu=on,sm_on` (or the scalable-mode default); otherwise legacy.
 */
export function iommuMode(cfg: MachineConfig): IommuMode {
  if (cmdlineParam(cfg.cmdline, "iommu") === "off") return "off";
  if (!cfg.firmware.vtd || cfg.kconfig["CONFIG_INTEL_IOMMU"] !== "y") return "legacy";
  const opts = (cmdlineParam(cfg.cmdline, "intel_iommu") ?? "").split(",");
  if (opts.includes("off")) return "legacy";
  const on = opts.includes("on") || cfg.kconfig["CONFIG_INTEL_IOMMU_DEFAULT_ON"] === "y";
  const sm = opts.includes("sm_on") || (cfg.kconfig["CONFIG_INTEL_IOMMU_SCALABLE_MODE_DEFAULT_ON"] === "y" && !opts.includes("sm_off"));
  if (on && sm && cfg.firmware.enqcmds && cfg.kconfig["CONFIG_INTEL_IOMMU_SVM"] === "y") return "scalable";
  return "legacy";
}
