import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { repoRoot } from "../helpers/repo_root.js";

const root = repoRoot();

function iaa(args: string[], input?: Uint8Array) {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "src", "cli", "iaa.ts"), ...args], { cwd: root, input, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

function farStream(): { data: Uint8Array; z: Uint8Array } {
  const data = new Uint8Array(20000);
  for (let i = 0; i < 9000; i++) data[i] = (Math.imul(i, 2654435761) >>> 24) & 0xff;
  data.set(data.subarray(0, 5000), 10000);
  return { data, z: deflateRawSync(data, { level: 6 }) };
}

test("iaa compress -o OUT FILE writes a fixed-mode stream that zlib and iaa decompress read back", () => {
  const dir = mkdtempSync(join(tmpdir(), "iaa-cli-"));
  try {
    const text = Buffer.from("The IAA compresses pages for zswap. ".repeat(300));
    writeFileSync(join(dir, "in.txt"), text);
    const c = iaa(["compress", "-o", join(dir, "in.deflate"), join(dir, "in.txt")]);
    assert.equal(c.status, 0, c.stderr);
    assert.equal(c.stderr, "");
    const z = readFileSync(join(dir, "in.deflate"));
    assert.equal(z[0] & 7, 0b011);
    assert.ok(z.length < text.length / 5);
    assert.deepEqual(inflateRawSync(z), text);
    const d = iaa(["decompress", join(dir, "in.deflate")]);
    assert.equal(d.status, 0, d.stderr);
    assert.deepEqual(d.stdout, text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("iaa compress | iaa decompress works through stdin and stdout", () => {
  const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 13));
  const c = iaa(["compress"], data);
  assert.equal(c.status, 0, c.stderr);
  assert.deepEqual(inflateRawSync(c.stdout), data);
});

test("iaa decompress fails a distance beyond 4 KiB with one line, exit 1, and leaves OUT alone; --window 32k decodes it", () => {
  const dir = mkdtempSync(join(tmpdir(), "iaa-cli-"));
  try {
    const { data, z } = farStream();
    writeFileSync(join(dir, "far.deflate"), z);
    const fresh = join(dir, "fresh.out");
    const r = iaa(["decompress", "-o", fresh, join(dir, "far.deflate")]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, "iaa: decompress: distance too far back (IAA error 0x11)\n");
    assert.equal(r.stdout.length, 0);
    assert.equal(existsSync(fresh), false);
    const old = join(dir, "old.out");
    writeFileSync(old, "keep me");
    assert.equal(iaa(["decompress", "--window", "4k", "-o", old, join(dir, "far.deflate")]).status, 1);
    assert.equal(readFileSync(old, "utf8"), "keep me");
    const ok = iaa(["decompress", "--window=32k", "-o", old, join(dir, "far.deflate")]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.deepEqual(new Uint8Array(readFileSync(old)), data);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("iaa decompress names a corrupt stream's error; unknown flags and commands print usage with exit 2", () => {
  const bad = iaa(["decompress"], Uint8Array.of(0x06));
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, "iaa: decompress: invalid block type (IAA error 0x0d)\n");
  const flag = iaa(["compress", "--fast"]);
  assert.equal(flag.status, 2);
  assert.match(flag.stderr, /^iaa: compress: unknown option '--fast'\nusage: iaa compress \[-o OUT\] \[FILE\]\n$/);
  assert.equal(flag.stdout.length, 0);
  const win = iaa(["decompress", "--window", "8k"]);
  assert.equal(win.status, 2);
  assert.match(win.stderr, /invalid window '8k'/);
  const cmd = iaa(["frobnicate"]);
  assert.equal(cmd.status, 2);
  assert.match(cmd.stderr, /^iaa: unknown command 'frobnicate'\nusage: iaa <command>/);
  const missing = iaa(["compress", "/nonexistent/file"]);
  assert.equal(missing.status, 1);
  assert.equal(missing.stderr, "iaa: compress: /nonexistent/file: No such file or directory\n");
});
