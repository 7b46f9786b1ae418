/**
 * A deterministic corpus of 4 KiB pages and 1 MiB buffers for the codec and
 * zswap benchmarks: a seeded PRNG, no downloads. Real text comes from files an
 * installed npm package ships (TypeScript's lib/*.d.ts and compiler sources)
 * and, when present, Debian's /usr/share texts; when neither is there a
 * synthetic text generator stands in, so the corpus never fails to build.
 *
 * The mix imitates swapped memory: text and source, JSON, program-memory pages
 * (small integers, pointers, structs, partly filled pages), zero and
 * same-filled pages, random and already-compressed pages.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { listFiles } from "./_pages_from.js";
import { fileURLToPath } from "node:url";
import { deflateRawSync } from "node:zlib";

export const PAGE_SIZE = 4096;

/** Page kinds, in the order of {@link PageCorpus.kindNames}. */
export const PAGE_KINDS = [
  "text",
  "source",
  "system-text",
  "json",
  "small-ints",
  "pointers",
  "structs",
  "partly-filled",
  "zero",
  "same-filled",
  "code",
  "random",
  "compressed",
] as const;

/** Relative weight of each kind (per mille). About 8 % of pages are incompressible. */
const WEIGHTS = [180, 120, 70, 80, 80, 80, 80, 60, 60, 30, 60, 40, 40];

/** A set of pages in one buffer: page `i` is `data.subarray(i * 4096, (i + 1) * 4096)`. */
export interface PageCorpus {
  data: Uint8Array;
  count: number;
  /** Kind index of each page (into {@link PAGE_KINDS}). */
  kinds: Uint8Array;
  kindNames: readonly string[];
  /** Where the real text came from (for the benchmark's header). */
  sources: string[];
}

/** mulberry32: a small, fast, seeded PRNG returning uint32. */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return function next(): number {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

interface TextPools {
  text: Uint8Array;
  source: Uint8Array;
  system: Uint8Array;
  sources: string[];
}

let pools: TextPools | undefined;

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "node_modules"))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

