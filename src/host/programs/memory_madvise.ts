/**
 * `memory_madvise N`: the documentation's test program, run as a process of
 * the emulated machine.
 *
 * It maps N pages MAP_SHARED|MAP_ANONYMOUS, fills them with '*', pages them out
 * with MADV_PAGEOUT, sleeps 5 (virtual) seconds, touches the first byte of each
 * page (swapping it back in), dumps the first 100 64-bit words of any page that
 * came back wrong, and reports. Messages are in the documentation's language;
 * with LANG=en* they are in English.
 */
import type { Mm } from "../../mm/mm.js";
import { MADV_PAGEOUT, MAP_ANONYMOUS, MAP_SHARED, PROT_READ, PROT_WRITE, type Process } from "../../mm/address_space.js";
import { PAGE_SIZE } from "../../mm/phys_mem.js";
import { TASK_KILLED_BY_OOPS } from "../../lib/oops.js";
import { STATUS_SIGINT, type Command, type CommandContext } from "../../shell/types.js";

const MESSAGES = {
  zh: {
    alloc: (n: number) => `分配 ${n} 页以进行交换\n`,
    out: (n: number) => `正在交换出 ${n} 页\n`,
    in: (n: number) => `正在交换入 ${n} 页\n`,
    wrong: () => `从解压得到的数据错误!!!!!\n`,
    dump: (i: number, v: string) => `  第 ${i} 页数据: ${v}\n`,
    done: (n: number) => `已交换出和交换入 ${n} 页\n`,
  },
  en: {
    alloc: (n: number) => `Allocating ${n} pages to swap in/out\n`,
    out: (n: number) => `Swapping out ${n} pages\n`,
    in: (n: number) => `Swapping in ${n} pages\n`,
    wrong: () => `Wrong data from decompression!!!!!\n`,
    dump: (i: number, v: string) => `  page ${i} data: ${v}\n`,
    done: (n: number) => `Swapped out and in ${n} pages\n`,
  },
};

/** C's atoi(): leading blanks, optional sign, digits; anything else stops (0 if none). */
export function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  if (m === null) return 0;
  return Number(BigInt.asIntN(32, BigInt(m[1]!)));
}

/** Pages between two polls of Ctrl-C. */
const INTERRUPT_SLICE = 4096;

/** printf("%#llx") of a u64. */
function hex64(v: bigint): string {
  return v === 0n ? "0" : `0x${v.toString(16)}`;
}

export interface ProgramHost {
  mm: Mm;
  /** Picks the CPU a new process runs on. */
  pickCpu(): number;
  /** Lets `seconds` of virtual time pass. */
  sleep(seconds: number): void;
}

/** Reports a fatal signal the way bash does for a foreground job, returning 128+sig. */
function killedBy(ctx: CommandContext, err: number): number {
  // an oops in the kernel: make_task_dead() → do_exit(SIGSEGV), which dumps no core
  if (err === TASK_KILLED_BY_OOPS) {
    ctx.stderr.write("Segmentation fault\n");
    return 128 + 11;
  }
  // -EFAULT: SIGSEGV (11); -EIO: SIGBUS (7); -ENOMEM: the OOM killer's SIGKILL (9)
  const [sig, name] = err === -14 ? [11, "Segmentation fault"] : err === -5 ? [7, "Bus error"] : [9, "Killed"];
  ctx.stderr.write(`${name}${sig === 9 ? "" : " (core dumped)"}\n`);
  return 128 + sig;
}

export function memoryMadvise(host: ProgramHost): Command {
  return (ctx) => {
    const msg = (ctx.env["LANG"] ?? "").startsWith("en") ? MESSAGES.en : MESSAGES.zh;
    const nrPages = ctx.argv.length > 1 ? atoi(ctx.argv[1]!) : 1;
    const { mm } = host;
    const p: Process = mm.spawn("memory_madvise", host.pickCpu());
    try {
      ctx.stdout.write(msg.alloc(nrPages));
      const len = nrPages * PAGE_SIZE;
      const addr = len > 0 ? mm.mmap(p, 0, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS) : -22;
      // mmap failure returns MAP_FAILED; the program then writes through it
      if (addr < 0) return killedBy(ctx, -14);
      let r = mm.writeByte(p, addr, 1);
      // memset in slices so Ctrl-C stops the program promptly (SIGINT: status 130, nothing printed)
      for (let o = 0; r >= 0 && o < len; o += INTERRUPT_SLICE * PAGE_SIZE) {
        if (ctx.interrupted()) return STATUS_SIGINT;
        r = mm.memset(p, addr + o, 0x2a, Math.min(len - o, INTERRUPT_SLICE * PAGE_SIZE));
      }
      if (r < 0) return killedBy(ctx, r);
      ctx.stdout.write(msg.out(nrPages));
      // one madvise(MADV_PAGEOUT) call, walked in slices: the kernel's walk stops
      // on a fatal signal (fatal_signal_pending() in the PTE-range walk), so Ctrl-C ends it promptly
      for (let o = 0; o < len; o += INTERRUPT_SLICE * PAGE_SIZE) {
        if (ctx.interrupted()) return STATUS_SIGINT;
        mm.madvise(p, addr + o, Math.min(len - o, INTERRUPT_SLICE * PAGE_SIZE), MADV_PAGEOUT);
      }
      if (ctx.interrupted()) return STATUS_SIGINT;
      host.sleep(5);
      if (ctx.interrupted()) return STATUS_SIGINT;
      ctx.stdout.write(msg.in(nrPages));
      const word = new Uint8Array(800);
      const dv = new DataView(word.buffer);
      for (let i = 0; i < nrPages; i++) {
        if (i % INTERRUPT_SLICE === 0 && ctx.interrupted()) return STATUS_SIGINT;
        const a = addr + i * PAGE_SIZE;
        const b = mm.readByte(p, a);
        if (b < 0) return killedBy(ctx, b);
        if (b !== 0x2a) {
          ctx.stdout.write(msg.wrong());
          const rr = mm.readBytes(p, a, word);
          if (rr < 0) return killedBy(ctx, rr);
          for (let j = 0; j < 100; j++) ctx.stdout.write(msg.dump(i, hex64(dv.getBigUint64(j * 8, true))));
        }
      }
      ctx.stdout.write(msg.done(nrPages));
      return 0;
    } finally {
      mm.exit(p);
    }
  };
}
