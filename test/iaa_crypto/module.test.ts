import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { inflateRawSync } from "node:zlib";
import type { AcompReq, AcompTfm } from "../../src/crypto/acomp.js";
import type { KnAttr, KnDir } from "../../src/kernfs/node.js";
import { Errno } from "../../src/lib/errno.js";
import { FakeHost } from "./fake_host.js";
import { IaaCryptoModule } from "../../src/driver/iaa_crypto/main.js";

const VECTOR_A = new TextEncoder().encode("Join us now and share the software Join us now and share the software ");
const STAR_PAGE = new Uint8Array(4096).fill(0x2a);

function loaded(opts: ConstructorParameters<typeof FakeHost>[0] = {}) {
  const f = new FakeHost(opts);
  const m = new IaaCryptoModule(f.host);
  assert.equal(m.init(), 0);
  return { f, m };
}

/**
 * Forgets what binding did: the crypto API's self-test of deflate-iaa runs
 * jobs at registration; tests that count jobs, stats or log lines start after it.
 */
function settle(f: FakeHost): void {
  for (const d of f.devices) d.jobs.length = 0;
  const dir = f.debugfs.children.get("iaa_crypto") as KnDir | undefined;
  if (dir !== undefined) (dir.children.get("stats_reset") as KnAttr).store!("1");
  f.log.clear();
}

function attr(dir: KnDir, name: string): KnAttr {
  const n = dir.children.get(name);
  assert.ok(n !== undefined && n.kind === "attr", `${name} exists`);
  return n;
}

function crypto(f: FakeHost): KnDir {
  const d = f.driversDir.children.get("crypto");
  assert.ok(d !== undefined && d.kind === "dir");
  return d;
}

function tfm(f: FakeHost): AcompTfm {
  const t = f.allocTfm();
  assert.ok(typeof t !== "number", "deflate-iaa is registered");
  return t;
}

function dmesg(f: FakeHost): string[] {
  return f.log.records.map((r) => r.text);
}

/** Compresses then decompresses `data`; returns [compressed, decompressed]. */
function roundTrip(f: FakeHost, t: AcompTfm, data: Uint8Array): [Uint8Array, Uint8Array] {
  const c = f.request(t, data, 4096, 2);
  assert.equal(t.alg.compress(c), 0);
  const comp = f.output(c);
  const d = f.request(t, comp, data.length);
  assert.equal(t.alg.decompress(d), 0);
  return [comp, f.output(d)];
}

test("init() registers the crypto WQ driver with its attributes and debugfs files, but no algorithm", () => {
  const { f } = loaded();
  assert.equal(f.driver?.name, "crypto");
  assert.equal(attr(crypto(f), "verify_compress").show!(), "1\n");
  assert.equal(attr(crypto(f), "sync_mode").show!(), "sync\n");
  for (const dir of ["iaa_crypto", "iaa-crypto"]) {
    const d = f.debugfs.children.get(dir) as KnDir;
    assert.deepEqual([...d.children.keys()].sort(), ["global_stats", "stats_reset", "wq_stats"]);
    assert.equal(attr(d, "wq_stats").show!(), "");
  }
  assert.equal(f.api.algInfo("deflate-iaa"), undefined);
  assert.equal(f.moduleRefs, 0);
  assert.match(f.dyndbg.show(), /\[iaa_crypto\]rebalance_wq_table =_ "nr_nodes=%d, nr_cpus %d, nr_iaa %d, cpus_per_iaa %d\\n"/);
});

test("init() without the stats option creates no debugfs directory", () => {
  const { f } = loaded({ statsEnabled: false });
  assert.equal(f.debugfs.children.size, 0);
});

test("init() refuses a machine without CPU nodes", () => {
  const f = new FakeHost({ topo: { sockets: 1, nrCpus: 0, nodes: [{ id: 0, cpus: [], memBytes: 1 }] } });
  const m = new IaaCryptoModule(f.host);
  assert.equal(m.init(), -Errno.ENODEV);
  assert.deepEqual(dmesg(f), ["iaa_crypto: IAA couldn't find any nodes with cpus"]);
  assert.equal(f.driver, null);
});

