import { FAULT_MESSAGE } from "./constants.js";

/**
 * Thrown by the convenience functions {@link compressFixed} and
 * {@link decompress} when the engine reports a failure. Carries the IAA
 * completion status and analytics error code, and the precise fault.
 */
export class DeflateError extends Error {
  override name = "DeflateError";
  /** Completion status (0x0a analytics error, 0x0b output overflow). */
  readonly status: number;
  /** Analytics error code (0 with status 0x0b). */
  readonly errorCode: number;
  /** The precise kind of failure (a `DeflateFault` value). */
  readonly fault: number;

  constructor(status: number, errorCode: number, fault: number) {
    super(`${FAULT_MESSAGE[fault] ?? "unknown failure"} (IAA ${status === 0x0a ? "error" : "status"} 0x${(status === 0x0a ? errorCode : status).toString(16).padStart(2, "0")})`);
    this.status = status;
    this.errorCode = errorCode;
    this.fault = fault;
  }
}
