/**
 * Requests that run programs on the machine: `iaa sh -c`, `iaa run`, a
 * machine program for `iaa exec` (`iaa prog`), the host's `iaa accel-config`,
 * and the lines of an interactive session.
 */
import type { Shell } from "../../shell/shell.js";
import { hostHasCommand } from "../host_path.js";
import type { JobContext, Op } from "./types.js";

/** Where the machine's programs are installed (world.ts), searched for `iaa prog`. */
const PROGRAM_DIRS = ["/usr/sbin", "/usr/bin", "/root"];

function freshShell(ctx: JobContext): Shell {
  const w = ctx.host.beginCommand();
  return w.shell({ stdout: ctx.io.stdout, stderr: ctx.io.stderr, stdin: ctx.io.stdin, interrupted: ctx.io.interrupted, hostHasCommand });
}

export const sh: Op<"sh"> = (req, ctx) => ({ status: freshShell(ctx).runString(req.text, req.args), commit: true });

export const script: Op<"script"> = (req, ctx) => ({ status: freshShell(ctx).runScript(req.text, req.path, req.args), commit: true });

export const prog: Op<"prog"> = (req, ctx) => {
  const [name, ...args] = req.argv;
  const vfs = ctx.host.world().stack.machine.vfs;
  const path = name === undefined || name.includes("/") ? undefined : PROGRAM_DIRS.map((d) => `${d}/${name}`).find((p) => vfs.exists(p));
  if (path === undefined) {
    ctx.io.stderr.write(`iaa: prog: ${name ?? ""}: not a program of the machine\n`);
    return { status: 127, commit: false };
  }
  return { status: freshShell(ctx).runString('exec "$@"', ["prog", path, ...args]), commit: true };
};

export const accelConfig: Op<"accel-config"> = (req, ctx) => {
  const shell = freshShell(ctx);
  const vfs = ctx.host.world().stack.machine.vfs;
  const parent = (p: string): string => p.slice(0, p.lastIndexOf("/")) || "/";
  for (const [path, text] of Object.entries(req.files)) {
    vfs.mkdir(parent(path), { parents: true });
    vfs.writeFile(path, text);
  }
  if (req.save !== null) vfs.mkdir(parent(req.save), { parents: true });
  const status = shell.runString('exec accel-config "$@"', ["accel-config", ...req.argv]);
  const saved = req.save !== null && status === 0 && vfs.exists(req.save) ? vfs.readText(req.save) : undefined;
  return { status, data: saved, commit: true };
};

export const line: Op<"line"> = (req, ctx) => {
  ctx.host.beginCommand();
  const s = ctx.host.session(ctx.conn);
  s.streams.stdout = ctx.io.stdout;
  s.streams.stderr = ctx.io.stderr;
  s.streams.stdin = ctx.io.stdin;
  s.streams.interrupted = ctx.io.interrupted;
  const status = s.shell.runLine(req.text);
  return { status, data: { exited: s.shell.exited, cwd: s.shell.cwd, home: s.shell.getVar("HOME") ?? null }, commit: true };
};

export const isComplete: Op<"is-complete"> = (req, ctx) => ({ status: 0, data: ctx.host.session(ctx.conn).shell.isComplete(req.text), commit: false });

export const prompt: Op<"prompt"> = (_req, ctx) => {
  const s = ctx.host.session(ctx.conn).shell;
  return { status: 0, data: { cwd: s.cwd, home: s.getVar("HOME") ?? null }, commit: false };
};

export const complete: Op<"complete"> = (req, ctx) => {
  const s = ctx.host.session(ctx.conn).shell as Shell & { complete?: (line: string, cursor: number) => { start: number; candidates: string[] } };
  const r = typeof s.complete === "function" ? s.complete(req.line, req.cursor) : { start: req.cursor, candidates: [] };
  return { status: 0, data: r, commit: false };
};
