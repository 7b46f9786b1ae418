/**
 * libaccfg: the accel-config library, reading and writing the idxd sysfs tree
 * (`/sys/bus/dsa/devices`) through the VFS only, as intel/idxd-config's
 * accfg/lib/libaccfg.c does through open/read/write.
 *
 * Setters write one attribute and, on a refused write, print the library's
 * `libaccfg: <function>: <dev>: … write failed: <strerror>` line on stderr,
 * record the device's cmd_status for the final `Error[…]` line and return
 * -errno, like the C functions.
 */
import { Errno, strerror } from "../../lib/errno.js";
import type { Vfs } from "../../kernfs/vfs.js";
import { cStrtol, paramLong, paramStr, sysfsExists, sysfsReadAttr, sysfsWriteAttr } from "./sysfs.js";

/** Where text goes (stdout, stderr). */
export interface Sink {
  write(s: string): void;
}

export const DSA_BUS = "/sys/bus/dsa";
export const ACCFG_BASENAMES = ["dsa", "iax"] as const;
export type AccfgDeviceType = (typeof ACCFG_BASENAMES)[number];

export const ACCFG_DEVICE_VERSION_2 = 0x200;
/** accfg_device_get_cmd_status() when the file cannot be read. */
export const ACCFG_CMD_STATUS_ERROR = 0x80010000;
const IDXD_SCMD_SOFTERR_MASK = 0x80000000;
const ACCFG_CMD_STATUS_MAX = 0x45;
const UNKNOWN_ERROR = "Unknown error";

/** Software status strings, indexed by bits 16..23 of a cmd_status with bit 31 set. */
const SW_CMD_STATUS: readonly string[] = [
  "",
  "Error reading cmd_status (library error)",
  "DMA device registration error (driver error)",
  "wq error - group not set",
  "wq error - name not set",
  "wq error - no SVM support and needed (platform configuration error)",
  "wq error - threshold not set",
  "wq portal mapping error (driver error)",
  "wq resource allocation error (driver error)",
  "wq percpu counter allocation error (driver error)",
  "wq DMA channel registration error (driver error)",
  "wq char dev registration error (driver error)",
  "wq error - no shared wq support (platform configuration error)",
  "wq error - no wqs configured",
  "wq error - size not set",
];

/** Hardware command status strings (low byte). */
const HW_CMD_STATUS: Readonly<Record<number, string>> = {
  0x1: "Invalid command code",
  0x2: "Invalid WQ index",
  0x3: "Internal or platform hardware error",
  0x4: "Non-zero reserved field in comand",
  0x10: "Device not disabled",
  0x11: "Unspecified error in config for device enable",
  0x12: "Bus master enable is 0",
  0x13: "PRSREQALLOC value unsupported",
  0x14: "Sum of WQCFG size fields out of range",
  0x15: "Invalid group config: lack of wq or engines",
  0x16: "Invalid group config: wq misconfigured",
  0x17: "Invalid group config: engine misconfigured",
  0x18: "Invalid group config: invalid bandwith tokens config",
  0x20: "Device not enabled",
  0x21: "WQ is not disabled",
  0x22: "WQ size is 0",
  0x23: "WQ priority is 0",
  0x24: "Invalid WQ mode",
  0x25: "Invalid block on fault setting",
  0x26: "Invalid value for WQ pasid enable",
  0x27: "Invalid WQ max batch size",
  0x28: "Invalid WQ max transfer size",
  0x2a: "PCIe pasid cap Priv mode enable = 0",
  0x2b: "Invalid WQ Occupancy Interrupt table or handle",
  0x2c: "WQ ATS config mismatched",
  0x31: "Device is not enabled",
  0x32: "WQ(s) not enabled",
  0x41: "Invalid interrupt table index",
  0x42: "No interrupt handle available",
  0x43: "No interrupt handles associated with the index",
  0x44: "No revoked handles associted with the index",
  [ACCFG_CMD_STATUS_MAX]: UNKNOWN_ERROR,
};

/**
 * The text for a cmd_status value, as accel-config prints it after `Error[…]`.
 * linux-userspace: accfg/lib/libaccfg.c get_cmd_status_str()
 */
