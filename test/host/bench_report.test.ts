/**
 * `iaa bench … --html FILE` opened in a real browser (file://): one card per
 * configuration with its plots, the comparison charts, the published figures
 * where they apply, the run's duration, and the same data as `--json`;
 * nothing loaded from the network.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { benchCommand } from "../../src/cli/bench_command.js";
import type { CliIo } from "../../src/cli/cli_io.js";
import { artifactPath, launchChromium } from "./dashboard_browser.js";

declare const document: { getElementById(id: string): { textContent: string | null } | null };

function io(): CliIo & { out: string; err: string } {
  const o = {
    out: "",
    err: "",
    async readStdin() {
      return new Uint8Array(0);
    },
    async stdout(d: Uint8Array | string) {
      o.out += typeof d === "string" ? d : new TextDecoder().decode(d);
    },
    stderr(t: string) {
      o.err += t;
    },
  };
  return o;
}

async function checkReport(t: TestContext, name: string, args: string[], expectPublished: string[]): Promise<void> {
  const chromium = await launchChromium(t);
  if (chromium === null) return;
  const dir = mkdtempSync(join(tmpdir(), "iaa-report-"));
  try {
    const html = join(dir, `${name}.html`);
    const withHtml = io();
    assert.equal(await benchCommand([...args, "--html", html], withHtml), 0, withHtml.err);
    const plain = io();
    assert.equal(await benchCommand([...args, "--json"], plain), 0, plain.err);
    const json = JSON.parse(plain.out) as { results: unknown[] };
    const text = readFileSync(html, "utf8");
    assert.doesNotMatch(text, /<script[^>]+src=|<link[^>]+href=|@import|url\(http/i, "everything is inlined");
    const page = await chromium.browser.newPage();
    const foreign: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) foreign.push(r.url());
    });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(pathToFileURL(html).href);
    await page.waitForSelector("body[data-ready]");
    // every configuration: a card with its two plots
    const nConfigs = Number(await page.textContent("#n-configs"));
    const labels = await page.$$eval("[data-config]", (els) => els.map((e) => e.getAttribute("data-label")));
    assert.ok(nConfigs >= 2);
    assert.equal(labels.length, nConfigs);
    assert.equal(new Set(labels).size, nConfigs, "one card per configuration");
    for (let i = 0; i < nConfigs; i++) {
      for (const plot of ["latency-over-run", "latency-distribution"]) {
        assert.equal(await page.locator(`[data-config="${i}"] [data-plot="${plot}"] canvas`).count(), 1, `${labels[i]}: ${plot}`);
      }
    }
    assert.equal(await page.locator("[data-compare] canvas").count(), 2, "throughput and latency across configurations");
    // the same data as --json (up to wall-clock fields, which differ run to run)
    const embedded = JSON.parse((await page.evaluate(() => document.getElementById("bench-json")!.textContent)) ?? "null") as { results: unknown[] };
    const noWall = (v: unknown): string => JSON.stringify(v, (k, x: unknown) => (k === "wall" ? undefined : x));
    assert.equal(noWall(embedded), noWall(json));
    assert.match((await page.textContent("#duration")) ?? "", /^\d+(\.\d+)? s$/);
    const body = (await page.textContent("body")) ?? "";
    for (const p of expectPublished) assert.ok(body.includes(p), `published figure ${p} shown`);
    assert.ok(body.includes("engineSetupCompressNs"), "the timing model's parameters");
    assert.deepEqual(errors, []);
    assert.deepEqual(foreign, [], "no network");
    await page.screenshot({ path: artifactPath(t, `report-${name}.png`), fullPage: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await chromium.close();
  }
}

test("bench latency --html: every configuration's plots, the 4 KiB page figures [Z23] overlaid", async (t) => {
  await checkReport(t, "latency", ["latency", "--compressor", "deflate-iaa,deflate-generic,lz4", "--sync-mode", "sync,async_irq", "--verify", "0,1", "--pages", "8"], ["3,177", "6,847", "108,978"]);
});

test("bench codec --html: 64 KiB job figures [G24] and the engine's 1.9 GB/s [Q51]", async (t) => {
  await checkReport(t, "codec", ["codec", "--compressor", "deflate-iaa,lz4,zstd", "--verify", "0", "--jobs", "4", "--threads", "1"], ["34,493", "139,190", "251,820", "1.9 GB/s"]);
});

test("bench zswap --html: page-out and page-in of each configuration, pool size", async (t) => {
  await checkReport(t, "zswap", ["zswap", "--compressor", "deflate-iaa,lzo,none", "--processes", "2", "--pages", "32", "--threads", "1"], ["pool_total_size"]);
});

test("bench --html to a directory that does not exist: one line, exit 1", async () => {
  const x = io();
  assert.equal(await benchCommand(["latency", "--compressor", "lz4", "--pages", "2", "--html", "/nonexistent-dir/r.html"], x), 1);
  assert.match(x.err, /^iaa: bench: ENOENT[^\n]*\n$/);
});
