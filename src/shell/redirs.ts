/**
 * Redirections: `<`, `>`, `>>`, `&>`, `&>>`, `>&N`, `<&N`, `N>&-`, here
 * documents and here strings, opened in order onto a copy of the command's
 * streams (later ones see earlier ones: `2>&1 >file` differs from
 * `>file 2>&1`). /dev/null, /dev/stdin, /dev/stdout, /dev/stderr and
 * /dev/fd/0..2 are the shell's own streams, as bash treats them.
 */
import { Errno, SysError, strerror } from "../lib/errno.js";
import type { Redir, Word } from "./ast.js";
import type { ShellState } from "./builtins/mod.js";
import { BufferInput, FileSink, NullSink } from "./io.js";
import type { Io } from "./signals.js";
import type { InputSource, OutputSink } from "./types.js";

/** What redirection needs of the interpreter besides the builtins' view of it. */
export interface RedirShell extends ShellState {
  expandWord(w: Word, io: Io): string[];
  expandString(w: Word, io: Io): string;
  /** Reports a failed expansion as bash does; the status to return. */
  expandFailed(e: unknown, io: Io): number;
}

/** The redirected streams and the files opened for them (closed when the command is done), or a failure's status. */
export function openRedirs(sh: RedirShell, redirs: Redir[], io: Io): { io: Io; handles: { close(): void }[] } | number {
  const nio: Io = { ...io, extra: io.extra === undefined ? undefined : new Map(io.extra) };
  const handles: { close(): void }[] = [];
  const setFd = (fd: number, s: OutputSink | InputSource): void => {
    if (fd === 0) nio.stdin = s as InputSource;
    else if (fd === 1) nio.stdout = s as OutputSink;
    else if (fd === 2) nio.stderr = s as OutputSink;
    else {
      nio.extra ??= new Map();
      nio.extra.set(fd, s);
    }
  };
  const getFd = (fd: number): OutputSink | InputSource | undefined => (fd === 0 ? nio.stdin : fd === 1 ? nio.stdout : fd === 2 ? nio.stderr : nio.extra?.get(fd));
  for (const r of redirs) {
    sh.line = r.line;
    let target: string;
    try {
      if (r.op === "<<" || r.op === "<<-") {
        setFd(r.fd ?? 0, BufferInput.of(sh.expandString(r.body ?? [], io)));
        continue;
      }
      if (r.op === "<<<") {
        setFd(r.fd ?? 0, BufferInput.of(sh.expandString(r.target, io) + "\n"));
        continue;
      }
      const fields = sh.expandWord(r.target, io);
      if (fields.length !== 1) {
        sh.err(io, `${rawWord(r.target)}: ambiguous redirect`);
        return 1;
      }
      target = fields[0]!;
    } catch (e) {
      return sh.expandFailed(e, io);
    }
    if (r.op === ">&" || r.op === "<&") {
      const dflt = r.op === ">&" ? 1 : 0;
      if (target === "-") {
        setFd(r.fd ?? dflt, closedSink());
        continue;
      }
      if (/^\d+$/.test(target)) {
        const src = getFd(Number(target));
        if (src === undefined) {
          sh.err(io, `${target}: Bad file descriptor`);
          return 1;
        }
        setFd(r.fd ?? dflt, src);
        continue;
      }
      if (r.op === ">&" && r.fd === null) {
        // >&file == &>file
      } else {
        sh.err(io, `${target}: ambiguous redirect`);
        return 1;
      }
    }
    const special = specialFile(sh, target, nio);
    if (r.op === "<") {
      if (special !== undefined) {
        setFd(r.fd ?? 0, special === null ? new BufferInput() : (special as InputSource));
        continue;
      }
      try {
        const h = sh.rt.vfs.open(sh.abs(target), { read: true });
        setFd(r.fd ?? 0, new BufferInput(h.read()));
        h.close();
      } catch (e) {
        if (e instanceof SysError) {
          sh.err(io, `${target}: ${strerror(e.errno)}`);
          return 1;
        }
        throw e;
      }
      continue;
    }
    let sink: OutputSink;
    if (special !== undefined) sink = special === null ? new NullSink() : (special as OutputSink);
    else {
      try {
        const append = r.op === ">>" || r.op === "&>>";
        const h = sh.rt.vfs.open(sh.abs(target), { write: true, create: true, trunc: !append, append });
        handles.push(h);
        sink = new FileSink(h);
      } catch (e) {
        if (e instanceof SysError) {
          sh.err(io, `${target}: ${strerror(e.errno)}`);
          for (const h of handles) h.close();
          return 1;
        }
        throw e;
      }
    }
    if (r.op === "&>" || r.op === "&>>" || (r.op === ">&" && r.fd === null)) {
      setFd(1, sink);
      setFd(2, sink);
    } else setFd(r.fd ?? 1, sink);
  }
  return { io: nio, handles };
}

/** /dev/null (null), /dev/stdout etc. (the current stream), or undefined for a real path. */
function specialFile(sh: RedirShell, target: string, io: Io): OutputSink | InputSource | null | undefined {
  const p = sh.abs(target);
  if (p === "/dev/null") return null;
  if (p === "/dev/stdout" || p === "/dev/fd/1") return io.stdout;
  if (p === "/dev/stderr" || p === "/dev/fd/2") return io.stderr;
  if (p === "/dev/stdin" || p === "/dev/fd/0") return io.stdin;
  return undefined;
}

/** A word as written, roughly (for messages and job texts): literal text and `$NAME`s. */
export function rawWord(w: Word): string {
  return w.map((p) => (p.t === "lit" || p.t === "sq" ? p.v : p.t === "param" ? `$${p.name}` : "")).join("");
}

/** A closed descriptor (`N>&-`): writes fail with EBADF, reads see end of file. */
function closedSink(): OutputSink & InputSource {
  return {
    write() {
      throw new SysError(Errno.EBADF, "write");
    },
    readAll: () => new Uint8Array(0),
    readLine: () => null,
  };
}
