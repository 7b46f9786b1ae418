/**
 * Mounting the machine's /sys and /proc on a host directory through FUSE,
 * speaking the kernel protocol over /dev/fuse directly (no library, no
 * native addon; see docs/ARCHITECTURE.md "Host programs on the machine").
 *
 *   const m = await mountFuse(world.stack.machine.vfs, "/mnt/iaa");
 *   // DIR/sys, DIR/sys/kernel/debug, DIR/proc are the machine's, live
 *   await m.unmount();
 *
 * The mount is made as libfuse's lib/mount.c does without fusermount: open
 * /dev/fuse, then mount(2) with `fd=N,rootmode=40000,user_id=U,group_id=G`;
 * here mount(8) makes the call, with the descriptor as its fd 3 (so the
 * calling thread never blocks). It needs CAP_SYS_ADMIN: root, or root in a
 * user namespace that owns the mount namespace.
 *
 * Everything runs in the caller's thread, on its event loop: the caller must
 * never touch DIR with a synchronous call (fs.*Sync, spawnSync, execSync on a
 * program that reads DIR): the thread that would answer is the one waiting.
 * A process that ends without unmount() leaves a dead entry in the mount
 * table ("Transport endpoint is not connected") until `umount DIR`: call
 * unmount() (lazy if files may still be open) on shutdown.
 */
import { spawn } from "node:child_process";
import { existsSync, openSync, statSync } from "node:fs";
import type { Vfs } from "../../kernfs/vfs.js";
import { within } from "../../lib/within.js";
import { BOOT_EPOCH_MS } from "../../system/stack.js";
import { OpenFiles } from "./files.js";
import { FuseSession, type SessionInfo } from "./session.js";
import { TreeView } from "./view.js";

export interface MountOptions {
  /** The machine's top-level directories shown (default: sys, proc). */
  roots?: string[];
  /** Let users other than the mounting one in (mount option allow_other; default: when root). */
  allowOther?: boolean;
  /** Wall-clock ms of the machine's boot, for node times (default: the machine's BOOT_EPOCH_MS). */
  bootEpochMs?: number;
  /** The file system type's subtype (`fuse.SUBTYPE` in the mount table). */
  subtype?: string;
  /** Runs after every write the machine accepted. */
  onWrite?: () => void;
  /** Runs before each write with the writing host process's pid. */
  onCaller?: (pid: number) => void;
}

export interface FuseMount {
  readonly dir: string;
  /** Resolves when the mount is gone (unmount() or an external umount), with the reason. */
  readonly closed: Promise<string>;
  /**
   * `umount DIR` (lazy: `umount -l`; force: `-f`, which also aborts the connection); resolves once the
   * session has ended (a lazy one without force: at most 2 s later, the mount being detached). Rejects
   * with umount's message.
   */
  unmount(opts?: { lazy?: boolean; force?: boolean }): Promise<void>;
  /** Counters for tests: requests served, nodes and open handles the kernel holds. */
  stats(): SessionInfo & { nodes: number; handles: number };
}

/** One line saying why FUSE cannot be used here, or null. */
export function checkFuseSupport(): string | null {
  if (process.platform !== "linux") return `FUSE needs Linux (this is ${process.platform})`;
  if (!existsSync("/dev/fuse")) return "/dev/fuse is missing (load the fuse module, or give the container --device /dev/fuse)";
  return null;
}

/** Runs a program to its end; resolves with its status and stderr. */
export function run(cmd: string, args: string[], extraFd?: number): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const stdio: ("ignore" | "pipe" | number)[] = ["ignore", "ignore", "pipe"];
    if (extraFd !== undefined) stdio.push(extraFd);
    const p = spawn(cmd, args, { stdio });
    let stderr = "";
    p.stderr!.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    p.on("error", (e) => resolve({ code: 127, stderr: `${cmd}: ${e.message}` }));
    p.on("close", (code, signal) => resolve({ code: code ?? 128, stderr: signal !== null ? `${cmd}: killed by ${signal}` : stderr }));
  });
}

/** How long an unmount waits for the kernel to end the session. */
const UNMOUNT_GRACE_MS = 2000;

/**
 * Takes away a dead mount left on `dir` by a machine process that ended
 * without unmounting (killed): its entry answers every access with ENOTCONN
 * ("Transport endpoint is not connected") until it is unmounted. Returns
 * whether there was one. Anything else at `dir` is left alone.
 */
export async function clearDeadMount(dir: string): Promise<boolean> {
  try {
    statSync(dir);
    return false;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "ENOTCONN" && code !== "ECONNABORTED") return false;
  }
  const r = await run("umount", ["-l", dir]);
  if (r.code !== 0) throw new Error(`umount ${dir}: ${r.stderr.trim().split("\n")[0] ?? `status ${r.code}`} (a mount left by an ended machine process)`);
  return true;
}

/**
 * Mounts the machine's trees on `dir` (an existing directory). Rejects with
 * one line if FUSE is unavailable or the mount fails.
 */
export async function mountFuse(vfs: Vfs, dir: string, opts: MountOptions = {}): Promise<FuseMount> {
  const missing = checkFuseSupport();
  if (missing !== null) throw new Error(missing);
  const view = new TreeView(vfs, opts.roots ?? ["sys", "proc"], BigInt(opts.bootEpochMs ?? BOOT_EPOCH_MS) * 1_000_000n);
  const files = new OpenFiles(view, opts.onWrite);
  let fd: number;
  try {
    fd = openSync("/dev/fuse", "r+");
  } catch (e) {
    throw new Error(`/dev/fuse: ${(e as Error).message}`);
  }
  const session = new FuseSession(fd, { view, files, caller: opts.onCaller });
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  const allowOther = opts.allowOther ?? uid === 0;
  const options = ["fd=3", "rootmode=40000", `user_id=${uid}`, `group_id=${gid}`, "default_permissions"];
  if (allowOther) options.push("allow_other");
  session.start();
  // -i: no /sbin/mount.fuse* helper; -n: no mtab/utab bookkeeping
  const r = await run("mount", ["-i", "-n", "-t", `fuse.${opts.subtype ?? "iaa-emu"}`, "-o", options.join(","), "iaa-emu", dir], fd);
  if (r.code !== 0) {
    session.abort("mount failed");
    await session.ended$;
    throw new Error(`mount ${dir}: ${r.stderr.trim().split("\n")[0] ?? `status ${r.code}`}`);
  }
  session.attached();
  return {
    dir,
    closed: session.ended$,
    async unmount(u = {}) {
      // -f: FUSE's umount_begin aborts the connection, so the read this session has pending ends
      // even while something still holds the mount (a shell's working directory, an open file)
      const args = [...(u.force === true ? ["-f"] : []), ...(u.lazy === true ? ["-l"] : []), dir];
      const res = await run("umount", args);
      if (res.code !== 0) throw new Error(`umount ${dir}: ${res.stderr.trim().split("\n")[0] ?? `status ${res.code}`}`);
      // a lazy unmount of a busy mount ends the session only once the last holder lets go
      if (u.lazy === true && u.force !== true) await within(session.ended$, UNMOUNT_GRACE_MS);
      else await session.ended$;
    },
    stats: () => ({ ...session.info, nodes: view.size, handles: files.size }),
  };
}
