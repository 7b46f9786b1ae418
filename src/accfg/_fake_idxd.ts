/**
 * A small stand-in for the idxd sysfs tree, for accel-config's unit tests
 * only: one IAA device (iax1: 4 groups, 8 wqs of total size 128, 8 engines)
 * with the kernel's 6.8 default configuration, plus the driver bind files.
 * It enforces only the handful of rules the tests rely on (EPERM on enabled
 * objects, group range, the enable checks and their cmd_status codes, the
 * configuration wipe on device disable). The real tree is src/driver/idxd.
 */
import { Errno } from "../lib/errno.js";
import { KnDir } from "../kernfs/node.js";
import { Vfs } from "../kernfs/vfs.js";
import { accelConfigMain } from "./accel_config.js";

interface FakeWq {
  enabled: boolean;
  driver: string | null;
  mode: string;
  size: number;
  group: number;
  priority: number;
  type: string;
  name: string;
  driverName: string;
  threshold: number;
  bof: number;
  xfer: number;
}

interface FakeDevice {
  enabled: boolean;
  cmdStatus: number;
  wqs: FakeWq[];
  engines: number[];
}

const OP_CAP = "00000000,00000000,00000000,00000000,00000000,004d001c,00000000,00000405";

function freshWq(): FakeWq {
  return { enabled: false, driver: null, mode: "shared", size: 0, group: -1, priority: 0, type: "none", name: "", driverName: "", threshold: 0, bof: 0, xfer: 2097152 };
}

