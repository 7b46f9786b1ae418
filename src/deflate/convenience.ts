/** One-call compress/decompress on top of the engine, throwing {@link DeflateError} on failure. */
import { IAX_COMP_SUCCESS } from "./constants.js";
import { deflateIaa } from "./deflate_iaa.js";
import { DeflateError } from "./deflate_error.js";
import { inflateIaa } from "./inflate_iaa.js";

/**
 * Compresses `input` in the kernel's fixed mode (one final fixed-Huffman block,
 * 4 KiB history) into a new array. Never fails for lack of room: the output
 * buffer is sized for the worst case (9 bits per byte plus the header).
 *
 * @example
 * ```ts
 * import { compressFixed, decompress } from "iaa-emu/deflate";
 * const z = compressFixed(new TextEncoder().encode("abcabcabc"));
 * new TextDecoder().decode(decompress(z)); // "abcabcabc"
 * ```
 */
export function compressFixed(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil((input.length * 9 + 3 + 7) / 8) + 8);
  const r = deflateIaa(input, out);
  if (r.status !== IAX_COMP_SUCCESS) throw new DeflateError(r.status, r.errorCode, r.fault);
  return out.slice(0, r.outputSize);
}

/** Options of {@link decompress}. */
export interface DecompressOptions {
  /** "hw" (4 KiB history, as the IAA hardware; default) or "sw" (32 KiB). */
  window?: "hw" | "sw";
  /** Largest output accepted; more is a {@link DeflateError} with status 0x0b. Default 1 GiB. */
  maxOutput?: number;
}

/**
 * Decompresses a raw DEFLATE stream into a new array. Throws
 * {@link DeflateError} (with the IAA status and error code) on a corrupt or
 * truncated stream, a distance beyond the window, or output over `maxOutput`.
 *
 * @example
 * ```ts
 * import { decompress } from "iaa-emu/deflate";
 * decompress(Uint8Array.of(0x03, 0x00)); // empty fixed block → Uint8Array []
 * ```
 */
export function decompress(input: Uint8Array, options: DecompressOptions = {}): Uint8Array {
  const limit = options.maxOutput ?? 1 << 30;
  // Learn the size without writing, then decode once into an exact buffer.
  let size = Math.min(limit, Math.max(1024, input.length * 4));
  for (;;) {
    const out = new Uint8Array(size);
    const r = inflateIaa(input, out, { window: options.window ?? "hw" });
    if (r.status === IAX_COMP_SUCCESS) return out.slice(0, r.outputSize);
    if (r.status !== 0x0b || size >= limit) throw new DeflateError(r.status, r.errorCode, r.fault);
    size = Math.min(limit, size * 4);
  }
}
