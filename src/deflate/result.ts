/** The outcome of one compress or decompress job, as its completion record would report it. */
export interface IaaResult {
  /** Completion status: 0x01 success, 0x0a analytics error, 0x0b output overflow. */
  status: number;
  /** Analytics error code (valid when status is 0x0a), else 0. */
  errorCode: number;
  /** Bytes written to the output (including a flushed partial byte). */
  outputSize: number;
  /** CRC-32 (RFC 1952) of the uncompressed data. */
  crc: number;
  /** Valid bits in the last output byte (0 = all 8); for compress without FLUSH, the bits left in the accumulator. */
  outputBits: number;
  /** Input bytes consumed. */
  bytesConsumed: number;
  /** The precise failure ({@link DeflateFault}); 0 on success. */
  fault: number;
}
