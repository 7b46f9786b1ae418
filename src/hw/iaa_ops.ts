/**
 * What an IAA engine does with one descriptor: field checks in the order the
 * model applies them, DMA reads of src1 and the AECS, the DEFLATE codec, DMA
 * writes of dst, and the completion values (iaa-hardware.md §1–§3).
 *
 * Check order (one status per descriptor, first failure wins): flags →
 * interrupt handle → (de)compression flags → sizes → AECS alignment →
 * address translation (page fault) → the operation.
 */
import { deflateIaa, inflateIaa, parseAecsCompress, AECS_COMP_SIZE, IAA_HW_MATCHER, type DeflateIaaOptions, type IaaResult, type InflateIaaOptions } from "../deflate/mod.js";
import { TIMING } from "../lib/timing.js";
import type { PhysMem } from "../mm/phys_mem.js";
import {
  type IaxHwDesc,
  IAA_AECS_ALIGN,
  IAA_COMP_APPEND_EOB,
  IAA_COMP_FLUSH_OUTPUT,
  IAA_DECOMP_ENABLE,
  IAA_DECOMP_SUPPRESS_OUTPUT,
  IAX_COMP_ADDR_ALIGN,
  IAX_COMP_BAD_OPCODE,
  IAX_COMP_INT_HANDLE_INVAL,
  IAX_COMP_INVALID_COMP_FLAG,
  IAX_COMP_INVALID_FLAGS,
  IAX_COMP_INVALID_SIZE,
  IAX_OPCODE_COMPRESS,
  IAX_OPCODE_DECOMPRESS,
  IAX_OPCODE_MEMMOVE,
  IDXD_OP_FLAG_AECS_RW_TGLS,
  IDXD_OP_FLAG_BOF,
  IDXD_OP_FLAG_RCI,
  IDXD_OP_FLAG_RD_SRC2_AECS,
} from "./descriptor.js";

/** The outcome of one descriptor: completion-record values and the engine time it took. */
export interface OpResult {
  /** Completion status; -1 = never completes (injected hang). */
  status: number;
  errorCode?: number;
  bytesCompleted?: number;
  faultAddr?: number;
  invalidFlags?: number;
  outputSize?: number;
  outputBits?: number;
  crc?: number;
  durationNs: number;
}

/** Per-WQ limits the engine checks descriptors against. */
export interface OpLimits {
  /** WQ max transfer size in bytes. */
  maxXfer: number;
  /** Block-on-fault allowed (WQCFG.bof and GENCAP.bof). */
  bofAllowed: boolean;
  /** Highest valid interrupt handle (MSI-X vectors 1..maxWqs). */
  maxIntHandle: number;
  /** Precomputed codec results to use instead of computing (see {@link IaaResultCache}). */
  cache?: IaaResultCache | null;
}

/**
 * Codec results computed ahead of time (by benchmark worker threads) that the
 * engine takes instead of running the codec. A hit must be exactly what
 * deflateIaa()/inflateIaa() would return for these arguments, with the same
 * bytes written to `dst`; null means "compute it yourself". Timing does not
 * change: durations come from the result as usual.
 */
export interface IaaResultCache {
  /**
   * Compress `src` into `dst` with the AECS bytes `aecs` and the descriptor's
   * compr_flags; `srcAddr` is the physical address `src` was read from (a
   * key to find a precomputed entry by, never a proof: the bytes are).
   */
  compress(src: Uint8Array, dst: Uint8Array, aecs: Uint8Array, opFlags: number, maxDstSize: number, srcAddr: number): IaaResult | null;
  /** Decompress `src` into `dst`, or with output suppressed when `dst` is null. */
  decompress(src: Uint8Array, dst: Uint8Array | null, maxDstSize: number): IaaResult | null;
}

/** Operation flags IAA 1.0 implements (bits outside this set give 0x11). */
const IAA_VALID_FLAGS = 0x0001 | 0x0002 | 0x0004 | 0x0008 | 0x0010 | 0x0100 | 0x1e00 | 0x030000 | 0x0c0000 | 0x200000 | 0x400000;
/** Compression flags the model implements: FLUSH_OUTPUT, END_PROC = 0/1. */
const COMP_FLAGS_SUPPORTED = IAA_COMP_FLUSH_OUTPUT | IAA_COMP_APPEND_EOB;
/** Decompression flags the model implements: enable, flush, stop/check EOB, select BFINAL, ignore-end-bits, suppress output. */
const DECOMP_FLAGS_SUPPORTED = 0x0001 | 0x0002 | 0x0004 | 0x0008 | 0x0010 | 0x01c0 | 0x0200;

const READ_PAGE_FAULT = 0x03;
const WRITE_PAGE_FAULT = 0x83;

function fail(status: number, extra: Partial<OpResult> = {}): OpResult {
  return { status, durationNs: TIMING.engineSetupOtherNs, ...extra };
}

