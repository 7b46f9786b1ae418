/**
 * /proc/cpuinfo of the emulated Xeon Platinum 8460Y+ (Sapphire Rapids), in
 * the fields and order of arch/x86/kernel/cpu/proc.c (6.12): one block per
 * online CPU, tab-aligned keys, a blank line after each.
 *
 * The values are a real 8460Y+'s: family 6 model 143 stepping 8, 2.0 GHz base
 * (cpu MHz and bogomips without cpufreq), 105 MiB of L3 ("cache size" is the
 * LLC), 46-bit physical and 57-bit virtual addresses (LA57), and the feature,
 * VMX and bug flags 6.12 prints for it. ENQCMD is listed only when the
 * firmware enables it and the IOMMU is in scalable mode, as the kernel clears
 * the flag otherwise.
 */
import { cpuTopology, type CpuLayout } from "../lib/topology.js";

/** What cpuinfo needs of the machine. */
export interface CpuinfoMachine {
  layout: CpuLayout;
  nrCpus: number;
  /** X86_FEATURE_ENQCMD survives (firmware enables it, scalable-mode IOMMU). */
  enqcmd: boolean;
}

const FLAGS_BEFORE_ENQCMD =
  "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx fxsr sse sse2 ss ht tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc art arch_perfmon pebs bts rep_good nopl xtopology nonstop_tsc cpuid aperfmperf tsc_known_freq pni pclmulqdq dtes64 monitor ds_cpl vmx smx est tm2 ssse3 sdbg fma cx16 xtpr pdcm pcid dca sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand lahf_lm abm 3dnowprefetch cpuid_fault epb cat_l3 cat_l2 cdp_l3 intel_ppin cdp_l2 ssbd mba ibrs ibpb stibp ibrs_enhanced tpr_shadow flexpriority ept vpid ept_ad fsgsbase tsc_adjust bmi1 avx2 smep bmi2 erms invpcid cqm rdt_a avx512f avx512dq rdseed adx smap avx512ifma clflushopt clwb intel_pt avx512cd sha_ni avx512bw avx512vl xsaveopt xsavec xgetbv1 xsaves cqm_llc cqm_occup_llc cqm_mbm_total cqm_mbm_local split_lock_detect user_shstk avx_vnni avx512_bf16 wbnoinvd dtherm ida arat pln pts hfi vnmi avx512vbmi umip pku ospke waitpkg avx512_vbmi2 gfni vaes vpclmulqdq avx512_vnni avx512_bitalg tme avx512_vpopcntdq la57 rdpid bus_lock_detect cldemote movdiri movdir64b";
const FLAGS_AFTER_ENQCMD = "fsrm md_clear serialize tsxldtrk pconfig arch_lbr ibt amx_bf16 avx512_fp16 amx_tile amx_int8 flush_l1d arch_capabilities";
const VMX_FLAGS =
  "vnmi preemption_timer posted_intr invvpid ept_x_only ept_ad ept_1gb flexpriority apicv tsc_offset vtpr mtf vapic ept vpid unrestricted_guest vapic_reg vid ple shadow_vmcs pml ept_mode_based_exec tsc_scaling usr_wait_pause notify_vm_exiting ipi_virt";
const BUGS = "spectre_v1 spectre_v2 spec_store_bypass swapgs eibrs_pbrsb bhi";

/** The CPU flags line's value (without "flags\t\t: "). */
export function cpuFlags(enqcmd: boolean): string {
  return `${FLAGS_BEFORE_ENQCMD}${enqcmd ? " enqcmd" : ""} ${FLAGS_AFTER_ENQCMD}`;
}

/** The whole file. */
export function cpuinfo(m: CpuinfoMachine): string {
  const flags = cpuFlags(m.enqcmd);
  const out: string[] = [];
  for (let cpu = 0; cpu < m.nrCpus; cpu++) {
    // the same ids as the topology directories (apicid: thread, core, package fields)
    const t = cpuTopology(m.layout, cpu);
    const socket = t.packageId;
    const coreId = t.coreId;
    const apicid = t.apicId;
    out.push(
      `processor\t: ${cpu}\n` +
        "vendor_id\t: GenuineIntel\n" +
        "cpu family\t: 6\n" +
        "model\t\t: 143\n" +
        "model name\t: Intel(R) Xeon(R) Platinum 8460Y+\n" +
        "stepping\t: 8\n" +
        "microcode\t: 0x2b000461\n" +
        "cpu MHz\t\t: 2000.000\n" +
        "cache size\t: 107520 KB\n" +
        `physical id\t: ${socket}\n` +
        `siblings\t: ${t.packageCpus.length}\n` +
        `core id\t\t: ${coreId}\n` +
        `cpu cores\t: ${m.layout.coresPerSocket}\n` +
        `apicid\t\t: ${apicid}\n` +
        `initial apicid\t: ${apicid}\n` +
        "fpu\t\t: yes\n" +
        "fpu_exception\t: yes\n" +
        "cpuid level\t: 32\n" +
        "wp\t\t: yes\n" +
        `flags\t\t: ${flags}\n` +
        `vmx flags\t: ${VMX_FLAGS}\n` +
        `bugs\t\t: ${BUGS}\n` +
        "bogomips\t: 4000.00\n" +
        "clflush size\t: 64\n" +
        "cache_alignment\t: 64\n" +
        "address sizes\t: 46 bits physical, 57 bits virtual\n" +
        "power management:\n\n",
    );
  }
  return out.join("");
}
