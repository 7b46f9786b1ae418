/**
 * The live dashboard in a real browser (Debian's chromium): the topology of a
 * booted spr-2s machine, a change made by another client on the same machine
 * appearing without reload, and the counters rising under memory_madvise.
 */
import { ZSWAP_ON_IAA } from "../helpers/zswap.js";
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { bootWorld, type World } from "../../src/host/world.js";
import { startDashboard, type Dashboard } from "../../src/host/dashboard/mod.js";
import { artifactPath, launchChromium, type Chromium } from "./dashboard_browser.js";

// the page's globals, in the callbacks that run in the browser
declare const document: { querySelector(sel: string): { textContent: string | null } | null };
declare const window: Record<string, unknown>;

/** Runs a script in a new shell on the world: [status, stdout+stderr]. */
function run(world: World, script: string): [number, string] {
  let out = "";
  const dec = new TextDecoder();
  const sink = { write: (s: string | Uint8Array) => ((out += typeof s === "string" ? s : dec.decode(s)), true) };
  const sh = world.shell({ stdout: sink, stderr: sink });
  const rc = sh.runString(script) as unknown as number;
  return [rc, out];
}

async function withDashboard(t: TestContext, fn: (world: World, d: Dashboard, page: Page) => Promise<void>): Promise<void> {
  const chromium: Chromium | null = await launchChromium(t);
  if (chromium === null) return;
  const world = bootWorld("spr-2s");
  const [rc, out] = run(world, "modprobe iaa_crypto");
  assert.equal(rc, 0, out);
  const d = await startDashboard(world, { port: 0 });
  t.diagnostic(`dashboard at ${d.url}`);
  try {
    const page = await chromium.browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const foreign: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(d.url)) foreign.push(r.url());
    });
    await page.goto(d.url);
    await page.waitForSelector("#live.ok");
    await fn(world, d, page);
    assert.deepEqual(errors, [], "no script error on the page");
    assert.deepEqual(foreign, [], "the page loads nothing from elsewhere");
  } finally {
    await d.close();
    await chromium.close();
  }
}

test("the dashboard of a booted spr-2s machine shows its 8 IAA devices with their WQs", async (t) => {
  await withDashboard(t, async (world, d, page) => {
    await page.waitForSelector('[data-device="iax1"]');
    const iax = await page.$$eval("[data-device^=iax]", (els) => els.map((e) => e.getAttribute("data-device")));
    const fromSysfs = world.stack.machine.vfs.readdir("/sys/bus/dsa/devices").filter((n) => /^iax\d+$/.test(n));
    assert.equal(iax.length, 8);
    assert.deepEqual([...iax].sort(), [...fromSysfs].sort());
    for (const dev of iax) {
      const id = dev!.slice(3);
      const wqs = await page.$$eval(`[data-device="${dev}"] tr[data-wq]`, (rows) => rows.map((r) => r.getAttribute("data-wq")));
      const max = Number(world.stack.machine.vfs.readText(`/sys/bus/dsa/devices/${dev}/max_work_queues`).trim());
      assert.equal(wqs.length, max, `${dev}: every WQ of the device`);
      const state = await page.textContent(`[data-wq="wq${id}.0"] [data-field=state]`);
      assert.equal(state, world.stack.machine.vfs.readText(`/sys/bus/dsa/devices/${dev}/wq${id}.0/state`).trim());
      const cpus = await page.textContent(`[data-wq="wq${id}.0"] [data-field=cpus]`);
      assert.match(cpus ?? "", /^\d/, `${dev}: the CPUs iaa_crypto maps to wq${id}.0`);
    }
    // two NUMA nodes, four IAA each; the DSA devices beside them
    assert.equal(await page.locator("[data-node]").count(), 2);
    assert.equal(await page.locator('[data-node="0"] [data-device^=iax]').count(), 4);
    assert.equal(await page.locator("[data-device^=dsa]").count(), 8);
    assert.equal(await page.textContent("#boot-preset"), "spr-2s");
    assert.equal(await page.textContent("#boot-cmdline"), world.stack.machine.vfs.readText("/proc/cmdline").trim());
    assert.ok((await page.locator("#dmesg div").count()) > 0, "the kernel log is shown");
    await page.screenshot({ path: artifactPath(t, "dashboard-topology.png"), fullPage: true });
  });
});

