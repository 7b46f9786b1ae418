/**
 * The FUSE kernel protocol's binary layout (linux: include/uapi/linux/fuse.h,
 * protocol 7.x with x >= 23): opcodes, flags, and encoders for the reply
 * structures this server sends. Little-endian, as on x86-64.
 */

export const FUSE_KERNEL_VERSION = 7;
/** The newest minor whose structures this server speaks (struct layouts below are those of 7.38). */
export const FUSE_MAX_MINOR = 38;
/** The oldest minor it accepts (fuse_init_out's full size and fuse_attr.flags). */
export const FUSE_MIN_MINOR = 23;
export const FUSE_ROOT_ID = 1;

export const enum Op {
  LOOKUP = 1,
  FORGET = 2,
  GETATTR = 3,
  SETATTR = 4,
  READLINK = 5,
  SYMLINK = 6,
  MKNOD = 8,
  MKDIR = 9,
  UNLINK = 10,
  RMDIR = 11,
  RENAME = 12,
  LINK = 13,
  OPEN = 14,
  READ = 15,
  WRITE = 16,
  STATFS = 17,
  RELEASE = 18,
  FSYNC = 20,
  SETXATTR = 21,
  GETXATTR = 22,
  LISTXATTR = 23,
  REMOVEXATTR = 24,
  FLUSH = 25,
  INIT = 26,
  OPENDIR = 27,
  READDIR = 28,
  RELEASEDIR = 29,
  FSYNCDIR = 30,
  ACCESS = 34,
  CREATE = 35,
  INTERRUPT = 36,
  DESTROY = 38,
  BATCH_FORGET = 42,
  RENAME2 = 45,
  TMPFILE = 51,
}

/** fuse_init flags this server asks for: O_TRUNC arrives in OPEN's flags (and is ignored, as sysfs does). */
export const FUSE_ATOMIC_O_TRUNC = 1 << 3;
/** fuse_open_out.open_flags: bypass the page cache, so every read reaches the show function. */
export const FOPEN_DIRECT_IO = 1 << 0;

/** fuse_setattr_in.valid bits. */
export const FATTR_MODE = 1 << 0;
export const FATTR_UID = 1 << 1;
export const FATTR_GID = 1 << 2;
export const FATTR_SIZE = 1 << 3;

export const IN_HEADER_SIZE = 40;
export const OUT_HEADER_SIZE = 16;
export const ATTR_SIZE = 88;
export const ENTRY_OUT_SIZE = 40 + ATTR_SIZE;
export const ATTR_OUT_SIZE = 16 + ATTR_SIZE;
export const OPEN_OUT_SIZE = 16;
export const INIT_OUT_SIZE = 64;
export const STATFS_OUT_SIZE = 80;
/** fuse_write_in, before the data. */
export const WRITE_IN_SIZE = 40;
export const DIRENT_HEADER_SIZE = 24;

/** S_IF* and DT_* for the three kinds of node the tree has. */
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;
export const DT_DIR = 4;
export const DT_REG = 8;
export const DT_LNK = 10;

export interface InHeader {
  len: number;
  opcode: number;
  unique: bigint;
  nodeid: number;
  uid: number;
  gid: number;
  pid: number;
}

export function readInHeader(b: Buffer): InHeader {
  return {
    len: b.readUInt32LE(0),
    opcode: b.readUInt32LE(4),
    unique: b.readBigUInt64LE(8),
    nodeid: Number(b.readBigUInt64LE(16)),
    uid: b.readUInt32LE(24),
    gid: b.readUInt32LE(28),
    pid: b.readUInt32LE(32),
  };
}

/** What `struct fuse_attr` says about one node. Times in ns since the epoch. */
export interface Attr {
  ino: number;
  size: number;
  mode: number;
  nlink: number;
  blksize: number;
  timeNs: bigint;
}

