/**
 * The idxd driver (linux: drivers/dma/idxd/init.c, defaults.c, dma.c,
 * cdev.c, irq.c): PCI probe of IAA and DSA devices with one IDA for names,
 * the IAA defaults, the sysfs tree, the `idxd`, `dmaengine` and `user` dsa-bus
 * drivers, and the interface WQ sub-drivers (iaa_crypto's "crypto") use.
 *
 * Sub-driver API (what iaa_crypto calls, MODULE_IMPORT_NS(IDXD)):
 * - {@link Idxd.driverRegister}`({ name, probe(wq), remove(wq), descComplete(desc, type, freeDesc) })`
 *   creates /sys/bus/dsa/drivers/<name>/ and binds matching WQs;
 *   {@link Idxd.driverDir} gives that directory for driver attributes.
 * - {@link Idxd.drvEnableWq} / {@link Idxd.drvDisableWq} from probe/remove.
 * - {@link Idxd.allocDesc}(wq, block) → {@link IdxdDesc} | -errno, then fill
 *   `desc.hw`, {@link Idxd.submitDesc}, poll `desc.completion[0]` or wait for
 *   descComplete (RCI), {@link Idxd.freeDesc}.
 * - {@link Idxd.wqGet}/{@link Idxd.wqPut} (client references), {@link Idxd.wqQuiesce}.
 * - WQ and device accessors: `wq.id`, `wq.name`, `wq.driverName`, `wq.type`,
 *   `wq.priv`, `wq.idxd.{id, name, pciName, numaNode, isIax, enabled, cmdStatus, maxWqs}`.
 */
import type { IdxdHwCaps } from "../../hw/caps.js";
import type { IdxdHw } from "../../hw/idxd_hw.js";
import type { KnDir } from "../../kernfs/node.js";
import type { KernelContext } from "../../lib/context.js";
import { Errno } from "../../lib/errno.js";
import { LogLevel } from "../../lib/printk.js";
import { TIMING } from "../../lib/timing.js";
import type { PhysMem } from "../../mm/phys_mem.js";
import type { Bus, BusDevice, BusDriver } from "../core/bus.js";
import { type IdxdDeviceOps, idxdDeviceDrvProbe, idxdDeviceDrvRemove, idxdDrvDisableWq, idxdDrvEnableWq } from "./device.js";
import {
  type IdxdBusDevice,
  type IdxdDevType,
  IdxdDevice,
  IdxdEngine,
  IdxdGroup,
  IdxdWq,
  IDXD_SCMD_CDEV_ERR,
  IDXD_SCMD_WQ_NO_DRV_NAME,
  IDXD_SCMD_WQ_USER_NO_IOMMU,
} from "./idxd.js";
import { type IdxdCompleteType, type IdxdDesc, idxdAllocDesc, idxdFreeDesc, idxdSubmitDesc, idxdTakeCompleted, idxdWqAllocResources, idxdWqFreeResources } from "./submit.js";
import { type IdxdParams, idxdDeviceAttrs, idxdEngineAttrs, idxdGroupAttrs, idxdWqAttrs } from "./sysfs.js";

/** struct idxd_device_driver for a WQ sub-driver (iaa_crypto's "crypto"). */
export interface IdxdSubDriver {
  readonly name: string;
  /** 0 or -errno. */
  probe(wq: IdxdWq): number;
  remove(wq: IdxdWq): void;
  /** Called from the irq thread for descriptors submitted with RCI; frees the descriptor if `freeDesc`. */
  descComplete?(desc: IdxdDesc, type: IdxdCompleteType, freeDesc: boolean): void;
}

/** What PCI enumeration found: one idxd function. */
export interface IdxdPciFunction {
  /** "0000:6a:02.0" */
  pciName: string;
  caps: IdxdHwCaps;
  hw: IdxdHw;
  numaNode: number;
  /** The PCI device's sysfs directory (/sys/devices/pci0000:6a/0000:6a:02.0). */
  dir: KnDir;
  /** Its absolute path. */
  path: string;
}

