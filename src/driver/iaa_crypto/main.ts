/**
 * The iaa_crypto module: load/unload, the "crypto" WQ sub-driver's probe and
 * remove, the device/WQ bookkeeping and per-CPU table, the deflate-iaa
 * algorithm's registration, driver attributes, debugfs statistics and the
 * dynamic-debug call sites.
 *
 * linux: drivers/crypto/intel/iaa/iaa_crypto_main.c iaa_crypto_init_module(),
 * iaa_crypto_cleanup_module(), iaa_crypto_probe(), iaa_crypto_remove(),
 * save_iaa_wq(), remove_iaa_wq(). Where the documentation and the kernel
 * differ, the documentation's behaviour is kept (FIDELITY_NOTES.md), e.g. the
 * debug lines have the documented text. Both agree that deflate-iaa stays
 * registered until module exit: the last unbind only disables it, and a
 * first bind after that fails as the kernel's does (crypto_register_acomp()
 * of a registered algorithm: -EEXIST).
 */
import { CRYPTO_ALG_ASYNC, type AcompAlg, type AcompReq, type AcompTfm } from "../../crypto/acomp.js";
import type { KnDir } from "../../kernfs/node.js";
import { Errno } from "../../lib/errno.js";
import { DEBUG_SITES } from "./debug_sites.js";
import { IaaCryptoState, IaaDevice, IaaWq, freeIaaDevice, freeIaaWqDevice } from "./_state.js";
import { buildAecsCompRecord, FIXED_MODE } from "./comp_fixed.js";
import { syncModeShow, syncModeStore, verifyCompressShow, verifyCompressStore } from "./driver_attrs.js";
import type { IaaHost, IdxdDescView, IdxdSubDriver, IdxdWqView } from "./host.js";
import { iaaCompAcompress, iaaCompAdecompress, iaaCompInitFixed, iaaCompPoll, iaaDescComplete } from "./iaa_acomp.js";
import { AECS_COMP_TABLE_RECORD_SIZE, IAA_ALG_PRIORITY, IAA_CRYPTO_MODULE, IDXD_SUBDRIVER_NAME } from "./iaa_crypto.js";
import { parseStatsReset, wqStatsShow } from "./stats.js";
import { computeCpusPerIaa, nodesWithCpus, rebalanceWqTable, WqTable, type RebalanceEvent } from "./wq_table.js";

/** IDXD_SCMD_WQ_NO_DRV_NAME */
export const IDXD_SCMD_WQ_NO_DRV_NAME = 0x80200000;

/** debugfs directories: the kernel's name and the documentation's. */
export const IAA_DEBUGFS_DIRS = ["iaa_crypto", "iaa-crypto"] as const;

/**
 * The loaded module. `init()` is module_init, `exit()` module_exit; the
 * module registry refuses rmmod while the module reference (held while
 * enabled, and by live transforms) is taken.
 *
 * @example
 * const m = new IaaCryptoModule(host);
 * m.init();              // registers the "crypto" WQ driver
 * // echo wq1.0 > /sys/bus/dsa/drivers/crypto/bind → probe → deflate-iaa registered
 */
export class IaaCryptoModule {
  readonly st: IaaCryptoState;
  /** struct idxd_device_driver iaa_crypto_driver */
  readonly driver: IdxdSubDriver;
  /** struct acomp_alg iaa_acomp_fixed_deflate */
  readonly alg: AcompAlg;
  private attrDir: KnDir | null = null;
  private debugfsDirs: KnDir[] = [];

