/**
 * The crypto API's compression side: the algorithm registry, acomp
 * transforms and requests, crypto_wait_req(), the legacy crypto_comp
 * interface and /proc/crypto.
 *
 * linux: crypto/algapi.c (crypto_register_alg), crypto/api.c
 * (crypto_alg_lookup, crypto_alloc_tfm), crypto/acompress.c,
 * crypto/scompress.c, crypto/compress.c, crypto/proc.c, include/linux/crypto.h
 * (crypto_wait_req). One instance per machine.
 */
import { Errno } from "../lib/errno.js";
import type { KernelContext } from "../lib/context.js";
import { LogLevel } from "../lib/printk.js";
import type { PhysMem } from "../mm/phys_mem.js";
import type { AcompAlg, AcompCompleteFn, AcompReq, AcompTfm, ModuleRef, Sg } from "./acomp.js";
import type { CompAlg, CompTfm } from "./comp.js";
import { findCompTestSuite, testAcomp, testComp, type AcompTestOps, type CompTestOps } from "./testmgr.js";

/** ELIBBAD: what lookups return for an algorithm whose self-test failed. */
export const ELIBBAD = 80;

/** The kind of a registered algorithm (the `type` line of /proc/crypto). */
export type AlgType = "acomp" | "scomp" | "compression";

/** What /proc/crypto and tests can see of one registered algorithm. */
export interface AlgInfo {
  name: string;
  driver: string;
  module: string;
  priority: number;
  refcnt: number;
  selftest: "passed" | "unknown";
  type: AlgType;
}

interface AlgEntry {
  type: AlgType;
  acomp: AcompAlg | null;
  comp: CompAlg | null;
  name: string;
  driver: string;
  priority: number;
  module: ModuleRef | undefined;
  /** cra_refcnt: 1 for the registration plus the references of live transforms. */
  refcnt: number;
  /** CRYPTO_ALG_TESTED */
  tested: boolean;
}

interface ReqState {
  done: boolean;
  err: number;
  userFn: AcompCompleteFn | null;
}

/** Options for a CryptoApi. */
export interface CryptoApiOptions {
  mem: PhysMem;
  ctx: KernelContext;
  /** Run the testmgr self-tests on registration (CONFIG_CRYPTO_MANAGER_DISABLE_TESTS=n). Default true. */
  selftests?: boolean;
}

const TFM_SIZE = 64;
const REQ_SIZE = 128;

/**
 * The machine's crypto API.
 *
 * @example
 * const api = new CryptoApi({ mem, ctx });
 * registerSoftwareCompressors(api);
 * const tfm = api.allocAcomp("lzo-rle");
 * if (typeof tfm === "number") throw new Error(strerror(tfm));
 * const req = api.requestAlloc(tfm);
 * api.requestSetParams(req, [{ addr: page, length: 4096 }], [{ addr: buf, length: 8192 }], 4096, 4096);
 * const err = api.waitReq(api.compress(req), req);
 */
export class CryptoApi {
  readonly mem: PhysMem;
  readonly ctx: KernelContext;
  private readonly selftests: boolean;
  /** crypto_alg_list: newest registration first. */
  private readonly algs: AlgEntry[] = [];
  private readonly reqState = new WeakMap<AcompReq, ReqState>();
  private readonly tfmEntry = new WeakMap<AcompTfm | CompTfm, AlgEntry>();

  constructor(opts: CryptoApiOptions) {
    this.mem = opts.mem;
    this.ctx = opts.ctx;
    this.selftests = opts.selftests ?? true;
  }

  // ----- registration -----

  /**
   * crypto_register_acomp() (and crypto_register_scomp() for `type: "scomp"`):
   * adds the algorithm and runs its self-test. Returns 0, -EINVAL for a
   * missing name, or -EEXIST when it (or a clashing name) is registered.
   * A failed self-test still registers the algorithm, untested.
   */
  // linux: crypto/algapi.c __crypto_register_alg(), crypto_check_alg()
  registerAcomp(alg: AcompAlg): number {
    return this.register({ type: alg.type, acomp: alg, comp: null }, alg);
  }

