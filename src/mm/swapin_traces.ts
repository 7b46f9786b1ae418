/**
 * The kernel frames below swap_read_folio()'s caller on each swap-in path,
 * innermost first, as an oops' call trace prints them (`sym+0xoff/0xsize`)
 * when a swap backend's BUG_ON() fires during the read. Linux 6.12 paths:
 * mm/memory.c do_swap_page() → swapin_readahead() (VMA readahead),
 * mm/shmem.c shmem_swapin_folio() → swap_cluster_readahead(), and
 * mm/swapfile.c try_to_unuse() for swapoff. Offsets and sizes are
 * representative, not those of a real build.
 */

const USER_FAULT = ["__handle_mm_fault+0x7d9/0x1470", "handle_mm_fault+0x17b/0x360", "do_user_addr_fault+0x175/0x6b0", "exc_page_fault+0x7e/0x180", "asm_exc_page_fault+0x26/0x30"];
const SWAPOFF = ["try_to_unuse+0x1ba/0x8a0", "__do_sys_swapoff+0x1b5/0x700", "do_syscall_64+0x82/0x170", "entry_SYSCALL_64_after_hwframe+0x76/0x7e"];
const ANON_READ = ["swap_read_folio+0x1c1/0x3c0", "swap_vma_readahead+0x3b2/0x4d0", "swapin_readahead+0x6e/0x100"];
const SHMEM_READ = ["swap_read_folio+0x1c1/0x3c0", "swap_cluster_readahead+0x178/0x2d0", "shmem_swapin_folio+0x10d/0x4a0"];

/** A read or write fault on a private anonymous page that is in swap. */
export const TRACE_ANON_FAULT: readonly string[] = [...ANON_READ, "do_swap_page+0x1f4/0xfb0", ...USER_FAULT];
/** A read fault on a shared (shmem) page that is in swap. */
export const TRACE_SHMEM_READ_FAULT: readonly string[] = [...SHMEM_READ, "shmem_get_folio_gfp+0x2b7/0x640", "shmem_fault+0x7a/0x240", "__do_fault+0x33/0x130", "do_read_fault+0x112/0x1f0", ...USER_FAULT];
/** A write fault on a shared (shmem) page that is in swap. */
export const TRACE_SHMEM_WRITE_FAULT: readonly string[] = [...SHMEM_READ, "shmem_get_folio_gfp+0x2b7/0x640", "shmem_fault+0x7a/0x240", "__do_fault+0x33/0x130", "do_shared_fault+0x2e/0x100", ...USER_FAULT];
/** swapoff bringing a private page back. */
export const TRACE_SWAPOFF_ANON: readonly string[] = [...ANON_READ, "unuse_pte_range+0xf1/0x3b0", ...SWAPOFF];
/** swapoff bringing a shmem page back. */
export const TRACE_SWAPOFF_SHMEM: readonly string[] = [...SHMEM_READ, "shmem_unuse_inode+0x162/0x400", "shmem_unuse+0x9d/0x140", ...SWAPOFF];
