/**
 * `config-device`, `config-group`, `config-wq`, `config-engine`: option
 * checks, then one sysfs write per given option in accel-config's order.
 *
 * linux-userspace: accfg/config_attr.c
 */
import { Errno } from "../lib/errno.js";
import { parseCmdOptions, type CmdEnv } from "./command.js";
import { ACCFG_DEVICE_VERSION_2, type AccfgDevice, type AccfgEngine, type AccfgGroup, type AccfgWq } from "./lib/libaccfg.js";
import { parseDeviceName, parseEngineName, parseGroupName, parseWqName } from "./names.js";
import { reportError, type OptDef, type OptValues } from "./parse_options.js";

const INT_MAX = 2147483647;
const UINT_MAX = 4294967295;
const UCHAR_MAX = 255;

/** Arguments after "all" collapsing: any "all" makes the list just ["all"]. */
function collapseAll(args: string[]): string[] {
  return args.includes("all") ? ["all"] : args;
}

/** The command's option table (its `struct option` array). */
export const DEVICE_OPTIONS: readonly OptDef[] = [
  { short: "l", long: "read-buffer-limit", type: "uinteger", help: "specify read buffer limit by device", key: "read_buffer_limit" },
  { short: "e", long: "event-log-size", type: "integer", help: "specify event log size for device", key: "event_log_size" },
];

/** accel_config_parse_device_attribs() */
function configDevice(dev: AccfgDevice, v: OptValues, cmd: CmdEnv): number {
  const evl = v["event_log_size"] as number;
  if (evl !== INT_MAX && (evl < 0x40 || evl > 0xffff)) {
    cmd.stderr.write("configured event-log-size for device is not within range (64-65535)\n");
    return -Errno.EINVAL;
  }
  const rbl = v["read_buffer_limit"] as number;
  if (rbl !== UINT_MAX) {
    const rc = dev.setReadBufferLimit(rbl);
    if (rc < 0) return rc;
  }
  if (evl !== INT_MAX) {
    const rc = dev.setEventLogSize(evl);
    if (rc < 0) return rc;
  }
  return 0;
}

/** `accel-config config-device` */
export function cmdConfigDevice(argv: string[], cmd: CmdEnv): number {
  const v: OptValues = { read_buffer_limit: UINT_MAX, event_log_size: INT_MAX };
  let args = parseCmdOptions(argv, DEVICE_OPTIONS, ["accel-config config-device <device name> [<options>]"], v, cmd);
  if (args.length === 0) reportError(cmd.stderr, "specify a device name to configure attributes\n");
  args = collapseAll(args);
  for (const a of args) {
    const dev = parseDeviceName(cmd.ctx, a);
    if (dev === null) {
      cmd.stderr.write(`${a} is not a valid device name\n`);
      continue;
    }
    const rc = configDevice(dev, v, cmd);
    if (rc !== 0) {
      cmd.stderr.write("accel_config_parse_device_attribs failed\n");
      return rc;
    }
  }
  return 0;
}

/** The command's option table (its `struct option` array). */
export const GROUP_OPTIONS: readonly OptDef[] = [
  { short: "r", long: "read-buffers-reserved", type: "uinteger", help: "specify read buffers reserved by group", key: "read_buffers_reserved" },
  { short: "t", long: "read-buffers-allowed", type: "uinteger", help: "specify read buffers allowed by group", key: "read_buffers_allowed" },
  { short: "l", long: "use-read-buffer-limit", type: "uinteger", help: "specify read buffer limit by group", key: "use_read_buffer_limit" },
  { short: "a", long: "traffic-class-a", type: "integer", help: "specify traffic-class-a by group", key: "traffic_class_a" },
  { short: "b", long: "traffic-class-b", type: "integer", help: "specify traffic-class-b by group", key: "traffic_class_b" },
  { short: "d", long: "desc-progress-limit", type: "integer", help: "specify desc progress limit for group", key: "desc_progress_limit" },
  { short: "p", long: "batch-progress-limit", type: "integer", help: "specify batch progress limit for group", key: "batch_progress_limit" },
];

