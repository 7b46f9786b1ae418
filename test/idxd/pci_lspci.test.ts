/**
 * The IAA function's PCI view: the sysfs files pciutils reads (config,
 * resource, irq, modalias, local_cpulist, iommu_group) agree with each other
 * and with the function's state, and the machine's lspci -v/-vv/-x/-k decodes
 * them (the byte-for-byte comparison with real lspci is
 * test/host/fuse/real_lspci.test.ts).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { bootWorld } from "../../src/host/world.js";
import { machineShell } from "../helpers/machine_shell.js";
import { IDXD_CAP, idxdBar2Size } from "../../src/hw/pci_config.js";
import { SPR_IAA_CAPS } from "../../src/hw/caps.js";

const IAA = "/sys/bus/pci/devices/0000:6a:02.0";

function boot(cmdline?: string) {
  const w = bootWorld(cmdline === undefined ? "tiny" : { preset: "tiny", cmdline });
  const m = w.stack.machine;
  const sh = (s: string) => machineShell(w, s);
  return { w, m, sh };
}

const u16 = (b: Uint8Array, o: number): number => b[o]! | (b[o + 1]! << 8);
const u32 = (b: Uint8Array, o: number): number => (u16(b, o) | (u16(b, o + 2) << 16)) >>> 0;

test("config: 4096 bytes whose header matches vendor/device/class/revision/subsystem and whose BARs match resource", () => {
  const { m } = boot();
  const cfg = m.vfs.readFile(`${IAA}/config`);
  assert.equal(cfg.length, 4096);
  const hex = (f: string): number => parseInt(m.vfs.readText(`${IAA}/${f}`), 16);
  assert.equal(u16(cfg, 0), hex("vendor"));
  assert.equal(u16(cfg, 2), hex("device"));
  assert.equal(cfg[8], hex("revision"));
  assert.equal(cfg[9]! | (cfg[10]! << 8) | (cfg[11]! << 16), hex("class"));
  assert.equal(u16(cfg, 0x2c), hex("subsystem_vendor"));
  assert.equal(u16(cfg, 0x2e), hex("subsystem_device"));
  assert.equal(cfg[0x3c], Number(m.vfs.readText(`${IAA}/irq`)));
  assert.equal(cfg[0x3d], 0, "no INTx pin");
  const res = m.vfs.readText(`${IAA}/resource`).trimEnd().split("\n");
  assert.equal(res.length, 13);
  const bar = (i: number) => res[i]!.split(" ").map((x) => Number(BigInt(x)));
  for (const [i, size] of [[0, 0x10000], [2, idxdBar2Size(SPR_IAA_CAPS)]] as const) {
    const [start, end, flags] = bar(i);
    assert.equal(end! - start! + 1, size);
    assert.equal(u32(cfg, 0x10 + 4 * i), (start! % 2 ** 32) + (flags! & 0xf));
    assert.equal(u32(cfg, 0x14 + 4 * i), Math.floor(start! / 2 ** 32));
    assert.equal(start! % size, 0, "naturally aligned");
  }
  assert.deepEqual(bar(1), [0, 0, 0]);
  // capability chain: 0x34 → Express → MSI-X → PM; extended: AER → LTR → TPH → VC → DVSEC → ATS → PASID → PRI
  const ids: number[] = [];
  for (let p = cfg[0x34]!; p !== 0; p = cfg[p + 1]!) ids.push(cfg[p]!);
  assert.deepEqual(ids, [0x10, 0x11, 0x01]);
  const ext: number[] = [];
  for (let p = 0x100; p !== 0; p = u32(cfg, p) >>> 20) ext.push(u32(cfg, p) & 0xffff);
  assert.deepEqual(ext, [0x0001, 0x0018, 0x0017, 0x0002, 0x0023, 0x000f, 0x001b, 0x0013]);
  // MSI-X table size: one vector per WQ and one for misc events
  assert.equal((u16(cfg, IDXD_CAP.msix + 2) & 0x7ff) + 1, SPR_IAA_CAPS.maxWqs + 1);
});

test("modalias, local_cpulist, numa_node and modules.alias: lspci -k finds idxd", () => {
  const { m, sh } = boot();
  assert.equal(m.vfs.readText(`${IAA}/modalias`), "pci:v00008086d00000CFEsv00008086sd00000000bc08sc80i00\n");
  const node = Number(m.vfs.readText(`${IAA}/numa_node`));
  assert.equal(m.vfs.readText(`${IAA}/local_cpulist`), m.vfs.readText(`/sys/devices/system/node/node${node}/cpulist`));
  const r = sh("lspci -k -d :0cfe -s 6a:");
  assert.deepEqual([r.stdout, r.stderr], ["6a:02.0 System peripheral: Intel Corporation Device 0cfe\n\tSubsystem: Intel Corporation Device 0000\n\tKernel driver in use: idxd\n\tKernel modules: idxd\n", ""]);
});

test("lspci -v shows the Flags line, both BARs and the capability names", () => {
  const { m, sh } = boot();
  const r = sh("lspci -v -s 6a:02.0");
  assert.equal(r.stderr, "");
  const group = m.vfs.readlink(`${IAA}/iommu_group`).split("/").pop();
  const lines = r.stdout.split("\n");
  assert.equal(lines[2], `\tFlags: bus master, fast devsel, latency 0, NUMA node 0, IOMMU group ${group}`);
  assert.match(lines[3]!, /^\tMemory at [0-9a-f]+ \(64-bit, prefetchable\) \[size=64K\]$/);
  assert.match(lines[4]!, /^\tMemory at [0-9a-f]+ \(64-bit, prefetchable\) \[size=128K\]$/);
  assert.deepEqual(
    lines.filter((l) => l.startsWith("\tCapabilities:")),
    [
      "\tCapabilities: [40] Express Root Complex Integrated Endpoint, MSI 00",
      "\tCapabilities: [80] MSI-X: Enable+ Count=9 Masked-",
      "\tCapabilities: [90] Power Management version 3",
      "\tCapabilities: [100] Advanced Error Reporting",
      "\tCapabilities: [150] Latency Tolerance Reporting",
      "\tCapabilities: [160] Transaction Processing Hints",
      "\tCapabilities: [170] Virtual Channel",
      "\tCapabilities: [200] Designated Vendor-Specific: Vendor=8086 ID=0005 Rev=0 Len=24 <?>",
      "\tCapabilities: [220] Address Translation Service (ATS)",
      "\tCapabilities: [230] Process Address Space ID (PASID)",
      "\tCapabilities: [240] Page Request Interface (PRI)",
    ],
  );
  assert.deepEqual(lines.slice(-4), ["\tKernel driver in use: idxd", "\tKernel modules: idxd", "", ""]);
});

test("-vv follows the function's state: rmmod idxd turns bus mastering, MSI-X and PRI off; memory decoding was never on without idxd", () => {
  const { sh } = boot();
  const before = sh("lspci -vv -s 6a:02.0").stdout;
  assert.match(before, /Control: I\/O- Mem\+ BusMaster\+ SpecCycle- MemWINV- VGASnoop- ParErr\+ Stepping- SERR\+ FastB2B- DisINTx-\n/);
  assert.match(before, /PRICtl: Enable\+/);
  sh("rmmod iaa_crypto; rmmod idxd");
  const after = sh("lspci -vv -s 6a:02.0").stdout;
  assert.match(after, /Control: I\/O- Mem\+ BusMaster- /);
  assert.match(after, /MSI-X: Enable- Count=9/);
  assert.match(after, /PRICtl: Enable- Reset-\n\t\tPRISta: RF- UPRGI- Stopped\+\n\t\tPage Request Capacity: 00000200, Page Request Allocation: 00000200\n/);
  assert.ok(!after.includes("Kernel driver in use"));
  assert.match(after, /\tKernel modules: idxd\n/);
  // a machine that never loaded idxd: firmware's command register (IAA 0140: no memory decoding)
  const w = bootWorld({ preset: "tiny", autoload: [] });
  const never = machineShell(w, "lspci -vv -s 6a:02.0").stdout;
  assert.match(never, /Control: I\/O- Mem- BusMaster- /);
  assert.match(never, /\tRegion 0: Memory at [0-9a-f]+ \(64-bit, prefetchable\) \[disabled\] \[size=64K\]\n/);
  assert.match(machineShell(w, "lspci -vv -s 6a:01.0").stdout, /Control: I\/O- Mem- BusMaster\+ /);
});

/**
 * A public `lspci -vvv` of an SPR DSA (6a:01.0, idxd bound, scalable-mode
 * IOMMU; an older pciutils, copied with its tabs turned into spaces), which
 * the config model follows, whitespace-normalized. It differs from ours in the
 * IOMMU group number (that system's enumeration) and in DevCtl2, where
 * pciutils 3.9 also prints 10BitTagReq.
 */