/** Platform facts the driver reads at probe. */
export interface IdxdPlatform {
  /** IOMMU in scalable mode with SVA: PASID for kernel WQs and user SVA. */
  pasid: boolean;
  /** ENQCMD(S) usable (CPU feature and firmware switch). */
  enqcmd: boolean;
  /** Load the IAA defaults at probe (Linux ≥ 6.8). */
  iaaDefaults: boolean;
}

/** The dev_dbg() call sites this driver prints through (dynamic debug `module idxd +p`); line numbers are approximate. */
const IDXD_DEBUG_SITES = [
  { func: "idxd_device_enable", file: "drivers/dma/idxd/device.c", line: 120, format: "Enabling device failed: %#x\\012" },
  { func: "idxd_wq_enable", file: "drivers/dma/idxd/device.c", line: 190, format: "WQ enable failed: %#x\\012" },
  { func: "drv_enable_wq", file: "drivers/dma/idxd/device.c", line: 1390, format: "wq %d already enabled.\\012" },
  { func: "idxd_dmaengine_drv_probe", file: "drivers/dma/idxd/dma.c", line: 330, format: "Enable wq %d failed: %d\\012" },
  { func: "idxd_user_drv_probe", file: "drivers/dma/idxd/cdev.c", line: 590, format: "User type WQ cannot be enabled without SVA.\\012" },
];

/** Per-type char-device majors (assigned at module init, as dynamic majors are). */
const CDEV_MAJOR: Record<"dsa" | "iax", number> = { dsa: 235, iax: 234 };

/**
 * The idxd module instance.
 *
 * @example
 * const idxd = new Idxd(ctx, mem, bus, { pasid: true, enqcmd: true, iaaDefaults: true });
 * idxd.init();                       // registers idxd, dmaengine, user
 * idxd.pciProbe(fn);                 // iax1 …, enabled by autoprobe
 * idxd.driverRegister(cryptoDriver); // wq1.0 binds
 */
export class Idxd {
  readonly devices: IdxdDevice[] = [];
  readonly params: IdxdParams = { tcOverride: false };
  /** The global IDA for device ids. */
  private ids: boolean[] = [];
  private subDrivers = new Map<string, { sub: IdxdSubDriver; drv: BusDriver }>();
  private cdevMinors: Record<"dsa" | "iax", boolean[]> = { dsa: [], iax: [] };
  /** Called when a user WQ's /dev/<type>/wqN.M appears or goes. */
  onCdev: (wq: IdxdWq, present: boolean) => void = () => {};
  readonly idxdDrv: BusDriver;
  readonly dmaengineDrv: BusDriver;
  readonly userDrv: BusDriver;
  private readonly ops: IdxdDeviceOps;

  constructor(
    readonly ctx: KernelContext,
    readonly mem: PhysMem,
    readonly bus: Bus,
    readonly platform: IdxdPlatform,
  ) {
    this.ops = {
      devWarn: (idxd, msg) => this.ctx.log.printk(LogLevel.WARNING, `idxd ${idxd.pciName}: ${msg}`),
      confDevWarn: (idxd, msg) => this.ctx.log.printk(LogLevel.WARNING, `${idxd.bus.driver?.name ?? this.bus.name} ${idxd.name}: ${msg}`),
      devDbg: (idxd, func, msg) => this.devDbg(idxd, func, msg),
      releaseWq: (wq) => {
        if (wq.bus.driver !== null) this.bus.unbind(wq.bus.driver.name, wq.devName);
      },
      allocResources: (wq) => idxdWqAllocResources(wq, this.mem),
      freeResources: (wq) => this.freeWqResources(wq),
    };
    const isWq = (dev: BusDevice) => (dev as IdxdBusDevice).devType === "wq";
    this.idxdDrv = {
      name: "idxd",
      match: (dev) => {
        const t = (dev as IdxdBusDevice).devType;
        return t === "dsa" || t === "iax";
      },
      probe: (dev) => idxdDeviceDrvProbe((dev as IdxdBusDevice).obj as IdxdDevice, this.ops),
      remove: (dev) => idxdDeviceDrvRemove((dev as IdxdBusDevice).obj as IdxdDevice, this.ops),
    };
    this.dmaengineDrv = {
      name: "dmaengine",
      match: isWq,
      probe: (dev) => this.dmaengineProbe((dev as IdxdBusDevice).obj as IdxdWq),
      remove: (dev) => this.drvDisableWq((dev as IdxdBusDevice).obj as IdxdWq),
    };
    this.userDrv = {
      name: "user",
      match: isWq,
      probe: (dev) => this.userProbe((dev as IdxdBusDevice).obj as IdxdWq),
      remove: (dev) => this.userRemove((dev as IdxdBusDevice).obj as IdxdWq),
    };
  }