/** accel_config_parse_group_attribs() */
function configGroup(group: AccfgGroup, v: OptValues, cmd: CmdEnv): number {
  const n = (k: string): number => v[k] as number;
  const err = (msg: string): number => {
    cmd.stderr.write(msg + "\n");
    return -Errno.EINVAL;
  };
  if (group.device.version < ACCFG_DEVICE_VERSION_2 && (n("traffic_class_a") !== INT_MAX || n("traffic_class_b") !== INT_MAX))
    return err("traffic-class cannot be configured");
  if (n("read_buffers_reserved") !== UINT_MAX && n("read_buffers_reserved") >= UCHAR_MAX)
    return err("configured read-buffers-reserved for group is not within range");
  for (const k of ["desc_progress_limit", "batch_progress_limit"]) {
    if (n(k) !== INT_MAX && (n(k) < 0 || n(k) > 3))
      return err(`configured ${k === "desc_progress_limit" ? "desc" : "batch"}-progress-limit reserved for group is not within range`);
  }
  if (n("read_buffers_allowed") !== UINT_MAX && n("read_buffers_allowed") >= UCHAR_MAX) return err("invalid read-buffers-allowed value");
  if (n("use_read_buffer_limit") > 1 && n("use_read_buffer_limit") !== UINT_MAX) return err("valid use-read-buffer-limit should be either 0 or 1");
  if (n("traffic_class_a") < 0 || (n("traffic_class_a") > 7 && n("traffic_class_a") !== INT_MAX)) return err("valid traffic-class-a should be from 0 to 7");
  if (n("traffic_class_b") < 0 || (n("traffic_class_b") > 7 && n("traffic_class_b") !== INT_MAX)) return err("valid traffic-class-b should be from 0 to 7");
  const order: [string, number][] = [
    ["use_read_buffer_limit", UINT_MAX],
    ["read_buffers_reserved", UINT_MAX],
    ["read_buffers_allowed", UINT_MAX],
    ["traffic_class_a", INT_MAX],
    ["traffic_class_b", INT_MAX],
    ["desc_progress_limit", INT_MAX],
    ["batch_progress_limit", INT_MAX],
  ];
  for (const [k, unset] of order) {
    if (n(k) === unset) continue;
    const rc = group.set(k, n(k));
    if (rc < 0) return rc;
  }
  return 0;
}

/** `accel-config config-group` */
export function cmdConfigGroup(argv: string[], cmd: CmdEnv): number {
  const v: OptValues = {
    read_buffers_reserved: UINT_MAX,
    read_buffers_allowed: UINT_MAX,
    use_read_buffer_limit: UINT_MAX,
    traffic_class_a: INT_MAX,
    traffic_class_b: INT_MAX,
    desc_progress_limit: INT_MAX,
    batch_progress_limit: INT_MAX,
  };
  let args = parseCmdOptions(argv, GROUP_OPTIONS, ["accel-config config-group <device name>/<group name> [<options>]"], v, cmd);
  if (args.length === 0) reportError(cmd.stderr, "specify a group name to configure attributes\n");
  args = collapseAll(args);
  for (const a of args) {
    const r = parseGroupName(cmd.ctx, a);
    if (r === null) {
      cmd.stderr.write(`${a} is not a valid group name\n`);
      continue;
    }
    const rc = configGroup(r.group, v, cmd);
    if (rc < 0) return rc;
  }
  return 0;
}