  /** crypto_register_alg() for a legacy `type : compression` algorithm. */
  registerComp(alg: CompAlg): number {
    return this.register({ type: "compression", acomp: null, comp: alg }, alg);
  }

  /** crypto_unregister_acomp(): 0, -ENOENT if not registered, -EBUSY while transforms exist. */
  unregisterAcomp(alg: AcompAlg): number {
    return this.unregister(alg);
  }

  /** crypto_unregister_alg() for a legacy compression algorithm. */
  unregisterComp(alg: CompAlg): number {
    return this.unregister(alg);
  }

  private register(
    kind: { type: AlgType; acomp: AcompAlg | null; comp: CompAlg | null },
    alg: { cra_name: string; cra_driver_name: string; cra_priority: number; module?: ModuleRef },
  ): number {
    if (!alg.cra_name) return -Errno.EINVAL;
    if (!alg.cra_driver_name) alg.cra_driver_name = alg.cra_name;
    for (const q of this.algs) {
      if (q.acomp === alg || q.comp === alg) return -Errno.EEXIST;
      if (q.driver === alg.cra_name || q.driver === alg.cra_driver_name || q.name === alg.cra_driver_name) return -Errno.EEXIST;
    }
    const entry: AlgEntry = {
      ...kind,
      name: alg.cra_name,
      driver: alg.cra_driver_name,
      priority: alg.cra_priority,
      module: alg.module,
      refcnt: 1,
      tested: false,
    };
    this.algs.unshift(entry);
    entry.tested = this.algTest(entry) === 0;
    return 0;
  }

  /**
   * Unregisters the algorithm of driver name `driver`, as its module would:
   * 0, -ENOENT, -EBUSY while transforms exist. (A restored machine brings its
   * registrations to the snapshot's this way before its state is laid over.)
   */
  unregisterDriver(driver: string): number {
    const e = this.algs.find((q) => q.driver === driver);
    if (e === undefined) return -Errno.ENOENT;
    return this.unregister((e.acomp ?? e.comp)!);
  }

  private unregister(alg: AcompAlg | CompAlg): number {
    const i = this.algs.findIndex((e) => e.acomp === alg || e.comp === alg);
    if (i < 0) return -Errno.ENOENT;
    if (this.algs[i]!.refcnt !== 1) return -Errno.EBUSY;
    this.algs.splice(i, 1);
    return 0;
  }

  // ----- self-tests -----

  // linux: crypto/testmgr.c alg_test()
  private algTest(e: AlgEntry): number {
    if (!this.selftests) return 0;
    const suite = findCompTestSuite(e.name, e.driver);
    if (suite === undefined) {
      this.ctx.log.printk(LogLevel.INFO, `alg: No test for ${e.name} (${e.driver})`);
      return 0;
    }
    let rc: number;
    if (e.acomp !== null) {
      const tfm = this.createAcompTfm(e);
      if (typeof tfm === "number") {
        this.ctx.log.printk(LogLevel.ERR, `alg: acomp: Failed to load tfm for ${e.driver}: ${tfm}`);
        rc = tfm;
      } else {
        rc = testAcomp(this.testOps(), tfm, suite);
        this.freeAcomp(tfm);
      }
    } else {
      const tfm = this.createCompTfm(e);
      if (typeof tfm === "number") {
        this.ctx.log.printk(LogLevel.ERR, `alg: comp: Failed to load transform for ${e.driver}: ${tfm}`);
        rc = tfm;
      } else {
        rc = testComp(this.compTestOps(), tfm, suite);
        this.freeComp(tfm);
      }
    }
    if (rc !== 0) this.ctx.log.printk(LogLevel.WARNING, `alg: self-tests for ${e.name} using ${e.driver} failed (rc=${rc})`);
    return rc;
  }

