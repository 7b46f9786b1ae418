/**
 * The emulated machine: the one place that wires hardware, kernel layers and
 * file systems together (composition root).
 *
 * Boot order: kernel services (clock, printk, dyndbg, topology) → file
 * systems (/, /sys, /sys/kernel/debug, /proc, /dev) → platform (CPUs, NUMA,
 * PCI functions with their IAA/DSA device models) → module definitions
 * (idxd_bus, idxd) → boot log → autoloaded modules. Later layers (crypto,
 * iaa_crypto, mm, zswap) attach with their own `wire…` functions: they find
 * everything they need on the {@link Machine} object and add module
 * definitions with `machine.modules.define()` before `modprobe`.
 *
 * State: src/system/snapshot.ts saves and restores a booted machine with
 * every layer on it.
 */
import { gzipSync } from "node:zlib";
import { SPR_DSA_CAPS, SPR_IAA_CAPS, type IdxdHwCaps } from "../hw/caps.js";
import { IdxdHw } from "../hw/idxd_hw.js";
import { KnDir, KnFile } from "../kernfs/node.js";
import { Vfs } from "../kernfs/vfs.js";
import { VirtualClock } from "../lib/clock.js";
import type { KernelContext } from "../lib/context.js";
import { DynamicDebug } from "../lib/dyndbg.js";
import { Errno } from "../lib/errno.js";
import { OopsState, storeTainted } from "../lib/oops.js";
import { LogLevel, logBufLen, memparse, Printk } from "../lib/printk.js";
import { makeTopology, type Topology } from "../lib/topology.js";
import { PhysMem } from "../mm/phys_mem.js";
import { Bus } from "../driver/core/bus.js";
import { ModuleRegistry } from "../driver/core/module.js";
import { Idxd, type IdxdPciFunction } from "../driver/idxd/init.js";
import { idxdBusUevent } from "../driver/idxd/idxd.js";
import { createCpuSysfs, DEFAULT_NR_CPUS } from "./cpu_sysfs.js";
import { addPciFunctionSysfs, idxdModuleAliases } from "./pci_sysfs.js";
import { cpuinfo } from "./cpuinfo.js";
import { cmdlineParam, type IommuMode, type MachineConfig, type MachineConfigInput, iommuMode, resolveMachineConfig } from "./machine_config.js";

/** Virtual time at which udev loads the autoloaded modules (dmesg timestamps look like a real boot). */
export const BOOT_MODULES_AT_NS = 2_917_403_112;

/** Root complexes of an SPR socket, in PCI (probe) order. */
export const SPR_ROOT_BUSES: readonly (readonly number[])[] = [
  [0x6a, 0x6f, 0x74, 0x79],
  [0xe7, 0xec, 0xf1, 0xf6],
];

/** One PCI function of the platform. */
export interface PciFunction {
  /** "0000:6a:02.0" */
  addr: string;
  vendor: number;
  device: number;
  class: number;
  numaNode: number;
  /** /sys/devices/pci0000:6a/0000:6a:02.0 */
  path: string;
  dir: KnDir;
  /** The accelerator model behind it. */
  hw: IdxdHw;
  caps: IdxdHwCaps;
  /** A driver was bound to it since boot (its config space keeps traces: memory decoding, the PRI allocation). */
  everBound: boolean;
}

/** The kernfs mount points. */
export interface MachineFs {
  root: KnDir;
  sys: KnDir;
  debug: KnDir;
  proc: KnDir;
  dev: KnDir;
}

/** A booted machine. */
export interface Machine {
  config: MachineConfig;
  ctx: KernelContext;
  mem: PhysMem;
  vfs: Vfs;
  fs: MachineFs;
  topo: Topology;
  iommu: IommuMode;
  /** PCI functions in probe order (IAA and DSA). */
  pci: PciFunction[];
  modules: ModuleRegistry;
  /** The dsa bus while idxd_bus is loaded. */
  bus: Bus | null;
  /** The idxd driver while idxd is loaded. */
  idxd: Idxd | null;
  /** Slots for later layers (crypto API, iaa_crypto, mm, zswap…), keyed by layer name. */
  layers: Record<string, unknown>;
  /** Hooks run after idxd loads / before it unloads (e.g. re-wiring iaa_crypto). */
  hooks: { idxdLoaded: ((idxd: Idxd) => void)[]; idxdUnloading: ((idxd: Idxd) => void)[] };
  /** utsname's changeable part: the host name (kernel.hostname, sethostname()). */
  uts: { nodename: string };
}