test("binding the first WQ registers deflate-iaa, pins the module and logs ENABLED once", () => {
  const { f, m } = loaded();
  assert.equal(f.bind(0), 0);
  assert.equal(f.bind(1), 0);
  const alg = m.alg;
  assert.deepEqual([alg.cra_name, alg.cra_priority, alg.cra_flags, alg.type], ["deflate", 300, 0x80, "acomp"]);
  assert.deepEqual(f.api.algInfo("deflate-iaa"), { name: "deflate", driver: "deflate-iaa", module: "iaa_crypto", priority: 300, refcnt: 1, selftest: "passed", type: "acomp" });
  const byName = f.api.allocAcomp("deflate");
  assert.ok(typeof byName !== "number" && byName.alg === alg, "deflate resolves to deflate-iaa");
  assert.equal(f.moduleRefs, 2, "one for being enabled, one for the transform");
  assert.ok(m.enabled);
  assert.deepEqual(dmesg(f), ["iaa_crypto: iaa_crypto_enable: iaa_crypto now ENABLED"]);
  assert.equal(f.devices[0]!.wqs[0]!.type, "kernel");
});

test("unbinding the last WQ disables and unpins but keeps deflate-iaa registered; a first bind again fails with -EEXIST (kernel)", () => {
  const { f, m } = loaded();
  f.bind(0);
  f.bind(1);
  f.unbind(0);
  assert.ok(m.enabled);
  assert.equal(f.moduleRefs, 1);
  f.unbind(1);
  assert.equal(m.enabled, false);
  assert.equal(f.api.algInfo("deflate-iaa")?.refcnt, 1, "still registered (iaa_crypto_remove() does not unregister)");
  const byName = f.api.allocAcomp("deflate");
  assert.ok(typeof byName !== "number" && byName.alg.cra_driver_name === "deflate-iaa", "deflate still resolves to deflate-iaa");
  assert.equal(byName.alg.compress(f.request(byName, STAR_PAGE)), -Errno.ENODEV, "iaa_crypto disabled, not compressing");
  f.api.freeAcomp(byName);
  assert.equal(f.moduleRefs, 0);
  assert.equal(dmesg(f).at(-1), "iaa_crypto: iaa_crypto_disable: iaa_crypto now DISABLED");
  f.log.clear();
  assert.equal(f.bind(1), -Errno.EEXIST);
  assert.deepEqual(dmesg(f), ["iaa_crypto: deflate algorithm acomp fixed registration failed (-17)"]);
  assert.equal(m.enabled, false);
  assert.equal(f.devices[1]!.wqs[0]!.type, "none");
  assert.equal(f.moduleRefs, 0);
  // module exit unregisters it
  m.exit();
  assert.equal(f.api.algInfo("deflate-iaa"), undefined);
});

test("probe() refuses a disabled device, a non-IAA device, a bound WQ and a foreign driver_name", () => {
  const { f } = loaded();
  f.devices[0]!.enabled = false;
  assert.equal(f.bind(0), -Errno.ENXIO);
  f.devices[1]!.isIax = false;
  assert.equal(f.bind(1), -Errno.ENODEV);
  assert.equal(f.bind(2), 0);
  assert.equal(f.bind(2), -Errno.EBUSY);
  f.devices[3]!.wqs[0]!.driverName = "user";
  assert.equal(f.bind(3), -Errno.ENODEV);
  assert.equal(f.devices[3]!.cmdStatus, 0x80200000);
  f.devices[4]!.wqs[0]!.driverName = "crypto-extra"; // a prefix compare, like the kernel's
  assert.equal(f.bind(4), 0);
});

test("driver attributes are -EBUSY while a WQ is bound and writable again after the last unbind", () => {
  const { f } = loaded();
  const v = attr(crypto(f), "verify_compress");
  const s = attr(crypto(f), "sync_mode");
  assert.equal(v.store!("0\n"), 0);
  assert.equal(s.store!("async_irq\n"), 0);
  f.bind(0);
  assert.equal(v.store!("1"), -Errno.EBUSY);
  assert.equal(s.store!("sync"), -Errno.EBUSY);
  assert.equal(v.show!(), "0\n");
  assert.equal(s.show!(), "async_irq\n");
  f.unbind(0);
  assert.equal(s.store!("sync"), 0);
  assert.equal(s.store!("bogus"), -Errno.EINVAL);
  assert.equal(s.show!(), "sync\n");
});

