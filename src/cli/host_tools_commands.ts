/**
 * `iaa mount DIR`, `iaa umount DIR`, `iaa exec [--] COMMAND [ARGS...]` and
 * `iaa dashboard`: the running machine opened to the host's own programs
 * (FUSE, a private mount namespace) and to a browser.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runRequest } from "../host/client.js";
import { checkExecSupport, runInNamespace } from "../host/fuse/exec.js";
import { checkFuseSupport } from "../host/fuse/mount.js";
import { stateDirPath } from "../host/state_dir.js";
import type { CliIo } from "./cli_io.js";
import { guard } from "./machine_commands.js";

async function help(args: string[], io: CliIo, usage: string): Promise<boolean> {
  if (args[0] !== "-h" && args[0] !== "--help") return false;
  await io.stdout(usage);
  return true;
}

const MOUNT_USAGE = "usage: iaa mount DIR\n  DIR/sys (with sys/kernel/debug) and DIR/proc become the running machine's, live, through FUSE\n";

export async function mountCommand(args: string[], io: CliIo): Promise<number> {
  if (await help(args, io, MOUNT_USAGE)) return 0;
  if (args.length !== 1) {
    io.stderr(MOUNT_USAGE);
    return 2;
  }
  const missing = checkFuseSupport();
  if (missing !== null) {
    io.stderr(`iaa: mount: ${missing}\n`);
    return 1;
  }
  return guard(io, async () => (await runRequest(stateDirPath(), { op: "mount", dir: resolve(args[0]!) })).status);
}

export async function umountCommand(args: string[], io: CliIo): Promise<number> {
  if (await help(args, io, "usage: iaa umount DIR\n")) return 0;
  if (args.length !== 1) {
    io.stderr("usage: iaa umount DIR\n");
    return 2;
  }
  return guard(io, async () => {
    const r = await runRequest(stateDirPath(), { op: "umount", dir: resolve(args[0]!) }, { start: false });
    if (r.status !== -1) return r.status;
    io.stderr(`iaa: umount: no machine process runs for ${stateDirPath()}, so nothing of it is mounted\n`);
    return 1;
  });
}

const EXEC_USAGE = "usage: iaa exec [--] COMMAND [ARGS...]\n  run a host program where /sys, /sys/kernel/debug and the /proc files are the machine's, and the machine's programs come first on PATH\n";

/** argv prefix that runs `iaa` (compiled, or the sources through tsx). */
function iaaArgv(): string[] {
  const here = fileURLToPath(import.meta.url);
  const cli = here.replace(/host_tools_commands\.(ts|js)$/, "iaa.$1");
  return here.endsWith(".ts") ? [process.execPath, "--import", "tsx", cli] : [process.execPath, cli];
}

export async function execCommand(args: string[], io: CliIo): Promise<number> {
  if (await help(args, io, EXEC_USAGE)) return 0;
  const argv = args[0] === "--" ? args.slice(1) : args;
  if (argv.length === 0) {
    io.stderr(EXEC_USAGE);
    return 2;
  }
  const missing = checkExecSupport();
  if (missing !== null) {
    io.stderr(`iaa: exec: ${missing}\n`);
    return 1;
  }
  return guard(io, async () => {
    const r = await runRequest(stateDirPath(), { op: "exec-mount" });
    if (r.status !== 0 || typeof r.data !== "string") return r.status === 0 ? 1 : r.status;
    return runInNamespace(r.data, argv, { shimCommand: [...iaaArgv(), "prog"], env: { ...process.env, IAA_EMU_HOME: stateDirPath() } });
  });
}

const DASH_USAGE = "usage: iaa dashboard [--port N]\n  serve a live, read-only dashboard of the machine on 127.0.0.1 (until `iaa down`)\n";

export async function dashboardCommand(args: string[], io: CliIo): Promise<number> {
  if (await help(args, io, DASH_USAGE)) return 0;
  let port = 0;
  if (args[0] === "--port" || args[0]?.startsWith("--port=")) {
    const v = args[0].includes("=") ? args[0].slice(7) : args[1];
    port = Number(v);
    if (!Number.isInteger(port) || port < 0 || port > 65535 || args.length > (args[0].includes("=") ? 1 : 2)) {
      io.stderr(`iaa: dashboard: --port needs a port number (0-65535)\n${DASH_USAGE}`);
      return 2;
    }
  } else if (args.length > 0) {
    io.stderr(`iaa: dashboard: unknown option '${args[0]}'\n${DASH_USAGE}`);
    return 2;
  }
  return guard(io, async () => {
    const r = await runRequest(stateDirPath(), { op: "dashboard", port });
    if (r.status === 0) await io.stdout(`${String(r.data)}\n`);
    return r.status;
  });
}
