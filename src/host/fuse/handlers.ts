/**
 * The answers to FUSE requests, one small handler per opcode, looked up in a
 * table. A handler gets the request header and body and returns the reply
 * (a body, or a positive errno), or `null` for requests the kernel expects no
 * answer to (FORGET, BATCH_FORGET, INTERRUPT).
 *
 * Errnos where a request changes the tree are those sysfs and procfs give:
 * creating a file is EACCES (no `create` inode operation), mkdir, unlink,
 * rmdir, symlink, mknod, rename and link are EPERM; chmod and chown of a node
 * are EPERM; truncation is accepted and changes nothing.
 */
import { Errno } from "../../lib/errno.js";
import {
  FATTR_GID,
  FATTR_MODE,
  FATTR_UID,
  FOPEN_DIRECT_IO,
  Op,
  WRITE_IN_SIZE,
  attrOut,
  cstring,
  direntSize,
  entryOut,
  openOut,
  sizeOut,
  statfsOut,
  writeDirent,
  type InHeader,
} from "./abi.js";
import type { OpenFiles } from "./files.js";
import type { Res, TreeView } from "./view.js";

export type Reply = { errno: number } | { body: Uint8Array } | null;

export interface Ctx {
  view: TreeView;
  files: OpenFiles;
  /** Told the host process (pid) of each write before the machine sees it. */
  caller?: (pid: number) => void;
}

type Handler = (c: Ctx, h: InHeader, body: Buffer) => Reply;

const EMPTY = new Uint8Array(0);
const done: Reply = { body: EMPTY };
const err = (errno: number): Reply => ({ errno });
const reply = <T>(r: Res<T>, enc: (v: T) => Uint8Array): Reply => (r.ok ? { body: enc(r.value) } : err(r.errno));

function getattr(c: Ctx, h: InHeader): Reply {
  return reply(c.view.attr(h.nodeid), attrOut);
}

function setattr(c: Ctx, h: InHeader, body: Buffer): Reply {
  const valid = body.readUInt32LE(0);
  if ((valid & (FATTR_MODE | FATTR_UID | FATTR_GID)) !== 0) {
    const st = c.view.stat(h.nodeid);
    if (!st.ok) return err(st.errno);
    return err(Errno.EPERM);
  }
  // size (O_TRUNC, truncate(2)) and times: nothing to change, as in sysfs
  return getattr(c, h);
}

function lookup(c: Ctx, h: InHeader, body: Buffer): Reply {
  return reply(c.view.lookup(h.nodeid, cstring(body, 0)), (e) => entryOut(e.nodeid, e.attr));
}

function forget(c: Ctx, h: InHeader, body: Buffer): Reply {
  c.view.forget(h.nodeid, Number(body.readBigUInt64LE(0)));
  return null;
}

function batchForget(c: Ctx, _h: InHeader, body: Buffer): Reply {
  const count = body.readUInt32LE(0);
  for (let i = 0; i < count; i++) {
    const off = 8 + i * 16;
    c.view.forget(Number(body.readBigUInt64LE(off)), Number(body.readBigUInt64LE(off + 8)));
  }
  return null;
}

function readlink(c: Ctx, h: InHeader): Reply {
  return reply(c.view.readlink(h.nodeid), (t) => Buffer.from(t, "utf8"));
}

function open(c: Ctx, h: InHeader, body: Buffer): Reply {
  return reply(c.files.open(h.nodeid, body.readUInt32LE(0)), (fh) => openOut(fh, FOPEN_DIRECT_IO));
}

function read(c: Ctx, _h: InHeader, body: Buffer): Reply {
  const fh = Number(body.readBigUInt64LE(0));
  const offset = Number(body.readBigUInt64LE(8));
  const size = body.readUInt32LE(16);
  return reply(c.files.read(fh, offset, size), (b) => b);
}

function write(c: Ctx, h: InHeader, body: Buffer): Reply {
  c.caller?.(h.pid);
  const fh = Number(body.readBigUInt64LE(0));
  const size = body.readUInt32LE(16);
  const data = body.subarray(WRITE_IN_SIZE, WRITE_IN_SIZE + size);
  return reply(c.files.write(fh, data), (n) => sizeOut(n));
}

function release(c: Ctx, _h: InHeader, body: Buffer): Reply {
  c.files.release(Number(body.readBigUInt64LE(0)));
  return done;
}