  private testOps(): AcompTestOps {
    const mem = this.mem;
    return {
      kmalloc: (size) => mem.kmalloc(size),
      kfree: (pa) => mem.kfree(pa),
      write: (pa, data) => mem.view(pa, data.length).set(data),
      read: (pa, len) => mem.view(pa, len).slice(),
      requestAlloc: (tfm) => this.requestAlloc(tfm),
      requestFree: (req) => this.requestFree(req),
      requestSetParams: (req, src, dst, slen, dlen) => this.requestSetParams(req, src, dst, slen, dlen),
      compress: (req) => this.compress(req),
      decompress: (req) => this.decompress(req),
      waitReq: (ret, req) => this.waitReq(ret, req),
      log: (text) => this.ctx.log.printk(LogLevel.ERR, text),
    };
  }

  private compTestOps(): CompTestOps {
    return {
      compCompress: (tfm, src, dst) => this.compCompress(tfm, src, dst),
      compDecompress: (tfm, src, dst) => this.compDecompress(tfm, src, dst),
      log: (text) => this.ctx.log.printk(LogLevel.ERR, text),
    };
  }

  // ----- lookup -----

  /**
   * crypto_alg_lookup(): by driver name (exact) or cra_name (highest
   * priority; the newest registration wins a tie), among tested algorithms
   * of the wanted types whose module can be pinned. Takes the module
   * reference; returns the entry, -ELIBBAD (only untested matches) or -ENOENT.
   */
  // linux: crypto/api.c __crypto_alg_lookup(), crypto_alg_lookup()
  private lookup(name: string, types: readonly AlgType[]): AlgEntry | number {
    const pick = (tested: boolean): AlgEntry | undefined => {
      const skip = new Set<AlgEntry>();
      for (;;) {
        let best: AlgEntry | undefined;
        let bestPrio = -2;
        for (const q of this.algs) {
          if (skip.has(q) || !types.includes(q.type) || (tested && !q.tested)) continue;
          const exact = q.driver === name;
          const fuzzy = q.name === name;
          if (!exact && !(fuzzy && q.priority > bestPrio)) continue;
          best = q;
          bestPrio = q.priority;
          if (exact) break;
        }
        if (best === undefined) return undefined;
        if (best.module === undefined || best.module.get()) return best;
        skip.add(best); // module going away: crypto_mod_get() fails, try the next
      }
    };
    const e = pick(true);
    if (e !== undefined) return e;
    const untested = pick(false);
    if (untested !== undefined) {
      untested.module?.put();
      return -ELIBBAD;
    }
    return -Errno.ENOENT;
  }

  /** crypto_has_acomp(name, 0, 0): whether an acomp (or scomp) algorithm of that name can be had. */
  hasAcomp(name: string): boolean {
    const e = this.lookup(name, ["acomp", "scomp"]);
    if (typeof e === "number") return false;
    e.module?.put();
    return true;
  }

  /** Information on a registered algorithm by driver name (for tests and tools). */
  algInfo(driver: string): AlgInfo | undefined {
    const e = this.algs.find((q) => q.driver === driver);
    return e === undefined ? undefined : this.info(e);
  }

  /** Every registered algorithm, newest first (the order of /proc/crypto). */
  list(): AlgInfo[] {
    return this.algs.map((e) => this.info(e));
  }

  private info(e: AlgEntry): AlgInfo {
    return {
      name: e.name,
      driver: e.driver,
      module: e.module?.name ?? "kernel",
      priority: e.priority,
      refcnt: e.refcnt,
      selftest: e.tested ? "passed" : "unknown",
      type: e.type,
    };
  }

  // ----- acomp transforms -----

  /**
   * crypto_alloc_acomp(name, 0, 0): a transform of the best acomp/scomp
   * algorithm for `name` (cra_name or driver name). Returns the transform,
   * -ENOENT (unknown, or its module is going away), -ELIBBAD (self-test
   * failed) or the algorithm's init() error.
   */
  allocAcomp(name: string): AcompTfm | number {
    const e = this.lookup(name, ["acomp", "scomp"]);
    if (typeof e === "number") return e;
    e.module?.put(); // createAcompTfm takes its own reference
    return this.createAcompTfm(e);
  }