  constructor(readonly host: IaaHost) {
    const st = new IaaCryptoState(host);
    this.st = st;
    this.driver = {
      name: IDXD_SUBDRIVER_NAME,
      probe: (wq) => this.probe(wq),
      remove: (wq) => this.remove(wq),
      descComplete: (desc: IdxdDescView, type, freeDesc) => iaaDescComplete(st, desc, type, freeDesc),
    };
    this.alg = {
      cra_name: "deflate",
      cra_driver_name: "deflate-iaa",
      cra_priority: IAA_ALG_PRIORITY,
      cra_flags: CRYPTO_ALG_ASYNC,
      type: "acomp",
      module: host.module,
      init: (tfm: AcompTfm) => iaaCompInitFixed(st, tfm),
      compress: (req: AcompReq) => iaaCompAcompress(st, req),
      decompress: (req: AcompReq) => iaaCompAdecompress(st, req),
      poll: (req: AcompReq) => iaaCompPoll(st, req),
    };
  }

  /** iaa_crypto_enabled */
  get enabled(): boolean {
    return this.st.enabled;
  }

  // -------------------------------------------------------------------------
  // module init / exit

  /** module_init: 0 or -errno (the module is not loaded on error). */
  // linux: drivers/crypto/intel/iaa/iaa_crypto_main.c iaa_crypto_init_module()
  init(): number {
    const st = this.st;
    const { ctx } = this.host;
    ctx.dyndbg.register(IAA_CRYPTO_MODULE, [...DEBUG_SITES]);
    st.nrCpus = ctx.topo.nrCpus;
    st.nrNodes = nodesWithCpus(ctx.topo).length;
    if (st.nrNodes === 0) {
      st.log.prErr("IAA couldn't find any nodes with cpus");
      ctx.dyndbg.unregister(IAA_CRYPTO_MODULE);
      return -Errno.ENODEV;
    }
    st.nrCpusPerNode = Math.floor(st.nrCpus / st.nrNodes);
    const generic = this.host.crypto.allocComp("deflate-generic");
    if (typeof generic === "number") {
      // crypto_has_comp() false leaves the pointer NULL: PTR_ERR(NULL) is 0
      st.log.prErr(`IAA could not alloc deflate-generic tfm: errcode = ${generic === -Errno.ENOENT ? 0 : generic}`);
      ctx.dyndbg.unregister(IAA_CRYPTO_MODULE);
      return -Errno.ENOMEM;
    }
    st.deflateGenericTfm = generic;
    // iaa_aecs_init_fixed()
    st.modes[0] = FIXED_MODE;
    st.log.prDebug("add_iaa_compression_mode", `IAA compression mode ${FIXED_MODE.name} added at idx 0`);

    const ret = this.host.idxd.driverRegister(this.driver);
    if (ret !== 0) {
      st.log.prDebug("iaa_crypto_init_module", "IAA wq sub-driver registration failed");
      st.modes[0] = null;
      this.host.crypto.freeComp(generic);
      st.deflateGenericTfm = null;
      ctx.dyndbg.unregister(IAA_CRYPTO_MODULE);
      return ret;
    }
    this.attrDir = this.host.idxd.driverDir(this.driver);
    if (this.attrDir !== null) {
      this.attrDir.attr("verify_compress", 0o644, () => verifyCompressShow(st.settings), (buf) => verifyCompressStore(st.settings, st.enabled, buf));
      this.attrDir.attr("sync_mode", 0o644, () => syncModeShow(st.settings), (buf) => syncModeStore(st.settings, st.enabled, buf));
    }
    if (this.debugfsInit() !== 0) st.log.prWarn("debugfs init failed, stats not available");
    st.log.prDebug("iaa_crypto_init_module", "initialized");
    return 0;
  }