export function cmdStatusStr(status: number): string {
  let s = status >>> 0;
  if ((s & IDXD_SCMD_SOFTERR_MASK) !== 0) {
    const sw = (s >>> 16) & 0xff;
    if (sw !== 0) return sw >= SW_CMD_STATUS.length ? UNKNOWN_ERROR : SW_CMD_STATUS[sw]!;
    s = (s & ~IDXD_SCMD_SOFTERR_MASK) >>> 0;
  }
  if (s > ACCFG_CMD_STATUS_MAX) s = ACCFG_CMD_STATUS_MAX;
  // the C table has holes; printf("%s", NULL) prints "(null)"
  return HW_CMD_STATUS[s] ?? "(null)";
}

export const enum DeviceState {
  Disabled,
  Enabled,
  Unknown,
}

export const enum WqState {
  Disabled,
  Enabled,
  Quiescing,
  Locked,
  Unknown,
}

/** The object a failed operation was on, for main()'s `Error[…] dev/wq: …` line. */
export interface LastError {
  cmdStatus: number;
  device: AccfgDevice;
  group: AccfgGroup | null;
  wq: AccfgWq | null;
  engine: AccfgEngine | null;
}

const LOG_PRIORITY: Record<string, number> = { err: 3, notice: 5, info: 6, debug: 7 };

/** The 256-bit bitmaps (op_cap, op_config, errors): 8 × `%08x,`, most significant word first. */
export function formatBitmap(text: string | null): string | null {
  if (text === null) return null;
  const words = text.split(",");
  if (words.length !== 8) return null;
  const out: string[] = [];
  for (const w of words) {
    const r = cStrtol(w, 16);
    if (r.end === 0 && w.trim() !== "") return null;
    out.push((r.value >>> 0).toString(16).padStart(8, "0"));
  }
  return out.join(",");
}

/**
 * struct accfg_ctx: the devices found under /sys/bus/dsa/devices at start,
 * the log sink and the last error.
 */
export class AccfgCtx {
  readonly devices: AccfgDevice[] = [];
  /** No /sys/bus/dsa/drivers/idxd: bind devices and wqs through drivers/dsa. */
  readonly compat: boolean;
  lastError: LastError | null = null;
  private readonly logPriority: number;

  constructor(
    readonly vfs: Vfs,
    readonly stderr: Sink,
    env: Record<string, string> = {},
  ) {
    const lvl = env["ACCFG_LOG"];
    if (lvl === undefined) this.logPriority = LOG_PRIORITY["err"]!;
    else if (/^[0-9]/.test(lvl)) this.logPriority = cStrtol(lvl, 10).value;
    else this.logPriority = LOG_PRIORITY[lvl] ?? LOG_PRIORITY["err"]!;
    this.compat = !sysfsExists(vfs, `${DSA_BUS}/drivers/idxd`);
    this.scanDevices();
  }

  /** err(ctx, …): `libaccfg: <fn>: <msg>` on stderr at LOG_ERR. */
  err(fn: string, msg: string): void {
    if (this.logPriority >= 3) this.stderr.write(`libaccfg: ${fn}: ${msg}`);
  }

  // linux-userspace: libaccfg.c devices_init() + add_device()
  private scanDevices(): void {
    let names: string[];
    try {
      names = this.vfs.readdir(`${DSA_BUS}/devices`);
    } catch {
      return;
    }
    const sorted = names.filter((n) => !n.includes("!")).sort(cmpBytes);
    for (const type of ACCFG_BASENAMES) {
      for (const name of sorted) {
        if (!name.startsWith(type)) continue;
        const m = /^(\d+)/.exec(name.slice(type.length));
        const id = m === null ? -1 : Number(m[1]);
        let real: string;
        try {
          real = this.vfs.realpath(`${DSA_BUS}/devices/${name}`);
        } catch {
          continue;
        }
        const dev = new AccfgDevice(this, name, id, type, real);
        this.devices.push(dev);
        // the library clears cmd_status of every device at start
        sysfsWriteAttr(this.vfs, `${real}/cmd_status`, "1");
      }
    }
  }

  /** accfg_ctx_device_get_by_name() */
  deviceByName(name: string): AccfgDevice | null {
    return this.devices.find((d) => d.name === name) ?? null;
  }

  /** save_last_error(): remember the object and the device's cmd_status. */
  saveLastError(device: AccfgDevice, wq: AccfgWq | null, group: AccfgGroup | null, engine: AccfgEngine | null): void {
    this.lastError = { cmdStatus: device.cmdStatus(), device, wq, group, engine };
  }

  /** Path of a driver's bind file: /sys/bus/dsa/drivers/<drv>/bind */
  bindPath(driver: string): string {
    return `${DSA_BUS}/drivers/${driver}/bind`;
  }
}

