/**
 * One FUSE connection over an open `/dev/fuse`: reads the kernel's requests
 * asynchronously (one at a time, into a buffer larger than max_write plus the
 * headers, as the kernel requires), answers INIT and DESTROY itself and every
 * other request through handlers.ts, and writes each reply with one write(2).
 *
 * The reads run on libuv's thread pool, so the thread that owns the machine
 * stays free between requests; each request is answered synchronously, in
 * order, before the next read. Reading /dev/fuse fails with ENODEV once the
 * file system is unmounted (by us or by someone's `umount`): the session ends.
 * Before the mount attaches the descriptor, a read fails with EPERM; the
 * session retries until mount(8) is done.
 */
import { close, read, writeSync } from "node:fs";
import { Errno } from "../../lib/errno.js";
import {
  FUSE_ATOMIC_O_TRUNC,
  FUSE_KERNEL_VERSION,
  FUSE_MAX_MINOR,
  FUSE_MIN_MINOR,
  IN_HEADER_SIZE,
  OUT_HEADER_SIZE,
  Op,
  initOut,
  readInHeader,
  type InHeader,
} from "./abi.js";
import { handle, type Ctx, type Reply } from "./handlers.js";

/** Largest write the kernel sends in one request: PAGE_SIZE, as sysfs takes per store. */
export const MAX_WRITE = 4096;
/** Read buffer: at least FUSE_MIN_READ_BUFFER (8192) and max_write + headers. */
const BUF_SIZE = 64 * 1024;
const RETRY_MS = 5;
/** linux: EPROTO (not in lib/errno's table). */
const EPROTO = 71;

export interface SessionInfo {
  /** The protocol minor agreed at INIT (0 before). */
  minor: number;
  requests: number;
}

export class FuseSession {
  private readonly buf = Buffer.alloc(BUF_SIZE);
  private mounted = false;
  private ended = false;
  private endResolve!: (reason: string) => void;
  /** Resolves with why the session ended ("unmounted" or an error line). */
  readonly ended$: Promise<string>;
  readonly info: SessionInfo = { minor: 0, requests: 0 };

  constructor(
    private readonly fd: number,
    private readonly ctx: Ctx,
  ) {
    this.ended$ = new Promise((res) => (this.endResolve = res));
  }

  /** Starts reading; `attached` tells the session that mount(8) succeeded (EPERM is then an error). */
  start(): void {
    this.next();
  }

  attached(): void {
    this.mounted = true;
  }

  /** Stops after a failed mount: closes the descriptor. */
  abort(reason: string): void {
    this.finish(reason);
  }

  private next(): void {
    if (this.ended) return;
    read(this.fd, this.buf, 0, BUF_SIZE, null, (e, n) => {
      if (this.ended) return;
      if (e !== null) return this.readFailed(e);
      this.dispatch(n);
      this.next();
    });
  }

  private readFailed(e: NodeJS.ErrnoException): void {
    if (e.code === "ENODEV") return this.finish("unmounted");
    if (e.code === "EINTR" || e.code === "EAGAIN" || e.code === "ENOENT") return this.next();
    if (e.code === "EPERM" && !this.mounted) {
      setTimeout(() => this.next(), RETRY_MS);
      return;
    }
    this.finish(`read /dev/fuse: ${e.message}`);
  }

  private finish(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    close(this.fd, () => this.endResolve(reason));
  }

  private dispatch(n: number): void {
    if (n < IN_HEADER_SIZE) return;
    const h = readInHeader(this.buf);
    const body = this.buf.subarray(IN_HEADER_SIZE, Math.min(n, h.len));
    this.info.requests += 1;
    let r: Reply;
    if (h.opcode === Op.INIT) r = this.init(body);
    else if (h.opcode === Op.DESTROY) r = { body: new Uint8Array(0) };
    else {
      try {
        r = handle(this.ctx, h, body);
      } catch {
        // a bug below must not take the machine down; the caller sees EIO
        r = { errno: Errno.EIO };
      }
    }
    if (r !== null) this.send(h, r);
  }

  private init(body: Buffer): Reply {
    const major = body.readUInt32LE(0);
    const minor = body.readUInt32LE(4);
    const maxReadahead = body.readUInt32LE(8);
    if (major > FUSE_KERNEL_VERSION) {
      // the kernel retries INIT with our major
      return { body: initOut({ minor: 0, maxReadahead: 0, flags: 0, maxWrite: MAX_WRITE }) };
    }
    if (major < FUSE_KERNEL_VERSION || minor < FUSE_MIN_MINOR) return { errno: EPROTO };
    this.info.minor = Math.min(minor, FUSE_MAX_MINOR);
    return { body: initOut({ minor: this.info.minor, maxReadahead, flags: FUSE_ATOMIC_O_TRUNC, maxWrite: MAX_WRITE }) };
  }

  private send(h: InHeader, r: Exclude<Reply, null>): void {
    const body = "body" in r ? r.body : undefined;
    const len = OUT_HEADER_SIZE + (body?.length ?? 0);
    const out = Buffer.allocUnsafe(len);
    out.writeUInt32LE(len, 0);
    out.writeInt32LE("errno" in r ? -r.errno : 0, 4);
    out.writeBigUInt64LE(h.unique, 8);
    if (body !== undefined) out.set(body, OUT_HEADER_SIZE);
    try {
      writeSync(this.fd, out);
    } catch (e) {
      // ENOENT: the request was interrupted and is gone; ENODEV: unmounted meanwhile
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENODEV") throw e;
    }
  }
}
