/**
 * The asynchronous compression (acomp) interface of the crypto API.
 *
 * linux: include/crypto/acompress.h, crypto/acompress.c. Buffers are
 * single- or multi-segment scatterlists of emulated physical memory (a DMA
 * address equals the physical address). An algorithm's compress/decompress
 * returns 0 (done), -EINPROGRESS (the completion callback runs later) or a
 * negative errno; `req.dlen` holds the output length when done.
 */
import type { PhysMem } from "../mm/phys_mem.js";

/** One scatterlist entry: `length` bytes at physical address `addr`. */
export interface Sg {
  addr: number;
  length: number;
}

/** CRYPTO_ALG_ASYNC */
export const CRYPTO_ALG_ASYNC = 0x00000080;
/** CRYPTO_TFM_REQ_MAY_BACKLOG */
export const CRYPTO_TFM_REQ_MAY_BACKLOG = 0x00000400;

export type AcompCompleteFn = (req: AcompReq, err: number) => void;

/** struct acomp_req */
export interface AcompReq {
  tfm: AcompTfm;
  src: Sg[];
  dst: Sg[];
  /** Input length. */
  slen: number;
  /** In: output capacity. Out: bytes produced. */
  dlen: number;
  flags: number;
  /** Completion callback for -EINPROGRESS requests (acomp_request_set_callback). */
  complete: AcompCompleteFn | null;
  /** Callback data (req->base.data). */
  data: unknown;
  /** Algorithm-private per-request context (acomp_request_ctx). */
  ctx: unknown;
  /** Emulated kernel pointer value of the request, for %p in debug messages. */
  readonly ptr: number;
}

/** A module reference held while a transform is alive (cra_module pinning). */
export interface ModuleRef {
  name: string;
  /** try_module_get(): false if the module is going away. */
  get(): boolean;
  put(): void;
}

/** struct acomp_alg (with the crypto_alg fields /proc/crypto shows). */
export interface AcompAlg {
  cra_name: string;
  cra_driver_name: string;
  cra_priority: number;
  cra_flags: number;
  /** "acomp" for async drivers, "scomp" for synchronous software algorithms. */
  type: "acomp" | "scomp";
  /** Owning module; undefined = built into the kernel ("kernel" in /proc/crypto). */
  module?: ModuleRef;
  /** Set on tfm creation; returns 0 or -errno. The tfm's ctx is the alg's to fill. */
  init?(tfm: AcompTfm): number;
  exit?(tfm: AcompTfm): void;
  compress(req: AcompReq): number;
  decompress(req: AcompReq): number;
  /**
   * Emulator extension for callers that poll (sync_mode=async): 0 when the
   * request has completed (its result delivered), -EAGAIN while in flight.
   */
  poll?(req: AcompReq): number;
  /**
   * Emulator extension: CPU time in ns one call takes (software algorithms),
   * for callers that charge it to the virtual clock.
   */
  costNs?(op: "compress" | "decompress", inBytes: number, outBytes: number): number;
}

/** struct crypto_acomp */
export interface AcompTfm {
  alg: AcompAlg;
  /** Algorithm-private transform context (crypto_tfm_ctx). */
  ctx: unknown;
  /** Emulated kernel pointer value of the transform. */
  readonly ptr: number;
}

/** What algorithms need from the machine to touch request buffers. */
export interface CryptoEnv {
  mem: PhysMem;
}
