import { test } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { Errno } from "../lib/errno.js";
import { CRYPTO_ALG_ASYNC, CRYPTO_TFM_REQ_MAY_BACKLOG, type AcompAlg, type AcompReq, type AcompTfm, type ModuleRef } from "./acomp.js";
import type { CryptoApi } from "./api.js";
import type { CompTfm } from "./comp.js";
import { makeTestEnv, putBytes } from "./_test_env.js";

interface FakeModule extends ModuleRef {
  refs: number;
  going: boolean;
}

function fakeModule(name: string): FakeModule {
  return {
    name,
    refs: 0,
    going: false,
    get() {
      if (this.going) return false;
      this.refs++;
      return true;
    },
    put() {
      this.refs--;
    },
  };
}

function gather(api: CryptoApi, req: AcompReq): Uint8Array {
  return api.mem.view(req.src[0]!.addr, req.slen).slice();
}

function scatter(api: CryptoApi, req: AcompReq, out: Uint8Array): number {
  if (out.length > req.dlen) return -Errno.E2BIG;
  api.mem.view(req.dst[0]!.addr, out.length).set(out);
  req.dlen = out.length;
  return 0;
}

function codec(dir: boolean, data: Uint8Array): Uint8Array | null {
  try {
    return new Uint8Array(dir ? deflateRawSync(data, { windowBits: 12, level: 1 }) : inflateRawSync(data));
  } catch {
    return null;
  }
}

/** A deflate-iaa look-alike whose work completes 2 µs later through the callback (sync_mode=async_irq). */
function irqAlg(api: CryptoApi, module?: ModuleRef): AcompAlg & { inits: number; exits: number } {
  const op = (dir: boolean) => (req: AcompReq) => {
    const data = gather(api, req);
    api.ctx.clock.schedule(2000, () => {
      const out = codec(dir, data);
      req.complete!(req, out === null ? -Errno.EINVAL : scatter(api, req, out));
    });
    return -Errno.EINPROGRESS;
  };
  return {
    cra_name: "deflate",
    cra_driver_name: "deflate-iaa",
    cra_priority: 300,
    cra_flags: CRYPTO_ALG_ASYNC,
    type: "acomp",
    module,
    inits: 0,
    exits: 0,
    init() {
      this.inits++;
      return 0;
    },
    exit() {
      this.exits++;
    },
    compress: op(true),
    decompress: op(false),
  };
}

/** A look-alike that never calls back: the caller polls (sync_mode=async). */
function pollAlg(api: CryptoApi): AcompAlg & { polls: number } {
  const pending = new Map<AcompReq, { at: number; result: number }>();
  const op = (dir: boolean) => (req: AcompReq) => {
    const out = codec(dir, gather(api, req));
    pending.set(req, { at: api.ctx.clock.now + 5000, result: out === null ? -Errno.EINVAL : scatter(api, req, out) });
    api.ctx.clock.schedule(5000, () => {}); // the device finishing
    return -Errno.EINPROGRESS;
  };
  return {
    cra_name: "deflate",
    cra_driver_name: "deflate-poll",
    cra_priority: 200,
    cra_flags: CRYPTO_ALG_ASYNC,
    type: "acomp",
    polls: 0,
    compress: op(true),
    decompress: op(false),
    poll(req) {
      this.polls++;
      const p = pending.get(req);
      if (p === undefined) return -Errno.EINVAL;
      if (api.ctx.clock.now < p.at) return -Errno.EAGAIN;
      pending.delete(req);
      return p.result;
    },
  };
}

test("allocAcomp('deflate') picks deflate-iaa (priority 300) while registered, deflate-scomp otherwise", () => {
  const { api } = makeTestEnv();
  let tfm = api.allocAcomp("deflate") as AcompTfm;
  assert.equal(tfm.alg.cra_driver_name, "deflate-scomp");
  api.freeAcomp(tfm);
  const mod = fakeModule("iaa_crypto");
  const iaa = irqAlg(api, mod);
  assert.equal(api.registerAcomp(iaa), 0);
  assert.equal(api.algInfo("deflate-iaa")!.selftest, "passed");
  assert.equal(mod.refs, 0, "the self-test's transform was freed");
  tfm = api.allocAcomp("deflate") as AcompTfm;
  assert.equal(tfm.alg, iaa);
  assert.equal(mod.refs, 1);
  assert.equal(iaa.inits, 2); // self-test + this one
  const byDriver = api.allocAcomp("deflate-scomp") as AcompTfm;
  assert.equal(byDriver.alg.cra_driver_name, "deflate-scomp");
  assert.equal(api.unregisterAcomp(iaa), -Errno.EBUSY);
  api.freeAcomp(tfm);
  api.freeAcomp(byDriver);
  assert.equal(mod.refs, 0);
  assert.equal(iaa.exits, 2);
  assert.equal(api.unregisterAcomp(iaa), 0);
  assert.equal(api.unregisterAcomp(iaa), -Errno.ENOENT);
  tfm = api.allocAcomp("deflate") as AcompTfm;
  assert.equal(tfm.alg.cra_driver_name, "deflate-scomp");
  api.freeAcomp(tfm);
});

