/**
 * The idxd sysfs attributes (linux: drivers/dma/idxd/sysfs.c) of devices,
 * WQs, groups and engines. Every store checks in the kernel's order and
 * changes nothing when it refuses (accel-config.md §4.2–§4.5).
 */
import { genCapBlockOnFault, genCapEvlSupport } from "../../hw/caps.js";
import type { KnDir } from "../../kernfs/node.js";
import { Errno } from "../../lib/errno.js";
import {
  type IdxdDevice,
  type IdxdEngine,
  type IdxdGroup,
  type IdxdWq,
  DRIVER_NAME_SIZE,
  IDXD_ENQCMDS_MAX_RETRIES,
  IDXD_MAX_PRIORITY,
  WQ_NAME_SIZE,
} from "./idxd.js";
import { cstring, kstrtobool, kstrtol, kstrtoull, kstrtouint, sysfsStreq } from "../../lib/kstrto.js";
import type { ShowFn, StoreFn } from "../../kernfs/node.js";

const RO = 0o444;
const RW = 0o644;

/** Module parameters of idxd the attributes consult. */
export interface IdxdParams {
  /** idxd.tc_override: allow traffic-class writes on version ≤ 2 devices. */
  tcOverride: boolean;
}

/** `%*pb` of a 256-bit bitmap: 8 words, most significant first. */
export function formatBitmap256(words: readonly number[]): string {
  const out: string[] = [];
  for (let i = 7; i >= 0; i--) out.push(((words[i] ?? 0) >>> 0).toString(16).padStart(8, "0"));
  return out.join(",");
}

/** The kernel's `%#x` / `%#llx` (lib/vsprintf.c number()): 0x-prefixed, zero included ("0x0"). */
export function hexSpecial(v: number): string {
  return "0x" + v.toString(16);
}
const hex = hexSpecial;

/**
 * The device's `errors`: `%*pb` of the 256-bit bitmap that
 * multi_u64_to_bmap() builds from the four SWERR words (registers.h
 * `union sw_err_reg`: valid bit 0, desc_valid 2, wq_idx_valid 3, error 8–15,
 * wq_idx 16–23, operation 32–39; word 2 = fault_addr).
 */
function swerrBitmap(sw: { valid: boolean; status: number; wq: number; opcode: number; addr: number }): string {
  const words = new Array<number>(8).fill(0); // 32-bit words, least significant first
  if (sw.valid) {
    words[0] = (0x1 | 0x4 | 0x8 | ((sw.status & 0xff) << 8) | ((sw.wq & 0xff) << 16)) >>> 0;
    words[1] = sw.opcode & 0xff;
    words[4] = sw.addr % 2 ** 32 >>> 0;
    words[5] = Math.floor(sw.addr / 2 ** 32) >>> 0;
  }
  return formatBitmap256(words);
}

/** A directory's attribute whose store sees the buffer as the C string the kernel's store would (up to a NUL). */
function cattr(d: KnDir, name: string, mode: number, show: ShowFn, store?: StoreFn): void {
  d.attr(name, mode, show, store === undefined ? undefined : (buf: string) => store(cstring(buf)));
}

function roundupPow2(v: number): number {
  let p = 1;
  while (p < v) p *= 2;
  return p;
}

/** strim() of a store buffer. */
function strim(s: string): string {
  return s.replace(/^\s+|\s+$/g, "");
}