test("settings are captured when a transform is created, not when they are written", () => {
  const { f } = loaded();
  f.bind(0);
  const before = tfm(f); // sync, verify on
  f.unbind(0);
  attr(crypto(f), "sync_mode").store!("async");
  attr(crypto(f), "verify_compress").store!("0");
  const after = tfm(f); // deflate-iaa stays registered after the last unbind
  assert.deepEqual(before.ctx, { verifyCompress: true, asyncMode: false, useIrq: false, mode: 0 });
  assert.deepEqual(after.ctx, { verifyCompress: false, asyncMode: true, useIrq: false, mode: 0 });
  assert.equal(before.alg.compress(f.request(before, STAR_PAGE)), -Errno.ENODEV, "no WQ bound: iaa_crypto disabled");
});

test("sync compress builds the documented descriptors, verifies, and round-trips", () => {
  const { f } = loaded({ nrIaa: 1 });
  f.bind(0);
  settle(f);
  const t = tfm(f);
  const [comp, out] = roundTrip(f, t, STAR_PAGE);
  assert.deepEqual(out, STAR_PAGE);
  assert.deepEqual(new Uint8Array(inflateRawSync(comp)), STAR_PAGE);
  const jobs = f.devices[0]!.jobs;
  assert.deepEqual(jobs[0], { opcode: 0x43, flags: 0x1010c, opFlags: 0x6, src2Size: 1568, maxDst: 4096 });
  assert.deepEqual(jobs[1], { opcode: 0x42, flags: 0x10c, opFlags: 0x20f, src2Size: 0, maxDst: 4096 });
  assert.deepEqual(jobs[2], { opcode: 0x42, flags: 0x10c, opFlags: 0xf, src2Size: 0, maxDst: 4096 });
  assert.ok(f.clock.now >= 3 * f.latency, "polling waited for the engine in virtual time");
});

test("compress round-trips testmgr vector A within a 512-byte buffer", () => {
  const { f } = loaded({ nrIaa: 1 });
  f.bind(0);
  settle(f);
  const t = tfm(f);
  const c = f.request(t, VECTOR_A, 512);
  assert.equal(t.alg.compress(c), 0);
  assert.ok(c.dlen > 0 && c.dlen < VECTOR_A.length);
  assert.deepEqual(new Uint8Array(inflateRawSync(f.output(c))), VECTOR_A);
});

test("verify_compress=0 submits no verify descriptor", () => {
  const { f } = loaded({ nrIaa: 1 });
  attr(crypto(f), "verify_compress").store!("0");
  f.bind(0);
  settle(f);
  const t = tfm(f);
  assert.equal(t.alg.compress(f.request(t, STAR_PAGE)), 0);
  assert.deepEqual(f.devices[0]!.jobs.map((j) => j.opcode), [0x43]);
});

test("sync, async and async_irq modes return the same bytes", () => {
  const data = new TextEncoder().encode("abcdefghij".repeat(300) + "the end");
  const results: Uint8Array[][] = [];
  for (const mode of ["sync", "async", "async_irq"]) {
    const { f } = loaded({ nrIaa: 2 });
    attr(crypto(f), "sync_mode").store!(mode);
    f.bind(0);
    f.bind(1);
    settle(f);
  const t = tfm(f);
    const c = f.request(t, data, 4096, 2);
    const d = f.request(t, new Uint8Array(4096), data.length);
    let done: number[] = [];
    c.complete = (_r, err) => done.push(err);
    d.complete = (_r, err) => done.push(err);
    const run = (req: AcompReq, op: (r: AcompReq) => number): void => {
      const ret = op(req);
      if (mode === "sync") {
        assert.equal(ret, 0);
        return;
      }
      assert.equal(ret, -Errno.EINPROGRESS);
      if (mode === "async") {
        assert.equal(t.alg.poll!(req), -Errno.EAGAIN);
        f.clock.runUntil(() => t.alg.poll!(req) !== -Errno.EAGAIN);
      } else {
        f.clock.runUntil(() => done.length > 0);
      }
      assert.deepEqual(done, [0]);
      done = [];
    };
    run(c, (r) => t.alg.compress(r));
    const comp = f.output(c);
    f.mem.view(d.src[0]!.addr, comp.length).set(comp);
    d.slen = comp.length;
    d.src[0]!.length = comp.length;
    run(d, (r) => t.alg.decompress(r));
    results.push([comp, f.output(d)]);
    const flags = f.devices.flatMap((dv) => dv.jobs.map((j) => j.flags));
    if (mode === "async_irq") assert.ok(flags.includes(0x1011c) && flags.includes(0x11c), "RCI set");
    else assert.ok(flags.every((fl) => (fl & 0x10) === 0));
  }
  assert.deepEqual(results[1], results[0]);
  assert.deepEqual(results[2], results[0]);
  assert.deepEqual(results[0]![1], data);
});

