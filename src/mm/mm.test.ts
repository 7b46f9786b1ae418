import { test } from "node:test";
import assert from "node:assert/strict";
import { VirtualClock } from "../lib/clock.js";
import type { KernelContext } from "../lib/context.js";
import { DynamicDebug } from "../lib/dyndbg.js";
import { Errno } from "../lib/errno.js";
import { Printk } from "../lib/printk.js";
import { makeTopology } from "../lib/topology.js";
import { MADV_DONTNEED, MADV_PAGEOUT, MAP_ANONYMOUS, MAP_PRIVATE, MAP_SHARED, PROT_READ, PROT_WRITE } from "./address_space.js";
import { Mm } from "./mm.js";
import { PAGE_SIZE, PhysMem } from "./phys_mem.js";
import { SWAP_BACKEND_MISS, type SwapBackendOps } from "./swap_backend.js";

const RW = PROT_READ | PROT_WRITE;
const SHARED = MAP_SHARED | MAP_ANONYMOUS;
const PRIVATE = MAP_PRIVATE | MAP_ANONYMOUS;

function machine(ramBytes = 64 << 20, swapBytes = 16 << 20) {
  const clock = new VirtualClock();
  const ctx: KernelContext = { clock, log: new Printk(clock), dyndbg: new DynamicDebug(), topo: makeTopology(1, 8, 1, ramBytes), cpu: 0 };
  const phys = new PhysMem(ramBytes);
  const mm = new Mm(ctx, phys, { thp: "never" });
  mm.addSwapArea({ path: "/dev/vdb", kind: "partition", bytes: swapBytes, signature: true, ssd: true });
  mm.addSwapArea({ path: "/swapfile", kind: "file", bytes: 8 << 20, signature: true, ssd: false });
  mm.addSwapArea({ path: "/dev/vdc", kind: "partition", bytes: 8 << 20, signature: false, ssd: true });
  return { ctx, phys, mm };
}

/** A backend that keeps page copies, records calls and the CPU of each store. */
function fakeBackend(phys: PhysMem, accept: (n: number) => boolean = () => true) {
  const data = new Map<string, Uint8Array>();
  const calls: string[] = [];
  let n = 0;
  const ops: SwapBackendOps = {
    store(type, off, pa) {
      calls.push(`store ${type}:${off}`);
      if (!accept(n++)) return false;
      data.set(`${type}:${off}`, phys.view(pa, PAGE_SIZE).slice());
      return true;
    },
    load(type, off, pa, exclusive) {
      const d = data.get(`${type}:${off}`);
      calls.push(`load ${type}:${off}${exclusive ? " x" : ""}`);
      if (d === undefined) return SWAP_BACKEND_MISS;
      phys.view(pa, PAGE_SIZE).set(d);
      if (exclusive) data.delete(`${type}:${off}`);
      return 0;
    },
    invalidate(type, off) {
      calls.push(`invalidate ${type}:${off}`);
      data.delete(`${type}:${off}`);
    },
    swapon: (type) => (calls.push(`swapon ${type}`), 0),
    swapoff: (type) => void calls.push(`swapoff ${type}`),
  };
  return { ops, data, calls };
}

test("mmap() faults lazily: zero page on read, a frame on write", () => {
  const { mm } = machine();
  const p = mm.spawn("t");
  const a = mm.mmap(p, 0, 4 * PAGE_SIZE, RW, PRIVATE);
  assert.ok(a > 0);
  assert.equal(mm.readByte(p, a + 5), 0);
  assert.equal(mm.anonPages, 0, "a read maps the zero page");
  assert.equal(mm.writeByte(p, a + PAGE_SIZE, 7), 0);
  assert.equal(mm.anonPages, 1);
  assert.equal(mm.readByte(p, a + PAGE_SIZE), 7);
  assert.equal(mm.readByte(p, a + 4 * PAGE_SIZE + PAGE_SIZE), -Errno.EFAULT, "past the mapping: SIGSEGV");
  assert.equal(mm.mmap(p, 0, 0, RW, PRIVATE), -Errno.EINVAL);
  assert.equal(mm.mmap(p, 0, PAGE_SIZE, RW, MAP_ANONYMOUS), -Errno.EINVAL);
  const ro = mm.mmap(p, 0, PAGE_SIZE, PROT_READ, PRIVATE);
  assert.equal(mm.writeByte(p, ro, 1), -Errno.EFAULT);
});