/**
 * Executes an IAA descriptor against memory and returns its completion values.
 *
 * @example
 * const r = executeIaaOp(parseIaxHwDesc(bytes), mem, { maxXfer: 2 << 20, bofAllowed: false, maxIntHandle: 8 });
 */
export function executeIaaOp(d: IaxHwDesc, mem: PhysMem, lim: OpLimits): OpResult {
  const bad = (d.flags & ~IAA_VALID_FLAGS) | ((d.flags & 0x030000) === 0x030000 ? 0x030000 : 0) | ((d.flags & 0x0c0000) === 0x0c0000 ? 0x0c0000 : 0) | (d.flags & IDXD_OP_FLAG_BOF && !lim.bofAllowed ? IDXD_OP_FLAG_BOF : 0);
  if (bad !== 0) return fail(IAX_COMP_INVALID_FLAGS, { invalidFlags: bad });
  if ((d.flags & IDXD_OP_FLAG_RCI) !== 0 && (d.intHandle === 0 || d.intHandle > lim.maxIntHandle)) return fail(IAX_COMP_INT_HANDLE_INVAL);
  switch (d.opcode) {
    case IAX_OPCODE_COMPRESS:
      return compress(d, mem, lim);
    case IAX_OPCODE_DECOMPRESS:
      return decompress(d, mem, lim);
    case IAX_OPCODE_MEMMOVE:
      return memmove(d, mem, lim);
    default:
      // Analytics and CRC64 opcodes are advertised in OPCAP but not modelled.
      return fail(IAX_COMP_BAD_OPCODE);
  }
}

function compress(d: IaxHwDesc, mem: PhysMem, lim: OpLimits): OpResult {
  if ((d.opFlags & ~COMP_FLAGS_SUPPORTED) !== 0) return fail(IAX_COMP_INVALID_COMP_FLAG);
  // IAA 1.0 has no header generation: compress needs the AECS tables.
  if ((d.flags & 0x030000) !== IDXD_OP_FLAG_RD_SRC2_AECS) return fail(IAX_COMP_INVALID_FLAGS, { invalidFlags: d.flags & 0x030000 });
  if (d.src1Size === 0 || d.src1Size > lim.maxXfer || d.maxDstSize === 0 || d.maxDstSize > lim.maxXfer) return fail(IAX_COMP_INVALID_SIZE);
  if (d.src2Size < AECS_COMP_SIZE) return fail(IAX_COMP_INVALID_SIZE);
  if (d.src2Addr % IAA_AECS_ALIGN !== 0 || d.src2Size % IAA_AECS_ALIGN !== 0) return fail(IAX_COMP_ADDR_ALIGN);
  const aecsAddr = d.flags & IDXD_OP_FLAG_AECS_RW_TGLS ? d.src2Addr + d.src2Size : d.src2Addr;
  if (!mem.isBacked(d.src1Addr, d.src1Size)) return fail(READ_PAGE_FAULT, { faultAddr: d.src1Addr });
  if (!mem.isBacked(aecsAddr, AECS_COMP_SIZE)) return fail(READ_PAGE_FAULT, { faultAddr: aecsAddr });
  if (!mem.isBacked(d.dstAddr, d.maxDstSize)) return fail(WRITE_PAGE_FAULT, { faultAddr: d.dstAddr });
  const src = mem.view(d.src1Addr, d.src1Size);
  const dst = mem.view(d.dstAddr, d.maxDstSize);
  const aecs = mem.view(aecsAddr, AECS_COMP_SIZE);
  const r = lim.cache?.compress(src, dst, aecs, d.opFlags, d.maxDstSize, d.src1Addr) ?? engineCompress(src, dst, aecs, d.opFlags, d.maxDstSize);
  return opResult(r, TIMING.engineSetupCompressNs + r.bytesConsumed / TIMING.compressBytesPerNs);
}

/** The destination of a decompress with nothing to write. */
const EMPTY = new Uint8Array(0);

/** The completion fields of an engine result, and the job's service time. */
function opResult(r: IaaResult, ns: number): OpResult {
  return {
    status: r.status,
    errorCode: r.errorCode,
    bytesCompleted: r.bytesConsumed,
    outputSize: r.outputSize,
    outputBits: r.outputBits,
    crc: r.crc,
    durationNs: Math.round(ns),
  };
}

/**
 * The engine's compress as a pure function of its inputs: `src`, the AECS
 * bytes, compr_flags and max_dst_size. What the engine runs, and what a
 * benchmark worker thread runs to precompute an {@link IaaResultCache} entry.
 */
