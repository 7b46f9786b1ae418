/**
 * The VFS: path lookup and file operations over the emulated tree.
 *
 * This is an edge: kernel code below returns `-errno`; here a failure becomes a
 * thrown {@link SysError} carrying the errno, the system call and the path, as
 * a user program would see it. Paths must be absolute; the shell resolves
 * relative ones against its working directory.
 */
import { Errno, SysError } from "../lib/errno.js";
import { KnAttr, KnDevice, KnDir, KnFile, KnLink, type KnNode, type FsType } from "./node.js";

/** A node's type as stat(2)'s S_IFMT tells it: "chr" and "blk" are device special files. */
export type FileType = "dir" | "file" | "link" | "chr" | "blk";

/**
 * st_dev of each file system: the root disk's partition for the root
 * (/dev/nvme0n1p2, 259:2, as /etc/fstab mounts it) and anonymous device
 * numbers (major 0) for the virtual file systems, as a Debian boot numbers them.
 */
const FS_DEV: Record<FsType, readonly [number, number]> = {
  tmpfs: [259, 2],
  devtmpfs: [0, 6],
  debugfs: [0, 7],
  proc: [0, 20],
  sysfs: [0, 21],
};

export interface Stat {
  type: FileType;
  mode: number;
  size: number;
  ino: number;
  nlink: number;
  /** Virtual ns since boot. */
  mtime: number;
  /** The file system the node lives in. */
  fsType: FsType;
  /** MAJOR/MINOR(st_dev): the file system's device. */
  devMajor: number;
  devMinor: number;
  /** MAJOR/MINOR(st_rdev): a device special file's number (0 for other files). */
  rdevMajor: number;
  rdevMinor: number;
  /** st_uid, st_gid */
  uid: number;
  gid: number;
}

export interface OpenFlags {
  read?: boolean;
  write?: boolean;
  append?: boolean;
  /** O_TRUNC (regular files only; kernfs ignores it). */
  trunc?: boolean;
  /** O_CREAT */
  create?: boolean;
}

/** An open file. Attribute content is captured at open (seq_file semantics). */
export interface FileHandle {
  readonly path: string;
  /** The whole content as read at open. */
  read(): Uint8Array;
  /** One write(2): for an attribute, one store() call. Throws SysError. */
  write(data: string | Uint8Array): number;
  close(): void;
}

const MAX_SYMLINKS = 40;
const enc = new TextEncoder();
const dec = new TextDecoder();

interface Walk {
  node: KnNode;
  parent: KnDir;
  name: string;
  /** Canonical path of `node`. */
  path: string;
}

/**
 * Path operations on a tree rooted at `root`.
 *
 * @example
 * const vfs = new Vfs(root, () => clock.now);
 * vfs.writeFile("/sys/bus/dsa/drivers/crypto/sync_mode", "async_irq\n");
 * vfs.readText("/sys/bus/dsa/drivers/crypto/sync_mode"); // "async_irq\n"
 */
export class Vfs {
  constructor(
    readonly root: KnDir,
    private readonly now: () => number = () => 0,
  ) {}

  // --- lookup -------------------------------------------------------------

  private walk(path: string, follow: boolean, syscall: string): Walk {
    if (!path.startsWith("/")) throw new SysError(Errno.ENOENT, syscall, path);
    let links = 0;
    const stack: { dir: KnDir; name: string }[] = [];
    let cur: KnNode = this.root;
    let parts = path.split("/").filter((p) => p !== "" && p !== ".");
    while (parts.length > 0) {
      const name = parts.shift()!;
      if (cur.kind !== "dir") throw new SysError(Errno.ENOTDIR, syscall, path);
      if (name === "..") {
        const up = stack.pop();
        cur = up === undefined ? this.root : up.dir;
        continue;
      }
      const child: KnNode | undefined = cur.children.get(name);
      if (child === undefined) throw new SysError(Errno.ENOENT, syscall, path);
      if (child.kind === "link" && (parts.length > 0 || follow)) {
        if (++links > MAX_SYMLINKS) throw new SysError(Errno.ELOOP, syscall, path);
        const target = child.target.split("/").filter((p) => p !== "" && p !== ".");
        if (child.target.startsWith("/")) {
          stack.length = 0;
          cur = this.root;
        }
        parts = [...target, ...parts];
        continue;
      }
      stack.push({ dir: cur, name });
      cur = child;
    }
    const last = stack[stack.length - 1];
    return {
      node: cur,
      parent: last === undefined ? this.root : last.dir,
      name: last === undefined ? "" : last.name,
      path: "/" + stack.map((s) => s.name).join("/"),
    };
  }

  /** Splits an absolute path into its parent directory (resolved) and last name. */
  private parentOf(path: string, syscall: string): { dir: KnDir; name: string } {
    const trimmed = path.replace(/\/+$/, "");
    const i = trimmed.lastIndexOf("/");
    const name = trimmed.slice(i + 1);
    const w = this.walk(trimmed.slice(0, i) || "/", true, syscall);
    if (w.node.kind !== "dir") throw new SysError(Errno.ENOTDIR, syscall, path);
    return { dir: w.node, name };
  }