/** strcmp order (alphasort in the C locale). */
export function cmpBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function listChildren(vfs: Vfs, dir: string, prefix: string): string[] {
  let names: string[];
  try {
    names = vfs.readdir(dir);
  } catch {
    return [];
  }
  return names.filter((n) => n.startsWith(prefix) && !n.includes("!")).sort(cmpBytes);
}

/** struct accfg_device: one `dsaN` or `iaxN`. */
export class AccfgDevice {
  private groupsCache: AccfgGroup[] | null = null;
  private wqsCache: AccfgWq[] | null = null;
  private enginesCache: AccfgEngine[] | null = null;

  constructor(
    readonly ctx: AccfgCtx,
    readonly name: string,
    readonly id: number,
    readonly type: AccfgDeviceType,
    /** realpath of the device directory */
    readonly path: string,
  ) {}

  private get vfs(): Vfs {
    return this.ctx.vfs;
  }

  long(attr: string): number {
    return paramLong(this.vfs, this.path, attr);
  }

  str(attr: string): string | null {
    return paramStr(this.vfs, this.path, attr);
  }

  hasAttr(attr: string): boolean {
    return sysfsExists(this.vfs, `${this.path}/${attr}`);
  }

  get groups(): AccfgGroup[] {
    this.groupsCache ??= listChildren(this.vfs, this.path, "group").flatMap((n) => {
      const m = /^group(\d+)\.(\d+)$/.exec(n);
      return m === null ? [] : [new AccfgGroup(this, n, Number(m[2]), `${this.path}/${n}`)];
    });
    return this.groupsCache;
  }

  get wqs(): AccfgWq[] {
    this.wqsCache ??= listChildren(this.vfs, this.path, "wq").flatMap((n) => {
      const m = /^wq(\d+)\.(\d+)$/.exec(n);
      return m === null ? [] : [new AccfgWq(this, n, Number(m[2]), `${this.path}/${n}`)];
    });
    return this.wqsCache;
  }

  get engines(): AccfgEngine[] {
    this.enginesCache ??= listChildren(this.vfs, this.path, "engine").flatMap((n) => {
      const m = /^engine(\d+)\.(\d+)$/.exec(n);
      return m === null ? [] : [new AccfgEngine(this, n, Number(m[2]), `${this.path}/${n}`)];
    });
    return this.enginesCache;
  }

  groupById(id: number): AccfgGroup | null {
    return this.groups.find((g) => g.id === id) ?? null;
  }

  wqById(id: number): AccfgWq | null {
    return this.wqs.find((w) => w.id === id) ?? null;
  }

  engineById(id: number): AccfgEngine | null {
    return this.engines.find((e) => e.id === id) ?? null;
  }

  get maxGroups(): number {
    return this.long("max_groups");
  }
  get maxWorkQueues(): number {
    return this.long("max_work_queues");
  }
  get maxEngines(): number {
    return this.long("max_engines");
  }
  get maxWorkQueuesSize(): number {
    return this.long("max_work_queues_size");
  }
  /** -2 (-ENOENT) on IAX, where the attribute is invisible. */
  get maxBatchSize(): number {
    return this.long("max_batch_size");
  }
  get maxTransferSize(): number {
    return this.long("max_transfer_size");
  }
  get version(): number {
    return this.long("version");
  }
  get configurable(): number {
    return this.long("configurable");
  }
  get readBufferLimit(): number {
    const v = this.long("read_buffer_limit");
    return v === -Errno.ENOENT ? this.long("token_limit") : v;
  }
  get maxReadBuffers(): number {
    const v = this.long("max_read_buffers");
    return v === -Errno.ENOENT ? this.long("max_tokens") : v;
  }

  /** accfg_device_get_state() */
  state(): DeviceState {
    const r = sysfsReadAttr(this.vfs, `${this.path}/state`);
    if (typeof r === "number") {
      this.ctx.err("accfg_device_get_state", `sysfs_read_attr failed '${this.path}': ${strerror(r)}\n`);
      this.ctx.saveLastError(this, null, null, null);
      return DeviceState.Unknown;
    }
    if (r === "disabled") return DeviceState.Disabled;
    if (r === "enabled") return DeviceState.Enabled;
    return DeviceState.Unknown;
  }

  /** accfg_device_is_active() */
  isActive(): boolean {
    return sysfsReadAttr(this.vfs, `${this.path}/state`) === "enabled";
  }

