/** yes: a line forever, until a write fails (SIGPIPE in a pipeline), Ctrl-C, or the limit of a session without Ctrl-C. */
import { streaming } from "../stream.js";
import { STATUS_SIGINT, type CommandContext, type StreamRun } from "../types.js";

/** Bytes an endless writer (yes, cat /dev/zero) writes in a session that cannot deliver Ctrl-C. */
export const ENDLESS_LIMIT = 1 << 30;

/** The error of an endless writer stopped for lack of Ctrl-C. */
export function endlessStopped(ctx: CommandContext, written: number): number {
  ctx.stderr.write(`${ctx.argv[0]}: stopped after ${written} bytes: this session cannot be interrupted (no Ctrl-C)\n`);
  return 1;
}

/** `yes [STRING...]`: the line forever (until a write fails or Ctrl-C). */
function* yesRun(ctx: CommandContext): StreamRun {
  const args = ctx.argv.slice(1);
  const line = (args.length === 0 ? "y" : args.join(" ")) + "\n";
  const block = line.repeat(Math.max(1, Math.floor(8192 / line.length)));
  for (let written = 0; ; written += block.length) {
    if (ctx.interrupted()) return STATUS_SIGINT;
    if (!ctx.interruptible && written >= ENDLESS_LIMIT) return endlessStopped(ctx, written);
    ctx.stdout.write(block);
    yield;
  }
}

export const yes = streaming(yesRun);
