/**
 * IAA completion codes (iaa-hardware.md §2.1, §2.2; uapi `enum iax_completion_status`,
 * QPL `hw_status.h`) and the codec's own fault kinds, each mapped onto one of them.
 */

/** Completion status: success. */
export const IAX_COMP_SUCCESS = 0x01;
/** Completion status: analytics error; the error code says which. */
export const IAX_COMP_ANALYTICS_ERROR = 0x0a;
/** Completion status: decompress output did not fit `max_dst_size` (recoverable). */
export const IAX_COMP_OUTBUF_OVERFLOW = 0x0b;

/** Analytics error codes (completion record byte 1, valid with status 0x0a). */
export const IaaError = {
  OK: 0,
  BIGHDR: 1,
  UNDEF_CL_CODE: 2,
  FIRST_LL_CODE_16: 3,
  FIRST_D_CODE_16: 4,
  NO_LL_CODE: 5,
  WRONG_NUM_LL_CODES: 6,
  WRONG_NUM_DIST_CODES: 7,
  BAD_CL_CODE_LEN: 8,
  BAD_LL_CODE_LEN: 9,
  BAD_DIST_CODE_LEN: 10,
  BAD_LL_CODE: 11,
  BAD_D_CODE: 12,
  INVALID_BLOCK_TYPE: 13,
  INVALID_STORED_LEN: 14,
  BAD_EOF: 15,
  BAD_LEN: 16,
  BAD_DIST: 17,
  REF_BEFORE_START: 18,
  AECS_ERROR: 22,
  UNRECOVERABLE_OUTPUT_OVERFLOW: 25,
  INVALID_HUFFCODE: 30,
  TOO_MANY_LL_CODES: 35,
  TOO_MANY_D_CODES: 36,
} as const;

/**
 * What went wrong, one value per kind of failure (finer than the hardware's
 * error codes; {@link FAULT_IAA_ERROR} maps each onto the hardware's).
 */
export const DeflateFault = {
  NONE: 0,
  INVALID_BLOCK_TYPE: 1,
  INVALID_STORED_LEN: 2,
  TOO_MANY_LL_CODES: 3,
  TOO_MANY_D_CODES: 4,
  CL_OVERSUBSCRIBED: 5,
  CL_INCOMPLETE: 6,
  CL_UNDEFINED_CODE: 7,
  REPEAT_WITHOUT_PREVIOUS: 8,
  REPEAT_TOO_LONG: 9,
  MISSING_EOB: 10,
  LL_OVERSUBSCRIBED: 11,
  LL_INCOMPLETE: 12,
  D_OVERSUBSCRIBED: 13,
  D_INCOMPLETE: 14,
  INVALID_LL_CODE: 15,
  INVALID_D_CODE: 16,
  DIST_TOO_FAR: 17,
  DIST_BEFORE_START: 18,
  TRUNCATED: 19,
  OUTPUT_OVERFLOW: 20,
  COMPRESS_OVERFLOW: 21,
  INVALID_HUFFCODE: 22,
  BAD_ACCUM: 23,
} as const;
export type DeflateFault = (typeof DeflateFault)[keyof typeof DeflateFault];

/** Fault → analytics error code (0 where the status alone says it, e.g. output overflow). */
export const FAULT_IAA_ERROR: readonly number[] = [
  IaaError.OK,
  IaaError.INVALID_BLOCK_TYPE,
  IaaError.INVALID_STORED_LEN,
  IaaError.TOO_MANY_LL_CODES,
  IaaError.TOO_MANY_D_CODES,
  IaaError.BAD_CL_CODE_LEN,
  IaaError.UNDEF_CL_CODE,
  IaaError.UNDEF_CL_CODE,
  IaaError.FIRST_LL_CODE_16,
  IaaError.WRONG_NUM_DIST_CODES,
  IaaError.NO_LL_CODE,
  IaaError.BAD_LL_CODE_LEN,
  IaaError.BAD_LL_CODE_LEN,
  IaaError.BAD_DIST_CODE_LEN,
  IaaError.BAD_DIST_CODE_LEN,
  IaaError.BAD_LL_CODE,
  IaaError.BAD_D_CODE,
  IaaError.BAD_DIST,
  IaaError.REF_BEFORE_START,
  IaaError.BAD_EOF,
  IaaError.OK,
  IaaError.UNRECOVERABLE_OUTPUT_OVERFLOW,
  IaaError.INVALID_HUFFCODE,
  IaaError.AECS_ERROR,
];

/** Fault → message (sentence case, no final period). */
export const FAULT_MESSAGE: readonly string[] = [
  "success",
  "invalid block type",
  "invalid stored block lengths",
  "too many length symbols",
  "too many distance symbols",
  "invalid code lengths set (over-subscribed)",
  "invalid code lengths set (incomplete)",
  "invalid code length code",
  "invalid bit length repeat (no previous length)",
  "invalid bit length repeat (past the last code)",
  "invalid code -- missing end-of-block",
  "invalid literal/lengths set (over-subscribed)",
  "invalid literal/lengths set (incomplete)",
  "invalid distances set (over-subscribed)",
  "invalid distances set (incomplete)",
  "invalid literal/length code",
  "invalid distance code",
  "distance too far back",
  "distance before start of stream",
  "unexpected end of stream",
  "output buffer overflow",
  "compression output overflow",
  "symbol has no code in the Huffman table",
  "invalid output accumulator",
];

/** Fault → completion status. */
export function faultStatus(fault: number): number {
  if (fault === DeflateFault.NONE) return IAX_COMP_SUCCESS;
  if (fault === DeflateFault.OUTPUT_OVERFLOW) return IAX_COMP_OUTBUF_OVERFLOW;
  return IAX_COMP_ANALYTICS_ERROR;
}
