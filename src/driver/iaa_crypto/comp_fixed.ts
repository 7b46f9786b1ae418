/**
 * The "fixed" compression mode: RFC 1951 fixed Huffman codes in the IAA's
 * table format, and the 1568-byte AECS compress record each device gets.
 *
 * linux: drivers/crypto/intel/iaa/iaa_crypto_comp_fixed.c (fixed_ll_sym,
 * fixed_d_sym, init_fixed_mode()), iaa_crypto_main.c
 * init_device_compression_mode(). Each entry is `(code_length << 15) | code`
 * with the canonical code MSB-first; the record preloads the 3 block-header
 * bits (BFINAL=1, BTYPE=01) in its output accumulator.
 */
import { AECS_COMP_TABLE_RECORD_SIZE } from "./iaa_crypto.js";

/** Byte offsets of `struct aecs_comp_table_record`. */
export const AECS = {
  crc: 0,
  xorChecksum: 4,
  numOutputAccumBits: 28,
  outputAccum: 32,
  llSym: 288,
  dSym: 1440,
} as const;

/** FIXED_HDR: BTYPE=01 in the low bits after BFINAL. */
export const FIXED_HDR = 0x2;
/** FIXED_HDR_SIZE: header bits preloaded into the accumulator. */
export const FIXED_HDR_SIZE = 3;

/** fixed_ll_sym[286] */
export const FIXED_LL_SYM: Uint32Array = buildFixedLl();
/** fixed_d_sym[30] */
export const FIXED_D_SYM: Uint32Array = buildFixedD();

function buildFixedLl(): Uint32Array {
  const t = new Uint32Array(286);
  for (let i = 0; i < 286; i++) {
    if (i < 144) t[i] = (8 << 15) | (0x30 + i);
    else if (i < 256) t[i] = (9 << 15) | (0x190 + (i - 144));
    else if (i < 280) t[i] = (7 << 15) | (i - 256);
    else t[i] = (8 << 15) | (0xc0 + (i - 280));
  }
  return t;
}

function buildFixedD(): Uint32Array {
  const t = new Uint32Array(30);
  for (let i = 0; i < 30; i++) t[i] = (5 << 15) | i;
  return t;
}

/** A registered compression mode (struct iaa_compression_mode). */
export interface IaaCompressionMode {
  name: string;
  llTable: Uint32Array;
  dTable: Uint32Array;
  /** Fills the mode-specific parts of a freshly tabled record; 0 or -errno. */
  init?(record: Uint8Array): number;
}

/** The "fixed" mode as iaa_aecs_init_fixed() adds it. */
export const FIXED_MODE: IaaCompressionMode = {
  name: "fixed",
  llTable: FIXED_LL_SYM,
  dTable: FIXED_D_SYM,
  init: initFixedMode,
};

/** init_fixed_mode(): zero checksums, 3 header bits 0b011 in the accumulator. */
// linux: drivers/crypto/intel/iaa/iaa_crypto_comp_fixed.c init_fixed_mode()
export function initFixedMode(record: Uint8Array): number {
  const dv = new DataView(record.buffer, record.byteOffset, AECS_COMP_TABLE_RECORD_SIZE);
  dv.setUint32(AECS.crc, 0, true);
  dv.setUint32(AECS.xorChecksum, 0, true);
  record[AECS.outputAccum] = FIXED_HDR | 1;
  dv.setUint32(AECS.numOutputAccumBits, FIXED_HDR_SIZE, true);
  return 0;
}

/**
 * init_device_compression_mode()'s record: zeroed, tables copied in, then the
 * mode's init. `record` is the 1568-byte view of the device's DMA buffer.
 */
export function buildAecsCompRecord(record: Uint8Array, mode: IaaCompressionMode): number {
  if (record.length < AECS_COMP_TABLE_RECORD_SIZE) throw new RangeError("AECS record view too small");
  record.fill(0, 0, AECS_COMP_TABLE_RECORD_SIZE);
  const dv = new DataView(record.buffer, record.byteOffset, AECS_COMP_TABLE_RECORD_SIZE);
  for (let i = 0; i < mode.llTable.length; i++) dv.setUint32(AECS.llSym + 4 * i, mode.llTable[i]!, true);
  for (let i = 0; i < mode.dTable.length; i++) dv.setUint32(AECS.dSym + 4 * i, mode.dTable[i]!, true);
  return mode.init !== undefined ? mode.init(record) : 0;
}
