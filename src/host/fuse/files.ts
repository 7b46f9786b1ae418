/**
 * Open files and directories of a FUSE mount, with sysfs's semantics
 * (linux: fs/kernfs/file.c):
 * - open checks the attribute's operations: reading needs a show function,
 *   writing a store function, else EACCES (even for root);
 * - a read at offset 0, or the first read of an open file, generates the
 *   content from the machine at that moment (the show function); later reads
 *   continue in that text;
 * - each write is one store call with what that write delivered (the kernel
 *   cuts writes at max_write = 4096 bytes, PAGE_SIZE); the offset does not
 *   matter, and a negative store result is the write's errno.
 * A directory's listing is taken at opendir, as a real getdents sees it.
 */
import { Errno } from "../../lib/errno.js";
import type { FileHandle } from "../../kernfs/vfs.js";
import { attempt, type DirEntry, type Res, type TreeView } from "./view.js";

const O_ACCMODE = 3;
const O_WRONLY = 1;
const O_RDONLY = 0;

interface OpenFile {
  path: string;
  writer: FileHandle | undefined;
  content: Uint8Array | undefined;
}

export class OpenFiles {
  private nextFh = 1;
  private readonly files = new Map<number, OpenFile>();
  private readonly dirs = new Map<number, DirEntry[]>();

  /** `onWrite` runs after every write the machine accepted (the machine process commits its state then). */
  constructor(
    private readonly view: TreeView,
    private readonly onWrite?: () => void,
  ) {}

  /** Open handles (files and directories). */
  get size(): number {
    return this.files.size + this.dirs.size;
  }

  open(nodeid: number, flags: number): Res<number> {
    const n = this.view.node(nodeid);
    const st = this.view.stat(nodeid);
    if (n === undefined || !st.ok) return { ok: false, errno: st.ok ? Errno.ENOENT : st.errno };
    if (st.value.type === "dir") return { ok: false, errno: Errno.EISDIR };
    const acc = flags & O_ACCMODE;
    const read = acc !== O_WRONLY;
    const write = acc !== O_RDONLY;
    const kn = this.view.vfs.lookup(n.path);
    if (kn?.kind === "attr" && ((read && kn.show === undefined) || (write && kn.store === undefined))) {
      return { ok: false, errno: Errno.EACCES };
    }
    let writer: FileHandle | undefined;
    if (write) {
      const h = attempt(() => this.view.vfs.open(n.path, { write: true, read }));
      if (!h.ok) return h;
      writer = h.value;
    }
    const fh = this.nextFh++;
    this.files.set(fh, { path: n.path, writer, content: undefined });
    return { ok: true, value: fh };
  }

  read(fh: number, offset: number, size: number): Res<Uint8Array> {
    const f = this.files.get(fh);
    if (f === undefined) return { ok: false, errno: Errno.EBADF };
    if (offset === 0 || f.content === undefined) {
      const r = attempt(() => this.view.vfs.readFile(f.path));
      if (!r.ok) return r;
      f.content = r.value;
    }
    const start = Math.min(offset, f.content.length);
    return { ok: true, value: f.content.subarray(start, Math.min(f.content.length, start + size)) };
  }

  write(fh: number, data: Uint8Array): Res<number> {
    const f = this.files.get(fh);
    if (f === undefined || f.writer === undefined) return { ok: false, errno: Errno.EBADF };
    const w = f.writer;
    const r = attempt(() => w.write(data));
    if (r.ok) this.onWrite?.();
    return r;
  }

  release(fh: number): void {
    this.files.get(fh)?.writer?.close();
    this.files.delete(fh);
  }

  opendir(nodeid: number): Res<number> {
    const list = this.view.readdir(nodeid);
    if (!list.ok) return list;
    const fh = this.nextFh++;
    this.dirs.set(fh, list.value);
    return { ok: true, value: fh };
  }

  /** The directory's entries from index `offset` on. */
  entries(fh: number, offset: number): Res<readonly DirEntry[]> {
    const d = this.dirs.get(fh);
    if (d === undefined) return { ok: false, errno: Errno.EBADF };
    return { ok: true, value: d.slice(offset) };
  }

  releasedir(fh: number): void {
    this.dirs.delete(fh);
  }
}
