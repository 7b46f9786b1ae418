/**
 * A small machine for zswap/mm tests: clock, log, topology, RAM, the crypto
 * API with the software compressors, mm and zswap with their kernfs dirs,
 * plus "zswap-test", a test compressor with injectable failures.
 */
import { CRYPTO_ALG_ASYNC, type AcompAlg, type AcompReq } from "../crypto/acomp.js";
import { CryptoApi } from "../crypto/api.js";
import { registerSoftwareCompressors } from "../crypto/register_software.js";
import { KnDir } from "../kernfs/node.js";
import { VirtualClock } from "../lib/clock.js";
import type { KernelContext } from "../lib/context.js";
import { DynamicDebug } from "../lib/dyndbg.js";
import { Errno } from "../lib/errno.js";
import { Printk } from "../lib/printk.js";
import { makeTopology } from "../lib/topology.js";
import { Mm } from "../mm/mm.js";
import { PAGE_SIZE, PhysMem } from "../mm/phys_mem.js";
import { Zswap, type ZswapOptions } from "./zswap.js";

/** Controls of the "zswap-test" algorithm. */
export interface TestAlgControl {
  /** Fail the next N compressions with `failErr`. */
  failCompress: number;
  failErr: number;
  /** Corrupt the next N decompressions (return -EINVAL). */
  failDecompress: number;
  /** The next N decompressions succeed but produce a page one byte short (dlen != PAGE_SIZE). */
  shortDecompress: number;
  /** Complete asynchronously (-EINPROGRESS, done 500 ns later on the clock). */
  async: boolean;
  compressCalls: number;
  decompressCalls: number;
  /** CPU (ctx.cpu) of each compress call, in order. */
  cpus: number[];
}

/**
 * A byte-RLE codec: pairs (count-1, byte). Output beyond dlen → -EINVAL
 * (bounded, like software deflate).
 */
function rleCompress(src: Uint8Array, dst: Uint8Array, dlen: number): number {
  let o = 0;
  for (let i = 0; i < src.length; ) {
    const b = src[i]!;
    let n = 1;
    while (i + n < src.length && src[i + n] === b && n < 256) n++;
    if (o + 2 > dlen) return -Errno.EINVAL;
    dst[o++] = n - 1;
    dst[o++] = b;
    i += n;
  }
  return o;
}

function rleDecompress(src: Uint8Array, dst: Uint8Array): number {
  let o = 0;
  for (let i = 0; i + 1 < src.length; i += 2) {
    const n = src[i]! + 1;
    if (o + n > dst.length) return -Errno.EINVAL;
    dst.fill(src[i + 1]!, o, o + n);
    o += n;
  }
  return o;
}

export function makeTestAlg(ctx: KernelContext, phys: PhysMem, ctl: TestAlgControl): AcompAlg {
  const finish = (req: AcompReq, ret: number): number => {
    if (!ctl.async) return ret;
    ctx.clock.schedule(500, () => req.complete?.(req, ret));
    return -Errno.EINPROGRESS;
  };
  return {
    cra_name: "zswap-test",
    cra_driver_name: "zswap-test-generic",
    cra_priority: 100,
    cra_flags: ctl.async ? CRYPTO_ALG_ASYNC : 0,
    type: ctl.async ? "acomp" : "scomp",
    compress(req) {
      ctl.compressCalls++;
      ctl.cpus.push(ctx.cpu);
      if (ctl.failCompress > 0) {
        ctl.failCompress--;
        return finish(req, ctl.failErr);
      }
      const src = phys.view(req.src[0]!.addr, req.slen);
      const dst = phys.view(req.dst[0]!.addr, req.dst[0]!.length);
      const n = rleCompress(src, dst, req.dlen);
      if (n >= 0) req.dlen = n;
      return finish(req, n < 0 ? n : 0);
    },
    decompress(req) {
      ctl.decompressCalls++;
      if (ctl.failDecompress > 0) {
        ctl.failDecompress--;
        return finish(req, -Errno.EINVAL);
      }
      const src = phys.view(req.src[0]!.addr, req.slen);
      const dst = phys.view(req.dst[0]!.addr, req.dlen);
      const n = rleDecompress(src, dst);
      if (n >= 0) req.dlen = n;
      if (n >= 0 && ctl.shortDecompress > 0) {
        ctl.shortDecompress--;
        req.dlen = n - 1;
      }
      return finish(req, n < 0 ? n : 0);
    },
  };
}

