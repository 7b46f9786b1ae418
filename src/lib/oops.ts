/**
 * BUG_ON() on x86-64 as Linux 6.12 reports it: the `ud2` trap, report_bug(),
 * die() with its header, show_regs() and call trace, print_modules(), the
 * end marker and the executive summary, then TAINT_DIE and the death of the
 * current task (make_task_dead(SIGSEGV)). The machine keeps running, as a
 * real one does after an oops in process context with panic_on_oops = 0.
 *
 * linux: lib/bug.c (__report_bug), arch/x86/kernel/traps.c (handle_bug,
 * handle_invalid_op), arch/x86/kernel/dumpstack.c (__die_header, __die_body,
 * oops_end, show_regs, show_iret_regs), arch/x86/kernel/process_64.c
 * (__show_regs), lib/dump_stack.c (dump_stack_print_info),
 * kernel/workqueue.c (print_worker_info), kernel/module/main.c
 * (print_modules), kernel/panic.c (taint_flags, print_tainted,
 * print_oops_end_marker).
 *
 * Modelled: every line's format and order, the die counter `[#N]`, the
 * taint string and its verbose line, the CPU, task, release, hardware name,
 * worker, module list and the call trace of the path that hit the BUG.
 * Not modelled: register values (printed as zeros), the `Code:` line (there
 * are no opcode bytes), the unreliable `? ` frames of the trap path itself
 * and the user-mode registers at the bottom of the trace. Symbol offsets are
 * representative, not those of a real build.
 */
import { Errno } from "./errno.js";
import { LogLevel, type Printk } from "./printk.js";

/** The part of the KernelContext (lib/context.ts) an oops uses. */
export interface OopsContext {
  log: Printk;
  cpu: number;
  oops?: OopsState;
}

/**
 * Not an errno: what kernel code returns up its call chain once an oops
 * killed the current task. The task must not run on (its caller ends it as
 * killed by SIGSEGV, without a core dump: do_exit(SIGSEGV)).
 */
export const TASK_KILLED_BY_OOPS = -4096;

/** TAINT_DIE: bit 7, 'D' (add_taint() in oops_end()). */
export const TAINT_DIE = 7;

/** taint_flags[]: the letter when set and when clear, and the description, by bit. */
const TAINT_FLAGS: readonly [string, string, string][] = [
  ["P", "G", "PROPRIETARY_MODULE"],
  ["F", " ", "FORCED_MODULE"],
  ["S", " ", "CPU_OUT_OF_SPEC"],
  ["R", " ", "FORCED_RMMOD"],
  ["M", " ", "MACHINE_CHECK"],
  ["B", " ", "BAD_PAGE"],
  ["U", " ", "USER"],
  ["D", " ", "DIE"],
  ["A", " ", "OVERRIDDEN_ACPI_TABLE"],
  ["W", " ", "WARN"],
  ["C", " ", "CRAP"],
  ["I", " ", "FIRMWARE_WORKAROUND"],
  ["O", " ", "OOT_MODULE"],
  ["E", " ", "UNSIGNED_MODULE"],
  ["L", " ", "SOFTLOCKUP"],
  ["K", " ", "LIVEPATCH"],
  ["X", " ", "AUX"],
  ["T", " ", "RANDSTRUCT"],
  ["N", " ", "TEST"],
];
/** TAINT_FLAGS_COUNT */
export const TAINT_FLAGS_COUNT = TAINT_FLAGS.length;

/** The task an oops reports (current): `Comm:` is cut to 20 characters as `%.20s` does. */
export interface OopsTask {
  pid: number;
  comm: string;
}

/** Where a BUG_ON() fired and the frames below it, innermost first (`sym+0xoff/0xsize`). */
export interface BugSite {
  file: string;
  line: number;
  /** The function that hit the BUG, as `%pS` prints it. */
  rip: string;
  trace: readonly string[];
  /** A kworker's `Workqueue: <wq> <fn>` line. */
  worker?: { wq: string; fn: string };
}

/** The machine-wide state the oops path reads and changes. */
export class OopsState {
  /** tainted_mask */
  taint = 0;
  /** die_counter */
  dieCounter = 0;
  /** The RIP of the first oops (exec_summary_regs): every executive summary shows it. */
  summaryRip = "";
  /** init_utsname()->release */
  release = "6.12.0";
  /** init_utsname()->version */
  version = "#1 SMP PREEMPT_DYNAMIC";
  /** dump_stack_arch_desc_str (from DMI); no line when empty. */
  hardwareName = "";
  /** Loaded module names in the kernel's list order (the newest first). */
  modules: () => string[] = () => [];

  /** add_taint() */
  addTaint(bit: number): void {
    this.taint |= 2 ** bit;
  }
}

/** The oops state of the machine `ctx` belongs to (made on first use if the machine has none). */
export function oopsState(ctx: OopsContext): OopsState {
  return (ctx.oops ??= new OopsState());
}

