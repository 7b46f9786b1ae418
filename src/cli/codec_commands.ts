/**
 * `iaa compress` and `iaa decompress`: raw DEFLATE through the IAA engine,
 * FILE or stdin to OUT or stdout, like gzip. Output files are written to a
 * temporary file beside OUT and renamed, so a failure leaves OUT untouched;
 * errors name FILE or OUT, never the temporary file. `decompress` stops at
 * `--max-output BYTES` (default 256 MiB): a decompression bomb fails with a
 * message naming the limit instead of filling memory.
 */
import { readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { compressFixed, decompress, DeflateError } from "../deflate/mod.js";
import type { CliIo } from "./cli_io.js";

interface Parsed {
  out?: string;
  file?: string;
  window: "hw" | "sw";
  maxOutput: number;
  help: boolean;
}

/** Default of `iaa decompress --max-output`: 256 MiB. */
export const DEFAULT_MAX_OUTPUT = 256 * 1024 * 1024;

const COMPRESS_USAGE = "usage: iaa compress [-o OUT] [FILE]\n";
const DECOMPRESS_USAGE =
  "usage: iaa decompress [--window 4k|32k] [--max-output BYTES] [-o OUT] [FILE]\n" +
  `  --max-output BYTES  largest output accepted (suffix K, M or G allowed; default ${DEFAULT_MAX_OUTPUT} = 256M)\n`;

/** BYTES with an optional K/M/G suffix (powers of 1024), or null. */
function parseBytes(v: string): number | null {
  const m = /^(\d+)([KMG]?)i?B?$/i.exec(v);
  if (m === null) return null;
  const n = Number(m[1]) * 1024 ** ["", "K", "M", "G"].indexOf(m[2]!.toUpperCase());
  return Number.isSafeInteger(n) && n > 0 && n <= 2 ** 31 ? n : null;
}

/** The output passed `--max-output`. */
class OutputLimitError extends Error {}

/** Parses the options; returns an error text for a usage error. */
function parse(args: string[], allowWindow: boolean): Parsed | string {
  const p: Parsed = { window: "hw", maxOutput: DEFAULT_MAX_OUTPUT, help: false };
  let i = 0;
  let positional = false;
  for (; i < args.length; i++) {
    const a = args[i];
    if (positional || a === "-" || !a.startsWith("-")) {
      if (p.file !== undefined) return `extra operand '${a}'`;
      p.file = a;
      continue;
    }
    if (a === "--") positional = true;
    else if (a === "-h" || a === "--help") p.help = true;
    else if (a === "-o" || a === "--output") {
      if (i + 1 >= args.length) return `option '${a}' needs an argument`;
      p.out = args[++i];
    } else if (a.startsWith("--output=")) p.out = a.slice("--output=".length);
    else if (allowWindow && (a === "--window" || a.startsWith("--window="))) {
      let v: string;
      if (a === "--window") {
        if (i + 1 >= args.length) return "option '--window' needs an argument";
        v = args[++i];
      } else v = a.slice("--window=".length);
      if (v === "4k" || v === "4K" || v === "4096") p.window = "hw";
      else if (v === "32k" || v === "32K" || v === "32768") p.window = "sw";
      else return `invalid window '${v}' (expected 4k or 32k)`;
    } else if (allowWindow && (a === "--max-output" || a.startsWith("--max-output="))) {
      let v: string;
      if (a === "--max-output") {
        if (i + 1 >= args.length) return "option '--max-output' needs an argument";
        v = args[++i];
      } else v = a.slice("--max-output=".length);
      const n = parseBytes(v);
      if (n === null) return `invalid --max-output '${v}' (expected BYTES from 1 to 2G, with an optional K, M or G suffix)`;
      p.maxOutput = n;
    } else return `unknown option '${a}'`;
  }
  return p;
}

/** An fs error that names `path` (readFileSync of a directory gives EISDIR without one). */
function withPath(e: unknown, path: string): unknown {
  const err = e as NodeJS.ErrnoException;
  if (err !== null && typeof err === "object" && typeof err.code === "string") err.path = path;
  return e;
}

async function readInput(file: string | undefined, io: CliIo): Promise<Uint8Array> {
  if (file === undefined || file === "-") return io.readStdin();
  try {
    return readFileSync(file);
  } catch (e) {
    throw withPath(e, file);
  }
}

/** Writes `data` to `out` through a temporary file and a rename, or to stdout. */
async function writeOutput(out: string | undefined, data: Uint8Array, io: CliIo): Promise<void> {
  if (out === undefined || out === "-") return io.stdout(data);
  const tmp = join(dirname(out), `.${basename(out)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, out);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to clean up
    }
    throw withPath(e, out); // the user named OUT, not the temporary file
  }
}

function describe(e: unknown): string {
  if (e instanceof DeflateError || e instanceof OutputLimitError) return e.message;
  const err = e as NodeJS.ErrnoException;
  if (err !== null && typeof err === "object" && typeof err.code === "string" && typeof err.path === "string") {
    return `${err.path}: ${err.code === "ENOENT" ? "No such file or directory" : err.code === "EACCES" ? "Permission denied" : err.code === "EISDIR" ? "Is a directory" : err.message}`;
  }
  return e instanceof Error ? e.message : String(e);
}

async function runCodec(name: string, usageText: string, args: string[], io: CliIo, allowWindow: boolean, op: (input: Uint8Array, p: Parsed) => Uint8Array): Promise<number> {
  const p = parse(args, allowWindow);
  if (typeof p === "string") {
    io.stderr(`iaa: ${name}: ${p}\n${usageText}`);
    return 2;
  }
  if (p.help) {
    await io.stdout(usageText);
    return 0;
  }
  try {
    const input = await readInput(p.file, io);
    const output = op(input, p);
    await writeOutput(p.out, output, io);
    return 0;
  } catch (e) {
    io.stderr(`iaa: ${name}: ${describe(e)}\n`);
    return 1;
  }
}

/** `iaa compress [-o OUT] [FILE]`: one final fixed-Huffman block, 4 KiB history, as deflate-iaa emits. */
export async function compressCommand(args: string[], io: CliIo): Promise<number> {
  return runCodec("compress", COMPRESS_USAGE, args, io, false, (input) => compressFixed(input));
}

/** `iaa decompress [--window 4k|32k] [-o OUT] [FILE]`: any raw DEFLATE stream; 4k = the hardware's history limit. */
export async function decompressCommand(args: string[], io: CliIo): Promise<number> {
  return runCodec("decompress", DECOMPRESS_USAGE, args, io, true, (input, p) => {
    try {
      // decoding stops at the limit (output overflow, status 0x0b): memory stays bounded by it
      return decompress(input, { window: p.window, maxOutput: p.maxOutput });
    } catch (e) {
      if (e instanceof DeflateError && e.status === 0x0b) {
        throw new OutputLimitError(`output exceeds the --max-output limit of ${p.maxOutput} bytes; nothing written (raise it with --max-output BYTES)`);
      }
      throw e;
    }
  });
}
