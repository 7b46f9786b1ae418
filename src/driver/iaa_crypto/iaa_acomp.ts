/**
 * deflate-iaa's compress and decompress: descriptors built from the
 * request's DMA addresses, submitted to the WQ the CPU's table entry picks,
 * completed per sync_mode (sync: busy-poll here; async: -EINPROGRESS and the
 * caller polls through `poll`; async_irq: the idxd interrupt path calls
 * iaaDescComplete(), which completes the request's callback).
 *
 * linux: drivers/crypto/intel/iaa/iaa_crypto_main.c iaa_comp_acompress(),
 * iaa_compress(), iaa_compress_verify(), iaa_comp_adecompress(),
 * iaa_decompress(), deflate_generic_decompress(), iaa_desc_complete().
 */
import type { AcompReq, AcompTfm, Sg } from "../../crypto/acomp.js";
import { setU64 } from "../../hw/descriptor.js";
import { viewOf } from "../../lib/dataview.js";
import { Errno } from "../../lib/errno.js";
import { hex } from "./_log.js";
import { iaaWqGet, iaaWqPut, type IaaCryptoState, type IaaWq } from "./_state.js";
import { checkCompletion, compU32 } from "./check_completion.js";
import { compressionCtxInit, type IaaCompressionCtx } from "./driver_attrs.js";
import type { IdxdCompleteType, IdxdDescView, IdxdWqView } from "./host.js";
import {
  AECS_COMP_TABLE_RECORD_SIZE,
  COMP,
  DESC,
  IAA_ANALYTICS_ERROR,
  IAA_COMPRESS_DESC_FLAGS,
  IAA_COMP_FLAGS,
  IAA_DECOMPRESS_DESC_FLAGS,
  IAA_DECOMP_FLAGS,
  IAA_DECOMP_SUPPRESS_OUTPUT,
  IAX_OPCODE_COMPRESS,
  IAX_OPCODE_DECOMPRESS,
  IDXD_OP_FLAG_RCI,
} from "./iaa_crypto.js";

/** IDXD_COMP_DESC_ABORT: the status idxd writes into an aborted descriptor's record. */
const IDXD_COMP_DESC_ABORT = 0xff;

/** struct crypto_ctx (idxd_desc->crypto) for the irq path, and the async-poll state. */
interface InflightCtx {
  req: AcompReq;
  tfm: AcompTfm;
  wq: IdxdWqView;
  desc: IdxdDescView;
  srcAddr: number;
  dstAddr: number;
  compress: boolean;
  /** async_irq: the interrupt completes it, poll() only reports it in flight. */
  irq: boolean;
}

/** The fields of an IAA descriptor the driver fills. */
interface DescFields {
  opcode: number;
  flags: number;
  /** compr_flags or decompr_flags */
  opFlags: number;
  src1Addr: number;
  src1Size: number;
  dstAddr: number;
  maxDstSize: number;
  src2Addr: number;
  src2Size: number;
  completionAddr: number;
}

/**
 * Fills a `struct iax_hw_desc` field by field, as iaa_compress() does: the
 * PASID idxd_alloc_desc() put in stays, `priv` is cleared (desc->priv = 0).
 */
export function writeIaxDesc(hw: Uint8Array, f: DescFields): void {
  const dv = viewOf(hw);
  const o = hw.byteOffset;
  dv.setUint32(o + DESC.pasid, dv.getUint32(o + DESC.pasid, true) & 0x7fffffff, true);
  dv.setUint32(o + DESC.flagsOpcode, ((f.opcode << 24) | (f.flags & 0xffffff)) >>> 0, true);
  setU64(dv, o + DESC.completionAddr, f.completionAddr);
  setU64(dv, o + DESC.src1Addr, f.src1Addr);
  setU64(dv, o + DESC.dstAddr, f.dstAddr);
  dv.setUint32(o + DESC.src1Size, f.src1Size >>> 0, true);
  dv.setUint16(o + DESC.comprFlags, f.opFlags, true);
  setU64(dv, o + DESC.src2Addr, f.src2Addr);
  dv.setUint32(o + DESC.maxDstSize, f.maxDstSize >>> 0, true);
  dv.setUint32(o + DESC.src2Size, f.src2Size >>> 0, true);
}

