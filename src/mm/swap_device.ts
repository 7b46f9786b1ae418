/**
 * Swap areas and active swap devices: slots (swap_map), the zero-page bitmap,
 * and the bytes of pages written to the device.
 *
 * linux: mm/swapfile.c (struct swap_info_struct, swap_map, zeromap),
 * mm/page_io.c (__swap_writepage, swap_read_folio_bdev). Slot 0 holds the
 * swap header, so a device of N pages offers N-1 slots (`pages`). Only
 * written pages take host memory: packed into 256 KiB chunks, and a released
 * slot's page is reused.
 */
import { PAGE_SIZE } from "./phys_mem.js";

/** swap_map value flag: the slot's page is in the swap cache (SWAP_HAS_CACHE). */
export const SWAP_HAS_CACHE = 0x40;
/** Mask of the reference count in a swap_map byte. */
export const SWAP_COUNT_MASK = 0x3f;

/** Pages of device data per host allocation. */
const CHUNK_PAGES = 64;

/** A block device or file that `swapon` can use. */
export interface SwapArea {
  path: string;
  /** S_ISBLK: "partition"; a regular file: "file". */
  kind: "partition" | "file";
  /** Size in bytes (the device or the file). */
  bytes: number;
  /** Whether mkswap wrote a SWAPSPACE2 header. */
  signature: boolean;
  /** Non-rotational ("SS" in the swapon message). */
  ssd: boolean;
}

/** An active swap device (struct swap_info_struct). */
export class SwapDevice {
  /** Usable slots: header excluded (si->pages). */
  readonly pages: number;
  /** Slots in use (si->inuse_pages). */
  inuse = 0;
  /** SWP_WRITEOK: cleared when a swapoff of it begins; a swapoff that died in an oops leaves it cleared. */
  writeOk = true;
  /** swap_map: count | SWAP_HAS_CACHE per slot; slot 0 is the header. */
  readonly map: Uint8Array;
  /** Bit per slot: the page written there was all zeros (6.11+ zeromap). */
  readonly zeromap: Uint8Array;
  /**
   * Written slots' data, packed: slot → 1 + its page in `chunks` (0: never
   * written). Only the pages actually written take host memory, however
   * scattered their slots are.
   */
  private readonly where: Int32Array;
  private readonly chunks: Uint8Array[] = [];
  /** Data pages of released slots, for reuse. */
  private readonly freeData: number[] = [];
  private nextData = 0;
  /** Next slot to try (next-fit allocation). */
  private hint = 1;

  constructor(
    readonly area: SwapArea,
    readonly type: number,
    public prio: number,
  ) {
    const nr = Math.floor(area.bytes / PAGE_SIZE);
    this.pages = nr - 1;
    this.map = new Uint8Array(nr);
    this.zeromap = new Uint8Array((nr + 7) >> 3);
    this.where = new Int32Array(nr);
  }

  get nrSlots(): number {
    return this.map.length;
  }

  /** Allocates a free slot (marked SWAP_HAS_CACHE); returns its offset or 0 if full. */
  allocSlot(): number {
    if (this.inuse >= this.pages) return 0;
    const n = this.map.length;
    for (let k = 0; k < n; k++) {
      let off = this.hint + k;
      if (off >= n) off -= n - 1;
      if (off !== 0 && this.map[off] === 0) {
        this.map[off] = SWAP_HAS_CACHE;
        this.inuse++;
        this.hint = off + 1 >= n ? 1 : off + 1;
        return off;
      }
    }
    return 0;
  }

  /** Releases a slot whose map byte dropped to 0. */
  releaseSlot(off: number): void {
    this.map[off] = 0;
    if (this.where[off] !== 0) {
      this.freeData.push(this.where[off]! - 1);
      this.where[off] = 0;
    }
    this.zeromap[off >> 3]! &= ~(1 << (off & 7));
    this.inuse--;
  }

  isZero(off: number): boolean {
    return (this.zeromap[off >> 3]! & (1 << (off & 7))) !== 0;
  }

  setZero(off: number, zero: boolean): void {
    if (zero) this.zeromap[off >> 3]! |= 1 << (off & 7);
    else this.zeromap[off >> 3]! &= ~(1 << (off & 7));
  }

  /** Copies a page into the device at slot `off`. */
  write(off: number, src: Uint8Array, srcOff: number): void {
    let k = this.where[off]! - 1;
    if (k < 0) {
      k = this.freeData.pop() ?? this.nextData++;
      if (Math.floor(k / CHUNK_PAGES) === this.chunks.length) this.chunks.push(new Uint8Array(CHUNK_PAGES * PAGE_SIZE));
      this.where[off] = k + 1;
    }
    this.chunks[Math.floor(k / CHUNK_PAGES)]!.set(src.subarray(srcOff, srcOff + PAGE_SIZE), (k % CHUNK_PAGES) * PAGE_SIZE);
  }

  /** Copies slot `off` into `dst` (zeros if never written). */
  read(off: number, dst: Uint8Array, dstOff: number): void {
    const k = this.where[off]! - 1;
    if (k < 0) {
      dst.fill(0, dstOff, dstOff + PAGE_SIZE);
      return;
    }
    const o = (k % CHUNK_PAGES) * PAGE_SIZE;
    dst.set(this.chunks[Math.floor(k / CHUNK_PAGES)]!.subarray(o, o + PAGE_SIZE), dstOff);
  }
}