  /** accfg_device_get_clients() */
  clients(): number {
    const r = sysfsReadAttr(this.vfs, `${this.path}/clients`);
    if (typeof r === "number") return r;
    return cStrtol(r, 10).value;
  }

  /** accfg_device_get_cmd_status() */
  cmdStatus(): number {
    const r = sysfsReadAttr(this.vfs, `${this.path}/cmd_status`);
    if (typeof r === "number") return ACCFG_CMD_STATUS_ERROR;
    const v = cStrtol(r, 0);
    if (v.end === 0) return ACCFG_CMD_STATUS_ERROR;
    return v.value >>> 0;
  }

  private writeInt(fn: string, attr: string, val: number): number {
    const path = `${this.path}/${attr}`;
    const rc = sysfsWriteAttr(this.vfs, path, String(val | 0));
    if (rc < 0) {
      this.ctx.err(fn, `${this.name}: write failed: ${strerror(rc)}\n`);
      this.ctx.saveLastError(this, null, null, null);
      return rc;
    }
    return 0;
  }

  /** accfg_device_set_read_buffer_limit() (falls back to token_limit) */
  setReadBufferLimit(val: number): number {
    const attr = this.hasAttr("read_buffer_limit") ? "read_buffer_limit" : "token_limit";
    return this.writeInt("accfg_device_set_read_buffer_limit", attr, val);
  }

  /** accfg_device_set_event_log_size(): silently 0 when the attribute is absent. */
  setEventLogSize(val: number): number {
    if (!this.hasAttr("event_log_size")) return 0;
    return this.writeInt("accfg_device_set_event_log_size", "event_log_size", val);
  }

  /** Name of the driver that binds devices: idxd, or dsa in compat mode. */
  get idxdDriver(): string {
    return this.ctx.compat ? "dsa" : "idxd";
  }

  /** accfg_device_enable(): write the name to drivers/idxd/bind. */
  enable(): number {
    const rc = sysfsWriteAttr(this.vfs, this.ctx.bindPath(this.idxdDriver), this.name);
    if (rc < 0) {
      this.ctx.saveLastError(this, null, null, null);
      return rc;
    }
    return 0;
  }

  /** accfg_device_disable(): write the name to <dev>/driver/unbind, refusing while clients > 0 unless forced. */
  disable(force: boolean): number {
    let unbind: string;
    try {
      unbind = this.vfs.realpath(`${DSA_BUS}/devices/${this.name}/driver/unbind`);
    } catch {
      return -Errno.ENOENT;
    }
    const clients = this.clients();
    if (clients > 0) {
      this.ctx.err("accfg_device_control", `Device has clients: ${clients}.\n`);
      if (force) this.ctx.err("accfg_device_control", "\n");
      else {
        this.ctx.err("accfg_device_control", "Device disable refused.\n");
        return -Errno.EPERM;
      }
    }
    const rc = sysfsWriteAttr(this.vfs, unbind, this.name);
    if (rc < 0) {
      this.ctx.saveLastError(this, null, null, null);
      return rc;
    }
    return 0;
  }
}

/** struct accfg_group */
export class AccfgGroup {
  constructor(
    readonly device: AccfgDevice,
    readonly name: string,
    readonly id: number,
    readonly path: string,
  ) {}

  long(attr: string): number {
    return paramLong(this.device.ctx.vfs, this.path, attr);
  }

  hasAttr(attr: string): boolean {
    return sysfsExists(this.device.ctx.vfs, `${this.path}/${attr}`);
  }

  /** The value of a field, trying its deprecated `token` name when the new one is absent. */
  field(attr: string): number {
    const v = this.long(attr);
    if (v !== -Errno.ENOENT) return v;
    const old = deprecatedAttr(attr);
    return old === attr ? v : this.long(old);
  }

  /**
   * accfg_group_set_<field>(): `libaccfg: accfg_group_set_<field>: groupX.Y: <field> attribute write failed: …`
   */
  set(field: string, val: number): number {
    const vfs = this.device.ctx.vfs;
    let path = `${this.path}/${field}`;
    if (!vfs.exists(path)) path = `${this.path}/${deprecatedAttr(field)}`;
    const rc = sysfsWriteAttr(vfs, path, String(val | 0));
    if (rc < 0) {
      this.device.ctx.err(`accfg_group_set_${field}`, `${this.name}: ${field} attribute write failed: ${strerror(rc)}\n`);
      this.device.ctx.saveLastError(this.device, null, this, null);
      return rc;
    }
    return 0;
  }
}

