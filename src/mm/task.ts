/**
 * Tasks: spawn, fork (COW-sharing private pages and swap entries) and exit.
 *
 * linux: kernel/fork.c (dup_mmap, copy_pte_range), kernel/exit.c (exit_mmap).
 */
import { Process, PTE_RO, PTE_RW, PTE_SWAP, Vma } from "./address_space.js";
import { swpOffset, swpType } from "./swp_entry.js";
import { type MmStruct } from "./mm_struct.js";
import { pfnOf } from "./mem_map.js";
import { dropVma, vmEnoughMemory, zapVma } from "./mmap.js";

/** Creates a task running on `cpu`. */
export function spawn(mm: MmStruct, comm: string, cpu = 0, ppid = 1): Process {
  const p = new Process(mm.nextPid++, comm, cpu, ppid);
  mm.procs.set(p.pid, p);
  return p;
}

/** Live tasks. */
export function processes(mm: MmStruct): Process[] {
  return [...mm.procs.values()];
}

/**
 * fork(): the child shares MAP_SHARED objects (its page tables start empty,
 * as the kernel does not copy PTEs of shared mappings) and COW-shares the
 * private pages (both sides read-only, mapcount 2) and swap entries.
 */
export function fork(mm: MmStruct, parent: Process, comm = parent.comm): Process | number {
  const child = spawn(mm, comm, parent.cpu, parent.pid);
  for (const v of parent.as.vmas) {
    if (v.charged > 0) {
      const r = vmEnoughMemory(mm, v.charged);
      if (r < 0) {
        exit(mm, child);
        return r;
      }
      mm.committed += v.charged;
    }
    let nv: Vma;
    if (v.shared) {
      v.obj!.refs++;
      nv = new Vma(v.start, v.npages, v.prot, true, v.charged, new Uint8Array(v.npages), new Float64Array(v.npages), new Float64Array(0), v.obj, v.pgoff);
    } else {
      nv = new Vma(v.start, v.npages, v.prot, false, v.charged, v.pte.slice(), v.frame.slice(), v.swp.slice(), null, 0);
      for (let i = 0; i < v.npages; i++) {
        const s = v.pte[i]!;
        if (s === PTE_RO || s === PTE_RW) {
          mm.mapcount[pfnOf(mm, v.frame[i]!)]!++;
          v.pte[i] = PTE_RO;
          nv.pte[i] = PTE_RO;
        } else if (s === PTE_SWAP) {
          const ent = v.swp[i]!;
          mm.devices[swpType(ent)]!.map[swpOffset(ent)]!++;
        }
      }
    }
    child.as.vmas.push(nv);
  }
  child.as.mmapBase = parent.as.mmapBase;
  return child;
}

/** exit(): unmaps everything (pages and swap slots freed). */
export function exit(mm: MmStruct, p: Process): void {
  if (!p.alive) return;
  for (const v of p.as.vmas) {
    zapVma(mm, v, 0, v.npages);
    dropVma(mm, v);
  }
  p.as.vmas = [];
  p.as.last = null;
  p.alive = false;
  mm.procs.delete(p.pid);
}
