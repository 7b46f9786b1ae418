/** Bus bind/unbind rules, autoprobe, sysfs links, and the module registry's refcounts. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { KnDir } from "../../kernfs/node.js";
import { Vfs } from "../../kernfs/vfs.js";
import { VirtualClock } from "../../lib/clock.js";
import { Errno } from "../../lib/errno.js";
import { Printk } from "../../lib/printk.js";
import { Bus, type BusDevice, type BusDriver, relLink } from "./bus.js";
import { ModuleRegistry } from "./module.js";

function world() {
  const root = new KnDir("tmpfs");
  const sys = root.add("sys", new KnDir("sysfs"));
  const bus = new Bus("dsa", sys, new Printk(new VirtualClock()));
  const mk = (name: string, kind: string): BusDevice & { kind: string } => {
    const path = `/sys/devices/x/${name}`;
    return { name, kind, sysfsPath: path, dir: sys.mkdirp(`devices/x/${name}`), driver: null };
  };
  return { root, sys, bus, vfs: new Vfs(root), mk };
}

function driver(name: string, kind: string, rc = 0, calls: string[] = []): BusDriver {
  return {
    name,
    match: (d) => (d as BusDevice & { kind: string }).kind === kind,
    probe: (d) => (calls.push(`probe ${d.name}`), rc),
    remove: (d) => void calls.push(`remove ${d.name}`),
  };
}

test("relLink() builds sysfs-style relative targets", () => {
  assert.equal(relLink("/sys/bus/dsa/devices", "/sys/devices/pci0000:6a/0000:6a:02.0/iax1"), "../../../devices/pci0000:6a/0000:6a:02.0/iax1");
});

test("bind/unbind: -ENODEV for unknown or mismatched, -EBUSY when bound, probe errors propagate", () => {
  const { bus, vfs, mk } = world();
  const calls: string[] = [];
  bus.autoprobe = false;
  bus.addDevice(mk("wq1.0", "wq"));
  bus.addDevice(mk("iax1", "dev"));
  assert.equal(bus.registerDriver(driver("crypto", "wq", 0, calls)), 0);
  assert.equal(bus.registerDriver(driver("crypto", "wq")), -Errno.EBUSY);
  assert.equal(bus.registerDriver(driver("bad", "wq", -Errno.EINVAL)), 0);
  assert.equal(bus.bind("crypto", "nope"), -Errno.ENODEV);
  assert.equal(bus.bind("crypto", "iax1"), -Errno.ENODEV);
  assert.equal(bus.bind("bad", "wq1.0"), -Errno.EINVAL);
  assert.equal(vfs.exists("/sys/devices/x/wq1.0/driver"), false);
  assert.equal(bus.bind("crypto", "wq1.0"), 0);
  assert.equal(vfs.readlink("/sys/devices/x/wq1.0/driver"), "../../../bus/dsa/drivers/crypto");
  assert.equal(vfs.realpath("/sys/bus/dsa/drivers/crypto/wq1.0"), "/sys/devices/x/wq1.0");
  assert.equal(bus.bind("crypto", "wq1.0"), -Errno.EBUSY);
  assert.equal(bus.unbind("bad", "wq1.0"), -Errno.ENODEV);
  assert.equal(bus.unbind("crypto", "wq1.0"), 0);
  assert.equal(bus.unbind("crypto", "wq1.0"), -Errno.ENODEV);
  assert.deepEqual(calls, ["probe wq1.0", "remove wq1.0"]);
  // through sysfs
  vfs.writeFile("/sys/bus/dsa/drivers/crypto/bind", "wq1.0\n");
  assert.throws(() => vfs.writeFile("/sys/bus/dsa/drivers/crypto/bind", "wq1.0"), /EBUSY/);
});

test("autoprobe tries drivers in registration order; unregister releases devices", () => {
  const { bus, mk } = world();
  const calls: string[] = [];
  bus.registerDriver(driver("first", "wq", -Errno.ENODEV, calls));
  bus.registerDriver(driver("second", "wq", 0, calls));
  const dev = mk("wq1.1", "wq");
  bus.addDevice(dev);
  assert.equal(dev.driver?.name, "second");
  bus.unregisterDriver(bus.drivers.get("second")!);
  assert.equal(dev.driver, null);
  assert.deepEqual(calls, ["probe wq1.1", "probe wq1.1", "remove wq1.1"]);
});

test("ModuleRegistry: failing init, holders, try_module_get", () => {
  const { sys, vfs } = world();
  const mods = new ModuleRegistry(sys.dir("module"), "6.12.0");
  mods.define({ name: "base", deps: [], size: 100 });
  mods.define({ name: "broken", deps: ["base"], size: 10, init: () => -Errno.ENODEV });
  assert.deepEqual(mods.modprobe("broken"), { rc: -Errno.ENODEV, messages: ["modprobe: ERROR: could not insert 'broken': No such device"] });
  assert.equal(mods.isLoaded("base"), true);
  assert.equal(mods.refcnt("base"), 0);
  assert.equal(vfs.exists("/sys/module/broken"), false);
  const h = mods.handle("base");
  assert.equal(h.get(), true);
  assert.equal(vfs.readText("/sys/module/base/refcnt"), "1\n");
  h.put();
  assert.equal(mods.rmmod("base").rc, 0);
  assert.equal(h.get(), false);
});
