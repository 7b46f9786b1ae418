/** dmesg's options against util-linux 2.38.1: --help, -T, -w/-W (follow until Ctrl-C). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { VirtualClock } from "../../lib/clock.js";
import { LogLevel, Printk } from "../../lib/printk.js";
import { makeFixture } from "../../shell/test_fixture.js";
import { ctimeStamp, dmesg, DMESG_HELP } from "./dmesg.js";

function setup(interrupted?: () => boolean) {
  const clock = new VirtualClock();
  const log = new Printk(clock);
  clock.now = 1_500_000_000;
  log.printk(LogLevel.INFO, "idxd 0000:6a:02.0: Intel(R) Accelerator Device (v100)");
  const fx = makeFixture({
    hooks: {
      // virtual time passes; the machine logs one line at 3 s
      sleep: (s) => {
        const before = clock.now;
        clock.now += s * 1e9;
        if (before < 3e9 && clock.now >= 3e9) log.printk(LogLevel.INFO, "zswap: loaded using pool deflate-iaa/zsmalloc");
      },
      now: () => clock.now,
      wallClock: (ns) => Date.UTC(2026, 11, 3, 16, 0, 0) + Math.floor(ns / 1e6),
      ...(interrupted === undefined ? {} : { interrupted }),
    },
  });
  fx.shell.register("dmesg", dmesg(log));
  fx.vfs.writeFile("/usr/bin/dmesg", "\x7fELF iaa-emu:dmesg\n");
  fx.vfs.chmod("/usr/bin/dmesg", 0o755);
  return { fx, log, clock };
}

test("dmesg --help is util-linux 2.38.1's text", (t) => {
  const host = spawnSync("dmesg", ["--help"], { encoding: "utf8" });
  const { fx } = setup();
  assert.equal(fx.shell.runString("dmesg --help"), 0);
  assert.equal(fx.sinks.out(), DMESG_HELP);
  if (host.status === 0 && /2\.38\.1/.test(spawnSync("dmesg", ["--version"], { encoding: "utf8" }).stdout)) assert.equal(DMESG_HELP, host.stdout);
  else if (process.env["CI"] === "true") assert.fail("CI needs util-linux 2.38.1's dmesg (Debian package util-linux)");
  else t.diagnostic("host dmesg is not util-linux 2.38.1: compared with the recorded text only");
});

test("dmesg -T prints ctime stamps of the virtual instants", () => {
  const { fx } = setup();
  fx.shell.runString("dmesg -T");
  assert.equal(fx.sinks.out(), "[Thu Dec  3 16:00:01 2026] idxd 0000:6a:02.0: Intel(R) Accelerator Device (v100)\n");
  assert.equal(ctimeStamp(Date.UTC(2026, 0, 5, 7, 8, 9)), "[Mon Jan  5 07:08:09 2026]");
});

test("dmesg -w prints the buffer, then new lines as virtual time passes, until Ctrl-C (status 130)", () => {
  let polls = 0;
  const { fx } = setup(() => ++polls === 60);
  const st = fx.shell.runString("dmesg -w; echo not reached");
  assert.equal(st, 130);
  assert.equal(fx.sinks.out(), "[    1.500000] idxd 0000:6a:02.0: Intel(R) Accelerator Device (v100)\n[    3.000000] zswap: loaded using pool deflate-iaa/zsmalloc\n");
});

test("dmesg -W prints only new lines; without Ctrl-C in the session, --follow refuses instead of hanging", () => {
  let polls = 0;
  const a = setup(() => ++polls === 60);
  assert.equal(a.fx.shell.runString("dmesg -W"), 130);
  assert.equal(a.fx.sinks.out(), "[    3.000000] zswap: loaded using pool deflate-iaa/zsmalloc\n");
  const b = setup();
  assert.equal(b.fx.shell.runString("dmesg -w"), 1);
  assert.match(b.fx.sinks.err(), /^dmesg: --follow: this session cannot be interrupted/);
});
