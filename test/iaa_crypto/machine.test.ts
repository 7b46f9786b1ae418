/**
 * iaa_crypto on the whole machine (bootStack: hardware model, idxd, dsa bus,
 * crypto API, module registry, sysfs/debugfs), driven the way the
 * documentation drives it: modprobe/rmmod, sysfs bind/unbind and attribute
 * writes, dynamic debug, debugfs statistics, and deflate-iaa through the
 * crypto API. Faults come from the hardware model's injection list.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import type { AcompReq, AcompTfm } from "../../src/crypto/acomp.js";
import { Errno } from "../../src/lib/errno.js";
import { bootStack, type Stack } from "../../src/system/stack.js";

const STAR_PAGE = new Uint8Array(4096).fill(0x2a);
const TEXT = new TextEncoder().encode("The quick brown fox jumps over the lazy dog. ".repeat(90));

function dmesg(s: Stack): string[] {
  return s.machine.ctx.log.records.map((r) => r.text);
}

function write(s: Stack, path: string, text: string): void {
  s.machine.vfs.writeFile(path, text);
}

function read(s: Stack, path: string): string {
  return s.machine.vfs.readText(path);
}

function tfm(s: Stack, name = "deflate-iaa"): AcompTfm {
  const t = s.crypto.allocAcomp(name);
  assert.ok(typeof t !== "number", `${name}: ${String(t)}`);
  return t;
}

function req(s: Stack, t: AcompTfm, data: Uint8Array, dlen: number, dstPages = 1): AcompReq {
  const { mem } = s.machine;
  const r = s.crypto.requestAlloc(t);
  const src = mem.allocPages(Math.max(1, Math.ceil(data.length / 4096)));
  mem.view(src, data.length).set(data);
  const dst = mem.allocPages(dstPages);
  s.crypto.requestSetParams(r, [{ addr: src, length: data.length }], [{ addr: dst, length: dstPages * 4096 }], data.length, dlen);
  return r;
}

function out(s: Stack, r: AcompReq): Uint8Array {
  return s.machine.mem.view(r.dst[0]!.addr, r.dlen).slice();
}

function run(s: Stack, r: AcompReq, op: "compress" | "decompress"): number {
  return s.crypto.waitReq(op === "compress" ? s.crypto.compress(r) : s.crypto.decompress(r), r);
}

/** The documentation's disable loop over iax1, iax3, …: WQ first, then the device. */
function disableAll(s: Stack): void {
  const n = s.machine.idxd!.devices.filter((d) => d.isIax).length;
  for (let i = 1; i < n * 2; i += 2) {
    write(s, "/sys/bus/dsa/drivers/crypto/unbind", `wq${i}.0`);
    write(s, "/sys/bus/dsa/drivers/idxd/unbind", `iax${i}`);
  }
}

/** The appendix's sysfs configure-and-enable sequence for wqN.0 on every IAA. */
function configureAll(s: Stack): void {
  const n = s.machine.idxd!.devices.filter((d) => d.isIax).length;
  for (let i = 1; i < n * 2; i += 2) {
    const wq = `/sys/bus/dsa/devices/iax${i}/wq${i}.0`;
    write(s, `${wq}/mode`, "dedicated");
    write(s, `${wq}/size`, "128");
    write(s, `${wq}/group_id`, "0");
    write(s, `${wq}/priority`, "10");
    write(s, `${wq}/type`, "kernel");
    write(s, `${wq}/name`, "iaa_crypto");
    write(s, `${wq}/driver_name`, "crypto");
    write(s, `/sys/bus/dsa/devices/iax${i}/engine${i}.0/group_id`, "0");
    write(s, "/sys/bus/dsa/drivers/idxd/bind", `iax${i}`);
    write(s, "/sys/bus/dsa/drivers/crypto/bind", `wq${i}.0`);
  }
}

