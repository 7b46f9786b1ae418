/**
 * `jobs`, `wait`, `disown`, `fg`, `bg` over the shell's job table. A job
 * (`cmd &`) ran when it was started but keeps its own time: it is Running
 * until virtual time reaches its end, and `wait` lets that time pass on the
 * clock (so three `sleep 1 &` jobs and a `wait` take one virtual second, as in
 * bash). Waited-for and disowned jobs leave the table; their statuses stay
 * for `wait PID`. Without a terminal there is no job control: `fg` and `bg`
 * say so, as bash does; an interactive `fg` waits for the job.
 */
import type { Builtin, Job, ShellState } from "./api.js";
import type { Io } from "../signals.js";

/** Virtual time a background job takes besides its sleeps (its fork, exec and exit), and a killed one to die. */
export const JOB_EXIT_NS = 1_000_000;

/** True while virtual time has not reached the job's end. */
export function jobRunning(sh: ShellState, j: Job): boolean {
  return sh.rt.hooks.now() < j.end;
}

/** The job a `%` spec names (`%N`, `%%`, `%+`, `%-`, `%str`, `%?str`), or bash's reason there is none. */
export function findJob(t: readonly Job[], spec: string): Job | string {
  const s = spec.slice(1);
  if (s === "" || s === "%" || s === "+") return t[t.length - 1] ?? "no such job";
  if (s === "-") return t[t.length - 2] ?? t[t.length - 1] ?? "no such job";
  if (/^\d+$/.test(s)) return t.find((j) => j.id === Number(s)) ?? "no such job";
  const found = s.startsWith("?") ? t.filter((j) => j.text.includes(s.slice(1))) : t.filter((j) => j.text.startsWith(s));
  if (found.length > 1) return "ambiguous job spec";
  return found[0] ?? "no such job";
}

/** The spec as bash's message about it shows it: without its `%` when it was ambiguous. */
export function jobSpecShown(spec: string, reason: string): string {
  return reason === "ambiguous job spec" ? spec.slice(1) : spec;
}

/** Parses single-letter options from `allowed`; prints bash's two lines for another and returns null. */
function options(sh: ShellState, io: Io, name: string, args: string[], allowed: string, usage: string): { flags: Set<string>; rest: string[] } | null {
  const flags = new Set<string>();
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      i++;
      break;
    }
    if (!/^-./.test(a)) break;
    for (const c of a.slice(1)) {
      if (!allowed.includes(c)) {
        sh.err(io, `${name}: -${c}: invalid option`);
        try {
          io.stderr.write(`${name}: usage: ${usage}\n`);
        } catch {
          /* ignore */
        }
        return null;
      }
      flags.add(c);
    }
  }
  return { flags, rest: args.slice(i) };
}

/** Takes the job out of the table, keeping its status for `wait PID`. */
function reap(sh: ShellState, j: Job): void {
  const k = sh.jobs.indexOf(j);
  if (k >= 0) sh.jobs.splice(k, 1);
  sh.reaped.set(j.pid, j.status);
}

/**
 * Without a terminal, bash takes finished jobs out of its table (their
 * statuses kept for `wait PID`) once a command is done: called after each.
 */
export function cleanupJobs(sh: ShellState): void {
  if (sh.mode === "interactive") return;
  for (const j of [...sh.jobs]) if (!jobRunning(sh, j)) reap(sh, j);
}

/** Lets virtual time pass until the job has ended. */
function waitFor(sh: ShellState, j: Job): void {
  const now = sh.rt.hooks.now();
  if (jobRunning(sh, j)) sh.rt.hooks.sleep((j.end - now) / 1e9);
}

const SIGNAL_STATE: Record<number, string> = { 1: "Hangup", 2: "Interrupt", 3: "Quit", 6: "Aborted", 9: "Killed", 10: "User defined signal 1", 12: "User defined signal 2", 13: "Broken pipe", 14: "Alarm clock", 15: "Terminated" };

function stateText(sh: ShellState, j: Job): string {
  if (jobRunning(sh, j)) return "Running";
  if (j.signal !== 0) return SIGNAL_STATE[j.signal] ?? `Signal ${j.signal}`;
  return j.status === 0 ? "Done" : `Exit ${j.status}`;
}

/** `[N]+  Running                 TEXT &` (`-l`: the pid after the mark); a finished job `Done`, `Exit N` or its signal. */
function formatJob(sh: ShellState, t: Job[], j: Job, long: boolean): string {
  const k = t.indexOf(j);
  const mark = k === t.length - 1 ? "+" : k === t.length - 2 ? "-" : " ";
  const running = jobRunning(sh, j);
  const pid = long ? `${String(j.pid).padStart(5)} ` : " ";
  return `[${j.id}]${mark} ${pid}${stateText(sh, j).padEnd(24)}${j.text}${running ? " &" : ""}\n`;
}

