/**
 * A machine with its user space: the whole stack booted, the programs a user
 * finds on it (coreutils-like file commands, kmod, util-linux swap and dmesg,
 * accel-config, the documentation's memory_madvise) installed as binaries,
 * and shells to run on it.
 */
import { accelConfigMain } from "../accfg/accel_config.js";
import { installManPages } from "../accfg/man_pages.js";
import { NSEC_PER_SEC } from "../lib/clock.js";
import { fileCommands } from "../shell/commands/mod.js";
import { installBinaries } from "../shell/install_binaries.js";
import { Shell } from "../shell/shell.js";
import type { Command, InputSource, OutputSink } from "../shell/types.js";
import type { MachineConfigInput } from "../system/machine_config.js";
import { BOOT_EPOCH_MS, bootStack, type Stack } from "../system/stack.js";
import { dmesg } from "./programs/dmesg.js";
import { memoryMadvise } from "./programs/memory_madvise.js";
import { lsmod, modprobe, rmmod } from "./programs/modules.js";
import { swapoff, swapon } from "./programs/swapon.js";

/** Virtual ns a program's start costs (fork, exec, ld.so). */
export const EXEC_NS = 612_000;

/** Programs and where they are installed, as on a Debian system. */
const SBIN = ["modprobe", "rmmod", "lsmod", "insmod", "swapon", "swapoff", "sysctl"];

export interface World {
  stack: Stack;
  /** The boot settings it was booted with (a snapshot boots a machine from them). */
  boot: string | MachineConfigInput;
  /** Where the next task lands (CPUs are handed out in turn). */
  sched: { nextCpu: number };
  /** Every program of the machine, by name. */
  commands: Map<string, Command>;
  /** A new shell on the machine with the given streams. */
  shell(io: ShellIo): Shell;
}

/** The streams, and the signal and host hooks, of a shell on the machine. */
export interface ShellIo {
  stdout: OutputSink;
  stderr: OutputSink;
  stdin?: InputSource;
  env?: Record<string, string>;
  /** True once when SIGINT (or another signal that ends the command) arrived. */
  interrupted?: () => boolean;
  /** Whether the host has a program of that name (for the `iaa exec` hint). */
  hostHasCommand?: (name: string) => boolean;
}

/**
 * Boots a machine and installs its user space.
 *
 * @example
 * const w = bootWorld("tiny");
 * const sh = w.shell({ stdout, stderr });
 * sh.runString("modprobe iaa_crypto; cat /sys/bus/dsa/devices/iax1/wq1.0/state");
 */
export function bootWorld(input: string | MachineConfigInput = {}): World {
  const stack = bootStack(input);
  const m = stack.machine;
  const clock = m.ctx.clock;
  const sleep = (seconds: number): void => clock.advance(Math.max(0, seconds) * NSEC_PER_SEC);
  const sched = { nextCpu: 0 };
  const pickCpu = (): number => {
    // a new task lands on the next CPU in turn (deterministic)
    const cpu = sched.nextCpu % m.topo.nrCpus;
    sched.nextCpu += 1;
    return cpu;
  };
  const accel: Command = (ctx) => accelConfigMain(ctx.argv, { vfs: ctx.vfs, stdout: ctx.stdout as { write(s: string): void }, stderr: ctx.stderr as { write(s: string): void }, env: { ...ctx.env } });
  const commands = new Map<string, Command>(Object.entries(fileCommands));
  commands.set("modprobe", modprobe(m.modules));
  commands.set("insmod", modprobe(m.modules));
  commands.set("rmmod", rmmod(m.modules));
  commands.set("lsmod", lsmod(m.modules));
  commands.set("swapon", swapon(stack.mm));
  commands.set("swapoff", swapoff(stack.mm));
  commands.set("dmesg", dmesg(m.ctx.log));
  commands.set("accel-config", accel);
  commands.set("memory_madvise", memoryMadvise({ mm: stack.mm, pickCpu, sleep }));

  // fork + exec + dynamic loading of a program costs virtual time, so log timestamps move as on a real machine
  for (const [name, fn] of commands) {
    const exec: Command = (ctx) => {
      clock.advance(EXEC_NS);
      return fn(ctx);
    };
    // a program with a streaming form keeps it (a pipeline runs it as a task), started at the same cost
    const stream = fn.stream;
    if (stream !== undefined) {
      exec.stream = (ctx) => {
        clock.advance(EXEC_NS);
        return stream(ctx);
      };
    }
    commands.set(name, exec);
  }

  installBinaries(m.vfs, [...commands.keys()].filter((n) => !SBIN.includes(n) && n !== "memory_madvise").concat(["bash", "sh"]), "/usr/bin");
  installBinaries(m.vfs, SBIN, "/usr/sbin");
  installBinaries(m.vfs, ["memory_madvise"], "/root");
  m.vfs.mkdir("/etc/accel-config", { parents: true });
  installManPages(m.vfs);
  m.vfs.writeFile("/etc/hostname", "iaa-emu\n");
  // sysctl -p and --system read these; the machine sets nothing at boot
  m.vfs.mkdir("/etc/sysctl.d", { parents: true });
  m.vfs.writeFile("/etc/sysctl.conf", "# Kernel parameters set at boot (sysctl -p); see sysctl.conf(5). Nothing is set here.\n");

  return {
    stack,
    boot: input,
    sched,
    commands,
    shell: (io) =>
      new Shell({
        vfs: m.vfs,
        commands,
        cwd: "/root",
        env: io.env,
        stdout: io.stdout,
        stderr: io.stderr,
        stdin: io.stdin,
        hooks: {
          sleep,
          now: () => clock.now,
          wallClock: (ns) => BOOT_EPOCH_MS + ns / 1e6,
          interrupted: io.interrupted,
          hostHasCommand: io.hostHasCommand,
          current: (pid, comm) => (m.ctx.current = { pid, comm }),
        },
      }),
  };
}
