/**
 * `iaa boot`, `iaa reboot`, `iaa status`, `iaa sh`, `iaa run`, `iaa sysfs export`:
 * the persistent machine from the host's command line.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { KnDir } from "../kernfs/node.js";
import { runRepl } from "../shell/repl.js";
import type { Shell } from "../shell/shell.js";
import { resolveMachineConfig, type MachineConfigInput } from "../system/machine_config.js";
import { fdSink } from "./_host_sink.js";
import type { CliIo } from "./cli_io.js";
import { bootPersistent, persistedBoot, withMachine, type Streams } from "../host/session.js";
import { StateError, StateDir, stateDirPath } from "../host/state_dir.js";

function hostStreams(): Streams {
  return { stdout: fdSink(1), stderr: fdSink(2) };
}

/** Maps StateError to one line and status 1. */
function guard(io: CliIo, fn: () => number): number {
  try {
    return fn();
  } catch (e) {
    if (e instanceof StateError) {
      io.stderr(e.message + "\n");
      return 1;
    }
    throw e;
  }
}

const BOOT_USAGE = "usage: iaa boot [--preset spr-2s|spr-1s|tiny] [--topology FILE] [--iommu scalable|legacy|off] [--cmdline 'ARGS'] [--kconfig NAME=VALUE]... [--no-vtd] [--no-enqcmds] [--autoload MOD,...]\n";

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
  return guard(io, () => {
    const w = bootPersistent(cfg);
    const m = w.stack.machine;
    io.stderr(`iaa: booted ${m.config.preset} (${m.topo.nrCpus} CPUs, ${m.pci.filter((p) => p.caps.pciDevice === 0x0cfe).length} IAA, IOMMU ${m.iommu}) in ${stateDirPath()}\n`);
    return 0;
  });
}

export async function rebootCommand(args: string[], io: CliIo): Promise<number> {
  if (args.length > 0) {
    io.stderr("usage: iaa reboot\n");
    return 2;
  }
  return guard(io, () => {
    bootPersistent(persistedBoot());
    io.stderr(`iaa: rebooted the machine in ${stateDirPath()}\n`);
    return 0;
  });
}

export async function statusCommand(args: string[], io: CliIo): Promise<number> {
  if (args.length > 0) {
    io.stderr("usage: iaa status\n");
    return 2;
  }
  let text = "";
  const rc = guard(io, () =>
    withMachine((live) => {
      const { stack } = live.world;
      const m = stack.machine;
      const v = m.vfs;
      const cat = (p: string): string => {
        try {
          return v.readText(p).trim();
        } catch {
          return "-";
        }
      };
      const lines: string[] = [];
      lines.push(`machine: ${m.config.preset}, ${m.topo.nodes.length} nodes, ${m.topo.nrCpus} CPUs, IOMMU ${m.iommu}, uptime ${(m.ctx.clock.now / 1e9).toFixed(3)} s`);
      lines.push(`firmware: VT-d ${m.config.firmware.vtd ? "on" : "off"}, ENQCMDS ${m.config.firmware.enqcmds ? "on" : "off"}; cmdline: ${m.config.cmdline}`);
      lines.push(`modules: ${m.modules.list().join(" ") || "-"}`);
      const devs = v.exists("/sys/bus/dsa/devices") ? v.readdir("/sys/bus/dsa/devices").sort(natural) : [];
      for (const d of devs.filter((n) => /^(iax|dsa)\d+$/.test(n))) {
        const wqs = devs.filter((n) => n.startsWith(`wq${d.replace(/^\D+/, "")}.`) && cat(`/sys/bus/dsa/devices/${n}/state`) === "enabled");
        const desc = wqs.map((w) => `${w}(${cat(`/sys/bus/dsa/devices/${w}/mode`)},${cat(`/sys/bus/dsa/devices/${w}/size`)},${cat(`/sys/bus/dsa/devices/${w}/driver_name`) || "-"})`);
        lines.push(`${d}: ${cat(`/sys/bus/dsa/devices/${d}/state`)}${desc.length > 0 ? `, wqs ${desc.join(" ")}` : ""}`);
      }
      if (v.exists("/sys/bus/dsa/drivers/crypto/sync_mode")) {
        lines.push(`iaa_crypto: sync_mode ${cat("/sys/bus/dsa/drivers/crypto/sync_mode")}, verify_compress ${cat("/sys/bus/dsa/drivers/crypto/verify_compress")}, deflate-iaa ${stack.iaa()?.enabled === true ? "enabled" : "disabled"}`);
      }
      const zp = "/sys/module/zswap/parameters";
      lines.push(`zswap: enabled ${cat(`${zp}/enabled`)}, compressor ${cat(`${zp}/compressor`)}, zpool ${cat(`${zp}/zpool`)}, max_pool_percent ${cat(`${zp}/max_pool_percent`)}`);
      lines.push(`swap: ${stack.mm.activeSwaps().map((s) => s.area.path).join(" ") || "off"}`);
      lines.push(`journal: ${live.state.journal.length} commands since boot`);
      text = lines.join("\n") + "\n";
      return { entry: null, result: 0 };
    }),
  );
  if (rc === 0) await io.stdout(text);
  return rc;
}

