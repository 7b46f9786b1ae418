/**
 * Intel's accel-config (Debian's package) configuring the emulated machine
 * through the `iaa exec` namespace: after every step its `list -i` equals the
 * clone's (src/accfg, run on the same machine), up to what Debian's 3.5.3
 * prints differently from 4.1.6 (see VERSION_DIFFERENCES), and the machine's
 * sysfs holds what the step should leave.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Rig, gate, missingPrereq, type Ran } from "./_harness.js";

/** Where Debian's package puts its example profiles. */
const PROFILES = "/etc/accel-config/contrib/configs";
const D = "/sys/bus/dsa/devices";

/**
 * What accel-config 3.5.3 (Debian 12) lists differently from 4.1.6: it has no
 * "op_cap" for devices, and prints "traffic_class_a"/"traffic_class_b" for
 * every group.
 */
const VERSION_DIFFERENCES = ["op_cap", "traffic_class_a", "traffic_class_b"];

/**
 * save-config in 3.5.3 also writes a WQ's "max_batch_size" as -2 where the
 * attribute is missing (IAA WQs have none; 3.5.3 writes the -ENOENT it got).
 */
const dropSaved = (k: string, v: unknown): boolean => k === "max_batch_size" && v === -2;

function normalize(json: string, drop: (k: string, v: unknown) => boolean = () => false): string {
  const strip = (v: unknown, depth: number): unknown => {
    if (Array.isArray(v)) return v.map((x) => strip(x, depth));
    if (v !== null && typeof v === "object") {
      const keep = ([k, x]: [string, unknown]) => !VERSION_DIFFERENCES.includes(k) && !(depth > 0 && drop(k, x));
      return Object.fromEntries(Object.entries(v).filter(keep).map(([k, x]) => [k, strip(x, depth + 1)]));
    }
    return v;
  };
  return JSON.stringify(strip(JSON.parse(json), 0), null, 1);
}

/** A host program that hangs fails its test instead of stopping the run. */
const T = 120_000;
let rig: Rig | undefined;
const prereq = ["accel-config", "jq"];
before(async () => {
  if (missingPrereq(prereq) === null) rig = await Rig.start();
});
after(async () => {
  await rig?.stop();
});

const intel = (...args: string[]): Promise<Ran> => rig!.exec(["accel-config", ...args]);
const attr = (obj: string, name: string): string => rig!.read(`${D}/${obj}/${name}`).trimEnd();

async function sameListing(what: string): Promise<void> {
  const host = await intel("list", "-i");
  const clone = rig!.machine("accel-config list -i");
  assert.equal(host.code, 0, `${what}: ${host.stderr}`);
  assert.equal(clone.code, 0, `${what}: ${clone.stderr}`);
  assert.equal(normalize(host.stdout), normalize(clone.stdout), `list -i after ${what}`);
}

async function step(args: string[], want: { code?: number; stderr?: string } = {}): Promise<Ran> {
  const r = await intel(...args);
  assert.equal(r.code, want.code ?? 0, `accel-config ${args.join(" ")}: ${r.stderr}`);
  if (want.stderr !== undefined) assert.equal(r.stderr, want.stderr, `accel-config ${args.join(" ")}`);
  await sameListing(args.join(" "));
  return r;
}

test("Debian's accel-config is 3.5.3 and finds idxd loaded in the emulated /sys/module", { timeout: T }, async (t) => {
  if (!gate(t, prereq)) return;
  const r = await rig!.exec(["dpkg-query", "-W", "-f=${Version}", "accel-config"]);
  assert.match(r.stdout, /^3\.5\.3/);
  await sameListing("boot");
  const devs = await rig!.bash("accel-config list | jq -r '.[].dev'");
  const clone = JSON.parse(rig!.machine("accel-config list").stdout) as { dev: string }[];
  assert.equal(devs.stdout, clone.map((d) => `${d.dev}\n`).join(""));
  assert.ok(devs.stdout.includes("iax1\n"));
});

