/**
 * Synchronous, flat-buffer compression algorithms: the legacy crypto_comp
 * interface (`type : compression` in /proc/crypto, drivers `*-generic`) and
 * the scomp backends behind the software acomp algorithms (`*-scomp`).
 *
 * linux: include/linux/crypto.h (struct compress_alg), crypto/compress.c,
 * include/crypto/internal/scompress.h (struct scomp_alg).
 */
import type { ModuleRef } from "./acomp.js";
import type { CompOp } from "./_cost.js";

export type { CompOp } from "./_cost.js";

/**
 * A software compressor working on flat buffers. `compress`/`decompress`
 * read all of `src`, write into `dst` (whose length is the caller's `*dlen`)
 * and return the number of bytes produced, or a negative errno. An algorithm
 * that does not bound its output (lzo) may return more than `dst.length`; it
 * then writes only the first `dst.length` bytes.
 */
export interface CompAlg {
  cra_name: string;
  cra_driver_name: string;
  cra_priority: number;
  cra_flags: number;
  /** Owning module; undefined = built in ("kernel" in /proc/crypto). */
  module?: ModuleRef;
  compress(src: Uint8Array, dst: Uint8Array): number;
  decompress(src: Uint8Array, dst: Uint8Array): number;
  /** CPU time in ns one call takes, for the virtual clock. */
  costNs?(op: CompOp, inBytes: number, outBytes: number): number;
}

/** struct crypto_comp: a transform of a legacy compression algorithm. */
export interface CompTfm {
  alg: CompAlg;
  readonly ptr: number;
}
