/**
 * A stand-in for the machine around iaa_crypto, for the driver's own tests:
 * IAA devices with WQs, an idxd sub-driver interface, an engine that runs
 * compress/decompress descriptors from emulated DMA memory in virtual time
 * (node:zlib does the DEFLATE work: fixed Huffman, 4 KiB window), a crypto
 * registry and a module reference. Faults can be injected per device.
 *
 * The real machine (src/system) replaces all of this; the driver code under
 * test is the same.
 */
import { crc32, constants as zc, deflateRawSync, inflateRawSync } from "node:zlib";
import type { AcompReq, AcompTfm, ModuleRef } from "../../src/crypto/acomp.js";
import { CryptoApi } from "../../src/crypto/api.js";
import { registerSoftwareCompressors } from "../../src/crypto/register_software.js";
import { KnDir } from "../../src/kernfs/node.js";
import { VirtualClock } from "../../src/lib/clock.js";
import type { KernelContext } from "../../src/lib/context.js";
import { DynamicDebug } from "../../src/lib/dyndbg.js";
import { Errno } from "../../src/lib/errno.js";
import { Printk } from "../../src/lib/printk.js";
import { makeTopology, type Topology } from "../../src/lib/topology.js";
import { PhysMem } from "../../src/mm/phys_mem.js";
import type { IaaHost, IdxdDescView, IdxdDeviceView, IdxdSubDriver, IdxdWqView } from "../../src/driver/iaa_crypto/host.js";

/** PCI addresses of the 8 IAAs of a 2-socket SPR, in iax1, iax3, … order. */
export const SPR_IAA_PCI = ["0000:6a:02.0", "0000:6f:02.0", "0000:74:02.0", "0000:79:02.0", "0000:e7:02.0", "0000:ec:02.0", "0000:f1:02.0", "0000:f6:02.0"];

export type Fault =
  | { kind: "status"; status: number; errorCode?: number; ops?: "compress" | "decompress" | "all"; count?: number }
  | { kind: "hang"; count?: number }
  | { kind: "crc"; count?: number };

export class FakeDevice implements IdxdDeviceView {
  enabled = true;
  isIax = true;
  cmdStatus = 0;
  maxWqs = 8;
  readonly wqs: FakeWq[] = [];
  faults: Fault[] = [];
  /** Jobs run, by opcode. */
  jobs: { opcode: number; flags: number; opFlags: number; src2Size: number; maxDst: number }[] = [];
  constructor(
    readonly id: number,
    readonly pciName: string,
  ) {}
}

export class FakeWq implements IdxdWqView {
  type: "none" | "kernel" | "user" = "none";
  driverName = "crypto";
  name = "iaa_crypto";
  enabled = false;
  clients = 0;
  inflight = 0;
  constructor(
    readonly id: number,
    readonly idxd: FakeDevice,
  ) {}
}

interface FakeDesc extends IdxdDescView {
  page: number;
}

export interface FakeHostOptions {
  topo?: Topology;
  nrIaa?: number;
  wqsPerIaa?: number;
  statsEnabled?: boolean;
  /** Engine latency per job in ns. */
  latency?: number;
}

/** The fake host plus handles to poke at. */
export class FakeHost {
  readonly clock = new VirtualClock();
  /** The ring of the 2-socket machine the fake host models (160 CPUs: logBufLen(18, 12, 160), 1 MiB). */
  readonly log = new Printk(this.clock, 1 << 20);
  readonly dyndbg = new DynamicDebug();
  readonly ctx: KernelContext;
  readonly mem = new PhysMem(1 << 30);
  readonly devices: FakeDevice[] = [];
  readonly api: CryptoApi;
  readonly debugfs = new KnDir("debugfs");
  readonly driversDir = new KnDir("sysfs");
  driver: IdxdSubDriver | null = null;
  moduleRefs = 0;
  latency: number;
  readonly host: IaaHost;