/** The command's option table (its `struct option` array). */
export const WQ_OPTIONS: readonly OptDef[] = [
  { short: "g", long: "group-id", type: "integer", help: "specify group-id used by wq", key: "group_id" },
  { short: "s", long: "wq-size", type: "uinteger", help: "specify wq-size used by wq", key: "wq_size" },
  { short: "p", long: "priority", type: "uinteger", help: "specify priority used by wq", key: "priority" },
  { short: "b", long: "block-on-fault", type: "integer", help: "specify block-on-fault by wq", key: "block_on_fault" },
  { short: "r", long: "prs-disable", type: "integer", help: "specify prs-disable for wq", key: "prs_disable" },
  { short: "t", long: "threshold", type: "uinteger", help: "specify threshold by wq", key: "threshold" },
  { short: "y", long: "type", type: "string", argh: "type", help: "specify type by wq", key: "type" },
  { short: "n", long: "name", type: "string", argh: "name", help: "specify name by wq", key: "name" },
  { short: "d", long: "driver-name", type: "string", argh: "driver name", help: "specify wq driver name", key: "driver_name" },
  { short: "o", long: "op-config", type: "string", argh: "op config", help: "specify wq op config", key: "op_config" },
  { short: "m", long: "mode", type: "string", argh: "mode", help: "specify mode by wq", key: "mode" },
  { short: "c", long: "max-batch-size", type: "uinteger", help: "specify max-batch-size used by wq", key: "max_batch_size" },
  { short: "x", long: "max-transfer-size", type: "u64", help: "specify max-transfer-size used by wq", key: "max_transfer_size" },
  { short: "a", long: "ats-disable", type: "integer", help: "specify per wq ats-disable", key: "ats_disable" },
];

/** accel_config_parse_wq_attribs(): checks first, then writes in config_attr.c's order. */
function configWq(device: AccfgDevice, wq: AccfgWq, v: OptValues, cmd: CmdEnv): number {
  const n = (k: string): number => v[k] as number;
  const s = (k: string): string | null => v[k] as string | null;
  const err = (msg: string): number => {
    cmd.stderr.write(msg + "\n");
    return -Errno.EINVAL;
  };
  const mode = s("mode");
  if (mode !== null && mode !== "shared" && mode !== "dedicated") return err("valid mode should be shared or dedicated");
  const maxGroups = device.maxGroups | 0;
  const maxWqSize = device.maxWorkQueuesSize >>> 0;
  const maxBatch = device.maxBatchSize >>> 0;
  const maxXfer = BigInt.asUintN(64, BigInt(device.maxTransferSize));
  if (n("wq_size") > maxWqSize && n("wq_size") !== INT_MAX) return err(`valid size should be 0 to ${maxWqSize | 0}`);
  if (n("group_id") >= maxGroups && n("group_id") !== INT_MAX)
    return err(`valid group id should be 0 to ${maxGroups - 1} or -1 to dissociate the wq from groups`);
  if (n("block_on_fault") > 1 && n("block_on_fault") !== INT_MAX) return err("valid block-on-default should be either 0 or 1");
  if (n("prs_disable") > 1 && n("prs_disable") !== INT_MAX) return err("prs-disable value should be either 0 or 1");
  if ((n("max_batch_size") < 1 || n("max_batch_size") > maxBatch) && n("max_batch_size") !== INT_MAX)
    return err(`valid max-batch-size should be 1 to ${maxBatch | 0}`);
  const xfer = v["max_transfer_size"] as bigint;
  if ((xfer < 1n || xfer > maxXfer) && xfer !== BigInt(INT_MAX)) return err(`valid max-transfer-size should be 1 to ${maxXfer}`);
  if (n("ats_disable") > 1 && n("ats_disable") !== INT_MAX) return err("valid ats-disable should be either 0 or 1");

  let rc: number;
  if (mode !== null && (rc = wq.setStr("mode", mode)) < 0) return rc;
  const type = s("type");
  if (type !== null && (rc = wq.setStr("type", type)) < 0) return rc;
  const name = s("name");
  if (name !== null && (rc = wq.setStr("name", name)) < 0) return rc;
  const drv = s("driver_name");
  if (drv !== null) {
    if (!wq.driverNameValid(drv)) {
      cmd.stderr.write(`Invalid driver name "${drv}"\n`);
      return -Errno.ENOENT;
    }
    if ((rc = wq.setStr("driver_name", drv)) < 0) return rc;
  }
  const opc = s("op_config");
  if (opc !== null && (rc = wq.setOpConfigStr(opc)) < 0) {
    cmd.stderr.write(`Invalid op config "${opc}"\n`);
    return rc;
  }
  const ints: [string, string][] = [
    ["wq_size", "size"],
    ["group_id", "group_id"],
    ["priority", "priority"],
    ["block_on_fault", "block_on_fault"],
    ["prs_disable", "prs_disable"],
    ["threshold", "threshold"],
    ["max_batch_size", "max_batch_size"],
  ];
  for (const [k, field] of ints) {
    if (n(k) === INT_MAX) continue;
    if ((rc = wq.setInt(field, n(k))) < 0) return rc;
  }
  if (xfer !== BigInt(INT_MAX) && (rc = wq.setMaxTransferSize(xfer)) < 0) return rc;
  if (n("ats_disable") !== INT_MAX && (rc = wq.setInt("ats_disable", n("ats_disable"))) < 0) return rc;
  return 0;
}

