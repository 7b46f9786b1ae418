/**
 * The part of the machine's file tree a FUSE mount shows, as the kernel's
 * FUSE client sees it: node ids with lookup counts, and `struct fuse_attr`
 * for each node with the attributes sysfs, debugfs and procfs give on Linux.
 *
 * The mount's root holds the machine's top-level directories named in
 * `roots` (`sys`, `proc`); below them every node is the machine's own, found
 * by its canonical path through the VFS. A node id is the tree node's inode
 * number + 1 (id 1 is the mount's root), so ids are never reused for another
 * node; a node removed from the machine (a WQ directory of a device that went
 * away) answers ENOENT.
 */
import { Errno, SysError } from "../../lib/errno.js";
import type { Stat, Vfs } from "../../kernfs/vfs.js";
import { DT_DIR, DT_LNK, DT_REG, FUSE_ROOT_ID, S_IFDIR, S_IFLNK, S_IFREG, type Attr } from "./abi.js";

export interface ViewNode {
  readonly nodeid: number;
  /** The machine path; "" for the mount's root. */
  readonly path: string;
  /** The tree node's inode number (0 for the mount's root). */
  readonly ino: number;
  nlookup: number;
}

export interface DirEntry {
  name: string;
  ino: number;
  type: number;
}

/** A result or a positive errno. */
export type Res<T> = { ok: true; value: T } | { ok: false; errno: number };

const ok = <T>(value: T): Res<T> => ({ ok: true, value });
const fail = <T>(errno: number): Res<T> => ({ ok: false, errno });

/** Runs a VFS call, turning its SysError into an errno (anything else is EIO). */
export function attempt<T>(fn: () => T): Res<T> {
  try {
    return ok(fn());
  } catch (e) {
    return fail(e instanceof SysError ? e.errno : Errno.EIO);
  }
}

export class TreeView {
  private readonly nodes = new Map<number, ViewNode>();
  private readonly root: ViewNode = { nodeid: FUSE_ROOT_ID, path: "", ino: 0, nlookup: 1 };

  /**
   * @param epochNs wall-clock ns at the machine's boot: node times are this plus the node's virtual mtime.
   */
  constructor(
    readonly vfs: Vfs,
    private readonly roots: readonly string[],
    private readonly epochNs: bigint,
  ) {
    this.nodes.set(FUSE_ROOT_ID, this.root);
  }

  node(nodeid: number): ViewNode | undefined {
    return this.nodes.get(nodeid);
  }

  /** How many nodes the kernel holds (the root included). */
  get size(): number {
    return this.nodes.size;
  }

  lookup(parentId: number, name: string): Res<{ nodeid: number; attr: Attr }> {
    const parent = this.nodes.get(parentId);
    if (parent === undefined) return fail(Errno.ENOENT);
    if (parent === this.root && !this.roots.includes(name)) return fail(Errno.ENOENT);
    if (name === "." || name === ".." || name.includes("/")) return fail(Errno.ENOENT);
    const path = `${parent.path}/${name}`;
    const st = attempt(() => this.vfs.lstat(path));
    if (!st.ok) return st;
    const nodeid = st.value.ino + 1;
    let n = this.nodes.get(nodeid);
    if (n === undefined) {
      n = { nodeid, path, ino: st.value.ino, nlookup: 0 };
      this.nodes.set(nodeid, n);
    }
    n.nlookup += 1;
    return ok({ nodeid, attr: this.attrOf(nodeid, st.value) });
  }

  forget(nodeid: number, nlookup: number): void {
    const n = this.nodes.get(nodeid);
    if (n === undefined || n === this.root) return;
    n.nlookup -= nlookup;
    if (n.nlookup <= 0) this.nodes.delete(nodeid);
  }

  /** The node's stat, or ENOENT if the machine no longer has it at its path. */
  stat(nodeid: number): Res<Stat> {
    const n = this.nodes.get(nodeid);
    if (n === undefined) return fail(Errno.ENOENT);
    if (n === this.root) {
      const top = this.roots.filter((r) => this.vfs.exists(`/${r}`)).length;
      return ok({ type: "dir", mode: 0o755, size: 0, ino: 0, nlink: 2 + top, mtime: 0, fsType: "sysfs", devMajor: 0, devMinor: 0, rdevMajor: 0, rdevMinor: 0, uid: 0, gid: 0 });
    }
    const st = attempt(() => this.vfs.lstat(n.path));
    if (st.ok && st.value.ino !== n.ino) return fail(Errno.ENOENT);
    return st;
  }

  attr(nodeid: number): Res<Attr> {
    const st = this.stat(nodeid);
    return st.ok ? ok(this.attrOf(nodeid, st.value)) : st;
  }

  private attrOf(nodeid: number, st: Stat): Attr {
    const typeBits = st.type === "dir" ? S_IFDIR : st.type === "link" ? S_IFLNK : S_IFREG;
    return {
      ino: nodeid,
      // kernfs and procfs symlinks report size 0; attributes 4096 in sysfs, 0 elsewhere
      size: st.type === "link" ? 0 : st.size,
      mode: typeBits | (st.mode & 0o7777),
      nlink: st.nlink,
      blksize: st.fsType === "proc" ? 1024 : 4096,
      timeNs: this.epochNs + BigInt(Math.max(0, Math.floor(st.mtime))),
    };
  }

  /** ".", ".." and the directory's entries, in the tree's order. */
  readdir(nodeid: number): Res<DirEntry[]> {
    const n = this.nodes.get(nodeid);
    if (n === undefined) return fail(Errno.ENOENT);
    const self = this.stat(nodeid);
    if (!self.ok) return self;
    if (self.value.type !== "dir") return fail(Errno.ENOTDIR);
    const names = n === this.root ? this.roots.filter((r) => this.vfs.exists(`/${r}`)) : attempt(() => this.vfs.readdir(n.path));
    if (!Array.isArray(names) && !names.ok) return names;
    const list = Array.isArray(names) ? names : names.value;
    const out: DirEntry[] = [
      { name: ".", ino: nodeid, type: DT_DIR },
      { name: "..", ino: this.parentIno(n), type: DT_DIR },
    ];
    for (const name of list) {
      const st = attempt(() => this.vfs.lstat(`${n.path}/${name}`));
      if (!st.ok) continue;
      const type = st.value.type === "dir" ? DT_DIR : st.value.type === "link" ? DT_LNK : DT_REG;
      out.push({ name, ino: st.value.ino + 1, type });
    }
    return ok(out);
  }

  private parentIno(n: ViewNode): number {
    const i = n.path.lastIndexOf("/");
    if (i <= 0) return FUSE_ROOT_ID;
    const st = attempt(() => this.vfs.lstat(n.path.slice(0, i)));
    return st.ok ? st.value.ino + 1 : FUSE_ROOT_ID;
  }

  readlink(nodeid: number): Res<string> {
    const n = this.nodes.get(nodeid);
    if (n === undefined || n === this.root) return fail(n === undefined ? Errno.ENOENT : Errno.EINVAL);
    return attempt(() => this.vfs.readlink(n.path));
  }
}
