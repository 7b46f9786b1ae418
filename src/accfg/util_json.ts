/**
 * Device, group, wq and engine objects as `accel-config list` and
 * `save-config` print them: key order and conditional keys of accel-config
 * 4.1.6 (util/json.c, accfg/list.c).
 */
import { Errno } from "../lib/errno.js";
import { JsonObject } from "./json.js";
import { ACCFG_DEVICE_VERSION_2, DeviceState, formatBitmap, type AccfgDevice, type AccfgEngine, type AccfgGroup, type AccfgWq } from "./lib/libaccfg.js";

/** UTIL_JSON_* flags */
export interface JsonFlags {
  idle: boolean;
  save: boolean;
}

/** `%#lx`: "0" for zero, otherwise "0x…" */
function hexAlt(v: number): string {
  return v === 0 ? "0" : "0x" + v.toString(16);
}

/** util_device_to_json() */
export function deviceToJson(dev: AccfgDevice, flags: JsonFlags): JsonObject {
  const j = new JsonObject();
  j.add("dev", dev.name);
  if (dev.type !== "iax") j.add("read_buffer_limit", dev.readBufferLimit);
  if (dev.hasAttr("event_log_size")) j.add("event_log_size", dev.long("event_log_size"));
  if (flags.save) return j;
  j.add("max_groups", dev.maxGroups);
  j.add("max_work_queues", dev.maxWorkQueues);
  j.add("max_engines", dev.maxEngines);
  j.add("work_queue_size", dev.maxWorkQueuesSize);
  j.add("numa_node", dev.long("numa_node"));
  const errors = formatBitmap(dev.str("errors"));
  if (errors !== null && /[1-9a-f]/.test(errors)) j.add("errors", errors);
  const opCap = formatBitmap(dev.str("op_cap"));
  if (opCap !== null) j.add("op_cap", opCap);
  const version = dev.version;
  if (dev.type === "iax" && version >= ACCFG_DEVICE_VERSION_2) {
    const iaaCap = dev.str("iaa_cap");
    if (iaaCap !== null) j.add("iaa_cap", hexAlt(Number(BigInt.asUintN(64, BigInt(dev.long("iaa_cap"))))));
  }
  j.add("gen_cap", hexAlt(Math.max(0, dev.long("gen_cap"))));
  j.add("version", hexAlt(Math.max(0, version)));
  // an unknown or halted device prints "enabled" (4.1.6)
  j.add("state", dev.state() === DeviceState.Disabled ? "disabled" : "enabled");
  if (dev.type !== "iax") j.add("max_read_buffers", dev.maxReadBuffers);
  j.add("max_batch_size", dev.maxBatchSize);
  const ims = dev.long("ims_size");
  if (ims >= 0) j.add("ims_size", ims);
  j.add("max_transfer_size", dev.maxTransferSize);
  j.add("configurable", dev.configurable);
  j.add("pasid_enabled", dev.long("pasid_enabled"));
  j.add("cdev_major", dev.long("cdev_major"));
  j.add("clients", dev.clients());
  return j;
}

/** group_to_json() */
export function groupToJson(group: AccfgGroup): JsonObject {
  const j = new JsonObject();
  j.add("dev", group.name);
  if (group.device.type !== "iax") {
    j.add("read_buffers_reserved", group.field("read_buffers_reserved"));
    j.add("use_read_buffer_limit", group.field("use_read_buffer_limit"));
    j.add("read_buffers_allowed", group.field("read_buffers_allowed"));
  }
  const dpl = group.long("desc_progress_limit");
  if (dpl >= 0) j.add("desc_progress_limit", dpl);
  const bpl = group.long("batch_progress_limit");
  if (bpl >= 0) j.add("batch_progress_limit", bpl);
  return j;
}

/** util_wq_to_json() */
export function wqToJson(wq: AccfgWq, flags: JsonFlags): JsonObject {
  const j = new JsonObject();
  j.add("dev", wq.name);
  j.add("mode", wq.mode);
  j.add("size", wq.long("size"));
  const gid = wq.groupId;
  if (gid >= 0) j.add("group_id", gid);
  const prio = wq.long("priority");
  if (prio >= 0) j.add("priority", prio);
  j.add("block_on_fault", wq.long("block_on_fault"));
  const mbs = wq.long("max_batch_size");
  // FIDELITY: upstream ea015cc, an absent max_batch_size (IAX) is not saved
  if (!(flags.save && mbs === -Errno.ENOENT)) j.add("max_batch_size", mbs);
  j.add("max_transfer_size", wq.long("max_transfer_size"));
  if (!flags.save) {
    const minor = wq.long("cdev_minor");
    if (minor >= 0) j.add("cdev_minor", minor);
  }
  j.add("type", wq.type);
  j.add("name", wq.str("name") ?? "");
  const drv = wq.driverName;
  if (drv !== null) j.add("driver_name", drv);
  j.add("threshold", wq.long("threshold"));
  const prs = wq.long("prs_disable");
  if (prs >= 0) j.add("prs_disable", prs);
  j.add("ats_disable", wq.long("ats_disable"));
  const opc = formatBitmap(wq.str("op_config"));
  if (opc !== null) j.add("op_config", opc);
  if (!flags.save) {
    const states = ["disabled", "enabled", "quiescing", "locked", "unknown"] as const;
    j.add("state", states[wq.state()]);
    j.add("clients", Math.max(0, wq.clients()));
  }
  return j;
}

/** util_engine_to_json() */
export function engineToJson(engine: AccfgEngine): JsonObject {
  const j = new JsonObject();
  j.add("dev", engine.name);
  const gid = engine.groupId;
  if (gid >= 0) j.add("group_id", gid);
  return j;
}