function ctxOf(tfm: AcompTfm): IaaCompressionCtx {
  return tfm.ctx as IaaCompressionCtx;
}

/** iaa_comp_init_fixed(): captures the driver attributes into the transform. */
// linux: drivers/crypto/intel/iaa/iaa_crypto_main.c iaa_comp_init_fixed()
export function iaaCompInitFixed(st: IaaCryptoState, tfm: AcompTfm): number {
  (tfm as { ctx: unknown }).ctx = compressionCtxInit(st.settings);
  return 0;
}

/** dma_map_sg() of a request's list: the mapped segment count (no merging; DMA = physical). */
function dmaMapSg(sg: readonly Sg[]): number {
  return sg.length;
}

/** The WQ for this CPU, with a reference: a WQ or -ENODEV. */
function pickWq(st: IaaCryptoState, op: string): IdxdWqView | number {
  const cpu = st.host.ctx.cpu;
  const wq = wqTableNextWq(st, cpu);
  if (wq === null) {
    st.log.prDebug(op, `no wq configured for cpu=${cpu}`);
    return -Errno.ENODEV;
  }
  if (iaaWqGet(st, wq) !== 0) {
    st.log.prDebug(op, `no wq available for cpu=${cpu}`);
    return -Errno.ENODEV;
  }
  return wq;
}

/**
 * wq_table_next_wq(). Its merged-kernel debug line ("returning wq at idx …")
 * is not printed: the documentation's request traces have none.
 */
// linux: drivers/crypto/intel/iaa/iaa_crypto_main.c wq_table_next_wq()
function wqTableNextWq(st: IaaCryptoState, cpu: number): IdxdWqView | null {
  return st.table === null ? null : st.table.nextWq(cpu);
}

/** Maps src and dst (one segment each) and prints the documented dma_map_sg lines. */
function mapReq(st: IaaCryptoState, wq: IdxdWqView, req: AcompReq, func: string): { src: number; dst: number } | number {
  const dev = st.devName(wq.idxd);
  if (dmaMapSg(req.src) !== 1) {
    st.log.devDbg(dev, func, `couldn't map src sg for iaa device ${wq.idxd.id}, wq ${wq.id}: ret=0`);
    return -Errno.EIO;
  }
  const src = req.src[0]!.addr;
  if (st.log.dbgOn(func)) st.log.devDbg(dev, func, `dma_map_sg, src_addr ${hex(src)}, nr_sgs 1, req->src ${st.p(req.src)}, req->slen ${req.slen}, sg_dma_len(sg) ${req.src[0]!.length}`);
  if (dmaMapSg(req.dst) !== 1) {
    st.log.devDbg(dev, func, `couldn't map dst sg for iaa device ${wq.idxd.id}, wq ${wq.id}: ret=0`);
    return -Errno.EIO;
  }
  const dst = req.dst[0]!.addr;
  if (st.log.dbgOn(func)) st.log.devDbg(dev, func, `dma_map_sg, dst_addr ${hex(dst)}, nr_sgs 1, req->dst ${st.p(req.dst)}, req->dlen ${req.dlen}, sg_dma_len(sg) ${req.dst[0]!.length}`);
  return { src, dst };
}

function descLine(hw: Uint8Array): string {
  const dv = new DataView(hw.buffer, hw.byteOffset, 64);
  const u64 = (o: number) => hex(Number(dv.getBigUint64(o, true)));
  return (
    `desc->src1_addr ${u64(DESC.src1Addr)}, desc->src1_size ${dv.getUint32(DESC.src1Size, true)}, ` +
    `desc->dst_addr ${u64(DESC.dstAddr)}, desc->max_dst_size ${dv.getUint32(DESC.maxDstSize, true)}, ` +
    `desc->src2_addr ${u64(DESC.src2Addr)}, desc->src2_size ${dv.getUint32(DESC.src2Size, true)}`
  );
}

