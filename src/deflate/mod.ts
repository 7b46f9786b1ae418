/**
 * iaa-emu/deflate: the IAA DEFLATE engine.
 *
 * - {@link deflateIaa}: compress as the IAA compress opcode does, driven by
 *   AECS Huffman tables and the output accumulator (default: the kernel's
 *   fixed mode), 4 KiB history, never stored blocks, bounded output.
 * - {@link inflateIaa}: all of RFC 1951 with a 4 KiB ("hw") or 32 KiB ("sw")
 *   window, bounded output, suppress-output mode, IAA error codes.
 * - {@link compressFixed} / {@link decompress}: one-call helpers that throw
 *   {@link DeflateError}.
 * - {@link crc32}, the AECS record helpers and the fixed tables.
 *
 * @example
 * ```ts
 * import { deflateIaa, inflateIaa } from "iaa-emu/deflate";
 * const page = new Uint8Array(4096).fill(7);
 * const z = new Uint8Array(4096);
 * const c = deflateIaa(page, z, { maxDstSize: 4096 });
 * const back = new Uint8Array(4096);
 * const d = inflateIaa(z.subarray(0, c.outputSize), back);
 * // c.status === 1 && d.status === 1 && d.crc === c.crc
 * ```
 *
 * @module
 */
export { deflateIaa, IAA_HW_MATCHER, IAA_WINDOW, type DeflateIaaOptions } from "./deflate_iaa.js";
export { inflateIaa, type InflateIaaOptions } from "./inflate_iaa.js";
export type { IaaResult } from "./result.js";
export { compressFixed, decompress, type DecompressOptions } from "./convenience.js";
export { DeflateError } from "./deflate_error.js";
export { crc32, crc32Update } from "./crc32.js";
export {
  AECS_COMP_OFFSET,
  AECS_COMP_SIZE,
  AECS_OUTPUT_ACCUM_BYTES,
  buildAecsCompress,
  fixedAecsRecord,
  parseAecsCompress,
  type AecsCompressRecord,
} from "./aecs.js";
export { D_SYMBOLS, EOB, FIXED_D_SYM, FIXED_LL_SYM, huffEntry, LL_SYMBOLS } from "./tables.js";
export {
  DeflateFault,
  FAULT_IAA_ERROR,
  FAULT_MESSAGE,
  IaaError,
  IAX_COMP_ANALYTICS_ERROR,
  IAX_COMP_OUTBUF_OVERFLOW,
  IAX_COMP_SUCCESS,
} from "./constants.js";
