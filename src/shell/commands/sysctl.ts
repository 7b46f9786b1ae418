/**
 * sysctl (procps-ng 4.0.2): reads and writes the kernel parameters under
 * /proc/sys, as Debian's binary does on this machine's tree (checked against
 * it under `iaa exec`, test/host/fuse/real_sysctl.test.ts).
 *
 * What it does, case by case:
 * - KEY reads, KEY=VALUE (or -w) writes; `vm.swappiness` and `vm/swappiness`
 *   name the same file (a key with a `/` has its `.` and `/` swapped when shown);
 * - a directory key lists every parameter under it, -a all of /proc/sys, in
 *   directory order; -r REGEX keeps the names it matches;
 * - a parameter without the owner's read bit is skipped without a word
 *   (vm.drop_caches), one without the write bit is refused as EINVAL before
 *   anything is written, and the status stays 0 for both, as procps has it;
 * - a write echoes `KEY = VALUE` (the value as given) unless -q;
 * - -p [FILE...] (default /etc/sysctl.conf, `-` stdin) and --system apply
 *   files of `KEY = VALUE` lines (`#` and `;` comments); --system reads every
 *   *.conf of the sysctl.d directories by name, then /etc/sysctl.conf, and
 *   passes over keys this kernel lacks.
 */
import { Errno, strerror, SysError } from "../../lib/errno.js";
import type { CommandContext } from "../types.js";

const PROC = "/proc/sys/";
const SYSTEM_DIRS = ["/etc/sysctl.d/", "/run/sysctl.d/", "/usr/local/lib/sysctl.d/", "/usr/lib/sysctl.d/", "/lib/sysctl.d/"];
const S_IRUSR = 0o400;
const S_IWUSR = 0o200;

const USAGE = `
Usage:
 sysctl [options] [variable[=value] ...]

Options:
  -a, --all            display all variables
  -A                   alias of -a
  -X                   alias of -a
      --deprecated     include deprecated parameters to listing
      --dry-run        Print the key and values but do not write
  -b, --binary         print value without new line
  -e, --ignore         ignore unknown variables errors
  -N, --names          print variable names without values
  -n, --values         print only values of the given variable(s)
  -p, --load[=<file>]  read values from file
  -f                   alias of -p
      --system         read values from all system directories
  -r, --pattern <expression>
                       select setting that match expression
  -q, --quiet          do not echo variable set
  -w, --write          enable writing a value to variable
  -o                   does nothing
  -x                   does nothing
  -d                   alias of -h

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see sysctl(8).
`;

interface Opts {
  all: boolean;
  binary: boolean;
  ignore: boolean;
  names: boolean;
  values: boolean;
  quiet: boolean;
  write: boolean;
  dryRun: boolean;
  load: boolean;
  system: boolean;
  files: string[];
  pattern: RegExp | null | undefined;
}

/** The long options and which short letter each stands for ("" for those with no letter). */
const LONG: Record<string, string> = {
  all: "a", binary: "b", ignore: "e", names: "N", values: "n", load: "p", quiet: "q", write: "w", pattern: "r", help: "h", version: "V",
  deprecated: "", "dry-run": "", system: "",
};

class Sysctl {
  status = 0;
  constructor(
    private readonly ctx: CommandContext,
    private readonly o: Opts,
  ) {}

  private warn(msg: string): void {
    this.ctx.stderr.write(`sysctl: ${msg}\n`);
  }

  /** Shown name and file of a key, or null (with the message) if it leaves /proc/sys. */
  private locate(key: string): { name: string; path: string } | null {
    const slash = key.includes("/");
    const name = slash ? key.replace(/[./]/g, (c) => (c === "/" ? "." : "/")) : key;
    const rel = slash ? key : key.replace(/\./g, "/");
    const rep = /([./])\1/.exec(key);
    if (rep !== null) this.warn(`separators should not be repeated: ${key.slice(rep.index)}`);
    const path = normalize(PROC + rel);
    if (!path.startsWith(PROC) || path.length === PROC.length) {
      this.warn(`Path is not under ${PROC}: ${path.length === PROC.length - 1 ? PROC : path}`);
      this.status = 1;
      return null;
    }
    return { name, path };
  }

  private print(name: string, value: string): void {
    const out = this.ctx.stdout;
    if (this.o.names) out.write(`${name}\n`);
    else if (this.o.values) out.write(this.o.binary ? value : `${value}\n`);
    else out.write(this.o.binary ? value : `${name} = ${value}\n`);
  }

  read(key: string): void {
    const at = this.locate(key);
    if (at !== null) this.readPath(at.name, at.path, false);
  }

