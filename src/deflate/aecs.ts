/**
 * The compress AECS record (`struct aecs_comp_table_record`, 1568 bytes,
 * little-endian): what the driver writes and the hardware reads for a
 * fixed/canned/static compress job (iaa-hardware.md §3.1, kernel-iaa-crypto.md §6).
 */
import { D_SYMBOLS, FIXED_D_SYM, FIXED_LL_SYM, LL_SYMBOLS } from "./tables.js";

/** Size of the compress AECS record in bytes. */
export const AECS_COMP_SIZE = 1568;
/** Byte offsets of the record's fields. */
export const AECS_COMP_OFFSET = {
  crc: 0,
  xorChecksum: 4,
  numOutputAccumBits: 28,
  outputAccum: 32,
  llSym: 288,
  dSym: 1440,
} as const;
/** Capacity of `output_accum` in bytes. */
export const AECS_OUTPUT_ACCUM_BYTES = 256;

/** The fields of a compress AECS record that the compressor uses. */
export interface AecsCompressRecord {
  /** CRC seed in / final CRC out. */
  crc: number;
  /** XOR checksum seed in / out. */
  xorChecksum: number;
  /** Literal/length table, 286 entries `(len << 15) | code`. */
  llSym: Uint32Array;
  /** Distance table, 30 entries. */
  dSym: Uint32Array;
  /** Bits pending in the output accumulator (LSB-first), emitted before the first symbol. */
  outputAccum: Uint8Array;
  /** How many bits of `outputAccum` are valid. */
  numOutputAccumBits: number;
}

/** The fixed-mode record as the kernel's `init_fixed_mode` sets it: fixed codes, 3 header bits 0b011. */
export function fixedAecsRecord(): AecsCompressRecord {
  return {
    crc: 0,
    xorChecksum: 0,
    llSym: FIXED_LL_SYM.slice(),
    dSym: FIXED_D_SYM.slice(),
    outputAccum: Uint8Array.of(0x03),
    numOutputAccumBits: 3,
  };
}

/**
 * Serialises a compress AECS record into `out` (1568 bytes, zero-filled first),
 * or into a new buffer.
 *
 * @example
 * ```ts
 * import { buildAecsCompress, fixedAecsRecord, parseAecsCompress } from "iaa-emu/deflate";
 * const bytes = buildAecsCompress(fixedAecsRecord());
 * parseAecsCompress(bytes).numOutputAccumBits; // 3
 * ```
 */
export function buildAecsCompress(rec: AecsCompressRecord, out = new Uint8Array(AECS_COMP_SIZE)): Uint8Array {
  if (out.length < AECS_COMP_SIZE) throw new RangeError(`Cannot build AECS: buffer holds ${out.length} bytes, needs ${AECS_COMP_SIZE}`);
  if (rec.llSym.length !== LL_SYMBOLS || rec.dSym.length !== D_SYMBOLS) {
    throw new RangeError(`Cannot build AECS: tables must hold ${LL_SYMBOLS} and ${D_SYMBOLS} entries`);
  }
  const accBytes = (rec.numOutputAccumBits + 7) >>> 3;
  if (rec.numOutputAccumBits < 0 || accBytes > AECS_OUTPUT_ACCUM_BYTES || accBytes > rec.outputAccum.length) {
    throw new RangeError(`Cannot build AECS: ${rec.numOutputAccumBits} accumulator bits do not fit`);
  }
  out.fill(0, 0, AECS_COMP_SIZE);
  const dv = new DataView(out.buffer, out.byteOffset, AECS_COMP_SIZE);
  dv.setUint32(AECS_COMP_OFFSET.crc, rec.crc >>> 0, true);
  dv.setUint32(AECS_COMP_OFFSET.xorChecksum, rec.xorChecksum >>> 0, true);
  dv.setUint32(AECS_COMP_OFFSET.numOutputAccumBits, rec.numOutputAccumBits, true);
  out.set(rec.outputAccum.subarray(0, accBytes), AECS_COMP_OFFSET.outputAccum);
  for (let i = 0; i < LL_SYMBOLS; i++) dv.setUint32(AECS_COMP_OFFSET.llSym + 4 * i, rec.llSym[i], true);
  for (let i = 0; i < D_SYMBOLS; i++) dv.setUint32(AECS_COMP_OFFSET.dSym + 4 * i, rec.dSym[i], true);
  return out;
}

/**
 * Reads a compress AECS record back from its 1568 bytes (e.g. from emulated
 * memory). The tables are copies; `numOutputAccumBits` is returned as stored
 * (the compressor rejects values over 2048 with AECS_ERROR).
 */
export function parseAecsCompress(bytes: Uint8Array): AecsCompressRecord {
  if (bytes.length < AECS_COMP_SIZE) throw new RangeError(`Cannot parse AECS: ${bytes.length} bytes, needs ${AECS_COMP_SIZE}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, AECS_COMP_SIZE);
  const llSym = new Uint32Array(LL_SYMBOLS);
  const dSym = new Uint32Array(D_SYMBOLS);
  for (let i = 0; i < LL_SYMBOLS; i++) llSym[i] = dv.getUint32(AECS_COMP_OFFSET.llSym + 4 * i, true);
  for (let i = 0; i < D_SYMBOLS; i++) dSym[i] = dv.getUint32(AECS_COMP_OFFSET.dSym + 4 * i, true);
  return {
    crc: dv.getUint32(AECS_COMP_OFFSET.crc, true),
    xorChecksum: dv.getUint32(AECS_COMP_OFFSET.xorChecksum, true),
    llSym,
    dSym,
    outputAccum: bytes.slice(AECS_COMP_OFFSET.outputAccum, AECS_COMP_OFFSET.outputAccum + AECS_OUTPUT_ACCUM_BYTES),
    numOutputAccumBits: dv.getUint32(AECS_COMP_OFFSET.numOutputAccumBits, true),
  };
}
