/**
 * The IAA descriptor and completion record, byte for byte
 * (include/uapi/linux/idxd.h `struct iax_hw_desc`, `struct iax_completion_record`;
 * shared/spec/iaa-hardware.md §1–§2). Constant names are the uapi ones.
 */

import { viewOf } from "../lib/dataview.js";

/** Descriptor and completion record sizes. */
export const IAX_DESC_SIZE = 64;
export const IAX_COMPL_SIZE = 64;
/** Completion records must be 64-byte aligned (IAX compl_align). */
export const IAX_COMPL_ALIGN = 64;
/** AECS address and size must be multiples of 32. */
export const IAA_AECS_ALIGN = 32;

// ---- operation flags (bits 0-23 of the dword at offset 4) ----
export const IDXD_OP_FLAG_FENCE = 0x0001;
export const IDXD_OP_FLAG_BOF = 0x0002;
export const IDXD_OP_FLAG_CRAV = 0x0004;
export const IDXD_OP_FLAG_RCR = 0x0008;
export const IDXD_OP_FLAG_RCI = 0x0010;
export const IDXD_OP_FLAG_CRSTS = 0x0020;
export const IDXD_OP_FLAG_CR = 0x0080;
export const IDXD_OP_FLAG_CC = 0x0100;
export const IDXD_OP_FLAG_ADDR1_TCS = 0x0200;
export const IDXD_OP_FLAG_ADDR2_TCS = 0x0400;
export const IDXD_OP_FLAG_ADDR3_TCS = 0x0800;
export const IDXD_OP_FLAG_CR_TCS = 0x1000;
export const IDXD_OP_FLAG_STORD = 0x2000;
export const IDXD_OP_FLAG_DRDBK = 0x4000;
export const IDXD_OP_FLAG_DSTS = 0x8000;
export const IDXD_OP_FLAG_RD_SRC2_AECS = 0x010000;
export const IDXD_OP_FLAG_RD_SRC2_2ND = 0x020000;
export const IDXD_OP_FLAG_WR_SRC2_AECS_COMP = 0x040000;
export const IDXD_OP_FLAG_WR_SRC2_AECS_OVFL = 0x080000;
export const IDXD_OP_FLAG_SRC2_STS = 0x100000;
export const IDXD_OP_FLAG_CRC_RFC3720 = 0x200000;
export const IDXD_OP_FLAG_AECS_RW_TGLS = 0x400000;

// ---- opcodes (enum iax_opcode) ----
export const IAX_OPCODE_NOOP = 0x00;
export const IAX_OPCODE_DRAIN = 0x02;
export const IAX_OPCODE_MEMMOVE = 0x03;
export const IAX_OPCODE_DECOMPRESS = 0x42;
export const IAX_OPCODE_COMPRESS = 0x43;
export const IAX_OPCODE_CRC64 = 0x44;

// ---- compression / decompression flags (u16 at offset 38) ----
export const IAA_COMP_STATS_MODE = 0x0001;
export const IAA_COMP_FLUSH_OUTPUT = 0x0002;
export const IAA_COMP_APPEND_EOB = 0x0004;
/** END_PROC = 2 or 3: EOB plus a (final) stored block. */
export const IAA_COMP_END_PROC_MASK = 0x000c;
export const IAA_COMP_GEN_LITS = 0x0010;
export const IAA_COMP_BE = 0x0020;
export const IAA_COMP_IDXING_MASK = 0x01c0;
export const IAA_COMP_LOAD_DICT_MASK = 0x0c00;
export const IAA_COMP_GEN_HDR_MASK = 0x7000;
export const IAA_DECOMP_ENABLE = 0x0001;
export const IAA_DECOMP_FLUSH_OUTPUT = 0x0002;
export const IAA_DECOMP_STOP_ON_EOB = 0x0004;
export const IAA_DECOMP_CHECK_FOR_EOB = 0x0008;
export const IAA_DECOMP_SEL_BFINAL_EOB = 0x0010;
export const IAA_DECOMP_BE = 0x0020;
export const IAA_DECOMP_IGNORE_END_BITS_MASK = 0x01c0;
export const IAA_DECOMP_SUPPRESS_OUTPUT = 0x0200;
export const IAA_DECOMP_IDXING_MASK = 0x1c00;

