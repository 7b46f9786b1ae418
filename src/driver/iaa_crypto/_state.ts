/**
 * The iaa_crypto driver's state: the `iaa_devices` list with their bound WQs,
 * the globals (nr_iaa, nr_cpus, …, iaa_crypto_enabled), the per-CPU table,
 * statistics and settings; plus iaa_wq_get()/iaa_wq_put().
 *
 * linux: drivers/crypto/intel/iaa/iaa_crypto.h (struct iaa_device,
 * struct iaa_wq), iaa_crypto_main.c globals.
 */
import type { CompTfm } from "../../crypto/comp.js";
import { Errno } from "../../lib/errno.js";
import { IaaLog } from "./_log.js";
import type { CheckCompletionEnv } from "./check_completion.js";
import type { IaaCompressionMode } from "./comp_fixed.js";
import { defaultSettings, type IaaSettings } from "./driver_attrs.js";
import type { IaaHost, IdxdDeviceView, IdxdWqView } from "./host.js";
import { IAA_COMP_MODES_MAX } from "./iaa_crypto.js";
import { IaaStats, newCounters, type IaaCounters } from "./stats.js";
import type { WqTable } from "./wq_table.js";

/** struct iaa_wq */
export class IaaWq {
  readonly stats: IaaCounters = newCounters();
  /** In-flight requests holding the WQ (iaa_wq_get). */
  ref = 0;
  /** Unbound while in use: freed at the last iaa_wq_put(). */
  remove = false;
  constructor(
    readonly wq: IdxdWqView,
    readonly device: IaaDevice,
  ) {}
  get name(): string {
    return this.wq.name;
  }
}

/** Per device and mode: the AECS record in DMA memory (struct iaa_device_compression_mode). */
export interface IaaDeviceCompressionMode {
  name: string;
  /** aecs_comp_table_dma_addr */
  aecsDma: number;
  /** Pages allocated for it. */
  pages: number;
}

/** struct iaa_device */
export class IaaDevice {
  readonly stats: IaaCounters = newCounters();
  /** Bound WQs, in bind order. */
  readonly wqs: IaaWq[] = [];
  readonly compressionModes: (IaaDeviceCompressionMode | null)[] = new Array(IAA_COMP_MODES_MAX).fill(null);
  constructor(readonly idxd: IdxdDeviceView) {}
  /** idxd->id, for wq_stats. */
  get id(): number {
    return this.idxd.id;
  }
}

/** The module's globals. */
export class IaaCryptoState {
  readonly log: IaaLog;
  readonly stats: IaaStats;
  /** The driver attributes (iaa_verify_compress, async_mode, use_irq). */
  readonly settings: IaaSettings = defaultSettings();
  /** LIST_HEAD(iaa_devices), in bind order. */
  readonly devices: IaaDevice[] = [];
  /** idxd_wq_get_private(): the iaa_wq bound to each WQ. */
  readonly wqPrivate = new Map<IdxdWqView, IaaWq>();
  /** iaa_compression_modes[] */
  readonly modes: (IaaCompressionMode | null)[] = new Array(IAA_COMP_MODES_MAX).fill(null);
  nrCpus = 0;
  nrNodes = 0;
  nrCpusPerNode = 0;
  cpusPerIaa = 1;
  /** The per-CPU table; null when no WQ is bound. */
  table: WqTable<IdxdWqView> | null = null;
  /** iaa_crypto_enabled */
  enabled = false;
  /** iaa_crypto_registered */
  registered = false;
  /** deflate_generic_tfm: the software fallback (allocated at module load). */
  deflateGenericTfm: CompTfm | null = null;
  private readonly addrs = new WeakMap<object, number>();
  private readonly devNames = new WeakMap<IdxdDeviceView, string>();
  private readonly envs = new WeakMap<IdxdDeviceView, CheckCompletionEnv>();
  /** Low 48 bits of a direct-map address (0xffff888100000000…): exact in a float64, unlike the full value. */
  private nextAddr = 0x8881_0000_0000;