test("requests take their CPU's WQ: CPU 0 uses iax1, CPU 159 uses iax15", () => {
  const { f } = loaded();
  for (let i = 0; i < 8; i++) f.bind(i);
  settle(f);
  const t = tfm(f);
  f.ctx.cpu = 159;
  assert.equal(t.alg.compress(f.request(t, STAR_PAGE)), 0);
  f.ctx.cpu = 0;
  assert.equal(t.alg.compress(f.request(t, STAR_PAGE)), 0);
  assert.equal(f.devices[7]!.jobs.length, 2);
  assert.equal(f.devices[0]!.jobs.length, 2);
  assert.equal(f.devices[3]!.jobs.length, 0);
});

test("stats count calls at submit and bytes at completion, per device and WQ", () => {
  const { f } = loaded({ nrIaa: 2 });
  f.bind(0);
  f.bind(1);
  settle(f);
  const t = tfm(f);
  const [comp] = roundTrip(f, t, STAR_PAGE);
  const dir = f.debugfs.children.get("iaa-crypto") as KnDir;
  const g = attr(dir, "global_stats").show!() as string;
  assert.match(g, new RegExp(`total_comp_calls: 1\n  total_decomp_calls: 1\n  total_sw_decomp_calls: 0\n  total_comp_bytes_out: ${comp.length}\n  total_decomp_bytes_in: ${comp.length}\n`));
  const w = attr(dir, "wq_stats").show!() as string;
  assert.ok(w.startsWith("iaa device:\n  id: 1\n  n_wqs: 1\n"));
  assert.match(w, new RegExp(`id: 1\n  n_wqs: 1\n  comp_calls: 1\n  comp_bytes: ${comp.length}\n  decomp_calls: 1\n  decomp_bytes: ${comp.length}\n  wqs:\n    name: iaa_crypto\n    comp_calls: 1\n`));
  assert.match(w, /id: 3\n  n_wqs: 1\n  comp_calls: 0\n/);
  assert.equal(attr(dir, "stats_reset").store!("1\n"), 0);
  assert.equal(attr(dir, "stats_reset").store!("x"), -Errno.EINVAL);
  assert.equal((attr(dir, "global_stats").show!() as string).match(/: 0\n/g)!.length, 8);
  assert.doesNotMatch(attr(dir, "wq_stats").show!() as string, /(calls|bytes): [1-9]/);
  assert.equal(attr(dir, "stats_reset").show!(), -Errno.EACCES);
});

test("a compress whose output does not fit returns -E2BIG and counts the overflow", () => {
  const { f } = loaded({ nrIaa: 1 });
  f.bind(0);
  settle(f);
  const t = tfm(f);
  const req = f.request(t, new Uint8Array(randomBytes(4096)));
  assert.equal(t.alg.compress(req), -Errno.E2BIG);
  assert.equal(f.devices[0]!.jobs.length, 1, "no verify after a failed compress");
  assert.match(f.host.debugfs!.children.get("iaa_crypto")!.kind, /dir/);
  const g = (f.debugfs.children.get("iaa_crypto") as KnDir).children.get("global_stats") as KnAttr;
  assert.match(g.show!() as string, /total_comp_calls: 1\n[^]*total_comp_bytes_out: 0\n[^]*total_completion_comp_buf_overflow_errors: 1\n/);
});

function statsText(f: FakeHost): string {
  return ((f.debugfs.children.get("iaa_crypto") as KnDir).children.get("global_stats") as KnAttr).show!() as string;
}