test("madvise(MADV_PAGEOUT) needs an active swap device and keeps the data", () => {
  const { mm, phys } = machine();
  const p = mm.spawn("t");
  const n = 8;
  const a = mm.mmap(p, 0, n * PAGE_SIZE, RW, SHARED);
  mm.memset(p, a, 0x2a, n * PAGE_SIZE);
  assert.equal(mm.madvise(p, a, n * PAGE_SIZE, MADV_PAGEOUT), 0, "returns 0 even with nothing reclaimed");
  assert.equal(mm.shmemPages, n, "no swap: pages stay");
  assert.equal(mm.events.pswpout, 0);
  assert.equal(mm.swapon("/dev/vdb"), 0);
  const before = phys.allocatedFrames;
  assert.equal(mm.madvise(p, a, n * PAGE_SIZE, MADV_PAGEOUT), 0);
  assert.equal(phys.allocatedFrames, before - n);
  assert.equal(mm.events.pswpout, n);
  assert.equal(mm.events.pgpgout, n * 4);
  assert.match(mm.procSwaps(), /\/dev\/vdb {32}partition\t16380\t\t32\t\t-2\n/);
  for (let i = 0; i < n; i++) assert.equal(mm.readByte(p, a + i * PAGE_SIZE + 100), 0x2a);
  assert.equal(mm.events.pswpin, n);
  assert.equal(mm.events.pgmajfault, n);
  assert.match(mm.procSwaps(), /\t0\t\t-2\n/, "shmem frees its slots on swap-in");
});

test("MADV_PAGEOUT skips the zero page, untouched pages and pages shared after fork", () => {
  const { mm } = machine();
  mm.swapon("/dev/vdb");
  const p = mm.spawn("parent");
  const a = mm.mmap(p, 0, 4 * PAGE_SIZE, RW, PRIVATE);
  mm.readByte(p, a); // zero page
  mm.writeByte(p, a + PAGE_SIZE, 1); // will be COW-shared
  mm.writeByte(p, a + 2 * PAGE_SIZE, 2); // exclusive after the child's COW
  const child = mm.fork(p);
  assert.ok(typeof child !== "number");
  assert.equal(mm.writeByte(child, a + 2 * PAGE_SIZE, 3), 0, "child COW-copies page 2");
  mm.madvise(p, a, 4 * PAGE_SIZE, MADV_PAGEOUT);
  assert.equal(mm.events.pswpout, 1, "only the exclusive page 2 went out");
  assert.equal(mm.readByte(p, a + 2 * PAGE_SIZE), 2);
  assert.equal(mm.readByte(child, a + 2 * PAGE_SIZE), 3);
  assert.equal(mm.readByte(child, a + PAGE_SIZE), 1);
  mm.exit(child);
  mm.madvise(p, a, 4 * PAGE_SIZE, MADV_PAGEOUT);
  assert.equal(mm.events.pswpout, 2, "page 1 is exclusive again; page 2 is clean in the swap cache");
});

test("MADV_PAGEOUT on MAP_SHARED skips pages the forked child also mapped", () => {
  const { mm } = machine();
  mm.swapon("/dev/vdb");
  const p = mm.spawn("parent");
  const a = mm.mmap(p, 0, 2 * PAGE_SIZE, RW, SHARED);
  mm.memset(p, a, 9, 2 * PAGE_SIZE);
  const c = mm.fork(p);
  assert.ok(typeof c !== "number");
  assert.equal(mm.readByte(c, a), 9, "the child maps page 0 by touching it");
  mm.madvise(p, a, 2 * PAGE_SIZE, MADV_PAGEOUT);
  assert.equal(mm.events.pswpout, 1);
  assert.equal(mm.readByte(c, a + PAGE_SIZE), 9, "the child sees the page swapped back in");
});

test("swappiness does not change what MADV_PAGEOUT reclaims", () => {
  for (const sw of ["0", "200"]) {
    const { mm } = machine();
    mm.swapon("/dev/vdb");
    const k = mm.knobs().find((x) => x.path.endsWith("swappiness"))!;
    assert.equal(k.store(sw + "\n"), 0);
    const p = mm.spawn("t");
    const a = mm.mmap(p, 0, 10 * PAGE_SIZE, RW, PRIVATE);
    mm.memset(p, a, 1, 10 * PAGE_SIZE);
    mm.madvise(p, a, 10 * PAGE_SIZE, MADV_PAGEOUT);
    assert.equal(mm.events.pswpout, 10);
  }
});

