/**
 * Name lookups shared by the commands: `iax1`, `iax1/wq1.0`, `iax1/group1.0`,
 * `iax1/engine1.0`, with accel-config's messages when a lookup fails.
 *
 * linux-userspace: accfg/accfg.h parse_device_name() and friends
 */
import type { AccfgCtx, AccfgDevice, AccfgEngine, AccfgGroup, AccfgWq } from "./lib/libaccfg.js";

/** sscanf("%[a-z]%u"): a lowercase type followed by a number. */
function splitDeviceName(name: string): { type: string; id: number } | null {
  const m = /^([a-z]+)\s*(\+?\d+)/.exec(name);
  if (m === null) return null;
  return { type: m[1]!, id: Number(m[2]) };
}

/** parse_device_name(): the device, or null after printing why. */
export function parseDeviceName(ctx: AccfgCtx, name: string): AccfgDevice | null {
  const parts = splitDeviceName(name);
  if (parts === null) return null;
  if (!parts.type.includes("dsa") && !parts.type.includes("iax")) {
    ctx.stderr.write("no such device type\n");
    return null;
  }
  const dev = ctx.deviceByName(name);
  if (dev === null) {
    ctx.stderr.write(`${name} device not found\n`);
    return null;
  }
  return dev;
}

/** sscanf("%[^/]/%s"): device part and child part. */
function splitChild(name: string): [string, string] | null {
  const i = name.indexOf("/");
  if (i <= 0) return null;
  const child = name.slice(i + 1).split(/\s/)[0]!;
  if (child === "") return null;
  return [name.slice(0, i), child];
}

/** parse_wq_name() */
export function parseWqName(ctx: AccfgCtx, name: string): { device: AccfgDevice; wq: AccfgWq } | null {
  const parts = splitChild(name);
  if (parts === null) return null;
  const device = parseDeviceName(ctx, parts[0]);
  if (device === null) return null;
  const wq = device.wqs.find((w) => w.name === parts[1]);
  if (wq === undefined) {
    ctx.stderr.write(`${name} workqueue not found\n`);
    return null;
  }
  return { device, wq };
}

/** parse_group_name() */
export function parseGroupName(ctx: AccfgCtx, name: string): { device: AccfgDevice; group: AccfgGroup } | null {
  const parts = splitChild(name);
  if (parts === null) return null;
  const device = parseDeviceName(ctx, parts[0]);
  if (device === null) return null;
  const group = device.groups.find((g) => g.name === parts[1]);
  if (group === undefined) {
    ctx.stderr.write(`${name} group not found\n`);
    return null;
  }
  return { device, group };
}

/** parse_engine_name() */
export function parseEngineName(ctx: AccfgCtx, name: string): { device: AccfgDevice; engine: AccfgEngine } | null {
  const parts = splitChild(name);
  if (parts === null) return null;
  const device = parseDeviceName(ctx, parts[0]);
  if (device === null) return null;
  const engine = device.engines.find((e) => e.name === parts[1]);
  if (engine === undefined) {
    ctx.stderr.write(`${name} engine not found\n`);
    return null;
  }
  return { device, engine };
}