function allocDesc(st: IaaCryptoState, wq: IdxdWqView, func: string, what: string): IdxdDescView | number {
  const desc = st.host.idxd.allocDesc(wq, true);
  if (typeof desc === "number") {
    const dev = st.devName(wq.idxd);
    st.log.devDbg(dev, func, "idxd descriptor allocation failed");
    st.log.devDbg(dev, func, `iaa ${what} failed: ret=${desc}`);
  }
  return desc;
}

/**
 * The checks both entry points start with, then a WQ for this CPU (with a
 * reference) and the request's buffers mapped: the WQ and the DMA addresses,
 * or a negative errno (the reference already dropped).
 */
function startRequest(st: IaaCryptoState, req: AcompReq, func: string, verb: string): { wq: IdxdWqView; src: number; dst: number } | number {
  if (!st.enabled) {
    st.log.prDebug(func, `iaa_crypto disabled, not ${verb}`);
    return -Errno.ENODEV;
  }
  if (req.src.length === 0 || req.slen === 0) {
    st.log.prDebug(func, `invalid src, not ${verb}`);
    return -Errno.EINVAL;
  }
  if (req.dst.length === 0) {
    // A NULL dst (≤6.14) is not supported here; see FIDELITY_NOTES.md.
    st.log.prDebug(func, `invalid dst, not ${verb}`);
    return -Errno.EINVAL;
  }
  const wq = pickWq(st, func);
  if (typeof wq === "number") return wq;
  const mapped = mapReq(st, wq, req, func);
  if (typeof mapped === "number") {
    iaaWqPut(st, wq);
    return mapped;
  }
  return { wq, src: mapped.src, dst: mapped.dst };
}

// ---------------------------------------------------------------------------
// compress

/** acomp .compress */
// linux: drivers/crypto/intel/iaa/iaa_crypto_main.c iaa_comp_acompress()
export function iaaCompAcompress(st: IaaCryptoState, req: AcompReq): number {
  const func = "iaa_comp_acompress";
  const mapped = startRequest(st, req, func, "compressing");
  if (typeof mapped === "number") return mapped;
  const { wq } = mapped;
  const dev = st.devName(wq.idxd);
  const r = iaaCompress(st, req, wq, mapped.src, mapped.dst);
  if (r.ret === -Errno.EINPROGRESS) return r.ret;
  let ret = r.ret;
  if (ret === 0 && ctxOf(req.tfm).verifyCompress) {
    ret = iaaCompressVerify(st, req, wq, mapped.src, mapped.dst, r.crc);
    if (ret !== 0) st.log.devDbg(dev, func, `asynchronous compress verification failed ret=${ret}`);
  } else if (ret !== 0) {
    st.log.devDbg(dev, func, `asynchronous compress failed ret=${ret}`);
  }
  iaaWqPut(st, wq);
  return ret;
}

