/**
 * Boot-time registration of the software compressors, as the built-in
 * crypto/deflate.c, lzo.c, lzo-rle.c, lz4.c and zstd.c module_init()s do
 * (v6.12): each registers its legacy `<name>-generic` algorithm, then its
 * `<name>-scomp` backend, so /proc/crypto lists the scomp entry first.
 */
import type { AcompAlg } from "./acomp.js";
import type { CryptoApi } from "./api.js";
import type { CompAlg } from "./comp.js";
import { scompAlg } from "./scomp.js";
import { softwareCompressors } from "./software.js";

/** The algorithms registered for one software compressor. */
export interface RegisteredSoftware {
  name: string;
  legacy: CompAlg;
  scomp: AcompAlg;
}

/**
 * Registers deflate, lzo, lzo-rle, lz4 and zstd with `api`. Returns what was
 * registered (for unregistering in tests). Throws if a name is taken: that is
 * a wiring bug at boot.
 *
 * @example
 * const api = new CryptoApi({ mem, ctx });
 * registerSoftwareCompressors(api);
 * api.hasAcomp("lzo-rle"); // true
 */
export function registerSoftwareCompressors(api: CryptoApi): RegisteredSoftware[] {
  const out: RegisteredSoftware[] = [];
  for (const { legacy, scomp } of softwareCompressors()) {
    const acomp = scompAlg(scomp, { mem: api.mem });
    for (const ret of [api.registerComp(legacy), api.registerAcomp(acomp)]) {
      if (ret !== 0) throw new Error(`Cannot register ${scomp.cra_name}: error ${ret}`);
    }
    out.push({ name: scomp.cra_name, legacy, scomp: acomp });
  }
  return out;
}
