/** Requests about the machine itself: boot, status, `iaa sysfs export`. */
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { KnDir } from "../../kernfs/node.js";
import type { MachineConfigInput } from "../../system/machine_config.js";
import type { World } from "../world.js";
import type { Op } from "./types.js";
import { buildId } from "../version.js";

/** One line describing a booted machine. */
export function bootSummary(w: World): string {
  const m = w.stack.machine;
  return `${m.config.preset} (${m.topo.nrCpus} CPUs, ${m.pci.filter((p) => p.caps.pciDevice === 0x0cfe).length} IAA, IOMMU ${m.iommu})`;
}

export const boot: Op<"boot"> = (req, ctx) => {
  const cfg = req.reboot ? ctx.host.world().boot : (req.boot as MachineConfigInput);
  const { world, replaced } = ctx.host.boot(cfg);
  return { status: 0, data: { summary: bootSummary(world), replaced }, commit: false };
};

function natural(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

/** The machine at a glance: devices, WQs, modules, iaa_crypto, zswap, swap. */
export function machineSummary(w: World): string[] {
  const { stack } = w;
  const m = stack.machine;
  const v = m.vfs;
  const cat = (p: string): string => {
    try {
      return v.readText(p).trim();
    } catch {
      return "-";
    }
  };
  const lines: string[] = [];
  lines.push(`machine: ${m.config.preset}, ${m.topo.nodes.length} nodes, ${m.topo.nrCpus} CPUs, IOMMU ${m.iommu}, uptime ${(m.ctx.clock.now / 1e9).toFixed(3)} s (virtual)`);
  lines.push(`firmware: VT-d ${m.config.firmware.vtd ? "on" : "off"}, ENQCMDS ${m.config.firmware.enqcmds ? "on" : "off"}; cmdline: ${m.config.cmdline}`);
  lines.push(`modules: ${m.modules.list().join(" ") || "-"}`);
  const devs = v.exists("/sys/bus/dsa/devices") ? v.readdir("/sys/bus/dsa/devices").sort(natural) : [];
  for (const d of devs.filter((n) => /^(iax|dsa)\d+$/.test(n))) {
    const wqs = devs.filter((n) => n.startsWith(`wq${d.replace(/^\D+/, "")}.`) && cat(`/sys/bus/dsa/devices/${n}/state`) === "enabled");
    const desc = wqs.map((q) => `${q}(${cat(`/sys/bus/dsa/devices/${q}/mode`)},${cat(`/sys/bus/dsa/devices/${q}/size`)},${cat(`/sys/bus/dsa/devices/${q}/driver_name`) || "-"})`);
    lines.push(`${d}: ${cat(`/sys/bus/dsa/devices/${d}/state`)}${desc.length > 0 ? `, wqs ${desc.join(" ")}` : ""}`);
  }
  if (v.exists("/sys/bus/dsa/drivers/crypto/sync_mode")) {
    lines.push(`iaa_crypto: sync_mode ${cat("/sys/bus/dsa/drivers/crypto/sync_mode")}, verify_compress ${cat("/sys/bus/dsa/drivers/crypto/verify_compress")}, deflate-iaa ${stack.iaa()?.enabled === true ? "enabled" : "disabled"}`);
  }
  const zp = "/sys/module/zswap/parameters";
  lines.push(`zswap: enabled ${cat(`${zp}/enabled`)}, compressor ${cat(`${zp}/compressor`)}, zpool ${cat(`${zp}/zpool`)}, max_pool_percent ${cat(`${zp}/max_pool_percent`)}`);
  lines.push(`swap: ${stack.mm.activeSwaps().map((s) => s.area.path).join(" ") || "off"}`);
  return lines;
}

const startedAt = Date.now();

export const status: Op<"status"> = (_req, ctx) => {
  const rss = process.memoryUsage().rss;
  const head = `machine process: running, pid ${process.pid}, up ${((Date.now() - startedAt) / 1000).toFixed(1)} s, RSS ${(rss / 2 ** 20).toFixed(1)} MiB, state in ${ctx.host.dir}, build ${buildId()}`;
  const lines = ctx.host.booted ? machineSummary(ctx.host.world()) : [ctx.host.missingReason()];
  for (const dir of ctx.services.mounted()) lines.push(`mounted on ${dir} (FUSE)`);
  return { status: ctx.host.booted ? 0 : 1, data: [head, ...lines].join("\n") + "\n", commit: false };
};

export const sysfsExport: Op<"export"> = (req, ctx) => {
  exportTree(ctx.host.world().stack.machine.fs.sys, join(req.dir, "sys"));
  return { status: 0, commit: false };
};

/** Writes a kernfs subtree to the host: directories, attribute contents (unreadable ones empty), symlinks. */
function exportTree(dir: KnDir, path: string): void {
  mkdirSync(path, { recursive: true });
  for (const [name, node] of dir.children) {
    const p = join(path, name);
    if (node.kind === "dir") exportTree(node, p);
    else if (node.kind === "link") {
      try {
        symlinkSync(node.target, p);
      } catch {
        // already there
      }
    } else if (node.kind === "attr") {
      let content: string | Uint8Array = "";
      const r = node.show?.();
      if (typeof r === "string" || r instanceof Uint8Array) content = r;
      writeFileSync(p, content);
    } else writeFileSync(p, node.data);
  }
}

export const ping: Op<"ping"> = () => ({ status: 0, data: { pid: process.pid }, commit: false });

/** `iaa down`: mounts undone, then the main thread stops the process once this is answered. */
export const down: Op<"down"> = async (_req, ctx) => {
  await ctx.services.shutdown();
  return { status: 0, commit: false };
};
