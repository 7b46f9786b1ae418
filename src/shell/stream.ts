/**
 * Helpers for programs with a streaming form (see `Command.stream` in
 * types.ts): non-blocking reads inside a generator, and the plain
 * synchronous program made from the generator.
 */
import { WOULD_BLOCK, readChunk, type Command, type CommandContext, type InputSource, type StreamRun, type StreamYield } from "./types.js";

/** Up to `max` bytes from `src` (null at end of input); yields "input" while a pipe is empty. */
export function* readSome(src: InputSource, max: number): Generator<StreamYield, Uint8Array | null, void> {
  if (src.tryRead === undefined) return readChunk(src, max);
  for (;;) {
    const r = src.tryRead(max);
    if (r !== WOULD_BLOCK) return r;
    yield "input";
  }
}

/** Runs a streaming program's generator to its end (outside a pipeline, or inside a stage that cannot stream). */
export function runToEnd(gen: StreamRun, ctx: CommandContext): number {
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value;
    if (r.value === "input") ctx.stdin.wait?.();
  }
}

/** A program from its generator form: called directly it runs to its end; a pipeline runs `stream` as a task. */
export function streaming(stream: (ctx: CommandContext) => StreamRun): Command {
  return Object.assign((ctx: CommandContext) => runToEnd(stream(ctx), ctx), { stream });
}