function concatFiles(files: string[], cap: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const f of files) {
    if (total >= cap) break;
    try {
      const b = readFileSync(f);
      parts.push(b.subarray(0, Math.min(b.length, cap - total)));
      total += Math.min(b.length, cap - total);
    } catch {
      // unreadable: skip
    }
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Non-empty files under 4 MiB in `dir` whose name passes `pred`, appended to `out` while it has fewer than `cap`. */
function addFiles(dir: string, pred: (name: string) => boolean, depth: number, out: string[], cap: number): void {
  out.push(...listFiles([dir], (p) => pred(basename(p)), cap - out.length, depth, { min: 1, max: 4 << 20 }));
}

const WORDS = (
  "the of and to in is that for it as was with be by on not he this are or his from at which but have an they you " +
  "were her she there been one all we their has would when if so what no memory page swap kernel device queue " +
  "engine compress data buffer table value return function const export interface type string number boolean"
).split(" ");

/** Synthetic English-like text, used when no real text is installed. */
function syntheticText(rng: () => number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let o = 0;
  let sentence = 0;
  while (o < size) {
    const w = WORDS[rng() % WORDS.length];
    const word = sentence === 0 ? w[0].toUpperCase() + w.slice(1) : w;
    for (let i = 0; i < word.length && o < size; i++) out[o++] = word.charCodeAt(i);
    sentence++;
    if (o < size) out[o++] = sentence > 6 + (rng() % 10) ? ((sentence = 0), 0x2e) : 0x20;
    if (sentence === 0 && o < size) out[o++] = rng() % 5 === 0 ? 0x0a : 0x20;
  }
  return out;
}

function loadPools(): TextPools {
  if (pools) return pools;
  const root = repoRoot();
  const sources: string[] = [];
  const tsLib = join(root, "node_modules", "typescript", "lib");
  const dts: string[] = [];
  addFiles(tsLib, (n) => n.endsWith(".d.ts"), 0, dts, 400);
  const js: string[] = [];
  addFiles(tsLib, (n) => n.endsWith(".js"), 0, js, 40);
  let text = concatFiles(dts, 12 << 20);
  let source = concatFiles(js, 12 << 20);
  if (text.length > 0) sources.push(`${dts.length} .d.ts files from node_modules/typescript/lib`);
  if (source.length > 0) sources.push(`${js.length} .js files from node_modules/typescript/lib`);
  const sys: string[] = [];
  addFiles("/usr/share/common-licenses", () => true, 1, sys, 100);
  addFiles("/usr/share/doc", (n) => n === "copyright" || n.endsWith(".txt") || n === "README", 2, sys, 1500);
  let system = concatFiles(sys, 8 << 20);
  if (system.length > 0) sources.push(`${sys.length} files from /usr/share (licenses, copyright, docs)`);
  const rng = makeRng(0x5eed);
  if (text.length < 1 << 20) text = syntheticText(rng, 4 << 20);
  if (source.length < 1 << 20) source = syntheticText(rng, 4 << 20);
  if (system.length < 1 << 20) system = syntheticText(rng, 4 << 20);
  if (sources.length === 0) sources.push("synthetic text (no installed text found)");
  pools = { text, source, system, sources };
  return pools;
}

function fillFromPool(pool: Uint8Array, rng: () => number, out: Uint8Array): void {
  const start = rng() % (pool.length - out.length);
  out.set(pool.subarray(start, start + out.length));
}

const JSON_KEYS = ["id", "name", "email", "created_at", "status", "tags", "score", "active", "parent", "items", "price", "qty"];

function fillJson(rng: () => number, out: Uint8Array): void {
  let s = "[";
  let id = rng() % 100000;
  while (s.length < out.length) {
    const parts: string[] = [];
    const nk = 3 + (rng() % 6);
    for (let k = 0; k < nk; k++) {
      const key = JSON_KEYS[(k * 7 + (rng() % 3)) % JSON_KEYS.length];
      const r = rng() % 5;
      const val =
        r === 0 ? String(id++) : r === 1 ? `"${WORDS[rng() % WORDS.length]}_${rng() % 1000}"` : r === 2 ? (rng() & 1 ? "true" : "false") : r === 3 ? (rng() % 100000 / 100).toFixed(2) : `["${WORDS[rng() % WORDS.length]}","${WORDS[rng() % WORDS.length]}"]`;
      parts.push(`"${key}": ${val}`);
    }
    s += `{${parts.join(", ")}},\n`;
  }
  for (let i = 0; i < out.length; i++) out[i] = s.charCodeAt(i);
}

function fillSmallInts(rng: () => number, out: Uint8Array): void {
  const dv = new DataView(out.buffer, out.byteOffset, out.length);
  const width = [1, 2, 4, 8][rng() % 4];
  const range = 1 << (2 + (rng() % 10));
  let v = rng() % range;
  for (let o = 0; o + width <= out.length; o += width) {
    if (rng() % 4 === 0) v = rng() % range;
    else if (rng() % 3 === 0) v = (v + 1) % range;
    if (width === 1) dv.setUint8(o, v & 0xff);
    else if (width === 2) dv.setUint16(o, v, true);
    else dv.setUint32(o, v, true);
  }
}

function fillPointers(rng: () => number, out: Uint8Array): void {
  const dv = new DataView(out.buffer, out.byteOffset, out.length);
  const hi = 0x7f00 + (rng() % 0xff);
  let lo = (rng() & 0xfffff000) >>> 0;
  for (let o = 0; o + 8 <= out.length; o += 8) {
    const r = rng() % 8;
    if (r === 0) {
      dv.setUint32(o, 0, true);
      dv.setUint32(o + 4, 0, true);
      continue;
    }
    if (r === 1) lo = (rng() & 0xfffff000) >>> 0;
    const p = (lo + ((rng() % 512) << 4)) >>> 0;
    dv.setUint32(o, p, true);
    dv.setUint32(o + 4, r === 2 ? 0x5555 : hi, true);
  }
}

function fillStructs(rng: () => number, out: Uint8Array): void {
  const dv = new DataView(out.buffer, out.byteOffset, out.length);
  const size = [24, 32, 48, 64][rng() % 4];
  let id = rng() % 10000;
  const ptrHi = 0x7f00 + (rng() % 0xff);
  const base = (rng() & 0xffff0000) >>> 0;
  for (let o = 0; o + size <= out.length; o += size) {
    dv.setUint32(o, id++, true);
    dv.setUint32(o + 4, rng() % 4 === 0 ? 1 : 0, true);
    dv.setUint32(o + 8, (base + (id % 256) * size) >>> 0, true);
    dv.setUint32(o + 12, ptrHi, true);
    dv.setFloat32(o + 16, (rng() % 1000) / 8, true);
    if (size >= 32) dv.setUint32(o + 24, 0xdeadbeef, true);
    if (size >= 48) dv.setUint32(o + 32, rng() % 100, true);
  }
}

function fillCode(rng: () => number, out: Uint8Array, pool: Uint8Array): void {
  // Machine-code-like bytes: a few common opcode/prefix patterns with random immediates.
  const ops = [
    [0x48, 0x89, 0xe5],
    [0x48, 0x8b, 0x45],
    [0xe8],
    [0x0f, 0x1f, 0x44, 0x00, 0x00],
    [0x55],
    [0xc3],
    [0x48, 0x83, 0xec],
    [0x89, 0x7d],
    [0x41, 0x57],
  ];
  let o = 0;
  while (o < out.length) {
    const op = ops[rng() % ops.length];
    for (let i = 0; i < op.length && o < out.length; i++) out[o++] = op[i];
    const imm = rng() % 4;
    for (let i = 0; i < imm && o < out.length; i++) out[o++] = rng() & (rng() & 1 ? 0xff : 0x0f);
    if (rng() % 50 === 0 && o + 32 < out.length) {
      const s = rng() % (pool.length - 32);
      out.set(pool.subarray(s, s + 24), o);
      o += 24;
    }
  }
}

let compressedPool: Uint8Array | undefined;

function fillCompressed(rng: () => number, out: Uint8Array, p: TextPools): void {
  if (!compressedPool) {
    const chunk = p.text.subarray(0, Math.min(p.text.length, 6 << 20));
    compressedPool = new Uint8Array(deflateRawSync(chunk, { level: 6 }));
  }
  fillFromPool(compressedPool, rng, out);
}

/**
 * Generates `count` pages of the mix (deterministic for a given seed and host).
 *
 * @example
 * ```ts
 * const c = generatePages(1000, 1);
 * const page0 = c.data.subarray(0, 4096);
 * ```
 */
export function generatePages(count: number, seed = 1): PageCorpus {
  const p = loadPools();
  const rng = makeRng(seed);
  const data = new Uint8Array(count * PAGE_SIZE);
  const kinds = new Uint8Array(count);
  const totalWeight = WEIGHTS.reduce((a, b) => a + b, 0);
  for (let i = 0; i < count; i++) {
    let r = rng() % totalWeight;
    let k = 0;
    while (r >= WEIGHTS[k]) r -= WEIGHTS[k++];
    kinds[i] = k;
    const page = data.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE);
    fillPage(k, rng, page, p);
  }
  return { data, count, kinds, kindNames: PAGE_KINDS, sources: p.sources };
}