export interface TestMachine {
  ctx: KernelContext;
  phys: PhysMem;
  crypto: CryptoApi;
  mm: Mm;
  zswap: Zswap;
  params: KnDir;
  debugfs: KnDir;
  ctl: TestAlgControl;
  /** Reads an attribute of a KnDir like `cat`. */
  cat(dir: KnDir, name: string): string;
  /** Writes an attribute like `echo`; returns the store() result. */
  echo(dir: KnDir, name: string, value: string): number;
  /** Log lines so far. */
  log(): string[];
}

export interface TestMachineOptions extends ZswapOptions {
  ramBytes?: number;
  swapBytes?: number;
  cpus?: number;
  asyncAlg?: boolean;
}

export function makeTestMachine(o: TestMachineOptions = {}): TestMachine {
  const clock = new VirtualClock();
  const cpus = o.cpus ?? 4;
  const ramBytes = o.ramBytes ?? 1 << 30;
  const ctx: KernelContext = {
    clock,
    log: new Printk(clock),
    dyndbg: new DynamicDebug(),
    topo: makeTopology(1, cpus, 1, ramBytes),
    cpu: 0,
  };
  const phys = new PhysMem(ramBytes);
  const crypto = new CryptoApi({ mem: phys, ctx, selftests: false });
  registerSoftwareCompressors(crypto);
  const ctl: TestAlgControl = { failCompress: 0, failErr: -Errno.EINVAL, failDecompress: 0, shortDecompress: 0, async: o.asyncAlg ?? false, compressCalls: 0, decompressCalls: 0, cpus: [] };
  crypto.registerAcomp(makeTestAlg(ctx, phys, ctl));
  const mm = new Mm(ctx, phys, { thp: "never" });
  mm.addSwapArea({ path: "/dev/vdb", kind: "partition", bytes: o.swapBytes ?? 256 << 20, signature: true, ssd: true });
  const params = new KnDir("sysfs");
  const debugfs = new KnDir("debugfs");
  const zswap = new Zswap(ctx, mm, crypto, params, debugfs, o);
  zswap.init();
  const cat = (dir: KnDir, name: string): string => {
    const n = dir.children.get(name);
    if (n === undefined || n.kind !== "attr" || n.show === undefined) throw new Error(`no attribute ${name}`);
    const v = n.show();
    if (typeof v === "number") throw new Error(`show ${name}: ${v}`);
    return typeof v === "string" ? v : new TextDecoder().decode(v);
  };
  const echo = (dir: KnDir, name: string, value: string): number => {
    const n = dir.children.get(name);
    if (n === undefined || n.kind !== "attr" || n.store === undefined) throw new Error(`no writable attribute ${name}`);
    return n.store(value);
  };
  return { ctx, phys, crypto, mm, zswap, params, debugfs, ctl, cat, echo, log: () => ctx.log.records.map((r) => r.text) };
}

/** Fills a page of content kind `k` (0..4: text, binary ramp, zero, random, pointers) from `seed`. */
export function fillPage(buf: Uint8Array, off: number, k: number, seed: number): void {
  let x = (seed * 2654435761) >>> 0 || 1;
  const rnd = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  switch (k) {
    case 0: {
      const words = ["the ", "page ", "swap ", "zswap ", "compress ", "kernel ", "memory ", "IAA "];
      let o = 0;
      while (o < PAGE_SIZE) {
        const w = words[rnd() & 7]!;
        for (let i = 0; i < w.length && o < PAGE_SIZE; i++) buf[off + o++] = w.charCodeAt(i);
      }
      break;
    }
    case 1:
      for (let i = 0; i < PAGE_SIZE; i++) buf[off + i] = (i < 2048 ? i + seed : 0) & 0xff;
      break;
    case 2:
      buf.fill(0, off, off + PAGE_SIZE);
      break;
    case 3:
      for (let i = 0; i < PAGE_SIZE; i += 4) {
        const r = rnd();
        buf[off + i] = r;
        buf[off + i + 1] = r >>> 8;
        buf[off + i + 2] = r >>> 16;
        buf[off + i + 3] = r >>> 24;
      }
      break;
    default: {
      // pointer-like: 8-byte little-endian kernel addresses with small offsets
      for (let i = 0; i < PAGE_SIZE; i += 8) {
        const p = 0x7f00_0000 + ((rnd() & 0xfff) << 4);
        buf[off + i] = p & 0xff;
        buf[off + i + 1] = (p >>> 8) & 0xff;
        buf[off + i + 2] = (p >>> 16) & 0xff;
        buf[off + i + 3] = (p >>> 24) & 0xff;
        buf[off + i + 4] = 0xff;
        buf[off + i + 5] = 0x7f;
        buf[off + i + 6] = 0;
        buf[off + i + 7] = 0;
      }
    }
  }
}
