/**
 * bootMachine(): presets, PCI files lspci reads, naming, procfs, config.gz,
 * modules, and snapshot/restore.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { bootMachine } from "./machine.js";
import { resolveMachineConfig } from "./machine_config.js";

function pciWithDevice(m: ReturnType<typeof bootMachine>, id: string): string[] {
  return m.vfs.readdir("/sys/bus/pci/devices").filter((a) => m.vfs.readText(`/sys/bus/pci/devices/${a}/device`) === `0x${id}\n`);
}

test("spr-2s: 160 CPUs, 2 nodes, 8 IAA odd-numbered at xx:02.0, 8 DSA even-numbered", () => {
  const m = bootMachine();
  assert.equal(m.config.preset, "spr-2s");
  assert.equal(m.topo.nrCpus, 160);
  assert.equal(m.vfs.readText("/sys/devices/system/cpu/online"), "0-159\n");
  assert.equal(m.vfs.readText("/sys/devices/system/node/node0/cpulist"), "0-39,80-119\n");
  // %*pb over nr_cpu_ids (160): five 32-bit chunks, the most significant first
  assert.equal(m.vfs.readText("/sys/devices/system/node/node0/cpumap"), "00000000,00ffffff,ffff0000,000000ff,ffffffff\n");
  assert.equal(m.vfs.readText("/sys/devices/system/node/node1/cpumap"), "ffffffff,ff000000,0000ffff,ffffff00,00000000\n");
  assert.equal(m.vfs.readText("/sys/devices/system/node/node1/distance"), "21 10\n");
  assert.equal(bootMachine("tiny").vfs.readText("/sys/devices/system/node/node0/cpumap"), "ff\n");
  const iaa = pciWithDevice(m, "0cfe");
  assert.deepEqual(iaa, ["0000:6a:02.0", "0000:6f:02.0", "0000:74:02.0", "0000:79:02.0", "0000:e7:02.0", "0000:ec:02.0", "0000:f1:02.0", "0000:f6:02.0"]);
  assert.equal(pciWithDevice(m, "0b25").length, 8);
  assert.equal(m.vfs.readText("/sys/bus/pci/devices/0000:e7:02.0/vendor"), "0x8086\n");
  assert.equal(m.vfs.readText("/sys/bus/pci/devices/0000:e7:02.0/class"), "0x088000\n");
  assert.equal(m.vfs.readText("/sys/bus/pci/devices/0000:e7:02.0/numa_node"), "1\n");
  const names = m.idxd!.devices.map((d) => d.name);
  assert.deepEqual(names.filter((n) => n.startsWith("iax")), ["iax1", "iax3", "iax5", "iax7", "iax9", "iax11", "iax13", "iax15"]);
  assert.deepEqual(names.filter((n) => n.startsWith("dsa")), ["dsa0", "dsa2", "dsa4", "dsa6", "dsa8", "dsa10", "dsa12", "dsa14"]);
  assert.equal(m.vfs.realpath("/sys/bus/dsa/devices/iax9"), "/sys/devices/pci0000:e7/0000:e7:02.0/iax9");
  assert.equal(m.vfs.readText("/sys/bus/dsa/devices/iax9/numa_node"), "1\n");
  assert.equal(m.vfs.readText("/sys/bus/dsa/devices/iax15/state"), "enabled\n");
  assert.ok(m.ctx.log.format().some((l) => l.endsWith("idxd 0000:e7:02.0: Intel(R) Accelerator Device (v100)")));
});

test("spr-1s and tiny presets; custom topology from JSON", () => {
  const one = bootMachine("spr-1s");
  assert.equal(one.topo.nrCpus, 80);
  assert.equal(pciWithDevice(one, "0cfe").length, 4);
  const tiny = bootMachine("tiny");
  assert.equal(tiny.topo.nrCpus, 8);
  assert.equal(tiny.topo.nodes.length, 1);
  assert.equal(tiny.mem.totalBytes, 4 * 1024 ** 3);
  assert.deepEqual(tiny.idxd!.devices.map((d) => d.name), ["dsa0", "iax1", "dsa2", "iax3"]);
  const custom = bootMachine(JSON.parse('{"sockets":2,"coresPerSocket":2,"threadsPerCore":1,"memGiB":8,"iaaPerSocket":1,"dsaPerSocket":0}'));
  assert.equal(custom.config.preset, "custom");
  assert.deepEqual(custom.idxd!.devices.map((d) => `${d.name}@${d.pciName}`), ["iax0@0000:6a:02.0", "iax1@0000:e7:02.0"]);
  assert.match(String(resolveMachineConfig({ sockets: 3 })), /sockets must be an integer from 1 to 2/);
  assert.match(String(resolveMachineConfig("huge")), /Unknown machine preset 'huge'/);
  assert.throws(() => bootMachine("huge"));
});

test("/proc/cmdline, /proc/config.gz, /proc/cpuinfo, dynamic_debug control, /dev/null", () => {
  const m = bootMachine({ preset: "tiny", cmdline: "root=/dev/vda intel_iommu=off", kconfig: { CONFIG_CRYPTO_DEV_IAA_CRYPTO_STATS: "n" } });
  assert.equal(m.vfs.readText("/proc/cmdline"), "root=/dev/vda intel_iommu=off\n");
  const cfg = gunzipSync(m.vfs.readFile("/proc/config.gz")).toString("utf8");
  assert.match(cfg, /^CONFIG_CRYPTO_DEV_IAA_CRYPTO=m$/m);
  assert.match(cfg, /^# CONFIG_CRYPTO_DEV_IAA_CRYPTO_STATS is not set$/m);
  assert.match(cfg, /^CONFIG_INTEL_IOMMU_SVM=y$/m);
  assert.equal(m.vfs.readText("/proc/cpuinfo").split("\n").filter((l) => l.startsWith("processor")).length, 8);
  assert.doesNotMatch(m.vfs.readText("/proc/cpuinfo"), / enqcmd /, "legacy mode: no ENQCMD");
  m.ctx.dyndbg.register("idxd", [{ func: "drv_enable_wq", file: "drivers/dma/idxd/device.c", line: 1, format: "wq %d name not set.\\012" }]);
  m.vfs.writeFile("/sys/kernel/debug/dynamic_debug/control", "module idxd +p");
  assert.match(m.vfs.readText("/sys/kernel/debug/dynamic_debug/control"), /=p/);
  m.vfs.writeFile("/dev/null", "x");
  assert.equal(m.vfs.readText("/dev/null"), "");
  for (const d of ["/root", "/tmp", "/etc", "/usr/bin"]) assert.equal(m.vfs.stat(d).type, "dir");
});

test("modules: idxd loaded at boot, /sys/module/idxd, rmmod and reload", () => {
  const m = bootMachine("tiny");
  assert.ok(m.vfs.exists("/sys/module/idxd"));
  assert.equal(m.vfs.readText("/sys/module/idxd_bus/refcnt"), "1\n");
  assert.deepEqual(m.vfs.readdir("/sys/module/idxd_bus/holders"), ["idxd"]);
  assert.equal(m.vfs.readText("/sys/module/idxd/parameters/tc_override"), "N\n");
  assert.deepEqual(m.modules.rmmod("idxd_bus"), { rc: -16, messages: ["rmmod: ERROR: Module idxd_bus is in use by: idxd"] });
  assert.deepEqual(m.modules.modprobe("foo"), { rc: -2, messages: ["modprobe: FATAL: Module foo not found in directory /lib/modules/6.12.0-iaa-emu"] });
  assert.equal(m.modules.rmmod("idxd").rc, 0);
  assert.equal(m.vfs.exists("/sys/module/idxd"), false);
  assert.equal(m.vfs.exists("/sys/bus/dsa/devices/iax1"), false);
  assert.equal(m.vfs.exists("/sys/devices/pci0000:6a/0000:6a:02.0/iax1"), false);
  assert.deepEqual(m.modules.rmmod("idxd"), { rc: -2, messages: ["rmmod: ERROR: Module idxd is not currently loaded"] });
  assert.equal(m.modules.modprobe("idxd").rc, 0);
  assert.equal(m.vfs.readText("/sys/bus/dsa/devices/iax1/state"), "enabled\n");
  assert.equal(m.modules.modprobeRemove("idxd").rc, 0);
  assert.equal(m.modules.isLoaded("idxd_bus"), false);
  assert.equal(m.vfs.exists("/sys/bus/dsa"), false);
  // a module holding a reference
  m.modules.define({ name: "iaa_crypto", deps: ["idxd"], size: 53248 });
  assert.equal(m.modules.modprobe("iaa_crypto").rc, 0);
  assert.ok(m.modules.tryGet("iaa_crypto"));
  assert.deepEqual(m.modules.rmmod("iaa_crypto"), { rc: -16, messages: ["rmmod: ERROR: Module iaa_crypto is in use"] });
  assert.match(m.vfs.readText("/proc/modules"), /^iaa_crypto 53248 1 - Live 0x0000000000000000\nidxd 172032 1 iaa_crypto, Live/);
  assert.equal(m.modules.lsmod(), "Module                  Size  Used by\niaa_crypto             53248  1\nidxd                  172032  1 iaa_crypto\nidxd_bus               12288  1 idxd\n");
});

test("idxd's saveState/loadState: configuration and bindings survive a JSON round trip onto a fresh machine", () => {
  const m = bootMachine("tiny");
  m.vfs.writeFile("/sys/bus/dsa/drivers/idxd/unbind", "iax3");
  for (const [a, v] of [["mode", "dedicated"], ["size", "64"], ["group_id", "1"], ["priority", "7"], ["type", "kernel"], ["name", "mine"], ["driver_name", "dmaengine"]]) m.vfs.writeFile(`/sys/bus/dsa/devices/iax3/wq3.2/${a}`, v);
  m.vfs.writeFile("/sys/bus/dsa/devices/iax3/engine3.4/group_id", "1");
  m.vfs.writeFile("/sys/bus/dsa/drivers/idxd/bind", "iax3");
  m.vfs.writeFile("/sys/bus/dsa/drivers/dmaengine/bind", "wq3.2");
  const r = bootMachine("tiny");
  assert.equal(r.idxd!.loadState(JSON.parse(JSON.stringify(m.idxd!.saveState()))), 0);
  const read = (mm: typeof m, p: string) => mm.vfs.readText(`/sys/bus/dsa/devices/${p}`);
  for (const p of ["iax3/state", "wq3.2/state", "wq3.2/size", "wq3.2/priority", "wq3.2/name", "wq3.2/type", "wq3.0/size", "engine3.4/group_id", "group3.1/work_queues", "iax1/state", "wq1.0/size"]) {
    assert.equal(read(r, p), read(m, p), p);
  }
});