function fillPage(kind: number, rng: () => number, page: Uint8Array, p: TextPools): void {
  switch (PAGE_KINDS[kind]) {
    case "text":
      return fillFromPool(p.text, rng, page);
    case "source":
      return fillFromPool(p.source, rng, page);
    case "system-text":
      return fillFromPool(p.system, rng, page);
    case "json":
      return fillJson(rng, page);
    case "small-ints":
      return fillSmallInts(rng, page);
    case "pointers":
      return fillPointers(rng, page);
    case "structs":
      return fillStructs(rng, page);
    case "partly-filled": {
      const used = 64 + (rng() % (PAGE_SIZE - 128));
      const inner = rng() % 7;
      fillPage([0, 4, 5, 6, 3, 1, 10][inner], rng, page.subarray(0, used), p);
      return;
    }
    case "zero":
      return;
    case "same-filled":
      page.fill(rng() & 0xff);
      return;
    case "code":
      return fillCode(rng, page, p.text);
    case "random":
      for (let i = 0; i < PAGE_SIZE; i += 4) {
        const v = rng();
        page[i] = v;
        page[i + 1] = v >>> 8;
        page[i + 2] = v >>> 16;
        page[i + 3] = v >>> 24;
      }
      return;
    case "compressed":
      return fillCompressed(rng, page, p);
  }
}

/**
 * Generates `count` buffers of `size` bytes (default 1 MiB), each a run of
 * 4 KiB pages of the same mix, kept contiguous so there is cross-page history.
 */
export function generateBuffers(count: number, size = 1 << 20, seed = 2): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let b = 0; b < count; b++) {
    const pages = generatePages(Math.ceil(size / PAGE_SIZE), seed * 1000 + b);
    out.push(pages.data.subarray(0, size));
  }
  return out;
}
