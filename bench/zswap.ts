/**
 * zswap benchmark: the emulator's own wall-clock speed on the `iaa bench
 * zswap` workload (deflate-iaa, sync, verify on, the default content mix),
 * side by side in one run with the bare codec doing the same codec work:
 *
 * - bare codec, 1 thread: the engine's calls for every page (compress;
 *   verify and page-in decompress for each page that fits), straight on the
 *   codec (bench/_bare_codec.ts);
 * - bare codec, 2 threads: the same pages split over two threads, i.e. what
 *   this machine gives for perfectly parallel codec work (the ceiling for
 *   any threaded run);
 * - the whole stack (mm, zswap, crypto API, iaa_crypto, idxd, descriptors,
 *   engine), `--threads 1` and `--threads 2`;
 * - work through the machine process: `iaa sh -c './memory_madvise N'` on
 *   two booted machines with zswap on deflate-iaa, one machine process
 *   started with IAA_EMU_THREADS=1 and one with 2 (its MADV_PAGEOUT batch
 *   precomputed by a worker; src/system/pageout_prefetch.ts), each time less
 *   an `iaa sh -c true` on the same machine (the client's own start).
 *
 * Each is measured `rounds` times, interleaved; the table shows medians, and
 * each ratio is the median of its per-round values. Per
 * page = one page stored and loaded back. The stack's engine counters are
 * checked against the bare codec's operation counts, so both do the same
 * codec work.
 *
 * Usage: npm run bench:zswap [-- --quick] [-- --json]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import { DEFAULT_BENCH_CONFIG } from "../src/system/bench/bench_machine.js";
import { fillPage } from "../src/system/bench/content.js";
import { startWorker } from "../src/system/bench/start_worker.js";
import { runZswap } from "../src/system/bench/zswap_workload.js";
import { PAGE, runBare, type BareOps } from "./_bare_codec.js";
import { IAA_CLI, timedRun, ZSWAP_ON_DEFLATE_IAA } from "./_machine.js";

const args = new Set(process.argv.slice(2));
for (const a of args) {
  if (a !== "--quick" && a !== "--json") {
    process.stderr.write(`usage: bench:zswap [--quick] [--json]\nunknown option ${a}\n`);
    process.exit(2);
  }
}
const QUICK = args.has("--quick");
const JSON_OUT = args.has("--json");
const P = QUICK ? 4 : 8;
const M = QUICK ? 1024 : 4096;
const ROUNDS = QUICK ? 1 : 5;
const SEED = 1;
const N = P * M;
/** Pages of the machine-process row's memory_madvise. */
const MADVISE_PAGES = QUICK ? 10_000 : 50_000;

// The workload's pages, in its own order (process p's page i is index p * M + i).
const pages = new Uint8Array(new SharedArrayBuffer(N * PAGE));
for (let k = 0; k < N; k++) fillPage(pages.subarray(k * PAGE, (k + 1) * PAGE), "mix", SEED, k);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function bare1(): { ms: number; ops: BareOps } {
  const t = performance.now();
  const ops = runBare(pages, 0, N);
  return { ms: performance.now() - t, ops };
}

/** Two threads, half the pages each, started together once both are warm; the time is the slower one's. */
async function bare2(): Promise<number> {
  const half = N >> 1;
  const spawn = (from: number, to: number): Worker => startWorker(import.meta.url, "./_bare_worker", { pages: pages.buffer, from, to, warm: 1000 });
  const ws = [spawn(0, half), spawn(half, N)];
  await Promise.all(ws.map((w) => new Promise((r) => w.once("message", r))));
  const done = ws.map((w) => new Promise<{ ms: number }>((r) => w.once("message", r)));
  for (const w of ws) w.postMessage("go");
  const ms = Math.max(...(await Promise.all(done)).map((d) => d.ms));
  await Promise.all(ws.map((w) => w.terminate()));
  return ms;
}