  /** The node at `path` (symlinks followed), or undefined. */
  lookup(path: string): KnNode | undefined {
    try {
      return this.walk(path, true, "stat").node;
    } catch {
      return undefined;
    }
  }

  exists(path: string): boolean {
    return this.lookup(path) !== undefined;
  }

  realpath(path: string): string {
    return this.walk(path, true, "realpath").path;
  }

  stat(path: string): Stat {
    const w = this.walk(path, true, "stat");
    return this.statOf(w.node, w.parent);
  }

  lstat(path: string): Stat {
    const w = this.walk(path, false, "lstat");
    return this.statOf(w.node, w.parent);
  }

  private statOf(n: KnNode, parent: KnDir): Stat {
    const fsType = n.kind === "dir" ? n.fsType : parent.fsType;
    let size = 0;
    let type: FileType = "file";
    if (n.kind === "dir") {
      type = "dir";
      size = fsType === "tmpfs" ? 4096 : 0;
    } else if (n.kind === "link") {
      type = "link";
      size = n.target.length;
    } else if (n.kind === "file") {
      size = n.data.length;
    } else {
      size = fsType === "sysfs" ? (n.size ?? 4096) : 0;
    }
    const nlink = n.kind === "dir" ? 2 + [...n.children.values()].filter((c) => c.kind === "dir").length : 1;
    const [devMajor, devMinor] = FS_DEV[fsType];
    const st: Stat = { type, mode: n.mode, size, ino: n.ino, nlink, mtime: n.mtime, fsType, devMajor, devMinor, rdevMajor: 0, rdevMinor: 0, uid: 0, gid: 0 };
    if (n instanceof KnDevice) {
      st.type = n.devType;
      st.size = 0;
      st.rdevMajor = n.major;
      st.rdevMinor = n.minor;
      st.gid = n.gid;
    }
    return st;
  }

  readdir(path: string): string[] {
    const w = this.walk(path, true, "scandir");
    if (w.node.kind !== "dir") throw new SysError(Errno.ENOTDIR, "scandir", path);
    return [...w.node.children.keys()];
  }

  readlink(path: string): string {
    const w = this.walk(path, false, "readlink");
    if (w.node.kind !== "link") throw new SysError(Errno.EINVAL, "readlink", path);
    return w.node.target;
  }

  // --- open / read / write --------------------------------------------------

  open(path: string, flags: OpenFlags = { read: true }): FileHandle {
    let w: Walk | undefined;
    try {
      w = this.walk(path, true, "open");
    } catch (e) {
      if (!(e instanceof SysError) || e.errno !== Errno.ENOENT || flags.create !== true) throw e;
    }
    if (w === undefined) {
      const { dir, name } = this.parentOf(path, "open");
      if (dir.children.has(name)) {
        // a dangling symlink
        throw new SysError(Errno.ENOENT, "open", path);
      }
      if (dir.fsType !== "tmpfs") throw new SysError(Errno.EACCES, "open", path);
      const f = new KnFile(0o644);
      f.mtime = this.now();
      dir.add(name, f);
      dir.mtime = f.mtime;
      return this.fileHandle(path, f, flags);
    }
    const n = w.node;
    if (n.kind === "dir") {
      if (flags.write === true) throw new SysError(Errno.EISDIR, "open", path);
      return { path, read: () => { throw new SysError(Errno.EISDIR, "read", path); }, write: () => { throw new SysError(Errno.EBADF, "write", path); }, close() {} };
    }
    if (n.kind === "attr") return this.attrHandle(path, n, flags);
    if (n.kind === "file") return this.fileHandle(path, n, flags);
    throw new SysError(Errno.ELOOP, "open", path);
  }

  private attrHandle(path: string, a: KnAttr, flags: OpenFlags): FileHandle {
    const wantRead = flags.read === true || flags.write !== true;
    if (flags.write === true && a.store === undefined) throw new SysError(Errno.EACCES, "open", path);
    if (wantRead && flags.write !== true && a.show === undefined) throw new SysError(Errno.EACCES, "open", path);
    let content: Uint8Array | undefined;
    return {
      path,
      read(): Uint8Array {
        if (content !== undefined) return content;
        if (a.show === undefined) throw new SysError(Errno.EACCES, "read", path);
        const r = a.show();
        if (typeof r === "number") throw new SysError(r < 0 ? -r : Errno.EIO, "read", path);
        content = typeof r === "string" ? enc.encode(r) : r;
        return content;
      },
      write(data: string | Uint8Array): number {
        if (a.store === undefined) throw new SysError(Errno.EBADF, "write", path);
        const text = typeof data === "string" ? data : dec.decode(data);
        const len = typeof data === "string" ? enc.encode(data).length : data.length;
        const r = a.store(text);
        if (r < 0) throw new SysError(-r, "write", path);
        return len;
      },
      close() {},
    };
  }

