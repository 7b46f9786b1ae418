/** What the benchmarks that drive a machine process share: the iaa CLI, timed, and the zswap set-up lines. */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The built iaa CLI. */
export const IAA_CLI = fileURLToPath(new URL("../src/cli/iaa.js", import.meta.url));

/** Runs `node argv` (the iaa CLI unless `node` is set) in `env`: its wall time and stdout; throws on a non-zero status. */
export function timedRun(argv: string[], env: NodeJS.ProcessEnv, opts: { node?: boolean; label?: string } = {}): { ms: number; out: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, opts.node === true ? argv : [IAA_CLI, ...argv], { env, encoding: "utf8", maxBuffer: 256 << 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${opts.node === true ? "" : "iaa "}${argv.join(" ")}${opts.label ?? ""}: status ${r.status}: ${r.stderr}`);
  return { ms, out: r.stdout };
}

/** The shell lines the machine benchmarks put zswap on deflate-iaa with (the documentation's zswap test's settings). */
export const ZSWAP_ON_DEFLATE_IAA = [
  "echo 0 > /sys/module/zswap/parameters/enabled",
  "echo 50 > /sys/module/zswap/parameters/max_pool_percent",
  "echo deflate-iaa > /sys/module/zswap/parameters/compressor",
  "echo 1 > /sys/module/zswap/parameters/enabled",
  "echo 100 > /proc/sys/vm/swappiness",
];
