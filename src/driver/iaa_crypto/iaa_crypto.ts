/**
 * Constants of the iaa_crypto driver: descriptor opcodes and flags, the
 * completion statuses it checks, and its own tunables.
 *
 * linux: drivers/crypto/intel/iaa/iaa_crypto.h, include/uapi/linux/idxd.h.
 * Names are kept as the kernel spells them so they can be grepped.
 */

/** IDXD_SUBDRIVER_NAME: the dsa-bus driver the crypto WQs bind to. */
export const IDXD_SUBDRIVER_NAME = "crypto";
/** KBUILD_MODNAME: the module name (lsmod, dynamic debug). */
export const IAA_CRYPTO_MODULE = "iaa_crypto";
/** IAA_ALG_PRIORITY */
export const IAA_ALG_PRIORITY = 300;
/** IAA_COMP_MODES_MAX */
export const IAA_COMP_MODES_MAX = 2;
/** IAA_COMPLETION_TIMEOUT: busy-poll iterations before the hw is declared broken. */
export const IAA_COMPLETION_TIMEOUT = 1_000_000;
/** IAA_AECS_ALIGN */
export const IAA_AECS_ALIGN = 32;
/** sizeof(struct aecs_comp_table_record) */
export const AECS_COMP_TABLE_RECORD_SIZE = 1568;
/** sizeof(struct iax_completion_record) */
export const IAX_COMPLETION_RECORD_SIZE = 64;
/** sizeof(struct iax_hw_desc) */
export const IAX_HW_DESC_SIZE = 64;

// enum iax_opcode
export const IAX_OPCODE_DECOMPRESS = 0x42;
export const IAX_OPCODE_COMPRESS = 0x43;

// IDXD_OP_FLAG_*
export const IDXD_OP_FLAG_CRAV = 0x0004;
export const IDXD_OP_FLAG_RCR = 0x0008;
export const IDXD_OP_FLAG_RCI = 0x0010;
export const IDXD_OP_FLAG_CC = 0x0100;
export const IDXD_OP_FLAG_RD_SRC2_AECS = 0x010000;

// compr_flags / decompr_flags
export const IAA_COMP_FLUSH_OUTPUT = 1 << 1;
export const IAA_COMP_APPEND_EOB = 1 << 2;
/** IAA_COMP_FLAGS = FLUSH_OUTPUT | APPEND_EOB = 0x6 */
export const IAA_COMP_FLAGS = IAA_COMP_FLUSH_OUTPUT | IAA_COMP_APPEND_EOB;
export const IAA_DECOMP_ENABLE = 1 << 0;
export const IAA_DECOMP_FLUSH_OUTPUT = 1 << 1;
export const IAA_DECOMP_CHECK_FOR_EOB = 1 << 2;
export const IAA_DECOMP_STOP_ON_EOB = 1 << 3;
export const IAA_DECOMP_SUPPRESS_OUTPUT = 1 << 9;
/** IAA_DECOMP_FLAGS = 0xF */
export const IAA_DECOMP_FLAGS = IAA_DECOMP_ENABLE | IAA_DECOMP_FLUSH_OUTPUT | IAA_DECOMP_CHECK_FOR_EOB | IAA_DECOMP_STOP_ON_EOB;

/** Descriptor flags of a fixed-mode compress: CRAV|RCR|RD_SRC2_AECS|CC = 0x1010C. */
export const IAA_COMPRESS_DESC_FLAGS = IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR | IDXD_OP_FLAG_RD_SRC2_AECS | IDXD_OP_FLAG_CC;
/** Descriptor flags of a decompress (and of verify): CRAV|RCR|CC = 0x10C. */
export const IAA_DECOMPRESS_DESC_FLAGS = IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR | IDXD_OP_FLAG_CC;

// Completion statuses the driver tests (raw, unmasked, as check_completion does)
/** IAX_COMP_NONE: not yet written. */
export const IAX_COMP_NONE = 0x00;
/** IAX_COMP_SUCCESS */
export const IAX_COMP_SUCCESS = 0x01;
/** IAX_COMP_PAGE_FAULT_IR */
export const IAX_COMP_PAGE_FAULT_IR = 0x04;
/** IAA_ANALYTICS_ERROR (IAX_COMP_ANALYTICS_ERROR) */
export const IAA_ANALYTICS_ERROR = 0x0a;
/** IAA_ERROR_DECOMP_BUF_OVERFLOW (IAX_COMP_OUTBUF_OVERFLOW) */
export const IAA_ERROR_DECOMP_BUF_OVERFLOW = 0x0b;
/** IAA_ERROR_WATCHDOG_EXPIRED (IAX_COMP_WATCHDOG) */
export const IAA_ERROR_WATCHDOG_EXPIRED = 0x24;
/** Analytics error code: compression output overflow. */
export const IAA_ERROR_COMP_BUF_OVERFLOW = 0x19;

/**
 * Byte offsets in `struct iax_hw_desc` (64 bytes, little-endian).
 */
export const DESC = {
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
} as const;

/**
 * Byte offsets in `struct iax_completion_record` (64 bytes, little-endian).
 */
export const COMP = {
  status: 0,
  errorCode: 1,
  bytesCompleted: 4,
  outputSize: 24,
  crc: 32,
} as const;
