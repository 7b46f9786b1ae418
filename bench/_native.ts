/**
 * The codec benchmark's native rows: builds bench/native/codec_native.c with
 * the system compiler when libdeflate and ISA-L are installed (Debian
 * libdeflate-dev, libisal-dev), runs it on the same pages, and parses its
 * lines. Anything missing is reported in `note`, never an error.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PAGE_SIZE } from "./_pages_from.js";

export interface NativeRow {
  codec: string;
  segment: number;
  pages: number;
  compressedBytes: number;
  compressNs: number;
  decompressNs: number;
  decompressedBytes: number;
}

function sourcePath(): string {
  // dist/bench/_native.js → bench/native/codec_native.c
  return join(dirname(fileURLToPath(import.meta.url)), "..", "..", "bench", "native", "codec_native.c");
}

/** Builds the helper (once per source change) and returns its path, or why not. */
function build(): { bin: string } | { why: string } {
  const src = sourcePath();
  if (!existsSync(src)) return { why: `no ${src}` };
  if (!existsSync("/usr/include/libdeflate.h")) return { why: "skipped: libdeflate.h not found (apt-get install libdeflate-dev)" };
  if (!existsSync("/usr/include/isa-l/igzip_lib.h")) return { why: "skipped: isa-l/igzip_lib.h not found (apt-get install libisal-dev)" };
  const bin = join(tmpdir(), `iaa-emu-codec-native-${Math.floor(statSync(src).mtimeMs)}`);
  if (existsSync(bin)) return { bin };
  for (const cc of ["cc", "gcc", "clang"]) {
    try {
      execFileSync(cc, ["-O2", "-o", bin, src, "-ldeflate", "-lisal"], { stdio: ["ignore", "ignore", "pipe"] });
      return { bin };
    } catch (e) {
      const err = (e as { code?: string; stderr?: Buffer }).code === "ENOENT" ? null : (e as { stderr?: Buffer }).stderr;
      if (err !== null && err !== undefined) return { why: `skipped: ${cc} failed: ${err.toString().split("\n")[0]}` };
    }
  }
  return { why: "skipped: no C compiler (cc, gcc, clang)" };
}

/** Runs the native codecs on `segments` (page lists), best of `reps`. */
export function runNative(segments: Uint8Array[][], reps: number): { rows: NativeRow[] | null; note: string } {
  const b = build();
  if ("why" in b) return { rows: null, note: b.why };
  const dir = mkdtempSync(join(tmpdir(), "iaa-codec-pages-"));
  try {
    const total = segments.reduce((a, s) => a + s.length, 0);
    const buf = new Uint8Array(total * PAGE_SIZE);
    let k = 0;
    for (const s of segments) for (const p of s) buf.set(p, PAGE_SIZE * k++);
    const file = join(dir, "pages.bin");
    writeFileSync(file, buf);
    const text = execFileSync(b.bin, [file, String(reps), ...segments.map((s) => String(s.length))], { encoding: "utf8", maxBuffer: 1 << 24 });
    const rows = text.trim().split("\n").map((line) => {
      const [codec, seg, pages, cb, cns, dns, db] = line.split(" ");
      return { codec, segment: +seg, pages: +pages, compressedBytes: +cb, compressNs: +cns, decompressNs: +dns, decompressedBytes: +db };
    });
    return { rows, note: `bench/native/codec_native.c (libdeflate, ISA-L ${islVersion()}), built with the system compiler, same pages` };
  } catch (e) {
    return { rows: null, note: `skipped: the helper failed: ${(e as Error).message.split("\n")[0]}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function islVersion(): string {
  try {
    return execFileSync("dpkg-query", ["-W", "-f", "${Version}", "libisal-dev"], { encoding: "utf8" }) + ", libdeflate " + execFileSync("dpkg-query", ["-W", "-f", "${Version}", "libdeflate-dev"], { encoding: "utf8" });
  } catch {
    return "";
  }
}
