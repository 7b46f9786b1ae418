/**
 * Who and where: id and whoami (coreutils 9.1; the machine has one user,
 * root), hostname (the machine's kernel.hostname, read and set through
 * /proc/sys/kernel/hostname as sethostname() would) and mktemp (coreutils
 * 9.1: files and directories under $TMPDIR or /tmp, names drawn from the
 * virtual clock, so a run repeats exactly).
 */
import { SysError, strerror } from "../../lib/errno.js";
import type { CommandContext } from "../types.js";
import { parseArgs } from "./_util.js";

const HOSTNAME_FILE = "/proc/sys/kernel/hostname";

export function whoami(ctx: CommandContext): number {
  if (ctx.argv.length > 1) {
    ctx.stderr.write(`whoami: extra operand ‘${ctx.argv[1]}’\nTry 'whoami --help' for more information.\n`);
    return 1;
  }
  ctx.stdout.write("root\n");
  return 0;
}

export function id(ctx: CommandContext): number {
  const p = parseArgs(ctx, { short: "ugGnrz", long: { user: { key: "u" }, group: { key: "g" }, groups: { key: "G" }, name: { key: "n" }, real: { key: "r" }, zero: { key: "z" } } });
  if (typeof p === "number") return p;
  for (const user of p.operands) {
    if (user !== "root" && user !== "0") {
      ctx.stderr.write(`id: ‘${user}’: no such user\n`);
      return 1;
    }
  }
  const which = ["u", "g", "G"].filter((k) => p.opts.has(k));
  if (which.length > 1) {
    ctx.stderr.write("id: cannot print \"only\" of more than one choice\n");
    return 1;
  }
  if (which.length === 0 && (p.opts.has("n") || p.opts.has("r"))) {
    ctx.stderr.write("id: cannot print only names or real IDs in default format\n");
    return 1;
  }
  const name = p.opts.has("n");
  const end = p.opts.has("z") ? "\0" : "\n";
  if (which.length === 1) ctx.stdout.write(`${name ? "root" : "0"}${end}`);
  else ctx.stdout.write("uid=0(root) gid=0(root) groups=0(root)\n");
  return 0;
}

export function hostname(ctx: CommandContext): number {
  const p = parseArgs(ctx, { short: "sfF:", long: { short: { key: "s" }, fqdn: { key: "f" }, long: { key: "f" }, file: { key: "F", arg: true } } });
  if (typeof p === "number") return p;
  let name: string | undefined = p.operands[0];
  const file = p.opts.get("F");
  if (typeof file === "string") {
    try {
      name = ctx.vfs.readText(ctx.resolve(file)).split("\n").find((l) => l.trim() !== "" && !l.startsWith("#"))?.trim();
    } catch (e) {
      if (!(e instanceof SysError)) throw e;
      ctx.stderr.write(`hostname: ${file}: ${strerror(e.errno)}\n`);
      return 1;
    }
  }
  try {
    if (name !== undefined) {
      if (name.length > 64) {
        ctx.stderr.write("hostname: name too long\n");
        return 1;
      }
      ctx.vfs.writeFile(HOSTNAME_FILE, `${name}\n`);
      return 0;
    }
    const full = ctx.vfs.readText(HOSTNAME_FILE).trimEnd();
    ctx.stdout.write(`${p.opts.has("s") ? full.split(".")[0] : full}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof SysError)) throw e;
    ctx.stderr.write(`hostname: ${strerror(e.errno)}\n`);
    return 1;
  }
}

const ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function mktemp(ctx: CommandContext): number {
  const p = parseArgs(ctx, { short: "dqutp:", long: { directory: { key: "d" }, quiet: { key: "q" }, "dry-run": { key: "u" }, tmpdir: { key: "p", arg: true } } });
  if (typeof p === "number") return p;
  if (p.operands.length > 1) {
    ctx.stderr.write(`mktemp: too many templates\nTry 'mktemp --help' for more information.\n`);
    return 1;
  }
  const given = p.operands[0];
  const template = given ?? "tmp.XXXXXXXXXX";
  const xs = /X*$/.exec(template)![0].length;
  if (xs < 3) {
    ctx.stderr.write(`mktemp: too few X's in template ‘${template}’\n`);
    return 1;
  }
  const dirOpt = p.opts.get("p");
  const useDir = given === undefined || typeof dirOpt === "string" || p.opts.has("t");
  const base = typeof dirOpt === "string" && dirOpt !== "" ? dirOpt : ctx.env["TMPDIR"] || "/tmp";
  const stem = template.slice(0, template.length - xs);
  for (let attempt = 0; attempt < 100; attempt++) {
    // a name from the virtual time (each program start moves it) and the attempt: the same commands make the same names
    let x = (Math.floor(ctx.hooks.now() / 1000) ^ Math.imul(attempt + 1, 0x9e3779b1)) >>> 0;
    let suffix = "";
    for (let i = 0; i < xs; i++) {
      x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + i) >>> 0;
      suffix += ALNUM[x % ALNUM.length];
    }
    const rel = stem + suffix;
    const path = useDir && !rel.startsWith("/") ? `${base.replace(/\/+$/, "")}/${rel}` : rel;
    const abs = ctx.resolve(path);
    if (ctx.vfs.lookup(abs) !== undefined) continue;
    try {
      if (!p.opts.has("u")) {
        if (p.opts.has("d")) ctx.vfs.mkdir(abs, { mode: 0o700 });
        else {
          ctx.vfs.writeFile(abs, "");
          ctx.vfs.chmod(abs, 0o600);
        }
      }
    } catch (e) {
      if (!(e instanceof SysError)) throw e;
      if (!p.opts.has("q")) ctx.stderr.write(`mktemp: failed to create ${p.opts.has("d") ? "directory" : "file"} via template ‘${path.slice(0, path.length - xs)}${"X".repeat(xs)}’: ${strerror(e.errno)}\n`);
      return 1;
    }
    ctx.stdout.write(`${path}\n`);
    return 0;
  }
  ctx.stderr.write(`mktemp: failed to create file via template ‘${template}’: File exists\n`);
  return 1;
}
