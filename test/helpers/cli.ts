/**
 * Spawning the package's bins in tests: the compiled JS when the tests run
 * from dist/ (as `npm test` does), the TypeScript sources through tsx otherwise.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { repoRoot } from "./repo_root.js";

const fromDist = fileURLToPath(import.meta.url).includes(`${join("dist", "test")}`);

/** argv (after node) that runs src/cli/<name>. */
export function binArgs(name: "iaa" | "accel_config_bin"): string[] {
  const root = repoRoot();
  return fromDist ? [join(root, "dist", "src", "cli", `${name}.js`)] : ["--import", "tsx", join(root, "src", "cli", `${name}.ts`)];
}

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a bin synchronously with `env` added to the environment. */
export function runBin(name: "iaa" | "accel_config_bin", args: string[], env: Record<string, string>, input?: string): Ran {
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [...binArgs(name), ...args], {
    cwd: repoRoot(),
    env: { ...process.env, ...env },
    input,
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a bin asynchronously (for concurrency tests). */
export function runBinAsync(name: "iaa" | "accel_config_bin", args: string[], env: Record<string, string>): Promise<Ran> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [...binArgs(name), ...args], { cwd: repoRoot(), env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    p.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** A fresh machine directory; `done()` stops its machine process and removes it. */
export function machineHome(prefix = "iaa-home-"): { env: Record<string, string>; dir: string; done(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const env = { IAA_EMU_HOME: dir };
  return {
    env,
    dir,
    done: () => {
      runBin("iaa", ["down"], env);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
