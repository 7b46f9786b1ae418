/**
 * The machine held by the machine process: the booted World, its interactive
 * sessions, and its durable state in the machine directory.
 *
 * After every command that may change the machine, {@link commit} writes a
 * snapshot of the whole machine (snapshot.ts) atomically, rewriting its large
 * parts only when they changed (snapshot_store.ts). If
 * the commit fails, the command fails and the machine goes back to the last
 * committed snapshot, so what the process holds never runs ahead of what a
 * restart would find.
 */
import { NSEC_PER_SEC } from "../lib/clock.js";
import type { Shell } from "../shell/shell.js";
import { readChunk, type InputSource, type OutputSink } from "../shell/types.js";
import { hostHasCommand } from "./host_path.js";
import type { MachineConfigInput } from "../system/machine_config.js";
import { restoreNotice, restoreWorldParts, saveWorldParts, SnapshotError } from "./snapshot.js";
import { SnapshotStore } from "./snapshot_store.js";
import { machinePaths, StateError } from "./state_dir.js";
import { bootWorld, type World } from "./world.js";

/** Virtual time between two commands (a person takes a moment between commands). */
export const THINK_NS = 2 * NSEC_PER_SEC;

const nullSink: OutputSink = { write() {} };
const noInput: InputSource = { readAll: () => new Uint8Array(0), readLine: () => null };

/** An interactive session: one shell whose streams follow the line being run. */
export interface Session {
  shell: Shell;
  streams: { stdout: OutputSink; stderr: OutputSink; stdin: InputSource; interrupted: () => boolean };
}

export class MachineHost {
  private current: World | null = null;
  /** Why there is no machine (no snapshot yet, or a damaged one). */
  private missing: string;
  private notice: string | null = null;
  private readonly sessions = new Map<number, Session>();
  private readonly store: SnapshotStore;
  /** Called whenever the World is replaced (boot, reboot, rollback). */
  onReplace: Array<(w: World) => void> = [];

  constructor(readonly dir: string) {
    this.missing = `iaa: no machine in ${dir}; run \`iaa boot\` first`;
    this.store = new SnapshotStore(dir);
    this.load();
  }

  /** The machine, or a StateError saying why there is none. */
  world(): World {
    if (this.current === null) throw new StateError(this.missing);
    return this.current;
  }

  /** Why there is no machine. */
  /** A line about the last restore for the next command's stderr, once (see restoreNotice()). */
  takeNotice(): string | null {
    const n = this.notice;
    this.notice = null;
    return n;
  }

  missingReason(): string {
    return this.missing;
  }

  get booted(): boolean {
    return this.current !== null;
  }

  /** (Re)loads the machine from the committed snapshot. */
  private load(): void {
    let snap;
    try {
      snap = this.store.read();
    } catch (e) {
      this.missing = (e as Error).message;
      this.replace(null);
      return;
    }
    if (snap === null) {
      this.replace(null);
      return;
    }
    try {
      const w = restoreWorldParts(snap.body, snap.parts);
      this.notice = restoreNotice(w);
      this.replace(w);
    } catch (e) {
      if (!(e instanceof SnapshotError)) throw e;
      this.missing = `iaa: cannot restore the machine from ${machinePaths(this.dir).snap}: ${e.message.replace(/^iaa: /, "")}`;
      this.replace(null);
    }
  }

  private replace(w: World | null): void {
    this.current = w;
    this.sessions.clear();
    if (w !== null) for (const f of this.onReplace) f(w);
  }

  /** Boots a fresh machine and commits it; returns whether one was replaced. */
  boot(cfg: string | MachineConfigInput): { world: World; replaced: boolean } {
    const replaced = this.current !== null;
    const w = bootWorld(cfg);
    this.store.commit(saveWorldParts(w));
    this.replace(w);
    return { world: w, replaced };
  }

  /** Lets the think time between commands pass. */
  beginCommand(): World {
    const w = this.world();
    w.stack.machine.ctx.clock.advance(THINK_NS);
    return w;
  }

  /**
   * Commits the machine's state. On failure the machine is put back to the
   * last committed snapshot and the StateError is rethrown.
   */
  commit(): void {
    if (this.current === null) return;
    try {
      this.store.commit(saveWorldParts(this.current));
    } catch (e) {
      this.load();
      if (e instanceof StateError) throw e;
      throw new StateError(`iaa: cannot snapshot the machine: ${e instanceof Error ? e.message : String(e)}; the machine is back at its last saved state`);
    }
  }

  /** The session of connection `id` (created on first use, and again after the machine was replaced). */
  session(id: number): Session {
    let s = this.sessions.get(id);
    if (s === undefined) {
      const streams = { stdout: nullSink, stderr: nullSink, stdin: noInput, interrupted: () => false };
      const shell = this.world().shell({
        stdout: { write: (d) => streams.stdout.write(d), get isTty() { return streams.stdout.isTty; } },
        stderr: { write: (d) => streams.stderr.write(d), get isTty() { return streams.stderr.isTty; } },
        stdin: { readAll: () => streams.stdin.readAll(), readLine: () => streams.stdin.readLine(), read: (max) => readChunk(streams.stdin, max), get isTty() { return streams.stdin.isTty; } },
        interrupted: () => streams.interrupted(),
        hostHasCommand,
      });
      s = { shell, streams };
      this.sessions.set(id, s);
    }
    return s;
  }

  endSession(id: number): void {
    this.sessions.delete(id);
  }
}
