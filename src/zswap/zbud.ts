/**
 * zbud and z3fold: page-per-few-objects allocators (deprecated in 6.13,
 * removed in 6.15), kept for the 6.12 `zpool` parameter.
 *
 * linux: mm/zbud.c, mm/z3fold.c. Pages are split in 64-byte chunks after a
 * one-chunk header; an object needs ceil(size/64) chunks; sizes above
 * PAGE_SIZE - 2 chunks get -ENOSPC. zbud keeps at most two objects per page
 * (first from the front, last from the back); z3fold up to three. Pages with
 * room are found first-fit on lists indexed by free chunks; a page is freed
 * when empty. (z3fold's in-page compaction and headless pages are not
 * modelled: its third object takes any contiguous free run.)
 */
import { Errno } from "../lib/errno.js";
import { PAGE_SIZE, type PhysMem } from "../mm/phys_mem.js";
import type { ZPool, ZpoolMapMode } from "./zpool.js";

const CHUNK_SHIFT = 6;
const CHUNK_SIZE = 1 << CHUNK_SHIFT;
const ZHDR_CHUNKS = 1;
/** Chunks usable for objects (NCHUNKS). */
const NCHUNKS = (PAGE_SIZE >> CHUNK_SHIFT) - ZHDR_CHUNKS;

class BuddyPage {
  /** Per object slot: [first chunk, chunk count], count 0 = free. */
  readonly start: Uint8Array;
  readonly count: Uint8Array;
  used = 0;
  objs = 0;
  bucket = -1;
  constructor(
    readonly id: number,
    readonly pa: number,
    slots: number,
  ) {
    this.start = new Uint8Array(slots);
    this.count = new Uint8Array(slots);
  }
}

export class BuddyPool implements ZPool {
  readonly canSleepMapped = true;
  pages = 0;
  private readonly slots: number;
  private readonly pagesById: (BuddyPage | undefined)[] = [];
  private freeIds: number[] = [];
  /** unbuddied lists: free chunk count → pages. */
  private readonly unbuddied: BuddyPage[][] = Array.from({ length: NCHUNKS + 1 }, () => []);

  constructor(
    readonly type: "zbud" | "z3fold",
    private readonly phys: PhysMem,
  ) {
    this.slots = type === "zbud" ? 2 : 3;
  }

  malloc(size: number): number {
    if (size <= 0) return -Errno.EINVAL;
    if (size > PAGE_SIZE - ZHDR_CHUNKS * CHUNK_SIZE - CHUNK_SIZE) return -Errno.ENOSPC;
    const chunks = Math.ceil(size / CHUNK_SIZE);
    for (let i = chunks; i <= NCHUNKS; i++) {
      const list = this.unbuddied[i]!;
      for (let k = list.length - 1; k >= 0; k--) {
        const pg = list[k]!;
        const slot = this.place(pg, chunks);
        if (slot >= 0) return pg.id * 4 + slot;
      }
    }
    const id = this.freeIds.length > 0 ? this.freeIds.pop()! : this.pagesById.length;
    const pg = new BuddyPage(id, this.phys.allocPages(1, false), this.slots);
    this.pagesById[id] = pg;
    this.pages++;
    return pg.id * 4 + this.place(pg, chunks);
  }

  /** Puts an object of `chunks` in `pg` if a slot and a contiguous run exist; returns the slot or -1. */
  private place(pg: BuddyPage, chunks: number): number {
    if (pg.objs >= this.slots) return -1;
    let slot = 0;
    while (pg.count[slot] !== 0) slot++;
    let at = -1;
    if (this.type === "zbud") {
      // first buddy from the front, last buddy from the back
      const firstEnd = pg.count[0] === 0 ? 0 : pg.count[0]!;
      const lastStart = pg.count[1] === 0 ? NCHUNKS : pg.start[1]!;
      if (lastStart - firstEnd >= chunks) at = slot === 0 ? 0 : NCHUNKS - chunks;
    } else {
      at = this.firstFit(pg, chunks);
    }
    if (at < 0) return -1;
    this.unbucket(pg);
    pg.start[slot] = at;
    pg.count[slot] = chunks;
    pg.used += chunks;
    pg.objs++;
    this.rebucket(pg);
    return slot;
  }

  private firstFit(pg: BuddyPage, chunks: number): number {
    const taken = new Uint8Array(NCHUNKS);
    for (let s = 0; s < this.slots; s++) taken.fill(1, pg.start[s]!, pg.start[s]! + pg.count[s]!);
    let run = 0;
    for (let c = 0; c < NCHUNKS; c++) {
      run = taken[c] === 0 ? run + 1 : 0;
      if (run === chunks) return c - chunks + 1;
    }
    return -1;
  }

  free(handle: number): void {
    const pg = this.pagesById[Math.floor(handle / 4)];
    if (pg === undefined) throw new Error(`${this.type}_free: bad handle ${handle}`);
    const slot = handle % 4;
    this.unbucket(pg);
    pg.used -= pg.count[slot]!;
    pg.count[slot] = 0;
    pg.start[slot] = 0;
    pg.objs--;
    if (pg.objs === 0) {
      this.phys.freePages(pg.pa, 1);
      this.pages--;
      this.pagesById[pg.id] = undefined;
      this.freeIds.push(pg.id);
      return;
    }
    this.rebucket(pg);
  }

  map(handle: number, _mode: ZpoolMapMode): number {
    const pg = this.pagesById[Math.floor(handle / 4)]!;
    return pg.pa + (ZHDR_CHUNKS + pg.start[handle % 4]!) * CHUNK_SIZE;
  }

  /** Objects never leave their page: nothing to undo. */
  unmap(_handle: number): void {}

  destroy(): void {
    for (const pg of this.pagesById) if (pg !== undefined) this.phys.freePages(pg.pa, 1);
    this.pagesById.length = 0;
    this.freeIds = [];
    for (const l of this.unbuddied) l.length = 0;
    this.pages = 0;
  }

  private unbucket(pg: BuddyPage): void {
    if (pg.bucket < 0) return;
    const list = this.unbuddied[pg.bucket]!;
    const i = list.indexOf(pg);
    if (i >= 0) list.splice(i, 1);
    pg.bucket = -1;
  }

  private rebucket(pg: BuddyPage): void {
    if (pg.objs >= this.slots) return; // buddied (full of objects)
    const free = NCHUNKS - pg.used;
    pg.bucket = free;
    this.unbuddied[free]!.push(pg);
  }
}

/** Prototypes of this file's private classes (a restored snapshot creates their objects). */
export const ZBUD_CLASSES: object[] = [BuddyPage.prototype];
