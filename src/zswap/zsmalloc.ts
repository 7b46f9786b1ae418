/**
 * zsmalloc: size classes of 16-byte steps from 32 to 4096 bytes, objects
 * packed in zspages of 1..8 pages, each page allocated on its own (so an
 * object may straddle two pages that are not adjacent in memory: mapping it
 * goes through a bounce buffer, as zs_map_object() does).
 *
 * linux: mm/zsmalloc.c (CONFIG_ZSMALLOC_CHAIN_SIZE 8). Every object carries
 * an 8-byte handle tag (ZS_HANDLE_SIZE) in front of its data, except in huge
 * classes (one object per one-page zspage). Allocation takes the fullest
 * non-full zspage of the class (fullness groups 99%..0% in 10% steps, most
 * recently inserted first); a zspage is freed only when it becomes empty.
 * zs_compact() is not run (zswap never calls it; the kernel's shrinker does
 * under memory pressure).
 */
import { Errno } from "../lib/errno.js";
import { PAGE_SIZE, type PhysMem } from "../mm/phys_mem.js";
import type { ZPool, ZpoolMapMode } from "./zpool.js";

export const ZS_HANDLE_SIZE = 8;
export const ZS_MIN_ALLOC_SIZE = 32;
export const ZS_MAX_ALLOC_SIZE = PAGE_SIZE;
export const ZS_SIZE_CLASS_DELTA = 16;
export const ZS_SIZE_CLASSES = Math.ceil((ZS_MAX_ALLOC_SIZE - ZS_MIN_ALLOC_SIZE) / ZS_SIZE_CLASS_DELTA) + 1;
export const ZS_MAX_PAGES_PER_ZSPAGE = 8;
/** Fullness groups: 0 = empty, 1..10 = 0-9% .. 90-99%, 11 = full. */
const ZS_INUSE_RATIO_99 = 10;
const ZS_INUSE_RATIO_100 = 11;
/** Handle = zspage id * OBJ_MUL + object index. */
const OBJ_MUL = 4096;

/** One (merged) size class. */
export interface ZsClassInfo {
  size: number;
  pagesPerZspage: number;
  objsPerZspage: number;
  huge: boolean;
}

/** calculate_zspage_chain_size() */
function chainSize(size: number): number {
  if ((size & (size - 1)) === 0) return 1;
  let best = 1;
  let minWaste = Infinity;
  for (let i = 1; i <= ZS_MAX_PAGES_PER_ZSPAGE; i++) {
    const waste = (i * PAGE_SIZE) % size;
    if (waste < minWaste) {
      minWaste = waste;
      best = i;
    }
  }
  return best;
}

/** The class table of zs_create_pool(), merged classes sharing one object; built once. */
export const ZS_CLASSES: readonly ZsClassInfo[] = (() => {
  const out: ZsClassInfo[] = new Array(ZS_SIZE_CLASSES);
  let prev: ZsClassInfo | null = null;
  for (let i = ZS_SIZE_CLASSES - 1; i >= 0; i--) {
    const size = Math.min(ZS_MIN_ALLOC_SIZE + i * ZS_SIZE_CLASS_DELTA, ZS_MAX_ALLOC_SIZE);
    const pages = chainSize(size);
    const objs = Math.floor((pages * PAGE_SIZE) / size);
    if (prev !== null && prev.pagesPerZspage === pages && prev.objsPerZspage === objs) {
      out[i] = prev;
      continue;
    }
    prev = { size, pagesPerZspage: pages, objsPerZspage: objs, huge: pages === 1 && objs === 1 };
    out[i] = prev;
  }
  return out;
})();

/** get_size_class_index() for an allocation of `size` bytes (handle included). */
export function sizeClassIndex(size: number): number {
  const idx = size > ZS_MIN_ALLOC_SIZE ? Math.ceil((size - ZS_MIN_ALLOC_SIZE) / ZS_SIZE_CLASS_DELTA) : 0;
  return Math.min(ZS_SIZE_CLASSES - 1, idx);
}