function natural(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
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
    const rest = args.slice(2);
    return guard(io, () =>
      withMachine((live) => {
        const entry = { kind: "c" as const, text, args: rest };
        return { entry, result: live.apply(entry, hostStreams()) };
      }),
    );
  }
  if (args.length > 0) {
    io.stderr(`iaa sh: unknown option '${args[0]}'\n${SH_USAGE}`);
    return 2;
  }
  // interactive: each line runs under the lock on the current machine, and is journaled
  const session = randomUUID();
  const check = guard(io, () => {
    const dir = StateDir.open(stateDirPath());
    try {
      dir.read();
    } finally {
      dir.release();
    }
    return 0;
  });
  if (check !== 0) return check;
  const streams = hostStreams();
  // The REPL talks to the session's shell as it was after the last line; each
  // line itself runs on the current machine (other commands may have run since).
  let last = withMachine((live) => ({ entry: null, result: live.sessionShell(session) }));
  const proxy = {
    get cwd() {
      return last.cwd;
    },
    get status() {
      return last.status;
    },
    get exited() {
      return last.exited;
    },
    getVar: (name: string) => last.getVar(name),
    isComplete: (text: string) => last.isComplete(text),
    runLine: (line: string): number =>
      guard(io, () =>
        withMachine((live) => {
          const entry = { kind: "line" as const, session, text: line };
          const status = live.apply(entry, streams);
          last = live.sessionShell(session);
          return { entry, result: status };
        }),
      ),
  };
  return runRepl(proxy as unknown as Shell, {});
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
    io.stderr(`iaa: run: cannot read ${script}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "No such file or directory" : (e as Error).message}\n`);
    return 1;
  }
  return guard(io, () =>
    withMachine((live) => {
      const entry = { kind: "script" as const, path: script, text, args: rest };
      return { entry, result: live.apply(entry, hostStreams()) };
    }),
  );
}

export async function sysfsCommand(args: string[], io: CliIo): Promise<number> {
  if (args[0] !== "export" || args.length !== 2) {
    io.stderr("usage: iaa sysfs export DIR\n");
    return 2;
  }
  const out = args[1]!;
  return guard(io, () =>
    withMachine((live) => {
      const sys = live.world.stack.machine.fs.sys;
      exportTree(sys, join(out, "sys"));
      return { entry: null, result: 0 };
    }),
  );
}

/** Writes a kernfs subtree to the host: directories, attribute contents (unreadable ones empty), symlinks. */
function exportTree(dir: KnDir, path: string): void {
  mkdirSync(path, { recursive: true });
  for (const [name, node] of dir.children) {
    const p = join(path, name);
    if (node.kind === "dir") exportTree(node, p);
    else if (node.kind === "link") {
      try {
        symlinkSync(node.target, p);
      } catch {
        // already there
      }
    } else if (node.kind === "attr") {
      let content: string | Uint8Array = "";
      const r = node.show?.();
      if (typeof r === "string" || r instanceof Uint8Array) content = r;
      writeFileSync(p, content);
    } else writeFileSync(p, node.data);
  }
}