function stack(threads: number): { ms: number; cpuMs: number; ops: { compress: number; decompress: number }; mismatches: number } {
  const r = runZswap({ config: DEFAULT_BENCH_CONFIG, processes: P, pages: M, content: "mix", seed: SEED, threads });
  return { ms: r.wall.phaseMs, cpuMs: r.wall.phaseCpuMs, ops: r.engineOps, mismatches: r.mismatches };
}

// The machine-process row: two machine directories, IAA_EMU_THREADS 1 and 2.
const ZSWAP_SETUP = ["modprobe iaa_crypto", ...ZSWAP_ON_DEFLATE_IAA].join("; ");
const machines = [1, 2].map((threads) => ({ threads, env: { ...process.env, IAA_EMU_HOME: mkdtempSync(join(tmpdir(), `iaa-bench-zswap-t${threads}-`)), IAA_EMU_THREADS: String(threads) } }));
function iaa(m: (typeof machines)[number], args: string[]): number {
  return timedRun(args, m.env, { label: ` (IAA_EMU_THREADS=${m.threads})` }).ms;
}
const MADVISE = ["sh", "-c", `cd /root; ./memory_madvise ${MADVISE_PAGES} > /dev/null`];
/** One memory_madvise run on machine `m`, less the client's own start (an `iaa sh -c true` right before). */
function viaMachine(m: (typeof machines)[number]): number {
  const base = iaa(m, ["sh", "-c", "true"]);
  return iaa(m, MADVISE) - base;
}
process.on("exit", () => {
  for (const m of machines) {
    spawnSync(process.execPath, [IAA_CLI, "down"], { env: m.env });
    rmSync(m.env.IAA_EMU_HOME, { recursive: true, force: true });
  }
});
for (const m of machines) {
  iaa(m, ["boot", "--preset", "spr-1s"]);
  iaa(m, ["sh", "-c", ZSWAP_SETUP]);
  viaMachine(m); // warm-up: JIT in the machine thread (and the worker)
}

// warm-up: JIT the codec and the stack
runBare(pages, 0, Math.min(N, 2000));
runZswap({ config: DEFAULT_BENCH_CONFIG, processes: 1, pages: 512, content: "mix", seed: SEED + 1 });

const t = { bare1: [] as number[], bare2: [] as number[], stack1: [] as number[], stack2: [] as number[], machine1: [] as number[], machine2: [] as number[], cpu1: [] as number[], cpu2: [] as number[] };
let bareOps: BareOps | null = null;
let stackOps: { compress: number; decompress: number } | null = null;
let wrong = 0;
for (let r = 0; r < ROUNDS; r++) {
  const b = bare1();
  t.bare1.push(b.ms);
  bareOps = b.ops;
  wrong += b.ops.wrong;
  t.bare2.push(await bare2());
  for (const threads of r % 2 === 0 ? [1, 2] : [2, 1]) {
    const s = stack(threads);
    (threads === 1 ? t.stack1 : t.stack2).push(s.ms);
    (threads === 1 ? t.cpu1 : t.cpu2).push(s.cpuMs);
    stackOps = s.ops;
    wrong += s.mismatches;
  }
  for (const m of r % 2 === 0 ? machines : [...machines].reverse()) (m.threads === 1 ? t.machine1 : t.machine2).push(viaMachine(m));
}

const ms = { bare1: median(t.bare1), bare2: median(t.bare2), stack1: median(t.stack1), stack2: median(t.stack2), machine1: median(t.machine1), machine2: median(t.machine2) };
const perPageUs = (x: number): number => (x * 1000) / N;
// Ratios per round (its four runs are close in time, so a slow spell of the host cancels out), then their median.
const perRound = (f: (r: number) => number): number => median(t.bare1.map((_, r) => f(r)));
const ratios = {
  stackOverBare: perRound((r) => t.stack1[r]! / t.bare1[r]!),
  threadsSpeedup: perRound((r) => t.stack1[r]! / t.stack2[r]!),
  machineSpeedup: perRound((r) => t.machine1[r]! / t.machine2[r]!),
  bareCeiling: perRound((r) => t.bare1[r]! / t.bare2[r]!),
};
const sameWork = bareOps !== null && stackOps !== null && bareOps.compress === stackOps.compress && bareOps.decompress === stackOps.decompress;

