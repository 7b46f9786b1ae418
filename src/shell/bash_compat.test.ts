/**
 * Comparison tests: scripts whose stdout, stderr and status were recorded from
 * GNU bash 5.2.15 (`env -i PATH=/usr/bin:/bin HOME=/root bash -c SCRIPT`, or
 * `bash s.sh a1 a2` for mode "script") and replayed here.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { makeFixture } from "./test_fixture.js";

interface Recorded {
  mode: "c" | "script";
  script: string;
  out: string;
  err: string;
  status: number;
}

const cases = JSON.parse(readFileSync(new URL("./bash_fixtures.json", import.meta.url), "utf8")) as Recorded[];

for (const c of cases) {
  test(`Shell matches bash 5.2 (${c.mode}): ${JSON.stringify(c.script).slice(0, 70)}`, () => {
    const fx = makeFixture({ env: { PATH: "/usr/bin:/bin", HOME: "/root" } });
    const status = c.mode === "c" ? fx.shell.runString(c.script) : fx.shell.runScript(c.script, "s.sh", ["a1", "a2"]);
    assert.deepEqual({ out: fx.sinks.out(), err: fx.sinks.err(), status }, { out: c.out, err: c.err, status: c.status });
  });
}
