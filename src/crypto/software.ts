/**
 * The kernel's software compressors as flat-buffer algorithms: deflate,
 * lzo, lzo-rle, lz4 and zstd, each with the 6.12 names (legacy
 * `<name>-generic` and scomp `<name>-scomp`, priority 0).
 *
 * linux: crypto/deflate.c, crypto/lzo.c, crypto/lzo-rle.c, crypto/lz4.c,
 * crypto/zstd.c (v6.12). Errors are the kernel's: every codec failure,
 * including output that does not fit `*dlen`, is -EINVAL; lzo and lzo-rle do
 * not bound their output (lzo1x_1_compress() trusts the buffer).
 */
import { deflateRawSync, inflateRawSync, constants as zc } from "node:zlib";
import { Errno } from "../lib/errno.js";
import { softwareCostNs, type CompOp } from "./_cost.js";
import type { CompAlg } from "./comp.js";
import { lz4CompressDefault, lz4DecompressSafe } from "./lz4.js";
import { lzo1x1Compress, lzo1xDecompressSafe, lzo1xWorstCompress } from "./lzo.js";
import { zstdCompress, zstdDecompress } from "./zstd.js";

/** CRYPTO_ALG_TYPE_COMPRESS */
export const CRYPTO_ALG_TYPE_COMPRESS = 0x00000002;

/** crypto/deflate.c: DEFLATE_DEF_LEVEL, DEFLATE_DEF_WINBITS, DEFLATE_DEF_MEMLEVEL. */
export const DEFLATE_DEF_LEVEL = zc.Z_DEFAULT_COMPRESSION;
export const DEFLATE_DEF_WINBITS = 11;
export const DEFLATE_DEF_MEMLEVEL = 9;

/** The largest input the scomp layer accepts (SCOMP_SCRATCH_SIZE). */
export const SCOMP_SCRATCH_SIZE = 131072;

const lzoScratch = new Uint8Array(lzo1xWorstCompress(SCOMP_SCRATCH_SIZE));

// linux: crypto/deflate.c __deflate_compress()
function deflateCompress(src: Uint8Array, dst: Uint8Array): number {
  let out: Buffer;
  try {
    out = deflateRawSync(src, {
      level: DEFLATE_DEF_LEVEL,
      windowBits: DEFLATE_DEF_WINBITS,
      memLevel: DEFLATE_DEF_MEMLEVEL,
      strategy: zc.Z_DEFAULT_STRATEGY,
    });
  } catch {
    return -Errno.EINVAL;
  }
  // zlib_deflate(Z_FINISH) does not reach Z_STREAM_END when avail_out runs out.
  if (out.length > dst.length) return -Errno.EINVAL;
  dst.set(out);
  return out.length;
}

// linux: crypto/deflate.c __deflate_decompress()
function deflateDecompress(src: Uint8Array, dst: Uint8Array): number {
  if (dst.length === 0) return -Errno.EINVAL;
  let out: Buffer;
  try {
    // One-shot inflate into a flat buffer accepts any distance back into the
    // output, so windowBits 15 behaves like the kernel's -11 here.
    out = inflateRawSync(src, { windowBits: 15, maxOutputLength: dst.length });
  } catch {
    return -Errno.EINVAL;
  }
  dst.set(out);
  return out.length;
}

// linux: crypto/lzo.c __lzo_compress(), crypto/lzo-rle.c __lzorle_compress()
function lzoCompress(rle: boolean, src: Uint8Array, dst: Uint8Array): number {
  const n = lzo1x1Compress(src, lzoScratch, rle);
  dst.set(lzoScratch.subarray(0, Math.min(n, dst.length)));
  return n;
}

function lzoDecompress(src: Uint8Array, dst: Uint8Array): number {
  const n = lzo1xDecompressSafe(src, dst);
  return n < 0 ? -Errno.EINVAL : n;
}

// linux: crypto/lz4.c __lz4_compress_crypto()
function lz4Compress(src: Uint8Array, dst: Uint8Array): number {
  const n = lz4CompressDefault(src, dst);
  return n === 0 ? -Errno.EINVAL : n;
}

function lz4Decompress(src: Uint8Array, dst: Uint8Array): number {
  const n = lz4DecompressSafe(src, dst);
  return n < 0 ? -Errno.EINVAL : n;
}

function zstdCompressAlg(src: Uint8Array, dst: Uint8Array): number {
  const n = zstdCompress(src, dst);
  return n < 0 ? -Errno.EINVAL : n;
}

function zstdDecompressAlg(src: Uint8Array, dst: Uint8Array): number {
  const n = zstdDecompress(src, dst);
  return n < 0 ? -Errno.EINVAL : n;
}

interface Codec {
  name: string;
  compress(src: Uint8Array, dst: Uint8Array): number;
  decompress(src: Uint8Array, dst: Uint8Array): number;
}

const CODECS: readonly Codec[] = [
  { name: "deflate", compress: deflateCompress, decompress: deflateDecompress },
  { name: "lzo", compress: (s, d) => lzoCompress(false, s, d), decompress: lzoDecompress },
  { name: "lzo-rle", compress: (s, d) => lzoCompress(true, s, d), decompress: lzoDecompress },
  { name: "lz4", compress: lz4Compress, decompress: lz4Decompress },
  { name: "zstd", compress: zstdCompressAlg, decompress: zstdDecompressAlg },
];

/** The cra_names of the software compressors, in crypto/Makefile order. */
export const SOFTWARE_COMPRESSORS: readonly string[] = CODECS.map((c) => c.name);

/** One software compressor: the legacy entry and the scomp backend share the codec. */
export interface SoftwareCompressor {
  /** `type : compression`, driver `<name>-generic`. */
  legacy: CompAlg;
  /** The scomp backend, driver `<name>-scomp`. */
  scomp: CompAlg;
}

function makeAlg(c: Codec, driver: string, flags: number): CompAlg {
  return {
    cra_name: c.name,
    cra_driver_name: driver,
    cra_priority: 0,
    cra_flags: flags,
    compress: c.compress,
    decompress: c.decompress,
    costNs(op: CompOp, inBytes: number, outBytes: number): number {
      return softwareCostNs(c.name, op, inBytes, outBytes);
    },
  };
}

/**
 * Fresh algorithm objects for every software compressor (one set per machine).
 *
 * @example
 * for (const { legacy, scomp } of softwareCompressors()) { ... }
 */
export function softwareCompressors(): SoftwareCompressor[] {
  return CODECS.map((c) => ({
    legacy: makeAlg(c, `${c.name}-generic`, CRYPTO_ALG_TYPE_COMPRESS),
    scomp: makeAlg(c, `${c.name}-scomp`, 0),
  }));
}