  private devDbg(idxd: IdxdDevice, func: string, msg: string): void {
    if (this.ctx.dyndbg.enabled("idxd", func)) this.ctx.log.printk(LogLevel.DEBUG, `idxd ${idxd.pciName}: ${msg}`);
  }

  // ------------------------------------------------------------------
  // Module init / exit
  // ------------------------------------------------------------------

  /** idxd_init_module(): registers the dynamic-debug sites and the idxd, dmaengine and user drivers. */
  init(): number {
    this.ctx.dyndbg.register("idxd", IDXD_DEBUG_SITES);
    for (const d of [this.idxdDrv, this.dmaengineDrv, this.userDrv]) {
      const rc = this.bus.registerDriver(d);
      if (rc !== 0) return rc;
    }
    return 0;
  }

  /** idxd_exit_module(): unregisters the drivers and removes every device. */
  exit(): void {
    for (const idxd of [...this.devices].reverse()) this.pciRemove(idxd);
    for (const d of [this.userDrv, this.dmaengineDrv, this.idxdDrv]) this.bus.unregisterDriver(d);
    this.ctx.dyndbg.unregister("idxd");
  }

  // ------------------------------------------------------------------
  // PCI probe
  // ------------------------------------------------------------------

  private idaAlloc(): number {
    let i = 0;
    while (this.ids[i] === true) i++;
    this.ids[i] = true;
    return i;
  }

  /**
   * idxd_pci_probe(): allocates the name, builds the software state and sysfs
   * tree, loads the IAA defaults, then adds the device, WQs, engines and groups
   * to the dsa bus (device first, so autoprobe enables it).
   */
  pciProbe(fn: IdxdPciFunction): IdxdDevice {
    const id = this.idaAlloc();
    const idxd = new IdxdDevice(id, fn.caps, fn.hw, fn.pciName, fn.numaNode, {
      pasid: this.platform.pasid,
      enqcmd: this.platform.enqcmd,
      cdevMajor: CDEV_MAJOR[fn.caps.type],
    });
    for (let i = 0; i < fn.caps.maxWqs; i++) idxd.wqs.push(new IdxdWq(i, idxd));
    for (let i = 0; i < fn.caps.maxGroups; i++) idxd.groups.push(new IdxdGroup(i, idxd));
    for (let i = 0; i < fn.caps.maxEngines; i++) idxd.engines.push(new IdxdEngine(i, idxd));
    fn.hw.onInterrupt = (vector) => this.interrupt(idxd, vector);
    this.ctx.log.printk(LogLevel.INFO, `idxd ${fn.pciName}: Intel(R) Accelerator Device (v${fn.caps.version.toString(16)})`);
    if (idxd.isIax && this.platform.iaaDefaults && idxdLoadIaaDeviceDefaults(idxd) !== 0) {
      this.ctx.log.printk(LogLevel.WARNING, `idxd ${fn.pciName}: IDXD loading device defaults failed`);
    }
    const devPath = `${fn.path}/${idxd.name}`;
    idxd.dir = fn.dir.dir(idxd.name);
    idxdDeviceAttrs(idxd.dir, idxd);
    idxd.bus = this.busDev(idxd.name, devPath, idxd.dir, idxd.type, idxd);
    const children: IdxdBusDevice[] = [];
    for (const wq of idxd.wqs) {
      const d = idxd.dir.dir(wq.devName);
      idxdWqAttrs(d, wq);
      wq.bus = this.busDev(wq.devName, `${devPath}/${wq.devName}`, d, "wq", wq);
      children.push(wq.bus);
    }
    for (const e of idxd.engines) {
      const d = idxd.dir.dir(e.name);
      idxdEngineAttrs(d, e);
      e.bus = this.busDev(e.name, `${devPath}/${e.name}`, d, "engine", e);
      children.push(e.bus);
    }
    for (const g of idxd.groups) {
      const d = idxd.dir.dir(g.name);
      idxdGroupAttrs(d, g, this.params);
      g.bus = this.busDev(g.name, `${devPath}/${g.name}`, d, "group", g);
      children.push(g.bus);
    }
    this.devices.push(idxd);
    this.bus.addDevice(idxd.bus);
    for (const c of children) this.bus.addDevice(c);
    return idxd;
  }