  // linux: crypto/api.c crypto_create_tfm_node(), crypto/scompress.c crypto_init_scomp_ops_async()
  private createAcompTfm(e: AlgEntry): AcompTfm | number {
    const alg = e.acomp!;
    if (e.module !== undefined && !e.module.get()) return -Errno.ENOENT;
    const tfm: AcompTfm = { alg, ctx: null, ptr: this.mem.kmalloc(TFM_SIZE) };
    // An acomp transform over an scomp algorithm also holds the inner scomp transform.
    const refs = e.type === "scomp" ? 2 : 1;
    e.refcnt += refs;
    const ret = alg.init?.(tfm) ?? 0;
    if (ret !== 0) {
      e.refcnt -= refs;
      this.mem.kfree(tfm.ptr);
      e.module?.put();
      return ret;
    }
    this.tfmEntry.set(tfm, e);
    return tfm;
  }

  /** crypto_free_acomp(): runs exit(), drops the algorithm and module references. */
  freeAcomp(tfm: AcompTfm): void {
    const e = this.tfmEntry.get(tfm);
    if (e === undefined) return;
    this.tfmEntry.delete(tfm);
    tfm.alg.exit?.(tfm);
    e.refcnt -= e.type === "scomp" ? 2 : 1;
    this.mem.kfree(tfm.ptr);
    e.module?.put();
  }

  // ----- requests -----

  /** acomp_request_alloc() */
  requestAlloc(tfm: AcompTfm): AcompReq {
    const state: ReqState = { done: false, err: 0, userFn: null };
    const req: AcompReq = {
      tfm,
      src: [],
      dst: [],
      slen: 0,
      dlen: 0,
      flags: 0,
      complete: null,
      data: null,
      ctx: null,
      ptr: this.mem.kmalloc(REQ_SIZE),
    };
    // Every completion passes through here, so waitReq() can see it;
    // like crypto_req_done(), an -EINPROGRESS notification (backlog → queue) does not complete.
    req.complete = (r, err) => {
      if (err !== -Errno.EINPROGRESS) {
        state.done = true;
        state.err = err;
      }
      state.userFn?.(r, err);
    };
    this.reqState.set(req, state);
    return req;
  }

  /** acomp_request_free() */
  requestFree(req: AcompReq): void {
    if (!this.reqState.has(req)) return;
    this.reqState.delete(req);
    this.mem.kfree(req.ptr);
  }

  /** acomp_request_set_params(): `dlen` is the output capacity on input, the bytes produced on output. */
  requestSetParams(req: AcompReq, src: Sg[], dst: Sg[], slen: number, dlen: number): void {
    req.src = src;
    req.dst = dst;
    req.slen = slen;
    req.dlen = dlen;
  }

  /** acomp_request_set_callback(): `fn` runs when an -EINPROGRESS request completes. */
  requestSetCallback(req: AcompReq, flags: number, fn: AcompCompleteFn | null, data: unknown): void {
    req.flags = flags;
    req.data = data;
    const st = this.reqState.get(req);
    if (st !== undefined) st.userFn = fn;
  }

  /** crypto_acomp_compress(): 0, -EINPROGRESS / -EBUSY (completes later) or -errno. */
  compress(req: AcompReq): number {
    this.arm(req);
    const slen = req.slen;
    const ret = req.tfm.alg.compress(req);
    this.chargeCpu(req.tfm.alg, "compress", slen, req.dlen);
    return ret;
  }

  /** crypto_acomp_decompress() */
  decompress(req: AcompReq): number {
    this.arm(req);
    const slen = req.slen;
    const ret = req.tfm.alg.decompress(req);
    this.chargeCpu(req.tfm.alg, "decompress", slen, req.dlen);
    return ret;
  }

  /**
   * Emulator extension: a synchronous software algorithm keeps the calling
   * CPU busy for its `costNs` (src/lib/timing.ts SOFTWARE_COST), so virtual
   * time moves on by that much.
   */
  private chargeCpu(alg: { costNs?(op: "compress" | "decompress", inBytes: number, outBytes: number): number }, op: "compress" | "decompress", inBytes: number, outBytes: number): void {
    const ns = alg.costNs?.(op, inBytes, outBytes) ?? 0;
    if (ns > 0) this.ctx.clock.advance(ns);
  }