// ---- completion status (enum iax_completion_status) ----
export const IAX_COMP_NONE = 0x00;
export const IAX_COMP_SUCCESS = 0x01;
export const IAX_COMP_PAGE_FAULT_IR = 0x04;
export const IAX_COMP_ANALYTICS_ERROR = 0x0a;
export const IAX_COMP_OUTBUF_OVERFLOW = 0x0b;
export const IAX_COMP_BAD_OPCODE = 0x10;
export const IAX_COMP_INVALID_FLAGS = 0x11;
export const IAX_COMP_NOZERO_RESERVE = 0x12;
export const IAX_COMP_INVALID_SIZE = 0x13;
export const IAX_COMP_OVERLAP_BUFFERS = 0x16;
export const IAX_COMP_INT_HANDLE_INVAL = 0x19;
export const IAX_COMP_CRA_XLAT = 0x1a;
export const IAX_COMP_CRA_ALIGN = 0x1b;
export const IAX_COMP_ADDR_ALIGN = 0x1c;
export const IAX_COMP_PRIV_BAD = 0x1d;
export const IAX_COMP_WATCHDOG = 0x24;
export const IAX_COMP_INVALID_COMP_FLAG = 0x30;
/** Analytics error code: unrecoverable output overflow on compress. */
export const IAA_ERROR_COMP_BUF_OVERFLOW = 0x19;

/** Byte offsets inside `struct iax_hw_desc`. */
export const DESC_OFF = {
  pasid: 0,
  flagsOpcode: 4,
  completionAddr: 8,
  src1Addr: 16,
  dstAddr: 24,
  src1Size: 32,
  intHandle: 36,
  comprFlags: 38,
  src2Addr: 40,
  maxDstSize: 48,
  src2Size: 52,
  filterFlags: 56,
  numInputs: 60,
} as const;

/** Byte offsets inside `struct iax_completion_record`. */
export const COMPL_OFF = {
  status: 0,
  errorCode: 1,
  faultInfo: 2,
  bytesCompleted: 4,
  faultAddr: 8,
  invalidFlags: 16,
  outputSize: 24,
  outputBits: 28,
  xorCsum: 30,
  crc: 32,
  min: 36,
  max: 40,
  sum: 44,
} as const;

/** `struct iax_hw_desc`, decoded. Addresses are numbers (physical addresses fit in 2^53). */
export interface IaxHwDesc {
  pasid: number;
  priv: number;
  flags: number;
  opcode: number;
  completionAddr: number;
  src1Addr: number;
  dstAddr: number;
  src1Size: number;
  intHandle: number;
  /** compr_flags / decompr_flags */
  opFlags: number;
  src2Addr: number;
  maxDstSize: number;
  src2Size: number;
  filterFlags: number;
  numInputs: number;
}

function getU64(dv: DataView, off: number): number {
  return dv.getUint32(off, true) + dv.getUint32(off + 4, true) * 0x1_0000_0000;
}

/** Writes a u64 field holding a DMA address (a number below 2^53) as two little-endian u32 halves. */
export function setU64(dv: DataView, off: number, v: number): void {
  dv.setUint32(off, v >>> 0, true);
  dv.setUint32(off + 4, Math.floor(v / 0x1_0000_0000) >>> 0, true);
}

/**
 * Decodes 64 descriptor bytes.
 *
 * @example
 * const d = parseIaxHwDesc(bytes);
 * if (d.opcode === IAX_OPCODE_COMPRESS) …
 */
export function parseIaxHwDesc(b: Uint8Array): IaxHwDesc {
  if (b.length < IAX_DESC_SIZE) throw new RangeError(`parseIaxHwDesc: ${b.length} bytes, needs ${IAX_DESC_SIZE}`);
  const dv = viewOf(b);
  const o = b.byteOffset;
  const w0 = dv.getUint32(o + DESC_OFF.pasid, true);
  const w1 = dv.getUint32(o + DESC_OFF.flagsOpcode, true);
  return {
    pasid: w0 & 0xfffff,
    priv: w0 >>> 31,
    flags: w1 & 0xffffff,
    opcode: w1 >>> 24,
    completionAddr: getU64(dv, o + DESC_OFF.completionAddr),
    src1Addr: getU64(dv, o + DESC_OFF.src1Addr),
    dstAddr: getU64(dv, o + DESC_OFF.dstAddr),
    src1Size: dv.getUint32(o + DESC_OFF.src1Size, true),
    intHandle: dv.getUint16(o + DESC_OFF.intHandle, true),
    opFlags: dv.getUint16(o + DESC_OFF.comprFlags, true),
    src2Addr: getU64(dv, o + DESC_OFF.src2Addr),
    maxDstSize: dv.getUint32(o + DESC_OFF.maxDstSize, true),
    src2Size: dv.getUint32(o + DESC_OFF.src2Size, true),
    filterFlags: dv.getUint32(o + DESC_OFF.filterFlags, true),
    numInputs: dv.getUint32(o + DESC_OFF.numInputs, true),
  };
}