export function writeAttr(b: Buffer, off: number, a: Attr): void {
  b.fill(0, off, off + ATTR_SIZE);
  const sec = a.timeNs / 1_000_000_000n;
  const nsec = Number(a.timeNs % 1_000_000_000n);
  b.writeBigUInt64LE(BigInt(a.ino), off);
  b.writeBigUInt64LE(BigInt(a.size), off + 8);
  // blocks: 0, as sysfs, procfs and debugfs report
  for (const t of [24, 32, 40]) b.writeBigUInt64LE(sec, off + t);
  for (const t of [48, 52, 56]) b.writeUInt32LE(nsec, off + t);
  b.writeUInt32LE(a.mode, off + 60);
  b.writeUInt32LE(a.nlink, off + 64);
  // uid, gid, rdev: 0
  b.writeUInt32LE(a.blksize, off + 80);
}

/** struct fuse_entry_out with zero entry and attribute timeouts (every lookup reaches the tree). */
export function entryOut(nodeid: number, a: Attr): Buffer {
  const b = Buffer.alloc(ENTRY_OUT_SIZE);
  b.writeBigUInt64LE(BigInt(nodeid), 0);
  writeAttr(b, 40, a);
  return b;
}

/** struct fuse_attr_out with a zero timeout. */
export function attrOut(a: Attr): Buffer {
  const b = Buffer.alloc(ATTR_OUT_SIZE);
  writeAttr(b, 16, a);
  return b;
}

export function openOut(fh: number, openFlags: number): Buffer {
  const b = Buffer.alloc(OPEN_OUT_SIZE);
  b.writeBigUInt64LE(BigInt(fh), 0);
  b.writeUInt32LE(openFlags, 8);
  return b;
}

/** fuse_write_out / fuse_getxattr_out: a size and padding. */
export function sizeOut(size: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32LE(size, 0);
  return b;
}

export function statfsOut(): Buffer {
  const b = Buffer.alloc(STATFS_OUT_SIZE);
  // blocks, bfree, bavail, files, ffree: 0, as statfs(2) on sysfs reports
  b.writeUInt32LE(4096, 40); // bsize
  b.writeUInt32LE(255, 44); // namelen
  b.writeUInt32LE(4096, 48); // frsize
  return b;
}

export interface InitReply {
  minor: number;
  maxReadahead: number;
  flags: number;
  maxWrite: number;
}

export function initOut(r: InitReply): Buffer {
  const b = Buffer.alloc(INIT_OUT_SIZE);
  b.writeUInt32LE(FUSE_KERNEL_VERSION, 0);
  b.writeUInt32LE(r.minor, 4);
  b.writeUInt32LE(r.maxReadahead, 8);
  b.writeUInt32LE(r.flags, 12);
  b.writeUInt16LE(16, 16); // max_background
  b.writeUInt16LE(12, 18); // congestion_threshold
  b.writeUInt32LE(r.maxWrite, 20);
  b.writeUInt32LE(1, 24); // time_gran: 1 ns
  return b;
}

/** Bytes one struct fuse_dirent with this name takes (8-byte aligned). */
export function direntSize(nameBytes: number): number {
  return (DIRENT_HEADER_SIZE + nameBytes + 7) & ~7;
}

/** Writes one fuse_dirent at `off`; `next` is the offset the kernel passes back to continue after it. */
export function writeDirent(b: Buffer, off: number, ino: number, next: number, type: number, name: Buffer): number {
  const size = direntSize(name.length);
  b.fill(0, off, off + size);
  b.writeBigUInt64LE(BigInt(ino), off);
  b.writeBigUInt64LE(BigInt(next), off + 8);
  b.writeUInt32LE(name.length, off + 16);
  b.writeUInt32LE(type, off + 20);
  name.copy(b, off + DIRENT_HEADER_SIZE);
  return size;
}

/** The NUL-terminated name at `off` in a request body. */
export function cstring(b: Buffer, off: number): string {
  const end = b.indexOf(0, off);
  return b.toString("utf8", off, end < 0 ? b.length : end);
}
