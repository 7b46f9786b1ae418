/**
 * `accel-config list` and `accel-config save-config`.
 *
 * linux-userspace: accfg/list.c, util/filter.c, util/json.c
 */
import { Errno, SysError, strerror } from "../lib/errno.js";
import { absPath, parseCmdOptions, type CmdEnv } from "./command.js";
import { JsonObject, toJsonPretty, type JsonValue } from "./json.js";
import type { AccfgCtx, AccfgDevice, AccfgEngine, AccfgGroup, AccfgWq } from "./lib/libaccfg.js";
import { parseEngineName, parseGroupName, parseWqName } from "./names.js";
import { reportError, usageWithOptions, type OptDef, type OptValues } from "./parse_options.js";
import { deviceToJson, engineToJson, groupToJson, wqToJson, type JsonFlags } from "./util_json.js";
import { CommandExit } from "./command.js";

/** struct util_filter_params */
export interface FilterParams {
  device: string | null;
  group: string | null;
  wq: string | null;
  engine: string | null;
}

/** struct accfg_json_container: what was collected for one device. */
export interface DeviceJson {
  device: AccfgDevice;
  jdevice: JsonObject;
  jgroups: JsonValue[] | null;
  /** group id → its json object, for the groups that were listed */
  groupObjs: Map<number, JsonObject>;
  wqGroups: Map<number, JsonValue[]>;
  wqUngroup: JsonValue[] | null;
  engineGroups: Map<number, JsonValue[]>;
  engineUngroup: JsonValue[] | null;
}

function tokens(ident: string): string[] {
  return ident.split(" ").filter((t) => t !== "");
}

/** util_device_filter() */
function deviceFilter(dev: AccfgDevice, ident: string | null): boolean {
  if (ident === null) return true;
  for (const name of tokens(ident)) {
    if (name === "all") return true;
    if (/^(0x[0-9a-f]+|\d+)$/i.test(name)) {
      if (Number(name) === dev.id) return true;
    } else if (name === dev.name) return true;
  }
  return false;
}

/** A `<dev>/<child>` or plain child name (or `X.Y`) matching one object. */
function childMatches(name: string, dev: AccfgDevice, childName: string, id: number): boolean {
  const slash = name.indexOf("/");
  if (slash >= 0) return name.slice(0, slash) === dev.name && name.slice(slash + 1) === childName;
  if (name === childName) return true;
  const m = /^(-?\d+)\.(-?\d+)/.exec(name);
  return m !== null && Number(m[1]) === dev.id && Number(m[2]) === id;
}

function childFilter(dev: AccfgDevice, childName: string, id: number, ident: string | null): boolean {
  if (ident === null) return true;
  return tokens(ident).some((t) => t === "all" || childMatches(t, dev, childName, id));
}

/**
 * util_filter_walk() with list.c's filter callbacks: the devices, groups,
 * wqs and engines to show, nested as `list` prints them.
 */
export function collectJson(ctx: AccfgCtx, p: FilterParams, flags: JsonFlags): DeviceJson[] {
  const out: DeviceJson[] = [];
  for (const dev of ctx.devices) {
    if (!deviceFilter(dev, p.device)) continue;
    if (p.group !== null && !dev.groups.some((g) => childFilter(dev, g.name, g.id, p.group))) continue;
    if (p.wq !== null && !dev.wqs.some((w) => childFilter(dev, w.name, w.id, p.wq))) continue;
    if (p.engine !== null && !dev.engines.some((e) => childFilter(dev, e.name, e.id, p.engine))) continue;
    if (!flags.idle && !dev.isActive()) continue;
    const dj: DeviceJson = {
      device: dev,
      jdevice: deviceToJson(dev, flags),
      jgroups: null,
      groupObjs: new Map(),
      wqGroups: new Map(),
      wqUngroup: null,
      engineGroups: new Map(),
      engineUngroup: null,
    };
    out.push(dj);
    for (const g of dev.groups) {
      if (!childFilter(dev, g.name, g.id, p.group)) continue;
      addGroup(dj, g);
    }
    for (const w of dev.wqs) {
      if (!childFilter(dev, w.name, w.id, p.wq)) continue;
      addWq(dj, w, flags);
    }
    for (const e of dev.engines) {
      if (!childFilter(dev, e.name, e.id, p.engine)) continue;
      addEngine(dj, e);
    }
  }
  return out;
}

