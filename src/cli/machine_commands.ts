/**
 * `iaa boot`, `reboot`, `up`, `down`, `status`, `sh`, `run`, `sysfs export`:
 * the machine from the host's command line. Each is a thin client of the
 * machine process (src/host/client.ts), which holds the machine and commits
 * its state after every command.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { hostTty, MachineConnection, runRequest } from "../host/client.js";
import type { Request } from "../host/protocol.js";
import { runInteractive } from "../host/repl_client.js";
import { machinePaths, StateError, stateDirPath } from "../host/state_dir.js";
import { readOwner } from "../host/pidfile.js";
import { resolveMachineConfig, type MachineConfigInput } from "../system/machine_config.js";
import type { CliIo } from "./cli_io.js";

/** Maps StateError to one line and status 1. */
export async function guard(io: CliIo, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof StateError) {
      io.stderr(e.message + "\n");
      return 1;
    }
    throw e;
  }
}

/** `--help` (status 0) or a usage error (status 2) for a command that takes no arguments; null to go on. */
async function argless(args: string[], io: CliIo, name: string, summary: string): Promise<number | null> {
  const usage = `usage: iaa ${name}\n  ${summary}\n`;
  if (args[0] === "-h" || args[0] === "--help") {
    await io.stdout(usage);
    return 0;
  }
  if (args.length === 0) return null;
  io.stderr(usage);
  return 2;
}

/** Runs a request on the machine with the host's streams; returns its status. */
async function run(req: Request): Promise<number> {
  return (await runRequest(stateDirPath(), req)).status;
}

export const BOOT_USAGE = "usage: iaa boot [--preset spr-2s|spr-1s|tiny] [--topology FILE] [--iommu scalable|legacy|off] [--cmdline 'ARGS'] [--kconfig NAME=VALUE]... [--no-vtd] [--no-enqcmds] [--autoload MOD,...]\n";

/** Parses `iaa boot` options into a machine config. */
export function parseBootArgs(args: string[]): MachineConfigInput | string {
  const cfg: MachineConfigInput = {};
  const kconfig: Record<string, string> = {};
  const firmware: { vtd?: boolean; enqcmds?: boolean } = {};
  let iommu: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.indexOf("=");
    const [flag, inline] = a.startsWith("--") && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    switch (flag) {
      case "--preset": {
        const v = value();
        if (v === undefined) return "--preset needs a value";
        cfg.preset = v;
        break;
      }
      case "--topology": {
        const v = value();
        if (v === undefined) return "--topology needs a file";
        let t: unknown;
        try {
          t = JSON.parse(readFileSync(v, "utf8"));
        } catch (e) {
          return `cannot read topology ${v}: ${e instanceof SyntaxError ? "not valid JSON" : (e as Error).message}`;
        }
        if (typeof t !== "object" || t === null || Array.isArray(t)) return `topology ${v} must be a JSON object`;
        Object.assign(cfg, t);
        break;
      }
      case "--iommu": {
        iommu = value();
        if (iommu !== "scalable" && iommu !== "legacy" && iommu !== "off") return `--iommu must be scalable, legacy or off`;
        break;
      }
      case "--cmdline": {
        const v = value();
        if (v === undefined) return "--cmdline needs a value";
        cfg.cmdline = v;
        break;
      }
      case "--kconfig": {
        const v = value();
        const m = v === undefined ? null : /^(CONFIG_[A-Z0-9_]+)=(.*)$/.exec(v);
        if (m === null) return `--kconfig needs CONFIG_NAME=VALUE`;
        kconfig[m[1]!] = m[2]!;
        break;
      }
      case "--autoload": {
        const v = value();
        if (v === undefined) return "--autoload needs a module list";
        cfg.autoload = v.split(",").filter((x) => x !== "");
        break;
      }
      case "--no-vtd":
        firmware.vtd = false;
        break;
      case "--no-enqcmds":
        firmware.enqcmds = false;
        break;
      default:
        return `unknown option '${a}'`;
    }
  }
  if (Object.keys(kconfig).length > 0) cfg.kconfig = { ...(cfg.kconfig ?? {}), ...kconfig };
  if (Object.keys(firmware).length > 0) cfg.firmware = { ...(cfg.firmware ?? {}), ...firmware } as MachineConfigInput["firmware"];
  if (iommu !== undefined) {
    const base = cfg.cmdline ?? "BOOT_IMAGE=/boot/vmlinuz root=/dev/nvme0n1p2 ro quiet";
    const stripped = base.replace(/\s*(intel_iommu|iommu)=\S+/g, "");
    cfg.cmdline = `${stripped} ${iommu === "scalable" ? "intel_iommu=on,sm_on" : iommu === "legacy" ? "intel_iommu=off" : "iommu=off"}`.trim();
  }
  const resolved = resolveMachineConfig(cfg);
  if (typeof resolved === "string") return resolved;
  return cfg;
}

