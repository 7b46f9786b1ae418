/**
 * `iaa exec`: a host program run against the emulated machine.
 *
 *   const code = await runInNamespace("/run/iaa/mnt", ["bash", "setup.sh"], { shimCommand: [node, cli, "prog"] });
 *
 * The program runs in a private mount namespace (`unshare -m` with private
 * propagation; `unshare -Urm` when not root) where
 * - `/sys` is MOUNT/sys (a bind mount of the FUSE view; debugfs is at
 *   /sys/kernel/debug through it);
 * - `/proc/sys` is MOUNT/proc/sys: every sysctl a program reads or writes is
 *   the machine's (a key the machine lacks is ENOENT, never the host's);
 * - each other file under MOUNT/proc is bind-mounted over the host's /proc
 *   file of that name (the host's /proc stays for processes; a machine file
 *   the host kernel lacks is skipped);
 * - PATH starts with a directory of shims for the machine's own programs
 *   (modprobe, rmmod, lsmod, insmod, swapon, swapoff, dmesg, free, lspci,
 *   memory_madvise, and accel-config and sysctl when the host has none): each is `exec SHIM_COMMAND NAME "$@"`, by default
 *   `"$IAA_EMU_NODE" "$IAA_EMU_CLI" prog NAME "$@"`;
 * - the starting directory gets `./memory_madvise` through an overlay mount
 *   over it (lower: the shim, upper: the directory itself, so everything the
 *   program writes lands in the real directory; uuid=off, so overlayfs writes
 *   no xattr on it; a directory created there carries trusted.overlay.opaque).
 * stdin, stdout and stderr are inherited (or as `stdio` says); SIGTERM, SIGHUP
 * and SIGINT sent to this process go to the program (the last only when it
 * did not come from the terminal, which delivers it to the program itself);
 * the status is the program's, 128+N if signal N ended it.
 *
 * `checkExecSupport()` names what is missing (Linux, /dev/fuse, unshare,
 * privileges or user namespaces), in one line, before anything is tried.
 */
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { constants } from "node:os";
import { checkFuseSupport } from "./mount.js";

/** The machine's own programs, reached through shims (the rest is the host's). */
export const MACHINE_PROGRAMS = ["modprobe", "rmmod", "lsmod", "insmod", "swapon", "swapoff", "dmesg", "free", "lspci", "memory_madvise"];

/**
 * Programs the host's own copy of takes precedence for (the user's tools, e.g.
 * Intel's accel-config, procps's sysctl); where the host has none, the machine's is shimmed, so
 * that the documentation's scripts run under `iaa exec` on any host.
 */
export const HOST_FIRST_PROGRAMS = ["accel-config", "sysctl"];

/** The shims a program's environment gets by default: MACHINE_PROGRAMS, and each HOST_FIRST_PROGRAMS entry the host lacks. */
export function defaultPrograms(env: NodeJS.ProcessEnv = process.env): string[] {
  return [...MACHINE_PROGRAMS, ...HOST_FIRST_PROGRAMS.filter((p) => !onPath(p, env.PATH))];
}

export interface ExecOptions {
  /** Where the program starts (default: process.cwd()). */
  cwd?: string;
  /** The program's environment (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** argv prefix of the shims; a shim runs PREFIX NAME ARGS... (default: "$IAA_EMU_NODE" "$IAA_EMU_CLI" prog). */
  shimCommand?: string[];
  /** Programs given shims (default: defaultPrograms() of the program's environment). */
  programs?: string[];
  /** Add ./memory_madvise to the starting directory (default: true). */
  cwdShim?: boolean;
  /** Default: inherit. */
  stdio?: StdioOptions;
}

const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function onPath(name: string, path = process.env.PATH): boolean {
  for (const d of (path ?? "/usr/sbin:/usr/bin:/sbin:/bin").split(delimiter)) {
    if (d !== "" && existsSync(join(d, name))) return true;
  }
  return false;
}

function readSysctl(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return undefined;
  }
}

