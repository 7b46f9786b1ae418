/**
 * What lscpu (util-linux 2.38.1) reads, from the files it reads them from:
 * the CPU lists and per-CPU topology masks under /sys/devices/system/cpu, the
 * NUMA nodes' cpumaps under /sys/devices/system/node, the vulnerabilities
 * directory, and the first processor's block of /proc/cpuinfo.
 *
 * Threads per core, cores and sockets are counted from the distinct
 * thread_siblings and core_siblings masks of the CPUs, as lscpu does; a CPU
 * without a topology directory is left out of them.
 */
import type { Vfs } from "../../kernfs/vfs.js";
import { formatCpuList } from "../../lib/topology.js";

const SYS_CPU = "/sys/devices/system/cpu";
const SYS_NODE = "/sys/devices/system/node";

export interface LscpuCpu {
  id: number;
  online: boolean;
  /** Logical ids: the index of the CPU's core, socket and node among those found (undefined without topology). */
  core: number | undefined;
  socket: number | undefined;
  node: number | undefined;
  /** Physical ids (topology/core_id, physical_package_id), for -y. */
  coreId: number | undefined;
  socketId: number | undefined;
}

/** One cache instance (cpuN/cache/indexM), identified by type, level and id as lscpu's get_cache(). */
export interface LscpuCache {
  /** "L1d", "L1i", "L2", ... */
  name: string;
  type: string;
  level: number;
  id: number;
  size: number;
  ways: number;
  sets: number;
  phyLine: number;
  coherency: number;
  allocPolicy: string | undefined;
  writePolicy: string | undefined;
  shared: number[];
}

export interface LscpuData {
  /** False when cpu/possible cannot be read (lscpu then stops). */
  hasPossible: boolean;
  present: number[];
  online: number[] | undefined;
  cpus: LscpuCpu[];
  /** Fields of the first processor in /proc/cpuinfo, by key ("model name", "flags", ...). */
  info: Map<string, string>;
  threadsPerCore: number;
  /** Distinct cores (thread_siblings masks) found. */
  cores: number;
  coresPerSocket: number;
  sockets: number;
  nodes: { id: number; cpus: number[] }[];
  vulnerabilities: { name: string; text: string }[];
  /** Every cache instance, sorted by name (stable: in the order found). */
  caches: LscpuCache[];
}

/** parse_size(): "48K" (sysfs' cache size) as bytes. */
function parseSize(s: string): number {
  const m = /^(\d+)\s*([KMGTPE]?)(?:i?B)?$/i.exec(s.trim());
  if (m === null) return 0;
  return Number(m[1]) * 1024 ** " KMGTPE".indexOf((m[2] || " ").toUpperCase());
}

function readCaches(vfs: Vfs, cpuDir: string, present: readonly number[]): LscpuCache[] {
  const caches: LscpuCache[] = [];
  const u32 = (p: string): number => {
    const v = Number(read(vfs, p)?.trim());
    return Number.isInteger(v) && v >= 0 ? v : 0;
  };
  for (const cpu of present) {
    for (let i = 0; ; i++) {
      const dir = `${cpuDir}/cpu${cpu}/cache/index${i}`;
      if (!vfs.exists(dir)) break;
      const level = Number(read(vfs, `${dir}/level`)?.trim());
      const type = read(vfs, `${dir}/type`)?.trim();
      if (!Number.isInteger(level) || type === undefined || type === "") continue;
      const idText = read(vfs, `${dir}/id`);
      const id = idText === undefined ? -1 : Number(idText.trim());
      let ca = caches.find((c) => c.type === type && c.level === level && c.id === id);
      if (ca === undefined) {
        const suffix = type === "Data" ? "d" : type === "Instruction" ? "i" : "";
        const map = read(vfs, `${dir}/shared_cpu_map`);
        ca = {
          name: `L${level}${suffix}`,
          type,
          level,
          id,
          size: parseSize(read(vfs, `${dir}/size`) ?? ""),
          ways: u32(`${dir}/ways_of_associativity`),
          sets: u32(`${dir}/number_of_sets`),
          phyLine: u32(`${dir}/physical_line_partition`),
          coherency: u32(`${dir}/coherency_line_size`),
          allocPolicy: read(vfs, `${dir}/allocation_policy`)?.trim(),
          writePolicy: read(vfs, `${dir}/write_policy`)?.trim(),
          shared: (map === undefined ? undefined : parseCpuMask(map)) ?? [],
        };
        caches.push(ca);
      }
    }
  }
  return caches.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Parses a kernel cpulist ("0-39,80-119"); undefined when malformed. */
export function parseCpuList(s: string): number[] | undefined {
  const out: number[] = [];
  const t = s.trim();
  if (t === "") return out;
  for (const part of t.split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (m === null) return undefined;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a || b - a > 1 << 16) return undefined;
    for (let c = a; c <= b; c++) out.push(c);
  }
  return out;
}

/** Parses a kernel cpumask ("ffffffff,000000ff": 32-bit words, most significant first). */
export function parseCpuMask(s: string): number[] | undefined {
  const words = s.trim().split(",");
  const out: number[] = [];
  for (let w = 0; w < words.length; w++) {
    const word = words[words.length - 1 - w]!;
    if (!/^[0-9a-fA-F]{1,8}$/.test(word)) return undefined;
    const v = parseInt(word, 16);
    for (let b = 0; b < 32; b++) if ((v >>> b) & 1) out.push(w * 32 + b);
  }
  return out;
}

