/**
 * The nodes of the emulated file tree: directories, attribute files whose
 * content is computed on every open (sysfs, debugfs, procfs), regular files
 * (tmpfs), and symbolic links.
 *
 * linux: fs/kernfs. An attribute is a {show, store} pair like a kernel
 * `struct device_attribute`: `show()` returns the text (or a negative errno),
 * `store(buf)` consumes a write and returns 0 (or a negative errno).
 * A device special file (devtmpfs) is an attribute with a device number.
 */

/** Which file system a directory belongs to; decides what users may create in it. */
export type FsType = "tmpfs" | "sysfs" | "debugfs" | "proc" | "devtmpfs";

/** show(): content, or a negative errno. */
export type ShowFn = () => string | Uint8Array | number;
/** store(buf): 0 on success, or a negative errno. `buf` is what one write(2) delivered. */
export type StoreFn = (buf: string) => number;

let nextIno = 1;

abstract class NodeBase {
  readonly ino = nextIno++;
  mode: number;
  /** Modification time, in virtual ns (tmpfs); kernfs nodes keep their creation time. */
  mtime = 0;
  constructor(mode: number) {
    this.mode = mode;
  }
}

export class KnDir extends NodeBase {
  readonly kind = "dir" as const;
  readonly children = new Map<string, KnNode>();
  parent: KnDir | null = null;
  constructor(
    readonly fsType: FsType,
    mode = 0o755,
  ) {
    super(mode);
  }

  /** Adds (or replaces) a child; returns it. */
  add<T extends KnNode>(name: string, node: T): T {
    if (node.kind === "dir") node.parent = this;
    this.children.set(name, node);
    return node;
  }

  /** Creates (or returns the existing) sub-directory of the same fs type. */
  dir(name: string, mode = 0o755): KnDir {
    const cur = this.children.get(name);
    if (cur !== undefined && cur.kind === "dir") return cur;
    return this.add(name, new KnDir(this.fsType, mode));
  }

  /** Creates or returns the directory at a relative path like "bus/dsa/devices". */
  mkdirp(rel: string): KnDir {
    let d: KnDir = this;
    for (const part of rel.split("/")) if (part !== "") d = d.dir(part);
    return d;
  }

  attr(name: string, mode: number, show?: ShowFn, store?: StoreFn): KnAttr {
    return this.add(name, new KnAttr(mode, show, store));
  }

  /**
   * A read-only binary attribute (`BIN_ATTR_RO(name, size)`): its size is what
   * stat reports in sysfs, where a plain attribute reports 4096.
   */
  binAttr(name: string, mode: number, size: number, show: ShowFn): KnAttr {
    return this.add(name, new KnAttr(mode, show, undefined, size));
  }

  /**
   * A character or block device special file (devtmpfs, as devtmpfs_create_node()
   * makes one): its number is what stat(2) reports in st_rdev; reads and writes
   * go to show/store as for an attribute.
   */
  device(name: string, type: DevType, mode: number, major: number, minor: number, show?: ShowFn, store?: StoreFn, gid = 0): KnDevice {
    return this.add(name, new KnDevice(type, major, minor, mode, show, store, gid));
  }

  link(name: string, target: string): KnLink {
    return this.add(name, new KnLink(target));
  }

  /**
   * Puts the entries, and those of every directory below, in name order (a
   * listing then comes out sorted, as /proc/sys's does: proc_sysctl keeps its
   * entries in a tree ordered by name). Later additions go at the end.
   */
  sortChildren(): void {
    const entries = [...this.children].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    this.children.clear();
    for (const [name, node] of entries) {
      this.children.set(name, node);
      if (node.kind === "dir") node.sortChildren();
    }
  }

  remove(name: string): void {
    const n = this.children.get(name);
    if (n !== undefined && n.kind === "dir") n.parent = null;
    this.children.delete(name);
  }
}

export class KnAttr extends NodeBase {
  readonly kind = "attr" as const;
  constructor(
    mode: number,
    readonly show?: ShowFn,
    readonly store?: StoreFn,
    /** A binary attribute's size (`struct bin_attribute` .size); null for a plain attribute. */
    readonly size: number | null = null,
  ) {
    super(mode);
  }
}

/** Which kind of device special file: S_IFCHR or S_IFBLK. */
export type DevType = "chr" | "blk";

/** A device special file: an attribute (its open/read/write) with a device number and an owning group. */
export class KnDevice extends KnAttr {
  constructor(
    readonly devType: DevType,
    /** MAJOR(st_rdev) */
    readonly major: number,
    /** MINOR(st_rdev) */
    readonly minor: number,
    mode: number,
    show?: ShowFn,
    store?: StoreFn,
    /** st_gid (udev's rules give disks group `disk`, 6) */
    readonly gid = 0,
  ) {
    super(mode, show, store);
  }
}

export class KnFile extends NodeBase {
  readonly kind = "file" as const;
  data: Uint8Array;
  constructor(mode = 0o644, data: Uint8Array = new Uint8Array(0)) {
    super(mode);
    this.data = data;
  }
}

export class KnLink extends NodeBase {
  readonly kind = "link" as const;
  constructor(readonly target: string) {
    super(0o777);
  }
}

export type KnNode = KnDir | KnAttr | KnFile | KnLink;