export function engineCompress(src: Uint8Array, dst: Uint8Array, aecsBytes: Uint8Array, opFlags: number, maxDstSize: number): IaaResult {
  const o = compressOptions(aecsBytes);
  o.appendEob = (opFlags & IAA_COMP_APPEND_EOB) !== 0;
  o.flush = (opFlags & IAA_COMP_FLUSH_OUTPUT) !== 0;
  o.maxDstSize = maxDstSize;
  return deflateIaa(src, dst, o);
}

/**
 * The compressor options of the last AECS the engine read, and a copy of its
 * bytes: a job whose AECS is byte-for-byte the same (every job of a fixed-mode
 * driver) reuses them, since comparing 1568 bytes costs far less than parsing.
 */
const lastAecs = new Uint8Array(AECS_COMP_SIZE);
let lastOptions: DeflateIaaOptions | null = null;

function compressOptions(aecsBytes: Uint8Array): DeflateIaaOptions {
  const bytes = aecsBytes.subarray(0, AECS_COMP_SIZE);
  if (lastOptions !== null && Buffer.compare(bytes, lastAecs) === 0) return lastOptions;
  const aecs = parseAecsCompress(bytes);
  lastAecs.set(bytes);
  lastOptions = {
    llSym: aecs.llSym,
    dSym: aecs.dSym,
    outputAccum: aecs.outputAccum,
    numOutputAccumBits: aecs.numOutputAccumBits,
    crcSeed: aecs.crc,
    ...IAA_HW_MATCHER,
  };
  return lastOptions;
}

/** Options of the engine's decompress, reused (the codec reads them before it returns). */
const decompressOptions: InflateIaaOptions = { maxDstSize: 0, window: "hw", suppressOutput: false };

/** The engine's decompress as a pure function (`dst` null: output suppressed, as the verify pass runs it). */
export function engineDecompress(src: Uint8Array, dst: Uint8Array | null, maxDstSize: number): IaaResult {
  decompressOptions.maxDstSize = maxDstSize;
  decompressOptions.suppressOutput = dst === null;
  return inflateIaa(src, dst ?? EMPTY, decompressOptions);
}

function decompress(d: IaxHwDesc, mem: PhysMem, lim: OpLimits): OpResult {
  if ((d.opFlags & ~DECOMP_FLAGS_SUPPORTED) !== 0 || (d.opFlags & IAA_DECOMP_ENABLE) === 0) return fail(IAX_COMP_INVALID_COMP_FLAG);
  // Canned-mode decompress (a decompress AECS in src2) is not modelled.
  if ((d.flags & 0x030000) !== 0) return fail(IAX_COMP_INVALID_FLAGS, { invalidFlags: d.flags & 0x030000 });
  const suppress = (d.opFlags & IAA_DECOMP_SUPPRESS_OUTPUT) !== 0;
  if (d.src1Size === 0 || d.src1Size > lim.maxXfer || d.maxDstSize > lim.maxXfer) return fail(IAX_COMP_INVALID_SIZE);
  if (!mem.isBacked(d.src1Addr, d.src1Size)) return fail(READ_PAGE_FAULT, { faultAddr: d.src1Addr });
  if (!suppress && d.maxDstSize > 0 && !mem.isBacked(d.dstAddr, d.maxDstSize)) return fail(WRITE_PAGE_FAULT, { faultAddr: d.dstAddr });
  const out = suppress || d.maxDstSize === 0 ? EMPTY : mem.view(d.dstAddr, d.maxDstSize);
  const src = mem.view(d.src1Addr, d.src1Size);
  const r = lim.cache?.decompress(src, suppress ? null : out, d.maxDstSize) ?? engineDecompress(src, suppress ? null : out, d.maxDstSize);
  // With output suppressed (the verify pass) the engine still decodes the
  // whole stream: charge the bytes decoded, which the driver bounds by max_dst_size.
  return opResult(r, TIMING.engineSetupDecompressNs + (suppress && r.status === 1 ? d.maxDstSize : r.outputSize) / TIMING.decompressBytesPerNs);
}

function memmove(d: IaxHwDesc, mem: PhysMem, lim: OpLimits): OpResult {
  if (d.src1Size > lim.maxXfer) return fail(IAX_COMP_INVALID_SIZE);
  if (d.src1Size === 0) return { status: 1, durationNs: TIMING.engineSetupOtherNs };
  if (!mem.isBacked(d.src1Addr, d.src1Size)) return fail(READ_PAGE_FAULT, { faultAddr: d.src1Addr });
  if (!mem.isBacked(d.dstAddr, d.src1Size)) return fail(WRITE_PAGE_FAULT, { faultAddr: d.dstAddr });
  mem.view(d.dstAddr, d.src1Size).set(mem.view(d.src1Addr, d.src1Size));
  return { status: 1, bytesCompleted: d.src1Size, durationNs: Math.round(TIMING.engineSetupOtherNs + d.src1Size / TIMING.decompressBytesPerNs) };
}
