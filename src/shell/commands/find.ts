/**
 * find (GNU findutils 4.9): walks each starting point (default `.`) over
 * the VFS — tmpfs, sysfs, debugfs, procfs alike — in the directory's own
 * order (what `ls -f` shows; GNU's fts keeps readdir order too), evaluating
 * the expression (find_parse.ts) on each file, before its directory's
 * entries or, with -depth / -delete, after them. -P (the default) never
 * follows symlinks (/sys/bus/dsa/devices/* are links), -H follows the
 * starting points, -L every link, reporting a directory that is its own
 * ancestor as GNU's "File system loop detected". -maxdepth, -mindepth,
 * -xdev (a directory of another file system is listed, not entered),
 * -prune, -quit. Output streams: a pipeline stage gets it as produced.
 */
import { SysError, strerror } from "../../lib/errno.js";
import type { Stat } from "../../kernfs/vfs.js";
import { streaming } from "../stream.js";
import { STATUS_SIGINT, type CommandContext, type StreamRun } from "../types.js";
import { parseFind, type Options } from "./find_parse.js";
import { FindError, localeQuote, type Entry, type Pred, type Run } from "./find_types.js";

/** Bytes of output gathered before one write (and a yield to the pipeline). */
const CHUNK = 8192;

function makeRun(ctx: CommandContext): Run & { pending: number } {
  let buf: string[] = [];
  const run = {
    ctx,
    pending: 0,
    quit: false,
    status: 0,
    depthFirst: false,
    finishers: [] as (() => void)[],
    q: localeQuote(ctx.env),
    out(s: string): void {
      if (s === "") return;
      buf.push(s);
      run.pending += s.length;
    },
    flush(): void {
      if (buf.length === 0) return;
      const text = buf.join("");
      buf = [];
      run.pending = 0;
      ctx.stdout.write(text);
    },
    error(msg: string, warnOnly = false): void {
      run.flush();
      ctx.stderr.write(`find: ${msg}\n`);
      if (!warnOnly) run.status = 1;
    },
  };
  return run;
}

class Walker {
  /** Inode numbers of the directories being walked (loop detection when links are followed). */
  private readonly ancestors: { ino: number; path: string }[] = [];

  constructor(
    private readonly run: Run & { pending: number },
    private readonly opts: Options,
    private readonly expr: Pred,
  ) {}

  private statFor(abs: string, lst: Stat, follow: boolean): Stat {
    if (!follow || lst.type !== "link") return lst;
    try {
      return this.run.ctx.vfs.stat(abs);
    } catch {
      return lst;
    }
  }

  private evaluate(e: Entry): void {
    if (e.depth >= this.opts.minDepth) this.expr(e);
  }

  /** Walks one file and what is below it; yields when output piled up. */
  *visit(e: Entry, fsType: string): Generator<undefined, void, void> {
    const run = this.run;
    const ctx = run.ctx;
    if (ctx.interrupted()) {
      run.quit = true;
      run.status = STATUS_SIGINT;
      return;
    }
    const st = e.st;
    if (e.follows && st.type === "dir") {
      // fts's FTS_DC: a directory that is its own ancestor is reported, neither evaluated nor entered
      const loop = this.ancestors.find((a) => a.ino === st.ino);
      if (loop !== undefined) {
        run.error(`File system loop detected; ${run.q(e.path)} is part of the same file system loop as ${run.q(loop.path)}.`);
        return;
      }
    }
    if (!run.depthFirst) this.evaluate(e);
    if (run.pending >= CHUNK) {
      run.flush();
      yield;
    }
    if (run.quit) return;
    if (st.type === "dir" && e.depth < this.opts.maxDepth && !e.prune && !(this.opts.xdev && e.depth > 0 && st.fsType !== fsType)) {
      {
        let names: string[] | null = null;
        try {
          names = ctx.vfs.readdir(e.abs);
        } catch (err) {
          if (!(err instanceof SysError)) throw err;
          run.error(`${run.q(e.path)}: ${strerror(err.errno)}`);
        }
        if (names !== null) {
          this.ancestors.push({ ino: st.ino, path: e.path });
          const prefix = e.path.endsWith("/") ? e.path : e.path + "/";
          const absPrefix = e.abs === "/" ? "/" : e.abs + "/";
          const follow = this.opts.follow === "L";
          for (const name of names) {
            const abs = absPrefix + name;
            const path = prefix + name;
            let lst: Stat;
            try {
              lst = ctx.vfs.lstat(abs);
            } catch (err) {
              if (!(err instanceof SysError)) throw err;
              run.error(`${run.q(path)}: ${strerror(err.errno)}`);
              continue;
            }
            const child: Entry = { path, abs, depth: e.depth + 1, start: e.start, lst, st: this.statFor(abs, lst, follow), follows: follow, prune: false };
            yield* this.visit(child, fsType);
            if (run.quit) break;
          }
          this.ancestors.pop();
        }
      }
    }
    if (run.depthFirst && !run.quit) this.evaluate(e);
  }

  /** One starting point: `find: ‘x’: No such file or directory` when it is not there. */
  *start(path: string): Generator<undefined, void, void> {
    const run = this.run;
    const ctx = run.ctx;
    const abs = ctx.resolve(path);
    let lst: Stat;
    try {
      // "link/" names the directory the link points to
      lst = path.length > 1 && path.endsWith("/") ? ctx.vfs.stat(abs) : ctx.vfs.lstat(abs);
    } catch (err) {
      if (!(err instanceof SysError)) throw err;
      run.error(`${run.q(path)}: ${strerror(err.errno)}`);
      return;
    }
    if (path === "") {
      run.error(`${run.q(path)}: No such file or directory`);
      return;
    }
    const follow = this.opts.follow !== "P";
    const e: Entry = { path, abs, depth: 0, start: path, lst, st: this.statFor(abs, lst, follow), follows: follow, prune: false };
    yield* this.visit(e, e.st.fsType);
  }
}

function* findRun(ctx: CommandContext): StreamRun {
  const run = makeRun(ctx);
  let parsed;
  try {
    parsed = parseFind(ctx.argv.slice(1), run);
  } catch (e) {
    if (!(e instanceof FindError)) throw e;
    ctx.stderr.write(e.lines.map((l) => `find: ${l}\n`).join(""));
    return 1;
  }
  if (typeof parsed === "string") {
    ctx.stdout.write(parsed);
    return 0;
  }
  const walker = new Walker(run, parsed.opts, parsed.expr);
  for (const p of parsed.paths) {
    yield* walker.start(p);
    if (run.quit) break;
  }
  if (run.status !== STATUS_SIGINT) for (const f of run.finishers) f();
  run.flush();
  return run.status;
}

export const find = streaming(findRun);
