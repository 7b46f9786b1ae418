/**
 * `kill`: signals to the shell's background jobs (by `%jobspec` or pid). A job
 * still running in virtual time ends with 128 + the signal; signals whose
 * default action is to ignore or stop change nothing (without job control a
 * stopped job is not reported). Like bash without job control, a job killed
 * by a signal other than SIGINT, SIGPIPE or SIGTERM is reported on stderr
 * (`bash: line N: PID Killed                  TEXT`).
 */
import type { Builtin, ShellState } from "./api.js";
import type { Io } from "../signals.js";
import { findJob, JOB_EXIT_NS, jobRunning, jobSpecShown } from "./jobs.js";

/** `kill -l` of bash 5.2 on Linux x86-64. */
const KILL_L = " 1) SIGHUP\t 2) SIGINT\t 3) SIGQUIT\t 4) SIGILL\t 5) SIGTRAP\n 6) SIGABRT\t 7) SIGBUS\t 8) SIGFPE\t 9) SIGKILL\t10) SIGUSR1\n11) SIGSEGV\t12) SIGUSR2\t13) SIGPIPE\t14) SIGALRM\t15) SIGTERM\n16) SIGSTKFLT\t17) SIGCHLD\t18) SIGCONT\t19) SIGSTOP\t20) SIGTSTP\n21) SIGTTIN\t22) SIGTTOU\t23) SIGURG\t24) SIGXCPU\t25) SIGXFSZ\n26) SIGVTALRM\t27) SIGPROF\t28) SIGWINCH\t29) SIGIO\t30) SIGPWR\n31) SIGSYS\t34) SIGRTMIN\t35) SIGRTMIN+1\t36) SIGRTMIN+2\t37) SIGRTMIN+3\n38) SIGRTMIN+4\t39) SIGRTMIN+5\t40) SIGRTMIN+6\t41) SIGRTMIN+7\t42) SIGRTMIN+8\n43) SIGRTMIN+9\t44) SIGRTMIN+10\t45) SIGRTMIN+11\t46) SIGRTMIN+12\t47) SIGRTMIN+13\n48) SIGRTMIN+14\t49) SIGRTMIN+15\t50) SIGRTMAX-14\t51) SIGRTMAX-13\t52) SIGRTMAX-12\n53) SIGRTMAX-11\t54) SIGRTMAX-10\t55) SIGRTMAX-9\t56) SIGRTMAX-8\t57) SIGRTMAX-7\n58) SIGRTMAX-6\t59) SIGRTMAX-5\t60) SIGRTMAX-4\t61) SIGRTMAX-3\t62) SIGRTMAX-2\n63) SIGRTMAX-1\t64) SIGRTMAX\t\n";

const SIGNALS = new Map<string, number>();
for (const m of KILL_L.matchAll(/(\d+)\) SIG([A-Z0-9+-]+)/g)) SIGNALS.set(m[2]!, Number(m[1]));

/** glibc's strsignal() for 1..31, as bash reports a job a signal ended. */
const DESCRIPTIONS = [
  "", "Hangup", "Interrupt", "Quit", "Illegal instruction", "Trace/breakpoint trap", "Aborted", "Bus error",
  "Floating point exception", "Killed", "User defined signal 1", "Segmentation fault", "User defined signal 2",
  "Broken pipe", "Alarm clock", "Terminated", "Stack fault", "Child exited", "Continued", "Stopped (signal)",
  "Stopped", "Stopped (tty input)", "Stopped (tty output)", "Urgent I/O condition", "CPU time limit exceeded",
  "File size limit exceeded", "Virtual timer expired", "Profiling timer expired", "Window changed", "I/O possible",
  "Power failure", "Bad system call",
];

/** Signals whose default action leaves a process running (ignore, stop, continue). */
const HARMLESS = new Set([17, 18, 19, 20, 21, 22, 23, 28]);
const SIGINT = 2;
const SIGPIPE = 13;
const SIGTERM = 15;

