/**
 * The sysfs directory of an IAA/DSA PCI function (drivers/pci/pci-sysfs.c
 * names and formats): vendor, device, subsystem_vendor, subsystem_device,
 * class, revision, config (binary, 4096 bytes), resource, irq, numa_node,
 * local_cpulist, modalias, enable, and the iommu_group link; plus the
 * machine's /lib/modules/<release>/modules.alias lines for idxd.
 *
 *   addPciFunctionSysfs(dir, caps, { bar0, bar2, numaNode: 0, localCpus: [0, 1], state: () => st });
 */
import type { IdxdHwCaps } from "../hw/caps.js";
import { idxdConfigSpace, idxdResourceText, type PciFunctionState } from "../hw/pci_config.js";
import type { KnDir } from "../kernfs/node.js";
import { formatCpuList } from "../lib/topology.js";

export interface PciFunctionSysfsInput {
  bar0: number;
  bar2: number;
  numaNode: number;
  localCpus: readonly number[];
  /** The function's state when a file is read. */
  state: () => PciFunctionState;
}

const hex = (n: number, w: number): string => `0x${n.toString(16).padStart(w, "0")}\n`;
const HEX8 = (n: number): string => n.toString(16).toUpperCase().padStart(8, "0");
const HEX2 = (n: number): string => n.toString(16).toUpperCase().padStart(2, "0");

/** The `modalias` line of a function (pci-sysfs.c modalias_show). */
export function pciModalias(vendor: number, device: number, subVendor: number, subDevice: number, cls: number): string {
  return `pci:v${HEX8(vendor)}d${HEX8(device)}sv${HEX8(subVendor)}sd${HEX8(subDevice)}bc${HEX2(cls >> 16)}sc${HEX2((cls >> 8) & 0xff)}i${HEX2(cls & 0xff)}`;
}

export function addPciFunctionSysfs(dir: KnDir, caps: IdxdHwCaps, inp: PciFunctionSysfsInput): void {
  const subVendor = 0x8086;
  const subDevice = 0x0000;
  dir.attr("vendor", 0o444, () => hex(caps.pciVendor, 4));
  dir.attr("device", 0o444, () => hex(caps.pciDevice, 4));
  dir.attr("subsystem_vendor", 0o444, () => hex(subVendor, 4));
  dir.attr("subsystem_device", 0o444, () => hex(subDevice, 4));
  dir.attr("class", 0o444, () => hex(caps.pciClass, 6));
  dir.attr("revision", 0o444, () => "0x00\n");
  dir.attr("config", 0o644, () => idxdConfigSpace(caps, { bar0: inp.bar0, bar2: inp.bar2, state: inp.state() }));
  dir.attr("resource", 0o444, () => idxdResourceText(caps, inp.bar0, inp.bar2));
  // no INTx pin: pdev->irq stays 0 (MSI-X vectors are not shown here)
  dir.attr("irq", 0o444, () => "0\n");
  dir.attr("numa_node", 0o444, () => `${inp.numaNode}\n`);
  dir.attr("local_cpulist", 0o444, () => `${formatCpuList(inp.localCpus)}\n`);
  dir.attr("modalias", 0o444, () => pciModalias(caps.pciVendor, caps.pciDevice, subVendor, subDevice, caps.pciClass) + "\n");
  dir.attr("enable", 0o644, () => (inp.state().bound ? "1\n" : "0\n"));
}

/** PCI IDs in the idxd module's device table (Linux 6.12 drivers/dma/idxd/init.c): DSA SPR/GNR-D/DMR, IAA SPR/DMR. */
export const IDXD_PCI_IDS: readonly number[] = [0x0b25, 0x11fb, 0x1212, 0x0cfe, 0x1216];

/** modules.alias lines of the idxd module (depmod's format for PCI_DEVICE_DATA entries). */
export function idxdModuleAliases(): string {
  return IDXD_PCI_IDS.map((d) => `alias pci:v00008086d${HEX8(d)}sv*sd*bc*sc*i* idxd\n`).join("");
}