  constructor(o: FakeHostOptions = {}) {
    const topo = o.topo ?? makeTopology(2, 40, 2, 1 << 30);
    this.ctx = { clock: this.clock, log: this.log, dyndbg: this.dyndbg, topo, cpu: 0 };
    this.latency = o.latency ?? 2000;
    this.api = new CryptoApi({ mem: this.mem, ctx: this.ctx });
    registerSoftwareCompressors(this.api);
    for (let i = 0; i < (o.nrIaa ?? 8); i++) {
      const d = new FakeDevice(2 * i + 1, SPR_IAA_PCI[i] ?? `0000:${(0x80 + i).toString(16)}:02.0`);
      for (let w = 0; w < (o.wqsPerIaa ?? 1); w++) d.wqs.push(new FakeWq(w, d));
      this.devices.push(d);
    }
    const self = this;
    const moduleRef: ModuleRef = {
      name: "iaa_crypto",
      get() {
        self.moduleRefs++;
        return true;
      },
      put() {
        self.moduleRefs--;
      },
    };
    this.host = {
      ctx: this.ctx,
      mem: this.mem,
      module: moduleRef,
      debugfs: this.debugfs,
      statsEnabled: o.statsEnabled ?? true,
      crypto: this.api,
      idxd: {
        driverRegister: (drv) => {
          this.driver = drv;
          this.driversDir.dir(drv.name);
          return 0;
        },
        driverUnregister: (drv) => {
          this.driver = null;
          this.driversDir.remove(drv.name);
        },
        driverDir: (drv) => {
          const d = this.driversDir.children.get(drv.name);
          return d !== undefined && d.kind === "dir" ? d : null;
        },
        drvEnableWq: (wq) => {
          (wq as FakeWq).enabled = true;
          return 0;
        },
        drvDisableWq: (wq) => {
          (wq as FakeWq).enabled = false;
        },
        wqQuiesce: (wq) => {
          this.clock.runUntil(() => (wq as FakeWq).inflight === 0);
        },
        allocDesc: (wq) => {
          if (!(wq as FakeWq).enabled) return -Errno.EIO;
          const page = this.mem.allocPages(1);
          const desc: FakeDesc = { page, hw: this.mem.view(page, 64), completion: this.mem.view(page + 64, 64), complDma: page + 64, crypto: null };
          return desc;
        },
        submitDesc: (wq, desc) => this.submit(wq as FakeWq, desc as FakeDesc),
        freeDesc: (_wq, desc) => {
          this.mem.freePages((desc as FakeDesc).page, 1);
        },
        wqGet: (wq) => {
          (wq as FakeWq).clients++;
        },
        wqPut: (wq) => {
          (wq as FakeWq).clients--;
        },
      },
    };
  }

  /** echo wqN.M > /sys/bus/dsa/drivers/crypto/bind */
  bind(dev: number, wq = 0): number {
    return this.driver!.probe(this.devices[dev]!.wqs[wq]!);
  }

  /** echo wqN.M > /sys/bus/dsa/drivers/crypto/unbind */
  unbind(dev: number, wq = 0): void {
    const w = this.devices[dev]!.wqs[wq]!;
    if (w.enabled) this.driver!.remove(w);
  }