/** Byte length of a store buffer as strlen() sees it. */
function strlen(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

// ----------------------------------------------------------------------
// Device
// ----------------------------------------------------------------------

/** The attributes of iaxN / dsaN. */
export function idxdDeviceAttrs(d: KnDir, idxd: IdxdDevice): void {
  const caps = idxd.caps;
  d.attr("version", RO, () => `${hex(caps.version)}\n`);
  d.attr("max_groups", RO, () => `${caps.maxGroups}\n`);
  d.attr("max_work_queues", RO, () => `${caps.maxWqs}\n`);
  d.attr("max_work_queues_size", RO, () => `${caps.totalWqSize}\n`);
  d.attr("max_engines", RO, () => `${caps.maxEngines}\n`);
  d.attr("numa_node", RO, () => `${idxd.numaNode}\n`);
  d.attr("max_transfer_size", RO, () => `${idxd.maxXferBytes}\n`);
  d.attr("op_cap", RO, () => `${formatBitmap256(caps.opCap)}\n`);
  d.attr("gen_cap", RO, () => `${hex(caps.genCap)}\n`);
  d.attr("configurable", RO, () => `${idxd.configurable ? 1 : 0}\n`);
  d.attr("clients", RO, () => `${idxd.wqs.reduce((n, w) => n + w.clients, 0)}\n`);
  d.attr("pasid_enabled", RO, () => `${idxd.userSva ? 1 : 0}\n`);
  d.attr("state", RO, () => `${idxd.state}\n`);
  d.attr("errors", RO, () => `${swerrBitmap(idxd.hw.swerr)}\n`);
  d.attr("cdev_major", RO, () => `${idxd.cdevMajor}\n`);
  cattr(d, "cmd_status", RW, () => `${hex(idxd.cmdStatus)}\n`, () => {
    idxd.cmdStatus = 0;
    return 0;
  });
  if (!idxd.isIax) {
    d.attr("max_batch_size", RO, () => `${idxd.maxBatchSize}\n`);
    const maxRb = () => `${caps.maxReadBuffers}\n`;
    d.attr("max_read_buffers", RO, maxRb);
    d.attr("max_tokens", RO, maxRb);
    const showLimit = () => `${idxd.readBufferLimit}\n`;
    const storeLimit = (buf: string): number => {
      const v = kstrtoull(buf, 10);
      if (v < 0) return -Errno.EINVAL;
      if (idxd.state === "enabled") return -Errno.EPERM;
      if (!idxd.configurable) return -Errno.EPERM;
      if (v > caps.maxReadBuffers) return -Errno.EINVAL;
      idxd.readBufferLimit = v;
      return 0;
    };
    cattr(d, "read_buffer_limit", RW, showLimit, storeLimit);
    cattr(d, "token_limit", RW, showLimit, storeLimit);
  }
  if (idxd.isIax && caps.version >= 0x200) d.attr("iaa_cap", RO, () => "0\n");
  if (genCapEvlSupport(caps.genCap)) {
    cattr(d, "event_log_size", RW, () => `${idxd.eventLogSize}\n`, (buf) => {
      const v = kstrtoull(buf, 10);
      if (v < 0) return -Errno.EINVAL;
      if (idxd.state === "enabled") return -Errno.EPERM;
      if (v < 64 || v > 65535) return -Errno.EINVAL;
      idxd.eventLogSize = v;
      return 0;
    });
  }
}

// ----------------------------------------------------------------------
// Engine
// ----------------------------------------------------------------------

/** engineN.M/group_id */
export function idxdEngineAttrs(d: KnDir, e: IdxdEngine): void {
  cattr(d, "group_id", RW, () => `${e.groupId}\n`, (buf) => {
    const r = kstrtol(buf, 10);
    if (!r.ok) return -Errno.EINVAL;
    if (!e.idxd.configurable) return -Errno.EPERM;
    if (r.v > e.idxd.caps.maxGroups - 1 || r.v < -1) return -Errno.EINVAL;
    e.groupId = r.v;
    return 0;
  });
}

// ----------------------------------------------------------------------
// Group
// ----------------------------------------------------------------------

/** groupN.M attributes (read-buffer ones only on DSA). */
export function idxdGroupAttrs(d: KnDir, g: IdxdGroup, params: IdxdParams): void {
  const idxd = g.idxd;
  d.attr("work_queues", RO, () => {
    const names = idxd.wqs.filter((w) => w.groupId === g.id).map((w) => w.devName);
    return names.length === 0 ? "" : names.join(" ") + "\n";
  });
  d.attr("engines", RO, () => {
    const names = idxd.engines.filter((e) => e.groupId === g.id).map((e) => e.name);
    return names.length === 0 ? "" : names.join(" ") + "\n";
  });
  const tc = (which: "tcA" | "tcB") => (buf: string): number => {
    const r = kstrtol(buf, 10);
    if (!r.ok) return -Errno.EINVAL;
    if (!idxd.configurable) return -Errno.EPERM;
    if (idxd.state === "enabled") return -Errno.EPERM;
    if (idxd.caps.version <= 0x200 && !params.tcOverride) return -Errno.EPERM;
    if (r.v < 0 || r.v > 7) return -Errno.EINVAL;
    g[which] = r.v;
    return 0;
  };
  cattr(d, "traffic_class_a", RW, () => `${g.tcA}\n`, tc("tcA"));
  cattr(d, "traffic_class_b", RW, () => `${g.tcB}\n`, tc("tcB"));
  if (idxd.isIax) return;
  const engines = () => idxd.engines.filter((e) => e.groupId === g.id).length;
  const freeRb = () => idxd.caps.maxReadBuffers - idxd.groups.reduce((n, x) => n + x.readBuffersReserved, 0);
  const storeReserved = (buf: string): number => {
    const v = kstrtoull(buf, 10);
    if (v < 0) return -Errno.EINVAL;
    if (!idxd.configurable) return -Errno.EPERM;
    if (idxd.state === "enabled") return -Errno.EPERM;
    if (v > idxd.caps.maxReadBuffers) return -Errno.EINVAL;
    if (v > freeRb() + g.readBuffersReserved) return -Errno.EINVAL;
    g.readBuffersReserved = v;
    return 0;
  };
  const storeAllowed = (buf: string): number => {
    const v = kstrtoull(buf, 10);
    if (v < 0) return -Errno.EINVAL;
    if (!idxd.configurable) return -Errno.EPERM;
    if (idxd.state === "enabled") return -Errno.EPERM;
    if (v < 4 * engines() || v > g.readBuffersReserved + freeRb()) return -Errno.EINVAL;
    g.readBuffersAllowed = v;
    return 0;
  };
  const storeUse = (buf: string): number => {
    const v = kstrtoull(buf, 10);
    if (v < 0) return -Errno.EINVAL;
    if (!idxd.configurable) return -Errno.EPERM;
    if (idxd.state === "enabled") return -Errno.EPERM;
    if (idxd.readBufferLimit === 0) return -Errno.EPERM;
    g.useReadBufferLimit = v !== 0;
    return 0;
  };
  for (const [name, old] of [["read_buffers_reserved", "tokens_reserved"], ["read_buffers_allowed", "tokens_allowed"], ["use_read_buffer_limit", "use_token_limit"]] as const) {
    const show = name === "read_buffers_reserved" ? () => `${g.readBuffersReserved}\n` : name === "read_buffers_allowed" ? () => `${g.readBuffersAllowed}\n` : () => `${g.useReadBufferLimit ? 1 : 0}\n`;
    const store = name === "read_buffers_reserved" ? storeReserved : name === "read_buffers_allowed" ? storeAllowed : storeUse;
    cattr(d, name, RW, show, store);
    cattr(d, old, RW, show, store);
  }
}

// ----------------------------------------------------------------------
// WQ
// ----------------------------------------------------------------------

/** wqN.M attributes. */
export function idxdWqAttrs(d: KnDir, wq: IdxdWq): void {
  const idxd = wq.idxd;
  const caps = idxd.caps;
  const disabled = () => wq.state === "disabled";
  d.attr("clients", RO, () => `${wq.clients}\n`);
  d.attr("state", RO, () => `${wq.state === "locked" ? "locked" : wq.state}\n`);
  cattr(d, "group_id", RW, () => `${wq.groupId}\n`, (buf) => {
    const r = kstrtol(buf, 10);
    if (!r.ok) return -Errno.EINVAL;
    if (!idxd.configurable) return -Errno.EPERM;
    if (!disabled()) return -Errno.EPERM;
    if (r.v > caps.maxGroups - 1 || r.v < -1) return -Errno.EINVAL;
    wq.groupId = r.v;
    return 0;
  });
  cattr(d, "mode", RW, () => `${wq.dedicated ? "dedicated" : "shared"}\n`, (buf) => {
    if (!idxd.configurable) return -Errno.EPERM;
    if (!disabled()) return -Errno.EPERM;
    if (sysfsStreq(buf, "dedicated")) {
      wq.dedicated = true;
      wq.threshold = 0;
    } else if (sysfsStreq(buf, "shared")) {
      wq.dedicated = false;
    } else return -Errno.EINVAL;
    return 0;
  });
  cattr(d, "size", RW, () => `${wq.size}\n`, (buf) => {
    const v = kstrtoull(buf, 10);
    if (v < 0) return -Errno.EINVAL;
    if (!idxd.configurable) return -Errno.EPERM;
    if (idxd.state === "enabled") return -Errno.EPERM;
    const claimed = idxd.wqs.reduce((n, w) => n + w.size, 0);
    if (v + claimed - wq.size > caps.totalWqSize) return -Errno.EINVAL;
    wq.size = v;
    return 0;
  });
  cattr(d, "priority", RW, () => `${wq.priority}\n`, (buf) => {
    const v = kstrtoull(buf, 10);
    if (v < 0) return -Errno.EINVAL;
    if (!idxd.configurable) return -Errno.EPERM;
    if (!disabled()) return -Errno.EPERM;
    if (v > IDXD_MAX_PRIORITY) return -Errno.EINVAL;
    wq.priority = v;
    return 0;
  });
  cattr(d, "block_on_fault", RW, () => `${wq.bof ? 1 : 0}\n`, (buf) => {
    if (!genCapBlockOnFault(caps.genCap)) return -Errno.EOPNOTSUPP;
    if (!idxd.configurable) return -Errno.EPERM;
    if (!disabled()) return -Errno.ENXIO;
    const b = kstrtobool(buf);
    if (typeof b === "number") return b;
    if (b && wq.prsDisable) return -Errno.EOPNOTSUPP;
    wq.bof = b;
    return 0;
  });
  cattr(d, "threshold", RW, () => `${wq.threshold}\n`, (buf) => {
    const v = kstrtouint(buf, 0);
    if (v < 0) return -Errno.EINVAL;
    if (v > wq.size || v <= 0) return -Errno.EINVAL;
    if (!idxd.configurable) return -Errno.EPERM;
    if (!disabled()) return -Errno.ENXIO;
    if (wq.dedicated) return -Errno.EINVAL;
    wq.threshold = v;
    return 0;
  });
  cattr(d, "type", RW, () => `${wq.type}\n`, (buf) => {
    if (!disabled()) return -Errno.EPERM;
    const old = wq.type;
    let t: typeof wq.type;
    if (sysfsStreq(buf, "none")) t = "none";
    else if (sysfsStreq(buf, "kernel")) t = "kernel";
    else if (sysfsStreq(buf, "user")) t = "user";
    else return -Errno.EINVAL;
    wq.type = t;
    if (t !== old) wq.name = "";
    return 0;
  });
  cattr(d, "name", RW, () => `${wq.name}\n`, (buf) => {
    if (!disabled()) return -Errno.EPERM;
    if (strlen(buf) > WQ_NAME_SIZE || strlen(buf) === 0) return -Errno.EINVAL;
    wq.name = strim(buf);
    return 0;
  });
  cattr(d, "driver_name", RW, () => `${wq.driverName}\n`, (buf) => {
    if (!disabled()) return -Errno.EPERM;
    if (strlen(buf) > DRIVER_NAME_SIZE || strlen(buf) === 0) return -Errno.EINVAL;
    wq.driverName = strim(buf);
    return 0;
  });
  d.attr("cdev_minor", RO, () => (wq.cdevMinor < 0 ? -Errno.ENXIO : `${wq.cdevMinor}\n`));
  cattr(d, "max_transfer_size", RW, () => `${wq.maxXferBytes}\n`, (buf) => {
    if (!idxd.configurable) return -Errno.EPERM;
    if (!disabled()) return -Errno.EPERM;
    const v = kstrtoull(buf, 0);
    if (v <= 0) return -Errno.EINVAL;
    const x = roundupPow2(v);
    if (x > idxd.maxXferBytes) return -Errno.EINVAL;
    wq.maxXferBytes = x;
    return 0;
  });
  if (!idxd.isIax) {
    cattr(d, "max_batch_size", RW, () => `${wq.maxBatchSize}\n`, (buf) => {
      if (!idxd.configurable) return -Errno.EPERM;
      if (!disabled()) return -Errno.EPERM;
      const v = kstrtoull(buf, 0);
      if (v <= 0) return -Errno.EINVAL;
      const x = roundupPow2(v);
      if (x > idxd.maxBatchSize) return -Errno.EINVAL;
      wq.maxBatchSize = x;
      return 0;
    });
  }
  if (caps.wqAtsSupport) {
    cattr(d, "ats_disable", RW, () => `${wq.atsDisable ? 1 : 0}\n`, (buf) => {
      if (!disabled()) return -Errno.EPERM;
      const b = kstrtobool(buf);
      if (typeof b === "number") return b;
      wq.atsDisable = b;
      return 0;
    });
  }
  if (caps.wqPrsSupport) {
    cattr(d, "prs_disable", RW, () => `${wq.prsDisable ? 1 : 0}\n`, (buf) => {
      if (!disabled()) return -Errno.EPERM;
      const b = kstrtobool(buf);
      if (typeof b === "number") return b;
      wq.prsDisable = b;
      if (b) wq.bof = false;
      return 0;
    });
  }
  d.attr("occupancy", RO, () => (caps.wqOccupancySupport ? `${idxd.hw.wqOccupancy(wq.id)}\n` : -Errno.EOPNOTSUPP));
  cattr(d, "enqcmds_retries", RW, () => (wq.dedicated ? -Errno.EOPNOTSUPP : `${wq.enqcmdsRetries}\n`), (buf) => {
    if (wq.dedicated) return -Errno.EOPNOTSUPP;
    const v = kstrtouint(buf, 10);
    if (v < 0) return v;
    wq.enqcmdsRetries = Math.min(v, IDXD_ENQCMDS_MAX_RETRIES);
    return 0;
  });
}
