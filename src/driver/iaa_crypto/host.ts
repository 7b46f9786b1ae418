/**
 * What the iaa_crypto module needs from the kernel around it: the idxd
 * sub-driver interface, the crypto API, its own module reference, debugfs and
 * the kernel services. The machine (src/system) fills this in from the real
 * idxd driver, crypto API and module registry; tests fill it with fakes.
 *
 * The shapes follow the kernel: `struct idxd_device`/`struct idxd_wq` as
 * iaa_crypto reads them, `struct idxd_desc` (descriptor + completion record in
 * DMA memory), `struct idxd_device_driver`.
 */
import type { ModuleRef } from "../../crypto/acomp.js";
import type { CryptoApi } from "../../crypto/api.js";
import type { KnDir } from "../../kernfs/node.js";
import type { KernelContext } from "../../lib/context.js";
import type { PhysMem } from "../../mm/phys_mem.js";

/** struct idxd_device, as much as iaa_crypto reads. */
export interface IdxdDeviceView {
  /** idxd->id (1 for iax1). */
  readonly id: number;
  /** dev_name(&idxd->pdev->dev), e.g. "0000:e7:02.0". */
  readonly pciName: string;
  /** idxd->max_wqs */
  readonly maxWqs: number;
  /** idxd->data->type == IDXD_TYPE_IAX */
  readonly isIax: boolean;
  /** idxd->state == IDXD_DEV_ENABLED */
  readonly enabled: boolean;
  /** idxd->cmd_status (the probe sets IDXD_SCMD_WQ_NO_DRV_NAME). */
  cmdStatus: number;
}

/** struct idxd_wq, as much as iaa_crypto reads and writes. */
export interface IdxdWqView {
  /** wq->id within its device. */
  readonly id: number;
  readonly idxd: IdxdDeviceView;
  /** wq->name */
  readonly name: string;
  /** wq->driver_name */
  readonly driverName: string;
  /** wq->type; the probe sets "kernel", and "none" on failure. */
  type: "none" | "kernel" | "user";
}

/** struct idxd_desc: a descriptor slot with its completion record, both in DMA memory. */
export interface IdxdDescView {
  /** The 64-byte `struct iax_hw_desc` to fill. */
  readonly hw: Uint8Array;
  /** The 64-byte `struct iax_completion_record` (zeroed at allocation). */
  readonly completion: Uint8Array;
  /** DMA address of the completion record (compl_dma). */
  readonly complDma: number;
  /** idxd_desc->crypto: what the irq path hands back to desc_complete. */
  crypto: unknown;
}

/** enum idxd_complete_type */
export type IdxdCompleteType = "normal" | "abort";

/** struct idxd_device_driver for a WQ sub-driver. */
export interface IdxdSubDriver {
  readonly name: string;
  /** 0 or -errno */
  probe(wq: IdxdWqView): number;
  remove(wq: IdxdWqView): void;
  /** Called from the idxd irq path for descriptors submitted with RCI. */
  descComplete(desc: IdxdDescView, type: IdxdCompleteType, freeDesc: boolean): void;
}

/** The idxd exports iaa_crypto uses (MODULE_IMPORT_NS(IDXD)). */
export interface IdxdOps {
  /** idxd_driver_register(): also creates /sys/bus/dsa/drivers/<name>/. */
  driverRegister(drv: IdxdSubDriver): number;
  driverUnregister(drv: IdxdSubDriver): void;
  /** /sys/bus/dsa/drivers/<name>/ while registered (for driver_create_file). */
  driverDir(drv: IdxdSubDriver): KnDir | null;
  /** idxd_drv_enable_wq(): 0 or -errno (sets cmd_status itself). */
  drvEnableWq(wq: IdxdWqView): number;
  drvDisableWq(wq: IdxdWqView): void;
  /** idxd_wq_quiesce(): waits for the WQ's in-flight descriptors. */
  wqQuiesce(wq: IdxdWqView): void;
  /** idxd_alloc_desc(wq, IDXD_OP_BLOCK / NONBLOCK): a descriptor or -errno. */
  allocDesc(wq: IdxdWqView, block: boolean): IdxdDescView | number;
  /** idxd_submit_desc(): 0 or -errno. */
  submitDesc(wq: IdxdWqView, desc: IdxdDescView): number;
  freeDesc(wq: IdxdWqView, desc: IdxdDescView): void;
  /** idxd_wq_get()/idxd_wq_put(): the WQ's client count. */
  wqGet(wq: IdxdWqView): void;
  wqPut(wq: IdxdWqView): void;
}

/**
 * The crypto API calls iaa_crypto makes: crypto_register_acomp() /
 * crypto_unregister_acomp() for deflate-iaa, and the legacy crypto_comp
 * interface for its deflate-generic fallback transform.
 */
export type CryptoOps = Pick<CryptoApi, "registerAcomp" | "unregisterAcomp" | "allocComp" | "freeComp" | "compDecompress">;

/** Everything the module is built on. */
export interface IaaHost {
  ctx: KernelContext;
  /** Emulated RAM; DMA addresses are physical addresses. */
  mem: PhysMem;
  idxd: IdxdOps;
  crypto: CryptoOps;
  /** THIS_MODULE: try_module_get()/module_put() and cra_module. */
  module: ModuleRef;
  /** The debugfs root (/sys/kernel/debug), or null when debugfs is absent. */
  debugfs: KnDir | null;
  /** CONFIG_CRYPTO_DEV_IAA_CRYPTO_STATS */
  statsEnabled: boolean;
  /** Virtual ns one completion-poll iteration (cpu_relax) costs; default IAA_POLL_NS. */
  pollNs?: number;
}
