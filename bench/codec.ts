/**
 * Codec benchmark: iaa-emu's engine against node:zlib (one-shot and a reused
 * stream), pako and fflate, side by side in one process, on ≥ 20,000 4 KiB
 * pages and on 1 MiB buffers from the deterministic corpus (bench/_corpus.ts).
 *
 * zlib and pako run raw DEFLATE with { windowBits: 12, strategy: Z_FIXED,
 * level: 1 }, the software analogue of IAA fixed mode; fflate runs level 1
 * (it has no fixed-only mode). MB/s counts uncompressed bytes (10^6 B/s).
 * A page whose output does not fit in 4096 bytes counts as 4096 in the ratio
 * (zswap would keep it uncompressed) and is left out of the decompress run.
 *
 * Usage: npm run bench:codec [-- --quick] [-- --json]
 */
import zlib from "node:zlib";
import * as pako from "pako";
import * as fflate from "fflate";
import { deflateIaa, IAA_HW_MATCHER, inflateIaa } from "../src/deflate/mod.js";
import { generateBuffers, generatePages, PAGE_SIZE } from "./_corpus.js";

const args = new Set(process.argv.slice(2));
for (const a of args) {
  if (a !== "--quick" && a !== "--json") {
    process.stderr.write(`usage: bench:codec [--quick] [--json]\nunknown option ${a}\n`);
    process.exit(2);
  }
}
const QUICK = args.has("--quick");
const JSON_OUT = args.has("--json");
const PAGES = QUICK ? 2000 : 24000;
const BUFFERS = QUICK ? 2 : 12;
const BUF_SIZE = 1 << 20;
const REPS = QUICK ? 2 : 4;

const ZOPTS = { windowBits: 12, strategy: zlib.constants.Z_FIXED, level: 1 } as const;

/** One codec: compress into a result (size or -1 if over `max`), decompress back (returns output length). */
interface Codec {
  name: string;
  /** The compress result is a view of a reused buffer: the benchmark copies it (and subtracts the copy time). */
  sharedOutput?: boolean;
  compress(input: Uint8Array, max: number): Uint8Array | null;
  decompress(input: Uint8Array, size: number): number;
}

const iaaOut = new Uint8Array(BUF_SIZE * 2);
const iaaBack = new Uint8Array(BUF_SIZE);

const iaa: Codec = {
  name: "iaa-emu",
  sharedOutput: true,
  compress(input, max) {
    const r = deflateIaa(input, iaaOut, { maxDstSize: max });
    return r.status === 1 ? iaaOut.subarray(0, r.outputSize) : null;
  },
  decompress(input, size) {
    return inflateIaa(input, iaaBack, { maxDstSize: size }).outputSize;
  },
};

/** The engine with the emulated hardware's matcher (32-byte matches), as deflate-iaa runs it. */
const iaaHw: Codec = {
  name: "iaa-emu, hardware matcher",
  sharedOutput: true,
  compress(input, max) {
    const r = deflateIaa(input, iaaOut, { maxDstSize: max, ...IAA_HW_MATCHER });
    return r.status === 1 ? iaaOut.subarray(0, r.outputSize) : null;
  },
  decompress: iaa.decompress,
};

const zlibOneShot: Codec = {
  name: "node:zlib one-shot",
  compress: (input) => zlib.deflateRawSync(input, ZOPTS),
  decompress: (input) => zlib.inflateRawSync(input).length,
};

