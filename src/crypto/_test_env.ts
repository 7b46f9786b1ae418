/**
 * A small machine for the crypto tests: virtual clock, printk, physical
 * memory and a CryptoApi with the software compressors registered.
 */
import { VirtualClock } from "../lib/clock.js";
import type { KernelContext } from "../lib/context.js";
import { DynamicDebug } from "../lib/dyndbg.js";
import { Printk } from "../lib/printk.js";
import { makeTopology } from "../lib/topology.js";
import { PhysMem } from "../mm/phys_mem.js";
import type { AcompReq } from "./acomp.js";
import { CryptoApi } from "./api.js";
import { registerSoftwareCompressors } from "./register_software.js";

export interface TestEnv {
  ctx: KernelContext;
  mem: PhysMem;
  api: CryptoApi;
}

/** A fresh machine; `software` registers the software compressors (default true). */
export function makeTestEnv(software = true): TestEnv {
  const clock = new VirtualClock();
  const ctx: KernelContext = { clock, log: new Printk(clock), dyndbg: new DynamicDebug(), topo: makeTopology(1, 2, 1, 1 << 30), cpu: 0 };
  const mem = new PhysMem(1 << 30);
  const api = new CryptoApi({ mem, ctx });
  if (software) registerSoftwareCompressors(api);
  return { ctx, mem, api };
}

/** Copies bytes into freshly allocated pages; returns the physical address. */
export function putBytes(mem: PhysMem, data: Uint8Array, pages = Math.max(1, Math.ceil(data.length / 4096))): number {
  const pa = mem.allocPages(pages);
  mem.view(pa, data.length).set(data);
  return pa;
}

/** Runs compress or decompress on one request and waits for it. */
export function run(api: CryptoApi, req: AcompReq, dir: "compress" | "decompress"): number {
  return api.waitReq(dir === "compress" ? api.compress(req) : api.decompress(req), req);
}
