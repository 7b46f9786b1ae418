/**
 * Emulated physical memory: page frames backed lazily by host memory.
 *
 * The machine may claim hundreds of GiB of RAM; only frames that are allocated
 * are backed, by 16 MiB SharedArrayBuffer chunks (shared so that engine work
 * can run on worker threads). A physical address is `RAM_BASE + frame * 4096`;
 * devices DMA through {@link PhysMem.view}. DMA addresses equal physical
 * addresses (identity IOVA), as with iommu=off or passthrough.
 *
 * linux: mm/page_alloc.c (alloc_pages), mm/slub.c (kmalloc) — simplified:
 * contiguous runs of frames from a chunk, and small objects carved from pages.
 */
export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;

/** Where emulated RAM starts in the physical address space (0x20_0000_0000 = 128 GiB). */
export const RAM_BASE = 0x20_0000_0000;

const CHUNK_FRAMES = 4096; // 16 MiB
const CHUNK_BYTES = CHUNK_FRAMES * PAGE_SIZE;

interface Chunk {
  buf: SharedArrayBuffer;
  bytes: Uint8Array;
  /** The same memory as 32-bit words (page scans a word at a time). */
  words: Int32Array;
}

function newChunk(): Chunk {
  const buf = new SharedArrayBuffer(CHUNK_BYTES);
  return { buf, bytes: new Uint8Array(buf), words: new Int32Array(buf) };
}

export class PhysMem {
  private chunks: Chunk[] = [];
  /** Free runs of frames keyed by run length (only runs freed so far). */
  private freeRuns = new Map<number, number[]>();
  /** Next never-used frame within the current chunk. */
  private bump = 0;
  /** Frames allocated now. */
  allocatedFrames = 0;
  /** Frames allocated now, per chunk (a run never crosses chunks). */
  private usedInChunk: number[] = [];
  /** Pages allocated for processes since boot, per chunk (a NUMA node's numa_hit): {@link countAllocation}. */
  private allocsInChunk: number[] = [];
  /** kmalloc slabs: size class → free object addresses. */
  private slabFree = new Map<number, number[]>();
  private slabSize = new Map<number, number>();

  constructor(readonly totalBytes: number) {}

  /** Total RAM in pages (totalram_pages()). */
  get totalPages(): number {
    return Math.floor(this.totalBytes / PAGE_SIZE);
  }

  /**
   * Allocates `n` physically contiguous frames (n <= 4096); returns the
   * physical address. The frames read as zero unless `zero` is false (a
   * caller that overwrites every byte, like a swap-in, skips the clearing of
   * a reused frame: alloc_pages() without __GFP_ZERO).
   */
  allocPages(n = 1, zero = true): number {
    if (n < 1 || n > CHUNK_FRAMES) throw new RangeError(`allocPages: bad page count ${n}`);
    const free = this.freeRuns.get(n);
    let frame: number;
    if (free !== undefined && free.length > 0) {
      frame = free.pop()!;
      const ci = Math.floor(frame / CHUNK_FRAMES);
      const fi = frame % CHUNK_FRAMES;
      const clean = this.clean.get(ci);
      let dirty = clean === undefined;
      if (clean !== undefined) {
        for (let f = fi; f < fi + n; f++) {
          if (clean.flags[f] === 0) dirty = true;
          else {
            clean.flags[f] = 0;
            clean.left--;
          }
        }
        if (clean.left === 0) this.clean.delete(ci);
      }
      if (zero && dirty) this.chunks[ci]!.bytes.fill(0, fi * PAGE_SIZE, (fi + n) * PAGE_SIZE);
    } else {
      const inChunk = this.bump % CHUNK_FRAMES;
      if (this.bump === this.chunks.length * CHUNK_FRAMES || inChunk + n > CHUNK_FRAMES) {
        if (inChunk !== 0 && this.bump < this.chunks.length * CHUNK_FRAMES) {
          // keep the tail of the current chunk as single frames
          for (let f = this.bump; f < this.chunks.length * CHUNK_FRAMES; f++) this.pushRun(f, 1);
        }
        this.chunks.push(newChunk());
        this.bump = (this.chunks.length - 1) * CHUNK_FRAMES;
      }
      frame = this.bump;
      this.bump += n;
    }
    this.allocatedFrames += n;
    const ci = Math.floor(frame / CHUNK_FRAMES);
    this.usedInChunk[ci] = (this.usedInChunk[ci] ?? 0) + n;
    this.fresh.delete(ci);
    return RAM_BASE + frame * PAGE_SIZE;
  }

  /**
   * Counts a page allocation at `pa` for the NUMA statistics (mm's page
   * faults and swap-ins call it; the kernel's own short-lived buffers are
   * not counted, so a restored machine counts as the original did).
   */
  countAllocation(pa: number): void {
    const ci = Math.floor((pa - RAM_BASE) / PAGE_SIZE / CHUNK_FRAMES);
    this.allocsInChunk[ci] = (this.allocsInChunk[ci] ?? 0) + 1;
  }

