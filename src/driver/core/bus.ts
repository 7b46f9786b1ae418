/**
 * A bus in the driver model (linux: drivers/base/bus.c, dd.c) with its sysfs
 * directories: `/sys/bus/<name>/{devices,drivers,drivers_autoprobe}`, and per
 * driver `bind`, `unbind`, `uevent`, plus `driver` symlinks in bound devices.
 *
 * Devices and drivers are plain objects registered here; matching is by the
 * driver's `match(dev)` (the bus's match function), probing by `probe(dev)`.
 */
import type { KnDir } from "../../kernfs/node.js";
import { Errno } from "../../lib/errno.js";
import { cstring } from "../../lib/kstrto.js";
import { LogLevel, type Printk } from "../../lib/printk.js";

/** struct device, as the bus sees it. */
export interface BusDevice {
  /** dev_name(): unique on the bus, e.g. "iax1", "wq1.0". */
  readonly name: string;
  /** Absolute sysfs path of the device directory. */
  readonly sysfsPath: string;
  /** The device's sysfs directory. */
  readonly dir: KnDir;
  /** The bound driver, or null. */
  driver: BusDriver | null;
  /** dev->type->name (DEVTYPE= in uevent), if the device has a named type. */
  readonly typeName?: string;
}

/** bus_type.uevent: the bus's KEY=value lines for a device (after the driver core's). */
export type BusUevent = (dev: BusDevice) => string[];

/** struct device_driver. */
export interface BusDriver {
  readonly name: string;
  /** bus->match(): does this driver handle this kind of device? */
  match(dev: BusDevice): boolean;
  /** 0 or -errno. */
  probe(dev: BusDevice): number;
  remove(dev: BusDevice): void;
}

/** Relative symlink target from directory `fromDir` to `to` (both absolute). */
export function relLink(fromDir: string, to: string): string {
  const a = fromDir.split("/").filter((p) => p !== "");
  const b = to.split("/").filter((p) => p !== "");
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => ".."), ...b.slice(i)].join("/");
}

/**
 * The bus.
 *
 * @example
 * const bus = new Bus("dsa", sysRoot, log);
 * bus.registerDriver(idxdDrv);
 * bus.addDevice(iax1);                 // autoprobe: idxdDrv.probe(iax1)
 * bus.unbind("idxd", "iax1");          // 0
 */
export class Bus {
  readonly dir: KnDir;
  readonly devicesDir: KnDir;
  readonly driversDir: KnDir;
  /** drivers_autoprobe */
  autoprobe = true;
  readonly devices = new Map<string, BusDevice>();
  readonly drivers = new Map<string, BusDriver>();
  private driverDirs = new Map<string, KnDir>();

  constructor(
    readonly name: string,
    sysRoot: KnDir,
    private readonly log: Printk,
    private readonly busUevent: BusUevent | null = null,
  ) {
    this.dir = sysRoot.mkdirp(`bus/${name}`);
    this.devicesDir = this.dir.dir("devices");
    this.driversDir = this.dir.dir("drivers");
    this.dir.attr("drivers_autoprobe", 0o644, () => `${this.autoprobe ? 1 : 0}\n`, (buf) => {
      const v = buf.trim();
      if (v === "") return -Errno.EINVAL;
      this.autoprobe = v[0] !== "0";
      return 0;
    });
    this.dir.attr("drivers_probe", 0o200, undefined, (buf) => {
      const dev = this.devices.get(buf.trim());
      if (dev === undefined) return -Errno.ENODEV;
      this.deviceAttach(dev);
      return 0;
    });
    this.dir.attr("uevent", 0o200, undefined, () => 0);
  }

  // ---- devices ---------------------------------------------------------

  /** device_add() on this bus: the devices/ symlink, then autoprobe. */
  addDevice(dev: BusDevice): void {
    this.devices.set(dev.name, dev);
    this.devicesDir.link(dev.name, relLink(`/sys/bus/${this.name}/devices`, dev.sysfsPath));
    dev.dir.link("subsystem", relLink(dev.sysfsPath, `/sys/bus/${this.name}`));
    dev.dir.attr("uevent", 0o644, () => this.uevent(dev), () => 0);
    if (this.autoprobe) this.deviceAttach(dev);
  }