test("each injected completion status reaches its errno and counter", () => {
  const cases: { fault: Parameters<FakeHost["devices"][0]["faults"]["push"]>[0]; op: "compress" | "decompress"; errno: number; counter: string }[] = [
    { fault: { kind: "status", status: 0x24 }, op: "compress", errno: -Errno.ETIMEDOUT, counter: "total_completion_timeout_errors: 1" },
    { fault: { kind: "status", status: 0x24 }, op: "decompress", errno: -Errno.ETIMEDOUT, counter: "total_completion_timeout_errors: 1" },
    { fault: { kind: "status", status: 0x04 }, op: "compress", errno: -Errno.EINVAL, counter: "total_completion_einval_errors: 1" },
    { fault: { kind: "status", status: 0x04 }, op: "decompress", errno: -Errno.EINVAL, counter: "total_completion_einval_errors: 1" },
    { fault: { kind: "status", status: 0x0a, errorCode: 0x19 }, op: "compress", errno: -Errno.E2BIG, counter: "total_completion_comp_buf_overflow_errors: 1" },
    { fault: { kind: "status", status: 0x0a, errorCode: 0x11 }, op: "compress", errno: -Errno.EINVAL, counter: "total_completion_einval_errors: 1" },
    { fault: { kind: "status", status: 0x0b }, op: "decompress", errno: -Errno.EOVERFLOW, counter: "total_completion_einval_errors: 0" },
  ];
  for (const c of cases) {
    const { f } = loaded({ nrIaa: 1 });
    f.bind(0);
    settle(f);
  const t = tfm(f);
    const [comp] = roundTrip(f, t, STAR_PAGE);
    attr(f.debugfs.children.get("iaa_crypto") as KnDir, "stats_reset").store!("1");
    f.devices[0]!.faults.push({ ...c.fault, count: 1 } as never);
    const req = c.op === "compress" ? f.request(t, STAR_PAGE) : f.request(t, comp, 4096);
    const ret = c.op === "compress" ? t.alg.compress(req) : t.alg.decompress(req);
    assert.equal(ret, c.errno, JSON.stringify(c));
    assert.ok(statsText(f).includes(c.counter), `${JSON.stringify(c)}\n${statsText(f)}`);
    assert.match(statsText(f), /total_sw_decomp_calls: 0\n/);
  }
});

test("a decompress analytics error falls back to software, counts it and returns the right bytes", () => {
  const { f } = loaded({ nrIaa: 1 });
  f.bind(0);
  settle(f);
  const t = tfm(f);
  const [comp] = roundTrip(f, t, STAR_PAGE);
  f.devices[0]!.faults.push({ kind: "status", status: 0x0a, errorCode: 17, ops: "decompress", count: 1 });
  const d = f.request(t, comp, 4096);
  assert.equal(t.alg.decompress(d), 0);
  assert.deepEqual(f.output(d), STAR_PAGE);
  assert.match(statsText(f), /total_decomp_calls: 2\n  total_sw_decomp_calls: 1\n/);
  assert.match(statsText(f), new RegExp(`total_decomp_bytes_in: ${2 * comp.length}\n`));
  assert.ok(dmesg(f).includes("iaa_crypto: iaa_decompress: falling back to deflate-generic decompress, analytics error code 11"));
});

test("a corrupt stream fails in hardware and in the fallback: an error, never bytes", () => {
  const { f } = loaded({ nrIaa: 1 });
  f.bind(0);
  settle(f);
  const t = tfm(f);
  const d = f.request(t, new Uint8Array([0xff, 0xff, 0xff, 0xff]), 4096);
  assert.equal(t.alg.decompress(d), -Errno.EINVAL);
  assert.match(statsText(f), /total_sw_decomp_calls: 1\n  total_comp_bytes_out: 0\n  total_decomp_bytes_in: 0\n/);
});

test("a compress whose verify CRC differs returns -EINVAL", () => {
  const { f } = loaded({ nrIaa: 1 });
  f.bind(0);
  settle(f);
  const t = tfm(f);
  f.devices[0]!.faults.push({ kind: "crc", count: 1 });
  assert.equal(t.alg.compress(f.request(t, STAR_PAGE)), -Errno.EINVAL);
});

test("a device that never completes times out after 1,000,000 polls and disables iaa_crypto", () => {
  const { f, m } = loaded({ nrIaa: 1 });
  f.bind(0);
  settle(f);
  const t = tfm(f);
  f.devices[0]!.faults.push({ kind: "hang", count: 1 });
  const t0 = f.clock.now;
  assert.equal(t.alg.compress(f.request(t, STAR_PAGE)), -Errno.ETIMEDOUT);
  assert.equal(f.clock.now - t0, 20_000_000);
  assert.equal(m.enabled, false);
  assert.equal(dmesg(f).at(-1), "idxd 0000:6a:02.0: compress completion timed out - assuming broken hw, iaa_crypto now DISABLED");
  assert.equal(t.alg.compress(f.request(t, STAR_PAGE)), -Errno.ENODEV);
  assert.equal(attr(crypto(f), "sync_mode").store!("async"), 0, "attributes are writable once disabled");
});