/**
 * Boots a machine from a preset name or a (partial) config.
 *
 * @example
 * `extend` runs before the autoloaded modules load: the upper layers wire
 * themselves there (see stack.ts).
 *
 * const m = bootMachine("tiny");
 * m.vfs.readText("/sys/bus/dsa/devices/iax1/state"); // "enabled\n"
 */
export function bootMachine(input: string | MachineConfigInput = {}, extend: (m: Machine) => void = () => {}): Machine {
  const config = resolveMachineConfig(input);
  if (typeof config === "string") throw new Error(config);
  const clock = new VirtualClock();
  const topo = makeTopology(config.sockets, config.coresPerSocket, config.threadsPerCore, Math.floor(config.memBytes / config.sockets));
  const log = new Printk(clock, machineLogBufLen(config, topo.nrCpus));
  const ctx: KernelContext = { clock, log, dyndbg: new DynamicDebug(), topo, cpu: 0, oops: new OopsState() };
  const mem = new PhysMem(config.memBytes);
  const fs = createFilesystems();
  const vfs = new Vfs(fs.root, () => clock.now);
  const m: Machine = {
    config,
    ctx,
    mem,
    vfs,
    fs,
    topo,
    iommu: iommuMode(config),
    pci: [],
    modules: new ModuleRegistry(fs.sys.mkdirp("module"), config.release),
    bus: null,
    idxd: null,
    layers: {},
    hooks: { idxdLoaded: [], idxdUnloading: [] },
    uts: { nodename: "iaa-emu" },
  };
  wireOops(m);
  bootLog(m);
  createCpuSysfs(m.fs.sys, { topo: m.topo, layout: m.config, nrCpusConfig: nrCpusConfig(m) });
  createPci(m);
  createProcfs(m);
  createDebugfs(m);
  defineIdxdModules(m);
  extend(m);
  // udev loads the autoloaded modules a few seconds into boot
  clock.advance(BOOT_MODULES_AT_NS);
  for (const name of config.autoload) {
    const r = m.modules.modprobe(name);
    for (const msg of r.messages) log.printk(LogLevel.ERR, msg);
  }
  return m;
}

// ----------------------------------------------------------------------
// File systems
// ----------------------------------------------------------------------

function createFilesystems(): MachineFs {
  const root = new KnDir("tmpfs");
  for (const d of ["root", "tmp", "etc", "usr/bin", "usr/lib", "lib/modules", "var/log", "home"]) root.mkdirp(d);
  root.dir("tmp").mode = 0o1777;
  const sys = root.add("sys", new KnDir("sysfs"));
  const debug = sys.mkdirp("kernel").add("debug", new KnDir("debugfs", 0o700));
  const proc = root.add("proc", new KnDir("proc", 0o555));
  const dev = root.add("dev", new KnDir("devtmpfs"));
  // drivers/char/mem.c's devlist: MEM_MAJOR 1, minors 3, 5 and 7, mode 0666
  dev.device("null", "chr", 0o666, 1, 3, () => "", () => 0);
  dev.device("zero", "chr", 0o666, 1, 5, () => new Uint8Array(4096), () => 0);
  dev.device("full", "chr", 0o666, 1, 7, () => new Uint8Array(4096), () => -Errno.ENOSPC);
  for (const d of ["bus", "devices", "module", "class", "kernel/mm", "firmware"]) sys.mkdirp(d);
  return { root, sys, debug, proc, dev };
}

function bootLog(m: Machine): void {
  const { log } = m.ctx;
  const c = m.config;
  log.printk(LogLevel.NOTICE, `Linux version ${c.release} (iaa-emu) #1 SMP PREEMPT_DYNAMIC`);
  log.printk(LogLevel.INFO, `Command line: ${c.cmdline}`);
  if (c.firmware.vtd) {
    log.printk(LogLevel.INFO, "DMAR: Host address width 52");
    let i = 0;
    for (let s = 0; s < c.sockets; s++) {
      for (const b of SPR_ROOT_BUSES[s]!) {
        const base = (0xd37fc000 - (s * 4 + SPR_ROOT_BUSES[s]!.indexOf(b)) * 0x400000).toString(16);
        log.printk(LogLevel.INFO, `DMAR: DRHD base: 0x0000${base} flags: 0x0`);
        log.printk(LogLevel.INFO, `DMAR: dmar${i}: reg_base_addr ${base} ver 6:0 cap 9ed008c40780466 ecap 3ee9e86f050df`);
        i++;
      }
    }
    if (m.iommu === "off" || (cmdlineHas(c.cmdline, "intel_iommu") && c.cmdline.match(/intel_iommu=[^ ]*off/) !== null)) {
      log.printk(LogLevel.INFO, "DMAR: IOMMU disabled");
    } else {
      log.printk(LogLevel.INFO, "DMAR-IR: Enabled IRQ remapping in x2apic mode");
      if (m.iommu === "scalable") log.printk(LogLevel.INFO, "DMAR: IOMMU enabled");
      log.printk(LogLevel.INFO, "DMAR: Intel(R) Virtualization Technology for Directed I/O");
    }
  }
  log.printk(LogLevel.INFO, `smp: Brought up ${c.sockets} node${c.sockets > 1 ? "s" : ""}, ${m.topo.nrCpus} CPUs`);
  log.printk(LogLevel.INFO, `Memory: ${Math.floor(c.memBytes / 1024)}K available`);
}