/** Builds the fake tree; returns the VFS and the device state for assertions. */
export function fakeIdxdTree(opts: { defaults?: boolean } = {}): { vfs: Vfs; dev: FakeDevice } {
  const root = new KnDir("tmpfs");
  const sys = root.add("sys", new KnDir("sysfs"));
  sys.mkdirp("module/idxd");
  root.mkdirp("etc/accel-config");
  root.dir("tmp");
  const bus = sys.mkdirp("bus/dsa");
  const devices = bus.dir("devices");
  const drivers = bus.dir("drivers");
  const devDir = sys.mkdirp("devices/pci0000:6a/0000:6a:02.0/iax1");
  const dev: FakeDevice = { enabled: false, cmdStatus: 0, wqs: [], engines: [] };
  for (let i = 0; i < 8; i++) dev.wqs.push(freshWq());
  for (let i = 0; i < 8; i++) dev.engines.push(-1);
  const num = (n: number) => () => `${n}\n`;
  const parseNum = (buf: string): number | null => (/^\s*-?\d+\s*$/.test(buf) ? Number(buf) : null);

  devices.link("iax1", "../../../devices/pci0000:6a/0000:6a:02.0/iax1");
  devDir.attr("max_groups", 0o444, num(4));
  devDir.attr("max_work_queues", 0o444, num(8));
  devDir.attr("max_work_queues_size", 0o444, num(128));
  devDir.attr("max_engines", 0o444, num(8));
  devDir.attr("numa_node", 0o444, num(0));
  devDir.attr("max_transfer_size", 0o444, num(2147483648));
  devDir.attr("op_cap", 0o444, () => OP_CAP + "\n");
  devDir.attr("gen_cap", 0o444, () => "0x71f10901f0105\n");
  devDir.attr("version", 0o444, () => "0x100\n");
  devDir.attr("configurable", 0o444, num(1));
  devDir.attr("pasid_enabled", 0o444, num(0));
  devDir.attr("cdev_major", 0o444, num(234));
  devDir.attr("clients", 0o444, num(0));
  devDir.attr("errors", 0o444, () => "00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000\n");
  devDir.attr("state", 0o444, () => (dev.enabled ? "enabled\n" : "disabled\n"));
  devDir.attr(
    "cmd_status",
    0o644,
    () => (dev.cmdStatus === 0 ? "0\n" : `0x${dev.cmdStatus.toString(16)}\n`),
    () => {
      dev.cmdStatus = 0;
      return 0;
    },
  );
  for (let g = 0; g < 4; g++) {
    const gd = devDir.dir(`group1.${g}`);
    devices.link(`group1.${g}`, `../../../devices/pci0000:6a/0000:6a:02.0/iax1/group1.${g}`);
    gd.attr("work_queues", 0o444, () => dev.wqs.flatMap((w, i) => (w.group === g ? [`wq1.${i}`] : [])).join(" ") + "\n");
    gd.attr("engines", 0o444, () => dev.engines.flatMap((e, i) => (e === g ? [`engine1.${i}`] : [])).join(" ") + "\n");
    gd.attr("traffic_class_a", 0o644, num(1), () => -Errno.EPERM);
    gd.attr("traffic_class_b", 0o644, num(1), () => -Errno.EPERM);
  }
  for (let e = 0; e < 8; e++) {
    const ed = devDir.dir(`engine1.${e}`);
    devices.link(`engine1.${e}`, `../../../devices/pci0000:6a/0000:6a:02.0/iax1/engine1.${e}`);
    ed.attr("group_id", 0o644, () => `${dev.engines[e]}\n`, (buf) => {
      const v = parseNum(buf);
      if (v === null) return -Errno.EINVAL;
      if (v < -1 || v > 3) return -Errno.EINVAL;
      dev.engines[e] = v;
      return 0;
    });
  }
  dev.wqs.forEach((wq, i) => {
    const name = `wq1.${i}`;
    const wd = devDir.dir(name);
    devices.link(name, `../../../devices/pci0000:6a/0000:6a:02.0/iax1/${name}`);
    const guard = (): number => (wq.enabled ? -Errno.EPERM : 0);
    const intAttr = (attr: string, get: () => number, set: (v: number) => number): void => {
      wd.attr(attr, 0o644, () => `${get()}\n`, (buf) => {
        const v = parseNum(buf);
        if (v === null) return -Errno.EINVAL;
        return set(v);
      });
    };
    intAttr("group_id", () => wq.group, (v) => guard() || (v < -1 || v > 3 ? -Errno.EINVAL : ((wq.group = v), 0)));
    intAttr("size", () => wq.size, (v) => (dev.enabled ? -Errno.EPERM : v < 0 || v > 128 ? -Errno.EINVAL : ((wq.size = v), 0)));
    intAttr("priority", () => wq.priority, (v) => guard() || (v < 0 || v > 15 ? -Errno.EINVAL : ((wq.priority = v), 0)));
    intAttr("block_on_fault", () => wq.bof, (v) => (wq.enabled ? -Errno.ENXIO : ((wq.bof = v ? 1 : 0), 0)));
    intAttr("threshold", () => wq.threshold, (v) =>
      v <= 0 || v > wq.size ? -Errno.EINVAL : wq.enabled ? -Errno.ENXIO : wq.mode === "dedicated" ? -Errno.EINVAL : ((wq.threshold = v), 0),
    );
    intAttr("max_transfer_size", () => wq.xfer, (v) => guard() || (v <= 0 ? -Errno.EINVAL : ((wq.xfer = v), 0)));
    wd.attr("mode", 0o644, () => wq.mode + "\n", (buf) => {
      const g = guard();
      if (g) return g;
      const m = buf.trim();
      if (m !== "shared" && m !== "dedicated") return -Errno.EINVAL;
      wq.mode = m;
      if (m === "dedicated") wq.threshold = 0;
      return 0;
    });
    wd.attr("type", 0o644, () => wq.type + "\n", (buf) => {
      const g = guard();
      if (g) return g;
      const t = buf.trim();
      if (!["none", "kernel", "user"].includes(t)) return -Errno.EINVAL;
      if (t !== wq.type) wq.name = "";
      wq.type = t;
      return 0;
    });
    wd.attr("name", 0o644, () => wq.name + "\n", (buf) => guard() || (buf.trim() === "" ? -Errno.EINVAL : ((wq.name = buf.trim()), 0)));
    wd.attr("driver_name", 0o644, () => wq.driverName + "\n", (buf) =>
      guard() || (buf.trim() === "" ? -Errno.EINVAL : ((wq.driverName = buf.trim()), 0)),
    );
    wd.attr("state", 0o444, () => (wq.enabled ? "enabled\n" : "disabled\n"));
    wd.attr("clients", 0o444, num(0));
    wd.attr("cdev_minor", 0o444, () => -Errno.ENXIO);
    wd.attr("ats_disable", 0o644, num(0), () => guard());
  });

  const wipe = (): void => {
    dev.wqs.forEach((w, i) => {
      dev.wqs[i] = Object.assign(w, freshWq());
    });
    dev.engines.fill(-1);
  };
  const enableDevice = (): number => {
    if (dev.enabled) {
      dev.cmdStatus = 0x80000010;
      return -Errno.ENXIO;
    }
    if (!dev.wqs.some((w) => w.group >= 0)) {
      dev.cmdStatus = 0x800d0000;
      return -Errno.EINVAL;
    }
    if (!dev.engines.some((g) => g >= 0)) return -Errno.EINVAL;
    dev.enabled = true;
    dev.cmdStatus = 0;
    devDir.link("driver", "../../../../bus/dsa/drivers/idxd");
    return 0;
  };
  const enableWq = (i: number, drv: string): number => {
    const wq = dev.wqs[i]!;
    if (!dev.enabled) return -Errno.ENXIO;
    if (wq.driver !== null) return -Errno.EBUSY;
    if (!wq.driverName.startsWith(drv)) {
      dev.cmdStatus = 0x80200000;
      return -Errno.ENODEV;
    }
    if (wq.group < 0) {
      dev.cmdStatus = 0x80030000;
      return -Errno.EINVAL;
    }
    if (wq.name === "") {
      dev.cmdStatus = 0x80040000;
      return -Errno.EINVAL;
    }
    wq.type = drv === "user" ? "user" : "kernel";
    wq.enabled = true;
    wq.driver = drv;
    (devDir.children.get(`wq1.${i}`) as KnDir).link("driver", `../../../../../bus/dsa/drivers/${drv}`);
    return 0;
  };
  const disableWq = (i: number): void => {
    const wq = dev.wqs[i]!;
    const keep = { size: wq.size, group: wq.group, driverName: wq.driverName };
    Object.assign(wq, freshWq(), keep);
    (devDir.children.get(`wq1.${i}`) as KnDir).remove("driver");
  };
  for (const drv of ["idxd", "user", "dmaengine", "crypto"]) {
    const d = drivers.dir(drv);
    d.attr("bind", 0o200, undefined, (buf) => {
      const name = buf.trim();
      if (drv === "idxd") return name === "iax1" ? enableDevice() : -Errno.ENODEV;
      const m = /^wq1\.(\d+)$/.exec(name);
      if (m === null || Number(m[1]) > 7) return -Errno.ENODEV;
      return enableWq(Number(m[1]), drv);
    });
    d.attr("unbind", 0o200, undefined, (buf) => {
      const name = buf.trim();
      if (drv === "idxd") {
        if (name !== "iax1" || !dev.enabled) return -Errno.ENODEV;
        dev.wqs.forEach((w, i) => {
          if (w.enabled) disableWq(i);
        });
        dev.enabled = false;
        devDir.remove("driver");
        wipe();
        return 0;
      }
      const m = /^wq1\.(\d+)$/.exec(name);
      if (m === null || dev.wqs[Number(m[1])]?.driver !== drv) return -Errno.ENODEV;
      disableWq(Number(m[1]));
      return 0;
    });
  }
  if (opts.defaults !== false) {
    Object.assign(dev.wqs[0]!, { mode: "dedicated", size: 128, priority: 10, type: "kernel", group: 0, name: "iaa_crypto", driverName: "crypto" });
    dev.engines[0] = 0;
    enableDevice();
    enableWq(0, "crypto");
  }
  return { vfs: new Vfs(root), dev };
}

/**
 * `accel-config ARGS…` on `vfs` with PWD=/tmp, collecting what it prints.
 *
 * @example
 * const run = accelConfigRunner(fakeIdxdTree());
 * run("list").code; // 0
 */
export function accelConfigRunner(vfs: Vfs): (...args: string[]) => { code: number; stdout: string; stderr: string } {
  return (...args) => {
    let stdout = "";
    let stderr = "";
    const code = accelConfigMain(["accel-config", ...args], {
      vfs,
      stdout: { write: (t) => void (stdout += t) },
      stderr: { write: (t) => void (stderr += t) },
      env: { PWD: "/tmp" },
    });
    return { code, stdout, stderr };
  };
}
