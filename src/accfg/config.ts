/**
 * `accel-config load-config`: walk a json-c (non-strict) config file depth
 * first in key order and write each honoured key to sysfs as it comes.
 *
 * linux-userspace: accfg/config.c
 */
import { Errno, SysError, strerror } from "../lib/errno.js";
import { absPath, parseCmdOptions, CommandExit, type CmdEnv } from "./command.js";
import { JsonObject, jsonGetInt, jsonGetInt64, jsonGetString, jsonTokenerParse, type JsonValue } from "./json.js";
import { ACCFG_DEVICE_VERSION_2, DeviceState, WqState, type AccfgDevice, type AccfgEngine, type AccfgGroup, type AccfgWq } from "./lib/libaccfg.js";
import { ACCFG_CONF_FILE } from "./list.js";
import { reportError, usageWithOptions, type OptDef, type OptValues } from "./parse_options.js";

const DEVICE_KEYS = ["token_limit", "read_buffer_limit", "event_log_size"];
const GROUP_KEYS: Record<string, string> = {
  tokens_reserved: "read_buffers_reserved",
  read_buffers_reserved: "read_buffers_reserved",
  use_token_limit: "use_read_buffer_limit",
  use_read_buffer_limit: "use_read_buffer_limit",
  tokens_allowed: "read_buffers_allowed",
  read_buffers_allowed: "read_buffers_allowed",
  traffic_class_a: "traffic_class_a",
  traffic_class_b: "traffic_class_b",
  desc_progress_limit: "desc_progress_limit",
  batch_progress_limit: "batch_progress_limit",
};
const WQ_INT_KEYS = ["size", "priority", "group_id", "block_on_fault", "max_batch_size", "threshold", "ats_disable", "prs_disable"];
const WQ_STR_KEYS = ["type", "name", "driver_name", "mode"];

/** The walk's state: configure_json_value()'s static variables and the activation lists. */
class Loader {
  dev: AccfgDevice | null = null;
  parent: AccfgDevice | null = null;
  wq: AccfgWq | null = null;
  engine: AccfgEngine | null = null;
  group: AccfgGroup | null = null;
  warnOnce = true;
  /** head-inserted, so enabling runs in reverse file order */
  activateDevs: AccfgDevice[] = [];
  activateWqs: AccfgWq[] = [];

  constructor(
    readonly cmd: CmdEnv,
    readonly enable: boolean,
    readonly forced: boolean,
  ) {}

  private say(s: string): void {
    this.cmd.stderr.write(s);
  }

  /** configure_json_value() */
  configure(v: JsonValue, key: string | null): number {
    if (key === null) return -Errno.EINVAL;
    if (key === "dev") return this.configureDev(v);
    if (this.parent === null) return 0;
    if (this.warnOnce && key.includes("token")) {
      this.say('Warning: "token" attributes are deprecated\n');
      this.warnOnce = false;
    }
    let rc: number;
    let what: string;
    if (this.dev !== null) {
      what = "device";
      rc = this.deviceSet(this.dev, v, key);
    } else if (this.group !== null) {
      what = "group";
      rc = this.groupSet(this.group, v, key);
    } else if (this.wq !== null) {
      what = "wq";
      rc = this.wqSet(this.wq, v, key);
    } else if (this.engine !== null) {
      what = "engine";
      rc = this.engineSet(this.engine, v, key);
    } else {
      this.say("device type not matched\n");
      return -Errno.EINVAL;
    }
    if (rc < 0) this.say(`${what} set ${key} value failed\n`);
    return rc < 0 ? rc : 0;
  }

