/**
 * Device and WQ enable/disable, and the config write to the hardware
 * (linux: drivers/dma/idxd/device.c idxd_device_drv_probe(),
 * idxd_device_drv_remove(), idxd_device_config(), drv_enable_wq(),
 * drv_disable_wq()). Functions return 0 or -errno and set cmd_status as the
 * kernel does.
 */
import { IDXD_CMD_DISABLE_DEVICE, IDXD_CMD_ENABLE_DEVICE, IDXD_CMD_ENABLE_WQ, IDXD_CMD_RESET_DEVICE, IDXD_CMD_RESET_WQ } from "../../hw/idxd_hw.js";
import { Errno } from "../../lib/errno.js";
import {
  type IdxdDevice,
  type IdxdWq,
  IDXD_SCMD_DEV_ENABLED,
  IDXD_SCMD_DEV_NOT_ENABLED,
  IDXD_SCMD_WQ_ENABLED,
  IDXD_SCMD_WQ_NO_GRP,
  IDXD_SCMD_WQ_NO_NAME,
  IDXD_SCMD_WQ_NO_SVM,
  IDXD_SCMD_WQ_NO_SWQ_SUPPORT,
  IDXD_SCMD_WQ_NO_THRESH,
  IDXD_SCMD_WQ_NONE_CONFIGURED,
  WQ_DEFAULT_QUEUE_DEPTH,
} from "./idxd.js";

/** Hooks the device code needs from the rest of the driver (descriptor pools, bus release, logging). */
export interface IdxdDeviceOps {
  /** dev_warn/dev_dbg on the PCI device (`idxd 0000:6a:02.0: …`). */
  devWarn(idxd: IdxdDevice, msg: string): void;
  /** dev_warn on the device's conf_dev, bound to the idxd driver (`idxd iax1: …`). */
  confDevWarn(idxd: IdxdDevice, msg: string): void;
  devDbg(idxd: IdxdDevice, func: string, msg: string): void;
  /** device_release_driver() on a WQ. */
  releaseWq(wq: IdxdWq): void;
  /** idxd_wq_alloc_resources(): 0 or -errno. */
  allocResources(wq: IdxdWq): number;
  /** idxd_wq_free_irq() + idxd_wq_free_resources(): aborts pending descriptors, frees the pool. */
  freeResources(wq: IdxdWq): void;
}

/**
 * idxd_cmd_exec(): clears cmd_status, issues the command, then keeps the
 * low byte of CMDSTS as cmd_status (so a successful command leaves 0).
 * Returns the hardware status.
 */
export function idxdCmdExec(idxd: IdxdDevice, cmd: number, operand: number): number {
  idxd.cmdStatus = 0;
  const st = idxd.hw.command(cmd, operand);
  idxd.cmdStatus = st & 0xff;
  return st;
}

/**
 * idxd_device_clear_state(): on a configurable device every WQ gets
 * idxd_wq_disable_cleanup() + idxd_wq_device_reset_cleanup() (driver_name is
 * kept), groups and engines lose their settings.
 */
function idxdDeviceClearState(idxd: IdxdDevice): void {
  if (idxd.configurable) {
    for (const wq of idxd.wqs) wq.deviceResetCleanup();
    for (const g of idxd.groups) g.reset();
    for (const e of idxd.engines) e.groupId = -1;
  }
  idxd.state = "disabled";
}