export async function bootCommand(args: string[], io: CliIo): Promise<number> {
  if (args.includes("-h") || args.includes("--help")) {
    await io.stdout(BOOT_USAGE);
    return 0;
  }
  const cfg = parseBootArgs(args);
  if (typeof cfg === "string") {
    io.stderr(`iaa: boot: ${cfg}\n${BOOT_USAGE}`);
    return 2;
  }
  return guard(io, async () => {
    const r = await runRequest(stateDirPath(), { op: "boot", boot: cfg, reboot: false });
    const d = r.data as { summary: string; replaced: boolean } | undefined;
    if (r.status === 0 && d !== undefined) io.stderr(`iaa: booted ${d.summary} in ${stateDirPath()}${d.replaced ? " (it replaced the machine that was there)" : ""}\n`);
    return r.status;
  });
}

export async function rebootCommand(args: string[], io: CliIo): Promise<number> {
  const early = await argless(args, io, "reboot", "boot the machine again with the same settings");
  if (early !== null) return early;
  return guard(io, async () => {
    const r = await runRequest(stateDirPath(), { op: "boot", boot: null, reboot: true });
    if (r.status === 0) io.stderr(`iaa: rebooted the machine in ${stateDirPath()}\n`);
    return r.status;
  });
}

export async function upCommand(args: string[], io: CliIo): Promise<number> {
  const early = await argless(args, io, "up", "start the machine process (any command starts it when it is not running)");
  if (early !== null) return early;
  return guard(io, async () => {
    const r = await runRequest(stateDirPath(), { op: "ping" });
    const pid = (r.data as { pid?: number } | undefined)?.pid;
    io.stderr(`iaa: the machine process runs (pid ${pid ?? "?"}) for ${stateDirPath()}\n`);
    return r.status;
  });
}

export async function downCommand(args: string[], io: CliIo): Promise<number> {
  const early = await argless(args, io, "down", "stop the machine process cleanly (the machine's state stays committed)");
  if (early !== null) return early;
  return guard(io, async () => {
    const dir = stateDirPath();
    const { pid } = machinePaths(dir);
    const owner = readOwner(pid);
    const r = await runRequest(dir, { op: "down" }, { start: false });
    if (r.status === -1) {
      // none ran, or one of another build that the client stopped itself (client.ts)
      io.stderr(owner !== null && readOwner(pid) === null ? `iaa: stopped the machine process for ${dir}\n` : `iaa: no machine process runs for ${dir}\n`);
      return 0;
    }
    // wait until it has released the directory
    for (let i = 0; i < 200 && readOwner(pid) !== null; i++) await new Promise((res) => setTimeout(res, 25));
    io.stderr(`iaa: stopped the machine process for ${dir}\n`);
    return r.status;
  });
}

export async function statusCommand(args: string[], io: CliIo): Promise<number> {
  const early = await argless(args, io, "status", "the machine process, and the machine's devices, work queues, modules and zswap");
  if (early !== null) return early;
  return guard(io, async () => {
    const conn = await MachineConnection.open(stateDirPath());
    try {
      const r = await conn!.request({ op: "status" });
      if (typeof r.data === "string") await io.stdout(r.data);
      return r.status;
    } finally {
      conn?.close();
    }
  });
}

const SH_USAGE = "usage: iaa sh [-c 'COMMANDS' [NAME [ARGS...]]]\n";

export async function shCommand(args: string[], io: CliIo): Promise<number> {
  if (args[0] === "-h" || args[0] === "--help") {
    await io.stdout(SH_USAGE);
    return 0;
  }
  if (args[0] === "-c") {
    const text = args[1];
    if (text === undefined) {
      io.stderr(`iaa sh: -c: option requires an argument\n${SH_USAGE}`);
      return 2;
    }
    return guard(io, () => run({ op: "sh", text, args: args.slice(2), tty: hostTty() }));
  }
  if (args.length > 0) {
    io.stderr(`iaa sh: unknown option '${args[0]}'\n${SH_USAGE}`);
    return 2;
  }
  return guard(io, () => runInteractive(stateDirPath()));
}

export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const [script, ...rest] = args;
  if (script === undefined || script === "-h" || script === "--help") {
    (script === undefined ? io.stderr : (t: string) => void io.stdout(t))("usage: iaa run SCRIPT [ARGS...]\n");
    return script === undefined ? 2 : 0;
  }
  let text: string;
  try {
    text = readFileSync(script, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.stderr(`iaa: run: cannot read ${script}: ${code === "ENOENT" ? "No such file or directory" : code === "EISDIR" ? "Is a directory" : (e as Error).message}\n`);
    return 1;
  }
  return guard(io, () => run({ op: "script", path: script, text, args: rest, tty: hostTty() }));
}

export async function sysfsCommand(args: string[], io: CliIo): Promise<number> {
  if (args[0] !== "export" || args.length !== 2) {
    io.stderr("usage: iaa sysfs export DIR\n");
    return 2;
  }
  return guard(io, () => run({ op: "export", dir: resolve(args[1]!) }));
}

/** `iaa prog NAME ARGS...`: one of the machine's programs, for the shims `iaa exec` puts on PATH. */
export async function progCommand(args: string[], io: CliIo): Promise<number> {
  if (args.length === 0) {
    io.stderr("usage: iaa prog NAME [ARGS...]\n");
    return 2;
  }
  return guard(io, () => run({ op: "prog", argv: args, tty: hostTty() }));
}