  /** idxd_pci_remove() (module unload). */
  private pciRemove(idxd: IdxdDevice): void {
    for (const wq of idxd.wqs) this.bus.removeDevice(wq.bus);
    for (const e of idxd.engines) this.bus.removeDevice(e.bus);
    for (const g of idxd.groups) this.bus.removeDevice(g.bus);
    this.bus.removeDevice(idxd.bus);
    idxd.dir.parent?.remove(idxd.name);
    this.ids[idxd.id] = false;
    this.devices.splice(this.devices.indexOf(idxd), 1);
  }

  private busDev(name: string, sysfsPath: string, dir: KnDir, devType: IdxdDevType, obj: IdxdBusDevice["obj"]): IdxdBusDevice {
    // conf_dev types (sysfs.c dsa_device_type, iax_device_type, idxd_wq_device_type, …) are named like devType
    return { name, sysfsPath, dir, driver: null, devType, obj, typeName: devType };
  }

  /** A device or WQ by its bus name ("iax1", "wq1.0"). */
  lookup(name: string): IdxdDevice | IdxdWq | undefined {
    for (const d of this.devices) {
      if (d.name === name) return d;
      for (const wq of d.wqs) if (wq.devName === name) return wq;
    }
    return undefined;
  }

  // ------------------------------------------------------------------
  // The dmaengine and user WQ drivers
  // ------------------------------------------------------------------

  private nameMatch(wq: IdxdWq, drv: string): boolean {
    return wq.driverName.startsWith(drv);
  }

  /** idxd_dmaengine_drv_probe() (no DMA channel is modelled). */
  private dmaengineProbe(wq: IdxdWq): number {
    const idxd = wq.idxd;
    if (idxd.state !== "enabled") return -Errno.ENXIO;
    if (!this.nameMatch(wq, "dmaengine")) {
      idxd.cmdStatus = IDXD_SCMD_WQ_NO_DRV_NAME;
      return -Errno.ENODEV;
    }
    wq.type = "kernel";
    const rc = this.drvEnableWq(wq);
    if (rc < 0) {
      this.devDbg(idxd, "idxd_dmaengine_drv_probe", `Enable wq ${wq.id} failed: ${rc}`);
      wq.type = "none";
      return -Errno.ENXIO;
    }
    idxd.cmdStatus = 0;
    return 0;
  }