  private readPath(name: string, path: string, listing: boolean): void {
    const vfs = this.ctx.vfs;
    const node = vfs.lookup(path);
    if (node === undefined) {
      if (!this.o.ignore) {
        this.warn(`cannot stat ${path}: No such file or directory`);
        this.status = 1;
      }
      return;
    }
    if (node.kind === "dir") {
      for (const child of vfs.readdir(path)) this.readPath(name === "" ? child : `${name}.${child}`, `${path}/${child}`, listing);
      return;
    }
    if ((node.mode & S_IRUSR) === 0) return;
    if (listing && this.o.pattern !== undefined && (this.o.pattern === null || !this.o.pattern.test(name))) return;
    if (this.o.names) {
      this.print(name, "");
      return;
    }
    let text: string;
    try {
      text = vfs.readText(path);
    } catch (e) {
      if (!(e instanceof SysError)) throw e;
      if (e.errno === Errno.EACCES || e.errno === Errno.EPERM) this.warn(`permission denied on key '${name}'`);
      else this.warn(`reading key "${name}": ${strerror(e.errno)}`);
      this.status = 1;
      return;
    }
    const body = text.endsWith("\n") ? text.slice(0, -1) : text;
    if (this.o.binary || this.o.values) {
      this.print(name, body);
      return;
    }
    for (const line of body.split("\n")) this.print(name, line);
  }

  /** Writes `key=value` (`where` names the line for a syntax error). */
  write(setting: string, where: string, ignoreMissing = false): void {
    const eq = setting.indexOf("=");
    if (eq < 0) {
      this.warn(`${where}: invalid syntax, continuing...`);
      if (where === "command line(0)") this.status = 1;
      return;
    }
    const key = setting.slice(0, eq).trim();
    const value = setting.slice(eq + 1).trim();
    const at = this.locate(key);
    if (at === null) return;
    const vfs = this.ctx.vfs;
    const node = vfs.lookup(at.path);
    if (node === undefined) {
      if (!this.o.ignore && !ignoreMissing) {
        this.warn(`cannot stat ${at.path}: No such file or directory`);
        this.status = 1;
      }
      return;
    }
    if (node.kind === "dir") {
      this.warn(`setting key "${at.name}": Is a directory`);
      this.status = 1;
      return;
    }
    if ((node.mode & S_IWUSR) === 0) {
      this.warn(`setting key "${at.name}": ${strerror(Errno.EINVAL)}`);
      return;
    }
    if (!this.o.dryRun) {
      let h;
      try {
        h = vfs.open(at.path, { write: true });
      } catch (e) {
        if (!(e instanceof SysError)) throw e;
        if (e.errno === Errno.EACCES || e.errno === Errno.EPERM || e.errno === Errno.EROFS) this.warn(`permission denied on key "${at.name}"`);
        else {
          this.warn(`setting key "${at.name}": ${strerror(e.errno)}`);
          this.status = 1;
        }
        return;
      }
      try {
        h.write(`${value}\n`);
      } catch (e) {
        if (!(e instanceof SysError)) throw e;
        this.warn(`setting key "${at.name}": ${strerror(e.errno)}`);
        this.status = 1;
        return;
      } finally {
        h.close();
      }
    }
    if (!this.o.quiet) this.print(at.name, value);
  }

  /** The settings of one file, as [line, where] pairs; null if it cannot be read. */
  settingsOf(file: string): [string, string][] | null {
    let text: string;
    if (file === "-") text = new TextDecoder().decode(this.ctx.stdin.readAll());
    else {
      try {
        text = this.ctx.vfs.readText(this.ctx.resolve(file));
      } catch (e) {
        if (!(e instanceof SysError)) throw e;
        this.warn(`cannot open "${file}": ${strerror(e.errno)}`);
        this.status = 1;
        return null;
      }
    }
    const out: [string, string][] = [];
    text.split("\n").forEach((raw, i) => {
      let line = raw.trim();
      if (line === "" || line.startsWith("#") || line.startsWith(";")) return;
      if (line.startsWith("-")) line = line.slice(1);
      out.push([line, `${file}(${i + 1})`]);
    });
    return out;
  }

  load(files: string[]): void {
    for (const f of files.length > 0 ? files : ["/etc/sysctl.conf"]) {
      for (const [line, where] of this.settingsOf(f) ?? []) this.write(line, where);
    }
  }