function signalNumber(spec: string): number | null {
  if (/^\d+$/.test(spec)) return Number(spec) <= 64 ? Number(spec) : null;
  return SIGNALS.get(spec.toUpperCase().replace(/^SIG/, "")) ?? null;
}

function signalText(sig: number): string {
  return DESCRIPTIONS[sig] ?? `Real-time signal ${sig - 34}`;
}

function invalidSig(sh: ShellState, io: Io, spec: string): number {
  sh.err(io, `kill: ${spec}: invalid signal specification`);
  return 1;
}

function listSignals(sh: ShellState, io: Io, specs: string[]): number {
  if (specs.length === 0) return sh.out(io, "kill", KILL_L);
  let text = "";
  for (const a of specs) {
    if (/^\d+$/.test(a)) {
      const n = Number(a) > 128 ? Number(a) - 128 : Number(a);
      const name = [...SIGNALS].find(([, v]) => v === n)?.[0];
      if (name === undefined) return invalidSig(sh, io, a);
      text += name + "\n";
    } else {
      const n = signalNumber(a);
      if (n === null) return invalidSig(sh, io, a);
      text += `${n}\n`;
    }
  }
  return sh.out(io, "kill", text);
}

/** Sends `sig` to the job with `pid` (or the shell itself); false when there is no such process. */
function signalPid(sh: ShellState, io: Io, pid: number, sig: number): boolean {
  if (String(pid) === sh.pidString()) return sig === 0;
  const j = sh.jobs.find((x) => x.pid === pid);
  if (j === undefined || !jobRunning(sh, j)) return false;
  if (sig === 0 || HARMLESS.has(sig)) return true;
  // it dies a moment later (as long as a job takes to exit): `kill %1; wait %1` finds it
  j.signal = sig;
  j.status = 128 + sig;
  j.end = Math.min(j.end, sh.rt.hooks.now() + JOB_EXIT_NS);
  if (sig !== SIGINT && sig !== SIGPIPE && sig !== SIGTERM) {
    // reported, so out of the table (`wait PID` still has its status)
    sh.err(io, `${String(j.pid).padStart(5)} ${signalText(sig).padEnd(24)}${j.text}`);
    sh.jobs.splice(sh.jobs.indexOf(j), 1);
    sh.reaped.set(j.pid, j.status);
  }
  return true;
}

export const kill: Builtin = (sh, args, io) => {
  const usage = (): number => {
    // bash prints the usage line without its prefix
    try {
      io.stderr.write("kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n");
    } catch {
      /* ignore */
    }
    return 2;
  };
  if (args.length === 0) return usage();
  if (args[0] === "-l" || args[0] === "-L") return listSignals(sh, io, args.slice(1));
  let i = 0;
  let sig = SIGTERM;
  const a0 = args[0]!;
  if (a0 === "-s" || a0 === "-n") {
    const n = signalNumber(args[1] ?? "");
    if (n === null) return invalidSig(sh, io, args[1] ?? "");
    sig = n;
    i = 2;
  } else if (a0 === "--") i = 1;
  else if (/^-./.test(a0)) {
    const n = signalNumber(a0.slice(1));
    if (n === null) return invalidSig(sh, io, a0.slice(1));
    sig = n;
    i = 1;
  }
  if (i >= args.length) return usage();
  // bash: success when any of the signals was sent
  let sent = false;
  for (const t of args.slice(i)) {
    if (t.startsWith("%")) {
      const j = findJob(sh.jobs, t);
      if (typeof j === "string") {
        sh.err(io, `kill: ${jobSpecShown(t, j)}: ${j}`);
        continue;
      }
      if (signalPid(sh, io, j.pid, sig)) sent = true;
      else sh.err(io, `kill: (${j.pid}) - No such process`);
      continue;
    }
    if (!/^-?\d+$/.test(t)) {
      sh.err(io, `kill: ${t}: arguments must be process or job IDs`);
      continue;
    }
    if (signalPid(sh, io, Number(t), sig)) sent = true;
    else sh.err(io, `kill: (${t}) - No such process`);
  }
  return sent ? 0 : 1;
};