  /** module_exit (the registry only calls it when the module is not in use). */
  // linux: drivers/crypto/intel/iaa/iaa_crypto_main.c iaa_crypto_cleanup_module()
  exit(): void {
    const st = this.st;
    if (st.registered && this.host.crypto.unregisterAcomp(this.alg) === 0) st.registered = false;
    for (const d of this.debugfsDirs) {
      const parent = d.parent;
      if (parent === null) continue;
      for (const [name, node] of parent.children) if (node === d) parent.remove(name);
    }
    this.debugfsDirs = [];
    if (this.attrDir !== null) {
      this.attrDir.remove("sync_mode");
      this.attrDir.remove("verify_compress");
      this.attrDir = null;
    }
    this.host.idxd.driverUnregister(this.driver);
    st.modes[0] = null;
    if (st.deflateGenericTfm !== null) {
      this.host.crypto.freeComp(st.deflateGenericTfm);
      st.deflateGenericTfm = null;
    }
    st.log.prDebug("iaa_crypto_cleanup_module", "cleaned up");
    this.host.ctx.dyndbg.unregister(IAA_CRYPTO_MODULE);
  }

  /** iaa_crypto_debugfs_init(): the stats files, only with the stats option. */
  private debugfsInit(): number {
    if (!this.host.statsEnabled) return 0;
    const root = this.host.debugfs;
    if (root === null) return -Errno.ENODEV;
    const st = this.st;
    for (const name of IAA_DEBUGFS_DIRS) {
      const dir = root.dir(name);
      dir.attr("global_stats", 0o644, () => st.stats.globalStatsShow());
      dir.attr("wq_stats", 0o644, () => wqStatsShow(st.devices));
      dir.attr(
        "stats_reset",
        0o644,
        () => -Errno.EACCES,
        (buf) => {
          const ret = parseStatsReset(buf);
          if (ret === 0) st.stats.reset(st.devices);
          return ret;
        },
      );
      this.debugfsDirs.push(dir);
    }
    return 0;
  }

  // -------------------------------------------------------------------------
  // WQ probe / remove

  /** .probe of the "crypto" driver: 0 or -errno. */
  // linux: drivers/crypto/intel/iaa/iaa_crypto_main.c iaa_crypto_probe()
  probe(wq: IdxdWqView): number {
    const st = this.st;
    const idxd = wq.idxd;
    if (!idxd.enabled) return -Errno.ENXIO;
    if (!idxd.isIax) return -Errno.ENODEV;
    if (st.wqPrivate.has(wq)) return -Errno.EBUSY;
    const confDev = `${IDXD_SUBDRIVER_NAME} wq${idxd.id}.${wq.id}`;
    if (!wq.driverName.startsWith(IDXD_SUBDRIVER_NAME)) {
      st.log.devDbg(confDev, "iaa_crypto_probe", `wq ${idxd.id}.${wq.id} driver_name match failed: wq driver_name ${wq.driverName}, dev driver name ${IDXD_SUBDRIVER_NAME}`);
      idxd.cmdStatus = IDXD_SCMD_WQ_NO_DRV_NAME;
      return -Errno.ENODEV;
    }
    wq.type = "kernel";
    let ret = this.host.idxd.drvEnableWq(wq);
    if (ret < 0) {
      st.log.devDbg(confDev, "iaa_crypto_probe", `enable wq ${idxd.id}.${wq.id} failed: ${ret}`);
      wq.type = "none";
      return -Errno.ENXIO;
    }

    const firstWq = st.devices.length === 0;
    if (firstWq) st.table = new WqTable<IdxdWqView>(st.nrCpus, idxd.maxWqs);
    ret = this.saveIaaWq(wq);
    if (ret !== 0) {
      if (firstWq) st.table = null;
      this.host.idxd.drvDisableWq(wq);
      wq.type = "none";
      return ret;
    }
    this.rebalance();

    if (firstWq) {
      st.enabled = true;
      // iaa_register_compression_device(): after a full unbind the algorithm is
      // still registered, so the crypto API refuses it again (-EEXIST), as in the kernel.
      ret = this.host.crypto.registerAcomp(this.alg);
      if (ret !== 0) {
        st.log.prErr(`deflate algorithm acomp fixed registration failed (${ret})`);
        st.enabled = false;
        st.log.devDbg(confDev, "iaa_crypto_probe", "IAA compression device registration failed");
        this.removeIaaWq(wq);
        const iaaWq = st.wqPrivate.get(wq);
        st.wqPrivate.delete(wq);
        if (iaaWq !== undefined) freeIaaWqDevice(st, iaaWq);
        st.table = null;
        this.host.idxd.drvDisableWq(wq);
        wq.type = "none";
        return ret;
      }
      st.registered = true;
      this.host.module.get();
      st.log.prInfo("iaa_crypto_enable: iaa_crypto now ENABLED");
    }
    return 0;
  }