interface ZlibHandle {
  writeSync(flush: number, inp: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  reset(): void;
}
/** A deflate/inflate stream used job after job through its native handle (reset between jobs). */
function reusedZlib(): Codec {
  const d = new zlib.DeflateRaw(ZOPTS) as unknown as { _handle: ZlibHandle; _writeState: Uint32Array };
  const i = new zlib.InflateRaw() as unknown as { _handle: ZlibHandle; _writeState: Uint32Array };
  const h = i._handle as unknown as { onerror: (m: string, e: number) => void }; h.onerror = (m, e) => { throw new Error(`inflate: ${m} (${e})`); };
  const out = Buffer.alloc(BUF_SIZE * 2);
  const back = Buffer.alloc(BUF_SIZE);
  const FINISH = zlib.constants.Z_FINISH;
  return {
    name: "node:zlib reused stream",
    sharedOutput: true,
    compress(input) {
      d._handle.writeSync(FINISH, input, 0, input.length, out, 0, out.length);
      const n = out.length - d._writeState[0];
      d._handle.reset();
      return out.subarray(0, n);
    },
    decompress(input) {
      i._handle.writeSync(FINISH, input, 0, input.length, back, 0, back.length);
      const n = back.length - i._writeState[0];
      i._handle.reset();
      return n;
    },
  };
}

const pakoCodec: Codec = {
  name: "pako",
  compress: (input) => pako.deflateRaw(input, { level: 1, windowBits: 12, strategy: 4 }),
  decompress: (input) => pako.inflateRaw(input).length,
};

const fflateBack = new Uint8Array(BUF_SIZE);
const fflateCodec: Codec = {
  name: "fflate (level 1)",
  compress: (input) => fflate.deflateSync(input, { level: 1 }),
  decompress: (input, size) => fflate.inflateSync(input, { out: fflateBack.subarray(0, size) }).length,
};

interface Row {
  codec: string;
  pagesCompressMBs: number;
  pagesRatio: number;
  pagesDecompressMBs: number;
  bufCompressMBs: number;
  bufRatio: number;
  bufDecompressMBs: number;
  pagesOverflow: number;
}

function mbs(bytes: number, ms: number): number {
  return bytes / ms / 1000;
}

interface Measure {
  c: number;
  d: number;
  ratio: number;
  overflow: number;
}

/** Compress every input once (timed), then decompress every output that fitted (timed). */
function runOnce(codec: Codec, inputs: Uint8Array[], max: (n: number) => number): Measure {
  let total = 0;
  let stored = 0;
  let overflow = 0;
  const outs: (Uint8Array | null)[] = new Array(inputs.length);
  const t0 = performance.now();
  for (let k = 0; k < inputs.length; k++) {
    const z = codec.compress(inputs[k], max(inputs[k].length));
    outs[k] = z;
    if (z === null || z.length >= max(inputs[k].length)) {
      stored += inputs[k].length;
      overflow++;
    } else stored += z.length;
    total += inputs[k].length;
    if (codec.sharedOutput === true && z !== null) outs[k] = new Uint8Array(z); // (Buffer#slice would not copy)
  }
  const compressMs = performance.now() - t0 - (codec.sharedOutput === true ? copyCost(outs) : 0);
  let decBytes = 0;
  const t2 = performance.now();
  for (let k = 0; k < inputs.length; k++) {
    const z = outs[k];
    if (z === null || z.length >= max(inputs[k].length)) continue;
    const n = codec.decompress(z, inputs[k].length);
    if (n !== inputs[k].length) throw new Error(`${codec.name}: input ${k} decompressed to ${n} bytes, expected ${inputs[k].length}`);
    decBytes += n;
  }
  const decompressMs = performance.now() - t2;
  return { c: mbs(total, compressMs), d: mbs(decBytes, decompressMs), ratio: total / stored, overflow };
}

/** Keeps the best throughput seen for a codec across repetitions. */
function best(prev: Measure | undefined, m: Measure): Measure {
  if (prev === undefined) return m;
  return { c: Math.max(prev.c, m.c), d: Math.max(prev.d, m.d), ratio: m.ratio, overflow: m.overflow };
}

/** Time of the `slice()` copies the compress loop makes of shared outputs for the benchmark's own bookkeeping. */
function copyCost(outs: (Uint8Array | null)[]): number {
  const t = performance.now();
  for (const z of outs) if (z !== null) new Uint8Array(z);
  return performance.now() - t;
}

function main(): void {
  const t0 = performance.now();
  const corpus = generatePages(PAGES, 1);
  const pages: Uint8Array[] = [];
  for (let i = 0; i < corpus.count; i++) pages.push(corpus.data.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE));
  const buffers = generateBuffers(BUFFERS, BUF_SIZE, 2);
  const genMs = performance.now() - t0;

