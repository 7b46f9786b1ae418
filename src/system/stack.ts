/**
 * The layers above idxd, wired into a booted machine: the crypto API with the
 * software compressors, the iaa_crypto module, virtual memory with its swap
 * device, and zswap — plus the procfs/sysfs files each of them shows.
 *
 * {@link bootStack} is what every user of a whole machine calls (CLI, tests,
 * benchmarks): it boots the hardware and idxd (machine.ts), attaches these
 * layers before the autoloaded modules load, and brings up swap as the boot
 * scripts of a distribution would (`swapon -a`).
 */
import { CryptoApi } from "../crypto/api.js";
import { registerSoftwareCompressors } from "../crypto/register_software.js";
import { IaaCryptoModule } from "../driver/iaa_crypto/main.js";
import type { IaaHost, IdxdOps } from "../driver/iaa_crypto/host.js";
import type { KnDir } from "../kernfs/node.js";
import { Errno } from "../lib/errno.js";
import { LogLevel } from "../lib/printk.js";
import { Mm } from "../mm/mm.js";
import { Zswap, type ZswapOptions } from "../zswap/zswap.js";
import { ZPOOL_TYPES } from "../zswap/zpool_create.js";
import { createFaultFiles } from "./fault_inject.js";
import { bootMachine, type Machine } from "./machine.js";
import { addNodeMeminfo } from "./node_meminfo.js";
import type { MachineConfigInput } from "./machine_config.js";
import { cmdlineParam } from "./machine_config.js";

/** The swap partition every preset has, and its fstab line. */
export const SWAP_DEVICE = "/dev/nvme0n1p3";
const SWAP_BYTES = 16 * 1024 ** 3;
/** The `disk` group of Debian's base /etc/group, which owns block devices. */
const GID_DISK = 6;

/** Wall-clock time of virtual t=0 (the machine's boot), ms since the epoch. */
export const BOOT_EPOCH_MS = Date.UTC(2026, 2, 3, 7, 50, 0);

/** Virtual time from module autoload to `swapon -a`, and from there to the login prompt. */
const SWAPON_DELAY_NS = 1_204_551_387;
const LOGIN_DELAY_NS = 7_512_880_901;

/** A booted machine with every layer attached. */
export interface Stack {
  machine: Machine;
  crypto: CryptoApi;
  mm: Mm;
  zswap: Zswap;
  /** The iaa_crypto module object while it is loaded. */
  iaa(): IaaCryptoModule | null;
}

/**
 * Boots a whole machine.
 *
 * @example
 * const s = bootStack("tiny");
 * s.machine.modules.modprobe("iaa_crypto");
 * s.machine.vfs.readText("/sys/bus/dsa/devices/iax1/wq1.0/state"); // "enabled\n"
 */
export function bootStack(input: string | MachineConfigInput = {}): Stack {
  let stack: Stack | undefined;
  const machine = bootMachine(input, (m) => {
    stack = attachLayers(m);
  });
  if (stack === undefined) throw new Error("bootStack: layers were not attached");
  machine.ctx.clock.advance(SWAPON_DELAY_NS);
  swaponAtBoot(stack);
  machine.ctx.clock.advance(LOGIN_DELAY_NS);
  return stack;
}

function kconfigOn(m: Machine, opt: string): boolean {
  const v = m.config.kconfig[opt];
  return v === "y" || v === "m";
}

