/**
 * Zstandard. Compression runs the reference library, libzstd compiled to
 * WebAssembly (the `@bokuweb/zstd-wasm` package), so zstd's output, and with it
 * zswap's compression ratio on zstd, is what the real library gives.
 * Decompression uses `fzstd`, a complete decoder in JavaScript that treats
 * malformed frames as errors.
 *
 * linux: crypto/zstd.c compresses at ZSTD_DEF_LEVEL (3). The kernel derives
 * its parameters for an unknown source size (`zstd_get_params(3, 0)`);
 * ZSTD_compress() picks level 3's parameters for the actual size, which for a
 * 4 KiB page differ a little (see docs/FIDELITY.md). Frames carry the content
 * size and no checksum, as the kernel's do.
 *
 * The library is loaded once, when this module is first imported (top-level
 * await).
 */
import zstdWasm from "@bokuweb/zstd-wasm";
import { decompress as fzstdDecompress } from "fzstd";

/** The level crypto/zstd.c compresses at (ZSTD_DEF_LEVEL). */
export const ZSTD_DEF_LEVEL = 3;

const lib = zstdWasm as unknown as { init(): Promise<void>; compress(buf: Uint8Array, level: number): Uint8Array };
await lib.init();

/**
 * Compresses `src` into one zstd frame in `dst` at level 3. Returns the frame's
 * length, or -1 when it does not fit in `dst` (the kernel returns -EINVAL).
 *
 * @example
 * const n = zstdCompress(page, out); // n > 0: out.subarray(0, n) is a zstd frame
 */
export function zstdCompress(src: Uint8Array, dst: Uint8Array): number {
  let out: Uint8Array;
  try {
    out = lib.compress(src, ZSTD_DEF_LEVEL);
  } catch {
    return -1;
  }
  if (out.length > dst.length) return -1;
  dst.set(out);
  return out.length;
}

/**
 * Decompresses the zstd frame(s) in `src` into `dst`. Returns the decoded
 * length, or -1 for a malformed frame or output larger than `dst`.
 */
export function zstdDecompress(src: Uint8Array, dst: Uint8Array): number {
  let out: Uint8Array;
  try {
    out = fzstdDecompress(src);
  } catch {
    return -1;
  }
  if (out.length > dst.length) return -1;
  dst.set(out);
  return out.length;
}