/** print_tainted(): "Not tainted" or "Tainted: " and one letter per flag. */
export function printTainted(mask: number): string {
  if (mask === 0) return "Not tainted";
  let s = "Tainted: ";
  for (let i = 0; i < TAINT_FLAGS_COUNT; i++) s += (mask & (2 ** i)) !== 0 ? TAINT_FLAGS[i]![0] : TAINT_FLAGS[i]![1];
  return s;
}

/** print_tainted_verbose(): "Tainted: [D]=DIE, …". */
export function printTaintedVerbose(mask: number): string {
  const set: string[] = [];
  for (let i = 0; i < TAINT_FLAGS_COUNT; i++) if ((mask & (2 ** i)) !== 0) set.push(`[${TAINT_FLAGS[i]![0]}]=${TAINT_FLAGS[i]![2]}`);
  return `Tainted: ${set.join(", ")}`;
}

/**
 * A write to /proc/sys/kernel/tainted (proc_taint): an unsigned decimal
 * whose bits are added (never cleared). 0 or -EINVAL.
 */
export function storeTainted(s: OopsState, buf: string): number {
  const t = buf.trim();
  if (!/^\d+$/.test(t)) return -Errno.EINVAL;
  const v = BigInt(t);
  if (v > 0xffff_ffff_ffff_ffffn) return -Errno.EINVAL;
  for (let i = 0; i < TAINT_FLAGS_COUNT; i++) if ((v >> BigInt(i)) & 1n) s.addTaint(i);
  return 0;
}

const Z = "0000000000000000";

/** show_iret_regs() + __show_regs(SHOW_REGS_ALL) for a kernel-mode trap; values are not modelled. */
function showRegs(out: (line: string) => void, rip: string): void {
  out(`RIP: 0010:${rip}`);
  out(`RSP: 0018:${Z} EFLAGS: 00010246`);
  out(`RAX: ${Z} RBX: ${Z} RCX: ${Z}`);
  out(`RDX: ${Z} RSI: ${Z} RDI: ${Z}`);
  out(`RBP: ${Z} R08: ${Z} R09: ${Z}`);
  out(`R10: ${Z} R11: ${Z} R12: ${Z}`);
  out(`R13: ${Z} R14: ${Z} R15: ${Z}`);
  out(`FS:  ${Z}(0000) GS:${Z}(0000) knlGS:${Z}`);
  out(`CS:  0010 DS: 0000 ES: 0000 CR0: 0000000080050033`);
  out(`CR2: ${Z} CR3: ${Z} CR4: ${Z}`);
}

/**
 * BUG_ON(cond) that fired: logs the oops of `task` on `ctx.cpu`, taints the
 * kernel with D and counts the die. The caller then returns
 * {@link TASK_KILLED_BY_OOPS} so the task ends; nothing else stops.
 */
export function bugOops(ctx: OopsContext, task: OopsTask, site: BugSite): void {
  const s = oopsState(ctx);
  const log = ctx.log;
  const out = (l: string): void => log.printk(LogLevel.WARNING, l); // KERN_DEFAULT
  // __report_bug(): CUT_HERE, then pr_crit
  out("------------[ cut here ]------------");
  log.printk(LogLevel.CRIT, `kernel BUG at ${site.file}:${site.line}!`);
  // __die_header(): the first oops' registers are kept for every executive summary;
  // CONFIG_PREEMPT_DYNAMIC (PREEMPT), SMP, PTI built in and not needed by this CPU
  if (s.dieCounter === 0) s.summaryRip = site.rip;
  out(`Oops: invalid opcode: 0000 [#${++s.dieCounter}] PREEMPT SMP NOPTI`);
  // show_regs() → dump_stack_print_info(), print_worker_info()
  const ver = s.version.split(" ")[0]!;
  out(`CPU: ${ctx.cpu} UID: 0 PID: ${task.pid} Comm: ${task.comm.slice(0, 20)} ${printTainted(s.taint)} ${s.release} ${ver}`);
  if (s.taint !== 0) out(printTaintedVerbose(s.taint));
  if (s.hardwareName !== "") out(`Hardware name: ${s.hardwareName}`);
  if (site.worker !== undefined) out(`Workqueue: ${site.worker.wq} ${site.worker.fn}`);
  showRegs(out, site.rip);
  out("Call Trace:");
  out(" <TASK>");
  for (const f of site.trace) out(` ${f}`);
  out(" </TASK>");
  // __die_body() → print_modules()
  out(`Modules linked in:${s.modules().map((m) => ` ${m}`).join("")}`);
  // oops_end(): add_taint(TAINT_DIE), oops_exit() (the end marker), the executive summary
  s.addTaint(TAINT_DIE);
  out("---[ end trace 0000000000000000 ]---");
  showRegs(out, s.summaryRip);
}