/** idxd_wqs_setup() + idxd_engines_setup() + the WQCFG/GRPCFG writes. */
export function idxdDeviceConfig(idxd: IdxdDevice, ops: IdxdDeviceOps): number {
  const wqMask = new Array<number>(idxd.groups.length).fill(0);
  const engMask = new Array<number>(idxd.groups.length).fill(0);
  let configured = 0;
  for (const wq of idxd.wqs) {
    if (wq.groupId < 0) continue;
    if (!wq.dedicated && !idxd.swqSupported) {
      idxd.cmdStatus = IDXD_SCMD_WQ_NO_SWQ_SUPPORT;
      ops.devWarn(idxd, "No shared wq support but configured.");
      return -Errno.EINVAL;
    }
    wqMask[wq.groupId]! |= 1 << wq.id;
    configured++;
  }
  if (configured === 0) {
    idxd.cmdStatus = IDXD_SCMD_WQ_NONE_CONFIGURED;
    return -Errno.EINVAL;
  }
  let engines = 0;
  for (const e of idxd.engines) {
    if (e.groupId < 0) continue;
    engMask[e.groupId]! |= 1 << e.id;
    engines++;
  }
  if (engines === 0) return -Errno.EINVAL;
  for (const g of idxd.groups) {
    if (g.tcA === -1) g.tcA = 0;
    if (g.tcB === -1) g.tcB = 1;
  }
  const hw = idxd.hw;
  for (const wq of idxd.wqs) {
    if (wq.groupId < 0 || hw.wqEnabled[wq.id]) continue;
    if (wq.size === 0 && wq.type !== "none") wq.size = WQ_DEFAULT_QUEUE_DEPTH;
    const pasidEn = idxd.pasidEnabled && (wq.type === "kernel" || !wq.dedicated);
    hw.wqcfg[wq.id] = {
      size: wq.size,
      threshold: wq.threshold,
      priority: wq.priority,
      dedicated: wq.dedicated,
      bof: wq.bof,
      pasidEn,
      pasid: pasidEn && wq.dedicated ? 1 : 0,
      priv: wq.type === "kernel",
      atsDisable: wq.atsDisable,
      maxXferShift: Math.log2(wq.maxXferBytes),
      maxBatchShift: wq.maxBatchSize > 0 ? Math.log2(wq.maxBatchSize) : 0,
    };
  }
  for (let g = 0; g < idxd.groups.length; g++) hw.grpcfg[g] = { wqs: wqMask[g]!, engines: engMask[g]! };
  return 0;
}

/**
 * idxd_device_drv_probe(): the `idxd` driver's probe (device enable).
 * Not disabled → cmd_status 0x80000010, -ENXIO; a config error → -ENXIO
 * (cmd_status as set by the config check); a hardware refusal → -ENXIO with
 * the hardware's command status.
 */
export function idxdDeviceDrvProbe(idxd: IdxdDevice, ops: IdxdDeviceOps): number {
  if (idxd.state !== "disabled") {
    idxd.cmdStatus = IDXD_SCMD_DEV_ENABLED;
    return -Errno.ENXIO;
  }
  if (idxd.configurable && idxdDeviceConfig(idxd, ops) < 0) return -Errno.ENXIO;
  const st = idxdCmdExec(idxd, IDXD_CMD_ENABLE_DEVICE, 0);
  if (st !== 0) {
    ops.devDbg(idxd, "idxd_device_enable", `Enabling device failed: ${"0x" + st.toString(16)}`);
    return -Errno.ENXIO;
  }
  idxd.state = "enabled";
  idxd.cmdStatus = 0;
  return 0;
}

/**
 * idxd_device_drv_remove(): releases active WQs (warning `Active wq N on
 * disable wqX.N.` on the conf_dev), disables the device
 * (idxd_device_disable(): the command only if the hardware is enabled, then
 * the state clear) and, when configurable, resets it (idxd_device_reset()).
 * Every WQ keeps its driver_name; the rest of the configuration is cleared.
 */
export function idxdDeviceDrvRemove(idxd: IdxdDevice, ops: IdxdDeviceOps): void {
  for (const wq of idxd.wqs) {
    if (wq.state === "disabled") continue;
    ops.confDevWarn(idxd, `Active wq ${wq.id} on disable ${wq.devName}.`);
    ops.releaseWq(wq);
  }
  if (idxd.hw.enabled) idxdCmdExec(idxd, IDXD_CMD_DISABLE_DEVICE, 0);
  idxdDeviceClearState(idxd);
  if (idxd.configurable) {
    idxdCmdExec(idxd, IDXD_CMD_RESET_DEVICE, 0);
    idxdDeviceClearState(idxd);
  }
}