test("modprobe iaa_crypto brings up the default configuration with a self-tested deflate-iaa", () => {
  const s = bootStack();
  assert.equal(s.machine.modules.modprobe("iaa_crypto").rc, 0);
  assert.equal(read(s, "/sys/bus/dsa/devices/iax1/state"), "enabled\n");
  assert.equal(read(s, "/sys/bus/dsa/devices/iax1/wq1.0/state"), "enabled\n");
  assert.equal(dmesg(s).filter((l) => l === "iaa_crypto: iaa_crypto_enable: iaa_crypto now ENABLED").length, 1);
  assert.match(read(s, "/proc/crypto"), /name {9}: deflate\ndriver {7}: deflate-iaa\nmodule {7}: iaa_crypto\npriority {5}: 300\nrefcnt {7}: 1\nselftest {5}: passed\ninternal {5}: no\ntype {9}: acomp\n/);
  assert.equal(read(s, "/sys/bus/dsa/drivers/crypto/verify_compress"), "1\n");
  assert.equal(read(s, "/sys/bus/dsa/drivers/crypto/sync_mode"), "sync\n");
  assert.ok(s.machine.vfs.exists("/sys/module/iaa_crypto"));
  assert.deepEqual(s.machine.modules.rmmod("iaa_crypto"), { rc: -Errno.EBUSY, messages: ["rmmod: ERROR: Module iaa_crypto is in use"] });
  assert.deepEqual(s.machine.vfs.readdir("/sys/kernel/debug/iaa-crypto").sort(), ["global_stats", "stats_reset", "wq_stats"]);
  assert.match(read(s, "/sys/kernel/debug/iaa_crypto/wq_stats"), /^iaa device:\n  id: 1\n  n_wqs: 1\n/);
});

test("attributes are EBUSY while WQs are bound; the documented disable/reload/configure sequence works", () => {
  const s = bootStack();
  s.machine.modules.modprobe("iaa_crypto");
  assert.throws(() => write(s, "/sys/bus/dsa/drivers/crypto/sync_mode", "async_irq"), { code: "EBUSY" });
  assert.throws(() => write(s, "/sys/bus/dsa/drivers/crypto/verify_compress", "0"), { code: "EBUSY" });
  disableAll(s);
  assert.ok(dmesg(s).includes("iaa_crypto: iaa_crypto_disable: iaa_crypto now DISABLED"));
  assert.equal(s.crypto.algInfo("deflate-iaa")?.refcnt, 1, "registered until module exit");
  assert.equal(s.machine.modules.rmmod("iaa_crypto").rc, 0);
  assert.equal(s.crypto.algInfo("deflate-iaa"), undefined);
  assert.ok(!s.machine.vfs.exists("/sys/module/iaa_crypto"));
  assert.ok(!s.machine.vfs.exists("/sys/kernel/debug/iaa-crypto"));
  assert.equal(s.machine.modules.modprobe("iaa_crypto").rc, 0);
  write(s, "/sys/bus/dsa/drivers/crypto/sync_mode", "async_irq");
  write(s, "/sys/bus/dsa/drivers/crypto/verify_compress", "0");
  write(s, "/sys/kernel/debug/dynamic_debug/control", "module iaa_crypto +p");
  s.machine.ctx.log.clear();
  configureAll(s);
  const lines = dmesg(s);
  assert.equal(lines.filter((l) => l === "iaa_crypto: iaa_crypto_enable: iaa_crypto now ENABLED").length, 1);
  assert.ok(lines.includes("iaa_crypto: rebalance_wq_table: nr_nodes=2, nr_cpus 160, nr_iaa 8, cpus_per_iaa 20"));
  assert.match(lines.find((l) => l.includes("add_iaa_wq"))!, /^idxd 0000:6a:02\.0: add_iaa_wq: added wq [0-9a-f]{16} to iaa [0-9a-f]{16}, n_wq 1$/);
  assert.equal(read(s, "/sys/bus/dsa/drivers/crypto/sync_mode"), "async_irq\n");
  const t = tfm(s, "deflate");
  assert.deepEqual(t.ctx, { verifyCompress: false, asyncMode: true, useIrq: true, mode: 0 });
  assert.equal(t.alg.cra_driver_name, "deflate-iaa");
});

