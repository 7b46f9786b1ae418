/**
 * The bash interpreter: runs scripts, `-c` strings and interactive lines over
 * the emulated file system, synchronously and deterministically.
 *
 * Output streams as produced: every write of a command goes straight to the
 * sink its redirections chose, or into a pipe whose reader runs interleaved
 * with the writer (src/shell/pipeline.ts). Errors are printed as bash 5.2
 * prints them, with the prefix of the mode (`bash: `, `bash: line N: `,
 * `SCRIPT: line N: `).
 */
import { SysError, strerror } from "../lib/errno.js";
import type { Vfs } from "../kernfs/vfs.js";
import { evalArith, ArithError, type ArithVars } from "./arith.js";
import type { AndOr, Assign, Cmd, CompoundCmd, CondExpr, List, Pipeline, Redir, SimpleCmd, Word } from "./ast.js";
import { BufferInput, NullSink, PipeFullError, toText } from "./io.js";
import { PipelineRun, type StageTask } from "./pipeline.js";
import { expandPattern, expandRegex, expandString, expandWord } from "./expand.js";
import { openRedirs } from "./redirs.js";
import { commandSubst, finishProcSubst, procSubst, type ProcSubstFile } from "./subst.js";
import { completeLine } from "./completion.js";
import { timeReport } from "./time_report.js";
import { Parser, ShellSyntaxError } from "./parser.js";
import { joinPath, matchPattern } from "./pattern.js";
import { shellQuote } from "./printf.js";
import { TestError, binaryTest, unaryTest, type TestEnv } from "./test_expr.js";
import { BUILTINS, type ShellState } from "./builtins/mod.js";
import { cleanupJobs, JOB_EXIT_NS } from "./builtins/jobs.js";
import { JobOutput } from "./job_output.js";
import type { Job, Shopts } from "./builtins/api.js";
import { AbortCommand, ExitSignal, ExpandError, InterruptSignal, LimitSignal, LoopSignal, ReturnSignal, type Io, type Var } from "./signals.js";
import { BINARY_MARKER, type Command, type CommandContext, type InputSource, type OutputSink, type ShellHooks, type ShellLimits, type StreamRun } from "./types.js";

/** Options of a {@link Shell}. */
export interface ShellOptions {
  vfs: Vfs;
  /** Registered programs, by the name in their binary marker. */
  commands?: Map<string, Command> | Record<string, Command>;
  /** Initial (exported) environment. */
  env?: Record<string, string>;
  cwd?: string;
  hooks?: Partial<ShellHooks>;
  limits?: Partial<ShellLimits>;
  stdout?: OutputSink;
  stderr?: OutputSink;
  stdin?: InputSource;
  /** The shell's name in messages ("bash"). */
  name?: string;
}

/** Default limits. */
export const DEFAULT_LIMITS: ShellLimits = { maxSteps: 10_000_000, maxLoopIterations: 1_000_000, maxDepth: 200, maxStringLength: 1 << 26, maxWords: 1 << 22, maxPipeBytes: 1 << 27 };

/** Hooks of a shell given none: its own virtual clock, from 0 at 2026-01-01T00:00:00Z, that `sleep` moves on. */
function defaultHooks(): ShellHooks {
  let t = 0;
  return {
    sleep(seconds) {
      t += Math.round(seconds * 1e9);
    },
    now: () => t,
    wallClock: (ns) => Date.UTC(2026, 0, 1) + Math.floor(ns / 1e6),
  };
}

const KEYWORDS = new Set(["if", "then", "elif", "else", "fi", "case", "esac", "for", "select", "while", "until", "do", "done", "in", "function", "time", "{", "}", "!", "[[", "]]"]);

type Mode = "interactive" | "c" | "script";

interface Runtime {
  vfs: Vfs;
  commands: Map<string, Command>;
  hooks: ShellHooks;
  limits: ShellLimits;
  steps: number;
  name: string;
  nextPid: number;
  /** A SIGINT seen by a poll and not handled yet. */
  pendingInterrupt: boolean;
  /** Background jobs' writes to the shell's own streams, until their time comes. */
  jobOutput: JobOutput;
  /** The shell's own stdout and stderr. */
  ownStreams: OutputSink[];
  /** Background jobs being run (nested): while above 0 the clock is a job's own. */
  inJob: number;
  /** `$SECONDS`: `base` at virtual instant `at` (the shell's start, or the last assignment). */
  seconds: { base: number; at: number };
  interrupted(): boolean;
}

/** Per-shell mutable state (copied for subshells). */
/** A task's `comm` for program file `path`: its base name, cut to 15 bytes as TASK_COMM_LEN keeps it. */
function taskComm(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1).slice(0, 15);
}

class Interp implements ShellState {
  vars = new Map<string, Var>();
  funcs = new Map<string, CompoundCmd & { k: "func" }>();
  aliases = new Map<string, string>();
  traps = new Map<string, string>();
  shopts: Shopts = new Map();
  jobs: Job[] = [];
  parentJobs: Job[] = [];
  reaped = new Map<number, number>();
  positional: string[] = [];
  arg0 = "bash";
  opts = { errexit: false, nounset: false, xtrace: false, pipefail: false, noglob: false, errtrace: false };
  cwd = "/";
  status = 0;
  mode: Mode = "c";
  /** Name used in error prefixes for scripts. */
  scriptName = "bash";
  line = 1;
  errexitOff = 0;
  loopDepth = 0;
  funcDepth = 0;
  depth = 0;
  locals: Map<string, Var | undefined>[] = [];
  lastSub: number | null = null;
  pid: number;
  /** The process's name (its `comm`): the shell's own, a script's file name for the shell that runs it. */
  comm: string;
  lastBg = 0;
  sourceDepth = 0;

  constructor(readonly rt: Runtime) {
    this.pid = rt.nextPid++;
    this.comm = rt.name;
  }

  clone(): Interp {
    const c = new Interp(this.rt);
    for (const [k, v] of this.vars) c.vars.set(k, { ...v, value: Array.isArray(v.value) ? [...v.value] : v.value });
    c.funcs = new Map(this.funcs);
    c.shopts = new Map(this.shopts);
    c.aliases = new Map(this.aliases);
    c.positional = [...this.positional];
    c.parentJobs = [...this.parentJobs, ...this.jobs];
    c.reaped = new Map(this.reaped);
    c.lastBg = this.lastBg;
    c.arg0 = this.arg0;
    c.opts = { ...this.opts };
    c.cwd = this.cwd;
    c.status = this.status;
    c.mode = this.mode === "interactive" ? "c" : this.mode;
    c.scriptName = this.scriptName;
    c.line = this.line;
    c.errexitOff = this.errexitOff;
    c.loopDepth = this.loopDepth;
    c.funcDepth = this.funcDepth;
    c.depth = this.depth + 1;
    c.pid = this.pid;
    c.comm = this.comm;
    c.interactivePrefix = this.mode === "interactive" || this.interactivePrefix;
    if (c.depth > this.rt.limits.maxDepth) throw new LimitSignal(`${this.rt.name}: maximum subshell nesting level exceeded (${this.rt.limits.maxDepth}); script stopped`);
    return c;
  }

  interactivePrefix = false;

  // --- messages -----------------------------------------------------------------

  prefix(): string {
    if (this.mode === "interactive" || this.interactivePrefix) return `${this.rt.name}: `;
    if (this.mode === "script") return `${this.scriptName}: line ${this.line}: `;
    return `${this.rt.name}: line ${this.line}: `;
  }