function addGroup(dj: DeviceJson, g: AccfgGroup): void {
  if (dj.jgroups === null) {
    dj.jgroups = [];
    dj.jdevice.add("groups", dj.jgroups);
  }
  const jg = groupToJson(g);
  dj.groupObjs.set(g.id, jg);
  dj.jgroups.push(jg);
}

function addWq(dj: DeviceJson, w: AccfgWq, flags: JsonFlags): void {
  if (!flags.idle && !w.isEnabled()) return;
  const jw = wqToJson(w, flags);
  const gid = w.groupId;
  const container = dj.groupObjs.get(gid);
  if (container !== undefined) {
    let arr = dj.wqGroups.get(gid);
    if (arr === undefined) {
      arr = [];
      dj.wqGroups.set(gid, arr);
      container.add("grouped_workqueues", arr);
    }
    arr.push(jw);
  } else if (flags.idle) {
    if (dj.wqUngroup === null) {
      dj.wqUngroup = [];
      dj.jdevice.add("ungrouped workqueues", dj.wqUngroup);
    }
    dj.wqUngroup.push(jw);
  }
}

function addEngine(dj: DeviceJson, e: AccfgEngine): void {
  const je = engineToJson(e);
  const gid = e.groupId;
  const container = dj.groupObjs.get(gid);
  if (container !== undefined) {
    let arr = dj.engineGroups.get(gid);
    if (arr === undefined) {
      arr = [];
      dj.engineGroups.set(gid, arr);
      container.add("grouped_engines", arr);
    }
    arr.push(je);
  } else {
    if (dj.engineUngroup === null) {
      dj.engineUngroup = [];
      dj.jdevice.add("ungrouped_engines", dj.engineUngroup);
    }
    dj.engineUngroup.push(je);
  }
}

/** util_display_json_array(): the whole array, pretty, plus a newline. */
export function displayArray(arr: JsonValue[] | null): string {
  return toJsonPretty(arr ?? []) + "\n";
}

/** The command's option table (its `struct option` array). */
export const LIST_OPTIONS: readonly OptDef[] = [
  { short: "d", long: "device", type: "string", argh: "device-id", help: "filter by device", key: "device" },
  { short: "g", long: "group", type: "string", argh: "group-id", help: "filter by group", key: "group" },
  { short: "q", long: "workqueue", type: "string", argh: "wq-id", help: "filter by workqueue", key: "wq" },
  { short: "e", long: "engine", type: "string", argh: "engine-id", help: "filter by engine", key: "engine" },
  { short: "G", long: "groups", type: "boolean", help: "include group info", key: "groups" },
  { short: "D", long: "devices", type: "boolean", help: "include device info", key: "devices" },
  { short: "E", long: "engines", type: "boolean", help: "include engine info", key: "engines" },
  { short: "Q", long: "workqueues", type: "boolean", help: "include workqueue info", key: "wqs" },
  { short: "i", long: "idle", type: "boolean", help: "include idle components", key: "idle" },
];

/** The per-device sections (-G/-Q/-E) list the devices last-found first (ccan list_add). */
function sectionOrder(list: DeviceJson[]): DeviceJson[] {
  return [...list].reverse();
}

