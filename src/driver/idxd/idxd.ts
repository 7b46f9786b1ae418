/**
 * The idxd driver's software state (linux: drivers/dma/idxd/idxd.h): devices,
 * work queues, groups and engines as the kernel keeps them and sysfs shows
 * them. All fields are plain data so a machine can be saved and restored.
 */
import type { IdxdHw } from "../../hw/idxd_hw.js";
import type { IdxdHwCaps } from "../../hw/caps.js";
import type { KnDir } from "../../kernfs/node.js";
import type { BusDevice, BusDriver } from "../core/bus.js";

// ---- software command status (include/uapi/linux/idxd.h IDXD_SCMD_*) ----
export const IDXD_SCMD_DEV_ENABLED = 0x80000010;
export const IDXD_SCMD_DEV_NOT_ENABLED = 0x80000020;
export const IDXD_SCMD_WQ_ENABLED = 0x80000021;
export const IDXD_SCMD_DEV_DMA_ERR = 0x80020000;
export const IDXD_SCMD_WQ_NO_GRP = 0x80030000;
export const IDXD_SCMD_WQ_NO_NAME = 0x80040000;
export const IDXD_SCMD_WQ_NO_SVM = 0x80050000;
export const IDXD_SCMD_WQ_NO_THRESH = 0x80060000;
export const IDXD_SCMD_WQ_PORTAL_ERR = 0x80070000;
export const IDXD_SCMD_WQ_RES_ALLOC_ERR = 0x80080000;
export const IDXD_SCMD_PERCPU_ERR = 0x80090000;
export const IDXD_SCMD_DMA_CHAN_ERR = 0x800a0000;
export const IDXD_SCMD_CDEV_ERR = 0x800b0000;
export const IDXD_SCMD_WQ_NO_SWQ_SUPPORT = 0x800c0000;
export const IDXD_SCMD_WQ_NONE_CONFIGURED = 0x800d0000;
export const IDXD_SCMD_WQ_NO_SIZE = 0x800e0000;
export const IDXD_SCMD_WQ_NO_PRIV = 0x800f0000;
export const IDXD_SCMD_WQ_IRQ_ERR = 0x80100000;
export const IDXD_SCMD_WQ_USER_NO_IOMMU = 0x80110000;
export const IDXD_SCMD_DEV_EVL_ERR = 0x80120000;
export const IDXD_SCMD_WQ_NO_DRV_NAME = 0x80200000;

/** IDXD_DEVICES_MODALIAS_FMT (include/linux/mod_devicetable.h) */
export const IDXD_DEVICES_MODALIAS_FMT = "idxd:t%d";

/** idxd_bus_uevent() (drivers/dma/idxd/bus.c): every dsa-bus device reports type 0, which udev matches to iaa_crypto's MODULE_ALIAS_IDXD_DEVICE(0). */
export function idxdBusUevent(): string[] {
  return [`MODALIAS=${IDXD_DEVICES_MODALIAS_FMT.replace("%d", "0")}`];
}

/** struct idxd_desc */
export interface IdxdDesc {
  /** Index in the WQ's pool. */
  readonly id: number;
  /** The 64-byte hardware descriptor (struct iax_hw_desc). */
  readonly hw: Uint8Array;
  /** The 64-byte completion record, a view of DMA memory. */
  readonly completion: Uint8Array;
  /** DMA address of the completion record. */
  readonly complDma: number;
  /** What the submitter wants back in desc_complete (iaa_crypto's request). */
  crypto: unknown;
  /** The WQ it belongs to. */
  readonly wq: IdxdWq;
}

/** idxd_complete_type */
export type IdxdCompleteType = "normal" | "abort";

/** Limits from idxd.h. */
export const WQ_NAME_SIZE = 1024;
export const DRIVER_NAME_SIZE = 128;
export const IDXD_MAX_PRIORITY = 0xf;
export const WQ_DEFAULT_QUEUE_DEPTH = 16;
export const WQ_DEFAULT_MAX_XFER = 2 * 1024 * 1024;
export const WQ_DEFAULT_MAX_BATCH = 32;
export const IDXD_ENQCMDS_RETRIES = 32;
export const IDXD_ENQCMDS_MAX_RETRIES = 64;

export type WqType = "none" | "kernel" | "user";
export type WqState = "disabled" | "enabled" | "locked";
export type DevState = "disabled" | "enabled" | "halted";

/** What kind of object a dsa-bus device is (enum idxd_dev_type). */
export type IdxdDevType = "dsa" | "iax" | "wq" | "engine" | "group";

/** A device on the dsa bus, with a back pointer to the idxd object. */
export interface IdxdBusDevice extends BusDevice {
  readonly devType: IdxdDevType;
  readonly obj: IdxdDevice | IdxdWq | IdxdEngine | IdxdGroup;
}

/** struct idxd_engine */
export class IdxdEngine {
  groupId = -1;
  bus!: IdxdBusDevice;
  constructor(
    readonly id: number,
    readonly idxd: IdxdDevice,
  ) {}
  get name(): string {
    return `engine${this.idxd.id}.${this.id}`;
  }
}

/** struct idxd_group */
export class IdxdGroup {
  readBuffersReserved = 0;
  readBuffersAllowed: number;
  useReadBufferLimit = false;
  tcA = 1;
  tcB = 1;
  descProgressLimit = 0;
  batchProgressLimit = 0;
  bus!: IdxdBusDevice;
  constructor(
    readonly id: number,
    readonly idxd: IdxdDevice,
  ) {
    this.readBuffersAllowed = idxd.caps.maxReadBuffers;
  }
  get name(): string {
    return `group${this.idxd.id}.${this.id}`;
  }
  /** idxd_group_set_defaults() (what a device unbind restores). */
  reset(): void {
    this.readBuffersReserved = 0;
    this.readBuffersAllowed = this.idxd.caps.maxReadBuffers;
    this.useReadBufferLimit = false;
    this.tcA = 1;
    this.tcB = 1;
    this.descProgressLimit = 0;
    this.batchProgressLimit = 0;
  }
}

