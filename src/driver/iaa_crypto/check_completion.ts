/**
 * check_completion(): the one place where an IAA completion record becomes
 * an errno, with its statistics and messages, and the busy-poll that gives
 * up after IAA_COMPLETION_TIMEOUT iterations and disables iaa_crypto.
 *
 * linux: drivers/crypto/intel/iaa/iaa_crypto_main.c check_completion().
 * Polling runs in virtual time: each iteration costs `pollNs`, so the
 * 1,000,000-iteration limit is a virtual deadline; waiting lets the machine's
 * events (the engine finishing the job) run until the status byte is set.
 */
import { Errno } from "../../lib/errno.js";
import type { VirtualClock } from "../../lib/clock.js";
import { TIMING } from "../../lib/timing.js";
import type { IaaLog } from "./_log.js";
import {
  COMP,
  IAA_ANALYTICS_ERROR,
  IAA_COMPLETION_TIMEOUT,
  IAA_ERROR_COMP_BUF_OVERFLOW,
  IAA_ERROR_DECOMP_BUF_OVERFLOW,
  IAA_ERROR_WATCHDOG_EXPIRED,
  IAX_COMP_SUCCESS,
} from "./iaa_crypto.js";
import type { IaaStats } from "./stats.js";

/** Virtual cost of one cpu_relax() poll iteration, in ns (the timing model's figure). */
export const IAA_POLL_NS = TIMING.pollNs;

/** What check_completion() needs from the driver. */
export interface CheckCompletionEnv {
  clock: VirtualClock;
  stats: IaaStats;
  log: IaaLog;
  /** The dev_*() prefix of the device, e.g. "idxd 0000:e7:02.0". */
  dev: string;
  /** iaa_crypto_enabled = false */
  disable(): void;
  /** Cost of one poll iteration in ns (default IAA_POLL_NS). */
  pollNs?: number;
}

/** Little-endian u32 of a completion record field. */
export function compU32(comp: Uint8Array, off: number): number {
  return (comp[off]! | (comp[off + 1]! << 8) | (comp[off + 2]! << 16) | (comp[off + 3]! << 24)) >>> 0;
}

/**
 * The errno for a written, unsuccessful status (raw, unmasked), without side
 * effects: 0x24 → -ETIMEDOUT; 0x0a with error 0x19 on compress → -E2BIG;
 * 0x0b → -EOVERFLOW; anything else → -EINVAL.
 */
export function completionErrno(status: number, errorCode: number, compress: boolean): number {
  if (status === IAX_COMP_SUCCESS) return 0;
  if (status === IAA_ERROR_WATCHDOG_EXPIRED) return -Errno.ETIMEDOUT;
  if (status === IAA_ANALYTICS_ERROR && errorCode === IAA_ERROR_COMP_BUF_OVERFLOW && compress) return -Errno.E2BIG;
  if (status === IAA_ERROR_DECOMP_BUF_OVERFLOW) return -Errno.EOVERFLOW;
  return -Errno.EINVAL;
}

/**
 * Waits (busy-polls in virtual time) until the status byte is written, then
 * maps it. Returns 0 or a negative errno; -EAGAIN when `onlyOnce` and not done.
 */
// linux: drivers/crypto/intel/iaa/iaa_crypto_main.c check_completion()
export function checkCompletion(env: CheckCompletionEnv, comp: Uint8Array, compress: boolean, onlyOnce: boolean): number {
  const opStr = compress ? "compress" : "decompress";
  if (comp[COMP.status] === 0) {
    if (onlyOnce) return -Errno.EAGAIN;
    if (!pollUntilWritten(env, comp)) {
      env.log.devErr(env.dev, `${opStr} completion timed out - assuming broken hw, iaa_crypto now DISABLED`);
      env.disable();
      return -Errno.ETIMEDOUT;
    }
  }
  const status = comp[COMP.status]!;
  if (status === IAX_COMP_SUCCESS) return 0;
  const errorCode = comp[COMP.errorCode]!;
  const size = compU32(comp, COMP.outputSize).toString(16);
  const ret = completionErrno(status, errorCode, compress);
  switch (ret) {
    case -Errno.ETIMEDOUT:
      env.log.devDbg(env.dev, "check_completion", `${opStr} timed out, size=0x${size}`);
      env.stats.updateCompletionTimeoutErrs();
      break;
    case -Errno.E2BIG:
      env.log.devDbg(env.dev, "check_completion", `compressed > uncompressed size, not compressing, size=0x${size}`);
      env.stats.updateCompletionCompBufOverflowErrs();
      break;
    case -Errno.EOVERFLOW:
      break;
    default:
      env.log.devDbg(env.dev, "check_completion", `iaa ${opStr} status=0x${status.toString(16)}, error=0x${errorCode.toString(16)}, size=0x${size}`);
      env.log.hexDump("cmp-rec: ", comp.subarray(0, 64));
      env.stats.updateCompletionEinvalErrs();
  }
  return ret;
}

/**
 * Spins until the status byte is nonzero or IAA_COMPLETION_TIMEOUT polls have
 * passed. Virtual time moves through the machine's events; false on timeout.
 */
function pollUntilWritten(env: CheckCompletionEnv, comp: Uint8Array): boolean {
  const pollNs = env.pollNs ?? IAA_POLL_NS;
  const deadline = env.clock.now + IAA_COMPLETION_TIMEOUT * pollNs;
  while (comp[COMP.status] === 0) {
    if (env.clock.nextEventAt() > deadline) {
      env.clock.advanceTo(deadline);
      return comp[COMP.status] !== 0;
    }
    env.clock.step();
  }
  return true;
}
