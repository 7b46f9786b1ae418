/**
 * accel-config's entry point: global options, the command table, the
 * `idxd kernel module not loaded` check and the final `Error[…]` line.
 *
 * linux-userspace: accfg/accel-config.c, util/main.c
 */
import type { Vfs } from "../kernfs/vfs.js";
import { SysError } from "../lib/errno.js";
import { CommandExit, type CmdEnv, type CommandFn } from "./command.js";
import { cmdLoadConfig } from "./config.js";
import { cmdConfigDevice, cmdConfigEngine, cmdConfigGroup, cmdConfigWq } from "./config_attr.js";
import { cmdConfigUserDefault } from "./config_default.js";
import { cmdDisableDevice, cmdDisableWq, cmdEnableDevice, cmdEnableWq } from "./enable.js";
import { AccfgCtx, cmdStatusStr, type Sink } from "./lib/libaccfg.js";
import { cmdList, cmdSave } from "./list.js";
import { MAN1_DIR } from "./man_pages.js";

/** What `accel-config --version` prints. */
export const ACCEL_CONFIG_VERSION = "4.1.6";

/** The registered commands, in `--list-cmds` order. */
export const commands: readonly { name: string; fn: CommandFn }[] = [
  { name: "list", fn: cmdList },
  { name: "load-config", fn: cmdLoadConfig },
  { name: "save-config", fn: cmdSave },
  { name: "disable-device", fn: cmdDisableDevice },
  { name: "enable-device", fn: cmdEnableDevice },
  { name: "disable-wq", fn: cmdDisableWq },
  { name: "enable-wq", fn: cmdEnableWq },
  { name: "config-device", fn: cmdConfigDevice },
  { name: "config-group", fn: cmdConfigGroup },
  { name: "config-wq", fn: cmdConfigWq },
  { name: "config-engine", fn: cmdConfigEngine },
  { name: "config-user-default", fn: cmdConfigUserDefault },
];

const USAGE =
  "accel-config [--list-cmds] [-h | --help] [-v | --version] COMMAND [ARGS]\n\n" +
  " 'accel-config --help COMMAND' for information on a specific command\n" +
  " 'accel-config --list-cmds' for a list of available commands\n" +
  " 'accel-config --version' for version info";

export interface AccelConfigIo {
  vfs: Vfs;
  stdout: Sink;
  stderr: Sink;
  env: Record<string, string>;
}

/** usage(): `\n Usage: …` on stderr, exit 129. */
function usage(io: AccelConfigIo): number {
  io.stderr.write(`\n Usage: ${USAGE}\n`);
  return 129;
}

/**
 * What `man <page>` does for the help options: prints the installed page
 * (`/usr/share/man/man1/<page>.1`) to stdout, or man-db's complaint and its
 * exit status 16 when the page is not installed. ACCFG_MAN_VIEWER is ignored:
 * the emulated system has one viewer.
 */
function showManPage(page: string, io: AccelConfigIo): number {
  const path = `${MAN1_DIR}/${page}.1`;
  let text: Uint8Array | null = null;
  try {
    if (io.vfs.exists(path)) text = io.vfs.readFile(path);
  } catch (e) {
    if (!(e instanceof SysError)) throw e;
  }
  if (text === null) {
    io.stderr.write(`No manual entry for ${page}\n`);
    return 16;
  }
  io.stdout.write(new TextDecoder().decode(text));
  return 0;
}

/**
 * Runs `accel-config` with `argv` (argv[0] is the program name) and returns
 * the exit status. Reads and writes only through `io.vfs`.
 *
 * @example
 * accelConfigMain(["accel-config", "enable-device", "iax1"], { vfs, stdout, stderr, env: {} });
 */
export function accelConfigMain(argv: string[], io: AccelConfigIo): number {
  const args = argv.slice(1);
  const argv0 = (argv[0] ?? "accel-config").split("/").pop() || "accel-config";
  if (args.length === 0) return showManPage("accel-config", io);
  const first = args[0]!;
  if (first === "-v" || first === "--version") {
    io.stdout.write(`${ACCEL_CONFIG_VERSION}\n`);
    return 0;
  }
  if (first === "-h" || first === "--help") return showManPage(args[1] !== undefined ? `accel-config-${args[1]}` : "accel-config", io);
  if (first === "--list-cmds") {
    for (const c of commands) io.stdout.write(`${argv0} ${c.name}\n`);
    return 0;
  }
  if (first.startsWith("-")) {
    io.stderr.write(`Unknown option: ${first}\n`);
    return usage(io);
  }
  const command = commands.find((c) => c.name === first);
  if (command === undefined) {
    io.stderr.write(`Unknown command: '${first}'\n`);
    return usage(io);
  }
  if (args[1] === "--help" || args[1] === "-h") return showManPage(`accel-config-${first}`, io);
  if (!io.vfs.exists("/sys/module/idxd")) {
    io.stderr.write("idxd kernel module not loaded\n");
    return 1;
  }
  const ctx = new AccfgCtx(io.vfs, io.stderr, io.env);
  const cmd: CmdEnv = { ctx, vfs: io.vfs, stdout: io.stdout, stderr: io.stderr, env: io.env };
  let rc: number;
  try {
    rc = command.fn(args, cmd) & 0xff;
  } catch (e) {
    if (e instanceof CommandExit) return e.code;
    throw e;
  }
  const last = ctx.lastError;
  if (rc !== 0 && last !== null && last.cmdStatus !== 0) {
    let line = `Error[${("0x" + last.cmdStatus.toString(16)).padStart(10)}] ${last.device.name}`;
    if (last.group !== null) line += `/${last.group.name}`;
    if (last.wq !== null) line += `/${last.wq.name}`;
    if (last.engine !== null) line += `/${last.engine.name}`;
    io.stdout.write(`${line}: ${cmdStatusStr(last.cmdStatus)}\n`);
  }
  return rc === 0 ? 0 : 1;
}