/**
 * Encodes a descriptor into `out` (64 bytes; fields not given are zero).
 *
 * @example
 * encodeIaxHwDesc({ opcode: IAX_OPCODE_NOOP, flags: IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR, completionAddr: cr }, buf);
 */
export function encodeIaxHwDesc(d: Partial<IaxHwDesc>, out: Uint8Array = new Uint8Array(IAX_DESC_SIZE)): Uint8Array {
  out.fill(0, 0, IAX_DESC_SIZE);
  const dv = new DataView(out.buffer, out.byteOffset, IAX_DESC_SIZE);
  dv.setUint32(DESC_OFF.pasid, ((d.pasid ?? 0) & 0xfffff) | ((d.priv ?? 0) << 31), true);
  dv.setUint32(DESC_OFF.flagsOpcode, ((d.flags ?? 0) & 0xffffff) | ((d.opcode ?? 0) << 24), true);
  setU64(dv, DESC_OFF.completionAddr, d.completionAddr ?? 0);
  setU64(dv, DESC_OFF.src1Addr, d.src1Addr ?? 0);
  setU64(dv, DESC_OFF.dstAddr, d.dstAddr ?? 0);
  dv.setUint32(DESC_OFF.src1Size, d.src1Size ?? 0, true);
  dv.setUint16(DESC_OFF.intHandle, d.intHandle ?? 0, true);
  dv.setUint16(DESC_OFF.comprFlags, d.opFlags ?? 0, true);
  setU64(dv, DESC_OFF.src2Addr, d.src2Addr ?? 0);
  dv.setUint32(DESC_OFF.maxDstSize, d.maxDstSize ?? 0, true);
  dv.setUint32(DESC_OFF.src2Size, d.src2Size ?? 0, true);
  dv.setUint32(DESC_OFF.filterFlags, d.filterFlags ?? 0, true);
  dv.setUint32(DESC_OFF.numInputs, d.numInputs ?? 0, true);
  return out;
}

/** `struct iax_completion_record`, decoded. */
export interface IaxCompletionRecord {
  status: number;
  errorCode: number;
  faultInfo: number;
  bytesCompleted: number;
  faultAddr: number;
  invalidFlags: number;
  outputSize: number;
  outputBits: number;
  xorCsum: number;
  crc: number;
}

/** Decodes a 64-byte completion record. */
export function parseIaxCompletion(b: Uint8Array): IaxCompletionRecord {
  const dv = new DataView(b.buffer, b.byteOffset, IAX_COMPL_SIZE);
  return {
    status: dv.getUint8(COMPL_OFF.status),
    errorCode: dv.getUint8(COMPL_OFF.errorCode),
    faultInfo: dv.getUint8(COMPL_OFF.faultInfo),
    bytesCompleted: dv.getUint32(COMPL_OFF.bytesCompleted, true),
    faultAddr: getU64(dv, COMPL_OFF.faultAddr),
    invalidFlags: dv.getUint32(COMPL_OFF.invalidFlags, true),
    outputSize: dv.getUint32(COMPL_OFF.outputSize, true),
    outputBits: dv.getUint8(COMPL_OFF.outputBits),
    xorCsum: dv.getUint16(COMPL_OFF.xorCsum, true),
    crc: dv.getUint32(COMPL_OFF.crc, true),
  };
}

/** Writes a completion record into `out` (64 bytes); the status byte is written last, as the device does. */
export function writeIaxCompletion(out: Uint8Array, r: Partial<IaxCompletionRecord>): void {
  if (out.length < IAX_COMPL_SIZE) throw new RangeError(`writeIaxCompletion: ${out.length} bytes, needs ${IAX_COMPL_SIZE}`);
  const dv = viewOf(out);
  const o = out.byteOffset;
  out.fill(0, 1, IAX_COMPL_SIZE);
  dv.setUint8(o + COMPL_OFF.errorCode, r.errorCode ?? 0);
  dv.setUint8(o + COMPL_OFF.faultInfo, r.faultInfo ?? 0);
  dv.setUint32(o + COMPL_OFF.bytesCompleted, r.bytesCompleted ?? 0, true);
  setU64(dv, o + COMPL_OFF.faultAddr, r.faultAddr ?? 0);
  dv.setUint32(o + COMPL_OFF.invalidFlags, r.invalidFlags ?? 0, true);
  dv.setUint32(o + COMPL_OFF.outputSize, r.outputSize ?? 0, true);
  dv.setUint8(o + COMPL_OFF.outputBits, r.outputBits ?? 0);
  dv.setUint16(o + COMPL_OFF.xorCsum, r.xorCsum ?? 0, true);
  dv.setUint32(o + COMPL_OFF.crc, (r.crc ?? 0) >>> 0, true);
  dv.setUint8(o + COMPL_OFF.status, r.status ?? 0);
}