/** The pre-5.17 `token` names of the read-buffer attributes. */
function deprecatedAttr(attr: string): string {
  const map: Record<string, string> = {
    read_buffers_reserved: "tokens_reserved",
    read_buffers_allowed: "tokens_allowed",
    use_read_buffer_limit: "use_token_limit",
    read_buffer_limit: "token_limit",
    max_read_buffers: "max_tokens",
  };
  return map[attr] ?? attr;
}

/** struct accfg_wq */
export class AccfgWq {
  constructor(
    readonly device: AccfgDevice,
    readonly name: string,
    readonly id: number,
    readonly path: string,
  ) {}

  private get ctx(): AccfgCtx {
    return this.device.ctx;
  }

  long(attr: string): number {
    return paramLong(this.ctx.vfs, this.path, attr);
  }

  str(attr: string): string | null {
    return paramStr(this.ctx.vfs, this.path, attr);
  }

  hasAttr(attr: string): boolean {
    return sysfsExists(this.ctx.vfs, `${this.path}/${attr}`);
  }

  get groupId(): number {
    return this.long("group_id");
  }

  /** "shared" or "dedicated" (anything not "shared" counts as dedicated, as in accfg_wq_get_mode). */
  get mode(): "shared" | "dedicated" {
    return this.str("mode") === "shared" ? "shared" : "dedicated";
  }

  /** wq_parse_type(): the part before any ':' */
  get type(): "none" | "kernel" | "user" {
    const t = (this.str("type") ?? "").split(":")[0];
    return t === "kernel" ? "kernel" : t === "user" ? "user" : "none";
  }

  /** null when the attribute does not exist (kernels before 6.7). */
  get driverName(): string | null {
    return this.str("driver_name");
  }

  /** accfg_wq_get_state() */
  state(): WqState {
    const r = sysfsReadAttr(this.ctx.vfs, `${this.path}/state`);
    if (typeof r === "number") {
      this.ctx.err("accfg_wq_get_state", `sysfs_read_attr failed '${this.path}': ${strerror(r)}\n`);
      this.ctx.saveLastError(this.device, this, null, null);
      return WqState.Unknown;
    }
    switch (r) {
      case "disabled":
        return WqState.Disabled;
      case "enabled":
        return WqState.Enabled;
      case "quiescing":
        return WqState.Quiescing;
      case "locked":
        return WqState.Locked;
      default:
        return WqState.Unknown;
    }
  }

  /** accfg_wq_is_enabled(): enabled or locked */
  isEnabled(): boolean {
    const s = this.state();
    return s === WqState.Enabled || s === WqState.Locked;
  }

  clients(): number {
    const r = sysfsReadAttr(this.ctx.vfs, `${this.path}/clients`);
    if (typeof r === "number") {
      this.ctx.err("accfg_wq_get_clients", `retrieve clients failed: '${this.path}': ${strerror(r)}\n`);
      this.ctx.saveLastError(this.device, this, null, null);
      return r;
    }
    return cStrtol(r, 10).value;
  }

  /** accfg_wq_set_<field>() for the int fields: size, priority, group_id, block_on_fault, threshold, max_batch_size, ats_disable, prs_disable. */
  setInt(field: string, val: number): number {
    if (field === "threshold" && this.device.configurable === 0) {
      this.ctx.err("accfg_wq_set_threshold", "device is not configurable\n");
      return -Errno.EPERM;
    }
    const rc = sysfsWriteAttr(this.ctx.vfs, `${this.path}/${field}`, String(val | 0));
    if (rc < 0) {
      this.ctx.err(`accfg_wq_set_${field}`, `${this.name}: ${field} attribute write failed: ${strerror(rc)}\n`);
      this.ctx.saveLastError(this.device, this, null, null);
      return rc;
    }
    return 0;
  }

  /** accfg_wq_set_max_transfer_size() (u64) */
  setMaxTransferSize(val: bigint | number): number {
    if (this.device.configurable === 0) {
      this.ctx.err("accfg_wq_set_max_transfer_size", "device is not configurable\n");
      return -Errno.EPERM;
    }
    const rc = sysfsWriteAttr(this.ctx.vfs, `${this.path}/max_transfer_size`, BigInt.asUintN(64, BigInt(val)).toString());
    if (rc < 0) {
      this.ctx.err("accfg_wq_set_max_transfer_size", `${this.name}: write failed: ${strerror(rc)}\n`);
      this.ctx.saveLastError(this.device, this, null, null);
      return rc;
    }
    return 0;
  }