  /**
   * Frames in use now and pages counted by {@link countAllocation} among frames
   * [first, end): a NUMA node's share (si_meminfo_node(), numastat). Counted
   * by chunk (16 MiB), each chunk in the range its first frame is in.
   *
   * @example
   * mem.framesIn(0, mem.totalPages).inUse === mem.allocatedFrames; // true
   */
  framesIn(first: number, end: number): { inUse: number; allocated: number } {
    let inUse = 0;
    let allocated = 0;
    const last = Math.min(Math.max(this.usedInChunk.length, this.allocsInChunk.length), Math.ceil(end / CHUNK_FRAMES));
    for (let ci = Math.ceil(first / CHUNK_FRAMES); ci < last; ci++) {
      inUse += this.usedInChunk[ci] ?? 0;
      allocated += this.allocsInChunk[ci] ?? 0;
    }
    return { inUse, allocated };
  }

  /** Frees `n` frames at `pa` (as returned by allocPages(n)). The contents stay until the frames are allocated again. */
  freePages(pa: number, n = 1): void {
    const frame = (pa - RAM_BASE) / PAGE_SIZE;
    if (!this.isBacked(pa, n * PAGE_SIZE)) throw new RangeError(`freePages: bad physical range ${pa.toString(16)}+${n * PAGE_SIZE}`);
    this.pushRun(frame, n);
    this.allocatedFrames -= n;
    this.usedInChunk[Math.floor(frame / CHUNK_FRAMES)]! -= n;
  }

  /**
   * Gives the host memory of every chunk with no frame in use back: its buffer
   * is replaced by a fresh one, which the host backs only once it is written
   * (free frames' old contents are not kept: a frame allocated without zeroing
   * may hold anything). Frame numbers and free lists stay. Returns the number
   * of chunks released.
   */
  releaseFreeChunks(): number {
    let released = 0;
    for (let i = 0; i < this.chunks.length; i++) {
      if ((this.usedInChunk[i] ?? 0) !== 0 || this.fresh.has(i)) continue;
      this.chunks[i] = newChunk();
      this.fresh.add(i);
      this.clean.set(i, { flags: new Uint8Array(CHUNK_FRAMES).fill(1), left: CHUNK_FRAMES });
      released++;
    }
    return released;
  }

  /** Chunks replaced by {@link releaseFreeChunks} and not allocated from since (nothing to release again). */
  private fresh = new Set<number>();
  /**
   * Per released chunk, 1 for each frame not allocated since the release: it
   * still reads as zero, so allocating it needs no clearing (which would also
   * be the host's first touch of that memory, paid twice with the caller's own
   * write).
   */
  private clean = new Map<number, { flags: Uint8Array; left: number }>();

  private pushRun(frame: number, n: number): void {
    let list = this.freeRuns.get(n);
    if (list === undefined) this.freeRuns.set(n, (list = []));
    list.push(frame);
  }

  /** A view of `len` bytes at physical address `pa` (must stay inside one allocation's chunk). */
  view(pa: number, len: number): Uint8Array {
    const off = pa - RAM_BASE;
    const c = this.chunks[Math.floor(off / CHUNK_BYTES)];
    const o = off % CHUNK_BYTES;
    if (c === undefined || off < 0 || o + len > CHUNK_BYTES) throw new RangeError(`view: bad physical range ${pa.toString(16)}+${len}`);
    return c.bytes.subarray(o, o + len);
  }

  /**
   * The whole backing chunk of `pa` as one Uint8Array, without allocating
   * (hot paths index it at {@link PhysMem.chunkOffset}). Throws if unbacked.
   */
  chunkBytes(pa: number): Uint8Array {
    const off = pa - RAM_BASE;
    const c = this.chunks[Math.floor(off / CHUNK_BYTES)];
    if (c === undefined || off < 0) throw new RangeError(`chunkBytes: bad physical address ${pa.toString(16)}`);
    return c.bytes;
  }

  /** Whether the page at `pa` (page aligned) reads as all zeros. Throws if unbacked. */
  isZeroPage(pa: number): boolean {
    const off = pa - RAM_BASE;
    const c = this.chunks[Math.floor(off / CHUNK_BYTES)];
    if (c === undefined || off < 0 || off % PAGE_SIZE !== 0) throw new RangeError(`isZeroPage: bad physical address ${pa.toString(16)}`);
    const w = c.words;
    for (let k = (off % CHUNK_BYTES) >>> 2, e = k + PAGE_SIZE / 4; k < e; k++) if (w[k] !== 0) return false;
    return true;
  }

  /** The byte offset of `pa` inside {@link PhysMem.chunkBytes}. */
  chunkOffset(pa: number): number {
    return (pa - RAM_BASE) % CHUNK_BYTES;
  }