/** The printk ring's size from CONFIG_LOG_BUF_SHIFT, CONFIG_LOG_CPU_MAX_BUF_SHIFT, the CPUs and `log_buf_len=`. */
export function machineLogBufLen(c: MachineConfig, nrCpus: number): number {
  const shift = Number(c.kconfig["CONFIG_LOG_BUF_SHIFT"] ?? 17);
  const cpuShift = Number(c.kconfig["CONFIG_LOG_CPU_MAX_BUF_SHIFT"] ?? 12);
  const param = cmdlineParam(c.cmdline, "log_buf_len");
  const len = param === undefined ? undefined : memparse(param);
  return logBufLen(Number.isInteger(shift) && shift >= 12 && shift <= 25 ? shift : 17, Number.isInteger(cpuShift) && cpuShift >= 12 && cpuShift <= 21 ? cpuShift : 12, nrCpus, len !== undefined && Number.isFinite(len) ? len : undefined);
}

function cmdlineHas(cmdline: string, key: string): boolean {
  return cmdline.split(/\s+/).some((t) => t === key || t.startsWith(key + "="));
}

/** CONFIG_NR_CPUS from the configuration (kernel_max, bin attribute sizes); at least the CPUs there are. */
function nrCpusConfig(m: Machine): number {
  const v = Number(m.config.kconfig["CONFIG_NR_CPUS"] ?? DEFAULT_NR_CPUS);
  return Number.isInteger(v) && v >= m.topo.nrCpus ? v : Math.max(DEFAULT_NR_CPUS, m.topo.nrCpus);
}

// ----------------------------------------------------------------------
// PCI
// ----------------------------------------------------------------------

/**
 * Where the accelerators' BARs sit: on root complex 6a (the first) the DSA's
 * BAR2 at 0x206ffff00000 and BAR0 at +0x40000, as a public SPR listing shows;
 * the IAA's after them, and each further root complex 0x10_0000_0000 higher (chosen).
 */
const PCI_BAR_BASE = 0x206ffff00000;
const PCI_ROOT_STRIDE = 0x10_0000_0000;
/** BAR2 and BAR0 offsets from a root complex's base, by device (1: DSA, 2: IAA). */
const PCI_BAR_OFFSETS: Record<number, { bar0: number; bar2: number }> = { 1: { bar0: 0x40000, bar2: 0 }, 2: { bar0: 0xa0000, bar2: 0x80000 } };

/** idxd uses PASID (user SVA): scalable-mode IOMMU and CONFIG_INTEL_IDXD_SVM. */
function idxdPasid(m: Machine): boolean {
  return m.iommu === "scalable" && m.config.kconfig["CONFIG_INTEL_IDXD_SVM"] === "y";
}