  err(io: Io, msg: string): void {
    try {
      io.stderr.write(this.prefix() + msg + "\n");
    } catch {
      /* stderr refused: nothing to do */
    }
  }

  /**
   * Acts on a pending SIGINT: runs `trap ... INT` (or ignores it for
   * `trap '' INT`) and goes on, or stops the foreground job (InterruptSignal).
   */
  checkInterrupt(): void {
    if (!this.rt.interrupted()) return;
    const t = this.traps.get("INT");
    if (t === undefined) throw new InterruptSignal();
    this.rt.pendingInterrupt = false;
    if (t !== "") this.runTrap(t, 130);
  }

  private inTrap = false;

  /** Runs a trap's text with `$?` = `status`; `$?` is restored afterwards, as bash does. */
  runTrap(text: string, status: number, io?: Io): void {
    if (this.inTrap) return;
    this.inTrap = true;
    const saved = this.status;
    this.status = status;
    try {
      this.runText(text, io ?? this.permanentIo ?? this.trapIo ?? { stdin: new BufferInput(), stdout: new NullSink(), stderr: new NullSink() });
    } finally {
      this.inTrap = false;
      this.status = saved;
    }
  }

  /** The streams traps without a command at hand write to (the shell's own). */
  trapIo: Io | null = null;

  step(): void {
    this.checkInterrupt();
    if (++this.rt.steps > this.rt.limits.maxSteps) throw new LimitSignal(`${this.rt.name}: execution limit reached (${this.rt.limits.maxSteps} steps); script stopped`);
  }

  // --- variables -----------------------------------------------------------------

  getVar(name: string): string | undefined {
    const v = this.vars.get(name);
    if (v === undefined) {
      if (name === "RANDOM") return String((this.rt.steps * 1103515245 + 12345) & 0x7fff);
      if (name === "LINENO") return String(this.line);
      if (name === "SECONDS") return String(Math.floor((this.rt.hooks.now() - this.rt.seconds.at) / 1e9) + this.rt.seconds.base);
      return undefined;
    }
    return Array.isArray(v.value) ? v.value[0] : v.value;
  }

  /** Stops the run with one line when a value would pass the size limit (never a V8 abort). */
  checkSize(chars: number, words = 0): void {
    const l = this.rt.limits;
    if (chars > l.maxStringLength) throw new LimitSignal(`${this.rt.name}: xrealloc: cannot allocate ${chars + 1} bytes (the shell's limit for one value is ${l.maxStringLength} bytes); script stopped`);
    if (words > l.maxWords) throw new LimitSignal(`${this.rt.name}: xrealloc: cannot allocate a list of ${words} words (the shell's limit is ${l.maxWords}); script stopped`);
  }

  pidString(): string {
    return String(this.pid);
  }

  setVar(name: string, value: string, io?: Io): boolean {
    this.checkSize(value.length);
    const cur = this.vars.get(name);
    // declare -i: the value is evaluated arithmetically
    if (cur?.integer === true && !cur.readonly) value = this.arith(value === "" ? "0" : value).toString();
    if (cur !== undefined && cur.readonly) {
      if (io !== undefined) this.err(io, `${name}: readonly variable`);
      return false;
    }
    if (cur === undefined) this.vars.set(name, { value, exported: this.allExport, readonly: false });
    else if (Array.isArray(cur.value)) cur.value[0] = value;
    else cur.value = value;
    if (name === "PWD") this.cwd = value.startsWith("/") ? value : this.cwd;
    if (name === "SECONDS" && /^\s*-?\d+\s*$/.test(value)) {
      // bash: the count goes on from the value assigned
      this.rt.seconds = { base: Number(value), at: this.rt.hooks.now() };
      this.vars.delete(name);
    }
    return true;
  }

  allExport = false;

  setIndex(name: string, index: number, value: string): void {
    let cur = this.vars.get(name);
    if (cur === undefined) {
      cur = { value: [], exported: false, readonly: false };
      this.vars.set(name, cur);
    }
    if (!Array.isArray(cur.value)) cur.value = cur.value === "" ? [] : [cur.value];
    cur.value[index] = value;
  }