  private configureDev(v: JsonValue): number {
    const s = jsonGetString(v);
    if (s === null) return -Errno.EINVAL;
    this.dev = this.group = this.wq = this.engine = null;
    for (const type of ["dsa", "iax"]) {
      if (!s.includes(type)) continue;
      if (!/^\s*[+-]?\d/.test(s.slice(type.length))) return -Errno.EINVAL;
      this.parent = null;
      const dev = this.cmd.ctx.deviceByName(s);
      if (dev === null) {
        this.say("device is not available\n");
        return -Errno.ENOENT;
      }
      if (dev.state() === DeviceState.Enabled) {
        this.say(`${s} is active. `);
        if (this.forced) {
          this.say("Disabling...\n");
          const rc = dev.disable(true);
          if (rc !== 0) {
            this.say("Failed disabling device\n");
            return rc;
          }
        } else {
          this.say("Skipping...\n");
          return 0;
        }
      }
      if (this.enable) this.activateDevs.unshift(dev);
      this.dev = dev;
      this.parent = dev;
      break;
    }
    const parent = this.parent;
    if (parent === null) return 0;
    const child = (word: string): number | null => {
      const m = /^\s*([+-]?\d+)\.([+-]?\d+)/.exec(s.slice(word.length));
      return m === null ? null : Number(m[2]);
    };
    if (s.includes("wq")) {
      const id = child("wq");
      if (id === null) return -Errno.EINVAL;
      const wq = parent.wqById(id);
      if (wq === null) return -Errno.ENOENT;
      const st = wq.state();
      if (st === WqState.Enabled || st === WqState.Locked) {
        this.say(`${s} is active, will skip...\n`);
        return 0;
      }
      this.wq = wq;
      if (this.enable) this.activateWqs.unshift(wq);
    }
    if (s.includes("engine")) {
      const id = child("engine");
      if (id === null) return -Errno.EINVAL;
      this.engine = parent.engineById(id);
      if (this.engine === null) return -Errno.ENOENT;
    }
    if (s.includes("group")) {
      const id = child("group");
      if (id === null) return -Errno.EINVAL;
      this.group = parent.groupById(id);
      if (this.group === null) return -Errno.ENOENT;
    }
    return 0;
  }

  /** device_json_set_val() */
  private deviceSet(dev: AccfgDevice, v: JsonValue, key: string): number {
    if (!DEVICE_KEYS.includes(key)) return 0;
    const r = jsonGetInt(v);
    if (!r.ok) return -Errno.EINVAL;
    return key === "event_log_size" ? dev.setEventLogSize(r.value) : dev.setReadBufferLimit(r.value);
  }

  /** group_json_set_val() with the silent skips of its is_writable() checks */
  private groupSet(group: AccfgGroup, v: JsonValue, key: string): number {
    const field = GROUP_KEYS[key];
    if (field === undefined) return 0;
    const r = jsonGetInt(v);
    if (!r.ok || r.value < 0) return -Errno.EINVAL;
    const dev = group.device;
    if (dev.type === "iax" && field.includes("read_buffer")) return 0;
    switch (field) {
      case "use_read_buffer_limit":
        if (dev.readBufferLimit === 0) return 0;
        break;
      case "traffic_class_a":
      case "traffic_class_b":
        if (dev.version < ACCFG_DEVICE_VERSION_2 || r.value === -1) return 0;
        break;
      case "desc_progress_limit":
      case "batch_progress_limit":
        if (r.value > 3 || group.long(field) < 0) return 0;
        break;
      default:
        break;
    }
    return group.set(field, r.value);
  }

  /** wq_json_set_val() */
  private wqSet(wq: AccfgWq, v: JsonValue, key: string): number {
    if (WQ_STR_KEYS.includes(key)) {
      const s = jsonGetString(v);
      if (s === null) return -Errno.EINVAL;
      return wq.setStr(key as "type" | "name" | "driver_name" | "mode", s);
    }
    if (key === "op_config") {
      const s = jsonGetString(v);
      if (s === null) return -Errno.EINVAL;
      return wq.setOpConfigStr(s);
    }
    if (key === "max_transfer_size") {
      const r = jsonGetInt64(v);
      if (!r.ok) return -Errno.EINVAL;
      return wq.setMaxTransferSize(r.value);
    }
    if (!WQ_INT_KEYS.includes(key)) return 0;
    const r = jsonGetInt(v);
    if (!r.ok) return -Errno.EINVAL;
    switch (key) {
      case "threshold":
        if (wq.mode === "dedicated") return 0;
        break;
      case "prs_disable":
      case "ats_disable":
        if (r.value < 0 || r.value > 1 || wq.long(key) < 0) return 0;
        break;
      case "max_batch_size":
        // FIDELITY: upstream ea015cc, nothing to write where the attribute is absent (IAX)
        if (!wq.hasAttr("max_batch_size")) return 0;
        break;
      default:
        break;
    }
    return wq.setInt(key, r.value);
  }

