/**
 * find's actions with effects beyond printing a name: -exec / -execdir /
 * -ok / -okdir (the `;` form runs once per file and is true when the
 * command exits 0; the `+` form collects names into command lines of at
 * most 128 KiB, as GNU's default, runs them when full and at the end, and
 * makes find's status 1 when one fails), -delete, and the output actions.
 */
import { SysError, strerror } from "../../lib/errno.js";
import type { CommandContext } from "../types.js";
import { baseName, lsLine } from "./find_printf.js";
import { FindError, type Entry, type Pred, type PredArgs, type Run } from "./find_types.js";

/** GNU's command-line budget for -exec … + (bytes of arguments and environment). */
const ARG_BUDGET = 128 * 1024 - 2048;

/** -print, -print0, -ls: text for each file, always true. */
export function makeOutput(run: Run, text: ((e: Entry) => string) | "ls"): Pred {
  if (text === "ls") return (e) => (run.out(lsLine(run.ctx, e)), true);
  return (e) => (run.out(text(e)), true);
}

/** -fprint FILE and friends: FILE is created (truncated) when parsed, as GNU's; each call appends. */
export function fileWriter(p: PredArgs): (s: string) => void {
  const file = p.arg();
  const ctx = p.ctx;
  try {
    const h = ctx.vfs.open(ctx.resolve(file), { write: true, create: true, trunc: true });
    let failed = false;
    return (s) => {
      if (s === "" || failed) return;
      try {
        h.write(s);
      } catch (err) {
        if (!(err instanceof SysError)) throw err;
        failed = true;
        p.run.error(`${p.run.q(file)}: ${strerror(err.errno)}`);
      }
    };
  } catch (err) {
    if (!(err instanceof SysError)) throw err;
    throw new FindError([`${p.run.q(file)}: ${strerror(err.errno)}`]);
  }
}

/** -fprint, -fprint0, -fls. */
export function makeFileOutput(p: PredArgs, text: ((e: Entry) => string) | "ls"): Pred {
  const write = fileWriter(p);
  if (text === "ls") return (e) => (write(lsLine(p.ctx, e)), true);
  return (e) => (write(text(e)), true);
}

/** Whether `name` is a program the shell can run (a path, or a name on PATH). */
function found(ctx: CommandContext, name: string): boolean {
  if (name.includes("/")) return ctx.vfs.exists(ctx.resolve(name));
  const path = ctx.env["PATH"] ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  return path.split(":").some((d) => d !== "" && ctx.vfs.exists(`${d.replace(/\/+$/, "")}/${name}`));
}

const shq = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;

/** The directory -execdir runs in and the name it passes (`./NAME`). */
function dirAndName(e: Entry): { dir: string; name: string } {
  const p = e.path.replace(/(.)\/+$/, "$1");
  const k = p.lastIndexOf("/");
  const dir = k < 0 ? "." : k === 0 ? "/" : p.slice(0, k);
  return { dir, name: `./${baseName(e.path).replace(/(.)\/+$/, "$1")}` };
}

/** The template after -exec: up to `;`, or up to `{} +`. */
function template(p: PredArgs): { argv: string[]; plus: boolean } {
  const start = p.i;
  let braces = 0;
  for (let k = start; k < p.args.length; k++) {
    const a = p.args[k]!;
    if (a === ";" || (a === "+" && !p.name.startsWith("-ok") && k > start && p.args[k - 1] === "{}")) {
      if (k === start) throw new FindError([`invalid argument \`${a}' to \`${p.name}'`]);
      p.i = k + 1;
      if (a === "+" && braces > 1) throw new FindError([`Only one instance of {} is supported with ${p.name} ... +`]);
      return { argv: p.args.slice(start, a === "+" ? k - 1 : k), plus: a === "+" };
    }
    if (a.includes("{}")) braces++;
  }
  throw new FindError([`missing argument to \`${p.name}'`]);
}

/** -exec / -execdir / -ok / -okdir. */
export function makeExec(p: PredArgs, inDir: boolean, ask = false): Pred {
  const run = p.run;
  const ctx = run.ctx;
  const { argv, plus } = template(p);
  const launch = (args: string[], dir: string | null): number => {
    run.flush();
    if (!found(ctx, args[0]!)) {
      run.error(`${run.q(args[0]!)}: No such file or directory`, true);
      return 1;
    }
    if (dir === null) return ctx.exec(args);
    return ctx.run(`cd -- ${shq(dir)} && ${args.map(shq).join(" ")}`);
  };
  const confirm = (args: string[], path: string): boolean => {
    run.flush();
    ctx.stderr.write(`< ${args[0]} ... ${path} > ? `);
    const line = ctx.stdin.readLine();
    return line !== null && /^[yY]/.test(line);
  };
  if (!plus) {
    return (e) => {
      const { dir, name } = inDir ? dirAndName(e) : { dir: null, name: e.path };
      const args = argv.map((a) => a.split("{}").join(name));
      if (ask && !confirm(args, e.path)) return false;
      return launch(args, dir) === 0;
    };
  }
  const envBytes = Object.entries(ctx.env).reduce((n, [k, v]) => n + k.length + v.length + 2, 0);
  const baseBytes = argv.reduce((n, a) => n + a.length + 1, 0);
  let batch: string[] = [];
  let batchBytes = 0;
  let batchDir: string | null = null;
  const flushBatch = (): void => {
    if (batch.length === 0) return;
    const args = [...argv, ...batch];
    batch = [];
    batchBytes = 0;
    if (launch(args, batchDir) !== 0) run.status = 1;
  };
  run.finishers.push(flushBatch);
  return (e) => {
    const { dir, name } = inDir ? dirAndName(e) : { dir: null, name: e.path };
    if (batch.length > 0 && (dir !== batchDir || envBytes + baseBytes + batchBytes + name.length + 1 > ARG_BUDGET)) flushBatch();
    batchDir = dir;
    batch.push(name);
    batchBytes += name.length + 1;
    return true;
  };
}

/** -delete: unlink a file, rmdir a directory; the starting point "." is kept. */
export function makeDelete(run: Run): Pred {
  return (e) => {
    if (e.depth === 0 && e.path === ".") return true;
    try {
      if (e.lst.type === "dir") run.ctx.vfs.rmdir(e.abs);
      else run.ctx.vfs.unlink(e.abs);
      return true;
    } catch (err) {
      if (!(err instanceof SysError)) throw err;
      run.error(`cannot delete ${run.q(e.path)}: ${strerror(err.errno)}`);
      return false;
    }
  };
}