/** lscpu's cpulist_create(): ascending ranges, as the kernel's %*pbl. */
export const formatList = formatCpuList;

/** lscpu's cpumask_create(): one hex string, leading zeros dropped. */
export function formatHexMask(cpus: readonly number[]): string {
  let max = 0;
  for (const c of cpus) max = Math.max(max, c);
  const nibbles = new Uint8Array((max >> 2) + 1);
  for (const c of cpus) nibbles[c >> 2]! |= 1 << (c & 3);
  let out = "";
  for (let i = nibbles.length - 1; i >= 0; i--) out += nibbles[i]!.toString(16);
  return out.replace(/^0+(?=.)/, "");
}

function read(vfs: Vfs, path: string): string | undefined {
  try {
    return vfs.readText(path);
  } catch {
    return undefined;
  }
}

function readdir(vfs: Vfs, path: string): string[] {
  try {
    return vfs.readdir(path);
  } catch {
    return [];
  }
}

/** The processors of /proc/cpuinfo, each a map of its fields. */
function cpuinfoBlocks(text: string): Map<string, string>[] {
  const blocks: Map<string, string>[] = [];
  let cur: Map<string, string> | undefined;
  for (const line of text.split("\n")) {
    const m = /^([^\t:]+?)\s*:\s?(.*)$/.exec(line);
    if (m === null) continue;
    if (m[1] === "processor" || cur === undefined) blocks.push((cur = new Map()));
    cur.set(m[1]!, m[2]!);
  }
  return blocks;
}

/** Index of `key` in `seen`, added when new: lscpu's logical numbering of cores and sockets. */
function indexOf(seen: string[], key: string): number {
  const i = seen.indexOf(key);
  if (i >= 0) return i;
  seen.push(key);
  return seen.length - 1;
}

/** Reads what lscpu shows, under `root` ("" for the machine's own /sys and /proc, or lscpu -s DIR). */
export function readLscpu(vfs: Vfs, root = ""): LscpuData {
  const CPU_DIR = `${root}${SYS_CPU}`;
  const NODE_DIR = `${root}${SYS_NODE}`;
  const listFile = (name: string): number[] | undefined => {
    const t = read(vfs, `${CPU_DIR}/${name}`);
    return t === undefined ? undefined : parseCpuList(t);
  };
  const possible = listFile("possible");
  const dirs = readdir(vfs, CPU_DIR)
    .map((d) => /^cpu(\d+)$/.exec(d))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]));
  const present = listFile("present") ?? possible ?? dirs.sort((a, b) => a - b);
  const online = listFile("online");
  const onlineSet = new Set(online ?? present);
  const blocks = cpuinfoBlocks(read(vfs, `${root}/proc/cpuinfo`) ?? "");

  const nodes: { id: number; cpus: number[] }[] = [];
  for (const d of readdir(vfs, NODE_DIR)) {
    const m = /^node(\d+)$/.exec(d);
    if (m === null) continue;
    const map = read(vfs, `${NODE_DIR}/${d}/cpumap`);
    nodes.push({ id: Number(m[1]), cpus: (map === undefined ? undefined : parseCpuMask(map)) ?? [] });
  }
  nodes.sort((a, b) => a.id - b.id);

  const coreMaps: string[] = [];
  const socketMaps: string[] = [];
  let threads = 0;
  const cpus: LscpuCpu[] = [];
  for (const id of present) {
    const topo = `${CPU_DIR}/cpu${id}/topology`;
    const thread = read(vfs, `${topo}/thread_siblings`);
    const core = read(vfs, `${topo}/core_siblings`) ?? "";
    const coreId = read(vfs, `${topo}/core_id`);
    const socketId = read(vfs, `${topo}/physical_package_id`);
    // a CPU without topology is left out of the counts, as lscpu leaves it
    if (thread !== undefined) threads = Math.max(threads, parseCpuMask(thread)?.length || 1);
    const node = nodes.find((n) => n.cpus.includes(id))?.id;
    cpus.push({
      id,
      online: onlineSet.has(id),
      core: thread === undefined ? undefined : indexOf(coreMaps, thread.trim()),
      socket: thread === undefined ? undefined : indexOf(socketMaps, core.trim()),
      node,
      coreId: coreId === undefined ? undefined : Number(coreId),
      socketId: socketId === undefined ? undefined : Number(socketId),
    });
  }

  const vulnerabilities: { name: string; text: string }[] = [];
  for (const f of readdir(vfs, `${CPU_DIR}/vulnerabilities`).sort()) {
    const text = read(vfs, `${CPU_DIR}/vulnerabilities/${f}`);
    if (text === undefined) continue;
    const name = f.replace(/_/g, " ");
    vulnerabilities.push({ name: name.charAt(0).toUpperCase() + name.slice(1), text: text.trim() });
  }

  return {
    hasPossible: possible !== undefined,
    present,
    online,
    cpus,
    info: blocks[0] ?? new Map(),
    threadsPerCore: threads,
    cores: coreMaps.length,
    sockets: socketMaps.length,
    coresPerSocket: socketMaps.length > 0 ? Math.floor(coreMaps.length / socketMaps.length) : 0,
    nodes,
    vulnerabilities,
    caches: readCaches(vfs, CPU_DIR, present),
  };
}
