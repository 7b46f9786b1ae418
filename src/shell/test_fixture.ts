/**
 * Test fixture: a small machine image (tmpfs root, a sysfs subtree whose
 * attributes refuse writes like the kernel, procfs, debugfs) and a shell over it.
 */
import { gzipSync } from "node:zlib";
import { Errno } from "../lib/errno.js";
import { KnDir, KnFile } from "../kernfs/node.js";
import { Vfs } from "../kernfs/vfs.js";
import { SHELL_BINARIES, fileCommands } from "./commands/mod.js";
import { installBinaries } from "./install_binaries.js";
import { RecordingSinks } from "./io.js";
import { Shell, type ShellOptions } from "./shell.js";
import type { Command } from "./types.js";

export interface Fixture {
  vfs: Vfs;
  root: KnDir;
  sinks: RecordingSinks;
  shell: Shell;
  /** argv of every fake machine command, in call order. */
  calls: string[][];
  /** Stores that reached kernfs attributes: [path, buffer]. */
  stores: [string, string][];
  /** Virtual seconds slept. */
  slept: number[];
  wq: Map<string, { state: string; size: number }>;
}

const enc = new TextEncoder();

/** Builds the fixture; `opts` override shell options (limits, hooks…). */
export function makeFixture(opts: Partial<ShellOptions> = {}): Fixture {
  const root = new KnDir("tmpfs");
  for (const d of ["root", "tmp", "usr/bin", "bin", "etc"]) root.mkdirp(d);
  const stores: [string, string][] = [];
  const calls: string[][] = [];
  const slept: number[] = [];
  const wq = new Map<string, { state: string; size: number }>();

  const sys = root.add("sys", new KnDir("sysfs"));
  // /sys/bus/dsa: two IAA devices with one WQ each
  const dsa = sys.mkdirp("bus/dsa/devices");
  for (const n of [1, 3]) {
    const dev = dsa.dir(`iax${n}`);
    const w = { state: "enabled", size: 128 };
    wq.set(`iax${n}/wq${n}.0`, w);
    dev.attr("state", 0o444, () => "enabled\n");
    const q = dev.dir(`wq${n}.0`);
    const path = `/sys/bus/dsa/devices/iax${n}/wq${n}.0`;
    q.attr("state", 0o444, () => w.state + "\n");
    q.attr("size", 0o644, () => `${w.size}\n`, (buf) => {
      stores.push([`${path}/size`, buf]);
      if (w.state === "enabled") return -Errno.EPERM;
      const v = Number(buf.trim());
      if (!/^\s*\d+\s*$/.test(buf) || v > 128) return -Errno.EINVAL;
      w.size = v;
      return 0;
    });
  }
  // /sys/bus/pci/devices: two IAA functions and one other device
  const pci = sys.mkdirp("bus/pci/devices");
  const pciDev = (addr: string, vendor: string, device: string, cls: string, rev: string, driver: string | null): void => {
    const d = sys.mkdirp(`devices/pci0000:${addr.slice(5, 7)}/${addr}`);
    d.attr("vendor", 0o444, () => vendor + "\n");
    d.attr("device", 0o444, () => device + "\n");
    d.attr("class", 0o444, () => cls + "\n");
    d.attr("revision", 0o444, () => rev + "\n");
    if (driver !== null) d.link("driver", `../../../bus/pci/drivers/${driver}`);
    pci.link(addr, `../../../devices/pci0000:${addr.slice(5, 7)}/${addr}`);
  };
  pciDev("0000:00:00.0", "0x8086", "0x09a2", "0x088000", "0x04", null);
  pciDev("0000:6a:02.0", "0x8086", "0x0cfe", "0x088000", "0x00", "idxd");
  pciDev("0000:e7:02.0", "0x8086", "0x0cfe", "0x088000", "0x00", "idxd");
  sys.mkdirp("devices/system/cpu").attr("online", 0o444, () => "0-159\n");
  // zswap parameters
  const params = sys.mkdirp("module/zswap/parameters");
  const zs: Record<string, string> = { enabled: "N", max_pool_percent: "20", compressor: "lzo", zpool: "zsmalloc", accept_threshold_percent: "90" };
  for (const k of Object.keys(zs)) {
    params.attr(k, 0o644, () => zs[k] + "\n", (buf) => {
      stores.push([`/sys/module/zswap/parameters/${k}`, buf]);
      const v = buf.trim();
      if (k === "compressor" && !["lzo", "deflate-iaa", "zstd"].includes(v)) return -Errno.EINVAL;
      zs[k] = k === "enabled" ? (v === "1" ? "Y" : "N") : v;
      return 0;
    });
  }
  const thp = sys.mkdirp("kernel/mm/transparent_hugepage");
  let thpMode = "always";
  thp.attr("enabled", 0o644, () => (thpMode === "never" ? "always madvise [never]\n" : "[always] madvise never\n"), (b) => {
    stores.push(["/sys/kernel/mm/transparent_hugepage/enabled", b]);
    thpMode = b.trim();
    return 0;
  });
  const dbg = sys.mkdirp("kernel").add("debug", new KnDir("debugfs"));
  dbg.mkdirp("dynamic_debug").attr("control", 0o644, () => "# filename:lineno [module]function flags format\n", (b) => {
    stores.push(["/sys/kernel/debug/dynamic_debug/control", b]);
    return 0;
  });

  const proc = root.add("proc", new KnDir("proc"));
  const vm: Record<string, string> = { swappiness: "60", overcommit_memory: "0" };
  const pvm = proc.mkdirp("sys/vm");
  for (const k of Object.keys(vm)) {
    pvm.attr(k, 0o644, () => vm[k] + "\n", (b) => {
      stores.push([`/proc/sys/vm/${k}`, b]);
      vm[k] = b.trim();
      return 0;
    });
  }
  proc.attr("meminfo", 0o444, () =>
    "MemTotal:       24684092 kB\nMemFree:        24291876 kB\nMemAvailable:   24263136 kB\nBuffers:            4100 kB\nCached:           169028 kB\nSwapCached:            0 kB\nSwapTotal:       4194300 kB\nSwapFree:        4194300 kB\nShmem:              8856 kB\nSReclaimable:      23312 kB\n");
  proc.attr("config.gz", 0o444, () => new Uint8Array(gzipSync(enc.encode("CONFIG_ZSWAP=y\nCONFIG_CRYPTO_DEV_IAA_CRYPTO=m\nCONFIG_INTEL_IDXD=m\n# CONFIG_CRYPTO_DEV_IAA_CRYPTO_STATS is not set\n"))));

  const vfs = new Vfs(root);
  const sinks = new RecordingSinks();
  const recorder = (name: string): Command => (ctx) => {
    calls.push([name, ...ctx.argv.slice(1)]);
    if (name === "accel-config" && ctx.argv[1] === "disable-wq") {
      const w = wq.get(ctx.argv[2]!);
      if (w !== undefined) w.state = "disabled";
      ctx.stderr.write("disabled 1 wq(s) out of 1\n");
    }
    if (name === "accel-config" && ctx.argv[1] === "enable-wq") {
      const w = wq.get(ctx.argv[2]!);
      if (w !== undefined) w.state = "enabled";
      ctx.stderr.write("enabled 1 wq(s) out of 1\n");
    }
    return 0;
  };
  const memoryMadvise: Command = (ctx) => {
    const n = ctx.argv[1] === undefined ? 1 : Number.parseInt(ctx.argv[1], 10) || 0;
    ctx.stdout.write(`分配 ${n} 页以进行交换\n`);
    ctx.stdout.write(`正在交换出 ${n} 页\n`);
    ctx.hooks.sleep(5);
    ctx.stdout.write(`正在交换入 ${n} 页\n`);
    ctx.stdout.write(`已交换出和交换入 ${n} 页\n`);
    return 0;
  };
  const commands: Record<string, Command> = {
    ...fileCommands,
    "accel-config": recorder("accel-config"),
    modprobe: recorder("modprobe"),
    rmmod: recorder("rmmod"),
    swapon: recorder("swapon"),
    swapoff: recorder("swapoff"),
    memory_madvise: memoryMadvise,
  };
  installBinaries(vfs, [...Object.keys(commands), ...SHELL_BINARIES]);
  installBinaries(vfs, ["memory_madvise"], "/root");
  let clock = 0;
  const shell = new Shell({
    vfs,
    commands,
    stdout: sinks.stdout,
    stderr: sinks.stderr,
    hooks: {
      sleep: (s) => {
        slept.push(s);
        clock += Math.round(s * 1e9);
      },
      now: () => clock,
    },
    ...opts,
  });
  return { vfs, root, sinks, shell, calls, stores, slept, wq };
}

/** Adds a tmpfs file. */
export function putFile(fx: Fixture, path: string, content: string, mode = 0o644): void {
  fx.vfs.writeFile(path, content);
  fx.vfs.chmod(path, mode);
  void KnFile;
}

/** Runs a -c string on a fresh fixture; returns out, err and status. */
export function runC(text: string, opts: Partial<ShellOptions> = {}): { out: string; err: string; status: number; fx: Fixture } {
  const fx = makeFixture(opts);
  const status = fx.shell.runString(text);
  return { out: fx.sinks.out(), err: fx.sinks.err(), status, fx };
}