  private arm(req: AcompReq): void {
    const st = this.reqState.get(req);
    if (st !== undefined) {
      st.done = false;
      st.err = 0;
    }
  }

  /**
   * crypto_wait_req(): for -EINPROGRESS/-EBUSY, runs the virtual clock until
   * the request's completion arrives and returns its status; an algorithm
   * with poll() (sync_mode=async, where no callback comes) is polled between
   * events. Any other `ret` is returned unchanged. If nothing left on the
   * clock can complete the request, returns -ETIMEDOUT (the kernel would
   * wait forever).
   */
  // linux: include/linux/crypto.h crypto_wait_req()
  waitReq(ret: number, req: AcompReq): number {
    if (ret !== -Errno.EINPROGRESS && ret !== -Errno.EBUSY) return ret;
    const st = this.reqState.get(req);
    if (st === undefined) return -Errno.EINVAL;
    const alg = req.tfm.alg;
    const clock = this.ctx.clock;
    if (alg.poll === undefined) {
      return clock.runUntil(() => st.done) ? st.err : -Errno.ETIMEDOUT;
    }
    for (;;) {
      if (st.done) return st.err;
      const r = alg.poll(req);
      if (st.done) return st.err;
      if (r !== -Errno.EAGAIN) return r;
      if (!clock.step()) return -Errno.ETIMEDOUT;
    }
  }

  // ----- legacy crypto_comp -----

  /** crypto_alloc_comp(): a transform of a `type : compression` algorithm (e.g. "deflate-generic"). */
  allocComp(name: string): CompTfm | number {
    const e = this.lookup(name, ["compression"]);
    if (typeof e === "number") return e;
    e.module?.put();
    return this.createCompTfm(e);
  }

  private createCompTfm(e: AlgEntry): CompTfm | number {
    if (e.module !== undefined && !e.module.get()) return -Errno.ENOENT;
    const tfm: CompTfm = { alg: e.comp!, ptr: this.mem.kmalloc(TFM_SIZE) };
    e.refcnt++;
    this.tfmEntry.set(tfm, e);
    return tfm;
  }

  /** crypto_free_comp() */
  freeComp(tfm: CompTfm): void {
    const e = this.tfmEntry.get(tfm);
    if (e === undefined) return;
    this.tfmEntry.delete(tfm);
    e.refcnt--;
    this.mem.kfree(tfm.ptr);
    e.module?.put();
  }

  /**
   * crypto_comp_compress(): compresses `src` into `dst` (capacity = dst.length).
   * Returns the length or -errno; an unbounded algorithm whose output does not
   * fit gives -ENOSPC (the kernel would have overrun the buffer).
   */
  compCompress(tfm: CompTfm, src: Uint8Array, dst: Uint8Array): number {
    const n = tfm.alg.compress(src, dst);
    this.chargeCpu(tfm.alg, "compress", src.length, Math.max(0, n));
    return n > dst.length ? -Errno.ENOSPC : n;
  }

  /** crypto_comp_decompress() */
  compDecompress(tfm: CompTfm, src: Uint8Array, dst: Uint8Array): number {
    const n = tfm.alg.decompress(src, dst);
    this.chargeCpu(tfm.alg, "decompress", src.length, Math.max(0, n));
    return n;
  }

  // ----- /proc/crypto -----

  /** The text of /proc/crypto. */
  // linux: crypto/proc.c c_show()
  procCrypto(): string {
    let out = "";
    for (const e of this.algs) {
      const i = this.info(e);
      out +=
        `name         : ${i.name}\n` +
        `driver       : ${i.driver}\n` +
        `module       : ${i.module}\n` +
        `priority     : ${i.priority}\n` +
        `refcnt       : ${i.refcnt}\n` +
        `selftest     : ${i.selftest}\n` +
        `internal     : no\n` +
        `type         : ${i.type}\n` +
        `\n`;
    }
    return out;
  }
}