  /** --system: every *.conf of the sysctl.d directories in name order (the first directory's wins), then /etc/sysctl.conf. */
  loadSystem(): void {
    const byName = new Map<string, string>();
    for (const dir of SYSTEM_DIRS) {
      let names: string[];
      try {
        names = this.ctx.vfs.readdir(dir);
      } catch {
        continue;
      }
      for (const n of names) if (n.endsWith(".conf") && !byName.has(n)) byName.set(n, dir + n);
    }
    const files = [...byName.keys()].sort().map((n) => byName.get(n)!);
    if (this.ctx.vfs.exists("/etc/sysctl.conf")) files.push("/etc/sysctl.conf");
    const settings: [string, string][] = [];
    for (const f of files) {
      if (!this.o.quiet) this.ctx.stdout.write(`* Applying ${f} ...\n`);
      settings.push(...(this.settingsOf(f) ?? []));
    }
    for (const [line, where] of settings) this.write(line, where, true);
  }

  all(): void {
    this.readPath("", PROC.slice(0, -1), true);
  }
}

/** A path with `.`, `..` and repeated slashes resolved (no symlinks). */
function normalize(p: string): string {
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/") + (p.endsWith("/") ? "/" : "");
}

/** Parses the command line as getopt_long does (options may follow operands); a number is the exit status. */
function parse(ctx: CommandContext): { o: Opts; operands: string[] } | number {
  const o: Opts = { all: false, binary: false, ignore: false, names: false, values: false, quiet: false, write: false, dryRun: false, load: false, system: false, files: [], pattern: undefined };
  const operands: string[] = [];
  const args = ctx.argv.slice(1);
  let patternSrc: string | undefined;
  const usageOut = (): number => {
    ctx.stdout.write(USAGE);
    return 0;
  };
  const apply = (c: string, arg: () => string | undefined, attached: string | undefined): number | null => {
    switch (c) {
      case "a": case "A": case "X": o.all = true; break;
      case "b": o.binary = true; break;
      case "e": o.ignore = true; break;
      case "N": o.names = true; break;
      case "n": o.values = true; break;
      case "q": o.quiet = true; break;
      case "w": o.write = true; break;
      case "o": case "x": break;
      case "p": case "f":
        o.load = true;
        if (attached !== undefined) o.files.push(attached);
        break;
      case "r": {
        const v = arg();
        if (v === undefined) {
          ctx.stderr.write(`sysctl: option requires an argument -- 'r'\n`);
          return usageOut();
        }
        patternSrc = v;
        break;
      }
      case "h": case "d": return usageOut();
      case "V":
        ctx.stdout.write("sysctl from procps-ng 4.0.2\n");
        return 0;
      default:
        ctx.stderr.write(`sysctl: invalid option -- '${c}'\n`);
        return usageOut();
    }
    return null;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const val = eq < 0 ? undefined : a.slice(eq + 1);
      const hits = Object.keys(LONG).filter((k) => k.startsWith(name));
      const full = LONG[name] !== undefined ? name : hits.length === 1 ? hits[0]! : undefined;
      if (full === undefined) {
        ctx.stderr.write(hits.length > 1 ? `sysctl: option '${a}' is ambiguous\n` : `sysctl: unrecognized option '${a}'\n`);
        return usageOut();
      }
      if (full === "deprecated") continue;
      if (full === "dry-run") o.dryRun = true;
      else if (full === "system") o.system = true;
      else {
        const r = apply(LONG[full]!, () => val ?? args[++i], full === "load" ? val : undefined);
        if (r !== null) return r;
      }
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const c = a[k]!;
        const rest = a.slice(k + 1);
        if (c === "p" || c === "f" || c === "r") {
          const r = apply(c, () => (rest !== "" ? rest : args[++i]), rest !== "" ? rest : undefined);
          if (r !== null) return r;
          break;
        }
        const r = apply(c, () => undefined, undefined);
        if (r !== null) return r;
      }
      continue;
    }
    operands.push(a);
  }
  if (patternSrc !== undefined) {
    try {
      o.pattern = new RegExp(patternSrc);
    } catch {
      o.pattern = null;
    }
  }
  return { o, operands };
}

export function sysctl(ctx: CommandContext): number {
  if (ctx.argv.length === 1) {
    ctx.stderr.write(USAGE);
    return 1;
  }
  const p = parse(ctx);
  if (typeof p === "number") return p;
  const { o, operands } = p;
  const s = new Sysctl(ctx, o);
  if (o.system) {
    s.loadSystem();
    return s.status;
  }
  if (o.load) {
    s.load([...o.files, ...operands]);
    return s.status;
  }
  if (o.all) {
    s.all();
    return s.status;
  }
  if (operands.length === 0) {
    ctx.stderr.write("sysctl: no variables specified\nTry `sysctl --help' for more information.\n");
    return 1;
  }
  for (const a of operands) {
    if (o.write || a.includes("=")) s.write(a, "command line(0)");
    else s.read(a);
  }
  return s.status;
}
