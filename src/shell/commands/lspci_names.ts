/**
 * The names lspci prints for vendor, device and class IDs: the entries of
 * pci.ids (Debian bookworm's /usr/share/misc/pci.ids, which real lspci reads)
 * for the IDs this machine has and a few common others. pci.ids has no name
 * for 8086:0cfe (IAA) or 8086:0b25 (DSA), so lspci prints "Device 0cfe".
 */
export const VENDORS: Record<number, string> = { 0x8086: "Intel Corporation", 0x1af4: "Red Hat, Inc.", 0x1b36: "Red Hat, Inc.", 0x10de: "NVIDIA Corporation", 0x1022: "Advanced Micro Devices, Inc. [AMD]", 0x15b3: "Mellanox Technologies", 0x144d: "Samsung Electronics Co Ltd", 0x14e4: "Broadcom Inc. and subsidiaries", 0x102b: "Matrox Electronics Systems Ltd." };
export const SUBCLASSES: Record<number, string> = {
  0x0100: "SCSI storage controller", 0x0101: "IDE interface", 0x0104: "RAID bus controller", 0x0106: "SATA controller", 0x0107: "Serial Attached SCSI controller", 0x0108: "Non-Volatile memory controller", 0x0180: "Mass storage controller",
  0x0200: "Ethernet controller", 0x0207: "Infiniband controller", 0x0280: "Network controller", 0x0300: "VGA compatible controller", 0x0302: "3D controller", 0x0380: "Display controller",
  0x0403: "Audio device", 0x0500: "RAM memory", 0x0580: "Memory controller", 0x0600: "Host bridge", 0x0601: "ISA bridge", 0x0604: "PCI bridge", 0x0680: "Bridge",
  0x0700: "Serial controller", 0x0780: "Communication controller", 0x0800: "PIC", 0x0801: "DMA controller", 0x0802: "Timer", 0x0805: "SD Host controller", 0x0806: "IOMMU", 0x0880: "System peripheral",
  0x0b40: "Co-processor", 0x0c03: "USB controller", 0x0c05: "SMBus", 0x0c80: "Serial bus controller", 0x1101: "Performance counters", 0x1180: "Signal processing controller", 0x1200: "Processing accelerators", 0x1300: "Non-Essential Instrumentation",
};
export const CLASSES: Record<number, string> = { 0x01: "Mass storage controller", 0x02: "Network controller", 0x03: "Display controller", 0x04: "Multimedia controller", 0x05: "Memory controller", 0x06: "Bridge", 0x07: "Communication controller", 0x08: "Generic system peripheral", 0x0b: "Processor", 0x0c: "Serial bus controller", 0x11: "Signal processing controller", 0x12: "Processing accelerators" };

/** Device names of pci.ids, keyed vendor << 16 | device (0cfe and 0b25 have none there). */
export const DEVICES: Record<number, string> = { [0x8086_09a2]: "Ice Lake Memory Map/VT-d" };

const h4 = (n: number): string => n.toString(16).padStart(4, "0");

/** The class part of a line: "System peripheral", "System peripheral [0880]" (-nn), "Class 0880" when unknown. */
export function className(cls16: number, numeric: number): string {
  const name = SUBCLASSES[cls16] ?? CLASSES[cls16 >> 8] ?? null;
  if (name === null) return numeric >= 2 ? `Class [${h4(cls16)}]` : `Class ${h4(cls16)}`;
  return numeric >= 2 ? `${name} [${h4(cls16)}]` : name;
}

/** Vendor and device: "Intel Corporation Device 0cfe", "... Device [8086:0cfe]" (-nn), "8086:0cfe" (-n). */
export function deviceName(vendor: number, device: number, numeric: number): string {
  if (numeric === 1) return `${h4(vendor)}:${h4(device)}`;
  const v = VENDORS[vendor] ?? null;
  const d = DEVICES[vendor * 0x10000 + device];
  if (v !== null && d !== undefined) return numeric >= 2 ? `${v} ${d} [${h4(vendor)}:${h4(device)}]` : `${v} ${d}`;
  if (v === null) return numeric >= 2 ? `Device [${h4(vendor)}:${h4(device)}]` : `Device ${h4(vendor)}:${h4(device)}`;
  return numeric >= 2 ? `${v} Device [${h4(vendor)}:${h4(device)}]` : `${v} Device ${h4(device)}`;
}

/** The Subsystem: line's value (pci.ids has no subsystem entries for these IDs). */
export function subsystemName(subVendor: number, subDevice: number, numeric: number): string {
  if (numeric === 1) return `${h4(subVendor)}:${h4(subDevice)}`;
  const v = VENDORS[subVendor];
  const ids = numeric >= 2 ? `[${h4(subVendor)}:${h4(subDevice)}]` : h4(subDevice);
  return `${v ?? `Device ${h4(subVendor)}`} Device ${ids}`;
}