test("in async_irq mode every failure reaches the callback as -EIO, and a fallback succeeds", () => {
  const { f } = loaded({ nrIaa: 1 });
  attr(crypto(f), "sync_mode").store!("async_irq");
  f.bind(0);
  settle(f);
  const t = tfm(f);
  const errs: number[] = [];
  const go = (req: AcompReq, op: "c" | "d") => {
    req.complete = (_r, e) => errs.push(e);
    assert.equal(op === "c" ? t.alg.compress(req) : t.alg.decompress(req), -Errno.EINPROGRESS);
    f.clock.runUntilIdle();
  };
  const c = f.request(t, STAR_PAGE, 4096, 2);
  go(c, "c");
  const comp = f.output(c);
  f.devices[0]!.faults.push({ kind: "status", status: 0x0a, errorCode: 0x19, count: 1 });
  go(f.request(t, STAR_PAGE), "c");
  f.devices[0]!.faults.push({ kind: "crc", count: 1 });
  go(f.request(t, STAR_PAGE), "c");
  f.devices[0]!.faults.push({ kind: "status", status: 0x0b, count: 1 });
  go(f.request(t, comp, 4096), "d");
  f.devices[0]!.faults.push({ kind: "status", status: 0x0a, errorCode: 17, ops: "decompress", count: 1 });
  const d = f.request(t, comp, 4096);
  go(d, "d");
  assert.deepEqual(errs, [0, -Errno.EIO, -Errno.EIO, -Errno.EIO, 0]);
  assert.deepEqual(f.output(d), STAR_PAGE);
  assert.equal(f.devices[0]!.wqs[0]!.clients, 0, "every WQ reference was put");
});

test("multi-segment and empty requests are refused", () => {
  const { f } = loaded({ nrIaa: 1 });
  f.bind(0);
  settle(f);
  const t = tfm(f);
  const req = f.request(t, STAR_PAGE);
  req.src = [req.src[0]!, req.src[0]!];
  assert.equal(t.alg.compress(req), -Errno.EIO);
  const empty = f.request(t, STAR_PAGE);
  empty.slen = 0;
  assert.equal(t.alg.compress(empty), -Errno.EINVAL);
  assert.equal(t.alg.decompress(empty), -Errno.EINVAL);
  assert.equal(f.devices[0]!.jobs.length, 0);
  assert.equal(f.devices[0]!.wqs[0]!.clients, 0);
});

test("unbinding a WQ with a request in flight defers its release to the last reference", () => {
  const { f, m } = loaded({ nrIaa: 1 });
  attr(crypto(f), "sync_mode").store!("async");
  attr(crypto(f), "verify_compress").store!("0");
  f.bind(0);
  settle(f);
  const t = tfm(f);
  const req = f.request(t, STAR_PAGE);
  assert.equal(t.alg.compress(req), -Errno.EINPROGRESS);
  f.unbind(0); // quiesce lets the engine finish; the iaa_wq stays until put
  assert.equal(m.st.wqPrivate.size, 1);
  assert.equal(f.bind(0), -Errno.EBUSY);
  assert.equal(t.alg.poll!(req), 0);
  assert.deepEqual(new Uint8Array(inflateRawSync(f.output(req))), STAR_PAGE);
  assert.equal(m.st.wqPrivate.size, 0);
  assert.equal(f.bind(0), -Errno.EEXIST, "a first bind again re-registers deflate-iaa: -EEXIST, as in the kernel");
});