function createPci(m: Machine): void {
  const sys = m.fs.sys;
  const busPci = sys.mkdirp("bus/pci/devices");
  sys.mkdirp("bus/pci/drivers");
  for (let s = 0; s < m.config.sockets; s++) {
    const buses = SPR_ROOT_BUSES[s]!;
    for (let i = 0; i < 4; i++) {
      const b = buses[i]!.toString(16).padStart(2, "0");
      const fns: [number, IdxdHwCaps][] = [];
      if (i < m.config.dsaPerSocket) fns.push([1, SPR_DSA_CAPS]);
      if (i < m.config.iaaPerSocket) fns.push([2, SPR_IAA_CAPS]);
      if (fns.length === 0) continue;
      const rootDir = sys.mkdirp(`devices/pci0000:${b}`);
      for (const [slot, caps] of fns) {
        const addr = `0000:${b}:0${slot}.0`;
        const path = `/sys/devices/pci0000:${b}/${addr}`;
        const dir = rootDir.dir(addr);
        const numaNode = s < m.topo.nodes.length ? s : 0;
        const fn: PciFunction = { addr, vendor: caps.pciVendor, device: caps.pciDevice, class: caps.pciClass, numaNode, path, dir, hw: new IdxdHw(caps, m.ctx.clock, m.mem), caps, everBound: false };
        const base = PCI_BAR_BASE + (s * 4 + i) * PCI_ROOT_STRIDE;
        const off = PCI_BAR_OFFSETS[slot]!;
        addPciFunctionSysfs(dir, caps, {
          bar0: base + off.bar0,
          bar2: base + off.bar2,
          numaNode,
          localCpus: m.topo.nodes[numaNode]?.cpus ?? [],
          state: () => ({ bound: m.idxd !== null, everBound: fn.everBound, iommuScalable: m.iommu === "scalable", pri: m.idxd !== null && idxdPasid(m) }),
        });
        if (m.iommu === "scalable") {
          const group = String(m.pci.length);
          dir.link("iommu_group", `../../../kernel/iommu_groups/${group}`);
          sys.mkdirp(`kernel/iommu_groups/${group}/devices`).link(addr, `../../../../devices/pci0000:${b}/${addr}`);
        }
        busPci.link(addr, `../../../devices/pci0000:${b}/${addr}`);
        m.pci.push(fn);
      }
    }
  }
}

// ----------------------------------------------------------------------
// Modules: idxd_bus, idxd
// ----------------------------------------------------------------------

function defineIdxdModules(m: Machine): void {
  const enabled = (opt: string) => m.config.kconfig[opt] === "y" || m.config.kconfig[opt] === "m";
  if (enabled("CONFIG_INTEL_IDXD_BUS") || enabled("CONFIG_INTEL_IDXD")) {
    m.modules.define({
      name: "idxd_bus",
      deps: [],
      size: 12288,
      init: () => {
        m.bus = new Bus("dsa", m.fs.sys, m.ctx.log, idxdBusUevent);
        return 0;
      },
      exit: () => {
        m.fs.sys.dir("bus").remove("dsa");
        m.bus = null;
      },
    });
  }
  if (enabled("CONFIG_INTEL_IDXD")) {
    // what depmod extracted from the idxd .ko's device table (lspci -k matches modalias against it)
    const aliases = "# Aliases extracted from modules themselves.\n" + idxdModuleAliases();
    m.fs.root.mkdirp(`lib/modules/${m.config.release}`).add("modules.alias", new KnFile(0o644, new TextEncoder().encode(aliases)));
    m.modules.define({
      name: "idxd",
      deps: ["idxd_bus"],
      size: 172032,
      init: () => loadIdxd(m),
      exit: () => unloadIdxd(m),
      params: {
        tc_override: {
          mode: 0o644,
          show: () => (m.idxd?.params.tcOverride === true ? "Y\n" : "N\n"),
          store: (v) => {
            if (m.idxd === null) return -Errno.ENODEV;
            const t = v.trim();
            if (!["0", "1", "y", "n", "Y", "N"].includes(t)) return -Errno.EINVAL;
            m.idxd.params.tcOverride = t === "1" || t === "y" || t === "Y";
            return 0;
          },
        },
        sva: { mode: 0o644, show: () => "Y\n" },
      },
    });
  }
}

/** idxd module init: registers the drivers and probes every IAA/DSA PCI function in order. */
function loadIdxd(m: Machine): number {
  if (m.bus === null) return -Errno.ENODEV;
  // PASID for idxd needs scalable mode and CONFIG_INTEL_IDXD_SVM
  const pasid = idxdPasid(m);
  const idxd = new Idxd(m.ctx, m.mem, m.bus, { pasid, enqcmd: m.config.firmware.enqcmds && pasid, iaaDefaults: true });
  idxd.onCdev = (wq, present) => {
    const now = m.ctx.clock.now;
    const d = m.fs.dev.dir(wq.idxd.type);
    // linux: drivers/dma/idxd/cdev.c idxd_wq_add_cdev(): MKDEV(the type's major, the minor from its IDA),
    // named "<type>/wqN.M"; idxd gives no devnode mode, so devtmpfs makes it 0600 root:root
    if (present) d.device(wq.devName, "chr", 0o600, wq.idxd.cdevMajor, wq.cdevMinor, () => "", () => -Errno.EINVAL).mtime = now;
    else d.remove(wq.devName);
    d.mtime = now;
    // devtmpfs's delete_path(): the directory goes with its last node
    if (d.children.size === 0) m.fs.dev.remove(wq.idxd.type);
  };
  const rc = idxd.init();
  if (rc !== 0) return rc;
  m.idxd = idxd;
  const pciDrv = m.fs.sys.mkdirp("bus/pci/drivers/idxd");
  for (const fn of m.pci) {
    const f: IdxdPciFunction = { pciName: fn.addr, caps: fn.caps, hw: fn.hw, numaNode: fn.numaNode, dir: fn.dir, path: fn.path };
    idxd.pciProbe(f);
    fn.everBound = true;
    fn.dir.link("driver", "../../../bus/pci/drivers/idxd");
    pciDrv.link(fn.addr, `../../../../devices/${fn.path.split("/").slice(3).join("/")}`);
  }
  for (const h of m.hooks.idxdLoaded) h(idxd);
  return 0;
}

