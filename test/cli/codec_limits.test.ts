/**
 * `iaa compress`/`iaa decompress` errors name the user's paths (FILE, OUT),
 * never the temporary file; `iaa decompress` stops at --max-output and says so.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import { repoRoot } from "../helpers/repo_root.js";

const root = repoRoot();

function iaa(args: string[], input?: Uint8Array) {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "src", "cli", "iaa.ts"), ...args], { cwd: root, input, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

test("iaa compress DIR names DIR; -o errors name OUT, not the temporary file", () => {
  const dir = mkdtempSync(join(tmpdir(), "iaa-codec-"));
  try {
    const r = iaa(["compress", dir]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `iaa: compress: ${dir}: Is a directory\n`);
    writeFileSync(join(dir, "in.txt"), "hello hello hello\n");
    const missing = join(dir, "no", "such", "out.deflate");
    const m = iaa(["compress", "-o", missing, join(dir, "in.txt")]);
    assert.equal(m.status, 1);
    assert.equal(m.stderr, `iaa: compress: ${missing}: No such file or directory\n`);
    const outDir = join(dir, "sub");
    mkdirSync(outDir);
    const d = iaa(["compress", "-o", outDir, join(dir, "in.txt")]);
    assert.equal(d.status, 1);
    assert.equal(d.stderr, `iaa: compress: ${outDir}: Is a directory\n`);
    assert.deepEqual(readdirSync(dir).sort(), ["in.txt", "sub"], "no temporary file left behind");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("iaa decompress of a decompression bomb stops at --max-output, names the limit and leaves OUT alone", () => {
  const dir = mkdtempSync(join(tmpdir(), "iaa-bomb-"));
  try {
    const plain = new Uint8Array(3 << 20); // 3 MiB of zeros → a few KiB of DEFLATE
    const bomb = deflateRawSync(plain, { level: 9 });
    assert.ok(bomb.length < 8192);
    writeFileSync(join(dir, "bomb.deflate"), bomb);
    const out = join(dir, "out");
    writeFileSync(out, "old");
    const r = iaa(["decompress", "--window", "32k", "--max-output", "1M", "-o", out, join(dir, "bomb.deflate")]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, "iaa: decompress: output exceeds the --max-output limit of 1048576 bytes; nothing written (raise it with --max-output BYTES)\n");
    assert.equal(readFileSync(out, "utf8"), "old");
    const ok = iaa(["decompress", "--window=32k", "--max-output=4M", "-o", out, join(dir, "bomb.deflate")]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.deepEqual(new Uint8Array(readFileSync(out)), plain);
    const bad = iaa(["decompress", "--max-output", "lots"]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^iaa: decompress: invalid --max-output 'lots' \(expected BYTES from 1 to 2G, with an optional K, M or G suffix\)\nusage: iaa decompress \[--window 4k\|32k\] \[--max-output BYTES\] \[-o OUT\] \[FILE\]\n/);
    const help = iaa(["decompress", "--help"]);
    assert.match(help.stdout.toString(), /--max-output BYTES {2}largest output accepted .*default 268435456 = 256M/);
    assert.ok(!existsSync(join(dir, ".out.tmp")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