test("deflate-iaa gives the same bytes in sync, async and async_irq and the documented debug lines", () => {
  const results: Uint8Array[] = [];
  for (const mode of ["sync", "async", "async_irq"]) {
    const s = bootStack();
    s.machine.modules.modprobe("iaa_crypto");
    disableAll(s);
    // the documented set-up script reloads the module to register deflate-iaa anew
    assert.equal(s.machine.modules.rmmod("iaa_crypto").rc, 0);
    assert.equal(s.machine.modules.modprobe("iaa_crypto").rc, 0);
    write(s, "/sys/bus/dsa/drivers/crypto/sync_mode", mode);
    configureAll(s);
    write(s, "/sys/kernel/debug/dynamic_debug/control", "module iaa_crypto +p");
    const t = tfm(s);
    s.machine.ctx.cpu = 40; // node 1's first CPU → the fifth IAA (0000:e7:02.0)
    s.machine.ctx.log.clear();
    write(s, "/sys/kernel/debug/iaa-crypto/stats_reset", "1");
    const c = req(s, t, TEXT, 4096, 2);
    assert.equal(run(s, c, "compress"), 0, mode);
    const comp = out(s, c);
    assert.deepEqual(new Uint8Array(inflateRawSync(comp)), TEXT);
    const lines = dmesg(s).filter((l) => l.startsWith("idxd 0000:e7:02.0: iaa_"));
    assert.match(lines[0]!, /^idxd 0000:e7:02\.0: iaa_comp_acompress: dma_map_sg, src_addr [0-9a-f]+, nr_sgs 1, req->src [0-9a-f]{16}, req->slen 4050, sg_dma_len\(sg\) 4050$/);
    assert.match(lines[1]!, /^idxd 0000:e7:02\.0: iaa_comp_acompress: dma_map_sg, dst_addr [0-9a-f]+, nr_sgs 1, req->dst [0-9a-f]{16}, req->dlen 4096, sg_dma_len\(sg\) 8192$/);
    assert.ok(lines.some((l) => /iaa_compress: desc->src1_addr [0-9a-f]+, desc->src1_size 4050, desc->dst_addr [0-9a-f]+, desc->max_dst_size 4096, desc->src2_addr [0-9a-f]+, desc->src2_size 1568$/.test(l)));
    assert.ok(lines.some((l) => new RegExp(`iaa_compress_verify: \\(verify\\) desc->src1_addr [0-9a-f]+, desc->src1_size ${comp.length}, desc->dst_addr [0-9a-f]+, desc->max_dst_size 4050, desc->src2_addr 0, desc->src2_size 0$`).test(l)));
    const d = req(s, t, comp, TEXT.length);
    assert.equal(run(s, d, "decompress"), 0, mode);
    assert.deepEqual(out(s, d), TEXT);
    assert.ok(dmesg(s).some((l) => /^idxd 0000:e7:02\.0: iaa_decompress: desc->src1_addr [0-9a-f]+, desc->src1_size \d+, desc->dst_addr [0-9a-f]+, desc->max_dst_size 4050, desc->src2_addr 0, desc->src2_size 0$/.test(l)));
    results.push(comp);
    const g = read(s, "/sys/kernel/debug/iaa-crypto/global_stats");
    assert.equal(g, `global stats:\n  total_comp_calls: 1\n  total_decomp_calls: 1\n  total_sw_decomp_calls: 0\n  total_comp_bytes_out: ${comp.length}\n  total_decomp_bytes_in: ${comp.length}\n  total_completion_einval_errors: 0\n  total_completion_timeout_errors: 0\n  total_completion_comp_buf_overflow_errors: 0\n\n`, mode);
    assert.match(read(s, "/sys/kernel/debug/iaa_crypto/wq_stats"), new RegExp(`id: 9\n  n_wqs: 1\n  comp_calls: 1\n  comp_bytes: ${comp.length}\n  decomp_calls: 1\n  decomp_bytes: ${comp.length}\n  wqs:\n    name: iaa_crypto\n`));
  }
  assert.deepEqual(results[1], results[0]);
  assert.deepEqual(results[2], results[0]);
});

