/**
 * The persistent machine: boot settings plus the journal of everything run on
 * it. Because the machine is deterministic, booting from the settings and
 * replaying the journal (with output discarded) reproduces its state exactly;
 * a command then runs with real output and is appended to the journal, which
 * is committed atomically under the state directory's lock (state_dir.ts).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Shell } from "../shell/shell.js";
import type { InputSource, OutputSink } from "../shell/types.js";
import type { MachineConfigInput } from "../system/machine_config.js";
import { StateDir, StateError, stateDirPath } from "./state_dir.js";
import { bootWorld, type World } from "./world.js";

/** One thing run on the machine. Entries of one interactive session share a shell. */
export type JournalEntry =
  | { kind: "c"; text: string; args: string[] }
  | { kind: "script"; path: string; text: string; args: string[] }
  | { kind: "line"; session: string; text: string }
  | { kind: "exec"; argv: string[]; files: Record<string, string> };

export interface PersistedMachine {
  /** iaa-emu version that wrote the journal. */
  version: string;
  boot: MachineConfigInput;
  journal: JournalEntry[];
}

/** The package version (a journal written by another version may replay differently). */
export function emuVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL("../../../package.json", import.meta.url)), "utf8")) as { version: string };
    return pkg.version;
  } catch {
    return "0.0.0";
  }
}

/** Virtual time between two commands run on the persistent machine. */
const THINK_NS = 2_000_000_000;

const nullSink: OutputSink = { write() {} };
const noInput: InputSource = { readAll: () => new Uint8Array(0), readLine: () => null };

export interface Streams {
  stdout: OutputSink;
  stderr: OutputSink;
  stdin?: InputSource;
}

/** A live machine with the shells of its interactive sessions. */
export class LiveMachine {
  private sessions = new Map<string, Shell>();
  /** Where session shells write: the streams of the entry being applied (sessions outlive one entry). */
  private current: Streams = { stdout: nullSink, stderr: nullSink };
  private readonly sessionIo: Streams = {
    stdout: { write: (d) => this.current.stdout.write(d) },
    stderr: { write: (d) => this.current.stderr.write(d) },
  };
  private constructor(
    readonly world: World,
    readonly state: PersistedMachine,
  ) {}

  /** Boots from `state.boot` and replays its journal silently. */
  static restore(state: PersistedMachine): LiveMachine {
    const live = new LiveMachine(bootWorld(state.boot), state);
    for (const e of state.journal) live.apply(e, { stdout: nullSink, stderr: nullSink });
    return live;
  }

  /** Runs an entry (without recording it); returns its exit status. */
  apply(e: JournalEntry, io: Streams): number {
    // a person takes a moment between commands
    this.world.stack.machine.ctx.clock.advance(THINK_NS);
    switch (e.kind) {
      case "c":
        return this.shellFor(io).runString(e.text, e.args);
      case "script":
        return this.shellFor(io).runScript(e.text, e.path, e.args);
      case "line": {
        const before = this.current;
        this.current = io;
        try {
          return this.sessionShell(e.session).runLine(e.text);
        } finally {
          this.current = before;
        }
      }
      case "exec": {
        const vfs = this.world.stack.machine.vfs;
        for (const [path, text] of Object.entries(e.files)) {
          vfs.mkdir(path.slice(0, path.lastIndexOf("/")) || "/", { parents: true });
          vfs.writeFile(path, text);
        }
        const sh = this.shellFor(io);
        return sh.runString('"$@"', ["exec", ...e.argv]);
      }
    }
  }

  /** A fresh shell (one per non-interactive entry) on the given streams. */
  private shellFor(io: Streams): Shell {
    return this.world.shell({ ...io, stdin: io.stdin ?? noInput });
  }

  /** The shell of an interactive session (it writes to the streams of the entry being applied). */
  sessionShell(id: string): Shell {
    let sh = this.sessions.get(id);
    if (sh === undefined) {
      sh = this.world.shell({ ...this.sessionIo, stdin: noInput });
      this.sessions.set(id, sh);
    }
    return sh;
  }
}

/**
 * Runs `fn` on the persistent machine under the directory lock: restore,
 * run, commit. `fn` returns the entry to append (or null for read-only use)
 * and the exit status.
 */
export function withMachine<T>(fn: (live: LiveMachine) => { entry: JournalEntry | null; result: T }, env: NodeJS.ProcessEnv = process.env): T {
  const dir = StateDir.open(stateDirPath(env));
  try {
    const state = dir.read() as PersistedMachine;
    if (typeof state !== "object" || state === null || !Array.isArray(state.journal)) {
      throw new StateError(`iaa: the machine state in ${dir.path} is damaged (bad journal); run \`iaa boot\` to start over`);
    }
    const live = LiveMachine.restore(state);
    const { entry, result } = fn(live);
    if (entry !== null) {
      state.journal.push(entry);
      dir.commit(state);
    }
    return result;
  } finally {
    dir.release();
  }
}

/** Writes a freshly booted machine's state (replacing any other). */
export function bootPersistent(boot: MachineConfigInput, env: NodeJS.ProcessEnv = process.env): World {
  const dir = StateDir.open(stateDirPath(env));
  try {
    const world = bootWorld(boot);
    dir.commit({ version: emuVersion(), boot, journal: [] } satisfies PersistedMachine);
    return world;
  } finally {
    dir.release();
  }
}

/** Reads the persisted boot settings (for `iaa reboot`). */
export function persistedBoot(env: NodeJS.ProcessEnv = process.env): MachineConfigInput {
  const dir = StateDir.open(stateDirPath(env));
  try {
    return (dir.read() as PersistedMachine).boot;
  } finally {
    dir.release();
  }
}
