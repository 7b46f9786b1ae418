/**
 * Snapshots of a whole booted machine (every layer of {@link Stack}).
 *
 * Saving writes the structure each layer would need its own kernel operations
 * to rebuild (modules loaded, in order; idxd's configuration and bindings;
 * swap devices; zswap's parameters), the page frames in use (raw bytes), the
 * printk ring (its records in a few typed arrays, PrintkRing), and the
 * object graph of every layer (lib/snapshot_graph.ts): registers, command
 * status, statistics, counters, pools and their layout, swap slots and
 * contents, dynamic-debug flags, fault settings, tmpfs files,
 * the clock.
 *
 * Restoring boots from the same settings, rebuilds the structure with the
 * kernel's own operations (their log lines and side effects are overwritten
 * next), then puts the saved data over it, so its cost follows the state's
 * size, never the number of commands that made it.
 */
import { errnoName } from "../lib/errno.js";
import { LZO_CLASSES } from "../crypto/lzo.js";
import { KnAttr, KnDir, KnFile, KnLink } from "../kernfs/node.js";
import { IAA_CRYPTO_CLASSES } from "../driver/iaa_crypto/classes.js";
import type { PrintkRing } from "../lib/printk.js";
import { restoreGraph, saveGraph, type SavedGraph } from "../lib/snapshot_graph.js";
import type { MmState } from "../mm/mm.js";
import { AddressSpace, Process, ShmemObject, Vma } from "../mm/address_space.js";
import { SwapDevice } from "../mm/swap_device.js";
import { BuddyPool, ZBUD_CLASSES } from "../zswap/zbud.js";
import { ZsPool, ZSMALLOC_CLASSES } from "../zswap/zsmalloc.js";
import { ZSWAP_CLASSES, type ZswapState } from "../zswap/zswap.js";
import type { IdxdState } from "../driver/idxd/init.js";
import type { Stack } from "./stack.js";
import type { Machine } from "./machine.js";
import { cpuSysfsDirs } from "./cpu_sysfs.js";

/**
 * Fields the graph leaves out: because their owner saves them another way, or
 * because they are the host's helpers rather than machine state (the worker
 * threads' precomputed results and the pageout hint that feeds them; a
 * restored machine gets its own).
 */
const SKIP = new Set(["VirtualClock.heap", "PhysMem.chunks", "Printk.listeners", "Printk.ring", "Printk.begins", "Printk.savedRing", "IdxdHw.resultCache", "Mm.pageoutHint"]);

const PROTOS: object[] = [
  ...ZSWAP_CLASSES, ...ZBUD_CLASSES, ...ZSMALLOC_CLASSES, ...LZO_CLASSES,
  BuddyPool.prototype, ZsPool.prototype, SwapDevice.prototype, Process.prototype, Vma.prototype, AddressSpace.prototype, ShmemObject.prototype,
  KnDir.prototype, KnAttr.prototype, KnFile.prototype, KnLink.prototype,
  ...IAA_CRYPTO_CLASSES,
];

export interface StackSnapshot {
  modules: string[];
  idxd: IdxdState | null;
  mm: MmState;
  zswap: ZswapState;
  frames: { chunks: number; runs: number[]; data: Uint8Array };
  /** The crypto API's registered algorithms (driver names), newest first. */
  crypto?: string[];
  /** The printk ring, in typed arrays (the graph leaves its records out). */
  printk: PrintkRing;
  graph: SavedGraph;
}

/**
 * Saves every layer of a machine between two commands. `extra` roots (e.g. the
 * World's own state) are saved with it. Throws if timer events are pending
 * that no layer can queue again (a bug: nothing may be in flight between
 * commands).
 */