  /** .remove of the "crypto" driver. */
  // linux: drivers/crypto/intel/iaa/iaa_crypto_main.c iaa_crypto_remove()
  remove(wq: IdxdWqView): void {
    const st = this.st;
    this.host.idxd.wqQuiesce(wq);
    this.removeIaaWq(wq);
    const iaaWq = st.wqPrivate.get(wq);
    if (iaaWq === undefined) {
      st.log.prErr("iaa_crypto_remove: no iaa_wq available to remove");
      return;
    }
    if (iaaWq.ref > 0) {
      iaaWq.remove = true;
    } else {
      st.wqPrivate.delete(wq);
      freeIaaWqDevice(st, iaaWq);
    }
    this.host.idxd.drvDisableWq(wq);
    this.rebalance();

    if (st.nrIaa === 0) {
      // The algorithm stays registered (documentation and kernel agree): its
      // requests fail with -ENODEV until module exit unregisters it.
      st.enabled = false;
      st.table = null;
      this.host.module.put();
      st.log.prInfo("iaa_crypto_disable: iaa_crypto now DISABLED");
    }
  }

  // -------------------------------------------------------------------------
  // device and WQ lists

  /** save_iaa_wq(): adds the WQ (and its device on first sight), updates cpus_per_iaa. */
  // linux: drivers/crypto/intel/iaa/iaa_crypto_main.c save_iaa_wq()
  private saveIaaWq(wq: IdxdWqView): number {
    const st = this.st;
    let dev = st.devices.find((d) => d.idxd === wq.idxd);
    if (dev !== undefined) {
      if (dev.wqs.some((w) => w.wq === wq)) {
        st.log.devDbg(st.devName(wq.idxd), "save_iaa_wq", `same wq probed multiple times for iaa_device ${st.p(dev)}`);
        return 0; // the kernel swallows it
      }
      this.addIaaWq(dev, wq);
    } else {
      dev = new IaaDevice(wq.idxd);
      st.devices.push(dev);
      const iaaWq = this.addIaaWq(dev, wq);
      const ret = this.initDeviceCompressionModes(dev);
      if (ret !== 0) {
        dev.wqs.splice(dev.wqs.indexOf(iaaWq), 1);
        st.devices.splice(st.devices.indexOf(dev), 1);
        st.wqPrivate.delete(wq);
        freeIaaDevice(st, dev);
        return 0; // save_iaa_wq() returns 0 on its error paths
      }
    }
    st.cpusPerIaa = computeCpusPerIaa(st.nrNodes, st.nrCpusPerNode, st.nrIaa);
    return 0;
  }

  /** add_iaa_wq() */
  private addIaaWq(dev: IaaDevice, wq: IdxdWqView): IaaWq {
    const st = this.st;
    const iaaWq = new IaaWq(wq, dev);
    st.wqPrivate.set(wq, iaaWq);
    dev.wqs.push(iaaWq);
    st.log.devDbg(st.devName(wq.idxd), "add_iaa_wq", `added wq ${st.p(wq)} to iaa ${st.p(dev)}, n_wq ${dev.wqs.length}`);
    return iaaWq;
  }