class ZsPage {
  inuse = 0;
  /** Physical address of each of the zspage's pages. */
  readonly frames: number[] = [];
  /** Free object indices (LIFO, like the zspage freelist). */
  readonly free: Uint16Array;
  nfree: number;
  group = 0;
  prev: ZsPage | null = null;
  next: ZsPage | null = null;
  constructor(
    readonly id: number,
    readonly cls: ZsClass,
  ) {
    const n = cls.info.objsPerZspage;
    this.free = new Uint16Array(n);
    for (let i = 0; i < n; i++) this.free[i] = n - 1 - i;
    this.nfree = n;
  }
}

class ZsClass {
  /** Heads of the fullness lists (index = group). */
  readonly heads: (ZsPage | null)[] = new Array(ZS_INUSE_RATIO_100 + 1).fill(null);
  constructor(readonly info: ZsClassInfo) {}
}

/** A zs_pool. */
export class ZsPool implements ZPool {
  readonly type = "zsmalloc";
  readonly canSleepMapped = false;
  /** Pages held by zspages (zs_get_total_pages). */
  pages = 0;
  private readonly classes = new Map<ZsClassInfo, ZsClass>();
  private zspages: (ZsPage | undefined)[] = [];
  private freeIds: number[] = [];
  /** Mapped objects that straddle two pages: their bounce buffer (2 pages) and mode; free bounce buffers. */
  private readonly bounced = new Map<number, { bounce: number; mode: ZpoolMapMode }[]>();
  private readonly bounceFree: number[] = [];

  constructor(
    readonly name: string,
    private readonly phys: PhysMem,
  ) {}

  malloc(size: number): number {
    if (size <= 0) return -Errno.EINVAL;
    if (size > ZS_MAX_ALLOC_SIZE) return -Errno.ENOSPC;
    const info = ZS_CLASSES[sizeClassIndex(size + ZS_HANDLE_SIZE)]!;
    let cls = this.classes.get(info);
    if (cls === undefined) this.classes.set(info, (cls = new ZsClass(info)));
    let zp: ZsPage | null = null;
    for (let g = ZS_INUSE_RATIO_99; g >= 1 && zp === null; g--) zp = cls.heads[g]!;
    if (zp === null) {
      const id = this.freeIds.length > 0 ? this.freeIds.pop()! : this.zspages.length;
      zp = new ZsPage(id, cls);
      // alloc_zspage(): one page at a time, contents not cleared (objects are written before they are read)
      for (let i = 0; i < info.pagesPerZspage; i++) zp.frames.push(this.phys.allocPages(1, false));
      this.zspages[id] = zp;
      this.pages += info.pagesPerZspage;
    } else {
      this.unlink(zp);
    }
    const obj = zp.free[--zp.nfree]!;
    zp.inuse++;
    this.insert(zp);
    return zp.id * OBJ_MUL + obj;
  }

  free(handle: number): void {
    const zp = this.zspages[Math.floor(handle / OBJ_MUL)];
    if (zp === undefined) throw new Error(`zs_free: bad handle ${handle}`);
    this.unlink(zp);
    zp.free[zp.nfree++] = handle % OBJ_MUL;
    zp.inuse--;
    if (zp.inuse === 0) {
      for (const pa of zp.frames) this.phys.freePages(pa, 1);
      this.pages -= zp.cls.info.pagesPerZspage;
      this.zspages[zp.id] = undefined;
      this.freeIds.push(zp.id);
      return;
    }
    this.insert(zp);
  }

