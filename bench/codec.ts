/**
 * Codec benchmark: iaa-emu's engine against node:zlib (one-shot and a reused
 * stream), pako, fflate and, when the host has them, native libdeflate and
 * ISA-L (bench/native/codec_native.c), side by side in one run, one 4 KiB page
 * per call, on a corpus of unseen pages by content class (bench/_unseen.ts:
 * live process memory, man pages, prose, C headers, JavaScript, JSON, ELF
 * binaries, synthetic memory, zero, same-filled, random, compressed) or on
 * any file of concatenated pages (`--pages FILE`, see bench/dump_pages.ts).
 *
 * zlib and pako run raw DEFLATE with { windowBits: 12, strategy: Z_FIXED,
 * level: 1 }, the software analogue of IAA fixed mode; fflate runs level 1
 * (it has no fixed-only mode). MB/s counts uncompressed bytes (10^6 B/s).
 * A page whose output does not fit in 4096 bytes counts as 4096 in the ratio
 * (zswap would keep it uncompressed) and is left out of the decompress run.
 *
 * Throughput: the best of the repetitions per codec and class (repetitions
 * go round all codecs, so a burst of load from other users of the machine
 * does not fall on one codec's every run); a class's MB/s over its pages, the
 * total over all pages (sum of bytes / sum of times).
 *
 * Usage: npm run bench:codec [-- --quick] [-- --json] [-- --pages FILE] [-- --per-class N]
 */
import zlib from "node:zlib";
import * as pako from "pako";
import * as fflate from "fflate";
import { deflateIaa, IAA_HW_MATCHER, inflateIaa } from "../src/deflate/mod.js";
import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { runNative, type NativeRow } from "./_native.js";
import { PAGE_SIZE } from "./_pages_from.js";
import { buildUnseenCorpus, type PageClass } from "./_unseen.js";

function usage(msg: string): never {
  process.stderr.write(`usage: bench:codec [--quick] [--json] [--pages FILE] [--per-class N]\n${msg}\n`);
  process.exit(2);
}
const argv = process.argv.slice(2);
let QUICK = false;
let JSON_OUT = false;
let PAGES_FILE: string | undefined;
let perClassArg: number | undefined;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--quick") QUICK = true;
  else if (a === "--json") JSON_OUT = true;
  else if (a === "--pages") {
    PAGES_FILE = argv[++i];
    if (PAGES_FILE === undefined) usage("--pages needs a file");
    if (!existsSync(PAGES_FILE)) usage(`--pages: no such file: ${PAGES_FILE}`);
  } else if (a === "--per-class") {
    perClassArg = Number(argv[++i]);
    if (!Number.isInteger(perClassArg) || perClassArg <= 0) usage("--per-class needs a positive integer");
  } else usage(`unknown option ${a}`);
}
const PER_CLASS = perClassArg ?? (QUICK ? 300 : 2400);
const BUF_SIZE = 1 << 20;
const REPS = QUICK ? 2 : 5;

const ZOPTS = { windowBits: 12, strategy: zlib.constants.Z_FIXED, level: 1 } as const;

/** One codec: compress into a result (size or -1 if over `max`), decompress back (returns output length). */
interface Codec {
  name: string;
  /** Compresses page `k` of a run; a codec that writes into caller memory uses the arena's slot `k`, so no copy is timed. */
  compress(input: Uint8Array, max: number, k: number): Uint8Array | null;
  decompress(input: Uint8Array, size: number): number;
}

/** One 8 KiB output slot per page of a run (grown to the largest class). */
let arena = new Uint8Array(0);
const SLOT_BYTES = 8192;
function slot(k: number): Uint8Array {
  return arena.subarray(k * SLOT_BYTES, (k + 1) * SLOT_BYTES);
}
const iaaBack = new Uint8Array(BUF_SIZE);

const iaa: Codec = {
  name: "iaa-emu",
  compress(input, max, k) {
    const out = slot(k);
    const r = deflateIaa(input, out, { maxDstSize: max });
    return r.status === 1 ? out.subarray(0, r.outputSize) : null;
  },
  decompress(input, size) {
    return inflateIaa(input, iaaBack, { maxDstSize: size }).outputSize;
  },
};