function opendir(c: Ctx, h: InHeader): Reply {
  return reply(c.files.opendir(h.nodeid), (fh) => openOut(fh, 0));
}

function readdir(c: Ctx, _h: InHeader, body: Buffer): Reply {
  const fh = Number(body.readBigUInt64LE(0));
  const offset = Number(body.readBigUInt64LE(8));
  const size = body.readUInt32LE(16);
  const list = c.files.entries(fh, offset);
  if (!list.ok) return err(list.errno);
  const out = Buffer.alloc(size);
  let used = 0;
  let next = offset;
  for (const e of list.value) {
    const name = Buffer.from(e.name, "utf8");
    if (used + direntSize(name.length) > size) break;
    next += 1;
    used += writeDirent(out, used, e.ino, next, e.type, name);
  }
  return { body: out.subarray(0, used) };
}

function releasedir(c: Ctx, _h: InHeader, body: Buffer): Reply {
  c.files.releasedir(Number(body.readBigUInt64LE(0)));
  return done;
}

/** sysfs nodes have no extended attributes (ENODATA, an empty list); procfs and debugfs support none. */
function xattrErrno(c: Ctx, h: InHeader): number {
  const st = c.view.stat(h.nodeid);
  if (!st.ok) return st.errno;
  return st.value.fsType === "sysfs" ? 0 : Errno.EOPNOTSUPP;
}

function getxattr(c: Ctx, h: InHeader): Reply {
  const e = xattrErrno(c, h);
  return err(e === 0 ? Errno.ENODATA : e);
}

function listxattr(c: Ctx, h: InHeader, body: Buffer): Reply {
  const e = xattrErrno(c, h);
  if (e !== 0) return err(e);
  return body.readUInt32LE(0) === 0 ? { body: sizeOut(0) } : done;
}

function setxattr(c: Ctx, h: InHeader): Reply {
  const st = c.view.stat(h.nodeid);
  return err(st.ok ? Errno.EOPNOTSUPP : st.errno);
}

function ok(c: Ctx, h: InHeader): Reply {
  const st = c.view.stat(h.nodeid);
  return st.ok ? done : err(st.errno);
}

const refuse = (errno: number): Handler => () => err(errno);
const silent: Handler = () => null;

const HANDLERS = new Map<number, Handler>([
  [Op.LOOKUP, lookup],
  [Op.FORGET, forget],
  [Op.BATCH_FORGET, batchForget],
  [Op.GETATTR, getattr],
  [Op.SETATTR, setattr],
  [Op.READLINK, readlink],
  [Op.OPEN, open],
  [Op.READ, read],
  [Op.WRITE, write],
  [Op.RELEASE, release],
  [Op.FLUSH, ok],
  [Op.FSYNC, ok],
  [Op.OPENDIR, opendir],
  [Op.READDIR, readdir],
  [Op.RELEASEDIR, releasedir],
  [Op.FSYNCDIR, ok],
  [Op.STATFS, () => ({ body: statfsOut() })],
  [Op.ACCESS, ok],
  [Op.GETXATTR, getxattr],
  [Op.LISTXATTR, listxattr],
  [Op.SETXATTR, setxattr],
  [Op.REMOVEXATTR, setxattr],
  [Op.CREATE, refuse(Errno.EACCES)],
  [Op.TMPFILE, refuse(Errno.EOPNOTSUPP)],
  [Op.MKNOD, refuse(Errno.EPERM)],
  [Op.MKDIR, refuse(Errno.EPERM)],
  [Op.UNLINK, refuse(Errno.EPERM)],
  [Op.RMDIR, refuse(Errno.EPERM)],
  [Op.SYMLINK, refuse(Errno.EPERM)],
  [Op.RENAME, refuse(Errno.EPERM)],
  [Op.RENAME2, refuse(Errno.EPERM)],
  [Op.LINK, refuse(Errno.EPERM)],
  // requests are answered in order and at once, so there is never one to interrupt
  [Op.INTERRUPT, silent],
]);

/** The reply to one request (INIT and DESTROY are the session's, see session.ts). */
export function handle(c: Ctx, h: InHeader, body: Buffer): Reply {
  const fn = HANDLERS.get(h.opcode);
  if (fn === undefined) return err(Errno.ENOSYS);
  return fn(c, h, body);
}