  exportedEnv(extra?: Record<string, string>): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [k, v] of this.vars) if (v.exported) env[k] = Array.isArray(v.value) ? v.value[0] ?? "" : v.value;
    if (extra !== undefined) Object.assign(env, extra);
    return env;
  }

  arithVars(): ArithVars {
    return {
      get: (name, index) => {
        if (index !== null) {
          const v = this.vars.get(name);
          if (v === undefined) return undefined;
          return Array.isArray(v.value) ? v.value[Number(index)] : index === 0n ? v.value : undefined;
        }
        const v = this.getVar(name);
        if (v === undefined && this.opts.nounset) throw new ExpandError(`${name}: unbound variable`, this.mode === "script" ? 1 : 127);
        return v;
      },
      set: (name, index, value) => {
        if (index !== null) this.setIndex(name, Number(index), value.toString());
        else this.setVar(name, value.toString());
      },
    };
  }

  arith(text: string): bigint {
    return evalArith(text, this.arithVars());
  }

  // --- execution -------------------------------------------------------------------

  execList(list: List, io: Io): number {
    let st = this.status;
    for (const ao of list) {
      if (ao.background) {
        this.startJob(ao, io);
        st = 0;
        this.status = 0;
        continue;
      }
      const perm = this.permanentIo;
      st = this.execAndOr(ao, io);
      if (this.permanentIo !== perm && this.permanentIo !== null) io = this.permanentIo;
      this.flushJobOutput();
      if (this.jobs.length > 0) cleanupJobs(this);
    }
    return st;
  }

  /**
   * `cmd &`: runs the command in a subshell now, with its sleeps kept off the
   * clock (they make the job's length instead), and enters it in the job table.
   */
  private startJob(ao: AndOr, io: Io): void {
    const pid = this.rt.nextPid++;
    const outer = this.rt.hooks;
    let later = 0;
    const hooks: ShellHooks = Object.assign(Object.create(outer) as ShellHooks, {
      sleep: (seconds: number): void => {
        later += Math.round(seconds * 1e9);
      },
      now: (): number => outer.now() + later,
    });
    const sub = this.clone();
    let st: number;
    const own = this.rt.ownStreams;
    const out = this.rt.jobOutput;
    const jio: Io = {
      ...io,
      stdout: JobOutput.holds(io.stdout, own) ? out.hold(io.stdout, hooks.now) : io.stdout,
      stderr: JobOutput.holds(io.stderr, own) ? out.hold(io.stderr, hooks.now) : io.stderr,
    };
    this.rt.hooks = hooks;
    this.rt.inJob++;
    try {
      st = sub.execAndOr(ao, jio);
    } catch (e) {
      if (e instanceof ExitSignal) st = e.status;
      else if (e instanceof ReturnSignal || e instanceof LoopSignal) st = sub.status;
      else if (e instanceof AbortCommand) st = 1;
      else throw e;
    } finally {
      this.rt.hooks = outer;
      this.rt.inJob--;
    }
    this.lastBg = pid;
    const id = (this.jobs[this.jobs.length - 1]?.id ?? 0) + 1;
    this.jobs.push({ id, pid, text: this.andOrText(ao), status: st, end: outer.now() + later + JOB_EXIT_NS, signal: 0, reported: false });
    if (this.mode === "interactive") {
      try {
        io.stderr.write(`[${id}] ${pid}\n`);
      } catch {
        /* ignore */
      }
    }
  }

  /**
   * The text of a job as `jobs` shows it: its source with runs of blanks
   * outside quotes made one space, and `( … )` spaced as bash prints it.
   */
  private andOrText(ao: AndOr): string {
    const src = ao.text ?? "";
    let out = "";
    let quote = "";
    for (let i = 0; i < src.length; i++) {
      const c = src[i]!;
      if (quote !== "") {
        out += c;
        if (c === "\\" && quote === '"' && i + 1 < src.length) out += src[++i];
        else if (c === quote) quote = "";
        continue;
      }
      if (c === "'" || c === '"') quote = c;
      if (c === "\\" && i + 1 < src.length) {
        out += c + src[++i];
        continue;
      }
      if (/\s/.test(c)) {
        if (!out.endsWith(" ")) out += " ";
        continue;
      }
      out += c;
    }
    if (/^\((?!\()/.test(out) && out.endsWith(")")) out = `( ${out.slice(1, -1).trim()} )`;
    return out;
  }

  execAndOr(ao: AndOr, io: Io): number {
    if (ao.rest.length === 0) return this.execPipeline(ao.first, io);
    this.errexitOff++;
    let st: number;
    try {
      st = this.execPipeline(ao.first, io);
    } finally {
      this.errexitOff--;
    }
    for (let i = 0; i < ao.rest.length; i++) {
      const { op, p } = ao.rest[i]!;
      if ((op === "&&") !== (st === 0)) continue;
      const last = i === ao.rest.length - 1;
      if (!last) this.errexitOff++;
      try {
        st = this.execPipeline(p, io);
      } finally {
        if (!last) this.errexitOff--;
      }
    }
    return st;
  }

  /** Hands on what background jobs wrote up to now, on the foreground's clock only (inside a job the clock is the job's). */
  private flushJobOutput(): void {
    if (this.rt.jobOutput.pending && this.rt.inJob === 0) this.rt.jobOutput.flush(this.rt.hooks.now());
  }

  execPipeline(p: Pipeline, io: Io): number {
    this.flushJobOutput();
    if (p.time === undefined) return this.execPipelineUntimed(p, io);
    const t0 = this.rt.hooks.now();
    try {
      return this.execPipelineUntimed(p, io);
    } finally {
      const text = timeReport(this.rt.hooks.now() - t0, p.time.posix, this.getVar("TIMEFORMAT"));
      try {
        io.stderr.write(text);
      } catch {
        /* ignore */
      }
    }
  }

  private execPipelineUntimed(p: Pipeline, io: Io): number {
    if (p.bang) this.errexitOff++;
    let st: number;
    let statuses: number[];
    try {
      if (p.cmds.length === 1) {
        st = this.execCmd(p.cmds[0]!, io);
        statuses = [st];
      } else {
        const run = new PipelineRun(p.cmds.length, this.rt.limits.maxPipeBytes, {
          streams: (i) => this.streamable(p.cmds[i]!),
          start: (i, stdin, stdout) => this.startStage(p.cmds[i]!, { stdin, stdout, stderr: p.errPipe[i] === true && i < p.cmds.length - 1 ? stdout : io.stderr, extra: io.extra }),
        }, io.stdin, io.stdout);
        statuses = run.run();
        st = statuses[statuses.length - 1]!;
        // a pipe's writer was stopped by the limit: the result is not bash's, so the status says so
        if (run.cut && st === 0) st = 1;
        if (this.opts.pipefail) for (const s of statuses) if (s !== 0) st = s;
      }
    } finally {
      if (p.bang) this.errexitOff--;
    }
    this.vars.set("PIPESTATUS", { value: statuses.map(String), exported: false, readonly: false });
    if (p.bang) st = st === 0 ? 1 : 0;
    this.status = st;
    if (st !== 0 && !p.bang && this.errexitOff === 0) {
      const t = this.traps.get("ERR");
      if (t !== undefined && t !== "" && (this.funcDepth === 0 || this.opts.errtrace)) {
        this.runTrap(t, st, io);
        this.status = st;
      }
    }
    if (st !== 0 && !p.bang && this.opts.errexit && this.errexitOff === 0) {
      const last = p.cmds[p.cmds.length - 1]!;
      if (p.cmds.length > 1 || last.k === "simple" || last.k === "subshell" || last.k === "arith" || last.k === "cond") throw new ExitSignal(st);
    }
    return st;
  }

  /** True when `cmd` is a program with a streaming form (found without running anything): a pipeline runs it as a task. */
  private streamable(cmd: Cmd): boolean {
    if (cmd.k !== "simple" || cmd.words.length === 0) return false;
    const w0 = cmd.words[0]!;
    if (w0.length !== 1 || w0[0]!.t !== "lit") return false;
    const name = w0[0]!.v;
    if (this.funcs.has(name) || this.isBuiltin(name) || this.aliases.has(name) || KEYWORDS.has(name)) return false;
    const path = this.lookPath(name);
    if (path === null) return false;
    try {
      const prog = binaryProgram(this.rt.vfs.readFile(path));
      return prog !== null && this.rt.commands.get(prog)?.stream !== undefined;
    } catch {
      return false;
    }
  }

  /**
   * Starts one stage of a pipeline in a subshell: a streaming program comes
   * back as its task (run by src/shell/pipeline.ts), anything else runs to
   * completion here and gives its status.
   */
  private startStage(cmd: Cmd, stageIo: Io): StageTask | number {
    const sub = this.clone();
    sub.deferOk = cmd.k === "simple";
    let s: number;
    try {
      s = sub.execCmd(cmd, stageIo);
    } catch (e) {
      sub.deferred?.stop();
      if (e instanceof ExitSignal) s = e.status;
      else if (e instanceof ReturnSignal) s = e.status;
      else if (e instanceof AbortCommand) s = 1;
      else throw e;
    }
    sub.deferOk = false;
    const task = sub.deferred;
    sub.deferred = null;
    return task ?? s;
  }

  /** Set on a pipeline stage's subshell: its program may come back as a task instead of running. */
  deferOk = false;
  /** The task of a program that was deferred (see {@link startStage}). */
  deferred: (StageTask & { handles: { close(): void }[] }) | null = null;

  execCmd(cmd: Cmd, io: Io): number {
    if (cmd.k === "simple") return this.execSimple(cmd, io);
    this.line = cmd.line;
    if (cmd.k === "func") {
      this.funcs.set(cmd.name, cmd);
      return 0;
    }
    if (cmd.redirs.length === 0) return this.execCompound(cmd, io);
    const mark = this.psubs.length;
    try {
      return this.withRedirs(cmd.redirs, io, (rio) => this.execCompound(cmd, rio));
    } finally {
      if (this.psubs.length > mark) this.finishProcSubst(mark);
    }
  }

  private loopTick(count: number): void {
    this.step();
    if (count > this.rt.limits.maxLoopIterations) throw new LimitSignal(`${this.rt.name}: execution limit reached (${this.rt.limits.maxLoopIterations} loop iterations); script stopped`);
  }

  /** Runs a loop body; returns "break" / "continue" / null. */
  private loopBody(body: List, io: Io): "break" | null {
    this.loopDepth++;
    try {
      this.execList(body, io);
    } catch (e) {
      if (!(e instanceof LoopSignal)) throw e;
      if (e.n > 1) {
        e.n--;
        throw e;
      }
      if (e.kind === "break") return "break";
    } finally {
      this.loopDepth--;
    }
    return null;
  }

  private cond(list: List, io: Io): number {
    this.errexitOff++;
    try {
      return this.execList(list, io);
    } finally {
      this.errexitOff--;
    }
  }

  execCompound(cmd: CompoundCmd, io: Io): number {
    switch (cmd.k) {
      case "group":
        return this.execList(cmd.body, io);
      case "subshell": {
        const sub = this.clone();
        // bash lists the parent's jobs in a pipeline or $(…), not in ( … )
        sub.parentJobs = [];
        let st: number;
        try {
          st = sub.execList(cmd.body, io);
        } catch (e) {
          if (e instanceof ExitSignal) st = e.status;
          else if (e instanceof LoopSignal) st = sub.status;
          else if (e instanceof AbortCommand) st = 1;
          else throw e;
        }
        this.status = st;
        return st;
      }
      case "if": {
        for (const c of cmd.clauses) {
          if (this.cond(c.cond, io) === 0) return this.execList(c.body, io);
        }
        if (cmd.otherwise !== null) return this.execList(cmd.otherwise, io);
        this.status = 0;
        return 0;
      }
      case "while": {
        let st = 0;
        for (let n = 1; ; n++) {
          this.loopTick(n);
          const c = this.cond(cmd.cond, io);
          if ((c === 0) === cmd.until) break;
          const r = this.loopBody(cmd.body, io);
          st = this.status;
          if (r === "break") break;
        }
        this.status = st;
        return st;
      }
      case "for": {
        let items: string[];
        try {
          items = cmd.words === null ? [...this.positional] : cmd.words.flatMap((w) => this.expandWord(w, io));
        } catch (e) {
          return this.expandFailed(e, io);
        }
        let st = 0;
        let n = 0;
        for (const it of items) {
          this.loopTick(++n);
          this.setVar(cmd.name, it, io);
          const r = this.loopBody(cmd.body, io);
          st = this.status;
          if (r === "break") break;
        }
        this.status = st;
        return st;
      }
      case "afor": {
        let st = 0;
        try {
          const init = this.expandString(cmd.init, io);
          if (init.trim() !== "") this.arith(init);
          for (let n = 1; ; n++) {
            this.loopTick(n);
            const c = this.expandString(cmd.cond, io);
            if (c.trim() !== "" && this.arith(c) === 0n) break;
            const r = this.loopBody(cmd.body, io);
            st = this.status;
            if (r === "break") break;
            const s = this.expandString(cmd.step, io);
            if (s.trim() !== "") this.arith(s);
          }
        } catch (e) {
          if (e instanceof ArithError) {
            this.err(io, e.message);
            this.status = 1;
            return 1;
          }
          if (e instanceof ExpandError) return this.expandFailed(e, io);
          throw e;
        }
        this.status = st;
        return st;
      }
      case "case": {
        let st = 0;
        let w: string;
        try {
          w = this.expandString(cmd.word, io);
        } catch (e) {
          return this.expandFailed(e, io);
        }
        let fall = false;
        for (const item of cmd.items) {
          if (!fall && !item.pats.some((p) => matchPattern(this.expandPattern(p, io), w))) continue;
          st = this.execList(item.body, io);
          if (item.body.length === 0) st = 0;
          if (item.term === ";&") {
            fall = true;
            continue;
          }
          fall = false;
          if (item.term === ";;") break;
        }
        this.status = st;
        return st;
      }
      case "arith": {
        this.step();
        let st: number;
        try {
          const text = this.expandString(cmd.expr, io);
          if (this.opts.xtrace) this.trace(io, `(( ${text} ))`);
          st = this.arith(text) !== 0n ? 0 : 1;
        } catch (e) {
          if (e instanceof ArithError) {
            this.err(io, e.message);
            st = 1;
          } else return this.expandFailed(e, io);
        }
        this.status = st;
        return st;
      }
      case "cond": {
        this.step();
        let st: number;
        try {
          st = this.evalCond(cmd.expr, io) ? 0 : 1;
        } catch (e) {
          if (e instanceof TestError) {
            this.err(io, e.message);
            st = 2;
          } else if (e instanceof ArithError) {
            this.err(io, e.message);
            st = 1;
          } else return this.expandFailed(e, io);
        }
        this.status = st;
        return st;
      }
      case "func":
        this.funcs.set(cmd.name, cmd);
        return 0;
    }
  }

  private evalCond(e: CondExpr, io: Io): boolean {
    switch (e.t) {
      case "and": return this.evalCond(e.l, io) && this.evalCond(e.r, io);
      case "or": return this.evalCond(e.l, io) || this.evalCond(e.r, io);
      case "not": return !this.evalCond(e.e, io);
      case "word": return this.expandString(e.w, io) !== "";
      case "un": return unaryTest(e.op, this.expandString(e.w, io), this.testEnv());
      case "bin": {
        const l = this.expandString(e.l, io);
        if (e.op === "==" || e.op === "=" || e.op === "!=") {
          const m = matchPattern(this.expandPattern(e.r, io), l);
          return e.op === "!=" ? !m : m;
        }
        if (e.op === "=~") {
          const src = this.expandRegex(e.r, io);
          let re: RegExp;
          try {
            re = new RegExp(src);
          } catch {
            throw new TestError(`${src}: invalid regular expression`);
          }
          const m = re.exec(l);
          this.vars.set("BASH_REMATCH", { value: m === null ? [] : m.map((x) => x ?? ""), exported: false, readonly: false });
          return m !== null;
        }
        const r = this.expandString(e.r, io);
        if (/^-(eq|ne|lt|le|gt|ge)$/.test(e.op)) {
          const a = this.arith(l);
          const b = this.arith(r);
          return binaryTest(e.op, a.toString(), b.toString(), this.testEnv());
        }
        return binaryTest(e.op, l, r, this.testEnv());
      }
    }
  }

  testEnv(): TestEnv {
    return {
      varSet: (n) => this.vars.has(n),
      fileTest: (op, arg) => {
        const vfs = this.rt.vfs;
        if (op === "-t") return false;
        if (op === "-ef" || op === "-nt") {
          const [a, b] = arg.split("\0") as [string, string];
          try {
            const sa = vfs.stat(this.abs(a));
            const sb = vfs.stat(this.abs(b));
            return op === "-ef" ? sa.ino === sb.ino : sa.mtime > sb.mtime;
          } catch {
            return false;
          }
        }
        if (arg === "") return false;
        const p = this.abs(arg);
        if (op === "-L" || op === "-h") {
          try {
            return vfs.lstat(p).type === "link";
          } catch {
            return false;
          }
        }
        let st;
        try {
          st = vfs.stat(p);
        } catch {
          return false;
        }
        switch (op) {
          case "-e":
          case "-a":
          case "-r":
          case "-w":
            return true;
          case "-f": return st.type === "file";
          case "-d": return st.type === "dir";
          case "-c": return st.type === "chr";
          case "-b": return st.type === "blk";
          case "-s": return st.size > 0;
          case "-x": return st.type === "dir" || (st.mode & 0o111) !== 0;
          case "-u": return (st.mode & 0o4000) !== 0;
          case "-g": return (st.mode & 0o2000) !== 0;
          case "-k": return (st.mode & 0o1000) !== 0;
          case "-O":
          case "-G": return true;
          default: return false;
        }
      },
    };
  }

  abs(p: string): string {
    return joinPath(this.cwd, p);
  }

  expandFailed(e: unknown, io: Io): number {
    if (e instanceof ExpandError) {
      this.err(io, e.message);
      this.status = 1;
      if (e.fatalStatus !== null && this.mode !== "interactive") throw new ExitSignal(e.fatalStatus);
      return 1;
    }
    if (e instanceof ArithError) {
      this.err(io, e.message);
      this.status = 1;
      throw new AbortCommand();
    }
    throw e;
  }

  private trace(io: Io, text: string): void {
    try {
      io.stderr.write("+".repeat(this.depth + 1) + " " + text + "\n");
    } catch {
      /* ignore */
    }
  }

  execSimple(cmd: SimpleCmd, io: Io): number {
    const mark = this.psubs.length;
    try {
      return this.execSimpleInner(cmd, io);
    } finally {
      // a deferred program (a pipeline's task) still reads its <(…) files: they go when it ends
      if (this.psubs.length > mark) {
        if (this.deferred !== null) this.deferred.handles.push({ close: () => this.finishProcSubst(mark) });
        else this.finishProcSubst(mark);
      }
    }
  }

  private execSimpleInner(cmd: SimpleCmd, io: Io): number {
    const mayDefer = this.deferOk;
    this.deferOk = false;
    this.line = cmd.line;
    this.step();
    this.lastSub = null;
    let argv: string[];
    try {
      argv = [];
      for (const w of cmd.words) for (const f of this.expandWord(w, io)) argv.push(f);
    } catch (e) {
      return this.expandFailed(e, io);
    }
    if (this.mode === "interactive" && argv.length > 0 && this.aliases.has(argv[0]!) && cmd.words[0]!.length === 1 && cmd.words[0]![0]!.t === "lit") {
      const expanded = new Parser(this.aliases.get(argv[0]!)!).parseAll();
      const first = expanded[0]?.first.cmds[0];
      if (first !== undefined && first.k === "simple") {
        const pre: string[] = [];
        for (const w of first.words) pre.push(...this.expandWord(w, io));
        argv = [...pre, ...argv.slice(1)];
      }
    }
    // assignments
    if (argv.length === 0) {
      let st = 0;
      try {
        for (const a of cmd.assigns) if (!this.doAssign(a, io)) st = 1;
      } catch (e) {
        return this.expandFailed(e, io);
      }
      if (this.opts.xtrace && cmd.assigns.length > 0) this.trace(io, cmd.assigns.map((a) => `${a.name}=${shellQuote(this.getVar(a.name) ?? "")}`).join(" "));
      if (this.lastSub !== null) st = st || this.lastSub;
      if (cmd.redirs.length > 0) st = this.withRedirs(cmd.redirs, io, () => st);
      this.status = st;
      return st;
    }
    const temp: Record<string, string> = {};
    try {
      for (const a of cmd.assigns) temp[a.name] = a.value === null ? "" : this.expandString(a.value, io);
    } catch (e) {
      return this.expandFailed(e, io);
    }
    if (this.opts.xtrace) this.trace(io, [...Object.entries(temp).map(([k, v]) => `${k}=${shellQuote(v)}`), ...argv.map(traceQuote)].join(" "));
    const name = argv[0]!;
    const run = (rio: Io): number => {
      if (this.funcs.has(name)) return this.withTemp(temp, () => this.callFunction(name, argv, rio));
      if (this.isBuiltin(name)) return this.withTemp(temp, () => this.builtin(argv, rio));
      this.deferNow = mayDefer;
      try {
        return this.runExternal(argv, rio, temp);
      } finally {
        this.deferNow = false;
      }
    };
    let st: number;
    if (name === "exec" && argv.length === 1) {
      st = this.execRedirPermanent(cmd.redirs, io);
    } else if (cmd.redirs.length === 0) st = run(io);
    else st = this.withRedirs(cmd.redirs, io, run);
    this.status = st;
    return st;
  }

  private withTemp(temp: Record<string, string>, fn: () => number): number {
    const keys = Object.keys(temp);
    if (keys.length === 0) return fn();
    const saved = new Map<string, Var | undefined>();
    for (const k of keys) {
      const cur = this.vars.get(k);
      saved.set(k, cur === undefined ? undefined : { ...cur });
      this.vars.set(k, { value: temp[k]!, exported: true, readonly: false });
    }
    try {
      return fn();
    } finally {
      for (const [k, v] of saved) {
        if (v === undefined) this.vars.delete(k);
        else this.vars.set(k, v);
      }
    }
  }

  private doAssign(a: Assign, io: Io): boolean {
    if (a.array !== undefined) {
      const vals: string[] = [];
      for (const w of a.array) vals.push(...this.expandWord(w, io));
      const cur = this.vars.get(a.name);
      if (cur?.readonly === true) {
        this.err(io, `${a.name}: readonly variable`);
        return false;
      }
      const base = a.append && cur !== undefined ? (Array.isArray(cur.value) ? cur.value : [cur.value]) : [];
      this.checkSize(0, base.length + vals.length);
      this.vars.set(a.name, { value: [...base, ...vals], exported: cur?.exported ?? false, readonly: false });
      return true;
    }
    let v = a.value === null ? "" : this.expandString(a.value, io);
    if (a.index !== undefined) {
      const idx = Number(this.arith(this.expandString(a.index, io)));
      const cur = this.vars.get(a.name);
      const old = cur !== undefined && Array.isArray(cur.value) ? cur.value[idx] ?? "" : "";
      this.setIndex(a.name, idx, a.append ? old + v : v);
      return true;
    }
    if (a.append) v = this.vars.get(a.name)?.integer === true ? `(${this.getVar(a.name) || "0"})+(${v || "0"})` : (this.getVar(a.name) ?? "") + v;
    if (!this.setVar(a.name, v, io)) {
      if (this.mode !== "interactive") {
        this.status = 1;
        throw new AbortCommand();
      }
      return false;
    }
    return true;
  }

  callFunction(name: string, argv: string[], io: Io): number {
    const f = this.funcs.get(name)!;
    if (this.funcDepth >= this.rt.limits.maxDepth) {
      this.err(io, `${name}: maximum function nesting level exceeded (${this.rt.limits.maxDepth})`);
      throw new ExitSignal(1);
    }
    const savedPos = this.positional;
    const savedLoop = this.loopDepth;
    this.positional = argv.slice(1);
    this.funcDepth++;
    this.loopDepth = 0;
    const frame = new Map<string, Var | undefined>();
    this.locals.push(frame);
    let st: number;
    try {
      st = this.execCmd(f.body, io);
    } catch (e) {
      if (e instanceof ReturnSignal) st = e.status;
      else throw e;
    } finally {
      this.locals.pop();
      for (const [k, v] of frame) {
        if (v === undefined) this.vars.delete(k);
        else this.vars.set(k, v);
      }
      this.funcDepth--;
      this.loopDepth = savedLoop;
      this.positional = savedPos;
    }
    this.status = st;
    return st;
  }

  // --- redirections -------------------------------------------------------------------

  withRedirs(redirs: Redir[], io: Io, fn: (io: Io) => number): number {
    const r = openRedirs(this, redirs, io);
    if (typeof r === "number") {
      this.status = r;
      return r;
    }
    try {
      return fn(r.io);
    } finally {
      // a deferred program (a pipeline's task) still writes to them: they close when it ends
      if (this.deferred !== null) this.deferred.handles.push(...r.handles);
      else for (const h of r.handles) h.close();
    }
  }

  /** `exec >file 2>&1`: redirections that stay for the rest of the shell. */
  private execRedirPermanent(redirs: Redir[], io: Io): number {
    const r = openRedirs(this, redirs, io);
    if (typeof r === "number") return r;
    this.permanentIo = r.io;
    return 0;
  }

  permanentIo: Io | null = null;

  // --- external commands -------------------------------------------------------------

  /** Finds a command in PATH (or a path with a slash); returns the absolute path or null. */
  lookPath(name: string): string | null {
    if (name.includes("/")) return this.abs(name);
    const path = this.getVar("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    for (const dir of path.split(":")) {
      const p = joinPath(dir === "" ? this.cwd : this.abs(dir), name);
      const n = this.rt.vfs.lookup(p);
      if (n !== undefined && n.kind !== "dir" && (n.mode & 0o111) !== 0) return p;
    }
    return null;
  }

  runExternal(argv: string[], io: Io, temp: Record<string, string>, fullEnv?: Record<string, string>): number {
    const name = argv[0]!;
    const path = this.lookPath(name);
    if (path === null) {
      this.err(io, `${name}: command not found`);
      if (!name.includes("/") && this.rt.hooks.hostHasCommand?.(name) === true) {
        try {
          io.stderr.write(`hint: '${name}' is a program of the host, not of this machine; run it against the machine with: iaa exec ${name} ...\n`);
        } catch {
          /* ignore */
        }
      }
      return 127;
    }
    const vfs = this.rt.vfs;
    const node = vfs.lookup(path);
    if (node === undefined) {
      this.err(io, `${name}: No such file or directory`);
      return 127;
    }
    if (node.kind === "dir") {
      this.err(io, `${name}: Is a directory`);
      return 126;
    }
    if ((node.mode & 0o111) === 0) {
      this.err(io, `${name}: Permission denied`);
      return 126;
    }
    let content: Uint8Array;
    try {
      content = vfs.readFile(path);
    } catch (e) {
      if (e instanceof SysError) {
        this.err(io, `${name}: ${strerror(e.errno)}`);
        return 126;
      }
      throw e;
    }
    const prog = binaryProgram(content);
    if (prog !== null) {
      const fn = this.rt.commands.get(prog);
      if (fn === undefined) {
        this.err(io, `${name}: cannot execute binary file: Exec format error`);
        return 126;
      }
      return this.invoke(fn, argv, io, fullEnv ?? this.exportedEnv(temp));
    }
    if (content[0] === 0x7f) {
      this.err(io, `${name}: cannot execute binary file: Exec format error`);
      return 126;
    }
    // a shell script, in a child shell
    const child = this.freshChild(fullEnv ?? this.exportedEnv(temp));
    child.mode = "script";
    child.scriptName = name;
    child.arg0 = name;
    child.comm = taskComm(path);
    child.positional = argv.slice(1);
    return child.runTop(toText(content), io);
  }

  /** A new shell process (exported variables only, same cwd). */
  freshChild(env: Record<string, string>): Interp {
    const c = new Interp(this.rt);
    for (const [k, v] of Object.entries(env)) c.vars.set(k, { value: v, exported: true, readonly: false });
    c.cwd = this.cwd;
    c.depth = this.depth + 1;
    if (c.depth > this.rt.limits.maxDepth) throw new LimitSignal(`${this.rt.name}: maximum shell nesting level exceeded (${this.rt.limits.maxDepth}); script stopped`);
    return c;
  }

  /** Runs a registered program with a context. */
  invoke(fn: Command, argv: string[], io: Io, env: Record<string, string>): number {
    const defer = this.deferNow && fn.stream !== undefined;
    this.deferNow = false;
    this.step();
    // the machine's programs run in the shell's process, under their own name
    this.rt.hooks.current?.(this.pid, taskComm(argv[0] ?? ""));
    const self = this;
    const ctx: CommandContext = {
      argv,
      stdin: io.stdin,
      stdout: io.stdout,
      stderr: io.stderr,
      env,
      cwd: this.cwd,
      vfs: this.rt.vfs,
      hooks: this.rt.hooks,
      resolve: (p) => joinPath(self.cwd, p),
      run(line: string, streams?: { stdin?: InputSource; stdout?: OutputSink }): number {
        const child = self.freshChild(env);
        child.mode = "c";
        return child.runTop(line, streams === undefined ? io : { ...io, ...streams });
      },
      exec(av: string[], fullEnv?: Record<string, string>): number {
        return self.runExternal(av, io, {}, fullEnv ?? env);
      },
      interrupted: () => self.rt.interrupted(),
      interruptible: this.rt.hooks.interrupted !== undefined,
    };
    if (defer) {
      this.deferred = this.commandTask(fn.stream!(ctx), argv, io);
      return 0;
    }
    try {
      return this.commandEnded(fn(ctx));
    } catch (e) {
      return this.commandFailed(e, argv, io);
    }
  }

  /** A streaming program as a pipeline's task: its errors and SIGINT are handled as {@link invoke} handles them. */
  private commandTask(gen: StreamRun, argv: string[], io: Io): StageTask & { handles: { close(): void }[] } {
    const handles: { close(): void }[] = [];
    const close = (): void => {
      for (const h of handles.splice(0)) h.close();
    };
    return {
      handles,
      step: () => {
        let status: number;
        try {
          const r = gen.next();
          if (!r.done) return { done: false, wantsInput: r.value === "input" };
          status = this.commandEnded(r.value);
        } catch (e) {
          if (!(e instanceof SysError)) {
            close();
            throw e;
          }
          status = this.commandFailed(e, argv, io);
        }
        close();
        return { done: true, status };
      },
      stop: () => {
        try {
          gen.return(0);
        } finally {
          close();
        }
      },
    };
  }

  /** A program's status once it returned: 130 when SIGINT stopped it (then the shell acts on the signal). */
  private commandEnded(status: number): number {
    if (this.rt.pendingInterrupt) {
      this.checkInterrupt();
      return 130;
    }
    return status & 0xff;
  }

  /** A program threw: a SysError is its one-line error (status 1); anything else goes on up. */
  private commandFailed(e: unknown, argv: string[], io: Io): number {
    if (!(e instanceof SysError)) throw e;
    const prog = argv[0]!;
    try {
      if (e instanceof PipeFullError) io.stderr.write(`${prog}: write error: ${e.detail}\n`);
      else if (e.syscall === "write") io.stderr.write(`${prog}: write error: ${strerror(e.errno)}\n`);
      else io.stderr.write(`${prog}: ${e.path ?? ""}: ${strerror(e.errno)}\n`);
    } catch {
      /* ignore */
    }
    return 1;
  }

  /** Set around the lookup of a pipeline stage's program: {@link invoke} may defer it. */
  private deferNow = false;

  /** Parses and runs a whole program text; handles exit, traps, limits. Returns the status. */
  runTop(text: string, io: Io): number {
    let st = 0;
    try {
      st = this.runText(text, io);
    } catch (e) {
      if (e instanceof ExitSignal) st = e.status;
      else if (e instanceof ReturnSignal) st = e.status;
      else if (e instanceof LoopSignal) st = this.status;
      else throw e;
    }
    st = this.runExitTrap(io, st);
    this.status = st;
    return st;
  }

  runExitTrap(io: Io, st: number): number {
    const t = this.traps.get("EXIT");
    if (t === undefined) return st;
    this.traps.delete("EXIT");
    this.status = st;
    try {
      this.runText(t, io);
    } catch (e) {
      if (e instanceof ExitSignal) return e.status;
      throw e;
    }
    return st;
  }

  /** Parses and executes `text` command by command (syntax errors stop it with status 2). */
  runText(text: string, io: Io, firstLine = 1): number {
    const parser = new Parser(text, firstLine);
    if (text.startsWith("#!")) parser.pos = Math.max(0, text.indexOf("\n") < 0 ? text.length : text.indexOf("\n"));
    let st = this.status;
    for (;;) {
      let list: List | null;
      try {
        list = parser.next();
      } catch (e) {
        if (e instanceof ShellSyntaxError) {
          this.syntaxError(e, io);
          this.status = 2;
          if (this.mode === "interactive") return 2;
          throw new ExitSignal(2);
        }
        throw e;
      }
      if (list === null) break;
      const cur = this.permanentIo ?? io;
      try {
        st = this.execList(list, cur);
      } catch (e) {
        if (!(e instanceof AbortCommand)) throw e;
        st = this.status = 1;
      }
    }
    return st;
  }

  syntaxError(e: ShellSyntaxError, io: Io): void {
    const base = this.mode === "interactive" ? `${this.rt.name}: ` : this.mode === "script" ? `${this.scriptName}: line ${e.line}: ` : `${this.rt.name}: -c: line ${e.line}: `;
    let msg = base + e.message + "\n";
    if (e.sourceLine !== null && this.mode !== "interactive") msg += `${base}\`${e.sourceLine}'\n`;
    else if (e.sourceLine !== null) msg += `${this.rt.name}: \`${e.sourceLine}'\n`;
    try {
      io.stderr.write(msg);
    } catch {
      /* ignore */
    }
  }

  // --- expansion (expand.ts) and substitution (subst.ts) ---------------------------------

  expandWord(w: Word, io: Io): string[] {
    return expandWord(this, w, io);
  }

  expandString(w: Word, io: Io): string {
    return expandString(this, w, io);
  }

  expandPattern(w: Word, io: Io): string {
    return expandPattern(this, w, io);
  }

  private expandRegex(w: Word, io: Io): string {
    return expandRegex(this, w, io);
  }

  commandSubst(body: List, io: Io): string {
    return commandSubst(this, body, io);
  }

  procSubst(out: boolean, body: List, io: Io): string {
    return procSubst(this, out, body, io);
  }

  private finishProcSubst(mark: number): void {
    finishProcSubst(this, mark);
  }

  /** Process substitutions of the running command: their file and, for >(…), the list to feed it to. */
  psubs: ProcSubstFile[] = [];


  special(name: string): string | undefined {
    switch (name) {
      case "#": return String(this.positional.length);
      case "?": return String(this.status);
      case "$": return String(this.pid);
      case "!": return this.lastBg === 0 ? undefined : String(this.lastBg);
      case "-": return (this.opts.errexit ? "e" : "") + "hB" + (this.opts.nounset ? "u" : "") + (this.opts.xtrace ? "x" : "") + (this.mode === "interactive" ? "i" : "");
      case "0": return this.arg0;
    }
    if (/^[0-9]+$/.test(name)) return this.positional[Number(name) - 1];
    return this.getVar(name);
  }


  // --- builtins ----------------------------------------------------------------------------

  /** Writes a builtin's output in one write; reports a write error as bash does. */
  out(io: Io, name: string, text: string): number {
    if (text === "") return 0;
    try {
      io.stdout.write(text);
      return 0;
    } catch (e) {
      if (e instanceof SysError) {
        this.err(io, `${name}: write error: ${e instanceof PipeFullError ? e.detail : strerror(e.errno)}`);
        return 1;
      }
      throw e;
    }
  }

  builtin(argv: string[], io: Io): number {
    const name = argv[0]!;
    const fn = BUILTINS.get(name);
    if (fn === undefined) {
      this.err(io, `${name}: command not found`);
      return 127;
    }
    this.rt.hooks.current?.(this.pid, this.comm);
    try {
      return fn(this, argv.slice(1), io, name);
    } catch (e) {
      if (e instanceof ArithError) {
        this.err(io, e.message);
        return 1;
      }
      throw e;
    }
  }

  isBuiltin(name: string): boolean {
    return BUILTINS.has(name);
  }

  describe(n: string): { kind: string; path: string; long: string } | null {
    if (this.aliases.has(n)) return { kind: "alias", path: n, long: `${n} is aliased to \`${this.aliases.get(n)}'` };
    if (KEYWORDS.has(n)) return { kind: "keyword", path: n, long: `${n} is a shell keyword` };
    if (this.funcs.has(n)) return { kind: "function", path: n, long: `${n} is a function` };
    if (this.isBuiltin(n)) return { kind: "builtin", path: n, long: `${n} is a shell builtin` };
    const p = this.lookPath(n);
    if (p !== null && this.rt.vfs.lookup(p) !== undefined && (n.includes("/") ? this.rt.vfs.lookup(p)!.kind !== "dir" : true)) return { kind: "file", path: p, long: `${n} is ${p}` };
    return null;
  }
}

/** The registered program a machine binary names (install_binaries.ts writes `BINARY_MARKER NAME\n`), or null for any other file. */
function binaryProgram(content: Uint8Array): string | null {
  const head = toText(content.subarray(0, 64));
  if (!head.startsWith(BINARY_MARKER)) return null;
  const nl = head.indexOf("\n");
  return head.slice(BINARY_MARKER.length, nl < 0 ? undefined : nl);
}

function traceQuote(s: string): string {
  if (s === "") return "''";
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, "'\\''")}'`;
}