  map(handle: number, mode: ZpoolMapMode): number {
    const zp = this.zspages[Math.floor(handle / OBJ_MUL)];
    if (zp === undefined) throw new Error(`zs_map_object: bad handle ${handle}`);
    const { huge, size } = zp.cls.info;
    const start = (handle % OBJ_MUL) * size + (huge ? 0 : ZS_HANDLE_SIZE);
    const len = size - (huge ? 0 : ZS_HANDLE_SIZE);
    const first = Math.floor(start / PAGE_SIZE);
    const off = start % PAGE_SIZE;
    if (off + len <= PAGE_SIZE) return zp.frames[first]! + off;
    // the object straddles two pages: a per-CPU-area buffer stands in for both
    // (a handle mapped again before its unmap gets a buffer of its own; unmap undoes the latest)
    const bounce = this.bounceFree.pop() ?? this.phys.allocPages(2, false);
    const maps = this.bounced.get(handle);
    if (maps === undefined) this.bounced.set(handle, [{ bounce, mode }]);
    else maps.push({ bounce, mode });
    if (mode === "ro") this.copyObject(bounce, zp.frames[first]! + off, zp.frames[first + 1]!, PAGE_SIZE - off, len, true);
    return bounce;
  }

  unmap(handle: number): void {
    const maps = this.bounced.get(handle);
    const m = maps?.pop();
    if (m === undefined) return;
    if (maps!.length === 0) this.bounced.delete(handle);
    if (m.mode === "wo") {
      const zp = this.zspages[Math.floor(handle / OBJ_MUL)]!;
      const { size } = zp.cls.info;
      const start = (handle % OBJ_MUL) * size + ZS_HANDLE_SIZE;
      const first = Math.floor(start / PAGE_SIZE);
      const off = start % PAGE_SIZE;
      this.copyObject(m.bounce, zp.frames[first]! + off, zp.frames[first + 1]!, PAGE_SIZE - off, size - ZS_HANDLE_SIZE, false);
    }
    this.bounceFree.push(m.bounce);
  }

  /** Copies an object split as `head` bytes at `a` and the rest at `b` into the bounce buffer (or back out of it). */
  private copyObject(at: number, a: number, b: number, head: number, len: number, toBounce: boolean): void {
    const bounce = this.phys.view(at, len);
    const partA = this.phys.view(a, head);
    const partB = this.phys.view(b, len - head);
    if (toBounce) {
      bounce.set(partA, 0);
      bounce.set(partB, head);
    } else {
      partA.set(bounce.subarray(0, head));
      partB.set(bounce.subarray(head, len));
    }
  }

  destroy(): void {
    for (const zp of this.zspages) if (zp !== undefined) for (const pa of zp.frames) this.phys.freePages(pa, 1);
    for (const maps of this.bounced.values()) for (const { bounce } of maps) this.bounceFree.push(bounce);
    for (const pa of this.bounceFree) this.phys.freePages(pa, 2);
    this.bounced.clear();
    this.bounceFree.length = 0;
    this.zspages = [];
    this.freeIds = [];
    this.classes.clear();
    this.pages = 0;
  }

  /** Zspages per class (for tests and debugging): class size → [zspages, objects in use]. */
  classStats(): Map<number, [number, number]> {
    const m = new Map<number, [number, number]>();
    for (const zp of this.zspages) {
      if (zp === undefined) continue;
      const e = m.get(zp.cls.info.size) ?? [0, 0];
      e[0]++;
      e[1] += zp.inuse;
      m.set(zp.cls.info.size, e);
    }
    return m;
  }

  private groupOf(zp: ZsPage): number {
    const objs = zp.cls.info.objsPerZspage;
    if (zp.inuse === 0) return 0;
    if (zp.inuse === objs) return ZS_INUSE_RATIO_100;
    return Math.floor(Math.floor((100 * zp.inuse) / objs) / 10) + 1;
  }

  private insert(zp: ZsPage): void {
    const g = this.groupOf(zp);
    zp.group = g;
    const heads = zp.cls.heads;
    zp.prev = null;
    zp.next = heads[g]!;
    if (zp.next !== null) zp.next.prev = zp;
    heads[g] = zp;
  }

  private unlink(zp: ZsPage): void {
    const heads = zp.cls.heads;
    if (zp.prev !== null) zp.prev.next = zp.next;
    else heads[zp.group] = zp.next;
    if (zp.next !== null) zp.next.prev = zp.prev;
    zp.prev = zp.next = null;
  }
}

/** Prototypes of this file's private classes (a restored snapshot creates their objects). */
export const ZSMALLOC_CLASSES: object[] = [ZsPage.prototype, ZsClass.prototype];