  /** engine_json_set_val() */
  private engineSet(engine: AccfgEngine, v: JsonValue, key: string): number {
    if (key !== "group_id") return 0;
    const r = jsonGetInt(v);
    if (!r.ok) return -Errno.EINVAL;
    return engine.setGroupId(r.value);
  }

  /** json_parse(): an object's keys in order; -1 on the first failure. */
  parseObject(obj: JsonObject): number {
    for (const [key, val] of obj.entries) {
      if (val instanceof JsonObject) {
        this.parseObject(val); // its result is ignored, as in config.c
      } else if (Array.isArray(val)) {
        if (this.parseArray(val) !== 0) return -1;
      } else if (val !== null) {
        if (this.configure(val, key) !== 0) return -1;
      }
    }
    return 0;
  }

  /** json_parse_array(): an empty array is an error. */
  parseArray(arr: JsonValue[]): number {
    if (arr.length === 0) return -1;
    for (const el of arr) {
      if (Array.isArray(el)) {
        if (this.parseArray(el) !== 0) return -1;
      } else if (el instanceof JsonObject) {
        if (this.parseObject(el) !== 0) return -1;
      } else if (el === null) {
        return -1;
      } else if (this.configure(el, null) !== 0) return -1;
    }
    return 0;
  }

  /** activate_devices(): `Enabling device …` / `Enabling wq …` on stdout. */
  activate(): number {
    for (const dev of this.activateDevs) {
      this.cmd.stdout.write(`Enabling device ${dev.name}\n`);
      const rc = dev.enable();
      if (rc !== 0) {
        this.say("Error enabling device\n");
        return rc;
      }
    }
    for (const wq of this.activateWqs) {
      this.cmd.stdout.write(`Enabling wq ${wq.name}\n`);
      const rc = wq.enable();
      if (rc !== 0) {
        this.say("Error enabling wq\n");
        return rc;
      }
    }
    return 0;
  }
}

/** The command's option table (its `struct option` array). */
export const LOAD_OPTIONS: readonly OptDef[] = [
  { short: "c", long: "config-file", type: "filename", argh: "config-file", help: "override the default config", key: "file" },
  { short: "v", long: "verbose", type: "boolean", help: "emit extra debug messages to stderr", key: "verbose" },
  { short: "e", long: "enable", type: "boolean", help: "enable configured devices and wqs", key: "enable" },
  { short: "f", long: "forced", type: "boolean", help: "enabled devices will be disabled before configuring", key: "forced" },
];

/** `accel-config load-config` */
export function cmdLoadConfig(argv: string[], cmd: CmdEnv): number {
  const usage = ["accfg load-config [<options>]"];
  const v: OptValues = { file: null, verbose: false, enable: false, forced: false };
  const args = parseCmdOptions(argv, LOAD_OPTIONS, usage, v, cmd, "./");
  for (const a of args) reportError(cmd.stderr, `unknown parameter "${a}"\n`);
  if (args.length > 0) {
    usageWithOptions(cmd.stderr, usage, LOAD_OPTIONS);
    throw new CommandExit(129);
  }
  const file = (v["file"] as string | null) ?? ACCFG_CONF_FILE;
  let text: string | null = null;
  try {
    text = new TextDecoder().decode(cmd.vfs.readFile(absPath(file, cmd.env)));
  } catch (e) {
    if (!(e instanceof SysError)) throw e;
    cmd.stderr.write(`config-file: ${file} cannot be opened: ${strerror(e.errno)}\n`);
    cmd.stderr.write(`Reading config file failed: ${-e.errno}\n`);
  }
  const loader = new Loader(cmd, v["enable"] === true, v["forced"] === true);
  let rc: number;
  if (text === null) rc = -Errno.EINVAL;
  else {
    const root = jsonTokenerParse(text);
    if (root === undefined) rc = -Errno.ENOMEM;
    else if (!Array.isArray(root)) rc = -1;
    else rc = loader.parseArray(root);
  }
  if (rc < 0) cmd.stderr.write(`Parse json and set device fail: ${rc}\n`);
  if (loader.enable && rc === 0) rc = loader.activate();
  return rc;
}