test("dynamic debug prints the documented bind, rebalance and compress lines", () => {
  const { f } = loaded();
  assert.equal(f.dyndbg.exec("module iaa_crypto +p"), 0);
  for (let i = 0; i < 8; i++) f.bind(i);
  const lines = dmesg(f);
  const p = "[0-9a-f]{16}";
  assert.match(lines[0]!, new RegExp(`^idxd 0000:6a:02\\.0: add_iaa_wq: added wq ${p} to iaa ${p}, n_wq 1$`));
  assert.ok(lines.includes("iaa_crypto: rebalance_wq_table: nr_nodes=2, nr_cpus 160, nr_iaa 8, cpus_per_iaa 20"));
  const i = lines.lastIndexOf("iaa_crypto: rebalance_wq_table: nr_nodes=2, nr_cpus 160, nr_iaa 8, cpus_per_iaa 20");
  assert.equal(lines[i + 1], "iaa_crypto: rebalance_wq_table: iaa=0");
  assert.match(lines[i + 2]!, new RegExp(`^idxd 0000:6a:02\\.0: request_iaa_wq: getting wq from iaa_device ${p} \\(0\\)$`));
  assert.match(lines[i + 3]!, new RegExp(`^idxd 0000:6a:02\\.0: request_iaa_wq: returning unused wq ${p} \\(0\\) from iaa device ${p} \\(0\\)$`));
  assert.match(lines[i + 4]!, new RegExp(`^iaa_crypto: rebalance_wq_table: assigned wq for cpu=0, node=0 = wq ${p}$`));
  assert.ok(lines.includes("iaa_crypto: iaa_crypto_enable: iaa_crypto now ENABLED"));

  f.log.clear();
  f.ctx.cpu = 40; // node 1's first CPU → the fifth IAA, 0000:e7:02.0 as in the documentation's sample
  settle(f);
  const t = tfm(f);
  const req = f.request(t, STAR_PAGE, 4096, 2);
  assert.equal(t.alg.compress(req), 0);
  const src = req.src[0]!.addr.toString(16);
  const dst = req.dst[0]!.addr.toString(16);
  const got = dmesg(f);
  assert.match(got[0]!, new RegExp(`^idxd 0000:e7:02\\.0: iaa_comp_acompress: dma_map_sg, src_addr ${src}, nr_sgs 1, req->src ${p}, req->slen 4096, sg_dma_len\\(sg\\) 4096$`));
  assert.match(got[1]!, new RegExp(`^idxd 0000:e7:02\\.0: iaa_comp_acompress: dma_map_sg, dst_addr ${dst}, nr_sgs 1, req->dst ${p}, req->dlen 4096, sg_dma_len\\(sg\\) 8192$`));
  assert.match(got[2]!, new RegExp(`^idxd 0000:e7:02\\.0: iaa_compress: desc->src1_addr ${src}, desc->src1_size 4096, desc->dst_addr ${dst}, desc->max_dst_size 4096, desc->src2_addr [0-9a-f]+000, desc->src2_size 1568$`));
  assert.equal(got[3], `idxd 0000:e7:02.0: iaa_compress_verify: (verify) desc->src1_addr ${dst}, desc->src1_size ${req.dlen}, desc->dst_addr ${src}, desc->max_dst_size 4096, desc->src2_addr 0, desc->src2_size 0`);
  assert.equal(got.length, 4);

  f.log.clear();
  const comp = f.output(req);
  const d = f.request(t, comp, 4096);
  assert.equal(t.alg.decompress(d), 0);
  const ds = d.src[0]!.addr.toString(16);
  const dd = d.dst[0]!.addr.toString(16);
  const dl = dmesg(f);
  assert.match(dl[0]!, new RegExp(`^idxd 0000:e7:02\\.0: iaa_comp_adecompress: dma_map_sg, src_addr ${ds}, nr_sgs 1, req->src ${p}, req->slen ${comp.length}, sg_dma_len\\(sg\\) ${comp.length}$`));
  assert.match(dl[1]!, new RegExp(`^idxd 0000:e7:02\\.0: iaa_comp_adecompress: dma_map_sg, dst_addr ${dd}, nr_sgs 1, req->dst ${p}, req->dlen 4096, sg_dma_len\\(sg\\) 4096$`));
  assert.equal(dl[2], `idxd 0000:e7:02.0: iaa_decompress: desc->src1_addr ${ds}, desc->src1_size ${comp.length}, desc->dst_addr ${dd}, desc->max_dst_size 4096, desc->src2_addr 0, desc->src2_size 0`);
  assert.equal(dl.length, 3);

  f.log.clear();
  assert.equal(f.dyndbg.exec("module iaa_crypto -p"), 0);
  assert.equal(t.alg.compress(f.request(t, STAR_PAGE)), 0);
  assert.deepEqual(dmesg(f), []);
});