const PUBLIC_SPR_DSA = `6a:01.0 System peripheral: Intel Corporation Device 0b25
Subsystem: Intel Corporation Device 0000
Control: I/O- Mem+ BusMaster+ SpecCycle- MemWINV- VGASnoop- ParErr+ Stepping- SERR+ FastB2B- DisINTx-
Status: Cap+ 66MHz- UDF- FastB2B- ParErr- DEVSEL=fast >TAbort- <TAbort- <MAbort- >SERR- <PERR- INTx-
Latency: 0
NUMA node: 0
IOMMU group: 12
Region 0: Memory at 206ffff40000 (64-bit, prefetchable) [size=64K]
Region 2: Memory at 206ffff00000 (64-bit, prefetchable) [size=128K]
Capabilities: [40] Express (v2) Root Complex Integrated Endpoint, MSI 00
DevCap: MaxPayload 128 bytes, PhantFunc 0
ExtTag+ RBE+ FLReset+
DevCtl: CorrErr+ NonFatalErr+ FatalErr+ UnsupReq-
RlxdOrd+ ExtTag+ PhantFunc- AuxPwr- NoSnoop+ FLReset-
MaxPayload 128 bytes, MaxReadReq 4096 bytes
DevSta: CorrErr- NonFatalErr- FatalErr- UnsupReq- AuxPwr- TransPend-
DevCap2: Completion Timeout: Not Supported, TimeoutDis+ NROPrPrP- LTR+
10BitTagComp+ 10BitTagReq+ OBFF Not Supported, ExtFmt+ EETLPPrefix+, MaxEETLPPrefixes 1
EmergencyPowerReduction Not Supported, EmergencyPowerReductionInit-
FRS-
AtomicOpsCap: 32bit- 64bit- 128bitCAS-
DevCtl2: Completion Timeout: 50us to 50ms, TimeoutDis- LTR- OBFF Disabled,
AtomicOpsCtl: ReqEn-
Capabilities: [80] MSI-X: Enable+ Count=9 Masked-
Vector table: BAR=0 offset=00002000
PBA: BAR=0 offset=00003000
Capabilities: [90] Power Management version 3
Flags: PMEClk- DSI- D1- D2- AuxCurrent=0mA PME(D0-,D1-,D2-,D3hot-,D3cold-)
Status: D0 NoSoftRst+ PME-Enable- DSel=0 DScale=0 PME-
Capabilities: [100 v2] Advanced Error Reporting
UESta: DLP- SDES- TLP- FCP- CmpltTO- CmpltAbrt- UnxCmplt- RxOF- MalfTLP- ECRC- UnsupReq- ACSViol-
UEMsk: DLP- SDES- TLP- FCP- CmpltTO- CmpltAbrt- UnxCmplt- RxOF- MalfTLP- ECRC- UnsupReq+ ACSViol-
UESvrt: DLP- SDES- TLP- FCP- CmpltTO- CmpltAbrt- UnxCmplt- RxOF- MalfTLP+ ECRC- UnsupReq- ACSViol-
CESta: RxErr- BadTLP- BadDLLP- Rollover- Timeout- AdvNonFatalErr-
CEMsk: RxErr- BadTLP- BadDLLP- Rollover- Timeout- AdvNonFatalErr-
AERCap: First Error Pointer: 00, ECRCGenCap- ECRCGenEn- ECRCChkCap- ECRCChkEn-
MultHdrRecCap- MultHdrRecEn- TLPPfxPres- HdrLogCap-
HeaderLog: 00000000 00000000 00000000 00000000
Capabilities: [150 v1] Latency Tolerance Reporting
Max snoop latency: 0ns
Max no snoop latency: 0ns
Capabilities: [160 v1] Transaction Processing Hints
Device specific mode supported
Steering table in TPH capability structure
Capabilities: [170 v1] Virtual Channel
Caps: LPEVC=1 RefClk=100ns PATEntryBits=1
Arb: Fixed+ WRR32- WRR64- WRR128-
Ctrl: ArbSelect=Fixed
Status: InProgress-
VC0: Caps: PATOffset=00 MaxTimeSlots=1 RejSnoopTrans-
Arb: Fixed- WRR32- WRR64- WRR128- TWRR128- WRR256-
Ctrl: Enable+ ID=0 ArbSelect=Fixed TC/VC=fd
Status: NegoPending- InProgress-
VC1: Caps: PATOffset=00 MaxTimeSlots=1 RejSnoopTrans-
Arb: Fixed- WRR32- WRR64- WRR128- TWRR128- WRR256-
Ctrl: Enable+ ID=1 ArbSelect=Fixed TC/VC=02
Status: NegoPending- InProgress-
Capabilities: [200 v1] Designated Vendor-Specific: Vendor=8086 ID=0005 Rev=0 Len=24 <?>
Capabilities: [220 v1] Address Translation Service (ATS)
ATSCap: Invalidate Queue Depth: 00
ATSCtl: Enable+, Smallest Translation Unit: 00
Capabilities: [230 v1] Process Address Space ID (PASID)
PASIDCap: Exec- Priv+, Max PASID Width: 14
PASIDCtl: Enable+ Exec- Priv+
Capabilities: [240 v1] Page Request Interface (PRI)
PRICtl: Enable+ Reset-
PRISta: RF- UPRGI- Stopped+
Page Request Capacity: 00000200, Page Request Allocation: 00000200
Kernel driver in use: idxd
Kernel modules: idxd`;