  /** idxd_user_drv_probe(): needs user SVA; creates /dev/<type>/wqN.M. */
  private userProbe(wq: IdxdWq): number {
    const idxd = wq.idxd;
    if (idxd.state !== "enabled") return -Errno.ENXIO;
    if (!this.nameMatch(wq, "user")) {
      idxd.cmdStatus = IDXD_SCMD_WQ_NO_DRV_NAME;
      return -Errno.ENODEV;
    }
    if (!idxd.userSva) {
      idxd.cmdStatus = IDXD_SCMD_WQ_USER_NO_IOMMU;
      this.devDbg(idxd, "idxd_user_drv_probe", "User type WQ cannot be enabled without SVA.");
      return -Errno.EOPNOTSUPP;
    }
    wq.type = "user";
    const rc = this.drvEnableWq(wq);
    if (rc < 0) {
      wq.type = "none";
      return rc;
    }
    const minors = this.cdevMinors[idxd.type];
    let m = 0;
    while (minors[m] === true) m++;
    if (m > 255) {
      idxd.cmdStatus = IDXD_SCMD_CDEV_ERR;
      this.drvDisableWq(wq);
      return -Errno.ENOSPC;
    }
    minors[m] = true;
    wq.cdevMinor = m;
    this.onCdev(wq, true);
    idxd.cmdStatus = 0;
    return 0;
  }

  private userRemove(wq: IdxdWq): void {
    if (wq.cdevMinor >= 0) {
      this.onCdev(wq, false);
      this.cdevMinors[wq.idxd.type][wq.cdevMinor] = false;
      wq.cdevMinor = -1;
    }
    this.drvDisableWq(wq);
  }

  // ------------------------------------------------------------------
  // Sub-driver API
  // ------------------------------------------------------------------

  /** idxd_driver_register(): a WQ driver named `sub.name` on the dsa bus. */
  driverRegister(sub: IdxdSubDriver): number {
    if (this.subDrivers.has(sub.name)) return -Errno.EBUSY;
    const drv: BusDriver = {
      name: sub.name,
      match: (dev) => (dev as IdxdBusDevice).devType === "wq",
      probe: (dev) => sub.probe((dev as IdxdBusDevice).obj as IdxdWq),
      remove: (dev) => sub.remove((dev as IdxdBusDevice).obj as IdxdWq),
    };
    this.subDrivers.set(sub.name, { sub, drv });
    const rc = this.bus.registerDriver(drv);
    if (rc !== 0) this.subDrivers.delete(sub.name);
    return rc;
  }

  /** Alias of {@link Idxd.driverRegister}. */
  registerWqDriver(sub: IdxdSubDriver): number {
    return this.driverRegister(sub);
  }

  /** idxd_driver_unregister(): unbinds its WQs and removes the driver directory. */
  driverUnregister(sub: IdxdSubDriver): void {
    const e = this.subDrivers.get(sub.name);
    if (e === undefined) return;
    this.bus.unregisterDriver(e.drv);
    this.subDrivers.delete(sub.name);
  }

  /** /sys/bus/dsa/drivers/<name>/ while registered: where driver attributes go. */
  driverDir(sub: { name: string }): KnDir | null {
    return this.bus.driverDir(sub.name);
  }

  /** idxd_drv_enable_wq() */
  drvEnableWq(wq: IdxdWq): number {
    return idxdDrvEnableWq(wq, this.ops);
  }

  /** idxd_drv_disable_wq() */
  drvDisableWq(wq: IdxdWq): void {
    idxdDrvDisableWq(wq, this.ops);
  }

  /** idxd_wq_quiesce(): waits (virtual time) until no descriptor of the WQ is outstanding. */
  wqQuiesce(wq: IdxdWq): void {
    this.ctx.clock.runUntil(() => wq.freeDescs.length === wq.descs.length && wq.pending.length === 0);
  }

  /** idxd_alloc_desc() */
  allocDesc(wq: IdxdWq, block: boolean): IdxdDesc | number {
    return idxdAllocDesc(wq, block, this.ctx.clock);
  }

  /** idxd_free_desc() */
  freeDesc(wq: IdxdWq, desc: IdxdDesc): void {
    idxdFreeDesc(wq, desc);
  }

  /** idxd_submit_desc() */
  submitDesc(wq: IdxdWq, desc: IdxdDesc): number {
    return idxdSubmitDesc(wq, desc);
  }

  /** idxd_wq_get() */
  wqGet(wq: IdxdWq): void {
    wq.clients++;
  }