/**
 * drv_enable_wq() (exported as idxd_drv_enable_wq): checks in kernel order,
 * each failure sets cmd_status: device not enabled 0x80000020 (-ENXIO), WQ
 * not disabled 0x80000021 (-EBUSY), no group 0x80030000, no name 0x80040000,
 * shared without SVM 0x80050000, shared with threshold 0 0x80060000; then the
 * config write and the hardware enable (its status, -ENXIO).
 */
export function idxdDrvEnableWq(wq: IdxdWq, ops: IdxdDeviceOps): number {
  const idxd = wq.idxd;
  if (idxd.state !== "enabled") {
    idxd.cmdStatus = IDXD_SCMD_DEV_NOT_ENABLED;
    return -Errno.ENXIO;
  }
  if (wq.state !== "disabled") {
    ops.devDbg(idxd, "drv_enable_wq", `wq ${wq.id} already enabled.`);
    idxd.cmdStatus = IDXD_SCMD_WQ_ENABLED;
    return -Errno.EBUSY;
  }
  if (wq.groupId < 0) {
    ops.devDbg(idxd, "drv_enable_wq", `wq ${wq.id} not attached to group.`);
    idxd.cmdStatus = IDXD_SCMD_WQ_NO_GRP;
    return -Errno.ENXIO;
  }
  if (wq.name.length === 0) {
    idxd.cmdStatus = IDXD_SCMD_WQ_NO_NAME;
    ops.devDbg(idxd, "drv_enable_wq", `wq ${wq.id} name not set.`);
    return -Errno.ENXIO;
  }
  if (!wq.dedicated) {
    if (!idxd.swqSupported) {
      idxd.cmdStatus = IDXD_SCMD_WQ_NO_SVM;
      ops.devDbg(idxd, "drv_enable_wq", "PASID not enabled and shared wq.");
      return -Errno.ENXIO;
    }
    if (wq.threshold === 0) {
      idxd.cmdStatus = IDXD_SCMD_WQ_NO_THRESH;
      ops.devDbg(idxd, "drv_enable_wq", "Shared wq and threshold 0.");
      return -Errno.ENXIO;
    }
  }
  if (idxd.configurable) {
    const rc = idxdDeviceConfig(idxd, ops);
    if (rc < 0) {
      ops.devDbg(idxd, "drv_enable_wq", `Writing wq ${wq.id} config failed: ${rc}`);
      return rc;
    }
  }
  const st = idxdCmdExec(idxd, IDXD_CMD_ENABLE_WQ, wq.id);
  if (st !== 0) {
    ops.devDbg(idxd, "idxd_wq_enable", `WQ enable failed: ${"0x" + st.toString(16)}`);
    ops.devDbg(idxd, "drv_enable_wq", `wq ${wq.id} enabling failed: ${-Errno.ENXIO}`);
    return -Errno.ENXIO;
  }
  wq.state = "enabled";
  wq.clients = 0;
  const rc = ops.allocResources(wq);
  if (rc < 0) {
    idxdCmdExec(idxd, IDXD_CMD_RESET_WQ, wq.id);
    wq.state = "disabled";
    return rc;
  }
  return 0;
}

/**
 * drv_disable_wq() (idxd_drv_disable_wq): warns about clients, drains and
 * resets the WQ, aborts pending descriptors, frees the pool, and clears the
 * WQ's configuration except size, group and driver_name.
 */
export function idxdDrvDisableWq(wq: IdxdWq, ops: IdxdDeviceOps): void {
  const idxd = wq.idxd;
  if (wq.clients > 0) ops.devWarn(idxd, `Clients has claim on wq ${wq.id}: ${wq.clients}`);
  ops.freeResources(wq);
  if (wq.state === "enabled") idxdCmdExec(idxd, IDXD_CMD_RESET_WQ, wq.id);
  wq.state = "disabled";
  wq.clearConfig();
  wq.clients = 0;
}
