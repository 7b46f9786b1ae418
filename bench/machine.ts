/**
 * Machine-process benchmark (issue 11): what a user waits for at the prompt,
 * measured side by side in one run on one machine directory.
 *
 * - `iaa sh -c 'cat /sys/bus/dsa/devices/iax1/state'` on a fresh machine, and
 *   on a second machine (its own directory and process) after zswap was set
 *   up with debug messages on and `./memory_madvise 50000` ran, the two
 *   interleaved run by run so that the host's load weighs on both alike
 *   (target: ratio ≤ 1.2: no command's cost depends on what came before);
 * - `iaa sh -c true` against `node -e 0` (target ≤ 2×: a client is little
 *   more than a Node start);
 * - restarting the machine process from that machine's snapshot (`iaa down`,
 *   then the first command);
 * - the machine process's RSS after `./memory_madvise 200000` against the
 *   emulated data it then holds (process pages, zswap pool, swap contents;
 *   target ≤ 1.5× data + 250 MiB).
 *
 * Wall times are medians of `--runs` (default 9) runs; the header gives the
 * host's load average before and after.
 *
 * Usage: npm run bench:machine [-- --runs N] [-- --quick]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { IAA_CLI, timedRun, ZSWAP_ON_DEFLATE_IAA } from "./_machine.js";

const argv = process.argv.slice(2);
const QUICK = argv.includes("--quick");
const runsAt = argv.indexOf("--runs");
const RUNS = runsAt >= 0 ? Number(argv[runsAt + 1]) : QUICK ? 3 : 9;
if (!Number.isInteger(RUNS) || RUNS < 1) {
  process.stderr.write("usage: bench:machine [--runs N] [--quick]\n");
  process.exit(2);
}
const PAGES_SMALL = QUICK ? 5000 : 50_000;
const PAGES_BIG = QUICK ? 20_000 : 200_000;

/** The fresh machine's directory, and the one that runs the workloads. */
const freshHome = mkdtempSync(join(tmpdir(), "iaa-bench-machine-fresh-"));
const home = mkdtempSync(join(tmpdir(), "iaa-bench-machine-"));

function run(args: string[], opts: { node?: boolean; home?: string } = {}): { ms: number; out: string } {
  return timedRun(args, { ...process.env, IAA_EMU_HOME: opts.home ?? home }, opts);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function timeMany(args: string[], opts: { node?: boolean; home?: string } = {}): number {
  return median(Array.from({ length: RUNS }, () => run(args, opts).ms));
}

/** The committed snapshot's size: machine.snap and the part files it names. */
function snapshotBytes(dir: string): number {
  return readdirSync(dir).filter((n) => n === "machine.snap" || n.startsWith("machine.part-")).reduce((sum, n) => sum + statSync(join(dir, n)).size, 0);
}

const CAT = ["sh", "-c", "cat /sys/bus/dsa/devices/iax1/state"];
const SETUP = [
  "modprobe iaa_crypto",
  "echo -n 'module iaa_crypto +p' > /sys/kernel/debug/dynamic_debug/control",
  "echo -n 'module idxd +p' > /sys/kernel/debug/dynamic_debug/control",
  ...ZSWAP_ON_DEFLATE_IAA,
].join("; ");

/** The machine process's RSS in bytes (from /proc). */
function machineRss(): number {
  const pid = Number(readFileSync(join(home, "machine.pid"), "utf8").split(" ")[0]);
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1] ?? 0) * 1024;
}

/** The emulated data the machine holds: zswap's pool, swap in use, and process pages in use (AnonPages). */
function emulatedData(): number {
  const out = run(["sh", "-c", "cat /sys/kernel/debug/zswap/pool_total_size 2>/dev/null || echo 0; grep -E '^(SwapTotal|SwapFree|AnonPages):' /proc/meminfo"]).out;
  const [pool, ...rest] = out.trim().split("\n");
  const kb = (name: string): number => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(rest.join("\n"))?.[1] ?? 0) * 1024;
  return Number(pool) + (kb("SwapTotal") - kb("SwapFree")) + kb("AnonPages");
}

const MiB = 2 ** 20;
const load0 = loadavg();
try {
  run(["boot"], { home: freshHome });
  run(CAT, { home: freshHome });
  run(["boot"]);
  run(CAT);
  const node0 = timeMany(["-e", "0"], { node: true });
  const shTrue = timeMany(["sh", "-c", "true"]);

  run(["sh", "-c", SETUP]);
  const t0 = Date.now();
  run(["sh", "-c", `cd /root; ./memory_madvise ${PAGES_SMALL} > /dev/null`]);
  const madviseMs = Date.now() - t0;
  run(CAT);
  const freshMs: number[] = [];
  const afterMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    freshMs.push(run(CAT, { home: freshHome }).ms);
    afterMs.push(run(CAT).ms);
  }
  const fresh = median(freshMs);
  const after = median(afterMs);
  const freshSnap = snapshotBytes(freshHome);
  const afterSnap = snapshotBytes(home);

  const restarts: number[] = [];
  for (let i = 0; i < Math.min(RUNS, 5); i++) {
    run(["down"]);
    restarts.push(run(["sh", "-c", "true"]).ms);
  }
  const restart = median(restarts);

  run(["sh", "-c", `cd /root; ./memory_madvise ${PAGES_BIG} > /dev/null`]);
  // the machine thread frees released page-frame chunks at its next collections (at once and 200 ms later)
  await new Promise((r) => setTimeout(r, 1000));
  const rss = machineRss();
  const data = emulatedData();

  const rows: Array<[string, string, string]> = [
    [`cat iax1/state, fresh machine (snapshot ${(freshSnap / 1024).toFixed(0)} KiB)`, `${fresh.toFixed(1)} ms`, ""],
    [`cat iax1/state, after memory_madvise ${PAGES_SMALL} with debug on (it took ${(madviseMs / 1000).toFixed(1)} s; snapshot ${(afterSnap / 1024).toFixed(0)} KiB)`, `${after.toFixed(1)} ms`, `${(after / fresh).toFixed(2)}× fresh (target ≤ 1.2)`],
    [`iaa sh -c true`, `${shTrue.toFixed(1)} ms`, `${(shTrue / node0).toFixed(2)}× node -e 0 (target ≤ 2)`],
    [`node -e 0`, `${node0.toFixed(1)} ms`, ""],
    [`restart from the snapshot (${(afterSnap / 1024).toFixed(0)} KiB) + iaa sh -c true`, `${restart.toFixed(1)} ms`, `${(restart / shTrue).toFixed(2)}× a running machine's`],
    [`RSS 1 s after memory_madvise ${PAGES_BIG}`, `${(rss / MiB).toFixed(1)} MiB`, `data held ${(data / MiB).toFixed(1)} MiB; limit 1.5× + 250 = ${((1.5 * data) / MiB + 250).toFixed(1)} MiB: ${rss <= 1.5 * data + 250 * MiB ? "within" : "over"}`],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const la = (l: number[]): string => l.map((x) => x.toFixed(2)).join(" ");
  process.stdout.write(`machine process, ${RUNS} runs each (medians), ${new Date().toISOString().slice(0, 10)}, load average ${la(load0)} → ${la(loadavg())}\n`);
  for (const [a, b, c] of rows) process.stdout.write(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}\n`);
} finally {
  for (const dir of [freshHome, home]) {
    spawnSync(process.execPath, [IAA_CLI, "down"], { env: { ...process.env, IAA_EMU_HOME: dir } });
    rmSync(dir, { recursive: true, force: true });
  }
}
