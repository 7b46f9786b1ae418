/**
 * What the machine process serves besides commands, on the machine thread's
 * event loop (so between commands): FUSE mounts of the machine's /sys and
 * /proc (`iaa mount`, and the one `iaa exec` uses) and the live dashboard.
 *
 * A write through a mount changes the machine like a command does, so it is
 * committed too (a burst of writes, one commit). When the machine is replaced
 * (boot, reboot, a failed commit's rollback) every mount is made again on the
 * new machine.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { startDashboard, type Dashboard } from "./dashboard/server.js";
import { clearDeadMount, mountFuse, type FuseMount } from "./fuse/mount.js";
import { log } from "./log.js";
import type { MachineHost } from "./machine_host.js";
import { machinePaths } from "./state_dir.js";

export class Services {
  private readonly mounts = new Map<string, FuseMount>();
  private dashboard: Dashboard | null = null;
  private commitQueued = false;

  constructor(private readonly host: MachineHost) {
    host.onReplace.push(() => void this.remountAll());
  }

  /** The directory `iaa exec` uses: `$IAA_EMU_HOME/mnt`, mounted on first use. */
  async execMount(): Promise<string> {
    const dir = machinePaths(this.host.dir).mnt;
    if (!this.mounts.has(dir)) {
      if (await clearDeadMount(dir)) log(`iaa: took away the dead mount an ended machine process left on ${dir}`);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      await this.mount(dir);
    }
    return dir;
  }

  /** Mounts the machine on `dir` (an existing directory); throws one line. */
  async mount(dir: string): Promise<void> {
    if (this.mounts.has(dir)) throw new Error(`${dir}: the machine is already mounted there`);
    const machine = this.host.world().stack.machine;
    const m = await mountFuse(machine.vfs, dir, { onWrite: () => this.written(), onCaller: (pid) => (machine.ctx.current = { pid, comm: hostComm(pid) }) });
    this.mounts.set(dir, m);
    void m.closed.then((why) => {
      if (this.mounts.get(dir) === m) {
        this.mounts.delete(dir);
        log(`iaa: mount ${dir} ended: ${why}`);
      }
    });
  }

  /** `force`: also abort the connection (the process is ending: nothing may keep the session's read pending). */
  async umount(dir: string, force = false): Promise<void> {
    const m = this.mounts.get(dir);
    if (m === undefined) throw new Error(`${dir}: the machine is not mounted there`);
    this.mounts.delete(dir);
    await m.unmount({ lazy: true, force });
  }

  /** The mounted directories. */
  mounted(): string[] {
    return [...this.mounts.keys()];
  }

  private written(): void {
    if (this.commitQueued) return;
    this.commitQueued = true;
    setImmediate(() => {
      this.commitQueued = false;
      try {
        this.host.commit();
      } catch (e) {
        log(`iaa: a write through a mount could not be committed: ${(e as Error).message}`);
      }
    });
  }

  private async remountAll(): Promise<void> {
    for (const dir of [...this.mounts.keys()]) {
      try {
        await this.umount(dir);
        if (this.host.booted) await this.mount(dir);
      } catch (e) {
        log(`iaa: cannot mount the new machine on ${dir}: ${(e as Error).message}`);
      }
    }
  }

  /** Starts the dashboard (or returns the running one's address). */
  async startDashboard(port: number): Promise<string> {
    if (this.dashboard === null) this.dashboard = await startDashboard(() => this.host.world(), { port });
    return this.dashboard.url;
  }

  /** After each command: the dashboard records its counters. */
  afterCommand(): void {
    if (this.dashboard !== null && this.host.booted) this.dashboard.sample();
  }

  /** `iaa down` or SIGTERM: every mount undone (and its connection aborted), the dashboard closed. */
  async shutdown(): Promise<void> {
    for (const dir of [...this.mounts.keys()]) {
      try {
        await this.umount(dir, true);
      } catch (e) {
        log(`iaa: ${(e as Error).message}`);
      }
    }
    await this.dashboard?.close();
    this.dashboard = null;
  }
}

/** A host process's `comm` (what the kernel would print for the task writing through the mount). */
function hostComm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trimEnd();
  } catch {
    return "?";
  }
}
