/**
 * `accel-config config-user-default`: every idle DSA/IAX device gets shared
 * user wqs (priority 10, group 0, driver `user`), all engines in group 0, and
 * is enabled; `-d` takes those wqs down again; `-c FILE` takes the wq
 * defaults (name, priority, group_id, block_on_fault, ats/prs_disable) from a
 * config file, per device type. Always exits 0.
 *
 * linux-userspace: accfg/config.c cmd_config_default() (4.1.x)
 */
import { SysError, strerror } from "../lib/errno.js";
import { absPath, parseCmdOptions, type CmdEnv } from "./command.js";
import { JsonObject, jsonGetInt, jsonGetString, jsonTokenerParse, type JsonValue } from "./json.js";
import type { AccfgDevice } from "./lib/libaccfg.js";
import type { OptDef, OptValues } from "./parse_options.js";

/** The command's option table (its `struct option` array). */
export const USER_DEFAULT_OPTIONS: readonly OptDef[] = [
  { short: "c", long: "config-file", type: "filename", argh: "config-file", help: "config file to load default wq settings", key: "file" },
  { short: "d", long: "disable", type: "boolean", help: "disable default user wqs and devices", key: "disable" },
  { short: "n", long: "name", type: "string", argh: "user default wq name", help: "user default wq name", key: "name" },
  { short: "v", long: "verbose", type: "boolean", help: "emit extra debug messages to stderr", key: "verbose" },
];

interface WqDefaults {
  name: string;
  priority: number;
  group_id: number;
  block_on_fault: number;
  ats_disable: number;
  prs_disable: number;
}

const FILE_KEYS = ["name", "priority", "group_id", "block_on_fault", "ats_disable", "prs_disable"] as const;

/** Reads the wq keys of each device type from a config file; later values win. */
function readDefaults(cmd: CmdEnv, file: string, base: WqDefaults): Record<string, WqDefaults> | null {
  const out: Record<string, WqDefaults> = { dsa: { ...base }, iax: { ...base } };
  let text: string;
  try {
    text = new TextDecoder().decode(cmd.vfs.readFile(absPath(file, cmd.env)));
  } catch (e) {
    if (!(e instanceof SysError)) throw e;
    cmd.stderr.write(`config-file: ${file} cannot be opened: ${strerror(e.errno)}\n`);
    return null;
  }
  const root = jsonTokenerParse(text);
  if (!Array.isArray(root)) return null;
  let type: string | null = null;
  const walk = (v: JsonValue): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v instanceof JsonObject) {
      const dev = jsonGetString(v.get("dev") ?? null) ?? "";
      if (dev.includes("dsa")) type = "dsa";
      else if (dev.includes("iax")) type = "iax";
      const isWq = dev.startsWith("wq");
      for (const [k, x] of v.entries) {
        if (Array.isArray(x) || x instanceof JsonObject) walk(x);
        else if (isWq && type !== null && k !== "dev") {
          cmd.stdout.write(`dev type = ${type}, key = ${k}\n`);
          const d = out[type]!;
          if (k === "name") d.name = jsonGetString(x) ?? d.name;
          else if ((FILE_KEYS as readonly string[]).includes(k)) (d as unknown as Record<string, number>)[k] = jsonGetInt(x).value;
        }
      }
    }
  };
  walk(root);
  return out;
}

function configureDevice(cmd: CmdEnv, dev: AccfgDevice, d: WqDefaults, verbose: boolean): void {
  const maxWqs = dev.maxWorkQueues;
  const size = maxWqs > 0 ? Math.trunc(dev.maxWorkQueuesSize / maxWqs) : 0;
  for (const wq of dev.wqs) {
    if (verbose) cmd.stderr.write(`config ${wq.name}\n`);
    wq.setStr("mode", "shared");
    wq.setStr("type", "user");
    wq.setStr("name", d.name);
    wq.setStr("driver_name", "user");
    wq.setInt("size", size);
    wq.setInt("group_id", d.group_id);
    wq.setInt("priority", d.priority);
    wq.setInt("block_on_fault", d.block_on_fault);
    wq.setInt("threshold", size);
    if (wq.hasAttr("prs_disable")) wq.setInt("prs_disable", d.prs_disable);
    if (wq.hasAttr("ats_disable")) wq.setInt("ats_disable", d.ats_disable);
  }
  for (const e of dev.engines) e.setGroupId(0);
  if (verbose) cmd.stderr.write(`enable ${dev.name}\n`);
  if (dev.enable() !== 0) {
    cmd.stderr.write(`Error enabling ${dev.name}\n`);
    return;
  }
  for (const wq of dev.wqs) {
    if (verbose) cmd.stderr.write(`enable ${wq.name}\n`);
    if (wq.enable() !== 0) cmd.stderr.write(`Error enabling ${wq.name}\n`);
  }
}

function disableDefaults(cmd: CmdEnv, name: string, verbose: boolean): void {
  cmd.stderr.write(`disable WQs named as ${name}\n`);
  for (const dev of cmd.ctx.devices) {
    for (const wq of dev.wqs) {
      if (!wq.isEnabled() || wq.str("name") !== name) continue;
      if (verbose) cmd.stderr.write(`disable ${wq.name}\n`);
      wq.disable(true);
    }
    if (dev.isActive() && !dev.wqs.some((w) => w.isEnabled())) {
      // the real tool's verbose message says "enable" here
      if (verbose) cmd.stderr.write(`enable ${dev.name}\n`);
      dev.disable(true);
    }
  }
}

/** `accel-config config-user-default` */
export function cmdConfigUserDefault(argv: string[], cmd: CmdEnv): number {
  const v: OptValues = { file: null, disable: false, name: null, verbose: false };
  parseCmdOptions(argv, USER_DEFAULT_OPTIONS, ["accfg config-default [<options>]"], v, cmd, "./");
  const name = (v["name"] as string | null) ?? "user_default_wq";
  const verbose = v["verbose"] === true;
  if (v["disable"] === true) {
    disableDefaults(cmd, name, verbose);
    return 0;
  }
  const base: WqDefaults = { name, priority: 10, group_id: 0, block_on_fault: 1, ats_disable: 0, prs_disable: 1 };
  let perType: Record<string, WqDefaults> = { dsa: base, iax: base };
  const file = v["file"] as string | null;
  if (file !== null) {
    const r = readDefaults(cmd, file, base);
    if (r === null) return 0;
    perType = r;
  }
  for (const dev of cmd.ctx.devices) {
    if (dev.isActive()) continue;
    configureDevice(cmd, dev, perType[dev.type]!, verbose);
  }
  return 0;
}
