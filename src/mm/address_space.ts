/**
 * Processes, their address spaces and VMAs (data only; the logic is in mm.ts).
 *
 * linux: include/linux/mm_types.h (mm_struct, vm_area_struct), mm/shmem.c
 * (the shmem object behind MAP_SHARED|MAP_ANONYMOUS). A private VMA keeps its
 * page table in typed arrays (`pte` state, `frame` physical address, `swp`
 * swap entry); a shared VMA maps pages of a {@link ShmemObject}, whose own
 * arrays are the page cache.
 */

/** mmap prot bits. */
export const PROT_NONE = 0;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;
/** mmap flags (x86-64). */
export const MAP_SHARED = 0x01;
export const MAP_PRIVATE = 0x02;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
export const MAP_NORESERVE = 0x4000;
/** madvise advice values. */
export const MADV_NORMAL = 0;
export const MADV_DONTNEED = 4;
export const MADV_COLD = 20;
export const MADV_PAGEOUT = 21;

/** Page table entry states (private VMAs; shared VMAs use NONE/RW only). */
export const PTE_NONE = 0;
/** Mapped to the shared zero page (read fault on a private page never written). */
export const PTE_ZERO = 1;
/** Present, read-only (COW-shared after fork, or in the swap cache). */
export const PTE_RO = 2;
/** Present and writable. */
export const PTE_RW = 3;
/** A swap entry. */
export const PTE_SWAP = 4;
/** A poisoned swap entry (swapoff could not read the page): access is SIGBUS. */
export const PTE_POISON = 5;

/** shmem page-cache states. */
export const SHM_NONE = 0;
export const SHM_PRESENT = 1;
export const SHM_SWAP = 2;

/** The shmem file behind a MAP_SHARED anonymous mapping ("/dev/zero (deleted)"). */
export class ShmemObject {
  readonly state: Uint8Array;
  readonly frame: Float64Array;
  readonly swp: Float64Array;
  /** VMAs referencing the object. */
  refs = 1;
  constructor(readonly npages: number) {
    this.state = new Uint8Array(npages);
    this.frame = new Float64Array(npages);
    this.swp = new Float64Array(npages);
  }
}

export class Vma {
  /** One past the last byte. */
  end: number;
  constructor(
    public start: number,
    public npages: number,
    readonly prot: number,
    /** MAP_SHARED */
    readonly shared: boolean,
    /** Committed pages charged for this VMA (0 if not accounted). */
    public charged: number,
    readonly pte: Uint8Array,
    readonly frame: Float64Array,
    /** Private: swap entry per page. Shared: unused (empty). */
    readonly swp: Float64Array,
    readonly obj: ShmemObject | null,
    /** Shared: first page of the object this VMA maps. */
    public pgoff: number,
  ) {
    this.end = start + npages * 4096;
  }
}

export class AddressSpace {
  /** VMAs sorted by start. */
  vmas: Vma[] = [];
  /** Last VMA looked up (find_vma cache). */
  last: Vma | null = null;
  /** Next address for mmap without a hint (bottom-up from here). */
  mmapBase = 0x7f00_0000_0000;
}

/** A task: pid, name and the CPU it runs on (smp_processor_id() in its kernel paths). */
export class Process {
  readonly as = new AddressSpace();
  alive = true;
  constructor(
    readonly pid: number,
    public comm: string,
    public cpu: number,
    readonly ppid: number,
  ) {}
}
