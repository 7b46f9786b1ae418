/** mkdir, rm, rmdir, cp, mv, touch, chmod, ln: namespace operations on the VFS. */
import { Errno, SysError, strerror } from "../../lib/errno.js";
import type { CommandContext } from "../types.js";
import { parseArgs } from "./_util.js";
import { joinPath } from "../pattern.js";

function missing(ctx: CommandContext): number {
  const prog = ctx.argv[0]!;
  ctx.stderr.write(`${prog}: missing operand\nTry '${prog} --help' for more information.\n`);
  return 1;
}

function basename(p: string): string {
  const t = p.replace(/\/+$/, "");
  return t.slice(t.lastIndexOf("/") + 1) || "/";
}

export function mkdir(ctx: CommandContext): number {
  const p = parseArgs(ctx, { short: "pvm:", long: { parents: { key: "p" }, verbose: { key: "v" }, mode: { key: "m", arg: true } } });
  if (typeof p === "number") return p;
  if (p.operands.length === 0) return missing(ctx);
  let st = 0;
  const mode = p.opts.has("m") ? parseInt(p.opts.get("m") as string, 8) : 0o755;
  for (const d of p.operands) {
    try {
      ctx.vfs.mkdir(ctx.resolve(d), { parents: p.opts.has("p"), mode });
      if (p.opts.has("v")) ctx.stdout.write(`${ctx.argv[0]}: created directory '${d}'\n`);
    } catch (e) {
      if (!(e instanceof SysError)) throw e;
      ctx.stderr.write(`${ctx.argv[0]}: cannot create directory '${d}': ${strerror(e.errno)}\n`);
      st = 1;
    }
  }
  return st;
}

export function rmdir(ctx: CommandContext): number {
  const p = parseArgs(ctx, { short: "p" });
  if (typeof p === "number") return p;
  if (p.operands.length === 0) return missing(ctx);
  let st = 0;
  for (const d of p.operands) {
    try {
      ctx.vfs.rmdir(ctx.resolve(d));
    } catch (e) {
      if (!(e instanceof SysError)) throw e;
      ctx.stderr.write(`${ctx.argv[0]}: failed to remove '${d}': ${strerror(e.errno)}\n`);
      st = 1;
    }
  }
  return st;
}

export function rm(ctx: CommandContext): number {
  const p = parseArgs(ctx, { short: "rRfvd", long: { recursive: { key: "r" }, force: { key: "f" }, verbose: { key: "v" }, dir: { key: "d" } } });
  if (typeof p === "number") return p;
  const force = p.opts.has("f");
  const rec = p.opts.has("r") || p.opts.has("R");
  if (p.operands.length === 0) return force ? 0 : missing(ctx);
  let st = 0;
  const prog = ctx.argv[0]!;
  const remove = (path: string, shown: string): void => {
    const s = ctx.vfs.lstat(path);
    if (s.type === "dir") {
      if (!rec && !p.opts.has("d")) throw new SysError(Errno.EISDIR, "unlink", path);
      if (rec) for (const n of ctx.vfs.readdir(path)) remove(joinPath(path, n), `${shown}/${n}`);
      ctx.vfs.rmdir(path);
    } else ctx.vfs.unlink(path);
    if (p.opts.has("v")) ctx.stdout.write(`removed ${s.type === "dir" ? "directory " : ""}'${shown}'\n`);
  };
  for (const f of p.operands) {
    try {
      remove(ctx.resolve(f), f);
    } catch (e) {
      if (!(e instanceof SysError)) throw e;
      if (force && e.errno === Errno.ENOENT) continue;
      if (e.errno === Errno.EISDIR) ctx.stderr.write(`${prog}: cannot remove '${f}': Is a directory\n`);
      else ctx.stderr.write(`${prog}: cannot remove '${f}': ${strerror(e.errno)}\n`);
      st = 1;
    }
  }
  return st;
}

function copyTree(ctx: CommandContext, from: string, to: string, rec: boolean, shown: string): void {
  const s = ctx.vfs.stat(from);
  if (s.type === "dir") {
    if (!rec) throw Object.assign(new SysError(Errno.EISDIR, "copy", from), { omit: shown });
    if (!ctx.vfs.exists(to)) ctx.vfs.mkdir(to, { mode: s.mode });
    for (const n of ctx.vfs.readdir(from)) copyTree(ctx, joinPath(from, n), joinPath(to, n), rec, `${shown}/${n}`);
    return;
  }
  const data = ctx.vfs.readFile(from);
  ctx.vfs.writeFile(to, data);
}

export function cp(ctx: CommandContext): number {
  const p = parseArgs(ctx, { short: "rRafpv", long: { recursive: { key: "r" }, archive: { key: "a" }, force: { key: "f" }, verbose: { key: "v" } } });
  if (typeof p === "number") return p;
  return copyOrMove(ctx, p.operands, p.opts.has("r") || p.opts.has("R") || p.opts.has("a"), false);
}

export function mv(ctx: CommandContext): number {
  const p = parseArgs(ctx, { short: "fivn", long: { force: { key: "f" }, verbose: { key: "v" } } });
  if (typeof p === "number") return p;
  return copyOrMove(ctx, p.operands, true, true);
}

