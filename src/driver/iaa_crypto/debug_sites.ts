/**
 * iaa_crypto's dynamic-debug call sites, as `cat
 * /sys/kernel/debug/dynamic_debug/control` lists them once the module is
 * loaded. `echo -n 'module iaa_crypto +p' > …/control` turns them all on.
 *
 * linux: drivers/crypto/intel/iaa/iaa_crypto_main.c (pr_debug/dev_dbg sites).
 * Line numbers are those of the documented driver version's sites, in source
 * order; formats are the texts this emulation prints.
 */
import type { DebugSite } from "../../lib/dyndbg.js";

const FILE = "drivers/crypto/intel/iaa/iaa_crypto_main.c";

function site(func: string, line: number, format: string): Omit<DebugSite, "module" | "flags"> {
  return { func, file: FILE, line, format };
}

/** The call sites registered at module load. */
export const DEBUG_SITES: readonly Omit<DebugSite, "module" | "flags">[] = [
  site("add_iaa_compression_mode", 302, "IAA compression mode %s added at idx %d\\n"),
  site("init_device_compression_mode", 374, "IAA %s compression mode initialization failed for iaa device %d\\n"),
  site("add_iaa_wq", 473, "added wq %p to iaa %p, n_wq %d\\n"),
  site("del_iaa_wq", 495, "removed wq %p from iaa_device %p, n_wq %d, nr_iaa %d\\n"),
  site("save_iaa_wq", 628, "same wq probed multiple times for iaa_device %p\\n"),
  site("request_iaa_wq", 712, "getting wq from iaa_device %p (%d)\\n"),
  site("request_iaa_wq", 733, "returning unused wq %p (%d) from iaa device %p (%d)\\n"),
  site("rebalance_wq_table", 770, "nr_nodes=%d, nr_cpus %d, nr_iaa %d, cpus_per_iaa %d\\n"),
  site("rebalance_wq_table", 788, "iaa=%d\\n"),
  site("rebalance_wq_table", 797, "assigned wq for cpu=%d, node=%d = wq %p\\n"),
  site("check_completion", 830, "%s timed out, size=0x%x\\n"),
  site("check_completion", 839, "compressed > uncompressed size, not compressing, size=0x%x\\n"),
  site("check_completion", 852, "iaa %s status=0x%x, error=0x%x, size=0x%x\\n"),
  site("iaa_desc_complete", 920, "%s: compression mode %s, ctx->src_addr %llx, ctx->dst_addr %llx\\n"),
  site("iaa_desc_complete", 926, "%s: check_completion failed ret=%d\\n"),
  site("iaa_compress", 1034, "%s use_async_irq: compression mode %s, src_addr %llx, dst_addr %llx\\n"),
  site("iaa_compress", 1043, "%s: desc->src1_addr %llx, desc->src1_size %d, desc->dst_addr %llx, desc->max_dst_size %d, desc->src2_addr %llx, desc->src2_size %d\\n"),
  site("iaa_compress", 1051, "submit_desc failed ret=%d\\n"),
  site("iaa_compress", 1061, "%s: returning -EINPROGRESS\\n"),
  site("iaa_compress", 1068, "check_completion failed ret=%d\\n"),
  site("iaa_compress_verify", 1183, "%s: (verify) desc->src1_addr %llx, desc->src1_size %d, desc->dst_addr %llx, desc->max_dst_size %d, desc->src2_addr %llx, desc->src2_size %d\\n"),
  site("iaa_compress_verify", 1203, "(verify) iaa comp/decomp crc mismatch: comp=0x%x, decomp=0x%x\\n"),
  site("iaa_decompress", 1271, "%s: desc->src1_addr %llx, desc->src1_size %d, desc->dst_addr %llx, desc->max_dst_size %d, desc->src2_addr %llx, desc->src2_size %d\\n"),
  site("iaa_decompress", 1291, "%s: check_completion failed ret=%d\\n"),
  site("iaa_comp_acompress", 1339, "iaa_crypto disabled, not compressing\\n"),
  site("iaa_comp_acompress", 1351, "no wq configured for cpu=%d\\n"),
  site("iaa_comp_acompress", 1385, "%s: dma_map_sg, src_addr %llx, nr_sgs %d, req->src %p, req->slen %d, sg_dma_len(sg) %d\\n"),
  site("iaa_comp_acompress", 1398, "%s: dma_map_sg, dst_addr %llx, nr_sgs %d, req->dst %p, req->dlen %d, sg_dma_len(sg) %d\\n"),
  site("iaa_comp_adecompress", 1536, "iaa_crypto disabled, not decompressing\\n"),
  site("iaa_comp_adecompress", 1575, "%s: dma_map_sg, src_addr %llx, nr_sgs %d, req->src %p, req->slen %d, sg_dma_len(sg) %d\\n"),
  site("iaa_comp_adecompress", 1588, "%s: dma_map_sg, dst_addr %llx, nr_sgs %d, req->dst %p, req->dlen %d, sg_dma_len(sg) %d\\n"),
  site("iaa_crypto_probe", 1683, "wq %d.%d driver_name match failed: wq driver_name %s, dev driver name %s\\n"),
  site("iaa_crypto_probe", 1694, "enable wq %d.%d failed: %d\\n"),
  site("iaa_crypto_init_module", 1862, "initialized\\n"),
  site("iaa_crypto_cleanup_module", 1889, "cleaned up\\n"),
];