test("lookups: -ENOENT for unknown names and legacy-only drivers, module going away, hasAcomp", () => {
  const { api } = makeTestEnv();
  assert.equal(api.allocAcomp("842"), -Errno.ENOENT);
  assert.equal(api.allocAcomp("deflate-generic"), -Errno.ENOENT, "a type : compression algorithm is not an acomp");
  for (const n of ["deflate", "lzo", "lzo-rle", "lz4", "zstd", "lzo-rle-scomp"]) assert.equal(api.hasAcomp(n), true, n);
  assert.equal(api.hasAcomp("lz4hc"), false);
  const mod = fakeModule("iaa_crypto");
  api.registerAcomp(irqAlg(api, mod));
  mod.going = true;
  assert.equal(api.allocAcomp("deflate-iaa"), -Errno.ENOENT);
  assert.equal((api.allocAcomp("deflate") as AcompTfm).alg.cra_driver_name, "deflate-scomp", "falls back past the dying module");
  assert.equal(api.hasAcomp("deflate-iaa"), false);
});

test("registerAcomp(): -EEXIST for a duplicate or a clashing name, -EINVAL without a name", () => {
  const { api } = makeTestEnv();
  const iaa = irqAlg(api);
  assert.equal(api.registerAcomp(iaa), 0);
  assert.equal(api.registerAcomp(iaa), -Errno.EEXIST);
  assert.equal(api.registerAcomp({ ...irqAlg(api), cra_priority: 100 }), -Errno.EEXIST, "same driver name");
  assert.equal(api.registerAcomp({ ...irqAlg(api), cra_name: "x", cra_driver_name: "lzo" }), -Errno.EEXIST, "driver name = another cra_name");
  assert.equal(api.registerAcomp({ ...irqAlg(api), cra_name: "" }), -Errno.EINVAL);
});

test("allocComp('deflate-generic'): the legacy transform iaa_crypto falls back to", () => {
  const { api } = makeTestEnv();
  const tfm = api.allocComp("deflate-generic") as CompTfm;
  assert.equal(tfm.alg.cra_driver_name, "deflate-generic");
  assert.equal(api.algInfo("deflate-generic")!.refcnt, 2);
  const data = new TextEncoder().encode("abc ".repeat(3000));
  // A 32 KiB-window stream (distances beyond IAA's 4 KiB) inflates.
  const stream = new Uint8Array(deflateRawSync(data, { windowBits: 15 }));
  const out = new Uint8Array(data.length);
  assert.equal(api.compDecompress(tfm, stream, out), data.length);
  assert.deepEqual(out, data);
  assert.equal(api.compDecompress(tfm, stream, new Uint8Array(100)), -Errno.EINVAL);
  api.freeComp(tfm);
  assert.equal(api.algInfo("deflate-generic")!.refcnt, 1);
  const byName = api.allocComp("deflate") as CompTfm;
  assert.equal(byName.alg.cra_driver_name, "deflate-generic");
  api.freeComp(byName);
  assert.equal(api.allocComp("deflate-scomp"), -Errno.ENOENT, "an scomp backend is not a crypto_comp");
});

test("waitReq(): an -EINPROGRESS request completes by a clock event and its callback", () => {
  const { api, mem } = makeTestEnv(false);
  api.registerAcomp(irqAlg(api));
  const tfm = api.allocAcomp("deflate") as AcompTfm;
  const req = api.requestAlloc(tfm);
  const data = new TextEncoder().encode("swap ".repeat(800));
  const src = putBytes(mem, data);
  const dst = mem.allocPages(1);
  const calls: [unknown, number][] = [];
  api.requestSetCallback(req, CRYPTO_TFM_REQ_MAY_BACKLOG, (r, err) => calls.push([r.data, err]), "wait");
  api.requestSetParams(req, [{ addr: src, length: data.length }], [{ addr: dst, length: 4096 }], data.length, 4096);
  const t0 = api.ctx.clock.now;
  const ret = api.compress(req);
  assert.equal(ret, -Errno.EINPROGRESS);
  assert.equal(api.waitReq(ret, req), 0);
  assert.equal(api.ctx.clock.now - t0, 2000);
  assert.deepEqual(calls, [["wait", 0]]);
  assert.deepEqual(new Uint8Array(inflateRawSync(mem.view(dst, req.dlen))), data);
  // A failure is delivered the same way.
  api.requestSetParams(req, [{ addr: src, length: data.length }], [{ addr: dst, length: 8 }], data.length, 8);
  assert.equal(api.waitReq(api.compress(req), req), -Errno.E2BIG);
  // Synchronous results pass through unchanged.
  assert.equal(api.waitReq(0, req), 0);
  assert.equal(api.waitReq(-Errno.EINVAL, req), -Errno.EINVAL);
  api.requestFree(req);
  api.freeAcomp(tfm);
});