  const codecs = [iaa, iaaHw, zlibOneShot, reusedZlib(), pakoCodec, fflateCodec];
  // Warm up every codec on a slice so JIT tiers settle before timing.
  for (const c of codecs) runOnce(c, pages.slice(0, 500), () => PAGE_SIZE);

  // Repetitions go round all codecs, so a burst of load on a shared machine
  // does not fall on one codec's every run; each codec keeps its best.
  const pageBest: (Measure | undefined)[] = [];
  const bufBest: (Measure | undefined)[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    codecs.forEach((c, i) => {
      pageBest[i] = best(pageBest[i], runOnce(c, pages, () => PAGE_SIZE));
      bufBest[i] = best(bufBest[i], runOnce(c, buffers, (n) => n * 2));
    });
  }
  const rows: Row[] = codecs.map((c, i) => {
    const p = pageBest[i]!;
    const b = bufBest[i]!;
    return {
      codec: c.name,
      pagesCompressMBs: p.c,
      pagesRatio: p.ratio,
      pagesDecompressMBs: p.d,
      bufCompressMBs: b.c,
      bufRatio: b.ratio,
      bufDecompressMBs: b.d,
      pagesOverflow: p.overflow,
    };
  });
  const me = rows[0];
  const vs = rows.slice(1).map((r) => ({
    peer: r.codec,
    pagesCompress: me.pagesCompressMBs / r.pagesCompressMBs,
    pagesRatio: me.pagesRatio / r.pagesRatio,
    pagesDecompress: me.pagesDecompressMBs / r.pagesDecompressMBs,
    bufCompress: me.bufCompressMBs / r.bufCompressMBs,
    bufDecompress: me.bufDecompressMBs / r.bufDecompressMBs,
  }));

  if (JSON_OUT) {
    process.stdout.write(JSON.stringify({ pages: PAGES, buffers: BUFFERS, bufferSize: BUF_SIZE, reps: REPS, node: process.version, sources: corpus.sources, rows, vs }, null, 2) + "\n");
    return;
  }
  const f = (x: number, d = 1): string => x.toFixed(d);
  const out: string[] = [];
  out.push(`codec benchmark: ${PAGES} pages of 4 KiB and ${BUFFERS} buffers of 1 MiB, best of ${REPS}, node ${process.version} (corpus built in ${f(genMs / 1000, 1)} s)`);
  out.push(`text sources: ${corpus.sources.join("; ")}`);
  out.push("");
  out.push("| codec | pages compress MB/s | pages ratio | pages decompress MB/s | 1 MiB compress MB/s | 1 MiB ratio | 1 MiB decompress MB/s | pages > 4095 B |");
  out.push("|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    out.push(`| ${r.codec} | ${f(r.pagesCompressMBs)} | ${f(r.pagesRatio, 3)} | ${f(r.pagesDecompressMBs)} | ${f(r.bufCompressMBs)} | ${f(r.bufRatio, 3)} | ${f(r.bufDecompressMBs)} | ${r.pagesOverflow} |`);
  }
  out.push("");
  out.push("| iaa-emu ÷ peer | pages compress | pages ratio | pages decompress | 1 MiB compress | 1 MiB decompress |");
  out.push("|---|---:|---:|---:|---:|---:|");
  for (const v of vs) {
    out.push(`| ${v.peer} | ${f(v.pagesCompress, 2)}× | ${f(v.pagesRatio, 3)}× | ${f(v.pagesDecompress, 2)}× | ${f(v.bufCompress, 2)}× | ${f(v.bufDecompress, 2)}× |`);
  }
  process.stdout.write(out.join("\n") + "\n");
}

main();
