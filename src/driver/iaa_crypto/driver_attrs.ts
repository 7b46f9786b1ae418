/**
 * The crypto driver's attributes `verify_compress` and `sync_mode`
 * (/sys/bus/dsa/drivers/crypto/), and the settings a transform captures.
 *
 * linux: drivers/crypto/intel/iaa/iaa_crypto_main.c verify_compress_store(),
 * set_iaa_sync_mode(), sync_mode_show(), compression_ctx_init(). Both stores
 * are refused with -EBUSY while iaa_crypto is enabled (a WQ is bound); the
 * values are copied into each transform when it is created.
 *
 * `async` keeps the documented meaning (submit, return -EINPROGRESS, the
 * caller polls); Linux 6.14 (commit 4ebd9a5ca478) made it select `sync`.
 */
import { Errno } from "../../lib/errno.js";
import { kstrtobool, sysfsStreq } from "../../lib/kstrto.js";

export { kstrtobool, sysfsStreq };

/** The driver-wide settings (iaa_verify_compress, async_mode, use_irq). */
export interface IaaSettings {
  verifyCompress: boolean;
  asyncMode: boolean;
  useIrq: boolean;
}

/** The settings a transform holds (struct iaa_compression_ctx). */
export interface IaaCompressionCtx {
  verifyCompress: boolean;
  asyncMode: boolean;
  useIrq: boolean;
  /** IAA_MODE_FIXED: index of the compression mode. */
  mode: number;
}

/** The defaults at module load: verify on, sync. */
export function defaultSettings(): IaaSettings {
  return { verifyCompress: true, asyncMode: false, useIrq: false };
}

/** `verify_compress` show: "1\n" or "0\n". */
export function verifyCompressShow(s: IaaSettings): string {
  return `${s.verifyCompress ? 1 : 0}\n`;
}

/** `verify_compress` store: 0, -EBUSY while enabled, or the kstrtobool error. */
// linux: drivers/crypto/intel/iaa/iaa_crypto_main.c verify_compress_store()
export function verifyCompressStore(s: IaaSettings, enabled: boolean, buf: string): number {
  if (enabled) return -Errno.EBUSY;
  const v = kstrtobool(buf);
  if (typeof v === "number") return v;
  s.verifyCompress = v;
  return 0;
}

/** set_iaa_sync_mode(): 0 or -EINVAL; `s` is unchanged on error. */
// linux: drivers/crypto/intel/iaa/iaa_crypto_main.c set_iaa_sync_mode()
export function setIaaSyncMode(s: IaaSettings, name: string): number {
  if (sysfsStreq(name, "sync")) {
    s.asyncMode = false;
    s.useIrq = false;
  } else if (sysfsStreq(name, "async")) {
    s.asyncMode = true;
    s.useIrq = false;
  } else if (sysfsStreq(name, "async_irq")) {
    s.asyncMode = true;
    s.useIrq = true;
  } else {
    return -Errno.EINVAL;
  }
  return 0;
}

/** `sync_mode` show: "sync\n", "async\n" or "async_irq\n". */
export function syncModeShow(s: IaaSettings): string {
  if (!s.asyncMode && !s.useIrq) return "sync\n";
  if (s.asyncMode && !s.useIrq) return "async\n";
  if (s.asyncMode && s.useIrq) return "async_irq\n";
  return "";
}

/** `sync_mode` store: 0, -EBUSY while enabled, or -EINVAL. */
export function syncModeStore(s: IaaSettings, enabled: boolean, buf: string): number {
  if (enabled) return -Errno.EBUSY;
  return setIaaSyncMode(s, buf);
}

/** compression_ctx_init() + iaa_comp_init_fixed(): the snapshot taken at tfm init. */
export function compressionCtxInit(s: IaaSettings): IaaCompressionCtx {
  return { verifyCompress: s.verifyCompress, asyncMode: s.asyncMode, useIrq: s.useIrq, mode: 0 };
}