  /** idxd_wq_put() */
  wqPut(wq: IdxdWq): void {
    if (wq.clients > 0) wq.clients--;
  }

  // ------------------------------------------------------------------
  // Interrupts
  // ------------------------------------------------------------------

  /** The MSI-X handler: vector 0 is the misc interrupt, vector n is WQ n-1's; the WQ thread runs after the wake-up latency. */
  private interrupt(idxd: IdxdDevice, vector: number): void {
    if (vector === 0) {
      const e = idxd.hw.swerr;
      if (e.valid) this.ctx.log.printk(LogLevel.WARNING, `idxd ${idxd.pciName}: Software error status 0x${e.status.toString(16)} on wq ${e.wq}, opcode 0x${e.opcode.toString(16)}`);
      return;
    }
    const wq = idxd.wqs[vector - 1];
    if (wq === undefined) return;
    this.ctx.clock.schedule(TIMING.irqWakeupNs, () => this.wqThread(wq));
  }

  /** idxd_wq_thread(): completes the WQ's finished descriptors through its driver. */
  private wqThread(wq: IdxdWq): void {
    for (const desc of idxdTakeCompleted(wq)) this.completeDesc(wq, desc, "normal");
  }

  private completeDesc(wq: IdxdWq, desc: IdxdDesc, type: IdxdCompleteType): void {
    const name = wq.bus.driver?.name;
    const sub = name === undefined ? undefined : this.subDrivers.get(name)?.sub;
    if (sub?.descComplete !== undefined) sub.descComplete(desc, type, true);
    else idxdFreeDesc(wq, desc);
  }

  /** idxd_wq_free_irq() + idxd_wq_free_resources(): pending descriptors complete as aborted. */
  private freeWqResources(wq: IdxdWq): void {
    const pending = wq.pending;
    wq.pending = [];
    for (const desc of pending) this.completeDesc(wq, desc, desc.completion[0] !== 0 ? "normal" : "abort");
    idxdWqFreeResources(wq, this.mem);
  }

  // ------------------------------------------------------------------
  // State
  // ------------------------------------------------------------------

  /** The configuration and state of every device (JSON-safe); see {@link Idxd.loadState}. */
  saveState(): IdxdState {
    return {
      params: { ...this.params },
      devices: this.devices.map((d) => this.saveDevice(d)),
    };
  }

  private saveDevice(d: IdxdDevice): IdxdState["devices"][number] {
    return {
      name: d.name,
      state: d.state,
      cmdStatus: d.cmdStatus,
      readBufferLimit: d.readBufferLimit,
      eventLogSize: d.eventLogSize,
      hw: d.hw.saveState(),
      wqs: d.wqs.map((w) => ({
        size: w.size, threshold: w.threshold, priority: w.priority, dedicated: w.dedicated, bof: w.bof,
        atsDisable: w.atsDisable, prsDisable: w.prsDisable, type: w.type, name: w.name, driverName: w.driverName,
        groupId: w.groupId, maxXferBytes: w.maxXferBytes, maxBatchSize: w.maxBatchSize, opConfig: [...w.opConfig],
        enqcmdsRetries: w.enqcmdsRetries, state: w.state, driver: w.bus.driver?.name ?? null,
      })),
      groups: d.groups.map((g) => ({ readBuffersReserved: g.readBuffersReserved, readBuffersAllowed: g.readBuffersAllowed, useReadBufferLimit: g.useReadBufferLimit, tcA: g.tcA, tcB: g.tcB })),
      engines: d.engines.map((e) => e.groupId),
      driver: d.bus.driver?.name ?? null,
    };
  }

