/**
 * The scomp → acomp bridge: runs a synchronous flat-buffer compressor on an
 * acomp request whose buffers are scatterlists in emulated physical memory.
 *
 * linux: crypto/scompress.c scomp_acomp_comp_decomp() (v6.12): the input is
 * gathered into a scratch buffer, the algorithm writes into a scratch output of
 * SCOMP_SCRATCH_SIZE bytes bounded by `dlen`, and the result is copied to the
 * destination scatterlist. Always synchronous: returns 0 or a negative errno.
 */
import { Errno } from "../lib/errno.js";
import type { AcompAlg, AcompReq, CryptoEnv, Sg } from "./acomp.js";
import type { CompAlg, CompOp } from "./comp.js";
import { SCOMP_SCRATCH_SIZE } from "./software.js";

// The per-CPU scratch buffers (one set: the emulator runs one request at a time).
const scratchSrc = new Uint8Array(SCOMP_SCRATCH_SIZE);
const scratchDst = new Uint8Array(SCOMP_SCRATCH_SIZE);

function sgTotal(sg: Sg[]): number {
  let n = 0;
  for (const s of sg) n += s.length;
  return n;
}

/** Copies `len` bytes of the scatterlist into `buf` (scatterwalk_map_and_copy(out=0)). */
export function sgCopyToBuffer(env: CryptoEnv, sg: Sg[], buf: Uint8Array, len: number): number {
  let off = 0;
  for (const s of sg) {
    if (off >= len) break;
    const n = Math.min(s.length, len - off);
    buf.set(env.mem.view(s.addr, n), off);
    off += n;
  }
  return off;
}

/** Copies `buf[0, len)` into the scatterlist (scatterwalk_map_and_copy(out=1)). */
export function sgCopyFromBuffer(env: CryptoEnv, sg: Sg[], buf: Uint8Array, len: number): number {
  let off = 0;
  for (const s of sg) {
    if (off >= len) break;
    const n = Math.min(s.length, len - off);
    env.mem.view(s.addr, n).set(buf.subarray(off, off + n));
    off += n;
  }
  return off;
}

// linux: crypto/scompress.c scomp_acomp_comp_decomp()
function scompAcompCompDecomp(env: CryptoEnv, alg: CompAlg, req: AcompReq, dir: boolean): number {
  if (req.src.length === 0 || req.slen === 0 || req.slen > SCOMP_SCRATCH_SIZE) return -Errno.EINVAL;
  if (req.dst.length > 0 && req.dlen === 0) return -Errno.EINVAL;
  // The kernel allocates a destination when none is given; the emulator requires one.
  if (req.dst.length === 0) return -Errno.EINVAL;
  if (req.dlen === 0 || req.dlen > SCOMP_SCRATCH_SIZE) req.dlen = SCOMP_SCRATCH_SIZE;
  const dlen = req.dlen;
  if (sgTotal(req.src) < req.slen) return -Errno.EINVAL;

  let src: Uint8Array;
  const first = req.src[0]!;
  if (req.src.length === 1 && first.length >= req.slen) {
    src = env.mem.view(first.addr, req.slen);
  } else {
    sgCopyToBuffer(env, req.src, scratchSrc, req.slen);
    src = scratchSrc.subarray(0, req.slen);
  }
  const dst = scratchDst.subarray(0, dlen);
  const ret = dir ? alg.compress(src, dst) : alg.decompress(src, dst);
  if (ret < 0) return ret;
  req.dlen = ret;
  if (ret > dlen) return -Errno.ENOSPC;
  if (sgTotal(req.dst) < ret) return -Errno.EINVAL;
  sgCopyFromBuffer(env, req.dst, scratchDst, ret);
  return 0;
}

/**
 * Wraps a flat-buffer algorithm as an acomp algorithm of type "scomp" (what
 * crypto_register_scomp() makes visible to crypto_alloc_acomp()).
 *
 * @example
 * api.registerAcomp(scompAlg(lzoScomp, { mem }));
 */
export function scompAlg(alg: CompAlg, env: CryptoEnv): AcompAlg & { costNs(op: CompOp, inBytes: number, outBytes: number): number } {
  return {
    cra_name: alg.cra_name,
    cra_driver_name: alg.cra_driver_name,
    cra_priority: alg.cra_priority,
    cra_flags: alg.cra_flags,
    type: "scomp",
    module: alg.module,
    compress: (req) => scompAcompCompDecomp(env, alg, req, true),
    decompress: (req) => scompAcompCompDecomp(env, alg, req, false),
    costNs: (op, inBytes, outBytes) => alg.costNs?.(op, inBytes, outBytes) ?? 0,
  };
}