  private submit(wq: FakeWq, desc: FakeDesc): number {
    if (!wq.enabled) return -Errno.EIO;
    const dv = new DataView(desc.hw.buffer, desc.hw.byteOffset, 64);
    const fo = dv.getUint32(4, true);
    const job = {
      opcode: fo >>> 24,
      flags: fo & 0xffffff,
      completion: Number(dv.getBigUint64(8, true)),
      src1: Number(dv.getBigUint64(16, true)),
      dst: Number(dv.getBigUint64(24, true)),
      src1Size: dv.getUint32(32, true),
      opFlags: dv.getUint16(38, true),
      src2: Number(dv.getBigUint64(40, true)),
      maxDst: dv.getUint32(48, true),
      src2Size: dv.getUint32(52, true),
    };
    const dev = wq.idxd;
    dev.jobs.push({ opcode: job.opcode, flags: job.flags, opFlags: job.opFlags, src2Size: job.src2Size, maxDst: job.maxDst });
    wq.inflight++;
    this.clock.schedule(this.latency, () => {
      wq.inflight--;
      const fault = takeFault(dev, job.opcode === 0x43 ? "compress" : "decompress");
      if (fault?.kind === "hang") return;
      const comp = this.mem.view(job.completion, 64);
      const res = fault?.kind === "status" ? { status: fault.status, errorCode: fault.errorCode ?? 0, outputSize: 0, crc: 0 } : this.execute(job);
      if (fault?.kind === "crc") res.crc = (res.crc ^ 1) >>> 0;
      const cdv = new DataView(comp.buffer, comp.byteOffset, 64);
      comp[1] = res.errorCode;
      cdv.setUint32(24, res.outputSize, true);
      cdv.setUint32(32, res.crc, true);
      comp[0] = res.status;
      if (job.flags & 0x10) this.driver?.descComplete(desc, "normal", true);
    });
    return 0;
  }

  private execute(job: { opcode: number; src1: number; dst: number; src1Size: number; opFlags: number; maxDst: number; src2: number; src2Size: number }) {
    const input = this.mem.view(job.src1, job.src1Size);
    if (job.opcode === 0x43) {
      // fixed mode reads its 3 header bits from the AECS: require them
      const aecs = this.mem.view(job.src2, job.src2Size);
      if (job.src2Size !== 1568 || aecs[32] !== 0x03) return { status: 0x0a, errorCode: 22, outputSize: 0, crc: 0 };
      const out = deflateRawSync(input, { windowBits: 12, level: 1, strategy: zc.Z_FIXED });
      if (out.length > job.maxDst) return { status: 0x0a, errorCode: 0x19, outputSize: 0, crc: 0 };
      this.mem.view(job.dst, out.length).set(out);
      return { status: 1, errorCode: 0, outputSize: out.length, crc: crc32(input) >>> 0 };
    }
    let out: Buffer;
    try {
      out = inflateRawSync(input);
    } catch {
      return { status: 0x0a, errorCode: 11, outputSize: 0, crc: 0 };
    }
    if (out.length > job.maxDst) return { status: 0x0b, errorCode: 0, outputSize: 0, crc: 0 };
    if (!(job.opFlags & 0x200)) this.mem.view(job.dst, out.length).set(out);
    return { status: 1, errorCode: 0, outputSize: job.opFlags & 0x200 ? 0 : out.length, crc: crc32(out) >>> 0 };
  }

  /** A request over freshly allocated pages holding `data`, with `dstBytes` of output room. */
  request(tfm: AcompTfm, data: Uint8Array, dstBytes = 4096, dstPages = 1): AcompReq {
    const src = this.mem.allocPages(Math.max(1, Math.ceil(data.length / 4096)));
    this.mem.view(src, data.length).set(data);
    const dst = this.mem.allocPages(dstPages);
    return {
      tfm,
      src: [{ addr: src, length: data.length }],
      dst: [{ addr: dst, length: dstPages * 4096 }],
      slen: data.length,
      dlen: dstBytes,
      flags: 0,
      complete: null,
      data: null,
      ctx: null,
      ptr: 0xffff_8882_0000_0000 + src,
    };
  }

  /** crypto_alloc_acomp(name): the tfm, or -errno. */
  allocTfm(name = "deflate-iaa"): AcompTfm | number {
    return this.api.allocAcomp(name);
  }

  /** Output bytes of a finished request. */
  output(req: AcompReq): Uint8Array {
    return this.mem.view(req.dst[0]!.addr, req.dlen).slice();
  }
}

function takeFault(dev: FakeDevice, op: "compress" | "decompress"): Fault | undefined {
  const i = dev.faults.findIndex((f) => f.kind !== "status" || f.ops === undefined || f.ops === "all" || f.ops === op);
  if (i < 0) return undefined;
  const f = dev.faults[i]!;
  if (f.count !== undefined && --f.count <= 0) dev.faults.splice(i, 1);
  return f;
}