/** `accel-config config-wq` */
export function cmdConfigWq(argv: string[], cmd: CmdEnv): number {
  const v: OptValues = {
    group_id: INT_MAX,
    wq_size: INT_MAX,
    priority: INT_MAX,
    block_on_fault: INT_MAX,
    prs_disable: INT_MAX,
    threshold: INT_MAX,
    type: null,
    name: null,
    driver_name: null,
    op_config: null,
    mode: null,
    max_batch_size: INT_MAX,
    max_transfer_size: BigInt(INT_MAX),
    ats_disable: INT_MAX,
  };
  let args = parseCmdOptions(argv, WQ_OPTIONS, ["accel-config config-wq <device name>/<wq name> [<options>]"], v, cmd);
  if (args.length === 0) reportError(cmd.stderr, "specify a wq name to configure attributes\n");
  args = collapseAll(args);
  for (const a of args) {
    const r = parseWqName(cmd.ctx, a);
    if (r === null) {
      cmd.stderr.write(`${a} is not a valid workqueue name\n`);
      continue;
    }
    const rc = configWq(r.device, r.wq, v, cmd);
    if (rc < 0) return rc;
  }
  return 0;
}

/** The command's option table (its `struct option` array). */
export const ENGINE_OPTIONS: readonly OptDef[] = [
  { short: "g", long: "group-id", type: "integer", help: "specify group-id used by engine", key: "group_id" },
];

/** accel_config_parse_engine_attribs() */
function configEngine(device: AccfgDevice, engine: AccfgEngine, v: OptValues, cmd: CmdEnv): number {
  const gid = v["group_id"] as number;
  const maxGroups = device.maxGroups | 0;
  if (gid >= maxGroups) {
    cmd.stderr.write(`valid group id should be 0 to ${maxGroups - 1} or -1 to dissociate from groups\n`);
    return -Errno.EINVAL;
  }
  if (gid !== INT_MAX) return engine.setGroupId(gid);
  return 0;
}

/** `accel-config config-engine`; the parameters are zero-initialised, so no -g means group 0. */
export function cmdConfigEngine(argv: string[], cmd: CmdEnv): number {
  const v: OptValues = { group_id: 0 };
  let args = parseCmdOptions(argv, ENGINE_OPTIONS, ["accel-config config-engine <device name>/<engine name> [<options>]"], v, cmd);
  if (args.length === 0) reportError(cmd.stderr, "specify an engine name to configure attributes\n");
  args = collapseAll(args);
  for (const a of args) {
    const r = parseEngineName(cmd.ctx, a);
    if (r === null) {
      cmd.stderr.write(`${a} is not a valid engine name\n`);
      continue;
    }
    const rc = configEngine(r.device, r.engine, v, cmd);
    if (rc !== 0) {
      cmd.stderr.write("accel_config_parse_engine_attribs failed\n");
      return rc;
    }
  }
  return 0;
}