  /** The backing buffer and byte offset of `pa` (for sharing with worker threads). */
  locate(pa: number): { buf: SharedArrayBuffer; offset: number } {
    const off = pa - RAM_BASE;
    const c = this.chunks[Math.floor(off / CHUNK_BYTES)];
    if (c === undefined || off < 0) throw new RangeError(`locate: bad physical address ${pa.toString(16)}`);
    return { buf: c.buf, offset: off % CHUNK_BYTES };
  }

  /** Whether `pa` lies in backed memory. */
  isBacked(pa: number, len = 1): boolean {
    const off = pa - RAM_BASE;
    if (off < 0) return false;
    const i = Math.floor(off / CHUNK_BYTES);
    return i < this.chunks.length && (off % CHUNK_BYTES) + len <= CHUNK_BYTES;
  }

  /**
   * kmalloc(size) aligned to `align` (power of two, <= 4096): a zeroed object
   * from a slab of objects of the same rounded size.
   */
  kmalloc(size: number, align = 8): number {
    const a = Math.max(8, align);
    let cls = Math.max(a, 8);
    while (cls < size) cls *= 2;
    if (cls > PAGE_SIZE) {
      const pages = Math.ceil(size / PAGE_SIZE);
      const pa = this.allocPages(pages);
      this.slabSize.set(pa, -pages);
      return pa;
    }
    let free = this.slabFree.get(cls);
    if (free === undefined) this.slabFree.set(cls, (free = []));
    if (free.length === 0) {
      const page = this.allocPages(1);
      for (let o = PAGE_SIZE - cls; o >= 0; o -= cls) free.push(page + o);
    }
    const pa = free.pop()!;
    this.slabSize.set(pa, cls);
    return pa;
  }

  kfree(pa: number): void {
    const cls = this.slabSize.get(pa);
    if (cls === undefined) throw new Error(`kfree: ${pa.toString(16)} was not allocated`);
    this.slabSize.delete(pa);
    if (cls < 0) {
      this.freePages(pa, -cls);
      return;
    }
    this.view(pa, cls).fill(0);
    this.slabFree.get(cls)!.push(pa);
  }

  // ---- snapshots ------------------------------------------------------

  /** The chunks' buffers and byte views by name (a snapshot refers to them instead of copying them). */
  chunkNames(): Map<object, string> {
    const m = new Map<object, string>();
    this.chunks.forEach((c, i) => {
      m.set(c.buf, `phys:${i}:buf`);
      m.set(c.bytes, `phys:${i}:bytes`);
    });
    return m;
  }

  /** The frames in use (allocated, not on a free list): their runs [first, count, …] and their bytes. */
  saveFrames(): { chunks: number; runs: number[]; data: Uint8Array } {
    const used = new Uint8Array(this.bump);
    used.fill(1);
    for (const [n, list] of this.freeRuns) for (const f of list) if (f < this.bump) used.fill(0, f, Math.min(this.bump, f + n));
    const runs: number[] = [];
    let total = 0;
    for (let f = 0; f < used.length; ) {
      if (used[f] === 0) {
        f++;
        continue;
      }
      let e = f;
      while (e < used.length && used[e] === 1 && Math.floor(e / CHUNK_FRAMES) === Math.floor(f / CHUNK_FRAMES)) e++;
      runs.push(f, e - f);
      total += e - f;
      f = e;
    }
    const data = new Uint8Array(total * PAGE_SIZE);
    let o = 0;
    for (let i = 0; i < runs.length; i += 2) {
      const f = runs[i]!;
      const n = runs[i + 1]!;
      const c = this.chunks[Math.floor(f / CHUNK_FRAMES)]!;
      const off = (f % CHUNK_FRAMES) * PAGE_SIZE;
      data.set(c.bytes.subarray(off, off + n * PAGE_SIZE), o);
      o += n * PAGE_SIZE;
    }
    return { chunks: this.chunks.length, runs, data };
  }

  /** Puts {@link saveFrames} output back: as many chunks, free frames zero, used frames their bytes. */
  loadFrames(s: { chunks: number; runs: number[]; data: Uint8Array }): void {
    while (this.chunks.length > s.chunks) this.chunks.pop();
    for (const c of this.chunks) c.bytes.fill(0);
    while (this.chunks.length < s.chunks) this.chunks.push(newChunk());
    this.usedInChunk = [];
    this.fresh.clear();
    let o = 0;
    for (let i = 0; i < s.runs.length; i += 2) {
      const f = s.runs[i]!;
      const n = s.runs[i + 1]!;
      const ci = Math.floor(f / CHUNK_FRAMES);
      this.chunks[ci]!.bytes.set(s.data.subarray(o, o + n * PAGE_SIZE), (f % CHUNK_FRAMES) * PAGE_SIZE);
      this.usedInChunk[ci] = (this.usedInChunk[ci] ?? 0) + n;
      o += n * PAGE_SIZE;
    }
  }
}
