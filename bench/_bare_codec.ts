/**
 * The bare codec a zswap page costs, without the stack: the very calls the
 * emulated IAA engine makes for one page (fixed-mode compress with the
 * hardware matcher and CRC, then for a page that fits the verify pass and
 * the page-in decompress), run straight on the codec with its tables built
 * once. Shared by bench/zswap.ts and its worker threads.
 */
import { deflateIaa, fixedAecsRecord, IAA_HW_MATCHER, inflateIaa, type DeflateIaaOptions } from "../src/deflate/mod.js";

export const PAGE = 4096;

/** Codec operations done (to compare with the stack's engine counters). */
export interface BareOps {
  compress: number;
  decompress: number;
  /** Pages whose round trip did not give the page back (must be 0). */
  wrong: number;
}

const rec = fixedAecsRecord();
const OPTS: DeflateIaaOptions = {
  llSym: rec.llSym,
  dSym: rec.dSym,
  outputAccum: rec.outputAccum,
  numOutputAccumBits: rec.numOutputAccumBits,
  appendEob: true,
  flush: true,
  maxDstSize: PAGE,
  crcSeed: 0,
  ...IAA_HW_MATCHER,
};
const VERIFY = { maxDstSize: PAGE, window: "hw", suppressOutput: true } as const;
const LOAD = { maxDstSize: PAGE, window: "hw" } as const;
const EMPTY = new Uint8Array(0);

function isZero(p: Uint8Array): boolean {
  const w = new Uint32Array(p.buffer, p.byteOffset, PAGE >>> 2);
  for (let i = 0; i < w.length; i++) if (w[i] !== 0) return false;
  return true;
}

/**
 * Runs pages [from, to) of `pages` through the bare codec: every page that
 * is not zero-filled (zero pages never reach zswap: mm's zeromap) is
 * compressed; a page that fits is verified and, in a second pass like the
 * workload's page-in phase, decompressed and checked.
 */
export function runBare(pages: Uint8Array, from: number, to: number): BareOps {
  const ops: BareOps = { compress: 0, decompress: 0, wrong: 0 };
  const n = to - from;
  // streams packed one after another, as a zpool keeps them (fresh host pages are costly to touch)
  const streams = new Uint8Array(n * PAGE);
  const at = new Int32Array(n);
  const sizes = new Int32Array(n);
  let used = 0;
  for (let k = 0; k < n; k++) {
    const src = pages.subarray((from + k) * PAGE, (from + k + 1) * PAGE);
    if (isZero(src)) continue;
    const dst = streams.subarray(used, used + PAGE);
    const r = deflateIaa(src, dst, OPTS);
    ops.compress++;
    if (r.status !== 1) continue;
    inflateIaa(dst.subarray(0, r.outputSize), EMPTY, VERIFY);
    ops.decompress++;
    at[k] = used;
    sizes[k] = r.outputSize;
    used += r.outputSize;
  }
  const back = new Uint8Array(PAGE);
  for (let k = 0; k < n; k++) {
    if (sizes[k] === 0) continue;
    const r = inflateIaa(streams.subarray(at[k]!, at[k]! + sizes[k]!), back, LOAD);
    ops.decompress++;
    if (r.status !== 1 || Buffer.compare(back, pages.subarray((from + k) * PAGE, (from + k + 1) * PAGE)) !== 0) ops.wrong++;
  }
  return ops;
}