test("waitReq(): an algorithm that never calls back is polled as the clock runs", () => {
  const { api, mem } = makeTestEnv(false);
  const alg = pollAlg(api);
  assert.equal(api.registerAcomp(alg), 0);
  assert.equal(api.algInfo("deflate-poll")!.selftest, "passed");
  const tfm = api.allocAcomp("deflate") as AcompTfm;
  const req = api.requestAlloc(tfm);
  const data = new TextEncoder().encode("poll me ".repeat(300));
  const src = putBytes(mem, data);
  const dst = mem.allocPages(1);
  api.requestSetParams(req, [{ addr: src, length: data.length }], [{ addr: dst, length: 4096 }], data.length, 4096);
  const t0 = api.ctx.clock.now;
  alg.polls = 0;
  assert.equal(api.waitReq(api.compress(req), req), 0);
  assert.equal(api.ctx.clock.now - t0, 5000);
  assert.equal(alg.polls, 2); // once before the device finished, once after
  assert.deepEqual(new Uint8Array(inflateRawSync(mem.view(dst, req.dlen))), data);
  api.requestFree(req);
  api.freeAcomp(tfm);
});

test("waitReq(): -ETIMEDOUT when nothing on the clock can complete the request", () => {
  const { api, mem } = makeTestEnv(false);
  const stuck: AcompAlg = {
    cra_name: "stuck",
    cra_driver_name: "stuck-drv",
    cra_priority: 0,
    cra_flags: CRYPTO_ALG_ASYNC,
    type: "acomp",
    compress: () => -Errno.EINPROGRESS,
    decompress: () => -Errno.EINPROGRESS,
  };
  api.registerAcomp(stuck);
  const tfm = api.allocAcomp("stuck") as AcompTfm;
  const req = api.requestAlloc(tfm);
  const pa = mem.allocPages(1);
  api.requestSetParams(req, [{ addr: pa, length: 10 }], [{ addr: pa, length: 10 }], 10, 10);
  assert.equal(api.waitReq(api.compress(req), req), -Errno.ETIMEDOUT);
});

test("/proc/crypto lists every algorithm newest first in the kernel's format", () => {
  const { api } = makeTestEnv();
  const text = api.procCrypto();
  const records = text.split("\n\n").filter((r) => r !== "");
  assert.equal(records.length, 10);
  assert.ok(text.endsWith("type         : compression\n\n"));
  assert.deepEqual(
    records.map((r) => /driver {7}: (.*)/.exec(r)![1]),
    ["zstd-scomp", "zstd-generic", "lz4-scomp", "lz4-generic", "lzo-rle-scomp", "lzo-rle-generic", "lzo-scomp", "lzo-generic", "deflate-scomp", "deflate-generic"],
  );
  assert.equal(
    records[4],
    "name         : lzo-rle\ndriver       : lzo-rle-scomp\nmodule       : kernel\npriority     : 0\nrefcnt       : 1\nselftest     : passed\ninternal     : no\ntype         : scomp",
  );
  // An acomp transform of an scomp algorithm holds two references (the acomp and its inner scomp tfm).
  const t1 = api.allocAcomp("lzo-rle") as AcompTfm;
  const t2 = api.allocAcomp("lzo-rle") as AcompTfm;
  assert.equal(api.algInfo("lzo-rle-scomp")!.refcnt, 5);
  api.freeAcomp(t1);
  api.freeAcomp(t2);
  const mod = fakeModule("iaa_crypto");
  api.registerAcomp(irqAlg(api, mod));
  assert.ok(
    api
      .procCrypto()
      .startsWith(
        "name         : deflate\ndriver       : deflate-iaa\nmodule       : iaa_crypto\npriority     : 300\nrefcnt       : 1\nselftest     : passed\ninternal     : no\ntype         : acomp\n\nname         : zstd\n",
      ),
  );
});