test("madvise() runs the reclaim on the caller's CPU and the backend sees every page", () => {
  const { mm, phys, ctx } = machine();
  const be = fakeBackend(phys);
  const cpus: number[] = [];
  const store = be.ops.store;
  be.ops.store = (t, o, pa) => (cpus.push(ctx.cpu), store(t, o, pa));
  mm.registerSwapBackend(be.ops, { poolPages: () => 0, storedPages: () => be.data.size });
  mm.swapon("/dev/vdb");
  const p = mm.spawn("t", 5);
  const a = mm.mmap(p, 0, 3 * PAGE_SIZE, RW, PRIVATE);
  mm.memset(p, a, 0x41, 3 * PAGE_SIZE);
  mm.madvise(p, a, 3 * PAGE_SIZE, MADV_PAGEOUT);
  assert.deepEqual(cpus, [5, 5, 5]);
  assert.equal(ctx.cpu, 0, "restored after the call");
  assert.equal(mm.events.pswpout, 0, "the backend took them all");
  assert.equal(mm.readByte(p, a), 0x41);
  assert.ok(be.calls.includes("load 0:1 x"), "a swap-in is an exclusive load into the swap cache");
  assert.match(mm.meminfo(), /SwapCached: {12}4 kB/, "a read fault keeps the page in the swap cache");
  assert.equal(mm.writeByte(p, a, 0x42), 0);
  assert.match(mm.meminfo(), /SwapCached: {12}0 kB/, "a write frees the slot");
  assert.ok(be.calls.includes("invalidate 0:1"));
  mm.exit(p);
  assert.equal(mm.freeSwapPages(), mm.totalSwapPages(), "exit frees every slot");
});

test("zero-filled pages go to the zeromap, not to the backend or the device", () => {
  const { mm, phys } = machine();
  const be = fakeBackend(phys);
  mm.registerSwapBackend(be.ops, { poolPages: () => 0, storedPages: () => 0 });
  mm.swapon("/dev/vdb");
  const p = mm.spawn("t");
  const a = mm.mmap(p, 0, 2 * PAGE_SIZE, RW, SHARED);
  mm.memset(p, a, 0, 2 * PAGE_SIZE);
  mm.writeByte(p, a + PAGE_SIZE + 4095, 1);
  mm.madvise(p, a, 2 * PAGE_SIZE, MADV_PAGEOUT);
  assert.deepEqual(be.calls.filter((c) => c.startsWith("store")), ["store 0:2"]);
  assert.equal(mm.readByte(p, a + 17), 0);
  assert.equal(mm.readByte(p, a + PAGE_SIZE + 4095), 1);
  assert.equal(mm.events.pswpin + mm.events.pswpout, 0);
});

test("rejected stores go to the device and come back intact", () => {
  const { mm, phys } = machine();
  const be = fakeBackend(phys, (n) => n % 2 === 0);
  mm.registerSwapBackend(be.ops, { poolPages: () => 0, storedPages: () => 0 });
  mm.swapon("/dev/vdb");
  const p = mm.spawn("t");
  const a = mm.mmap(p, 0, 6 * PAGE_SIZE, RW, PRIVATE);
  for (let i = 0; i < 6; i++) mm.memset(p, a + i * PAGE_SIZE, 0x30 + i, PAGE_SIZE);
  mm.madvise(p, a, 6 * PAGE_SIZE, MADV_PAGEOUT);
  assert.equal(mm.events.pswpout, 3);
  for (let i = 0; i < 6; i++) assert.equal(mm.readByte(p, a + i * PAGE_SIZE + 9), 0x30 + i);
  assert.equal(mm.events.pswpin, 3);
});

