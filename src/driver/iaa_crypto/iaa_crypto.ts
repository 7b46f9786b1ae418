/**
 * Constants of the iaa_crypto driver: descriptor opcodes and flags, the
 * completion statuses it checks, and its own tunables.
 *
 * linux: drivers/crypto/intel/iaa/iaa_crypto.h, include/uapi/linux/idxd.h.
 * Names are kept as the kernel spells them so they can be grepped.
 */

import { IAX_COMP_ANALYTICS_ERROR, IAX_COMP_OUTBUF_OVERFLOW, IAX_COMP_WATCHDOG, IDXD_OP_FLAG_CC, IDXD_OP_FLAG_CRAV, IDXD_OP_FLAG_RCR, IDXD_OP_FLAG_RD_SRC2_AECS } from "../../hw/descriptor.js";

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
// The uapi (include/uapi/linux/idxd.h) is shared with the device model: sizes,
// opcodes, descriptor flags, completion statuses and the two structs' layouts.
export {
  IAX_COMPL_SIZE as IAX_COMPLETION_RECORD_SIZE,
  IAX_DESC_SIZE as IAX_HW_DESC_SIZE,
  IAX_OPCODE_COMPRESS,
  IAX_OPCODE_DECOMPRESS,
  IDXD_OP_FLAG_CC,
  IDXD_OP_FLAG_CRAV,
  IDXD_OP_FLAG_RCI,
  IDXD_OP_FLAG_RCR,
  IDXD_OP_FLAG_RD_SRC2_AECS,
  IAX_COMP_NONE,
  IAX_COMP_PAGE_FAULT_IR,
  IAX_COMP_SUCCESS,
  IAA_ERROR_COMP_BUF_OVERFLOW,
  DESC_OFF as DESC,
  COMPL_OFF as COMP,
} from "../../hw/descriptor.js";

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

// Completion statuses check_completion() tests, by their iaa_crypto.h names
/** IAA_ANALYTICS_ERROR (IAX_COMP_ANALYTICS_ERROR) */
export const IAA_ANALYTICS_ERROR = IAX_COMP_ANALYTICS_ERROR;
/** IAA_ERROR_DECOMP_BUF_OVERFLOW (IAX_COMP_OUTBUF_OVERFLOW) */
export const IAA_ERROR_DECOMP_BUF_OVERFLOW = IAX_COMP_OUTBUF_OVERFLOW;
/** IAA_ERROR_WATCHDOG_EXPIRED (IAX_COMP_WATCHDOG) */
export const IAA_ERROR_WATCHDOG_EXPIRED = IAX_COMP_WATCHDOG;