  /** init_device_compression_modes(): one AECS record per mode in DMA memory. */
  private initDeviceCompressionModes(dev: IaaDevice): number {
    const st = this.st;
    const mem = this.host.mem;
    for (let i = 0; i < st.modes.length; i++) {
      const mode = st.modes[i];
      if (mode === null || mode === undefined) continue;
      const dma = mem.allocPages(1);
      const ret = buildAecsCompRecord(mem.view(dma, AECS_COMP_TABLE_RECORD_SIZE), mode);
      if (ret !== 0) {
        mem.freePages(dma, 1);
        st.log.prDebug("init_device_compression_mode", `IAA ${mode.name} compression mode initialization failed for iaa device ${dev.id}`);
        return ret;
      }
      // The merged driver logs "IAA %s compression mode initialized for iaa
      // device %d" here; the documentation's bind-time trace has add_iaa_wq
      // followed directly by rebalance_wq_table, so that line is not printed.
      dev.compressionModes[i] = { name: mode.name, aecsDma: dma, pages: 1 };
    }
    return 0;
  }

  /** remove_iaa_wq() + del_iaa_wq(): drops the WQ from its device, and the device when empty. */
  // linux: drivers/crypto/intel/iaa/iaa_crypto_main.c remove_iaa_wq()
  private removeIaaWq(wq: IdxdWqView): void {
    const st = this.st;
    for (const dev of st.devices) {
      const i = dev.wqs.findIndex((w) => w.wq === wq);
      if (i < 0) continue;
      dev.wqs.splice(i, 1);
      if (dev.wqs.length === 0) st.devices.splice(st.devices.indexOf(dev), 1);
      st.log.devDbg(st.devName(wq.idxd), "del_iaa_wq", `removed wq ${st.p(wq)} from iaa_device ${st.p(dev)}, n_wq ${dev.wqs.length}, nr_iaa ${st.nrIaa}`);
      break;
    }
    st.cpusPerIaa = computeCpusPerIaa(st.nrNodes, st.nrCpusPerNode, st.nrIaa);
  }

  /** rebalance_wq_table() with the documented debug lines. */
  private rebalance(): void {
    const st = this.st;
    if (st.table === null) return;
    const devices = st.devices.map((d) => ({ wqs: d.wqs.map((w) => w.wq) }));
    const topo = this.host.ctx.topo;
    const trace = (ev: RebalanceEvent<IdxdWqView>): void => this.traceRebalance(ev);
    const params = { nrNodes: st.nrNodes, nrCpus: st.nrCpus, nrIaa: st.nrIaa, cpusPerIaa: st.cpusPerIaa };
    rebalanceWqTable(st.table, devices, topo, params, st.log.dbgOn("rebalance_wq_table") || st.log.dbgOn("request_iaa_wq") ? trace : undefined);
  }

  private traceRebalance(ev: RebalanceEvent<IdxdWqView>): void {
    const st = this.st;
    const log = st.log;
    switch (ev.kind) {
      case "start": {
        const p = ev.params;
        log.prDebug("rebalance_wq_table", `nr_nodes=${p.nrNodes}, nr_cpus ${p.nrCpus}, nr_iaa ${p.nrIaa}, cpus_per_iaa ${p.cpusPerIaa}`);
        break;
      }
      case "cpu":
        log.prDebug("rebalance_wq_table", `iaa=${ev.iaa}`);
        break;
      case "device": {
        const dev = st.devices[ev.device]!;
        const what = ev.fallback ? "getting wq from only iaa_device" : "getting wq from iaa_device";
        log.devDbg(st.devName(dev.idxd), "request_iaa_wq", `${what} ${st.p(dev)} (${ev.device})`);
        break;
      }
      case "added": {
        const dev = st.devices[ev.device]!;
        log.devDbg(st.devName(dev.idxd), "request_iaa_wq", `returning unused wq ${st.p(ev.wq)} (${ev.wqIndex}) from iaa device ${st.p(dev)} (${ev.device})`);
        log.prDebug("rebalance_wq_table", `assigned wq for cpu=${ev.cpu}, node=${ev.node} = wq ${st.p(ev.wq)}`);
        break;
      }
      case "warn":
        log.prDebug("rebalance_wq_table", ev.message);
        break;
    }
  }
}