/** Builds and submits the compress descriptor; in sync mode also waits and collects. */
// linux: drivers/crypto/intel/iaa/iaa_crypto_main.c iaa_compress()
function iaaCompress(st: IaaCryptoState, req: AcompReq, wq: IdxdWqView, srcAddr: number, dstAddr: number): { ret: number; crc: number } {
  const func = "iaa_compress";
  const ctx = ctxOf(req.tfm);
  const iaaWq = st.wqPrivate.get(wq)!;
  const dev = st.devName(wq.idxd);
  const mode = iaaWq.device.compressionModes[ctx.mode];
  if (mode === null || mode === undefined) return { ret: -Errno.EINVAL, crc: 0 };

  const desc = allocDesc(st, wq, func, "compress");
  if (typeof desc === "number") return { ret: desc, crc: 0 };
  writeIaxDesc(desc.hw, {
    opcode: IAX_OPCODE_COMPRESS,
    flags: IAA_COMPRESS_DESC_FLAGS | (ctx.useIrq ? IDXD_OP_FLAG_RCI : 0),
    opFlags: IAA_COMP_FLAGS,
    src1Addr: srcAddr,
    src1Size: req.slen,
    dstAddr,
    maxDstSize: req.dlen,
    src2Addr: mode.aecsDma,
    src2Size: AECS_COMP_TABLE_RECORD_SIZE,
    completionAddr: desc.complDma,
  });
  const inflight: InflightCtx = { req, tfm: req.tfm, wq, desc, srcAddr, dstAddr, compress: true, irq: ctx.useIrq };
  if (ctx.useIrq) {
    desc.crypto = inflight;
    if (st.log.dbgOn(func)) st.log.devDbg(dev, func, `use_async_irq: compression mode ${mode.name}, src_addr ${hex(srcAddr)}, dst_addr ${hex(dstAddr)}`);
  }
  if (ctx.asyncMode) req.ctx = inflight;
  if (st.log.dbgOn(func)) st.log.devDbg(dev, func, descLine(desc.hw));

  const ret = st.host.idxd.submitDesc(wq, desc);
  if (ret !== 0) {
    st.log.devDbg(dev, func, `submit_desc failed ret=${ret}`);
    st.host.idxd.freeDesc(wq, desc);
    if (ctx.asyncMode) req.ctx = null;
    return { ret, crc: 0 };
  }
  st.stats.updateTotalCompCalls();
  st.stats.updateWqCompCalls(iaaWq.stats, iaaWq.device.stats);

  if (ctx.asyncMode) {
    if (st.log.dbgOn(func)) st.log.devDbg(dev, func, "returning -EINPROGRESS");
    return { ret: -Errno.EINPROGRESS, crc: 0 };
  }
  return compressCollect(st, inflight);
}

/** The sync tail of iaa_compress(): check the record, take dlen and CRC, free the descriptor. */
function compressCollect(st: IaaCryptoState, c: InflightCtx): { ret: number; crc: number } {
  const iaaWq = st.wqPrivate.get(c.wq)!;
  const ret = checkCompletion(st.completionEnv(c.wq.idxd), c.desc.completion, true, false);
  if (ret !== 0) {
    st.log.devDbg(st.devName(c.wq.idxd), "iaa_compress", `check_completion failed ret=${ret}`);
    st.host.idxd.freeDesc(c.wq, c.desc);
    st.log.devDbg(st.devName(c.wq.idxd), "iaa_compress", `iaa compress failed: ret=${ret}`);
    return { ret, crc: 0 };
  }
  c.req.dlen = compU32(c.desc.completion, COMP.outputSize);
  st.stats.updateTotalCompBytesOut(c.req.dlen);
  st.stats.updateWqCompBytes(iaaWq.stats, iaaWq.device.stats, c.req.dlen);
  const crc = compU32(c.desc.completion, COMP.crc);
  st.host.idxd.freeDesc(c.wq, c.desc);
  return { ret: 0, crc };
}

/**
 * Decompresses the output with suppressed writes and compares CRCs:
 * 0, -EINVAL on a mismatch, or the decompress's error.
 */