test("exit() removes the driver, its attributes, debugfs files and debug sites", () => {
  const { f, m } = loaded();
  f.bind(0);
  f.unbind(0);
  m.exit();
  assert.equal(f.driver, null);
  assert.equal(f.debugfs.children.size, 0);
  assert.equal(f.api.algInfo("deflate-iaa"), undefined);
  assert.doesNotMatch(f.dyndbg.show(), /iaa_crypto/);
});

test("dynamic debug shows the fallback to the first device when CPUs outnumber the IAAs' share", () => {
  const { f } = loaded({ nrIaa: 3 });
  f.dyndbg.exec("module iaa_crypto +p");
  for (let i = 0; i < 3; i++) f.bind(i);
  const lines = dmesg(f);
  assert.ok(lines.includes("iaa_crypto: rebalance_wq_table: nr_nodes=2, nr_cpus 160, nr_iaa 3, cpus_per_iaa 53"));
  assert.ok(lines.some((l) => /^idxd 0000:6a:02\.0: request_iaa_wq: getting wq from only iaa_device [0-9a-f]{16} \(0\)$/.test(l)));
  assert.ok(lines.includes("iaa_crypto: rebalance_wq_table: iaa=3"));
});

test("deflate-iaa passes the crypto API's testmgr self-test in every sync_mode", () => {
  for (const mode of ["sync", "async", "async_irq"]) {
    const { f } = loaded({ nrIaa: 1 });
    attr(crypto(f), "sync_mode").store!(mode);
    f.bind(0);
    assert.match(f.api.procCrypto(), /name {9}: deflate\ndriver {7}: deflate-iaa\nmodule {7}: iaa_crypto\npriority {5}: 300\nrefcnt {7}: 1\nselftest {5}: passed\ninternal {5}: no\ntype {9}: acomp\n/, mode);
    assert.ok(f.devices[0]!.jobs.length >= 4, `${mode}: the self-test ran on the device`);
    assert.equal(f.devices[0]!.wqs[0]!.clients, 0);
  }
});

test("a transform alive at the last unbind: its requests fail with -ENODEV, a rebind fails with -EEXIST", () => {
  const { f, m } = loaded({ nrIaa: 1 });
  f.bind(0);
  const t = tfm(f);
  f.unbind(0);
  assert.equal(m.enabled, false);
  assert.equal(f.api.algInfo("deflate-iaa")?.refcnt, 2);
  assert.equal(t.alg.compress(f.request(t, STAR_PAGE)), -Errno.ENODEV);
  assert.equal(f.bind(0), -Errno.EEXIST);
  assert.equal(t.alg.compress(f.request(t, STAR_PAGE)), -Errno.ENODEV);
  f.api.freeAcomp(t);
  assert.equal(f.api.algInfo("deflate-iaa")?.refcnt, 1);
  assert.equal(f.moduleRefs, 0);
});

test("an aborted interrupt-mode descriptor completes its request with -EIO at once", () => {
  const { f, m } = loaded({ nrIaa: 1 });
  attr(crypto(f), "sync_mode").store!("async_irq");
  f.bind(0);
  settle(f);
  const t = tfm(f);
  f.devices[0]!.faults.push({ kind: "hang", count: 1 });
  const r = f.request(t, STAR_PAGE);
  const errs: number[] = [];
  r.complete = (_q, e) => errs.push(e);
  assert.equal(t.alg.compress(r), -Errno.EINPROGRESS);
  const t0 = f.clock.now;
  // idxd's abort path (WQ disable with pending descriptors)
  const desc = { hw: new Uint8Array(64), completion: new Uint8Array(64), complDma: 0, crypto: (r.ctx as { desc: { crypto: unknown } }).desc.crypto };
  m.driver.descComplete(desc, "abort", false);
  assert.deepEqual(errs, [-Errno.EIO]);
  assert.equal(f.clock.now, t0, "no busy-poll on an aborted descriptor");
  assert.match(statsText(f), /total_completion_einval_errors: 1\n/);
});

test("%p values are stable per object and differ between objects", () => {
  const { m } = loaded({ nrIaa: 1 });
  const a: unknown[] = [];
  const b: unknown[] = [];
  assert.match(m.st.p(a), /^[0-9a-f]{16}$/);
  assert.equal(m.st.p(a), m.st.p(a));
  assert.notEqual(m.st.p(a), m.st.p(b));
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) seen.add(m.st.p({}));
  assert.equal(seen.size, 1000);
});