test("the DSA's lspci -vvv is the public SPR listing, up to the IOMMU group number and pciutils 3.9's extra DevCtl2 field", () => {
  const { m, sh } = boot();
  const group = m.vfs.readlink("/sys/bus/pci/devices/0000:6a:01.0/iommu_group").split("/").pop()!;
  const ours = sh("lspci -vvv -s 6a:01.0").stdout.split("\n").map((l) => l.trim().replace(/\s+/g, " ")).filter((l) => l !== "");
  const expected = PUBLIC_SPR_DSA.split("\n").map((l) => l.replace("IOMMU group: 12", `IOMMU group: ${group}`).replace("LTR- OBFF Disabled,", "LTR- 10BitTagReq- OBFF Disabled,"));
  assert.deepEqual(ours, expected);
});

test("without a scalable-mode IOMMU: no IOMMU group, ATS and PASID disabled", () => {
  const { m, sh } = boot("iommu=off");
  assert.equal(m.iommu, "off");
  const r = sh("lspci -vv -s 6a:02.0").stdout;
  assert.ok(!r.includes("IOMMU group"));
  assert.match(r, /ATSCtl:\tEnable-/);
  assert.match(r, /PASIDCtl: Enable- /);
});

test("-x, -xxx and -xxxx dump 64, 256 and 4096 bytes of config", () => {
  const { m, sh } = boot();
  const cfg = m.vfs.readFile(`${IAA}/config`);
  for (const [x, n] of [["-x", 64], ["-xxx", 256], ["-xxxx", 4096]] as const) {
    const out = sh(`lspci ${x} -s 6a:02.0`).stdout.split("\n");
    const rows = out.slice(1, -2);
    assert.equal(rows.length, n / 16);
    const bytes = rows.flatMap((l) => l.slice(l.indexOf(":") + 2).split(" ").map((h) => parseInt(h, 16)));
    assert.deepEqual(bytes, [...cfg.subarray(0, n)]);
  }
});
