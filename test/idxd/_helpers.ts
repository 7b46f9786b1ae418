/**
 * Shared helpers for the idxd tests: a stand-in "crypto" WQ driver (the
 * checks iaa_crypto_probe makes) and sysfs read/write shorthands.
 */
import { SysError } from "../../src/lib/errno.js";
import { Errno } from "../../src/lib/errno.js";
import type { Idxd, IdxdSubDriver } from "../../src/driver/idxd/init.js";
import { IDXD_SCMD_WQ_NO_DRV_NAME, type IdxdWq } from "../../src/driver/idxd/idxd.js";
import type { Machine } from "../../src/system/machine.js";

/** A "crypto" WQ driver with iaa_crypto_probe()'s checks and nothing else. */
export function standInCrypto(idxd: Idxd, log: string[] = []): IdxdSubDriver & { completed: unknown[] } {
  const completed: unknown[] = [];
  return {
    name: "crypto",
    completed,
    probe(wq: IdxdWq): number {
      if (wq.idxd.state !== "enabled") return -Errno.ENXIO;
      if (!wq.idxd.isIax) return -Errno.ENODEV;
      if (wq.priv !== null) return -Errno.EBUSY;
      if (!wq.driverName.startsWith("crypto")) {
        wq.idxd.cmdStatus = IDXD_SCMD_WQ_NO_DRV_NAME;
        return -Errno.ENODEV;
      }
      wq.type = "kernel";
      const rc = idxd.drvEnableWq(wq);
      if (rc < 0) {
        wq.type = "none";
        return -Errno.ENXIO;
      }
      wq.priv = { wq };
      log.push(`probe ${wq.devName}`);
      return 0;
    },
    remove(wq: IdxdWq): void {
      idxd.wqQuiesce(wq);
      idxd.drvDisableWq(wq);
      wq.priv = null;
      log.push(`remove ${wq.devName}`);
    },
    descComplete(desc, type, freeDesc) {
      completed.push({ desc, type });
      if (freeDesc) idxd.freeDesc(desc.wq, desc);
    },
  };
}

/** Reads a sysfs file, or returns the errno name it fails with. */
export function rd(m: Machine, path: string): string {
  try {
    return m.vfs.readText(path);
  } catch (e) {
    if (e instanceof SysError) return Errno[e.errno]!;
    throw e;
  }
}

/** Writes a sysfs file like `echo`: "ok" or the errno name. */
export function wr(m: Machine, path: string, text: string): string {
  try {
    m.vfs.writeFile(path, text);
    return "ok";
  } catch (e) {
    if (e instanceof SysError) return Errno[e.errno]!;
    throw e;
  }
}