  constructor(readonly host: IaaHost) {
    this.log = new IaaLog(host.ctx.log, host.ctx.dyndbg);
    this.stats = new IaaStats(host.statsEnabled);
  }

  /** nr_iaa: devices with at least one bound WQ. */
  get nrIaa(): number {
    return this.devices.length;
  }

  /** The dev_*() prefix of a device: "idxd 0000:e7:02.0". */
  devName(idxd: IdxdDeviceView): string {
    let n = this.devNames.get(idxd);
    if (n === undefined) {
      n = `idxd ${idxd.pciName}`;
      this.devNames.set(idxd, n);
    }
    return n;
  }

  /** An emulated kernel address for an object, stable for its lifetime. */
  addrOf(obj: object): number {
    // long-lived objects (devices, WQs) carry their address, so a machine snapshot keeps it;
    // transient ones (a request's scatterlists) are looked up by identity
    const own = Array.isArray(obj) ? undefined : (obj as { kaddr?: number }).kaddr;
    if (own !== undefined) return own;
    let a = this.addrs.get(obj);
    if (a === undefined) {
      a = this.nextAddr;
      this.nextAddr += 0x200;
      if (Array.isArray(obj)) this.addrs.set(obj, a);
      else Object.defineProperty(obj, "kaddr", { value: a, enumerable: true, writable: true, configurable: true });
    }
    return a;
  }

  /** %p of an object. */
  p(obj: object): string {
    return this.log.ptr(this.addrOf(obj));
  }

  /** What check_completion() needs for a device. */
  completionEnv(idxd: IdxdDeviceView): CheckCompletionEnv {
    let env = this.envs.get(idxd);
    if (env === undefined) {
      env = this.makeCompletionEnv(idxd);
      this.envs.set(idxd, env);
    }
    return env;
  }

  private makeCompletionEnv(idxd: IdxdDeviceView): CheckCompletionEnv {
    return {
      clock: this.host.ctx.clock,
      stats: this.stats,
      log: this.log,
      dev: this.devName(idxd),
      disable: () => {
        this.enabled = false;
      },
      ...(this.host.pollNs !== undefined ? { pollNs: this.host.pollNs } : {}),
    };
  }
}

/** iaa_wq_get(): 0, or -ENODEV when the WQ is not bound or being removed. */
// linux: drivers/crypto/intel/iaa/iaa_crypto_main.c iaa_wq_get()
export function iaaWqGet(st: IaaCryptoState, wq: IdxdWqView): number {
  const iaaWq = st.wqPrivate.get(wq);
  if (iaaWq === undefined || iaaWq.remove) return -Errno.ENODEV;
  iaaWq.ref++;
  st.host.idxd.wqGet(wq);
  return 0;
}

/** iaa_wq_put(): frees a removed WQ at its last reference. */
// linux: drivers/crypto/intel/iaa/iaa_crypto_main.c iaa_wq_put()
export function iaaWqPut(st: IaaCryptoState, wq: IdxdWqView): number {
  const iaaWq = st.wqPrivate.get(wq);
  if (iaaWq === undefined) return -Errno.ENODEV;
  iaaWq.ref--;
  st.host.idxd.wqPut(wq);
  if (iaaWq.ref === 0 && iaaWq.remove) {
    st.wqPrivate.delete(wq);
    freeIaaWqDevice(st, iaaWq);
  }
  return 0;
}

/** __free_iaa_wq(): frees the device too when it has no WQ left. */
export function freeIaaWqDevice(st: IaaCryptoState, iaaWq: IaaWq): void {
  if (iaaWq.device.wqs.length === 0) freeIaaDevice(st, iaaWq.device);
}

/** free_iaa_device(): releases the device's AECS records. */
export function freeIaaDevice(st: IaaCryptoState, dev: IaaDevice): void {
  for (let i = 0; i < dev.compressionModes.length; i++) {
    const m = dev.compressionModes[i];
    if (m === null || m === undefined) continue;
    st.host.mem.freePages(m.aecsDma, m.pages);
    dev.compressionModes[i] = null;
  }
}
