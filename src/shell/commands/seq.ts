/** seq: a sequence of numbers (-s SEP, -w); written in chunks, so it streams. */
import { streaming } from "../stream.js";
import { STATUS_SIGINT, type CommandContext, type StreamRun } from "../types.js";

function* seqRun(ctx: CommandContext): StreamRun {
  const args = ctx.argv.slice(1);
  const prog = ctx.argv[0]!;
  let sep = "\n";
  let equal = false;
  const nums: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-s") sep = args[++i] ?? "";
    else if (a.startsWith("-s")) sep = a.slice(2);
    else if (a === "-w") equal = true;
    else if (/^-[^0-9.]/.test(a)) {
      ctx.stderr.write(`${prog}: invalid option -- '${a[1]}'\nTry '${prog} --help' for more information.\n`);
      return 1;
    } else nums.push(a);
  }
  if (nums.length === 0 || nums.length > 3) {
    ctx.stderr.write(nums.length === 0 ? `${prog}: missing operand\nTry '${prog} --help' for more information.\n` : `${prog}: extra operand '${nums[3]}'\nTry '${prog} --help' for more information.\n`);
    return 1;
  }
  for (const n of nums) {
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(n)) {
      ctx.stderr.write(`${prog}: invalid floating point argument: '${n}'\nTry '${prog} --help' for more information.\n`);
      return 1;
    }
  }
  const [first, inc, last] = nums.length === 1 ? ["1", "1", nums[0]!] : nums.length === 2 ? [nums[0]!, "1", nums[1]!] : [nums[0]!, nums[1]!, nums[2]!];
  const dec = Math.max(...[first, inc].map((x) => (x.includes(".") ? x.split(".")[1]!.length : 0)));
  const a = Number(first);
  const s = Number(inc);
  const b = Number(last);
  if (s === 0) {
    ctx.stderr.write(`${prog}: invalid Zero increment value: '${inc}'\nTry '${prog} --help' for more information.\n`);
    return 1;
  }
  const count = Math.floor((b - a) / s + 1e-9) + 1;
  if (count <= 0) return 0;
  const w = equal ? Math.max(a.toFixed(dec).length, (a + (count - 1) * s).toFixed(dec).length) : 0;
  const integral = dec === 0 && !equal && Number.isSafeInteger(a) && Number.isSafeInteger(s) && Number.isSafeInteger(a + (count - 1) * s);
  const fmt = (v: number): string => {
    if (integral) return String(v);
    const t = v.toFixed(dec);
    if (!equal) return t;
    return t.startsWith("-") ? "-" + t.slice(1).padStart(w - 1, "0") : t.padStart(w, "0");
  };
  if (integral && a >= 0 && s === 1) return yield* countUp(ctx, a, count, sep);
  // written in chunks so a long sequence streams; Ctrl-C stops it
  const CHUNK = 4096;
  const total = count;
  for (let i = 0; i < total; i += CHUNK) {
    if (ctx.interrupted()) return STATUS_SIGINT;
    const part: string[] = [];
    for (let j = i; j < Math.min(total, i + CHUNK); j++) part.push(fmt(a + j * s));
    ctx.stdout.write((i === 0 ? "" : sep) + part.join(sep) + (i + CHUNK >= total ? "\n" : ""));
    yield;
  }
  return 0;
}

/** Bytes of output per write of {@link countUp}. */
const BLOCK = 64 * 1024;

/**
 * `seq A B` for whole A ≥ 0 and step 1, the common case, at memory speed: the
 * number is kept as ASCII digits and incremented in place, written in 64 KiB
 * blocks (the same text as the general loop).
 */
function* countUp(ctx: CommandContext, a: number, count: number, sep: string): StreamRun {
  const sepBytes = new TextEncoder().encode(sep);
  const digits: number[] = [...String(a)].map((c) => c.charCodeAt(0));
  const buf = new Uint8Array(BLOCK + 64 + sepBytes.length);
  let pos = 0;
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < digits.length; k++) buf[pos++] = digits[k]!;
    if (i === count - 1) buf[pos++] = 10;
    else for (let k = 0; k < sepBytes.length; k++) buf[pos++] = sepBytes[k]!;
    // the next number: add one to the digits
    let d = digits.length - 1;
    while (d >= 0 && digits[d] === 57) digits[d--] = 48;
    if (d >= 0) digits[d]!++;
    else digits.unshift(49);
    if (pos >= BLOCK || i === count - 1) {
      if (ctx.interrupted()) return STATUS_SIGINT;
      ctx.stdout.write(buf.subarray(0, pos));
      pos = 0;
      yield;
    }
    if (pos + digits.length + sepBytes.length + 1 > buf.length) {
      // a separator longer than the block: write what is there first
      ctx.stdout.write(buf.subarray(0, pos));
      pos = 0;
      yield;
    }
  }
  return 0;
}

export const seq = streaming(seqRun);