function unloadIdxd(m: Machine): void {
  const idxd = m.idxd;
  if (idxd === null) return;
  for (const h of m.hooks.idxdUnloading) h(idxd);
  idxd.exit();
  for (const fn of m.pci) fn.dir.remove("driver");
  m.fs.sys.mkdirp("bus/pci/drivers").remove("idxd");
  m.idxd = null;
}

// ----------------------------------------------------------------------
// procfs, debugfs
// ----------------------------------------------------------------------

function createProcfs(m: Machine): void {
  const proc = m.fs.proc;
  const c = m.config;
  proc.attr("cmdline", 0o444, () => `${c.cmdline}\n`);
  proc.attr("modules", 0o444, () => m.modules.procModules());
  if (c.kconfig["CONFIG_IKCONFIG_PROC"] === "y") {
    const text = kconfigText(c);
    const gz = gzipSync(Buffer.from(text, "utf8"));
    proc.attr("config.gz", 0o444, () => new Uint8Array(gz));
  }
  proc.attr("version", 0o444, () => `Linux version ${c.release} (iaa-emu) ${VERSION}\n`);
  proc.attr("cpuinfo", 0o444, () => cpuinfo({ layout: m.config, nrCpus: m.topo.nrCpus, enqcmd: m.config.firmware.enqcmds && m.iommu === "scalable" }));
  proc.attr("uptime", 0o444, () => {
    const s = (m.ctx.clock.now / 1e9).toFixed(2);
    return `${s} 0.00\n`;
  });
  const sysKernel = proc.mkdirp("sys/kernel");
  sysKernel.attr("osrelease", 0o444, () => `${c.release}\n`);
  sysKernel.attr("ostype", 0o444, () => "Linux\n");
  sysKernel.attr("version", 0o444, () => `${VERSION}\n`);
  // proc_do_uts_string: a write takes the text up to its first newline, at most __NEW_UTS_LEN (64) bytes
  sysKernel.attr("hostname", 0o644, () => `${m.uts.nodename}\n`, (buf) => {
    m.uts.nodename = buf.split("\n")[0]!.slice(0, 64);
    return 0;
  });
  const oops = m.ctx.oops!;
  sysKernel.attr("tainted", 0o644, () => `${oops.taint}\n`, (buf) => storeTainted(oops, buf));
}

/** The DMI description an oops' `Hardware name:` line shows (dmi_format_system(): vendor product, BIOS version date). */
export const HARDWARE_NAME = "iaa-emu Virtual Machine, BIOS iaa-emu 01/01/2025";

/** What an oops reports of this machine: release, version, hardware and the loaded modules (the newest first). */
function wireOops(m: Machine): void {
  const o = m.ctx.oops!;
  o.release = m.config.release;
  o.version = VERSION;
  o.hardwareName = HARDWARE_NAME;
  o.modules = () => m.modules.list().reverse();
}

/** init_utsname()->version */
const VERSION = "#1 SMP PREEMPT_DYNAMIC";

/** The text of .config for /proc/config.gz. */
export function kconfigText(c: MachineConfig): string {
  const lines = ["#", "# Automatically generated file; DO NOT EDIT.", `# Linux/x86 ${c.release} Kernel Configuration`, "#"];
  for (const [k, v] of Object.entries(c.kconfig)) {
    lines.push(v === "n" ? `# ${k} is not set` : `${k}=${v}`);
  }
  return lines.join("\n") + "\n";
}

function createDebugfs(m: Machine): void {
  if (m.config.kconfig["CONFIG_DYNAMIC_DEBUG"] !== "y") return;
  m.fs.debug.mkdirp("dynamic_debug").attr("control", 0o644, () => m.ctx.dyndbg.show(), (buf) => m.ctx.dyndbg.exec(buf));
}