/** The engine with the emulated hardware's matcher (32-byte matches), as deflate-iaa runs it. */
const iaaHw: Codec = {
  name: "iaa-emu, hardware matcher",
  compress(input, max, k) {
    const out = slot(k);
    const r = deflateIaa(input, out, { maxDstSize: max, ...IAA_HW_MATCHER });
    return r.status === 1 ? out.subarray(0, r.outputSize) : null;
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
  const back = Buffer.alloc(BUF_SIZE);
  const FINISH = zlib.constants.Z_FINISH;
  return {
    name: "node:zlib reused stream",
    compress(input, _max, k) {
      const out = slot(k);
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


function mbs(bytes: number, ms: number): number {
  return bytes / ms / 1000;
}

/** One codec on one class: times in ms, bytes in and out. */
interface Measure {
  cMs: number;
  dMs: number;
  bytes: number;
  stored: number;
  decBytes: number;
  overflow: number;
}

/** Compress every page once (timed), then decompress every output that fitted (timed). */
function runOnce(codec: Codec, inputs: Uint8Array[]): Measure {
  let total = 0;
  let stored = 0;
  let overflow = 0;
  const outs: (Uint8Array | null)[] = new Array(inputs.length);
  const t0 = performance.now();
  for (let k = 0; k < inputs.length; k++) {
    const z = codec.compress(inputs[k], PAGE_SIZE, k);
    outs[k] = z;
    if (z === null || z.length >= PAGE_SIZE) {
      stored += PAGE_SIZE;
      overflow++;
    } else stored += z.length;
    total += PAGE_SIZE;
  }
  const cMs = performance.now() - t0;
  let decBytes = 0;
  const t2 = performance.now();
  for (let k = 0; k < inputs.length; k++) {
    const z = outs[k];
    if (z === null || z.length >= PAGE_SIZE) continue;
    const n = codec.decompress(z, PAGE_SIZE);
    if (n !== PAGE_SIZE) throw new Error(`${codec.name}: page ${k} decompressed to ${n} bytes, expected ${PAGE_SIZE}`);
    decBytes += n;
  }
  const dMs = performance.now() - t2;
  return { cMs, dMs, bytes: total, stored, decBytes, overflow };
}

function best(prev: Measure | undefined, m: Measure): Measure {
  if (prev === undefined) return m;
  return { ...m, cMs: Math.min(prev.cMs, m.cMs), dMs: Math.min(prev.dMs, m.dMs) };
}

/** A row of the result: one codec over a set of classes. */
interface Row {
  codec: string;
  compressMBs: number;
  decompressMBs: number;
  ratio: number;
  overflow: number;
  pages: number;
}

function sumRow(codec: string, ms: Measure[]): Row {
  let c = 0, d = 0, bytes = 0, stored = 0, dec = 0, overflow = 0;
  for (const m of ms) {
    c += m.cMs; d += m.dMs; bytes += m.bytes; stored += m.stored; dec += m.decBytes; overflow += m.overflow;
  }
  return { codec, compressMBs: mbs(bytes, c), decompressMBs: mbs(dec, d), ratio: bytes / stored, overflow, pages: bytes / PAGE_SIZE };
}

function nativeRow(codec: string, rows: NativeRow[]): Row {
  let c = 0, d = 0, pages = 0, stored = 0, dec = 0;
  for (const r of rows) {
    c += r.compressNs; d += r.decompressNs; pages += r.pages; stored += r.compressedBytes; dec += r.decompressedBytes;
  }
  const bytes = pages * PAGE_SIZE;
  return { codec, compressMBs: bytes / c * 1000, decompressMBs: dec / d * 1000, ratio: bytes / stored, overflow: pages - dec / PAGE_SIZE, pages };
}

async function loadClasses(): Promise<{ classes: PageClass[]; note: string }> {
  if (PAGES_FILE !== undefined) {
    const b = readFileSync(PAGES_FILE);
    const n = Math.floor(b.length / PAGE_SIZE);
    if (n === 0) usage(`--pages: ${PAGES_FILE} holds no whole 4 KiB page`);
    const pages: Uint8Array[] = [];
    for (let i = 0; i < n; i++) pages.push(new Uint8Array(b.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE)));
    const tail = b.length - n * PAGE_SIZE;
    return { classes: [{ name: basename(PAGES_FILE), pages }], note: `${n} pages from ${PAGES_FILE}${tail > 0 ? ` (a ${tail}-byte tail left out)` : ""}` };
  }
  const c = await buildUnseenCorpus(PER_CLASS);
  return { classes: c.classes, note: `unseen pages of this host, at most ${PER_CLASS} a class${c.missing.length > 0 ? `; no pages found for: ${c.missing.join(", ")}` : ""}` };
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const { classes, note } = await loadClasses();
  const genMs = performance.now() - t0;
  const total = classes.reduce((a, c) => a + c.pages.length, 0);

  const warm = classes.flatMap((c) => c.pages.slice(0, 40));
  arena = new Uint8Array(SLOT_BYTES * Math.max(warm.length, ...classes.map((c) => c.pages.length)));
  const codecs = [iaa, iaaHw, zlibOneShot, reusedZlib(), pakoCodec, fflateCodec];
  for (const c of codecs) runOnce(c, warm);

  const m: (Measure | undefined)[][] = codecs.map(() => classes.map(() => undefined));
  for (let rep = 0; rep < REPS; rep++) {
    codecs.forEach((c, i) => classes.forEach((k, j) => { m[i][j] = best(m[i][j], runOnce(c, k.pages)); }));
  }
  const byClass = (i: number): Measure[] => m[i].map((x) => x!);
  const rows: Row[] = codecs.map((c, i) => sumRow(c.name, byClass(i)));

  const native = runNative(classes.map((c) => c.pages), REPS);
  if (native.rows !== null) {
    for (const name of ["libdeflate-1", "isal-0", "isal-1"]) {
      const label = name === "libdeflate-1" ? "libdeflate level 1 (C)" : `ISA-L igzip level ${name.slice(5)} (C)`;
      rows.push(nativeRow(label, native.rows.filter((r) => r.codec === name)));
    }
  }
  const me = rows[0];
  const vs = rows.slice(1).map((r) => ({
    peer: r.codec,
    compress: me.compressMBs / r.compressMBs,
    decompress: me.decompressMBs / r.decompressMBs,
    ratio: me.ratio / r.ratio,
  }));
  const perClass = classes.map((k, j) => {
    const a = m[0][j]!, h = m[1][j]!, z = m[2][j]!;
    return {
      class: k.name,
      pages: k.pages.length,
      iaaRatio: a.bytes / a.stored,
      iaaHwRatio: h.bytes / h.stored,
      zlibRatio: z.bytes / z.stored,
      iaaCompressMBs: mbs(a.bytes, a.cMs),
      zlibCompressMBs: mbs(z.bytes, z.cMs),
      iaaDecompressMBs: a.decBytes === 0 ? NaN : mbs(a.decBytes, a.dMs),
      zlibDecompressMBs: z.decBytes === 0 ? NaN : mbs(z.decBytes, z.dMs),
      iaaBytes: a.stored,
      zlibBytes: z.stored,
    };
  });

  if (JSON_OUT) {
    process.stdout.write(JSON.stringify({ pages: total, reps: REPS, node: process.version, corpus: note, native: native.note, rows, vs, perClass }, null, 2) + "\n");
    return;
  }
  const f = (x: number, d = 1): string => (Number.isFinite(x) ? x.toFixed(d) : "–");
  const out: string[] = [];
  out.push(`codec benchmark: ${total} pages of 4 KiB, one page per call, best of ${REPS}, node ${process.version} (corpus read in ${f(genMs / 1000, 1)} s)`);
  out.push(`corpus: ${note}`);
  out.push(`native rows: ${native.note}`);
  out.push("");
  out.push("| codec | compress MB/s | ratio | decompress MB/s | pages > 4095 B |");
  out.push("|---|---:|---:|---:|---:|");
  for (const r of rows) out.push(`| ${r.codec} | ${f(r.compressMBs)} | ${f(r.ratio, 3)} | ${f(r.decompressMBs)} | ${r.overflow} |`);
  out.push("");
  out.push("| iaa-emu ÷ row | compress | decompress | ratio |");
  out.push("|---|---:|---:|---:|");
  for (const v of vs) out.push(`| ${v.peer} | ${f(v.compress, 2)}× | ${f(v.decompress, 2)}× | ${f(v.ratio, 3)}× |`);
  out.push("");
  out.push("Per class (iaa-emu = default matcher; hw = IAA_HW_MATCHER; zlib = node:zlib one-shot). Decompress counts pages that fit.");
  out.push("");
  out.push("| class | pages | ratio iaa-emu | ratio hw | ratio zlib | bytes iaa ÷ zlib | compress iaa-emu | compress zlib | c × | decompress iaa-emu | decompress zlib | d × |");
  out.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const c of perClass) {
    out.push(`| ${c.class} | ${c.pages} | ${f(c.iaaRatio, 3)} | ${f(c.iaaHwRatio, 3)} | ${f(c.zlibRatio, 3)} | ${f(c.iaaBytes / c.zlibBytes, 3)} | ${f(c.iaaCompressMBs)} | ${f(c.zlibCompressMBs)} | ${f(c.iaaCompressMBs / c.zlibCompressMBs, 2)} | ${f(c.iaaDecompressMBs)} | ${f(c.zlibDecompressMBs)} | ${f(c.iaaDecompressMBs / c.zlibDecompressMBs, 2)} |`);
  }
  process.stdout.write(out.join("\n") + "\n");
}

await main();