function copyOrMove(ctx: CommandContext, ops: string[], rec: boolean, move: boolean): number {
  const prog = ctx.argv[0]!;
  if (ops.length === 0) return missing(ctx);
  if (ops.length === 1) {
    ctx.stderr.write(`${prog}: missing destination file operand after '${ops[0]}'\nTry '${prog} --help' for more information.\n`);
    return 1;
  }
  const dest = ops[ops.length - 1]!;
  const destAbs = ctx.resolve(dest);
  const destIsDir = ctx.vfs.lookup(destAbs)?.kind === "dir";
  if (ops.length > 2 && !destIsDir) {
    ctx.stderr.write(`${prog}: target '${dest}': Not a directory\n`);
    return 1;
  }
  let st = 0;
  for (const src of ops.slice(0, -1)) {
    const from = ctx.resolve(src);
    const to = destIsDir ? joinPath(destAbs, basename(src)) : destAbs;
    try {
      if (move) {
        ctx.vfs.lstat(from);
        ctx.vfs.rename(from, to);
      } else copyTree(ctx, from, to, rec, src);
    } catch (e) {
      if (!(e instanceof SysError)) throw e;
      if (!move && e.syscall === "copy") ctx.stderr.write(`${prog}: -r not specified; omitting directory '${src}'\n`);
      else if (e.errno === Errno.ENOENT && e.path === from) ctx.stderr.write(`${prog}: cannot stat '${src}': No such file or directory\n`);
      else if (move) ctx.stderr.write(`${prog}: cannot move '${src}' to '${dest}': ${strerror(e.errno)}\n`);
      else ctx.stderr.write(`${prog}: cannot create regular file '${dest}': ${strerror(e.errno)}\n`);
      st = 1;
    }
  }
  return st;
}

export function touch(ctx: CommandContext): number {
  const p = parseArgs(ctx, { short: "acm" });
  if (typeof p === "number") return p;
  if (p.operands.length === 0) {
    const prog = ctx.argv[0]!;
    ctx.stderr.write(`${prog}: missing file operand\nTry '${prog} --help' for more information.\n`);
    return 1;
  }
  let st = 0;
  for (const f of p.operands) {
    const path = ctx.resolve(f);
    try {
      const n = ctx.vfs.lookup(path);
      if (n === undefined) {
        if (!p.opts.has("c")) ctx.vfs.open(path, { write: true, create: true }).close();
      } else n.mtime = ctx.hooks.now();
    } catch (e) {
      if (!(e instanceof SysError)) throw e;
      ctx.stderr.write(`${ctx.argv[0]}: cannot touch '${f}': ${strerror(e.errno)}\n`);
      st = 1;
    }
  }
  return st;
}

function applySymbolic(mode: number, spec: string, isDir: boolean): number | null {
  let m = mode;
  for (const clause of spec.split(",")) {
    const r = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(clause);
    if (r === null) return null;
    const who = r[1] === "" || r[1]!.includes("a") ? "ugo" : r[1]!;
    let bits = 0;
    for (const w of who) {
      const shift = w === "u" ? 6 : w === "g" ? 3 : 0;
      for (const perm of r[3]!) {
        if (perm === "r") bits |= 4 << shift;
        if (perm === "w") bits |= 2 << shift;
        if (perm === "x" || (perm === "X" && (isDir || (mode & 0o111) !== 0))) bits |= 1 << shift;
        if (perm === "s") bits |= w === "u" ? 0o4000 : w === "g" ? 0o2000 : 0;
        if (perm === "t") bits |= 0o1000;
      }
    }
    if (r[2] === "+") m |= bits;
    else if (r[2] === "-") m &= ~bits;
    else {
      let mask = 0;
      for (const w of who) mask |= 7 << (w === "u" ? 6 : w === "g" ? 3 : 0);
      m = (m & ~mask) | bits;
    }
  }
  return m;
}

export function chmod(ctx: CommandContext): number {
  const args = ctx.argv.slice(1);
  const prog = ctx.argv[0]!;
  const rest = args.filter((a) => !/^-[Rvfc]+$/.test(a));
  if (rest.length < 2) {
    if (rest.length === 0) return missing(ctx);
    ctx.stderr.write(`${prog}: missing operand after '${rest[0]}'\nTry '${prog} --help' for more information.\n`);
    return 1;
  }
  const [spec, ...files] = rest as [string, ...string[]];
  let st = 0;
  for (const f of files) {
    const path = ctx.resolve(f);
    try {
      const s = ctx.vfs.stat(path);
      const m = /^[0-7]+$/.test(spec) ? parseInt(spec, 8) : applySymbolic(s.mode, spec, s.type === "dir");
      if (m === null) {
        ctx.stderr.write(`${prog}: invalid mode: '${spec}'\nTry '${prog} --help' for more information.\n`);
        return 1;
      }
      ctx.vfs.chmod(path, m);
    } catch (e) {
      if (!(e instanceof SysError)) throw e;
      ctx.stderr.write(e.errno === Errno.ENOENT ? `${prog}: cannot access '${f}': No such file or directory\n` : `${prog}: changing permissions of '${f}': ${strerror(e.errno)}\n`);
      st = 1;
    }
  }
  return st;
}

export function ln(ctx: CommandContext): number {
  const p = parseArgs(ctx, { short: "sfvn", long: { symbolic: { key: "s" }, force: { key: "f" } } });
  if (typeof p === "number") return p;
  const prog = ctx.argv[0]!;
  if (!p.opts.has("s")) {
    ctx.stderr.write(`${prog}: hard links are not supported on this system\n`);
    return 1;
  }
  if (p.operands.length < 2) return missing(ctx);
  const [target, link] = p.operands as [string, string];
  let path = ctx.resolve(link);
  if (ctx.vfs.lookup(path)?.kind === "dir") path = joinPath(path, basename(target));
  try {
    if (p.opts.has("f") && ctx.vfs.exists(path)) ctx.vfs.unlink(path);
    ctx.vfs.symlink(target, path);
  } catch (e) {
    if (!(e instanceof SysError)) throw e;
    ctx.stderr.write(`${prog}: failed to create symbolic link '${link}': ${strerror(e.errno)}\n`);
    return 1;
  }
  return 0;
}