export const jobs: Builtin = (sh, args, io) => {
  const o = options(sh, io, "jobs", args, "lnprsx", "jobs [-lnprs] [jobspec ...] or jobs -x command [args]");
  if (o === null) return 2;
  let st = 0;
  const table = [...sh.parentJobs, ...sh.jobs];
  let chosen: Job[] = [];
  if (o.rest.length === 0) chosen = table;
  else {
    for (const spec of o.rest) {
      const j = spec.startsWith("%") ? findJob(table, spec) : table.find((x) => String(x.pid) === spec) ?? "no such job";
      if (typeof j === "string") {
        sh.err(io, `jobs: ${jobSpecShown(spec, j)}: ${j}`);
        st = 1;
      } else chosen.push(j);
    }
  }
  // Without a terminal bash lists only jobs that still run; an interactive shell also reports finished ones, once.
  const interactive = sh.mode === "interactive";
  let text = "";
  const done: Job[] = [];
  for (const j of chosen) {
    const running = jobRunning(sh, j);
    if (!running) done.push(j);
    if (o.flags.has("s") || (o.flags.has("r") && !running) || (!running && !interactive)) continue;
    text += o.flags.has("p") ? `${j.pid}\n` : formatJob(sh, table, j, o.flags.has("l"));
  }
  if (interactive) for (const j of done) if (sh.jobs.includes(j)) reap(sh, j);
  const w = sh.out(io, "jobs", text);
  return w !== 0 ? w : st;
};

export const wait: Builtin = (sh, args, io) => {
  const o = options(sh, io, "wait", args, "fnp", "wait [-fn] [-p var] [id ...]");
  if (o === null) return 2;
  let rest = o.rest;
  let pVar: string | undefined;
  if (o.flags.has("p")) {
    pVar = rest[0];
    rest = rest.slice(1);
  }
  // each id in turn: a job to wait for, or the status it already has (an unknown one's error)
  const targets: (Job | number)[] = [];
  for (const a of rest) {
    if (a.startsWith("%")) {
      const j = findJob(sh.jobs, a);
      if (typeof j === "string") {
        sh.err(io, `wait: ${jobSpecShown(a, j)}: ${j}`);
        targets.push(127);
      } else targets.push(j);
      continue;
    }
    if (!/^\d+$/.test(a)) {
      sh.err(io, `wait: \`${a}': not a pid or valid job spec`);
      targets.push(1);
      continue;
    }
    const j = sh.jobs.find((x) => x.pid === Number(a));
    if (j !== undefined) targets.push(j);
    else if (o.flags.has("n")) continue;
    else if (sh.reaped.has(Number(a))) targets.push(sh.reaped.get(Number(a))!);
    else {
      sh.err(io, `wait: pid ${a} is not a child of this shell`);
      targets.push(127);
    }
  }
  if (o.flags.has("n")) {
    // the first of the jobs (given, else all) to finish
    const pool = rest.length > 0 ? targets.filter((t): t is Job => typeof t !== "number") : [...sh.jobs];
    if (pool.length === 0) return 127;
    const next = pool.reduce((x, y) => (y.end < x.end ? y : x));
    waitFor(sh, next);
    reap(sh, next);
    if (pVar !== undefined) sh.setVar(pVar, String(next.pid), io);
    return next.status;
  }
  if (rest.length === 0) {
    for (const j of [...sh.jobs]) {
      waitFor(sh, j);
      reap(sh, j);
    }
    return 0;
  }
  // the status is the last one's
  let st = 0;
  for (const t of targets) {
    if (typeof t === "number") {
      st = t;
      continue;
    }
    waitFor(sh, t);
    reap(sh, t);
    st = t.status;
    if (pVar !== undefined) sh.setVar(pVar, String(t.pid), io);
  }
  return st;
};

export const disown: Builtin = (sh, args, io) => {
  const o = options(sh, io, "disown", args, "ahr", "disown [-h] [-ar] [jobspec ... | pid ...]");
  if (o === null) return 2;
  const markOnly = o.flags.has("h");
  let chosen: Job[];
  let st = 0;
  if (o.rest.length === 0 && (o.flags.has("a") || o.flags.has("r"))) {
    chosen = sh.jobs.filter((j) => !o.flags.has("r") || jobRunning(sh, j));
  } else if (o.rest.length === 0) {
    const j = sh.jobs[sh.jobs.length - 1];
    if (j === undefined) {
      sh.err(io, "disown: current: no such job");
      return 1;
    }
    chosen = [j];
  } else {
    chosen = [];
    for (const spec of o.rest) {
      const j = spec.startsWith("%") ? findJob(sh.jobs, spec) : sh.jobs.find((x) => String(x.pid) === spec) ?? "no such job";
      if (typeof j === "string") {
        sh.err(io, `disown: ${jobSpecShown(spec, j)}: ${j}`);
        st = 1;
      } else chosen.push(j);
    }
  }
  // -h only marks jobs to keep on SIGHUP, which this shell never sends
  if (!markOnly) for (const j of chosen) reap(sh, j);
  return st;
};

function jobControl(name: "fg" | "bg"): Builtin {
  return (sh, args, io) => {
    if (sh.mode !== "interactive") {
      sh.err(io, `${name}: no job control`);
      return 1;
    }
    const spec = args[0] ?? "%+";
    const j = findJob(sh.jobs, spec);
    if (typeof j === "string") {
      sh.err(io, `${name}: ${args[0] ?? "current"}: ${j}`);
      return 1;
    }
    if (name === "bg") {
      if (!jobRunning(sh, j)) {
        sh.err(io, `bg: job has terminated`);
        return 1;
      }
      sh.err(io, `bg: job ${j.id} already in background`);
      return 0;
    }
    const w = sh.out(io, "fg", `${j.text}\n`);
    if (w !== 0) return w;
    waitFor(sh, j);
    reap(sh, j);
    return j.status;
  };
}

export const fg = jobControl("fg");
export const bg = jobControl("bg");
