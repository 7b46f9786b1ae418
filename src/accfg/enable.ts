/**
 * `enable-device`, `disable-device`, `enable-wq`, `disable-wq`.
 *
 * linux-userspace: accfg/enable.c. Devices accept `all`, `dsa` and `iax`
 * (idxd-config PR #74); wqs take `<dev>/wqX.Y`.
 */
import { Errno } from "../lib/errno.js";
import { CommandExit, parseCmdOptions, type CmdEnv } from "./command.js";
import { DeviceState, WqState, type AccfgDevice, type AccfgWq } from "./lib/libaccfg.js";
import { parseDeviceName, parseWqName } from "./names.js";
import { usageWithOptions, type OptDef, type OptValues } from "./parse_options.js";

const ENXIO_POSITIVE = Errno.ENXIO;

/** The command's option table (its `struct option` array). */
export const ENABLE_OPTIONS: readonly OptDef[] = [{ short: "v", long: "verbose", type: "boolean", help: "turn on debug", key: "verbose" }];
/** The command's option table (its `struct option` array). */
export const DISABLE_OPTIONS: readonly OptDef[] = [
  { short: "v", long: "verbose", type: "boolean", help: "turn on debug", key: "verbose" },
  { short: "f", long: "force", type: "boolean", help: "force action", key: "force" },
];

/** The devices an argument names: one device, or every device of a type for all/dsa/iax. */
function devicesFor(cmd: CmdEnv, arg: string, verbose: boolean): AccfgDevice[] | null {
  if (arg === "all") return cmd.ctx.devices;
  if (arg === "dsa" || arg === "iax") return cmd.ctx.devices.filter((d) => d.type === arg);
  const dev = parseDeviceName(cmd.ctx, arg);
  if (dev === null) {
    if (verbose) cmd.stderr.write(`${arg} device not found\n`);
    return null;
  }
  return [dev];
}

function deviceAction(argv: string[], cmd: CmdEnv, enable: boolean): number {
  const usage = [`accel-config ${enable ? "enable" : "disable"}-device <accel_basename0> [<accel_basename1>..<accel_basenameN>] [<options>]`];
  const options = enable ? ENABLE_OPTIONS : DISABLE_OPTIONS;
  const v: OptValues = { verbose: false, force: false };
  let args = parseCmdOptions(argv, options, usage, v, cmd);
  if (args.length === 0) {
    usageWithOptions(cmd.stderr, usage, options);
    throw new CommandExit(129);
  }
  if (args.includes("all")) args = ["all"];
  const verbose = v["verbose"] === true;
  let rc = -Errno.EINVAL;
  let success = 0;
  for (const a of args) {
    const devs = devicesFor(cmd, a, verbose);
    if (devs === null) continue;
    for (const dev of devs) {
      if (enable) {
        if (dev.isActive()) {
          cmd.stderr.write(`${dev.name} is in enabled state already, skipping...\n`);
          rc = -Errno.EBUSY;
        } else rc = dev.enable();
      } else if (!dev.isActive()) {
        cmd.stderr.write(`${dev.name} is in disabled state already, skipping...\n`);
        rc = -Errno.EBUSY;
      } else rc = dev.disable(v["force"] === true);
      if (rc === 0) {
        // double check the state; a mismatch is a positive ENXIO (exit 0 quirk)
        const st = dev.state();
        if ((enable && st !== DeviceState.Enabled) || (!enable && st !== DeviceState.Disabled)) rc = ENXIO_POSITIVE;
      }
      if (rc === 0) success++;
      else cmd.stderr.write(`failed in ${a}\n`);
    }
  }
  cmd.stderr.write(`${enable ? "enabled" : "disabled"} ${success} device(s) out of ${args.length}\n`);
  if (success > 0) return 0;
  return rc >= 0 ? 0 : rc;
}

function wqAction(argv: string[], cmd: CmdEnv, enable: boolean): number {
  const verb = enable ? "enable" : "disable";
  const usage = [
    `accel-config ${verb}-wq <accel_basenameX>/<wqX.0> [<wqX.1>..<wqX.N>] [<options>] X is the device number where wq belongs to`,
  ];
  const options = enable ? ENABLE_OPTIONS : DISABLE_OPTIONS;
  const v: OptValues = { verbose: false, force: false };
  let args = parseCmdOptions(argv, options, usage, v, cmd);
  if (args.length === 0) {
    usageWithOptions(cmd.stderr, usage, options);
    throw new CommandExit(129);
  }
  if (args.includes("all")) args = ["all"];
  let rc = -Errno.EINVAL;
  let success = 0;
  for (const a of args) {
    const r = parseWqName(cmd.ctx, a);
    if (r === null) {
      if (v["verbose"] === true) cmd.stderr.write(`${a} wq not found\n`);
      continue;
    }
    rc = enable ? enableWq(cmd, r.wq, a) : disableWq(cmd, r.wq, a, v["force"] === true);
    if (rc === 0) success++;
    else cmd.stderr.write(`failed in ${a}\n`);
  }
  cmd.stderr.write(`${enable ? "enabled" : "disabled"} ${success} wq(s) out of ${args.length}\n`);
  if (success > 0) return 0;
  return rc;
}

function enableWq(cmd: CmdEnv, wq: AccfgWq, name: string): number {
  const st = wq.state();
  if (st === WqState.Enabled || st === WqState.Locked) {
    cmd.stderr.write(`${name} is in enabled or locked mode, skipping...\n`);
    return -Errno.ENXIO;
  }
  if (st === WqState.Quiescing) {
    cmd.stderr.write(`${name} is in quiescing mode, skipping...\n`);
    return -Errno.EBUSY;
  }
  return wq.enable();
}

function disableWq(cmd: CmdEnv, wq: AccfgWq, name: string, force: boolean): number {
  const st = wq.state();
  if (st === WqState.Disabled) {
    cmd.stderr.write(`${name} is in disabled mode already, skipping...\n`);
    return -Errno.ENXIO;
  }
  if (st === WqState.Quiescing) {
    cmd.stderr.write(`${name} is in quiescing mode, skipping...\n`);
    return -Errno.EBUSY;
  }
  return wq.disable(force);
}

/** `accel-config enable-device` */
export function cmdEnableDevice(argv: string[], cmd: CmdEnv): number {
  return deviceAction(argv, cmd, true) >= 0 ? 0 : 1;
}

/** `accel-config disable-device` */
export function cmdDisableDevice(argv: string[], cmd: CmdEnv): number {
  return deviceAction(argv, cmd, false) >= 0 ? 0 : 1;
}

/** `accel-config enable-wq` */
export function cmdEnableWq(argv: string[], cmd: CmdEnv): number {
  return wqAction(argv, cmd, true) >= 0 ? 0 : 1;
}

/** `accel-config disable-wq` */
export function cmdDisableWq(argv: string[], cmd: CmdEnv): number {
  return wqAction(argv, cmd, false) >= 0 ? 0 : 1;
}
