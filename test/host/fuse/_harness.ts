/**
 * A booted World with its trees mounted through FUSE on a scratch directory,
 * host programs run against it (directly on the mount, or in the `iaa exec`
 * namespace), and the same scripts run through the machine's own shell.
 *
 * Host programs are always spawned asynchronously: this process serves the
 * mount, so a synchronous spawn of a program that reads it would deadlock.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import assert from "node:assert/strict";
import { bootWorld, type World } from "../../../src/host/world.js";
import type { MachineConfigInput } from "../../../src/system/machine_config.js";
import { mountFuse, type FuseMount } from "../../../src/host/fuse/mount.js";
import { checkExecSupport, spawnInNamespace } from "../../../src/host/fuse/exec.js";
import { machineShell } from "../../helpers/machine_shell.js";

export { machineShell };

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Why these tests cannot run here, or null. */
export function missingPrereq(extra: string[] = []): string | null {
  if (process.getuid?.() !== 0) return "needs root (FUSE mount and mount namespaces)";
  const e = checkExecSupport();
  if (e !== null) return e;
  for (const bin of extra) {
    const found = (process.env.PATH ?? "").split(":").some((d) => d !== "" && existsSync(join(d, bin)));
    if (!found) return `needs ${bin} on PATH`;
  }
  return null;
}

/** Skips with the reason outside CI; fails in CI (CI=true), where every prerequisite must be there. */
export function gate(t: TestContext, extra: string[] = []): boolean {
  const why = missingPrereq(extra);
  if (why === null) return true;
  if (process.env.CI === "true") assert.fail(`CI=true but ${why}`);
  t.skip(why);
  return false;
}

export function collect(p: ReturnType<typeof spawn>, stdin?: string): Promise<Ran> {
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    p.stdout?.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    p.stderr?.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    // a program that exits without reading its input makes the write fail with EPIPE: not an error here
    p.stdin?.on("error", () => {});
    if (stdin !== undefined) p.stdin?.end(stdin);
    p.on("close", (code, sig) => resolve({ code: code ?? 128 + (sig === null ? 0 : 1), stdout, stderr }));
  });
}

/** A host program with the mount reachable at its real path. */
export function host(argv: string[], opts: { stdin?: string; cwd?: string } = {}): Promise<Ran> {
  const p = spawn(argv[0]!, argv.slice(1), { stdio: ["pipe", "pipe", "pipe"], cwd: opts.cwd });
  return collect(p, opts.stdin ?? "");
}

export class Rig {
  private constructor(
    readonly world: World,
    readonly dir: string,
    readonly mount: FuseMount,
    /** Where namespace programs start: an empty scratch directory (it gets ./memory_madvise). */
    readonly cwd: string,
  ) {}

  static async start(preset: string | MachineConfigInput = "tiny"): Promise<Rig> {
    const world = bootWorld(preset);
    const dir = mkdtempSync(join(tmpdir(), "iaa-fuse-test-"));
    const mount = await mountFuse(world.stack.machine.vfs, dir);
    return new Rig(world, dir, mount, mkdtempSync(join(tmpdir(), "iaa-fuse-cwd-")));
  }

  /** A host program in the `iaa exec` namespace (/sys and /proc are the machine's); shims echo their command line. */
  exec(argv: string[], opts: { stdin?: string; cwd?: string } = {}): Promise<Ran> {
    const { child } = spawnInNamespace(this.dir, argv, { stdio: ["pipe", "pipe", "pipe"], shimCommand: ["echo", "machine-program"], cwd: opts.cwd ?? this.cwd });
    return collect(child, opts.stdin ?? "");
  }

  /** The host's bash running `script` in the namespace. */
  bash(script: string): Promise<Ran> {
    return this.exec(["bash", "-c", script]);
  }

  /** The machine's own shell running `script` (bash -c's `line N:` prefixes included). */
  machine(script: string): Ran {
    return machineShell(this.world, script);
  }

  read(path: string): string {
    return this.world.stack.machine.vfs.readText(path);
  }

  async stop(): Promise<void> {
    await this.mount.unmount();
    rmdirSync(this.dir);
    rmSync(this.cwd, { recursive: true, force: true });
  }
}