/** struct idxd_wq */
export class IdxdWq {
  size = 0;
  threshold = 0;
  priority = 0;
  dedicated = false;
  bof = false;
  atsDisable = false;
  prsDisable = false;
  type: WqType = "none";
  name = "";
  driverName = "";
  groupId = -1;
  maxXferBytes = WQ_DEFAULT_MAX_XFER;
  maxBatchSize: number;
  opConfig: number[];
  state: WqState = "disabled";
  /** Open references (idxd_wq_get/put, user opens). */
  clients = 0;
  enqcmdsRetries = IDXD_ENQCMDS_RETRIES;
  /** The descriptor pool while enabled (see submit.ts). */
  descs: IdxdDesc[] = [];
  freeDescs: number[] = [];
  /** 1 for each descriptor id on freeDescs (a double free is found without a scan). */
  descFree = new Uint8Array(0);
  /** Descriptors submitted with RCI and not yet completed (irq pending list). */
  pending: IdxdDesc[] = [];
  /** DMA pages of the completion records while enabled. */
  poolBase = 0;
  poolPages = 0;
  /** The user cdev minor, or -1. */
  cdevMinor = -1;
  /** Sub-driver private data (iaa_crypto stores its iaa_wq here). */
  priv: unknown = null;
  bus!: IdxdBusDevice;
  constructor(
    readonly id: number,
    readonly idxd: IdxdDevice,
  ) {
    this.opConfig = [...idxd.caps.opCap];
    this.maxBatchSize = idxd.isIax ? 0 : WQ_DEFAULT_MAX_BATCH;
  }
  get devName(): string {
    return `wq${this.idxd.id}.${this.id}`;
  }
  /** The driver bound to this WQ, if any. */
  get driver(): BusDriver | null {
    return this.bus.driver;
  }
  /** idxd_wq_set_defaults-style clear of everything but size, group and driver_name (WQ disable). */
  clearConfig(): void {
    this.threshold = 0;
    this.priority = 0;
    this.dedicated = false;
    this.bof = false;
    this.atsDisable = false;
    this.prsDisable = false;
    this.type = "none";
    this.name = "";
    this.maxXferBytes = WQ_DEFAULT_MAX_XFER;
    // idxd_wq_set_max_batch_size(): IAA has no batch descriptor
    this.maxBatchSize = this.idxd.isIax ? 0 : WQ_DEFAULT_MAX_BATCH;
    this.opConfig = [...this.idxd.caps.opCap];
    this.enqcmdsRetries = IDXD_ENQCMDS_RETRIES;
  }
  /**
   * Device-unbind clear (idxd_device_wqs_clear_state(): idxd_wq_disable_cleanup()
   * + idxd_wq_device_reset_cleanup()): everything but driver_name, which the
   * kernel does not touch.
   */
  deviceResetCleanup(): void {
    this.clearConfig();
    this.size = 0;
    this.groupId = -1;
  }
}

/** struct idxd_device */
export class IdxdDevice {
  state: DevState = "disabled";
  cmdStatus = 0;
  readBufferLimit = 0;
  eventLogSize = 0;
  readonly wqs: IdxdWq[] = [];
  readonly groups: IdxdGroup[] = [];
  readonly engines: IdxdEngine[] = [];
  /** IOMMU system PASID for kernel WQs (scalable mode). */
  pasidEnabled: boolean;
  /** User SVA (scalable mode): pasid_enabled in sysfs. */
  userSva: boolean;
  /** The platform supports ENQCMD(S) (firmware switch and CPU). */
  enqcmdSupport: boolean;
  /** The device directory /sys/devices/pci…/<pci>/<name>. */
  dir!: KnDir;
  bus!: IdxdBusDevice;
  cdevMajor: number;
  constructor(
    readonly id: number,
    readonly caps: IdxdHwCaps,
    readonly hw: IdxdHw,
    readonly pciName: string,
    readonly numaNode: number,
    opts: { pasid: boolean; enqcmd: boolean; cdevMajor: number },
  ) {
    this.pasidEnabled = opts.pasid;
    this.userSva = opts.pasid;
    this.enqcmdSupport = opts.enqcmd;
    this.cdevMajor = opts.cdevMajor;
  }
  get type(): "dsa" | "iax" {
    return this.caps.type;
  }
  get name(): string {
    return `${this.caps.type}${this.id}`;
  }
  get isIax(): boolean {
    return this.caps.type === "iax";
  }
  get enabled(): boolean {
    return this.state === "enabled";
  }
  get maxWqs(): number {
    return this.caps.maxWqs;
  }
  get configurable(): boolean {
    return (Math.floor(this.caps.genCap / 0x80000000) & 1) === 1;
  }
  /** Device max transfer size (2^GENCAP.max_xfer_shift). */
  get maxXferBytes(): number {
    return 2 ** (Math.floor(this.caps.genCap / 0x10000) & 0x1f);
  }
  /** Device max batch size: 0 on IAA (no batch), else 2^GENCAP.max_batch_shift. */
  get maxBatchSize(): number {
    return this.isIax ? 0 : 2 ** (Math.floor(this.caps.genCap / 0x200000) & 0xf);
  }
  /** wq_shared_supported(): ENQCMD(S) and a PASID. */
  get swqSupported(): boolean {
    return this.enqcmdSupport && this.pasidEnabled;
  }
}