  /** accfg_wq_set_str_{mode,name,driver_name,type}() */
  setStr(field: "mode" | "name" | "driver_name" | "type", val: string): number {
    if (field === "mode" && this.device.configurable === 0) {
      this.ctx.err(`accfg_wq_set_str_${field}`, "device is not configurable\n");
      return -Errno.EPERM;
    }
    const rc = sysfsWriteAttr(this.ctx.vfs, `${this.path}/${field}`, val);
    if (rc < 0) {
      // kernels without driver_name: silently skipped
      if (rc === -Errno.ENOENT && field === "driver_name") return 0;
      this.ctx.err(`accfg_wq_set_str_${field}`, `${this.name}: write failed: ${strerror(rc)}\n`);
      this.ctx.saveLastError(this.device, this, null, null);
      return rc;
    }
    return 0;
  }

  /** accfg_wq_set_op_config_str(): -EIO on any failure, no message. */
  setOpConfigStr(val: string): number {
    const rc = sysfsWriteAttr(this.ctx.vfs, `${this.path}/op_config`, val);
    return rc < 0 ? -Errno.EIO : 0;
  }

  /** accfg_wq_driver_name_validate(): drivers/<name>/bind exists. */
  driverNameValid(name: string): boolean {
    return sysfsExists(this.ctx.vfs, this.ctx.bindPath(name));
  }

  /** The driver a wq binds to when driver_name is empty (IDXD_WQ_DEVICE_PORTAL). */
  private defaultPortal(): string {
    if (this.ctx.compat) return "dsa";
    const t = this.type;
    // a wq of type none has no portal driver: drivers//bind does not exist (#40)
    return t === "user" ? "user" : t === "kernel" ? "dmaengine" : "";
  }

  /** accfg_wq_enable(): bind through drivers/<driver_name>/bind, then check the state. */
  enable(): number {
    const drv = this.driverName;
    const path = this.ctx.bindPath(drv !== null && drv.length > 0 ? drv : this.defaultPortal());
    if (drv !== null && !sysfsExists(this.ctx.vfs, path)) {
      this.ctx.stderr.write(`Invalid wq driver name "${drv}"\n`);
      return -Errno.ENOENT;
    }
    const rc = sysfsWriteAttr(this.ctx.vfs, path, this.name);
    if (rc < 0) {
      this.ctx.saveLastError(this.device, this, null, null);
      return rc;
    }
    if (this.state() !== WqState.Enabled) {
      this.ctx.err("accfg_wq_control", "WQ not in expected state\n");
      return -Errno.ENXIO;
    }
    return 0;
  }

  /** accfg_wq_disable(): write the name to <wq>/driver/unbind. */
  disable(force: boolean): number {
    let unbind: string;
    try {
      unbind = this.ctx.vfs.realpath(`${DSA_BUS}/devices/${this.name}/driver/unbind`);
    } catch {
      return -Errno.ENOENT;
    }
    const clients = this.clients();
    if (clients > 0) {
      this.ctx.err("accfg_wq_control", `wq has clients: ${clients}.\n`);
      if (!force) {
        this.ctx.err("accfg_wq_control", " wq disable refused.\n");
        return -Errno.EPERM;
      }
    }
    const rc = sysfsWriteAttr(this.ctx.vfs, unbind, this.name);
    if (rc < 0) {
      this.ctx.saveLastError(this.device, this, null, null);
      return rc;
    }
    if (this.state() !== WqState.Disabled) {
      this.ctx.err("accfg_wq_control", "WQ not in expected state\n");
      return -Errno.ENXIO;
    }
    return 0;
  }
}

/** struct accfg_engine */
export class AccfgEngine {
  constructor(
    readonly device: AccfgDevice,
    readonly name: string,
    readonly id: number,
    readonly path: string,
  ) {}

  get groupId(): number {
    return paramLong(this.device.ctx.vfs, this.path, "group_id");
  }

  /** accfg_engine_set_group_id() */
  setGroupId(val: number): number {
    const ctx = this.device.ctx;
    const rc = sysfsWriteAttr(ctx.vfs, `${this.path}/group_id`, String(val | 0));
    if (rc < 0) {
      ctx.err("accfg_engine_set_group_id", `${this.name}: group_id attribute write failed: ${strerror(rc)}\n`);
      ctx.saveLastError(this.device, null, null, this);
      return rc;
    }
    return 0;
  }
}