test("accel-config config-wq from another shell on the same machine appears within a second, without reload", async (t) => {
  await withDashboard(t, async (world, d, page) => {
    const cell = '[data-wq="wq1.1"] [data-field=priority]';
    await page.waitForSelector(cell);
    assert.equal(await page.textContent(cell), "0");
    await page.evaluate(() => (window.marker = 42));
    const [rc, out] = run(world, "accel-config config-wq iax1/wq1.1 --priority=7 --name=dash-test --group-id=1");
    assert.equal(rc, 0, out);
    d.sample();
    await page.waitForFunction(
      () => document.querySelector('[data-wq="wq1.1"] [data-field=priority]')?.textContent === "7" && document.querySelector('[data-wq="wq1.1"] [data-field=wqName]')?.textContent === "dash-test",
      undefined,
      { timeout: 1000 },
    );
    assert.equal(await page.textContent('[data-wq="wq1.1"] [data-field=group]'), "1");
    assert.equal(await page.evaluate(() => window.marker), 42, "the page was not reloaded");
    await page.screenshot({ path: artifactPath(t, "dashboard-config-wq.png"), fullPage: true });
  });
});


test("./memory_madvise 2000 with zswap on deflate-iaa: the counters rise on the page", async (t) => {
  await withDashboard(t, async (world, d, page) => {
    const [rc0, out0] = run(world, ZSWAP_ON_IAA);
    assert.equal(rc0, 0, out0);
    await page.waitForFunction(() => document.querySelector('[data-setting="zswap.compressor"]')?.textContent === "deflate-iaa");
    const num = async (sel: string): Promise<number> => Number(((await page.textContent(sel)) ?? "").replace(/,/g, ""));
    const before = await num('[data-counter="total_comp_calls"]');
    const [rc, out] = run(world, "cd /root && ./memory_madvise 2000");
    assert.equal(rc, 0, out);
    d.sample();
    const vmstat = world.stack.machine.vfs.readText("/proc/vmstat");
    const zswpout = Number(/^zswpout (\d+)$/m.exec(vmstat)![1]);
    assert.ok(zswpout >= 2000, `zswpout ${zswpout}`);
    await page.waitForFunction((n) => document.querySelector('[data-counter="zswpout"]')?.textContent === n.toLocaleString("en-US"), zswpout, { timeout: 1000 });
    const after = await num('[data-counter="total_comp_calls"]');
    assert.ok(after >= before + 2000, `total_comp_calls ${before} → ${after}`);
    assert.equal(await num('[data-counter="zswpin"]'), Number(/^zswpin (\d+)$/m.exec(vmstat)![1]));
    // the per-WQ statistics name the WQ, and the charts hold the rise
    assert.ok((await num('[data-wqstat="wq1.0"] [data-field=comp_calls]')) > 0 || (await page.locator("[data-wqstat] [data-field=comp_calls]").allTextContents()).some((x) => x !== "0"));
    assert.equal(await page.locator("[data-chart] canvas").count(), 5);
    await page.locator('input[value="wall"]').check();
    await page.waitForTimeout(100);
    assert.equal(await page.locator("[data-chart] canvas").count(), 5);
    await page.locator('input[value="virtual"]').check();
    await page.screenshot({ path: artifactPath(t, "dashboard-memory-madvise.png"), fullPage: true });
  });
});

test("the dashboard is read-only and listens on 127.0.0.1 only", async () => {
  const world = bootWorld("tiny");
  const d = await startDashboard(world, { port: 0 });
  try {
    assert.match(d.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
      const r = await fetch(d.url + "api/state", { method, body: method === "DELETE" ? undefined : "x" });
      assert.equal(r.status, 405, method);
      assert.equal(r.headers.get("allow"), "GET, HEAD");
    }
    const s = (await (await fetch(d.url + "api/state")).json()) as { boot: { preset: string }; topology: { devices: unknown[] } };
    assert.equal(s.boot.preset, "tiny");
    assert.ok(s.topology.devices.length > 0);
    assert.equal((await fetch(d.url + "nope")).status, 404);
  } finally {
    await d.close();
  }
});

test("a dashboard of whichever machine a function returns: after a reboot the state is the new machine's", async () => {
  let world = bootWorld("tiny");
  const d = await startDashboard(() => world, { port: 0 });
  try {
    type S = { epoch: string; boot: { preset: string }; samples: { seq: number }[]; log: { seq: number }[] };
    const a = (await (await fetch(d.url + "api/state")).json()) as S;
    world = bootWorld("spr-1s");
    const b = (await (await fetch(`${d.url}api/state?epoch=${a.epoch}&since=${a.samples.at(-1)!.seq}&log=${a.log.at(-1)!.seq}`)).json()) as S;
    assert.notEqual(b.epoch, a.epoch);
    assert.equal(b.boot.preset, "spr-1s");
    assert.equal(b.log[0]!.seq, 0, "the new machine's log from its start");
    // a request for another host name is refused (the port is reachable by name only as 127.0.0.1 or localhost)
    const { request } = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      const r = request({ host: "127.0.0.1", port: d.port, path: "/", headers: { host: "evil.example:80" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      r.on("error", reject);
      r.end();
    });
    assert.equal(status, 421);
    assert.equal((await fetch(d.url, { method: "HEAD" })).status, 200);
  } finally {
    await d.close();
  }
});
