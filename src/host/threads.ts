/**
 * How many threads the machine process computes the IAA engines' results
 * with: `$IAA_EMU_THREADS` when set (1 = everything on the machine thread),
 * else the host's available parallelism, at most 4 (one machine thread
 * consumes results; more workers than that wait). Threads change only how
 * fast a command finishes, never its output.
 */
import { availableParallelism } from "node:os";

export const MAX_THREADS = 64;
const DEFAULT_MAX = 4;

/** The thread count `env` asks for, or a one-line error. */
export function machineThreads(env: NodeJS.ProcessEnv = process.env): number | string {
  const v = env["IAA_EMU_THREADS"];
  if (v === undefined || v === "") return Math.max(1, Math.min(DEFAULT_MAX, availableParallelism()));
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > MAX_THREADS) return `iaa: IAA_EMU_THREADS must be a number from 1 to ${MAX_THREADS}, got '${v}'`;
  return Number(v);
}