test("swapon() and swapoff() return the kernel's errors", () => {
  const { mm, ctx } = machine();
  assert.equal(mm.swapon("/nope"), -Errno.ENOENT);
  assert.equal(mm.swapon("/dev/vdc"), -Errno.EINVAL);
  assert.equal(ctx.log.records.at(-1)!.text, "Unable to find swap-space signature");
  assert.equal(mm.swapon("/dev/vdb"), 0);
  assert.equal(ctx.log.records.at(-1)!.text, "Adding 16380k swap on /dev/vdb.  Priority:-2 extents:1 across:16380k SS");
  assert.equal(mm.swapon("/dev/vdb"), -Errno.EBUSY);
  assert.equal(mm.swapon("/swapfile", 5), 0);
  assert.equal(
    mm.procSwaps(),
    "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n" +
      "/dev/vdb                                partition\t16380\t\t0\t\t-2\n" +
      "/swapfile                               file\t\t8188\t\t0\t\t5\n",
  );
  assert.equal(mm.swapoff("/nope"), -Errno.ENOENT);
  assert.equal(mm.swapoff("/dev/vdc"), -Errno.EINVAL);
  assert.equal(mm.swapoffAll(), 0);
  assert.equal(mm.procSwaps(), "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
  assert.equal(mm.swapon("/dev/vdb"), 0);
  assert.match(mm.procSwaps(), /-2\n$/, "default priorities are handed back on swapoff");
});

test("higher-priority swap devices fill first", () => {
  const { mm } = machine();
  mm.swapon("/dev/vdb");
  mm.swapon("/swapfile", 10);
  const p = mm.spawn("t");
  const a = mm.mmap(p, 0, 4 * PAGE_SIZE, RW, PRIVATE);
  mm.memset(p, a, 3, 4 * PAGE_SIZE);
  mm.madvise(p, a, 4 * PAGE_SIZE, MADV_PAGEOUT);
  const [vdb, file] = mm.activeSwaps();
  assert.equal(vdb!.inuse, 0);
  assert.equal(file!.inuse, 4);
});

test("swapoff() brings every page back, or refuses with ENOMEM when RAM cannot hold them", () => {
  const { mm, phys } = machine(8 << 20, 16 << 20);
  mm.swapon("/dev/vdb");
  const p = mm.spawn("t");
  const n = 1000; // about 4 MiB
  const a = mm.mmap(p, 0, n * PAGE_SIZE, RW, PRIVATE);
  for (let i = 0; i < n; i++) mm.memset(p, a + i * PAGE_SIZE, i & 0xff, PAGE_SIZE);
  mm.madvise(p, a, n * PAGE_SIZE, MADV_PAGEOUT);
  const b = mm.mmap(p, 0, 1500 * PAGE_SIZE, RW, PRIVATE);
  mm.memset(p, b, 1, 1500 * PAGE_SIZE); // fill RAM so the swapped pages no longer fit
  const used = mm.activeSwaps()[0]!.inuse;
  assert.equal(mm.swapoff("/dev/vdb"), -Errno.ENOMEM);
  assert.equal(mm.activeSwaps()[0]!.inuse, used, "nothing changed");
  mm.munmap(p, b, 1500 * PAGE_SIZE);
  const frames = phys.allocatedFrames;
  assert.equal(mm.swapoff("/dev/vdb"), 0);
  assert.equal(phys.allocatedFrames, frames + n);
  assert.equal(mm.totalSwapPages(), 0);
  for (let i = 0; i < n; i += 97) assert.equal(mm.readByte(p, a + i * PAGE_SIZE + 1), i & 0xff);
});

test("munmap() and MADV_DONTNEED free pages and swap slots", () => {
  const { mm, phys } = machine();
  mm.swapon("/dev/vdb");
  const p = mm.spawn("t");
  const base = phys.allocatedFrames;
  const a = mm.mmap(p, 0, 8 * PAGE_SIZE, RW, PRIVATE);
  mm.memset(p, a, 5, 8 * PAGE_SIZE);
  mm.madvise(p, a, 4 * PAGE_SIZE, MADV_PAGEOUT);
  assert.equal(mm.activeSwaps()[0]!.inuse, 4);
  assert.equal(mm.munmap(p, a + PAGE_SIZE, 2 * PAGE_SIZE), 0);
  assert.equal(mm.activeSwaps()[0]!.inuse, 2);
  assert.equal(mm.readByte(p, a + PAGE_SIZE), -Errno.EFAULT);
  assert.equal(mm.readByte(p, a + 3 * PAGE_SIZE), 5);
  assert.equal(mm.madvise(p, a + 4 * PAGE_SIZE, 4 * PAGE_SIZE, MADV_DONTNEED), 0);
  assert.equal(mm.readByte(p, a + 5 * PAGE_SIZE), 0, "DONTNEED on private memory: zero on next read");
  mm.exit(p);
  assert.equal(phys.allocatedFrames, base);
  assert.equal(mm.activeSwaps()[0]!.inuse, 0);
  assert.equal(mm.committed, 0);
});

test("overcommit_memory decides whether a large mmap succeeds", () => {
  const { mm } = machine(64 << 20, 16 << 20);
  const k = mm.knobs().find((x) => x.path === "/proc/sys/vm/overcommit_memory")!;
  const p = mm.spawn("t");
  const huge = 200 << 20;
  assert.equal(mm.mmap(p, 0, huge, RW, PRIVATE), -Errno.ENOMEM, "heuristic: beyond RAM + swap");
  assert.equal(k.store("1\n"), 0);
  assert.ok(mm.mmap(p, 0, huge, RW, PRIVATE) > 0);
  assert.equal(k.store("2\n"), 0);
  assert.equal(mm.mmap(p, 0, 40 << 20, RW, PRIVATE), -Errno.ENOMEM, "strict: over CommitLimit");
  assert.equal(k.store("3\n"), -Errno.EINVAL);
  assert.equal(k.show(), "2\n");
});

test("knobs() show and store like procfs and sysfs", () => {
  const { mm } = machine();
  const k = (p: string) => mm.knobs().find((x) => x.path === p)!;
  assert.equal(k("/proc/sys/vm/swappiness").show(), "60\n");
  assert.equal(k("/proc/sys/vm/swappiness").store("100\n"), 0);
  assert.equal(k("/proc/sys/vm/swappiness").store("201\n"), -Errno.EINVAL);
  assert.equal(k("/proc/sys/vm/swappiness").show(), "100\n");
  assert.equal(k("/proc/sys/vm/page-cluster").show(), "3\n");
  assert.equal(k("/proc/sys/vm/page-cluster").store("32"), -Errno.EINVAL);
  const thp = k("/sys/kernel/mm/transparent_hugepage/enabled");
  assert.equal(thp.show(), "always madvise [never]\n");
  assert.equal(thp.store("madvise\n"), 0);
  assert.equal(thp.show(), "always [madvise] never\n");
  assert.equal(thp.store("sometimes\n"), -Errno.EINVAL);
  assert.equal(thp.show(), "always [madvise] never\n");
});

test("meminfo() follows the 6.12 layout and tracks anon, shmem and swap", () => {
  const { mm } = machine();
  mm.swapon("/dev/vdb");
  const p = mm.spawn("t");
  const a = mm.mmap(p, 0, 10 * PAGE_SIZE, RW, PRIVATE);
  const s = mm.mmap(p, 0, 5 * PAGE_SIZE, RW, SHARED);
  mm.memset(p, a, 1, 10 * PAGE_SIZE);
  mm.memset(p, s, 1, 5 * PAGE_SIZE);
  mm.madvise(p, a, 2 * PAGE_SIZE, MADV_PAGEOUT);
  const mi = mm.meminfo();
  const labels = mi.split("\n").filter(Boolean).map((l) => l.split(":")[0]);
  assert.deepEqual(labels.slice(0, 24), ["MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapCached", "Active", "Inactive", "Active(anon)", "Inactive(anon)", "Active(file)", "Inactive(file)", "Unevictable", "Mlocked", "SwapTotal", "SwapFree", "Zswap", "Zswapped", "Dirty", "Writeback", "AnonPages", "Mapped", "Shmem", "KReclaimable"]);
  assert.match(mi, /^MemTotal:          65536 kB$/m);
  assert.match(mi, /^AnonPages:            32 kB$/m);
  assert.match(mi, /^Shmem:                20 kB$/m);
  assert.match(mi, /^Cached:               20 kB$/m);
  assert.match(mi, /^SwapFree:          16372 kB$/m);
  assert.match(mi, /^Committed_AS:         60 kB$/m);
  assert.match(mi, /^HugePages_Total:       0$/m);
  assert.match(mm.vmstat(), /^pswpout 2$/m);
});

test("saveState()/loadState() keep sysctls, counters and active swaps", () => {
  const a = machine();
  a.mm.swapon("/dev/vdb");
  a.mm.knobs()[0]!.store("100");
  a.mm.events.zswpout = 7;
  const s = JSON.parse(JSON.stringify(a.mm.saveState()));
  const b = machine();
  b.mm.loadState(s);
  assert.equal(b.mm.swappiness, 100);
  assert.equal(b.mm.events.zswpout, 7);
  assert.equal(b.mm.procSwaps(), a.mm.procSwaps());
  assert.equal(b.mm.swapon("/swapfile"), 0);
  assert.match(b.mm.procSwaps(), /-3\n$/);
});

test("swaponFstab() activates the fstab's swap entries once, with their priorities", () => {
  const { mm } = machine();
  const fstab = "/dev/vdb none swap sw,pri=3 0 0\n/swapfile none swap noauto 0 0\n/dev/vdc none swap sw 0 0\n";
  const r = mm.swaponFstab(fstab);
  assert.deepEqual(r.results, [
    { spec: "/dev/vdb", ret: 0 },
    { spec: "/dev/vdc", ret: -Errno.EINVAL },
  ]);
  assert.match(mm.procSwaps(), /\t3\n$/);
  assert.deepEqual(mm.swaponFstab(fstab).results, [{ spec: "/dev/vdc", ret: -Errno.EINVAL }], "active ones are skipped");
});