test("the documentation's typical usage, step by step, with iaa_crypto loaded", { timeout: T }, async (t) => {
  if (!gate(t, prereq)) return;
  assert.equal(rig!.machine("modprobe iaa_crypto").code, 0);
  await sameListing("modprobe iaa_crypto");
  if (attr("wq1.0", "state") === "enabled") {
    await step(["disable-wq", "iax1/wq1.0"], { stderr: "disabled 1 wq(s) out of 1\n" });
    assert.equal(attr("wq1.0", "state"), "disabled");
  }
  await step(["disable-device", "iax1"], { stderr: "disabled 1 device(s) out of 1\n" });
  assert.equal(attr("iax1", "state"), "disabled");
  await step(["config-wq", "--group-id=0", "--mode=dedicated", "--type=kernel", "--priority=10", "--name=iaa_crypto", "--driver-name=crypto", "iax1/wq1.0"], { stderr: "" });
  const want: Record<string, string> = { mode: "dedicated", group_id: "0", priority: "10", type: "kernel", name: "iaa_crypto", driver_name: "crypto" };
  for (const [k, v] of Object.entries(want)) assert.equal(attr("wq1.0", k), v, k);
  await step(["config-engine", "iax1/engine1.0", "--group-id=0"], { stderr: "" });
  assert.equal(attr("engine1.0", "group_id"), "0");
  await step(["enable-device", "iax1"], { stderr: "enabled 1 device(s) out of 1\n" });
  assert.equal(attr("iax1", "state"), "enabled");
  await step(["enable-wq", "iax1/wq1.0"], { stderr: "enabled 1 wq(s) out of 1\n" });
  assert.equal(attr("wq1.0", "state"), "enabled");
  assert.match(rig!.read("/sys/bus/dsa/drivers/crypto/wq1.0/name"), /^iaa_crypto\n$/);
  // save-config: the enabled devices, as the clone saves them
  const saved = await intel("save-config", "-s", `${rig!.cwd}/saved.conf`);
  assert.equal(saved.code, 0, saved.stderr);
  assert.equal(rig!.machine("accel-config save-config -s /tmp/saved.conf").code, 0);
  assert.equal(normalize(readFileSync(join(rig!.cwd, "saved.conf"), "utf8"), dropSaved), normalize(rig!.read("/tmp/saved.conf"), dropSaved));
  await step(["disable-wq", "iax1/wq1.0"], { stderr: "disabled 1 wq(s) out of 1\n" });
  assert.equal(attr("wq1.0", "state"), "disabled");
  await step(["disable-device", "iax1"], { stderr: "disabled 1 device(s) out of 1\n" });
  assert.equal(attr("iax1", "state"), "disabled");
});

test("load-config -e -c with every profile Debian ships, on dsa0", { timeout: T }, async (t) => {
  if (!gate(t, prereq)) return;
  const profiles = readdirSync(PROFILES).filter((f) => f.endsWith(".conf")).sort();
  assert.ok(profiles.length >= 4, profiles.join(" "));
  for (const p of profiles) {
    if (attr("dsa0", "state") === "enabled") await step(["disable-device", "dsa0"]);
    // the profiles have trailing commas, which json-c (accel-config's parser) accepts
    const cfg = JSON.parse(readFileSync(join(PROFILES, p), "utf8").replace(/,(\s*[\]}])/g, "$1")) as { dev: string; groups: { grouped_workqueues?: { dev: string; size: number; mode: string; name: string }[] }[] }[];
    await step(["load-config", "-e", "-c", join(PROFILES, p)]);
    assert.equal(attr("dsa0", "state"), "enabled", p);
    for (const g of cfg[0]!.groups) {
      for (const wq of g.grouped_workqueues ?? []) {
        assert.equal(attr(wq.dev, "state"), "enabled", `${p} ${wq.dev}`);
        assert.equal(attr(wq.dev, "size"), String(wq.size), `${p} ${wq.dev} size`);
        assert.equal(attr(wq.dev, "mode"), wq.mode, `${p} ${wq.dev} mode`);
        assert.equal(attr(wq.dev, "name"), wq.name, `${p} ${wq.dev} name`);
      }
    }
  }
});
