/**
 * User accessors: bytes read and written in a task's address space, faulting pages in.
 * The per-page fast path allocates nothing.
 */
import { type Process, PTE_RO, PTE_RW, PTE_ZERO } from "./address_space.js";
import { PAGE_SIZE } from "./phys_mem.js";
import { Errno } from "../lib/errno.js";
import { PG_DIRTY, type MmStruct } from "./mm_struct.js";
import { fault, findVma } from "./fault.js";
import { pfnOf } from "./mem_map.js";

/** Physical address of the page holding `addr`, faulting it in; or a negative errno. */
export function pagePa(mm: MmStruct, p: Process, addr: number, write: boolean): number {
  const v = findVma(p.as, addr);
  if (v === null) return -Errno.EFAULT;
  const i = Math.floor((addr - v.start) / PAGE_SIZE);
  let s = v.pte[i]!;
  if (s === PTE_RW || (!write && s === PTE_RO)) return v.frame[i]!;
  if (!write && s === PTE_ZERO) return 0;
  const r = fault(mm, p, v, i, write);
  if (r < 0) return r;
  s = v.pte[i]!;
  if (s === PTE_ZERO) return 0;
  if (write) mm.pflags[pfnOf(mm, v.frame[i]!)]! |= PG_DIRTY;
  return v.frame[i]!;
}

/** Reads one byte (0..255), or a negative errno (SIGSEGV/SIGBUS/OOM). */
export function readByte(mm: MmStruct, p: Process, addr: number): number {
  const pa = pagePa(mm, p, addr, false);
  if (pa <= 0) return pa;
  return mm.phys.chunkBytes(pa)[mm.phys.chunkOffset(pa) + (addr & 4095)]!;
}

/** Writes one byte; 0 or a negative errno. */
export function writeByte(mm: MmStruct, p: Process, addr: number, value: number): number {
  const pa = pagePa(mm, p, addr, true);
  if (pa < 0) return pa;
  mm.phys.chunkBytes(pa)[mm.phys.chunkOffset(pa) + (addr & 4095)] = value;
  return 0;
}

/** memset(addr, byte, len); 0 or a negative errno (bytes before the fault stay written). */
export function memset(mm: MmStruct, p: Process, addr: number, value: number, len: number): number {
  let a = addr;
  const end = addr + len;
  while (a < end) {
    const pa = pagePa(mm, p, a, true);
    if (pa < 0) return pa;
    const inPage = a & 4095;
    const n = Math.min(PAGE_SIZE - inPage, end - a);
    const o = mm.phys.chunkOffset(pa) + inPage;
    mm.phys.chunkBytes(pa).fill(value, o, o + n);
    a += n;
  }
  return 0;
}

/** Copies `data` to `addr`; 0 or a negative errno. */
export function writeBytes(mm: MmStruct, p: Process, addr: number, data: Uint8Array): number {
  let a = addr;
  let k = 0;
  while (k < data.length) {
    const pa = pagePa(mm, p, a, true);
    if (pa < 0) return pa;
    const inPage = a & 4095;
    const n = Math.min(PAGE_SIZE - inPage, data.length - k);
    mm.phys.chunkBytes(pa).set(data.subarray(k, k + n), mm.phys.chunkOffset(pa) + inPage);
    a += n;
    k += n;
  }
  return 0;
}

/** Reads `dst.length` bytes from `addr` into `dst`; 0 or a negative errno. */
export function readBytes(mm: MmStruct, p: Process, addr: number, dst: Uint8Array): number {
  let a = addr;
  let k = 0;
  while (k < dst.length) {
    const pa = pagePa(mm, p, a, false);
    if (pa < 0) return pa;
    const inPage = a & 4095;
    const n = Math.min(PAGE_SIZE - inPage, dst.length - k);
    if (pa === 0) dst.fill(0, k, k + n);
    else {
      const o = mm.phys.chunkOffset(pa) + inPage;
      dst.set(mm.phys.chunkBytes(pa).subarray(o, o + n), k);
    }
    a += n;
    k += n;
  }
  return 0;
}