function attachLayers(m: Machine): Stack {
  const { ctx, mem, fs } = m;
  // ---- crypto API ----
  const crypto = new CryptoApi({ mem, ctx });
  registerSoftwareCompressors(crypto);
  fs.proc.attr("crypto", 0o444, () => crypto.procCrypto());

  // ---- iaa_crypto (a module: modprobe iaa_crypto) ----
  let iaa: IaaCryptoModule | null = null;
  if (kconfigOn(m, "CONFIG_CRYPTO_DEV_IAA_CRYPTO")) {
    m.modules.define({
      name: "iaa_crypto",
      deps: ["idxd_bus", "idxd"],
      size: 69632,
      init: () => {
        if (m.idxd === null) return -Errno.ENODEV;
        const host: IaaHost = {
          ctx,
          mem,
          idxd: m.idxd as unknown as IdxdOps,
          crypto,
          module: m.modules.handle("iaa_crypto"),
          debugfs: fs.debug,
          statsEnabled: m.config.kconfig["CONFIG_CRYPTO_DEV_IAA_CRYPTO_STATS"] === "y",
        };
        const mod = new IaaCryptoModule(host);
        const rc = mod.init();
        if (rc === 0) iaa = mod;
        return rc;
      },
      exit: () => {
        iaa?.exit();
        iaa = null;
      },
    });
  }

  // ---- virtual memory and swap ----
  const mm = new Mm(ctx, mem, { thp: "always", kernelPages: Math.floor(m.config.memBytes / 4096 / 50) });
  for (const k of mm.knobs()) {
    const parts = k.path.split("/").filter((p) => p !== "");
    const rootName = parts.shift();
    const name = parts.pop()!;
    const root: KnDir = rootName === "proc" ? fs.proc : fs.sys;
    root.mkdirp(parts.join("/")).attr(name, k.mode, () => k.show(), (buf) => k.store(buf));
  }
  fs.proc.attr("meminfo", 0o444, () => mm.meminfo());
  addNodeMeminfo(fs.sys, mm, m.topo);
  fs.proc.attr("vmstat", 0o444, () => mm.vmstat());
  fs.proc.attr("swaps", 0o444, () => mm.procSwaps());
  mm.addSwapArea({ path: SWAP_DEVICE, kind: "partition", bytes: SWAP_BYTES, signature: true, ssd: true });
  // the NVMe namespace's third partition: nvme block devices take BLOCK_EXT_MAJOR (259) with minors in probe
  // order (nvme0n1 259:0, then its partitions 1, 2, 3); udev's 50-udev-default.rules make disks 0660 root:disk
  fs.dev.device(SWAP_DEVICE.slice("/dev/".length), "blk", 0o660, 259, 3, () => -Errno.EACCES, () => -Errno.EACCES, GID_DISK);
  m.vfs.writeFile("/etc/fstab", `# <file system> <mount point> <type> <options> <dump> <pass>\n/dev/nvme0n1p2 / ext4 errors=remount-ro 0 1\n${SWAP_DEVICE} none swap sw 0 0\n`);

  // ---- zswap (built in: CONFIG_ZSWAP=y) ----
  const params = fs.sys.mkdirp("module/zswap/parameters");
  const zopts: ZswapOptions = {};
  const c = m.config.cmdline;
  const p = (k: string): string | undefined => cmdlineParam(c, `zswap.${k}`);
  if (p("enabled") !== undefined) zopts.enabled = ["1", "y", "Y"].includes(p("enabled")!);
  if (p("compressor") !== undefined) zopts.compressor = p("compressor");
  if (p("zpool") !== undefined) zopts.zpool = p("zpool");
  if (p("max_pool_percent") !== undefined) zopts.maxPoolPercent = Number(p("max_pool_percent"));
  // zpool_has_pool(): only the allocators this kernel's .config builds (as /proc/config.gz shows)
  const built = (t: string): boolean => ["y", "m"].includes(m.config.kconfig[`CONFIG_${t.toUpperCase()}`] ?? "n");
  zopts.zpools = ZPOOL_TYPES.filter(built);
  const zswap = new Zswap(ctx, mm, crypto, params, fs.debug, zopts);
  zswap.init();

  // user-space fault injection into the accelerators (what-if runs)
  const names = new Map<number, string>();
  let id = 0;
  for (const fn of m.pci) names.set(id, `${fn.device === 0x0cfe ? "iax" : "dsa"}${id++}`);
  createFaultFiles(fs.debug, m.pci.map((fn, i) => ({ name: names.get(i)!, hw: fn.hw })));

  // every sysctl is registered by now: /proc/sys lists them in name order
  fs.proc.dir("sys").sortChildren();

  const stack: Stack = { machine: m, crypto, mm, zswap, iaa: () => iaa };
  m.layers["stack"] = stack;
  return stack;
}

function swaponAtBoot(s: Stack): void {
  const { mm, machine } = s;
  if (!kconfigOn(machine, "CONFIG_SWAP")) return;
  const { results } = mm.swaponFstab(machine.vfs.readText("/etc/fstab"));
  for (const r of results) {
    if (r.ret < 0) machine.ctx.log.printk(LogLevel.ERR, `swapon: ${r.spec}: swapon failed: error ${r.ret}`);
  }
}