if (JSON_OUT) {
  process.stdout.write(JSON.stringify({ processes: P, pagesPerProcess: M, rounds: ROUNDS, ms, runs: t, perPageUs: Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, k.startsWith("machine") ? (v * 1000) / MADVISE_PAGES : perPageUs(v)])), madvisePages: MADVISE_PAGES, ratios, bareOps, stackOps, sameWork, wrong }, null, 2) + "\n");
} else {
  const rows: [string, number][] = [
    ["bare codec, 1 thread", ms.bare1],
    ["bare codec, 2 threads", ms.bare2],
    ["stack, --threads 1", ms.stack1],
    ["stack, --threads 2", ms.stack2],
  ];
  process.stdout.write(`zswap workload: ${P} processes x ${M} pages, deflate-iaa sync verify=1, content mix; median of ${ROUNDS}\n\n`);
  process.stdout.write(`${"run".padEnd(24)}${"ms".padStart(9)}${"us/page".padStart(10)}${"pages/s".padStart(11)}${"x bare 1T".padStart(11)}\n`);
  for (const [name, v] of rows) {
    process.stdout.write(`${name.padEnd(24)}${v.toFixed(0).padStart(9)}${perPageUs(v).toFixed(2).padStart(10)}${Math.round((N * 1000) / v).toLocaleString("en-US").padStart(11)}${(v / ms.bare1).toFixed(2).padStart(11)}\n`);
  }
  // the main thread's own CPU time is what a loaded host inflates least (other processes' time is not in it)
  const cpu = (xs: number[]): string => perPageUs(median(xs)).toFixed(2);
  process.stdout.write(`main thread's CPU time per page in the phases: --threads 1 ${cpu(t.cpu1)} us, --threads 2 ${cpu(t.cpu2)} us\n`);
  process.stdout.write(`\nthrough the machine process: iaa sh -c './memory_madvise ${MADVISE_PAGES}' ('*' pages), less an iaa sh -c true\n`);
  for (const [name, v] of [["IAA_EMU_THREADS=1", ms.machine1], ["IAA_EMU_THREADS=2", ms.machine2]] as const) {
    process.stdout.write(`${name.padEnd(24)}${v.toFixed(0).padStart(9)}${((v * 1000) / MADVISE_PAGES).toFixed(2).padStart(10)}${Math.round((MADVISE_PAGES * 1000) / v).toLocaleString("en-US").padStart(11)}\n`);
  }
  process.stdout.write(`\nratios (median over rounds of each round's ratio)\n`);
  process.stdout.write(`stack / bare codec per page (1 thread):  ${ratios.stackOverBare.toFixed(2)}x  (target <= 1.25x)\n`);
  process.stdout.write(`stack --threads 2 / --threads 1 speed:   ${ratios.threadsSpeedup.toFixed(2)}x  (target >= 1.8x)\n`);
  process.stdout.write(`iaa sh memory_madvise, 2 / 1 threads:    ${ratios.machineSpeedup.toFixed(2)}x  (IAA_EMU_THREADS; ${MADVISE_PAGES} '*' pages: ${ms.machine1.toFixed(0)} vs ${ms.machine2.toFixed(0)} ms)\n`);
  process.stdout.write(`bare codec 2 threads / 1 thread speed:   ${ratios.bareCeiling.toFixed(2)}x  (this machine's ceiling for parallel codec work)\n`);
  process.stdout.write(
    `codec work: stack ${stackOps?.compress} compress + ${stackOps?.decompress} decompress jobs, bare ${bareOps?.compress} + ${bareOps?.decompress}${sameWork ? " (same)" : " (DIFFERENT)"}; wrong pages: ${wrong}\n`,
  );
}
if (!sameWork || wrong !== 0) process.exitCode = 1;