  private fileHandle(path: string, f: KnFile, flags: OpenFlags): FileHandle {
    if (flags.write === true && (f.mode & 0o222) === 0) throw new SysError(Errno.EACCES, "open", path);
    if (flags.write === true && flags.trunc === true && flags.append !== true) {
      f.data = new Uint8Array(0);
      f.mtime = this.now();
    }
    const now = this.now;
    return {
      path,
      read: () => f.data,
      write(data: string | Uint8Array): number {
        const bytes = typeof data === "string" ? enc.encode(data) : data;
        const next = new Uint8Array(f.data.length + bytes.length);
        next.set(f.data, 0);
        next.set(bytes, f.data.length);
        f.data = next;
        f.mtime = now();
        return bytes.length;
      },
      close() {},
    };
  }

  readFile(path: string): Uint8Array {
    const h = this.open(path, { read: true });
    try {
      return h.read();
    } finally {
      h.close();
    }
  }

  readText(path: string): string {
    return dec.decode(this.readFile(path));
  }

  /** open(O_WRONLY|O_CREAT|O_TRUNC or O_APPEND) + one write + close. */
  writeFile(path: string, data: string | Uint8Array, opts: { append?: boolean } = {}): void {
    const h = this.open(path, { write: true, create: true, trunc: opts.append !== true, append: opts.append === true });
    try {
      h.write(data);
    } finally {
      h.close();
    }
  }

  // --- namespace operations (tmpfs only) -------------------------------------

  mkdir(path: string, opts: { parents?: boolean; mode?: number } = {}): void {
    if (opts.parents === true) {
      let p = "";
      for (const part of path.split("/").filter((x) => x !== "")) {
        p += "/" + part;
        const n = this.lookup(p);
        if (n === undefined) this.mkdir(p, { mode: opts.mode });
        else if (n.kind !== "dir") throw new SysError(Errno.ENOTDIR, "mkdir", p);
      }
      return;
    }
    const { dir, name } = this.parentOf(path, "mkdir");
    if (dir.children.has(name)) throw new SysError(Errno.EEXIST, "mkdir", path);
    if (dir.fsType !== "tmpfs") throw new SysError(Errno.EACCES, "mkdir", path);
    const d = dir.add(name, new KnDir("tmpfs", opts.mode ?? 0o755));
    d.mtime = this.now();
    dir.mtime = d.mtime;
  }

  unlink(path: string): void {
    const { dir, name } = this.parentOf(path, "unlink");
    const n = dir.children.get(name);
    if (n === undefined) throw new SysError(Errno.ENOENT, "unlink", path);
    if (n.kind === "dir") throw new SysError(Errno.EISDIR, "unlink", path);
    if (dir.fsType !== "tmpfs") throw new SysError(Errno.EPERM, "unlink", path);
    dir.remove(name);
    dir.mtime = this.now();
  }

  rmdir(path: string): void {
    const { dir, name } = this.parentOf(path, "rmdir");
    const n = dir.children.get(name);
    if (n === undefined) throw new SysError(Errno.ENOENT, "rmdir", path);
    if (n.kind !== "dir") throw new SysError(Errno.ENOTDIR, "rmdir", path);
    if (dir.fsType !== "tmpfs" || n.fsType !== "tmpfs") throw new SysError(Errno.EPERM, "rmdir", path);
    if (n.children.size > 0) throw new SysError(Errno.ENOTEMPTY, "rmdir", path);
    dir.remove(name);
    dir.mtime = this.now();
  }

  rename(from: string, to: string): void {
    const a = this.parentOf(from, "rename");
    const n = a.dir.children.get(a.name);
    if (n === undefined) throw new SysError(Errno.ENOENT, "rename", from);
    const b = this.parentOf(to, "rename");
    if (a.dir.fsType !== "tmpfs" || b.dir.fsType !== "tmpfs") throw new SysError(Errno.EPERM, "rename", from);
    a.dir.remove(a.name);
    b.dir.add(b.name, n);
    // a directory's entries changed: its mtime is now (as every Linux file system keeps it)
    a.dir.mtime = b.dir.mtime = this.now();
  }

  symlink(target: string, path: string): void {
    const { dir, name } = this.parentOf(path, "symlink");
    if (dir.children.has(name)) throw new SysError(Errno.EEXIST, "symlink", path);
    if (dir.fsType !== "tmpfs") throw new SysError(Errno.EPERM, "symlink", path);
    const l = dir.add(name, new KnLink(target));
    l.mtime = dir.mtime = this.now();
  }

  chmod(path: string, mode: number): void {
    const w = this.walk(path, true, "chmod");
    if (w.parent.fsType !== "tmpfs" && w.node.kind !== "dir") throw new SysError(Errno.EPERM, "chmod", path);
    w.node.mode = mode & 0o7777;
  }
}