// linux: drivers/crypto/intel/iaa/iaa_crypto_main.c iaa_compress_verify()
function iaaCompressVerify(st: IaaCryptoState, req: AcompReq, wq: IdxdWqView, srcAddr: number, dstAddr: number, compressionCrc: number): number {
  const func = "iaa_compress_verify";
  const dev = st.devName(wq.idxd);
  // iaa_remap_for_verify(): the same single segments, mapped the other way round
  if (dmaMapSg(req.src) !== 1 || dmaMapSg(req.dst) !== 1) return -Errno.EIO;
  const desc = allocDesc(st, wq, func, "compress");
  if (typeof desc === "number") return desc;
  writeIaxDesc(desc.hw, {
    opcode: IAX_OPCODE_DECOMPRESS,
    flags: IAA_DECOMPRESS_DESC_FLAGS,
    opFlags: IAA_DECOMP_FLAGS | IAA_DECOMP_SUPPRESS_OUTPUT,
    src1Addr: dstAddr,
    src1Size: req.dlen,
    dstAddr: srcAddr,
    maxDstSize: req.slen,
    src2Addr: 0,
    src2Size: 0,
    completionAddr: desc.complDma,
  });
  if (st.log.dbgOn(func)) st.log.devDbg(dev, func, `(verify) ${descLine(desc.hw)}`);
  let ret = st.host.idxd.submitDesc(wq, desc);
  if (ret !== 0) {
    st.log.devDbg(dev, func, `submit_desc (verify) failed ret=${ret}`);
  } else {
    ret = checkCompletion(st.completionEnv(wq.idxd), desc.completion, false, false);
    if (ret !== 0) {
      st.log.devDbg(dev, func, `(verify) check_completion failed ret=${ret}`);
    } else {
      const crc = compU32(desc.completion, COMP.crc);
      if (crc !== compressionCrc) {
        ret = -Errno.EINVAL;
        st.log.devDbg(dev, func, `(verify) iaa comp/decomp crc mismatch: comp=0x${hex(compressionCrc)}, decomp=0x${hex(crc)}`);
        st.log.hexDump("cmp-rec: ", desc.completion.subarray(0, 64));
      }
    }
  }
  st.host.idxd.freeDesc(wq, desc);
  if (ret !== 0) st.log.devDbg(dev, func, `iaa compress failed: ret=${ret}`);
  return ret;
}

// ---------------------------------------------------------------------------
// decompress

/** acomp .decompress */
// linux: drivers/crypto/intel/iaa/iaa_crypto_main.c iaa_comp_adecompress()
export function iaaCompAdecompress(st: IaaCryptoState, req: AcompReq): number {
  const func = "iaa_comp_adecompress";
  const mapped = startRequest(st, req, func, "decompressing");
  if (typeof mapped === "number") return mapped;
  const { wq } = mapped;
  const ret = iaaDecompress(st, req, wq, mapped.src, mapped.dst);
  if (ret === -Errno.EINPROGRESS) return ret;
  if (ret !== 0) st.log.devDbg(st.devName(wq.idxd), func, `asynchronous decompress failed ret=${ret}`);
  iaaWqPut(st, wq);
  return ret;
}

// linux: drivers/crypto/intel/iaa/iaa_crypto_main.c iaa_decompress()
function iaaDecompress(st: IaaCryptoState, req: AcompReq, wq: IdxdWqView, srcAddr: number, dstAddr: number): number {
  const func = "iaa_decompress";
  const ctx = ctxOf(req.tfm);
  const iaaWq = st.wqPrivate.get(wq)!;
  const dev = st.devName(wq.idxd);
  const desc = allocDesc(st, wq, func, "decompress");
  if (typeof desc === "number") return desc;
  writeIaxDesc(desc.hw, {
    opcode: IAX_OPCODE_DECOMPRESS,
    flags: IAA_DECOMPRESS_DESC_FLAGS | (ctx.useIrq ? IDXD_OP_FLAG_RCI : 0),
    opFlags: IAA_DECOMP_FLAGS,
    src1Addr: srcAddr,
    src1Size: req.slen,
    dstAddr,
    maxDstSize: req.dlen,
    src2Addr: 0,
    src2Size: 0,
    completionAddr: desc.complDma,
  });
  const inflight: InflightCtx = { req, tfm: req.tfm, wq, desc, srcAddr, dstAddr, compress: false, irq: ctx.useIrq };
  if (ctx.useIrq) {
    desc.crypto = inflight;
    if (st.log.dbgOn(func)) st.log.devDbg(dev, func, `use_async_irq compression mode fixed, src_addr ${hex(srcAddr)}, dst_addr ${hex(dstAddr)}`);
  }
  if (ctx.asyncMode) req.ctx = inflight;
  if (st.log.dbgOn(func)) st.log.devDbg(dev, func, descLine(desc.hw));

  const ret = st.host.idxd.submitDesc(wq, desc);
  if (ret !== 0) {
    st.log.devDbg(dev, func, `submit_desc failed ret=${ret}`);
    st.host.idxd.freeDesc(wq, desc);
    if (ctx.asyncMode) req.ctx = null;
    return ret;
  }
  st.stats.updateTotalDecompCalls();
  st.stats.updateWqDecompCalls(iaaWq.stats, iaaWq.device.stats);

  if (ctx.asyncMode) {
    if (st.log.dbgOn(func)) st.log.devDbg(dev, func, "returning -EINPROGRESS");
    return -Errno.EINPROGRESS;
  }
  return decompressCollect(st, inflight);
}

