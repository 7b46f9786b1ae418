/**
 * `jobs`, `wait`, `kill`. A background command (`cmd &`) of this shell runs
 * to completion before the shell goes on (the interpreter is synchronous),
 * so every job is already done: `wait` returns its status, `kill` finds no
 * process, `jobs` in an interactive shell reports it Done once.
 */
import type { Builtin } from "./api.js";

/** `kill -l` of bash 5.2 on Linux x86-64. */
const KILL_L = " 1) SIGHUP\t 2) SIGINT\t 3) SIGQUIT\t 4) SIGILL\t 5) SIGTRAP\n 6) SIGABRT\t 7) SIGBUS\t 8) SIGFPE\t 9) SIGKILL\t10) SIGUSR1\n11) SIGSEGV\t12) SIGUSR2\t13) SIGPIPE\t14) SIGALRM\t15) SIGTERM\n16) SIGSTKFLT\t17) SIGCHLD\t18) SIGCONT\t19) SIGSTOP\t20) SIGTSTP\n21) SIGTTIN\t22) SIGTTOU\t23) SIGURG\t24) SIGXCPU\t25) SIGXFSZ\n26) SIGVTALRM\t27) SIGPROF\t28) SIGWINCH\t29) SIGIO\t30) SIGPWR\n31) SIGSYS\t34) SIGRTMIN\t35) SIGRTMIN+1\t36) SIGRTMIN+2\t37) SIGRTMIN+3\n38) SIGRTMIN+4\t39) SIGRTMIN+5\t40) SIGRTMIN+6\t41) SIGRTMIN+7\t42) SIGRTMIN+8\n43) SIGRTMIN+9\t44) SIGRTMIN+10\t45) SIGRTMIN+11\t46) SIGRTMIN+12\t47) SIGRTMIN+13\n48) SIGRTMIN+14\t49) SIGRTMIN+15\t50) SIGRTMAX-14\t51) SIGRTMAX-13\t52) SIGRTMAX-12\n53) SIGRTMAX-11\t54) SIGRTMAX-10\t55) SIGRTMAX-9\t56) SIGRTMAX-8\t57) SIGRTMAX-7\n58) SIGRTMAX-6\t59) SIGRTMAX-5\t60) SIGRTMAX-4\t61) SIGRTMAX-3\t62) SIGRTMAX-2\n63) SIGRTMAX-1\t64) SIGRTMAX\t\n";

const SIGNALS = new Map<string, number>();
for (const m of KILL_L.matchAll(/(\d+)\) SIG([A-Z0-9+-]+)/g)) SIGNALS.set(m[2]!, Number(m[1]));

function signalNumber(spec: string): number | null {
  if (/^\d+$/.test(spec)) return Number(spec) <= 64 ? Number(spec) : null;
  return SIGNALS.get(spec.toUpperCase().replace(/^SIG/, "")) ?? null;
}

/** `[N]+  Done                    TEXT` (or `Exit N`). */
export function jobLine(id: number, status: number, text: string, mark = "+"): string {
  const state = status === 0 ? "Done" : `Exit ${status}`;
  return `[${id}]${mark}  ${state.padEnd(24)}${text}\n`;
}

export const jobs: Builtin = (sh, args, io) => {
  const pidsOnly = args.includes("-p");
  let text = "";
  const n = sh.jobs.length;
  sh.jobs.forEach((j, k) => {
    if (pidsOnly) text += `${j.pid}\n`;
    else if (sh.mode === "interactive") text += jobLine(j.id, j.status, j.text, k === n - 1 ? "+" : k === n - 2 ? "-" : " ");
  });
  if (!pidsOnly) sh.jobs.length = 0;
  return sh.out(io, "jobs", text);
};

export const wait: Builtin = (sh, args, io) => {
  let st = 0;
  for (const a of args.filter((x) => !/^-[nfp]$/.test(x))) {
    const j = a.startsWith("%") ? sh.jobs.find((x) => String(x.id) === a.slice(1)) : sh.jobs.find((x) => String(x.pid) === a);
    if (j === undefined) {
      if (a.startsWith("%")) sh.err(io, `wait: ${a}: no such job`);
      else sh.err(io, `wait: pid ${a} is not a child of this shell`);
      st = 127;
      continue;
    }
    st = j.status;
  }
  return st;
};

function invalidSig(sh: Parameters<Builtin>[0], io: Parameters<Builtin>[2], spec: string): number {
  sh.err(io, `kill: ${spec}: invalid signal specification`);
  return 1;
}

export const kill: Builtin = (sh, args, io) => {
  if (args.length === 0) {
    // bash prints the usage line without its prefix
    try {
      io.stderr.write("kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n");
    } catch {
      /* ignore */
    }
    return 2;
  }
  if (args[0] === "-l" || args[0] === "-L") {
    if (args.length === 1) return sh.out(io, "kill", KILL_L);
    let text = "";
    for (const a of args.slice(1)) {
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
  let i = 0;
  let sig = 15;
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
  let st = 0;
  for (const t of args.slice(i)) {
    if (t.startsWith("%")) {
      const j = sh.jobs.find((x) => String(x.id) === t.slice(1) || t === "%%" || t === "%+");
      sh.err(io, j === undefined ? `kill: ${t}: no such job` : `kill: (${j.pid}) - No such process`);
      st = 1;
      continue;
    }
    if (!/^-?\d+$/.test(t)) {
      sh.err(io, `kill: ${t}: arguments must be process or job IDs`);
      st = 1;
      continue;
    }
    // signal 0 to the shell itself is a liveness check that succeeds; no other process of this shell lives on
    if (sig === 0 && t === sh.pidString()) continue;
    sh.err(io, `kill: (${t}) - No such process`);
    st = 1;
  }
  return st;
};