test("the hardware model's injected faults reach each errno and counter", () => {
  const cases: { status: number | "hang"; errorCode?: number; op: "compress" | "decompress"; errno: number; line: RegExp }[] = [
    { status: 0x24, op: "compress", errno: -Errno.ETIMEDOUT, line: /total_completion_timeout_errors: 1\n/ },
    { status: 0x04, op: "decompress", errno: -Errno.EINVAL, line: /total_completion_einval_errors: 1\n/ },
    { status: 0x0a, errorCode: 0x19, op: "compress", errno: -Errno.E2BIG, line: /total_completion_comp_buf_overflow_errors: 1\n/ },
    { status: 0x0b, op: "decompress", errno: -Errno.EOVERFLOW, line: /total_completion_einval_errors: 0\n  total_completion_timeout_errors: 0\n  total_completion_comp_buf_overflow_errors: 0\n/ },
    { status: 0x0a, errorCode: 17, op: "decompress", errno: 0, line: /total_sw_decomp_calls: 1\n/ },
    { status: "hang", op: "compress", errno: -Errno.ETIMEDOUT, line: /total_completion_timeout_errors: 0\n/ },
  ];
  for (const c of cases) {
    const s = bootStack("tiny");
    s.machine.modules.modprobe("iaa_crypto");
    const t = tfm(s);
    const c0 = req(s, t, STAR_PAGE, 4096, 2);
    assert.equal(run(s, c0, "compress"), 0);
    const comp = out(s, c0);
    write(s, "/sys/kernel/debug/iaa_crypto/stats_reset", "1");
    // CPU 0 uses the first IAA
    const hw = s.machine.idxd!.devices.find((d) => d.isIax)!.hw;
    hw.faults.push({ opcode: c.op === "compress" ? 0x43 : 0x42, status: c.status, ...(c.errorCode !== undefined ? { errorCode: c.errorCode } : {}), count: 1 });
    const r = c.op === "compress" ? req(s, t, STAR_PAGE, 4096, 2) : req(s, t, comp, 4096);
    assert.equal(run(s, r, c.op), c.errno, JSON.stringify(c));
    assert.match(read(s, "/sys/kernel/debug/iaa_crypto/global_stats"), c.line, JSON.stringify(c));
    if (c.errno === 0) assert.deepEqual(out(s, r), STAR_PAGE);
    if (c.status === "hang") {
      assert.equal(s.iaa()!.enabled, false);
      assert.ok(dmesg(s).some((l) => /: compress completion timed out - assuming broken hw, iaa_crypto now DISABLED$/.test(l)));
    }
  }
});

test("incompressible pages give -E2BIG; a stream with 8 KiB distances falls back to software", () => {
  const s = bootStack("tiny");
  s.machine.modules.modprobe("iaa_crypto");
  const t = tfm(s);
  write(s, "/sys/kernel/debug/iaa_crypto/stats_reset", "1");
  let x = 12345;
  const noise = new Uint8Array(4096).map(() => (x = (x * 1103515245 + 12345) >>> 0) >>> 24);
  assert.equal(run(s, req(s, t, noise, 4096, 2), "compress"), -Errno.E2BIG);
  const block = new Uint8Array(8192).map(() => (x = (x * 1103515245 + 12345) >>> 0) >>> 24);
  const data = new Uint8Array(16384);
  data.set(block, 0);
  data.set(block, 8192);
  const stream = new Uint8Array(deflateRawSync(data, { windowBits: 15 }));
  const d = req(s, t, stream, 16384, 4);
  assert.equal(run(s, d, "decompress"), 0);
  assert.deepEqual(out(s, d), data);
  const g = read(s, "/sys/kernel/debug/iaa_crypto/global_stats");
  assert.match(g, /total_sw_decomp_calls: 1\n/);
  assert.match(g, new RegExp(`total_decomp_bytes_in: ${stream.length}\n`));
  assert.match(g, /total_completion_comp_buf_overflow_errors: 1\n/);
  assert.ok(dmesg(s).some((l) => l.startsWith("iaa_crypto: iaa_decompress: falling back to deflate-generic decompress, analytics error code ")));
});

test("a transform alive at the last unbind pins the module; freeing it lets rmmod proceed", () => {
  const s = bootStack("tiny");
  s.machine.modules.modprobe("iaa_crypto");
  const t = tfm(s, "deflate");
  disableAll(s);
  assert.equal(s.machine.modules.rmmod("iaa_crypto").rc, -Errno.EBUSY);
  assert.equal(run(s, req(s, t, STAR_PAGE, 4096, 2), "compress"), -Errno.ENODEV);
  s.crypto.freeAcomp(t);
  assert.equal(s.machine.modules.rmmod("iaa_crypto").rc, 0);
  assert.equal(s.crypto.algInfo("deflate-iaa"), undefined);
});