/** The sync tail of iaa_decompress(): check, fall back to software on an analytics error, count. */
function decompressCollect(st: IaaCryptoState, c: InflightCtx): number {
  const func = "iaa_decompress";
  const iaaWq = st.wqPrivate.get(c.wq)!;
  const dev = st.devName(c.wq.idxd);
  let ret = checkCompletion(st.completionEnv(c.wq.idxd), c.desc.completion, false, false);
  if (ret !== 0) {
    st.log.devDbg(dev, func, `check_completion failed ret=${ret}`);
    if (c.desc.completion[COMP.status] === IAA_ANALYTICS_ERROR) {
      st.log.prWarn(`${func}: falling back to deflate-generic decompress, analytics error code ${hex(c.desc.completion[COMP.errorCode]!)}`);
      ret = deflateGenericDecompress(st, c);
      if (ret !== 0) st.log.devDbg(dev, func, `deflate-generic failed ret=${ret}`);
    }
    if (ret !== 0) {
      st.host.idxd.freeDesc(c.wq, c.desc);
      st.log.devDbg(dev, func, `iaa decompress failed: ret=${ret}`);
      return ret;
    }
  } else {
    c.req.dlen = compU32(c.desc.completion, COMP.outputSize);
  }
  st.host.idxd.freeDesc(c.wq, c.desc);
  st.stats.updateTotalDecompBytesIn(c.req.slen);
  st.stats.updateWqDecompBytes(iaaWq.stats, iaaWq.device.stats, c.req.slen);
  return 0;
}

/** The software fallback; counts total_sw_decomp_calls whatever the outcome. */
// linux: drivers/crypto/intel/iaa/iaa_crypto_main.c deflate_generic_decompress()
function deflateGenericDecompress(st: IaaCryptoState, c: InflightCtx): number {
  const mem = st.host.mem;
  const src = mem.view(c.srcAddr, c.req.slen);
  const dst = mem.view(c.dstAddr, c.req.dlen);
  const tfm = st.deflateGenericTfm;
  const n = tfm === null ? -Errno.ENODEV : st.host.crypto.compDecompress(tfm, src, dst);
  st.stats.updateTotalSwDecompCalls();
  if (n < 0) return n;
  c.req.dlen = n;
  return 0;
}

// ---------------------------------------------------------------------------
// completion without the busy-poll: async (caller polls) and async_irq

/**
 * acomp `poll` (sync_mode=async): -EAGAIN while the descriptor is in flight
 * (always in async_irq mode, where the interrupt completes the request);
 * once it completed, finishes the request exactly as the sync path would
 * (same errno, fallback and verify), calls its callback if one is set and
 * returns the result.
 */
