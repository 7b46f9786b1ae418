/**
 * The machine's topology as a user sees it in sysfs: sockets and NUMA nodes
 * (/sys/devices/system/node), each IAA and DSA device under /sys/bus/dsa with
 * its state, groups, engines and WQs, and which CPUs the iaa_crypto per-CPU
 * WQ table (iaa_crypto_main.c wq_table) maps to each WQ.
 */
import { formatCpuList } from "../../lib/topology.js";
import type { World } from "../world.js";
import { byNumber, readAttr, readDir, readLink, readNumber } from "./read_files.js";

const DSA = "/sys/bus/dsa/devices";

export interface NodeView {
  id: number;
  socket: number;
  cpulist: string;
  memTotalKb: number | null;
}

export interface EngineView {
  name: string;
  groupId: number | null;
  /** The engine runs compress descriptors (IAA: the first `compressEngines` engines of a device). */
  canCompress: boolean;
}

export interface GroupView {
  name: string;
  engines: string[];
  workQueues: string[];
}

export interface WqView {
  name: string;
  mode: string | null;
  size: number | null;
  priority: number | null;
  type: string | null;
  /** The WQ's `name` attribute. */
  wqName: string | null;
  driverName: string | null;
  /** The driver it is bound to (the `driver` link), or null. */
  driver: string | null;
  state: string | null;
  groupId: number | null;
  /** CPUs whose iaa_crypto table entry holds this WQ ("" when none). */
  cpus: string;
}

export interface DeviceView {
  name: string;
  kind: "iax" | "dsa";
  state: string | null;
  numaNode: number | null;
  pci: string | null;
  driver: string | null;
  groups: GroupView[];
  engines: EngineView[];
  wqs: WqView[];
}

export interface TopologyView {
  sockets: number;
  nrCpus: number;
  nodes: NodeView[];
  devices: DeviceView[];
}

/**
 * WQ name → the CPUs the iaa_crypto table maps to it (empty without the
 * module or with no WQ bound). Reads the driver's table through the module
 * object: the kernel exposes it only in debug lines.
 */
export function wqTableCpus(world: World): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const table = world.stack.iaa()?.st.table;
  if (table === null || table === undefined) return out;
  table.entries.forEach((e, cpu) => {
    for (let i = 0; i < e.nWqs; i++) {
      const wq = e.wqs[i];
      if (wq === null || wq === undefined) continue;
      const name = `wq${wq.idxd.id}.${wq.id}`;
      const list = out.get(name) ?? [];
      if (list[list.length - 1] !== cpu) list.push(cpu);
      out.set(name, list);
    }
  });
  return out;
}

function listAttr(s: string | null): string[] {
  return s === null ? [] : s.split(/\s+/).filter((x) => x !== "");
}

function driverOf(world: World, path: string): string | null {
  const l = readLink(world.stack.machine.vfs, `${path}/driver`);
  return l === null ? null : l.slice(l.lastIndexOf("/") + 1);
}

function device(world: World, name: string, table: Map<string, number[]>): DeviceView {
  const vfs = world.stack.machine.vfs;
  const dir = `${DSA}/${name}`;
  const id = Number(name.replace(/^\D+/, ""));
  const kind = name.startsWith("iax") ? "iax" : "dsa";
  const link = readLink(vfs, dir);
  const pci = link === null ? null : (/\/([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.\d)\//.exec(link)?.[1] ?? null);
  const fn = world.stack.machine.pci.find((p) => p.addr === pci);
  const compressEngines = kind === "iax" ? (fn?.caps.compressEngines ?? 0) : 0;
  const entries = readDir(vfs, dir).sort(byNumber);
  const groups: GroupView[] = entries
    .filter((e) => e.startsWith(`group${id}.`))
    .map((g) => ({ name: g, engines: listAttr(readAttr(vfs, `${dir}/${g}/engines`)), workQueues: listAttr(readAttr(vfs, `${dir}/${g}/work_queues`)) }));
  const engines: EngineView[] = entries
    .filter((e) => e.startsWith(`engine${id}.`))
    .map((e) => {
      const g = readNumber(vfs, `${dir}/${e}/group_id`);
      return { name: e, groupId: g === null || g < 0 ? null : g, canCompress: Number(e.slice(e.indexOf(".") + 1)) < compressEngines };
    });
  const wqs: WqView[] = entries
    .filter((e) => e.startsWith(`wq${id}.`))
    .map((w) => {
      const p = `${dir}/${w}`;
      const g = readNumber(vfs, `${p}/group_id`);
      return {
        name: w,
        mode: readAttr(vfs, `${p}/mode`),
        size: readNumber(vfs, `${p}/size`),
        priority: readNumber(vfs, `${p}/priority`),
        type: readAttr(vfs, `${p}/type`),
        wqName: readAttr(vfs, `${p}/name`),
        driverName: readAttr(vfs, `${p}/driver_name`),
        driver: driverOf(world, p),
        state: readAttr(vfs, `${p}/state`),
        groupId: g === null || g < 0 ? null : g,
        cpus: formatCpuList(table.get(w) ?? []),
      };
    });
  return { name, kind, state: readAttr(vfs, `${dir}/state`), numaNode: readNumber(vfs, `${dir}/numa_node`), pci, driver: driverOf(world, dir), groups, engines, wqs };
}

/** Sockets, nodes and devices, from sysfs (and the WQ table from iaa_crypto). */
export function collectTopology(world: World): TopologyView {
  const m = world.stack.machine;
  const vfs = m.vfs;
  const nodes: NodeView[] = readDir(vfs, "/sys/devices/system/node")
    .filter((n) => /^node\d+$/.test(n))
    .sort(byNumber)
    .map((n) => {
      const id = Number(n.slice(4));
      const meminfo = readAttr(vfs, `/sys/devices/system/node/${n}/meminfo`);
      // the node's MemTotal from its meminfo; from the topology when the file cannot be read
      const kb = meminfo === null ? (m.topo.nodes.find((x) => x.id === id)?.memBytes ?? NaN) / 1024 : Number(/MemTotal:\s+(\d+)/.exec(meminfo)?.[1] ?? NaN);
      // one node per socket on these presets (no sub-NUMA clustering)
      const socket = Math.floor((id * m.topo.sockets) / Math.max(1, m.topo.nodes.length));
      return { id, socket, cpulist: readAttr(vfs, `/sys/devices/system/node/${n}/cpulist`) ?? "", memTotalKb: kb !== null && Number.isFinite(kb) ? kb : null };
    });
  const table = wqTableCpus(world);
  const devices = readDir(vfs, DSA)
    .filter((d) => /^(iax|dsa)\d+$/.test(d))
    .sort(byNumber)
    .map((d) => device(world, d, table));
  return { sockets: m.topo.sockets, nrCpus: m.topo.nrCpus, nodes, devices };
}