/** One line naming what `iaa exec` lacks here, or null. */
export function checkExecSupport(): string | null {
  const fuse = checkFuseSupport();
  if (fuse !== null) return fuse;
  if (!onPath("unshare")) return "unshare is missing (util-linux)";
  if (!onPath("mount")) return "mount is missing (util-linux)";
  if (process.getuid?.() === 0) return null;
  if (readSysctl("/proc/sys/user/max_user_namespaces") === "0") return "user namespaces are disabled (user.max_user_namespaces=0); run as root";
  if (readSysctl("/proc/sys/kernel/unprivileged_userns_clone") === "0") return "unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone=0); run as root";
  if (readSysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") === "1") return "unprivileged user namespaces are restricted by AppArmor (kernel.apparmor_restrict_unprivileged_userns=1); run as root";
  return null;
}

/** The script the namespace's first process runs before it becomes the program. */
const SETUP = `
m=$IAA_EXEC_MNT shims=$IAA_EXEC_SHIMS cwd=$IAA_EXEC_CWD work=$IAA_EXEC_WORK low=$IAA_EXEC_LOWER
unset IAA_EXEC_MNT IAA_EXEC_SHIMS IAA_EXEC_CWD IAA_EXEC_WORK IAA_EXEC_LOWER
fail() { echo "iaa exec: $*" >&2; exit 125; }
mount --bind "$m/sys" /sys || fail "cannot mount the machine's /sys"
mount --bind "$m/proc/sys" /proc/sys || fail "cannot mount the machine's /proc/sys"
list=$(cd "$m/proc" && find . -path ./sys -prune -o -type f -print) || fail "cannot list the machine's /proc"
for f in $list; do
  f=\${f#./}
  [ -e "/proc/$f" ] || continue
  mount --bind "$m/proc/$f" "/proc/$f" || fail "cannot mount the machine's /proc/$f"
done
if [ -n "$work" ]; then
  mount -t overlay overlay -o "uuid=off,lowerdir=$low,upperdir=$cwd,workdir=$work" "$cwd" 2>/dev/null ||
    echo "iaa exec: ./memory_madvise is not available in $cwd (overlay mount refused)" >&2
fi
cd "$cwd" || fail "cannot enter $cwd"
PATH="$shims:$PATH"
export PATH
exec "$@"
`;

function shimText(prefix: string[] | undefined, name: string): string {
  const cmd = prefix === undefined ? `"$IAA_EMU_NODE" "$IAA_EMU_CLI" prog` : prefix.map(sq).join(" ");
  return `#!/bin/sh\nexec ${cmd} ${sq(name)} "$@"\n`;
}

const under = (p: string, dir: string): boolean => dir === "/" || p === dir || p.startsWith(dir.endsWith("/") ? dir : `${dir}/`);

/**
 * A directory for overlayfs's workdir: on the file system of `cwd` (overlayfs
 * requires it) and outside `cwd` (a workdir may not be inside the upper
 * directory); undefined if there is none, or if `cwd` is no place for it.
 */
function overlayWorkParent(cwd: string): string | undefined {
  if (cwd === "/" || /^\/(proc|sys|dev)(\/|$)/.test(cwd)) return undefined;
  if (existsSync(join(cwd, "memory_madvise"))) return undefined;
  try {
    const dev = statSync(cwd).dev;
    for (const d of [tmpdir(), "/var/tmp", "/run", "/tmp"]) {
      if (existsSync(d) && !under(d, cwd) && statSync(d).dev === dev) return d;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

export interface NamespaceChild {
  child: ChildProcess;
  /** The program's status (128+N for signal N); the scratch directory is gone by then. */
  done: Promise<number>;
}

/**
 * Starts `argv` in the namespace. Throws (one line) when the runner cannot
 * start; a program that is not found gives status 127 with the shell's
 * message, as in a shell.
 */
export function spawnInNamespace(mountDir: string, argv: string[], opts: ExecOptions = {}): NamespaceChild {
  const missing = checkExecSupport();
  if (missing !== null) throw new Error(missing);
  if (argv.length === 0) throw new Error("no command given");
  const cwd = opts.cwd ?? process.cwd();
  const scratch = mkdtempSync(join(tmpdir(), "iaa-exec-"));
  const shims = join(scratch, "bin");
  const lower = join(scratch, "cwd");
  mkdirSync(shims);
  mkdirSync(lower);
  for (const p of opts.programs ?? defaultPrograms(opts.env)) {
    writeFileSync(join(shims, p), shimText(opts.shimCommand, p));
    chmodSync(join(shims, p), 0o755);
  }
  let work = "";
  const workParent = opts.cwdShim === false ? undefined : overlayWorkParent(cwd);
  if (workParent !== undefined) {
    work = mkdtempSync(join(workParent, "iaa-exec-work-"));
    writeFileSync(join(lower, "memory_madvise"), shimText(opts.shimCommand, "memory_madvise"));
    chmodSync(join(lower, "memory_madvise"), 0o755);
  }
  const root = process.getuid?.() === 0;
  const ns = root ? ["-m", "--propagation", "private"] : ["-Urm", "--propagation", "private"];
  const env = { ...(opts.env ?? process.env), IAA_EXEC_MNT: mountDir, IAA_EXEC_SHIMS: shims, IAA_EXEC_CWD: cwd, IAA_EXEC_WORK: work, IAA_EXEC_LOWER: lower };
  const child = spawn("unshare", [...ns, "/bin/sh", "-c", SETUP, "iaa-exec", ...argv], { stdio: opts.stdio ?? "inherit", env, cwd });
  const done = new Promise<number>((resolve) => {
    const forward = (sig: NodeJS.Signals) => () => {
      if (child.exitCode === null) child.kill(sig);
    };
    const handlers: [NodeJS.Signals, () => void][] = [
      ["SIGTERM", forward("SIGTERM")],
      ["SIGHUP", forward("SIGHUP")],
      ["SIGINT", process.stdin.isTTY === true ? () => {} : forward("SIGINT")],
    ];
    for (const [s, h] of handlers) process.on(s, h);
    const end = (code: number) => {
      for (const [s, h] of handlers) process.off(s, h);
      rmSync(scratch, { recursive: true, force: true });
      if (work !== "") rmSync(work, { recursive: true, force: true });
      resolve(code);
    };
    child.on("error", (e) => {
      process.stderr.write(`iaa exec: unshare: ${e.message}\n`);
      end(126);
    });
    child.on("close", (code, signal) => end(code ?? 128 + ((signal !== null ? constants.signals[signal] : 0) ?? 0)));
  });
  return { child, done };
}

/** Runs `argv` in the namespace; resolves with its status. */
export function runInNamespace(mountDir: string, argv: string[], opts: ExecOptions = {}): Promise<number> {
  return spawnInNamespace(mountDir, argv, opts).done;
}