export function iaaCompPoll(st: IaaCryptoState, req: AcompReq): number {
  const c = req.ctx as InflightCtx | null | undefined;
  if (c === null || c === undefined || c.req !== req) return -Errno.EINVAL;
  if (c.irq || c.desc.completion[COMP.status] === 0) return -Errno.EAGAIN;
  req.ctx = null;
  let ret: number;
  if (c.compress) {
    const r = compressCollect(st, c);
    ret = r.ret;
    if (ret === 0 && ctxOf(c.tfm).verifyCompress) ret = iaaCompressVerify(st, req, c.wq, c.srcAddr, c.dstAddr, r.crc);
  } else {
    ret = decompressCollect(st, c);
  }
  iaaWqPut(st, c.wq);
  req.complete?.(req, ret);
  return ret;
}

/**
 * .desc_complete: the idxd interrupt path for RCI descriptors. Any failure is
 * reported to the callback as -EIO, except a decompress analytics error that
 * the software fallback recovers.
 */
// linux: drivers/crypto/intel/iaa/iaa_crypto_main.c iaa_desc_complete()
export function iaaDescComplete(st: IaaCryptoState, desc: IdxdDescView, type: IdxdCompleteType, freeDesc: boolean): void {
  const func = "iaa_desc_complete";
  const c = desc.crypto as InflightCtx | null;
  if (c === null || c === undefined) return;
  // idxd marks an aborted descriptor IDXD_COMP_DESC_ABORT before completing it
  if (type === "abort" && desc.completion[COMP.status] === 0) desc.completion[COMP.status] = IDXD_COMP_DESC_ABORT;
  const iaaWq: IaaWq | undefined = st.wqPrivate.get(c.wq);
  if (iaaWq === undefined) return;
  const dev = st.devName(c.wq.idxd);
  if (st.log.dbgOn(func)) st.log.devDbg(dev, func, `compression mode fixed, ctx->src_addr ${hex(c.srcAddr)}, ctx->dst_addr ${hex(c.dstAddr)}`);
  let err = 0;
  let ret = checkCompletion(st.completionEnv(c.wq.idxd), desc.completion, c.compress, false);
  if (ret !== 0) {
    st.log.devDbg(dev, func, `check_completion failed ret=${ret}`);
    if (!c.compress && desc.completion[COMP.status] === IAA_ANALYTICS_ERROR) {
      st.log.prWarn(`${func}: falling back to deflate-generic decompress, analytics error code ${hex(desc.completion[COMP.errorCode]!)}`);
      ret = deflateGenericDecompress(st, c);
      if (ret !== 0) {
        st.log.devDbg(dev, func, `deflate-generic failed ret=${ret}`);
        err = -Errno.EIO;
      }
    } else {
      err = -Errno.EIO;
    }
  } else {
    c.req.dlen = compU32(desc.completion, COMP.outputSize);
  }
  if (err === 0) {
    if (c.compress) {
      st.stats.updateTotalCompBytesOut(c.req.dlen);
      st.stats.updateWqCompBytes(iaaWq.stats, iaaWq.device.stats, c.req.dlen);
    } else {
      st.stats.updateTotalDecompBytesIn(c.req.slen);
      st.stats.updateWqDecompBytes(iaaWq.stats, iaaWq.device.stats, c.req.slen);
    }
    if (c.compress && ctxOf(c.tfm).verifyCompress) {
      const crc = compU32(desc.completion, COMP.crc);
      ret = iaaCompressVerify(st, c.req, c.wq, c.srcAddr, c.dstAddr, crc);
      if (ret !== 0) {
        st.log.devDbg(dev, func, `compress verify failed ret=${ret}`);
        err = -Errno.EIO;
      }
    }
  }
  if (ret !== 0) st.log.devDbg(dev, func, `asynchronous compress failed ret=${ret}`);
  desc.crypto = null;
  if (c.req.ctx === c) c.req.ctx = null;
  c.req.complete?.(c.req, err);
  if (freeDesc) st.host.idxd.freeDesc(c.wq, desc);
  iaaWqPut(st, c.wq);
}
