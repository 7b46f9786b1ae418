/**
 * Linux errno numbers (x86-64, include/uapi/asm-generic/errno-base.h and errno.h)
 * and glibc's strerror() texts, which bash and coreutils print.
 *
 * Kernel layers return `0 | -errno` (a negative member of this enum); only the
 * edges (VFS, CLI) turn a negative errno into a thrown {@link SysError}.
 */
export enum Errno {
  EPERM = 1,
  ENOENT = 2,
  ESRCH = 3,
  EINTR = 4,
  EIO = 5,
  ENXIO = 6,
  E2BIG = 7,
  ENOEXEC = 8,
  EBADF = 9,
  ECHILD = 10,
  EAGAIN = 11,
  ENOMEM = 12,
  EACCES = 13,
  EFAULT = 14,
  EBUSY = 16,
  EEXIST = 17,
  EXDEV = 18,
  ENODEV = 19,
  ENOTDIR = 20,
  EISDIR = 21,
  EINVAL = 22,
  ENFILE = 23,
  EMFILE = 24,
  ENOTTY = 25,
  EFBIG = 27,
  ENOSPC = 28,
  ESPIPE = 29,
  EROFS = 30,
  EMLINK = 31,
  EPIPE = 32,
  EDOM = 33,
  ERANGE = 34,
  EDEADLK = 35,
  ENAMETOOLONG = 36,
  ENOSYS = 38,
  ENOTEMPTY = 39,
  ELOOP = 40,
  ENODATA = 61,
  ETIME = 62,
  EOVERFLOW = 75,
  EBADMSG = 74,
  EOPNOTSUPP = 95,
  ETIMEDOUT = 110,
  EALREADY = 114,
  EINPROGRESS = 115,
  ECANCELED = 125,
}

/** glibc strerror() text for each errno. */
export const errnoMessages = {
  [Errno.EPERM]: "Operation not permitted",
  [Errno.ENOENT]: "No such file or directory",
  [Errno.ESRCH]: "No such process",
  [Errno.EINTR]: "Interrupted system call",
  [Errno.EIO]: "Input/output error",
  [Errno.ENXIO]: "No such device or address",
  [Errno.E2BIG]: "Argument list too long",
  [Errno.ENOEXEC]: "Exec format error",
  [Errno.EBADF]: "Bad file descriptor",
  [Errno.ECHILD]: "No child processes",
  [Errno.EAGAIN]: "Resource temporarily unavailable",
  [Errno.ENOMEM]: "Cannot allocate memory",
  [Errno.EACCES]: "Permission denied",
  [Errno.EFAULT]: "Bad address",
  [Errno.EBUSY]: "Device or resource busy",
  [Errno.EEXIST]: "File exists",
  [Errno.EXDEV]: "Invalid cross-device link",
  [Errno.ENODEV]: "No such device",
  [Errno.ENOTDIR]: "Not a directory",
  [Errno.EISDIR]: "Is a directory",
  [Errno.EINVAL]: "Invalid argument",
  [Errno.ENFILE]: "Too many open files in system",
  [Errno.EMFILE]: "Too many open files",
  [Errno.ENOTTY]: "Inappropriate ioctl for device",
  [Errno.EFBIG]: "File too large",
  [Errno.ENOSPC]: "No space left on device",
  [Errno.ESPIPE]: "Illegal seek",
  [Errno.EROFS]: "Read-only file system",
  [Errno.EMLINK]: "Too many links",
  [Errno.EPIPE]: "Broken pipe",
  [Errno.EDOM]: "Numerical argument out of domain",
  [Errno.ERANGE]: "Numerical result out of range",
  [Errno.EDEADLK]: "Resource deadlock avoided",
  [Errno.ENAMETOOLONG]: "File name too long",
  [Errno.ENOSYS]: "Function not implemented",
  [Errno.ENOTEMPTY]: "Directory not empty",
  [Errno.ELOOP]: "Too many levels of symbolic links",
  [Errno.ENODATA]: "No data available",
  [Errno.ETIME]: "Timer expired",
  [Errno.EOVERFLOW]: "Value too large for defined data type",
  [Errno.EBADMSG]: "Bad message",
  [Errno.EOPNOTSUPP]: "Operation not supported",
  [Errno.ETIMEDOUT]: "Connection timed out",
  [Errno.EALREADY]: "Operation already in progress",
  [Errno.EINPROGRESS]: "Operation now in progress",
  [Errno.ECANCELED]: "Operation canceled",
} as const satisfies Record<Errno, string>;

/** strerror(3): the message for a (positive or negative) errno. */
export function strerror(errno: number): string {
  const e = Math.abs(errno) as Errno;
  return errnoMessages[e] ?? `Unknown error ${Math.abs(errno)}`;
}

/** The symbolic name ("EPERM") of a (positive or negative) errno. */
export function errnoName(errno: number): string {
  return Errno[Math.abs(errno)] ?? `E${Math.abs(errno)}`;
}

/** True when a kernel-style return value is an error (a negative errno). */
export function isErr(ret: number): boolean {
  return ret < 0;
}

/**
 * A failed system call at the VFS/CLI edge, carrying the errno like Node's
 * `SystemError` (`code`, `errno`, `syscall`, `path`).
 *
 * @example
 * throw new SysError(Errno.EPERM, "write", "/sys/bus/dsa/devices/iax1/wq1.0/size");
 * // message: "EPERM: Operation not permitted, write '/sys/bus/dsa/devices/iax1/wq1.0/size'"
 */
export class SysError extends Error {
  readonly errno: number;
  readonly code: string;
  readonly syscall: string;
  readonly path: string | undefined;

  constructor(errno: number, syscall: string, path?: string) {
    const e = Math.abs(errno);
    const code = errnoName(e);
    super(`${code}: ${strerror(e)}, ${syscall}${path === undefined ? "" : ` '${path}'`}`);
    this.name = "SysError";
    this.errno = e;
    this.code = code;
    this.syscall = syscall;
    this.path = path;
  }
}

/** Throws a {@link SysError} when `ret` is a negative errno; returns `ret` otherwise. */
export function check(ret: number, syscall: string, path?: string): number {
  if (ret < 0) throw new SysError(-ret, syscall, path);
  return ret;
}
