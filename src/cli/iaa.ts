#!/usr/bin/env node
/**
 * The `iaa` command: a table of subcommands, each in its own module, loaded on
 * demand (like accel-config's `commands[]`). Add a command by adding a row.
 *
 * Exit status: 0 success, 1 failure (one line on stderr), 2 usage error.
 */
import { isEntryPoint } from "./_entry.js";
import { processIo, type CliIo, type CommandHandler } from "./cli_io.js";

export type { CliIo, CommandHandler };

interface CommandEntry {
  usage: string;
  summary: string;
  load(): Promise<CommandHandler>;
}

/** name → usage, one-line summary, and the module that implements it. */
export const COMMANDS: Record<string, CommandEntry> = {
  boot: {
    usage: "boot [--preset spr-2s|spr-1s|tiny] [--topology FILE] [--iommu scalable|legacy|off] [--cmdline 'ARGS'] [--kconfig NAME=VALUE]... [--no-vtd] [--no-enqcmds] [--autoload MOD,...]",
    summary: "boot a fresh machine in $IAA_EMU_HOME, replacing any (default spr-2s: 2 sockets, 160 CPUs, 8 IAA)",
    load: async () => (await import("./machine_commands.js")).bootCommand,
  },
  reboot: {
    usage: "reboot",
    summary: "boot the machine again with the same settings",
    load: async () => (await import("./machine_commands.js")).rebootCommand,
  },
  up: {
    usage: "up",
    summary: "start the machine process (any command starts it when it is not running)",
    load: async () => (await import("./machine_commands.js")).upCommand,
  },
  down: {
    usage: "down",
    summary: "stop the machine process cleanly; its committed state stays for the next start",
    load: async () => (await import("./machine_commands.js")).downCommand,
  },
  status: {
    usage: "status",
    summary: "the machine process (pid, uptime, memory) and the machine's devices, work queues, modules and zswap",
    load: async () => (await import("./machine_commands.js")).statusCommand,
  },
  sh: {
    usage: "sh [-c 'COMMANDS' [NAME [ARGS...]]]",
    summary: "a bash shell on the persistent machine (interactive, or one command line)",
    load: async () => (await import("./machine_commands.js")).shCommand,
  },
  run: {
    usage: "run SCRIPT [ARGS...]",
    summary: "run a bash script on the persistent machine",
    load: async () => (await import("./machine_commands.js")).runCommand,
  },
  "accel-config": {
    usage: "accel-config [COMMAND] [OPTIONS...]",
    summary: "accel-config on the machine, from the host (inside the machine it is plain accel-config)",
    load: async () => async (args, io) => (await import("./accel_config_bin.js")).accelConfigOnHost(args, io),
  },
  mount: {
    usage: "mount DIR",
    summary: "DIR/sys (with debugfs) and DIR/proc become the running machine's, live, through FUSE (Linux, root)",
    load: async () => (await import("./host_tools_commands.js")).mountCommand,
  },
  umount: {
    usage: "umount DIR",
    summary: "undo iaa mount (iaa down undoes every mount)",
    load: async () => (await import("./host_tools_commands.js")).umountCommand,
  },
  exec: {
    usage: "exec [--] COMMAND [ARGS...]",
    summary: "run a host program (bash, jq, python3, Intel's accel-config, ...) on the machine's /sys and /proc, with the machine's programs on PATH",
    load: async () => (await import("./host_tools_commands.js")).execCommand,
  },
  dashboard: {
    usage: "dashboard [--port N]",
    summary: "serve a live, read-only dashboard of the machine on 127.0.0.1 and print its address",
    load: async () => (await import("./host_tools_commands.js")).dashboardCommand,
  },
  sysfs: {
    usage: "sysfs export DIR",
    summary: "write a snapshot of the machine's /sys (files, contents, symlinks) into DIR",
    load: async () => (await import("./machine_commands.js")).sysfsCommand,
  },
  compress: {
    usage: "compress [-o OUT] [FILE]",
    summary: "compress FILE (or stdin) to raw DEFLATE as deflate-iaa does (fixed Huffman, 4 KiB window)",
    load: async () => (await import("./codec_commands.js")).compressCommand,
  },
  decompress: {
    usage: "decompress [--window 4k|32k] [-o OUT] [FILE]",
    summary: "decompress raw DEFLATE from FILE (or stdin); --window 4k is the IAA hardware's limit (default)",
    load: async () => (await import("./codec_commands.js")).decompressCommand,
  },
  bench: {
    usage: "bench latency|codec|zswap [--compressor LIST] [--sync-mode LIST] [--verify 0|1] [--iaa N] [--wqs-per-iaa N] [--engines-per-group N] [--threads N] [--json] [--svg FILE]",
    summary: "what-if performance in virtual time on fresh machines (calibrated timing model), with the emulator's wall-clock speed",
    load: async () => (await import("./bench_command.js")).benchCommand,
  },
};

/** Commands that are not listed: the machine's programs for the shims of `iaa exec`. */
const HIDDEN: Record<string, () => Promise<CommandHandler>> = {
  prog: async () => (await import("./machine_commands.js")).progCommand,
};

/** The usage text listing every command. */
export function usage(): string {
  const lines = ["usage: iaa <command> [options]", "       iaa --version", "", "commands:"];
  for (const [, c] of Object.entries(COMMANDS)) lines.push(`  ${c.usage}`, `      ${c.summary}`);
  lines.push(
    "",
    "environment:",
    "  IAA_EMU_HOME       the machine directory (default $XDG_STATE_HOME/iaa-emu, else ~/.local/state/iaa-emu)",
    "  IAA_EMU_THREADS    threads the machine process computes the IAA engines' results on (1-64; default the host's cores, at most 4)",
    "",
    "Run 'iaa <command> --help' for a command's options.",
  );
  return lines.join("\n") + "\n";
}

/** Runs `iaa` with `argv` (without node and the script path). */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(usage());
    return 2;
  }
  if (name === "-h" || name === "--help" || name === "help") {
    await io.stdout(usage());
    return 0;
  }
  if (name === "-V" || name === "--version" || name === "version") {
    await io.stdout(`iaa-emu ${(await import("../host/version.js")).emuVersion()}\n`);
    return 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name]!.load : Object.hasOwn(HIDDEN, name) ? HIDDEN[name] : undefined;
  if (load === undefined) {
    io.stderr(`iaa: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  const handler = await load();
  return handler(rest, io);
}


if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`iaa: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