/** `accel-config list` */
export function cmdList(argv: string[], cmd: CmdEnv): number {
  const usage = ["accel-config list [<options>]"];
  const v: OptValues = { device: null, group: null, wq: null, engine: null, groups: false, devices: false, engines: false, wqs: false, idle: false };
  const args = parseCmdOptions(argv, LIST_OPTIONS, usage, v, cmd);
  for (const a of args) reportError(cmd.stderr, `unknown parameter "${a}"\n`);
  if (args.length > 0) {
    usageWithOptions(cmd.stderr, usage, LIST_OPTIONS);
    throw new CommandExit(129);
  }
  const p: FilterParams = { device: v["device"] as string | null, group: v["group"] as string | null, wq: v["wq"] as string | null, engine: v["engine"] as string | null };
  let devices = v["devices"] === true;
  let groups = v["groups"] === true;
  let wqs = v["wqs"] === true;
  let engines = v["engines"] === true;
  if (!devices && !groups && !wqs && !engines) {
    devices = p.device !== null;
    groups = p.group !== null;
    wqs = p.wq !== null;
    engines = p.engine !== null;
  }
  const flags: JsonFlags = { idle: v["idle"] === true, save: false };
  const list = collectJson(cmd.ctx, p, flags);
  const out = cmd.stdout;
  if (!devices && !groups && !wqs && !engines) {
    out.write(displayArray(list.map((d) => d.jdevice)));
    return 0;
  }
  if (devices) {
    out.write("devices:\n");
    if (p.device === null) {
      out.write(displayArray(list.map((d) => d.jdevice)));
      return 0;
    }
    const first = list[0];
    if (first === undefined) {
      cmd.stderr.write("No matching device found\n");
      return -Errno.EINVAL;
    }
    out.write(toJsonPretty(first.jdevice) + "\n");
    return 0;
  }
  if (groups) {
    out.write("groups:\n");
    if (p.group === null) {
      for (const dj of sectionOrder(list)) out.write(`device ${dj.device.name}:\n` + displayArray(dj.jgroups));
      return 0;
    }
    const r = parseGroupName(cmd.ctx, p.group);
    if (r === null) return -Errno.ENOENT;
    const dj = list.find((d) => d.device === r.device);
    if (dj === undefined) {
      cmd.stderr.write("No matching group found\n");
      return -Errno.EINVAL;
    }
    out.write(`device ${dj.device.name}:\n`);
    if (dj.jgroups !== null) out.write(displayArray(dj.jgroups));
    return 0;
  }
  const kind = wqs ? "workqueues" : "engines";
  out.write(`${kind}:\n`);
  const ident = wqs ? p.wq : p.engine;
  const grouped = (dj: DeviceJson): Map<number, JsonValue[]> => (wqs ? dj.wqGroups : dj.engineGroups);
  const ungrouped = (dj: DeviceJson): JsonValue[] | null => (wqs ? dj.wqUngroup : dj.engineUngroup);
  const sortedGroups = (dj: DeviceJson): [number, JsonValue[]][] => [...grouped(dj).entries()].sort((a, b) => a[0] - b[0]);
  if (ident === null) {
    for (const dj of sectionOrder(list)) {
      out.write(`device ${dj.device.name}:\n`);
      let once = true;
      for (const [gid, arr] of sortedGroups(dj)) {
        if (once) {
          out.write(`grouped ${kind}:\n`);
          once = false;
        }
        out.write(`group id ${gid}:\n` + displayArray(arr));
      }
      const ug = ungrouped(dj);
      if (ug !== null) out.write(`ungrouped ${kind}:\n` + displayArray(ug));
    }
    return 0;
  }
  const r = wqs ? parseWqName(cmd.ctx, ident) : parseEngineName(cmd.ctx, ident);
  if (r === null) return -Errno.ENOENT;
  const dj = list.find((d) => d.device === r.device);
  if (dj === undefined) {
    cmd.stderr.write(`No matching ${wqs ? "workqueue" : "engine"} found\n`);
    return -Errno.EINVAL;
  }
  out.write(`device ${dj.device.name}:\n`);
  for (const [, arr] of sortedGroups(dj)) out.write(displayArray(arr));
  const ug = ungrouped(dj);
  if (ug !== null) out.write(displayArray(ug));
  return 0;
}

/** Default file of save-config and load-config (ACCFG_CONF_FILE). */
export const ACCFG_CONF_FILE = "/etc/accel-config/accel-config.conf";

/** The command's option table (its `struct option` array). */
export const SAVE_OPTIONS: readonly OptDef[] = [
  { short: "s", long: "saved-file", type: "string", argh: "saved-file", help: "specify saved file name and path", key: "file" },
];

/** `accel-config save-config` */
export function cmdSave(argv: string[], cmd: CmdEnv): number {
  const usage = ["accel-config save-config [<options>]"];
  const v: OptValues = { file: null };
  const args = parseCmdOptions(argv, SAVE_OPTIONS, usage, v, cmd);
  for (const a of args) reportError(cmd.stderr, `unknown parameter "${a}"\n`);
  if (args.length > 0) {
    usageWithOptions(cmd.stderr, usage, SAVE_OPTIONS);
    throw new CommandExit(129);
  }
  const file = (v["file"] as string | null) ?? ACCFG_CONF_FILE;
  const list = collectJson(cmd.ctx, { device: null, group: null, wq: null, engine: null }, { idle: false, save: true });
  try {
    cmd.vfs.writeFile(absPath(file, cmd.env), displayArray(list.map((d) => d.jdevice)));
  } catch (e) {
    if (!(e instanceof SysError)) throw e;
    cmd.stderr.write(`Failed to open ${file} for save: ${strerror(e.errno)}\n`);
    return -Errno.EIO;
  }
  return 0;
}