  /**
   * Restores a {@link IdxdState} onto a freshly booted machine with the same
   * devices: everything is unbound, the configuration copied, then devices
   * and WQs are bound again to the drivers they had (drivers must already be
   * registered). Descriptor pools are rebuilt empty. A device whose
   * configuration and bindings already are the saved ones is left as it is
   * (unbinding the last WQ of iaa_crypto would unregister nothing, and its
   * rebinding then fail with -EEXIST, as in the kernel).
   */
  loadState(s: IdxdState): number {
    Object.assign(this.params, s.params);
    for (const ds of s.devices) {
      const d = this.devices.find((x) => x.name === ds.name);
      if (d === undefined) return -Errno.ENODEV;
      if (sameConfig(this.saveDevice(d), ds)) {
        d.cmdStatus = ds.cmdStatus;
        continue;
      }
      if (d.bus.driver !== null) this.bus.unbind(d.bus.driver.name, d.name);
      d.readBufferLimit = ds.readBufferLimit;
      d.eventLogSize = ds.eventLogSize;
      ds.wqs.forEach((w, i) => {
        const wq = d.wqs[i]!;
        Object.assign(wq, { size: w.size, threshold: w.threshold, priority: w.priority, dedicated: w.dedicated, bof: w.bof, atsDisable: w.atsDisable, prsDisable: w.prsDisable, type: w.type, name: w.name, driverName: w.driverName, groupId: w.groupId, maxXferBytes: w.maxXferBytes, maxBatchSize: w.maxBatchSize, opConfig: [...w.opConfig], enqcmdsRetries: w.enqcmdsRetries });
      });
      ds.groups.forEach((g, i) => Object.assign(d.groups[i]!, g));
      ds.engines.forEach((gid, i) => (d.engines[i]!.groupId = gid));
      if (ds.driver !== null) this.bus.bind(ds.driver, d.name);
      ds.wqs.forEach((w, i) => {
        if (w.driver === null) return;
        const wq = d.wqs[i]!;
        // probe rewrites the type; keep the saved user-visible config
        const saved = { type: w.type, name: w.name };
        this.bus.bind(w.driver, wq.devName);
        if (wq.state === "enabled") Object.assign(wq, saved);
      });
      d.cmdStatus = ds.cmdStatus;
    }
    return 0;
  }
}

/** Whether two saved devices have the same configuration, states and bindings (registers and cmd_status aside). */
function sameConfig(a: IdxdState["devices"][number], b: IdxdState["devices"][number]): boolean {
  return JSON.stringify({ ...a, hw: null, cmdStatus: 0 }) === JSON.stringify({ ...b, hw: null, cmdStatus: 0 });
}

/** JSON-safe idxd state. */
export interface IdxdState {
  params: IdxdParams;
  devices: {
    name: string;
    state: string;
    cmdStatus: number;
    readBufferLimit: number;
    eventLogSize: number;
    hw: ReturnType<IdxdHw["saveState"]>;
    wqs: (Pick<IdxdWq, "size" | "threshold" | "priority" | "dedicated" | "bof" | "atsDisable" | "prsDisable" | "type" | "name" | "driverName" | "groupId" | "maxXferBytes" | "maxBatchSize" | "opConfig" | "enqcmdsRetries" | "state"> & { driver: string | null })[];
    groups: { readBuffersReserved: number; readBuffersAllowed: number; useReadBufferLimit: boolean; tcA: number; tcB: number }[];
    engines: number[];
    driver: string | null;
  }[];
}

/**
 * idxd_load_iaa_device_defaults() (linux: drivers/dma/idxd/defaults.c): wq0
 * dedicated, threshold 0, size = total WQ size, priority 10, kernel, group 0,
 * name "iaa_crypto", driver_name "crypto"; engine 0 in group 0.
 */
export function idxdLoadIaaDeviceDefaults(idxd: IdxdDevice): number {
  if (!idxd.configurable) return 0;
  const wq = idxd.wqs[0]!;
  if (wq.state !== "disabled") return -Errno.EPERM;
  wq.dedicated = true;
  wq.threshold = 0;
  wq.size = idxd.caps.totalWqSize;
  wq.priority = 10;
  wq.type = "kernel";
  wq.groupId = 0;
  wq.name = "iaa_crypto";
  wq.driverName = "crypto";
  idxd.engines[0]!.groupId = 0;
  return 0;
}