/**
 * A bash-compatible shell over the emulated machine.
 *
 * @example
 * const sh = new Shell({ vfs, commands, stdout, stderr });
 * sh.runString('echo 5 > /sys/bus/dsa/devices/iax1/wq1.0/size; echo "rc=$?"');
 */
export class Shell {
  private readonly rt: Runtime;
  private readonly top: Interp;
  private readonly io: Io;

  constructor(opts: ShellOptions) {
    const commands = opts.commands instanceof Map ? new Map(opts.commands) : new Map(Object.entries(opts.commands ?? {}));
    this.rt = {
      vfs: opts.vfs,
      commands,
      hooks: { ...defaultHooks(), ...opts.hooks },
      limits: { ...DEFAULT_LIMITS, ...opts.limits },
      seconds: { base: 0, at: 0 },
      jobOutput: new JobOutput(),
      ownStreams: [],
      inJob: 0,
      steps: 0,
      name: opts.name ?? "bash",
      nextPid: 1000,
      pendingInterrupt: false,
      interrupted(): boolean {
        if (!this.pendingInterrupt && this.hooks.interrupted?.() === true) this.pendingInterrupt = true;
        return this.pendingInterrupt;
      },
    };
    this.rt.seconds.at = this.rt.hooks.now();
    const bashCmd: Command = (ctx) => this.bashCommand(ctx);
    if (!commands.has("bash")) commands.set("bash", bashCmd);
    if (!commands.has("sh")) commands.set("sh", bashCmd);
    this.io = { stdin: opts.stdin ?? new BufferInput(), stdout: opts.stdout ?? new NullSink(), stderr: opts.stderr ?? new NullSink() };
    this.rt.ownStreams = [this.io.stdout, this.io.stderr];
    const top = new Interp(this.rt);
    const env = { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", HOME: "/root", USER: "root", LOGNAME: "root", SHELL: "/bin/bash", TERM: "xterm", LANG: "C.UTF-8", HOSTNAME: "iaa-emu", ...opts.env };
    for (const [k, v] of Object.entries(env)) top.vars.set(k, { value: v, exported: true, readonly: false });
    top.cwd = opts.cwd ?? env.HOME ?? "/";
    if (opts.vfs.lookup(top.cwd)?.kind !== "dir") top.cwd = "/";
    top.vars.set("PWD", { value: top.cwd, exported: true, readonly: false });
    top.vars.set("IFS", { value: " \t\n", exported: false, readonly: false });
    top.vars.set("PS1", { value: "\\u@\\h:\\w\\$ ", exported: false, readonly: false });
    top.vars.set("BASH_VERSION", { value: "5.2.15(1)-release", exported: false, readonly: false });
    // bash's own: the user is root, the shell a child of init
    for (const k of ["UID", "EUID"]) top.vars.set(k, { value: "0", exported: false, readonly: true });
    top.vars.set("PPID", { value: "1", exported: false, readonly: true });
    this.top = top;
  }

  /** The shell's working directory. */
  get cwd(): string {
    return this.top.cwd;
  }

  /** The status of the last command. */
  get status(): number {
    return this.top.status;
  }

  /** A variable's value. */
  getVar(name: string): string | undefined {
    return this.top.getVar(name);
  }

  /** Registers (or replaces) a program. */
  register(name: string, cmd: Command): void {
    this.rt.commands.set(name, cmd);
  }

  private guarded(interp: Interp, io: Io, fn: () => number): number {
    interp.rt.steps = 0;
    interp.trapIo = io;
    try {
      return this.caught(interp, io, fn);
    } finally {
      // what jobs still running would print later: now, before the prompt or the end
      this.rt.jobOutput.flush();
    }
  }

  /** Runs `fn`, turning Ctrl-C, V8's limits and the runaway limits into bash's messages and statuses. */
  private caught(interp: Interp, io: Io, fn: () => number): number {
    try {
      return fn();
    } catch (e) {
      if (e instanceof InterruptSignal) {
        interp.rt.pendingInterrupt = false;
        interp.status = 130;
        // bash prints a newline after ^C on a terminal; a script dies of SIGINT (its EXIT trap runs)
        if (interp.mode === "interactive") {
          if (io.stderr.isTty === true) {
            try {
              io.stderr.write("\n");
            } catch {
              /* ignore */
            }
          }
        } else return interp.runExitTrap(io, 130);
        return 130;
      }
      if (e instanceof RangeError) {
        // V8's own limits (string length, call stack): one line, never a crash
        const msg = /call stack/i.test(e.message) ? "maximum nesting level exceeded (the interpreter's stack is full)" : "xrealloc: cannot allocate memory";
        try {
          io.stderr.write(`${this.rt.name}: ${msg}; script stopped\n`);
        } catch {
          /* ignore */
        }
        interp.status = 1;
        return 1;
      }
      if (e instanceof LimitSignal) {
        try {
          io.stderr.write(e.message + "\n");
        } catch {
          /* ignore */
        }
        interp.status = 1;
        return 1;
      }
      if (e instanceof ExitSignal) return e.status;
      throw e;
    }
  }

  /** Runs a script file's text (`bash SCRIPT ARGS…`); `$0` and error prefixes use `scriptPath`. */
  runScript(text: string, scriptPath: string, args: string[] = []): number {
    const sh = this.top;
    sh.mode = "script";
    sh.scriptName = scriptPath;
    sh.arg0 = scriptPath;
    sh.positional = args;
    return this.guarded(sh, this.io, () => sh.runTop(text, this.io));
  }

  /** Runs a `-c` string (`bash -c TEXT [ARG0 ARGS…]`). */
  runString(text: string, args: string[] = []): number {
    const sh = this.top;
    sh.mode = "c";
    if (args.length > 0) {
      sh.arg0 = args[0]!;
      sh.positional = args.slice(1);
    } else sh.arg0 = this.rt.name;
    return this.guarded(sh, this.io, () => sh.runTop(text, this.io));
  }

  /** True when `text` is a complete command (no open quote, compound command or heredoc). */
  isComplete(text: string): boolean {
    try {
      new Parser(text).parseAll();
      return true;
    } catch (e) {
      return !(e instanceof ShellSyntaxError && e.incomplete);
    }
  }

  /** Whether `exit` was run by {@link runLine}. */
  exited = false;

  /** Runs one interactive input (state is kept between calls). */
  runLine(line: string): number {
    const sh = this.top;
    sh.mode = "interactive";
    return this.guarded(sh, this.io, () => {
      try {
        return sh.runText(line, sh.permanentIo ?? this.io);
      } catch (e) {
        if (e instanceof ExitSignal) {
          this.exited = true;
          sh.status = e.status;
          sh.runExitTrap(this.io, e.status);
          return e.status;
        }
        if (e instanceof ReturnSignal || e instanceof LoopSignal) return sh.status;
        throw e;
      }
    });
  }

  /**
   * Tab completion of `line` at `cursor`, as bash's readline does: command
   * names (builtins, keywords, functions, aliases, PATH programs) at command
   * position, paths elsewhere (directories with a trailing `/`). Returns where
   * the completed word starts and the sorted candidates (whole words).
   */
  complete(line: string, cursor: number): { start: number; candidates: string[] } {
    const sh = this.top;
    return completeLine({ vfs: sh.rt.vfs, cwd: sh.cwd, getVar: (n) => sh.getVar(n), abs: (p) => sh.abs(p), ownNames: () => [...BUILTINS.keys(), ...KEYWORDS, ...sh.funcs.keys(), ...sh.aliases.keys()] }, line, cursor);
  }

  /** The `bash` / `sh` program: `bash -c CMD`, `bash SCRIPT ARGS`, `bash < script`. */
  private bashCommand(ctx: CommandContext): number {
    const io: Io = { stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr };
    const child = new Interp(this.rt);
    for (const [k, v] of Object.entries(ctx.env)) child.vars.set(k, { value: v, exported: true, readonly: false });
    child.vars.set("IFS", { value: " \t\n", exported: false, readonly: false });
    child.cwd = ctx.cwd;
    const args = ctx.argv.slice(1);
    let i = 0;
    for (; i < args.length; i++) {
      const a = args[i]!;
      if (a === "-c") {
        const text = args[i + 1];
        if (text === undefined) {
          ctx.stderr.write(`${ctx.argv[0]}: -c: option requires an argument\n`);
          return 2;
        }
        child.mode = "c";
        child.arg0 = args[i + 2] ?? ctx.argv[0]!;
        child.positional = args.slice(i + 3);
        return child.runTop(text, io);
      }
      if (a === "-e") child.opts.errexit = true;
      else if (a === "-x") child.opts.xtrace = true;
      else if (a === "-u") child.opts.nounset = true;
      else if (a === "--") {
        i++;
        break;
      } else if (a.startsWith("-")) continue;
      else break;
    }
    if (i >= args.length) {
      child.mode = "c";
      return child.runTop(toText(ctx.stdin.readAll()), io);
    }
    const file = args[i]!;
    let text: string;
    try {
      text = this.rt.vfs.readText(joinPath(ctx.cwd, file));
    } catch (e) {
      if (e instanceof SysError) {
        ctx.stderr.write(`${ctx.argv[0]}: ${file}: ${strerror(e.errno)}\n`);
        return 127;
      }
      throw e;
    }
    child.mode = "script";
    child.scriptName = file;
    child.arg0 = file;
    child.positional = args.slice(i + 1);
    return child.runTop(text, io);
  }
}
