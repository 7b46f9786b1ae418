/**
 * The crypto self-tests for compression algorithms, run on registration.
 *
 * linux: crypto/testmgr.c alg_test(), alg_test_comp(), test_acomp(),
 * test_comp(); vectors from crypto/testmgr.h (deflate_*, lzo_*, lzorle_*,
 * lz4_*, zstd_*_tv_template). Compression tests only check a round trip
 * within a COMP_BUF_SIZE (512-byte) buffer; decompression tests must give
 * the expected bytes exactly. `deflate-iaa` uses the deflate vectors.
 */
import { Errno } from "../lib/errno.js";
import type { AcompReq, AcompTfm, Sg } from "./acomp.js";
import type { CompTfm } from "./comp.js";

/** COMP_BUF_SIZE */
export const COMP_BUF_SIZE = 512;

/** struct comp_testvec */
export interface CompTestvec {
  input: Uint8Array;
  output: Uint8Array;
}

/** The comp and decomp templates of one alg_test_descs[] entry. */
export interface CompTestSuite {
  comp: readonly CompTestvec[];
  decomp: readonly CompTestvec[];
}

/** A C string literal of testmgr.h ("\x28\xb5...") as bytes. */
function bin(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

function vec(input: string, output: string): CompTestvec {
  return { input: bin(input), output: bin(output) };
}

const JOIN_US = "Join us now and share the software " + "Join us now and share the software ";
const DEFLATE_RFC =
  "This document describes a compression method based on the DEFLATE" +
  "compression algorithm.  This document defines the application of " +
  "the DEFLATE algorithm to the IP Payload Compression Protocol.";
const DEFLATE_A =
  "\xf3\xca\xcf\xcc\x53\x28\x2d\x56\xc8\xcb\x2f\x57\x48\xcc\x4b\x51" +
  "\x28\xce\x48\x2c\x4a\x55\x28\xc9\x48\x55\x28\xce\x4f\x2b\x29\x07" +
  "\x71\xbc\x08\x2b\x01\x00";
const DEFLATE_B =
  "\x5d\x8d\x31\x0e\xc2\x30\x10\x04\xbf\xb2\x2f\xc8\x1f\x10\x04\x09" +
  "\x89\xc2\x85\x3f\x70\xb1\x2f\xf8\x24\xdb\x67\xd9\x47\xc1\xef\x49" +
  "\x68\x12\x51\xae\x76\x67\xd6\x27\x19\x88\x1a\xde\x85\xab\x21\xf2" +
  "\x08\x5d\x16\x1e\x20\x04\x2d\xad\xf3\x18\xa2\x15\x85\x2d\x69\xc4" +
  "\x42\x83\x23\xb6\x6c\x89\x71\x9b\xef\xcf\x8b\x9f\xcf\x33\xca\x2f" +
  "\xed\x62\xa9\x4c\x80\xff\x13\xaf\x52\x37\xed\x0e\x52\x6b\x59\x02" +
  "\xd9\x4e\xe8\x7a\x76\x1d\x02\x98\xfe\x8a\x87\x83\xa3\x4f\x56\x8a" +
  "\xb8\x9e\x8e\x5c\x57\xd3\xa0\x79\xfa\x02";

const LZO_UBIFS =
  "This document describes a compression method based on the LZO " +
  "compression algorithm.  This document defines the application of " +
  "the LZO algorithm used in UBIFS.";
const LZO_A =
  "\x00\x0d\x4a\x6f\x69\x6e\x20\x75\x73\x20\x6e\x6f\x77\x20\x61\x6e" +
  "\x64\x20\x73\x68\x61\x72\x65\x20\x74\x68\x65\x20\x73\x6f\x66\x74" +
  "\x77\x70\x01\x32\x88\x00\x0c\x65\x20\x74\x68\x65\x20\x73\x6f\x66" +
  "\x74\x77\x61\x72\x65\x20\x11\x00\x00";
const LZO_B =
  "\x00\x2c\x54\x68\x69\x73\x20\x64\x6f\x63\x75\x6d\x65\x6e\x74\x20" +
  "\x64\x65\x73\x63\x72\x69\x62\x65\x73\x20\x61\x20\x63\x6f\x6d\x70" +
  "\x72\x65\x73\x73\x69\x6f\x6e\x20\x6d\x65\x74\x68\x6f\x64\x20\x62" +
  "\x61\x73\x65\x64\x20\x6f\x6e\x20\x74\x68\x65\x20\x4c\x5a\x4f\x20" +
  "\x2a\x8c\x00\x09\x61\x6c\x67\x6f\x72\x69\x74\x68\x6d\x2e\x20\x20" +
  "\x2e\x54\x01\x03\x66\x69\x6e\x65\x73\x20\x74\x06\x05\x61\x70\x70" +
  "\x6c\x69\x63\x61\x74\x76\x0a\x6f\x66\x88\x02\x60\x09\x27\xf0\x00" +
  "\x0c\x20\x75\x73\x65\x64\x20\x69\x6e\x20\x55\x42\x49\x46\x53\x2e" +
  "\x11\x00\x00";
const LZO_DECOMP_UBIFS =
  "\x00\x2b\x54\x68\x69\x73\x20\x64\x6f\x63\x75\x6d\x65\x6e\x74\x20" +
  "\x64\x65\x73\x63\x72\x69\x62\x65\x73\x20\x61\x20\x63\x6f\x6d\x70" +
  "\x72\x65\x73\x73\x69\x6f\x6e\x20\x6d\x65\x74\x68\x6f\x64\x20\x62" +
  "\x61\x73\x65\x64\x20\x6f\x6e\x20\x74\x68\x65\x20\x4c\x5a\x4f\x2b" +
  "\x8c\x00\x0d\x61\x6c\x67\x6f\x72\x69\x74\x68\x6d\x2e\x20\x20\x54" +
  "\x68\x69\x73\x2a\x54\x01\x02\x66\x69\x6e\x65\x73\x94\x06\x05\x61" +
  "\x70\x70\x6c\x69\x63\x61\x74\x76\x0a\x6f\x66\x88\x02\x60\x09\x27" +
  "\xf0\x00\x0c\x20\x75\x73\x65\x64\x20\x69\x6e\x20\x55\x42\x49\x46" +
  "\x53\x2e\x11\x00\x00";
const LZO_DECOMP_JOIN =
  "\x00\x0d\x4a\x6f\x69\x6e\x20\x75\x73\x20\x6e\x6f\x77\x20\x61\x6e" +
  "\x64\x20\x73\x68\x61\x72\x65\x20\x74\x68\x65\x20\x73\x6f\x66\x74" +
  "\x77\x70\x01\x01\x4a\x6f\x69\x6e\x3d\x88\x00\x11\x00\x00";
// lzorle_comp_tv_template: the lzo streams behind the "\x11\x01" version header.
const LZORLE_A = "\x11\x01" + LZO_A;
const LZORLE_B = "\x11\x01" + LZO_B;

const LZ4_TEXT =
  "LZ4 is lossless compression algorithm, providing" +
  " compression speed at 400 MB/s per core, scalable " +
  "with multi-cores CPU. It features an extremely fast " +
  "decoder, with speed in multiple GB/s per core, " +
  "typically reaching RAM speed limits on multi-core " +
  "systems.";
const LZ4_OUT =
  "\xf9\x21\x4c\x5a\x34\x20\x69\x73\x20\x6c\x6f\x73\x73" +
  "\x6c\x65\x73\x73\x20\x63\x6f\x6d\x70\x72\x65\x73\x73" +
  "\x69\x6f\x6e\x20\x61\x6c\x67\x6f\x72\x69\x74\x68\x6d" +
  "\x2c\x20\x70\x72\x6f\x76\x69\x64\x69\x6e\x67\x21\x00" +
  "\xf0\x21\x73\x70\x65\x65\x64\x20\x61\x74\x20\x34\x30" +
  "\x30\x20\x4d\x42\x2f\x73\x20\x70\x65\x72\x20\x63\x6f" +
  "\x72\x65\x2c\x20\x73\x63\x61\x6c\x61\x62\x6c\x65\x20" +
  "\x77\x69\x74\x68\x20\x6d\x75\x6c\x74\x69\x2d\x1a\x00" +
  "\xf0\x00\x73\x20\x43\x50\x55\x2e\x20\x49\x74\x20\x66" +
  "\x65\x61\x74\x75\x11\x00\xf2\x0b\x61\x6e\x20\x65\x78" +
  "\x74\x72\x65\x6d\x65\x6c\x79\x20\x66\x61\x73\x74\x20" +
  "\x64\x65\x63\x6f\x64\x65\x72\x2c\x3d\x00\x02\x67\x00" +
  "\x22\x69\x6e\x46\x00\x5a\x70\x6c\x65\x20\x47\x6c\x00" +
  "\xf0\x00\x74\x79\x70\x69\x63\x61\x6c\x6c\x79\x20\x72" +
  "\x65\x61\x63\x68\xa7\x00\x33\x52\x41\x4d\x38\x00\x83" +
  "\x6c\x69\x6d\x69\x74\x73\x20\x6f\x3f\x00\x01\x85\x00" +
  "\x90\x20\x73\x79\x73\x74\x65\x6d\x73\x2e";

const ZSTD_A_TEXT = "The algorithm is zstd. " + "The algorithm is zstd. " + "The algorithm is zstd.";
const ZSTD_B_TEXT =
  "zstd, short for Zstandard, is a fast lossless " +
  "compression algorithm, targeting real-time " +
  "compression scenarios at zlib-level and better " +
  "compression ratios. The zstd compression library " +
  "provides in-memory compression and decompression " +
  "functions.";
const ZSTD_A_COMP =
  "\x28\xb5\x2f\xfd\x00\x50\xf5\x00\x00\xb8\x54\x68\x65" +
  "\x20\x61\x6c\x67\x6f\x72\x69\x74\x68\x6d\x20\x69\x73" +
  "\x20\x7a\x73\x74\x64\x2e\x20\x01\x00\x55\x73\x36\x01";
const ZSTD_B_BODY =
  "\x50\x75\x04\x00\x42\x4b\x1e\x17" +
  "\x90\x81\x31\x00\xf2\x2f\xe4\x36\xc9\xef\x92\x88\x32" +
  "\xc9\xf2\x24\x94\xd8\x68\x9a\x0f\x00\x0c\xc4\x31\x6f" +
  "\x0d\x0c\x38\xac\x5c\x48\x03\xcd\x63\x67\xc0\xf3\xad" +
  "\x4e\x90\xaa\x78\xa0\xa4\xc5\x99\xda\x2f\xb6\x24\x60" +
  "\xe2\x79\x4b\xaa\xb6\x6b\x85\x0b\xc9\xc6\x04\x66\x86" +
  "\xe2\xcc\xe2\x25\x3f\x4f\x09\xcd\xb8\x9d\xdb\xc1\x90" +
  "\xa9\x11\xbc\x35\x44\x69\x2d\x9c\x64\x4f\x13\x31\x64" +
  "\xcc\xfb\x4d\x95\x93\x86\x7f\x33\x7f\x1a\xef\xe9\x30" +
  "\xf9\x67\xa1\x94\x0a\x69\x0f\x60\xcd\xc3\xab\x99\xdc" +
  "\x42\xed\x97\x05\x00\x33\xc3\x15\x95\x3a\x06\xa0\x0e" +
  "\x20\xa9\x0e\x82\xb9\x43\x45\x01";
const ZSTD_A_DECOMP =
  "\x28\xb5\x2f\xfd\x04\x50\xf5\x00\x00\xb8\x54\x68\x65" +
  "\x20\x61\x6c\x67\x6f\x72\x69\x74\x68\x6d\x20\x69\x73" +
  "\x20\x7a\x73\x74\x64\x2e\x20\x01\x00\x55\x73\x36\x01" +
  "\x6b\xf4\x13\x35";

/** alg_test_descs[] for the compression algorithms, by cra_name or driver name. */
export const COMP_TEST_SUITES: Readonly<Record<string, CompTestSuite>> = {
  deflate: {
    comp: [vec(JOIN_US, DEFLATE_A), vec(DEFLATE_RFC, DEFLATE_B)],
    decomp: [vec(DEFLATE_B, DEFLATE_RFC), vec(DEFLATE_A, JOIN_US)],
  },
  lzo: {
    comp: [vec(JOIN_US, LZO_A), vec(LZO_UBIFS, LZO_B)],
    decomp: [vec(LZO_DECOMP_UBIFS, LZO_UBIFS), vec(LZO_DECOMP_JOIN, JOIN_US)],
  },
  "lzo-rle": {
    comp: [vec(JOIN_US, LZORLE_A), vec(LZO_UBIFS, LZORLE_B)],
    decomp: [vec(LZO_DECOMP_UBIFS, LZO_UBIFS), vec(LZORLE_A, JOIN_US)],
  },
  lz4: {
    comp: [vec(LZ4_TEXT, LZ4_OUT)],
    decomp: [vec(LZ4_OUT, LZ4_TEXT)],
  },
  zstd: {
    comp: [vec(ZSTD_A_TEXT, ZSTD_A_COMP), vec(ZSTD_B_TEXT, "\x28\xb5\x2f\xfd\x00" + ZSTD_B_BODY)],
    decomp: [vec(ZSTD_A_DECOMP, ZSTD_A_TEXT), vec("\x28\xb5\x2f\xfd\x04" + ZSTD_B_BODY + "\xaa\x6d\xda\x0d", ZSTD_B_TEXT)],
  },
};

/**
 * alg_find_test(): the suite for a driver name, else for the cra_name
 * (alg_test_descs has "deflate-iaa" by driver name, the others by cra_name).
 */
export function findCompTestSuite(name: string, driver: string): CompTestSuite | undefined {
  if (driver === "deflate-iaa") return COMP_TEST_SUITES.deflate;
  return COMP_TEST_SUITES[driver] ?? COMP_TEST_SUITES[name];
}

// ---------------------------------------------------------------------------
// The test procedures. They reach the crypto API through this narrow surface
// (the API imports this file, not the other way round).

/** What test_acomp() needs from the crypto API. */
export interface AcompTestOps {
  kmalloc(size: number): number;
  kfree(pa: number): void;
  write(pa: number, data: Uint8Array): void;
  read(pa: number, len: number): Uint8Array;
  requestAlloc(tfm: AcompTfm): AcompReq;
  requestFree(req: AcompReq): void;
  requestSetParams(req: AcompReq, src: Sg[], dst: Sg[], slen: number, dlen: number): void;
  compress(req: AcompReq): number;
  decompress(req: AcompReq): number;
  /** acomp_request_set_callback(MAY_BACKLOG, crypto_req_done) + crypto_wait_req(). */
  waitReq(ret: number, req: AcompReq): number;
  log(text: string): void;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * test_acomp(): round-trips each comp vector and checks each decomp vector
 * exactly, through the acomp API with buffers in emulated memory.
 * Returns 0 or a negative errno (and logs the kernel's message).
 */
// linux: crypto/testmgr.c test_acomp()
export function testAcomp(ops: AcompTestOps, tfm: AcompTfm, suite: CompTestSuite): number {
  const driver = tfm.alg.cra_driver_name;
  const output = ops.kmalloc(COMP_BUF_SIZE);
  const decompOut = ops.kmalloc(COMP_BUF_SIZE);
  const input = ops.kmalloc(COMP_BUF_SIZE);
  const req = ops.requestAlloc(tfm);
  let ret = 0;
  try {
    for (let i = 0; i < suite.comp.length; i++) {
      const v = suite.comp[i]!;
      ops.write(input, v.input);
      ops.write(output, new Uint8Array(COMP_BUF_SIZE));
      ops.requestSetParams(req, [{ addr: input, length: v.input.length }], [{ addr: output, length: COMP_BUF_SIZE }], v.input.length, COMP_BUF_SIZE);
      ret = ops.waitReq(ops.compress(req), req);
      if (ret) {
        ops.log(`alg: acomp: compression failed on test ${i + 1} for ${driver}: ret=${-ret}`);
        return ret;
      }
      const ilen = req.dlen;
      ops.write(decompOut, new Uint8Array(COMP_BUF_SIZE));
      ops.requestSetParams(req, [{ addr: output, length: ilen }], [{ addr: decompOut, length: COMP_BUF_SIZE }], ilen, COMP_BUF_SIZE);
      ret = ops.waitReq(ops.decompress(req), req);
      if (ret) {
        ops.log(`alg: acomp: compression failed on test ${i + 1} for ${driver}: ret=${-ret}`);
        return ret;
      }
      if (req.dlen !== v.input.length) {
        ops.log(`alg: acomp: Compression test ${i + 1} failed for ${driver}: output len = ${req.dlen}`);
        return -Errno.EINVAL;
      }
      if (!equalBytes(ops.read(decompOut, v.input.length), v.input)) {
        ops.log(`alg: acomp: Compression test ${i + 1} failed for ${driver}`);
        return -Errno.EINVAL;
      }
    }
    for (let i = 0; i < suite.decomp.length; i++) {
      const v = suite.decomp[i]!;
      ops.write(input, v.input);
      ops.write(output, new Uint8Array(COMP_BUF_SIZE));
      ops.requestSetParams(req, [{ addr: input, length: v.input.length }], [{ addr: output, length: COMP_BUF_SIZE }], v.input.length, COMP_BUF_SIZE);
      ret = ops.waitReq(ops.decompress(req), req);
      if (ret) {
        ops.log(`alg: acomp: decompression failed on test ${i + 1} for ${driver}: ret=${-ret}`);
        return ret;
      }
      if (req.dlen !== v.output.length) {
        ops.log(`alg: acomp: Decompression test ${i + 1} failed for ${driver}: output len = ${req.dlen}`);
        return -Errno.EINVAL;
      }
      if (!equalBytes(ops.read(output, req.dlen), v.output)) {
        ops.log(`alg: acomp: Decompression test ${i + 1} failed for ${driver}`);
        return -Errno.EINVAL;
      }
    }
    return 0;
  } finally {
    ops.requestFree(req);
    ops.kfree(input);
    ops.kfree(decompOut);
    ops.kfree(output);
  }
}

/** What test_comp() needs: crypto_comp_compress/decompress on flat buffers. */
export interface CompTestOps {
  compCompress(tfm: CompTfm, src: Uint8Array, dst: Uint8Array): number;
  compDecompress(tfm: CompTfm, src: Uint8Array, dst: Uint8Array): number;
  log(text: string): void;
}

/** test_comp(): the same checks for a legacy crypto_comp transform. */
// linux: crypto/testmgr.c test_comp()
export function testComp(ops: CompTestOps, tfm: CompTfm, suite: CompTestSuite): number {
  const driver = tfm.alg.cra_driver_name;
  const output = new Uint8Array(COMP_BUF_SIZE);
  const decompOut = new Uint8Array(COMP_BUF_SIZE);
  for (let i = 0; i < suite.comp.length; i++) {
    const v = suite.comp[i]!;
    output.fill(0);
    decompOut.fill(0);
    let n = ops.compCompress(tfm, v.input, output);
    if (n < 0) {
      ops.log(`alg: comp: compression failed on test ${i + 1} for ${driver}: ret=${-n}`);
      return n;
    }
    n = ops.compDecompress(tfm, output.subarray(0, n), decompOut);
    if (n < 0) {
      ops.log(`alg: comp: compression failed: decompress: on test ${i + 1} for ${driver} failed: ret=${-n}`);
      return n;
    }
    if (n !== v.input.length) {
      ops.log(`alg: comp: Compression test ${i + 1} failed for ${driver}: output len = ${n}`);
      return -Errno.EINVAL;
    }
    if (!equalBytes(decompOut.subarray(0, n), v.input)) {
      ops.log(`alg: comp: compression failed: output differs: on test ${i + 1} for ${driver}`);
      return -Errno.EINVAL;
    }
  }
  for (let i = 0; i < suite.decomp.length; i++) {
    const v = suite.decomp[i]!;
    decompOut.fill(0);
    const n = ops.compDecompress(tfm, v.input, decompOut);
    if (n < 0) {
      ops.log(`alg: comp: decompression failed on test ${i + 1} for ${driver}: ret=${-n}`);
      return n;
    }
    if (n !== v.output.length) {
      ops.log(`alg: comp: Decompression test ${i + 1} failed for ${driver}: output len = ${n}`);
      return -Errno.EINVAL;
    }
    if (!equalBytes(decompOut.subarray(0, n), v.output)) {
      ops.log(`alg: comp: Decompression test ${i + 1} failed for ${driver}`);
      return -Errno.EINVAL;
    }
  }
  return 0;
}
