import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { filePages, PAGE_SIZE, processPages, processRegions } from "./_pages_from.js";

test("filePages() cuts whole 4 KiB pages out of files, evenly, dropping the short tail", () => {
  const dir = mkdtempSync(join(tmpdir(), "pages-from-"));
  try {
    const data = new Uint8Array(PAGE_SIZE * 5 + 100);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7 + (i >> 12)) & 0xff;
    const f = join(dir, "a.bin");
    writeFileSync(f, data);
    const all = filePages([f], 100, 100);
    assert.equal(all.length, 5);
    all.forEach((p, k) => assert.deepEqual(p, data.subarray(k * PAGE_SIZE, (k + 1) * PAGE_SIZE)));
    const two = filePages([f], 100, 2);
    assert.deepEqual(two.map((p) => p[0]), [data[0], data[2 * PAGE_SIZE]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("processPages() reads a live process's writable memory through /proc/PID/mem (its environment is on its stack)", async (t) => {
  const marker = "iaa-emu-dump-pages-marker-7f3a";
  const child = spawn("sleep", ["30"], { env: { MARKER: marker }, stdio: "ignore" });
  try {
    await new Promise((r) => setTimeout(r, 200));
    let pages: Uint8Array[];
    try {
      pages = processPages(child.pid!, 4096);
    } catch (e) {
      if (process.env.CI === "true") throw e;
      t.skip(`cannot read /proc/${child.pid}/mem here: ${(e as Error).message}`);
      return;
    }
    assert.ok(processRegions(child.pid!).some((r) => r.name === "[stack]"));
    assert.ok(pages.length > 0);
    const hit = pages.some((p) => Buffer.from(p).includes(marker));
    assert.ok(hit, "the child's MARKER variable is in one of its pages");
  } finally {
    child.kill();
  }
});