test("the documentation's zswap test: 100 '*' pages out and back through deflate-iaa with the documented dmesg lines", async () => {
  const { MADV_PAGEOUT, MAP_ANONYMOUS, MAP_SHARED, PROT_READ, PROT_WRITE } = await import("../../src/mm/address_space.js");
  const s = bootStack();
  s.machine.modules.modprobe("iaa_crypto");
  write(s, "/sys/kernel/debug/dynamic_debug/control", "module iaa_crypto +p");
  write(s, "/sys/module/zswap/parameters/enabled", "0");
  write(s, "/sys/module/zswap/parameters/max_pool_percent", "50");
  write(s, "/sys/module/zswap/parameters/compressor", "deflate-iaa");
  write(s, "/sys/module/zswap/parameters/enabled", "1");
  write(s, "/sys/kernel/debug/iaa-crypto/stats_reset", "1");
  s.machine.ctx.log.clear();
  const p = s.mm.spawn("memory_madvise", 0);
  const n = 100;
  const a = s.mm.mmap(p, 0, n * 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
  assert.ok(a > 0);
  s.mm.memset(p, a, 0x2a, n * 4096);
  assert.equal(s.mm.madvise(p, a, n * 4096, MADV_PAGEOUT), 0);
  s.machine.ctx.clock.advance(5e9);
  for (let i = 0; i < n; i++) assert.equal(s.mm.readByte(p, a + i * 4096), 0x2a, `page ${i}`);
  const lines = dmesg(s);
  const hexp = "[0-9a-f]{16}";
  const [c1, c2, c3, c4] = lines;
  assert.match(c1!, new RegExp(`^idxd 0000:6a:02\\.0: iaa_comp_acompress: dma_map_sg, src_addr [0-9a-f]+, nr_sgs 1, req->src ${hexp}, req->slen 4096, sg_dma_len\\(sg\\) 4096$`));
  assert.match(c2!, new RegExp(`^idxd 0000:6a:02\\.0: iaa_comp_acompress: dma_map_sg, dst_addr [0-9a-f]+, nr_sgs 1, req->dst ${hexp}, req->dlen 4096, sg_dma_len\\(sg\\) 8192$`));
  assert.match(c3!, /^idxd 0000:6a:02\.0: iaa_compress: desc->src1_addr [0-9a-f]+, desc->src1_size 4096, desc->dst_addr [0-9a-f]+, desc->max_dst_size 4096, desc->src2_addr [0-9a-f]+, desc->src2_size 1568$/);
  assert.match(c4!, /^idxd 0000:6a:02\.0: iaa_compress_verify: \(verify\) desc->src1_addr [0-9a-f]+, desc->src1_size \d+, desc->dst_addr [0-9a-f]+, desc->max_dst_size 4096, desc->src2_addr 0, desc->src2_size 0$/);
  assert.notEqual(c1!.match(/req->src (\w+)/)![1], c2!.match(/req->dst (\w+)/)![1]);
  const d = lines.findIndex((l) => l.includes("iaa_comp_adecompress"));
  assert.match(lines[d]!, /iaa_comp_adecompress: dma_map_sg, src_addr [0-9a-f]+, nr_sgs 1, req->src [0-9a-f]{16}, req->slen \d+, sg_dma_len\(sg\) \d+$/);
  assert.match(lines[d + 1]!, /iaa_comp_adecompress: dma_map_sg, dst_addr [0-9a-f]+, nr_sgs 1, req->dst [0-9a-f]{16}, req->dlen 4096, sg_dma_len\(sg\) 4096$/);
  assert.match(lines[d + 2]!, /iaa_decompress: desc->src1_addr [0-9a-f]+, desc->src1_size \d+, desc->dst_addr [0-9a-f]+, desc->max_dst_size 4096, desc->src2_addr 0, desc->src2_size 0$/);
  const g = read(s, "/sys/kernel/debug/iaa-crypto/global_stats");
  assert.match(g, /^global stats:\n  total_comp_calls: 100\n  total_decomp_calls: 100\n  total_sw_decomp_calls: 0\n/);
});