export function saveStack(s: Stack, extra: Record<string, unknown> = {}): StackSnapshot {
  const m = s.machine;
  const live = m.ctx.clock.liveEvents();
  const known = s.zswap.pendingEvents();
  if (live !== known) throw new Error(`snapshot: ${live - known} timer event(s) pending between commands`);
  const printk = m.ctx.log.saveRing();
  return {
    printk,
    modules: m.modules.list(),
    crypto: s.crypto.list().map((e) => e.driver),
    idxd: m.idxd?.saveState() ?? null,
    mm: s.mm.saveState(),
    zswap: s.zswap.saveState(),
    frames: m.mem.saveFrames(),
    graph: saveGraph({ stack: s, iaa: s.iaa(), ...extra }, { externals: externals(m), skip: SKIP }),
  };
}

/** Objects a snapshot names instead of saving: page-frame chunks, and the CPU and node sysfs directories (no state). */
function externals(m: Machine): Map<object, string> {
  return new Map([...m.mem.chunkNames(), ...cpuSysfsDirs(m.fs.sys)]);
}

/** Puts a {@link StackSnapshot} onto a machine freshly booted from the same settings. */
export function restoreStack(s: Stack, snap: StackSnapshot, extra: Record<string, unknown> = {}): void {
  const m = s.machine;
  restoreStructure(s, snap);
  // data
  m.mem.loadFrames(snap.frames);
  const ext = new Map<string, object>();
  for (const [o, name] of externals(m)) ext.set(name, o);
  restoreGraph(snap.graph, { stack: s, iaa: s.iaa(), ...extra }, ext, PROTOS);
  m.ctx.log.loadRing(snap.printk);
  s.zswap.resumeShrinkWork();
}

/**
 * Puts only the structure of a {@link StackSnapshot} (modules, idxd's
 * configuration and bindings, swap devices, mm's sysctls and event counters,
 * zswap's parameters) and its log onto a machine freshly booted from the same
 * settings: for a snapshot whose object graph this build cannot read (written
 * by another build). What only the graph holds (statistics, device registers
 * beyond the configuration, swapped-out data, tmpfs files) starts afresh;
 * the clock goes on from the log's newest record.
 */
export function restoreStackStructure(s: Stack, snap: StackSnapshot): void {
  const m = s.machine;
  restoreStructure(s, snap);
  m.ctx.log.loadRing(snap.printk);
  const ts = snap.printk.ts;
  if (ts.length > 0 && ts[ts.length - 1]! > m.ctx.clock.now) m.ctx.clock.advanceTo(ts[ts.length - 1]!);
  s.zswap.resumeShrinkWork();
}

/**
 * Algorithms the freshly loaded modules registered that the snapshot's
 * machine had not (iaa_crypto registers deflate-iaa when its first WQ
 * probes; a machine that reloaded it with its devices disabled has none) are
 * unregistered, so that the crypto API's list pairs record for record.
 */
function restoreRegistrations(s: Stack, snap: StackSnapshot): void {
  if (snap.crypto === undefined) return;
  const saved = new Set(snap.crypto);
  for (const e of s.crypto.list()) {
    if (saved.has(e.driver)) continue;
    const r = s.crypto.unregisterDriver(e.driver);
    if (r < 0) throw new Error(`the crypto API's ${e.driver} cannot be brought to the snapshot's state (${errnoName(r)})`);
  }
}

/** The structure, through the kernel's own operations. */
function restoreStructure(s: Stack, snap: StackSnapshot): void {
  const m = s.machine;
  for (const name of m.modules.list().reverse()) if (!snap.modules.includes(name)) m.modules.rmmod(name);
  for (const name of snap.modules) m.modules.modprobe(name);
  if (snap.idxd !== null && m.idxd !== null) {
    const r = m.idxd.loadState(snap.idxd);
    if (r < 0) throw new Error(`idxd's devices do not match the snapshot's (${errnoName(r)})`);
  }
  restoreRegistrations(s, snap);
  const swaps = new Set(snap.mm.swaps.map((w) => w.path));
  for (const d of s.mm.activeSwaps()) if (!swaps.has(d.area.path)) s.mm.swapoff(d.area.path);
  s.mm.loadState(snap.mm);
  s.zswap.loadState(snap.zswap);
  m.ctx.clock.runUntilIdle();
  m.ctx.clock.dropEvents();
}
