/**
 * Command and process substitution: `$(list)` runs the list in a subshell and
 * gives its output (`$(< file)` reads the file without running anything);
 * `<(list)` and `>(list)` stand for a file under /dev/fd that the list's
 * output fills, or whose content the list reads once the command is done.
 */
import { SysError, strerror } from "../lib/errno.js";
import type { List } from "./ast.js";
import type { RuntimeView, ShellState } from "./builtins/api.js";
import { expandString, type ExpandShell } from "./expand.js";
import { BufferInput, BufferSink, toText } from "./io.js";
import { AbortCommand, ExitSignal, LoopSignal, ReturnSignal, type Io } from "./signals.js";

/** A process substitution of the running command: its file and, for >(…), the list to feed it to. */
export interface ProcSubstFile {
  path: string;
  out: List | null;
  io: Io;
}

/** What substitution needs of the interpreter. */
export interface SubstShell extends ExpandShell {
  readonly rt: RuntimeView & { nextPid: number };
  lastSub: number | null;
  psubs: ProcSubstFile[];
  /** A subshell: a copy of this interpreter's state. */
  clone(): SubstShell & ShellState;
}

/** `$(list)`: the list's output in a subshell, trailing newlines removed; `$(< file)` reads the file. `$?` becomes its status. */
export function commandSubst(sh: SubstShell, body: List, io: Io): string {
  // $(< file): the file's content, without running a command
  const only = body.length === 1 && body[0]!.rest.length === 0 && !body[0]!.first.bang && body[0]!.first.cmds.length === 1 ? body[0]!.first.cmds[0]! : null;
  if (only !== null && only.k === "simple" && only.words.length === 0 && only.assigns.length === 0 && only.redirs.length === 1 && only.redirs[0]!.op === "<" && only.redirs[0]!.fd === null) {
    const target = expandString(sh, only.redirs[0]!.target, io);
    try {
      sh.lastSub = sh.status = 0;
      return toText(sh.rt.vfs.readFile(sh.abs(target))).replace(/\n+$/, "");
    } catch (e) {
      if (!(e instanceof SysError)) throw e;
      sh.err(io, `${target}: ${strerror(e.errno)}`);
      sh.lastSub = sh.status = 1;
      return "";
    }
  }
  const sub = sh.clone();
  sub.opts.errexit = false;
  const buf = new BufferSink(sh.rt.limits.maxStringLength);
  const sio: Io = { stdin: io.stdin, stdout: buf, stderr: io.stderr, extra: io.extra };
  let st: number;
  try {
    st = sub.execList(body, sio);
  } catch (e) {
    if (e instanceof ExitSignal) st = e.status;
    else if (e instanceof ReturnSignal || e instanceof LoopSignal) st = sub.status;
    else if (e instanceof AbortCommand) st = 1;
    else throw e;
  }
  sh.lastSub = st;
  sh.status = st;
  return buf.text().replace(/\n+$/, "");
}


/**
 * `<(list)`: runs the list now and gives a file with its output; `>(list)`:
 * gives an empty file and runs the list on what was written to it once the
 * command is done. The file is /dev/fd/63, 62, … as in bash (on a machine
 * without /dev, /tmp/sh-np.N); it is removed after the command.
 */
export function procSubst(sh: SubstShell, out: boolean, body: List, io: Io): string {
  const vfs = sh.rt.vfs;
  const n = 63 - sh.psubs.length;
  let path = `/dev/fd/${n}`;
  let data: Uint8Array = new Uint8Array(0);
  if (!out) {
    const sub = sh.clone();
    const buf = new BufferSink(sh.rt.limits.maxPipeBytes);
    try {
      sub.execList(body, { stdin: new BufferInput(), stdout: buf, stderr: io.stderr, extra: io.extra });
    } catch (e) {
      if (!(e instanceof ExitSignal || e instanceof ReturnSignal || e instanceof LoopSignal || e instanceof AbortCommand)) throw e;
    }
    // its writer was stopped by the limit (and said so): the command does not run on a cut file
    if (buf.overflowed) {
      sh.status = 1;
      throw new AbortCommand();
    }
    data = buf.bytes();
  }
  try {
    if (!vfs.exists("/dev/fd")) vfs.mkdir("/dev/fd", { parents: true });
    vfs.writeFile(path, data);
  } catch {
    path = `/tmp/sh-np.${sh.rt.nextPid++}`;
    vfs.writeFile(path, data);
  }
  sh.psubs.push({ path, out: out ? body : null, io });
  return path;
}


/** After a command: feeds >(…) lists and removes the substitution files. */
export function finishProcSubst(sh: SubstShell, mark: number): void {
  while (sh.psubs.length > mark) {
    const ps = sh.psubs.pop()!;
    const vfs = sh.rt.vfs;
    if (ps.out !== null) {
      let data: Uint8Array = new Uint8Array(0);
      try {
        data = vfs.readFile(ps.path);
      } catch {
        /* removed by the command */
      }
      const sub = sh.clone();
      try {
        sub.execList(ps.out, { ...ps.io, stdin: new BufferInput(data) });
      } catch (e) {
        if (!(e instanceof ExitSignal || e instanceof ReturnSignal || e instanceof LoopSignal || e instanceof AbortCommand)) throw e;
      }
    }
    try {
      vfs.unlink(ps.path);
    } catch {
      /* already gone */
    }
  }
}