  /**
   * uevent_show() → dev_uevent() (drivers/base/core.c): `DEVTYPE=` when the
   * device type has a name, `DRIVER=` while bound, then the bus's lines. No
   * MAJOR/MINOR: the bus devices here have no devt.
   */
  private uevent(dev: BusDevice): string {
    const env: string[] = [];
    if (dev.typeName !== undefined) env.push(`DEVTYPE=${dev.typeName}`);
    if (dev.driver !== null) env.push(`DRIVER=${dev.driver.name}`);
    if (this.busUevent !== null) env.push(...this.busUevent(dev));
    return env.map((l) => l + "\n").join("");
  }

  /** device_del(): unbinds, then removes the devices/ symlink. */
  removeDevice(dev: BusDevice): void {
    if (dev.driver !== null) this.release(dev);
    this.devices.delete(dev.name);
    this.devicesDir.remove(dev.name);
  }

  /** device_attach(): tries every matching driver in registration order until one binds. */
  deviceAttach(dev: BusDevice): number {
    if (dev.driver !== null) return 1;
    for (const drv of this.drivers.values()) {
      if (!drv.match(dev)) continue;
      const rc = this.probe(drv, dev);
      if (rc === 0) return 1;
    }
    return 0;
  }

  // ---- drivers ---------------------------------------------------------

  /** driver_register(): creates drivers/<name>/ and attaches to matching unbound devices. */
  registerDriver(drv: BusDriver): number {
    if (this.drivers.has(drv.name)) {
      this.log.printk(LogLevel.ERR, `Error: Driver '${drv.name}' is already registered, aborting...`);
      return -Errno.EBUSY;
    }
    this.drivers.set(drv.name, drv);
    const d = this.driversDir.dir(drv.name);
    this.driverDirs.set(drv.name, d);
    d.attr("bind", 0o200, undefined, (buf) => this.bind(drv.name, cstring(buf).trim()));
    d.attr("unbind", 0o200, undefined, (buf) => this.unbind(drv.name, cstring(buf).trim()));
    d.attr("uevent", 0o200, undefined, () => 0);
    if (this.autoprobe) {
      for (const dev of this.devices.values()) if (dev.driver === null && drv.match(dev)) this.probe(drv, dev);
    }
    return 0;
  }

  /** driver_unregister(): releases every device bound to it, then removes drivers/<name>/. */
  unregisterDriver(drv: BusDriver): void {
    for (const dev of this.devices.values()) if (dev.driver === drv) this.release(dev);
    this.drivers.delete(drv.name);
    this.driverDirs.delete(drv.name);
    this.driversDir.remove(drv.name);
  }

  /** The sysfs directory of a registered driver (for driver attributes). */
  driverDir(name: string): KnDir | null {
    return this.driverDirs.get(name) ?? null;
  }

  // ---- bind / unbind ---------------------------------------------------

  /**
   * bind_store(): unknown device or a device the driver does not match →
   * -ENODEV; already bound → -EBUSY; otherwise the probe's result.
   */
  bind(drvName: string, devName: string): number {
    const drv = this.drivers.get(drvName);
    const dev = this.devices.get(devName);
    if (drv === undefined || dev === undefined || !drv.match(dev)) return -Errno.ENODEV;
    if (dev.driver !== null) return -Errno.EBUSY;
    return this.probe(drv, dev);
  }

  /** unbind_store(): the device must be bound to this driver, else -ENODEV. */
  unbind(drvName: string, devName: string): number {
    const drv = this.drivers.get(drvName);
    const dev = this.devices.get(devName);
    if (drv === undefined || dev === undefined || dev.driver !== drv) return -Errno.ENODEV;
    this.release(dev);
    return 0;
  }

  /** really_probe(): links on success; a failed probe leaves no trace but its side effects. */
  private probe(drv: BusDriver, dev: BusDevice): number {
    dev.driver = drv;
    const rc = drv.probe(dev);
    if (rc !== 0) {
      dev.driver = null;
      // call_driver_probe(): dev_err() while dev->driver is still set
      if (rc !== -Errno.ENODEV && rc !== -Errno.ENXIO) this.log.printk(LogLevel.ERR, `${drv.name} ${dev.name}: probe with driver ${drv.name} failed with error ${rc}`);
      return rc;
    }
    const drvPath = `/sys/bus/${this.name}/drivers/${drv.name}`;
    dev.dir.link("driver", relLink(dev.sysfsPath, drvPath));
    this.driverDirs.get(drv.name)?.link(dev.name, relLink(drvPath, dev.sysfsPath));
    return 0;
  }

  /** device_release_driver(). */
  private release(dev: BusDevice): void {
    const drv = dev.driver;
    if (drv === null) return;
    dev.dir.remove("driver");
    this.driverDirs.get(drv.name)?.remove(dev.name);
    drv.remove(dev);
    dev.driver = null;
  }
}
