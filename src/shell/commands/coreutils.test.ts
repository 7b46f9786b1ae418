/**
 * Comparison tests for the file commands: scripts whose output was recorded
 * from GNU coreutils 9.1 / grep 3.8 / gzip 1.12 under bash 5.2.15 in an empty
 * directory (`cd DIR; env -i PATH=/usr/bin:/bin bash --norc -c SETUP+SCRIPT`),
 * replayed in /tmp of the emulated file system.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { makeFixture } from "../test_fixture.js";

interface Recorded {
  setup: string;
  script: string;
  out: string;
  err: string;
  status: number;
}

const cases = JSON.parse(readFileSync(new URL("./coreutils_fixtures.json", import.meta.url), "utf8")) as Recorded[];

for (const c of cases) {
  const name = c.script.split(/[ ;|]/)[0];
  test(`${name} matches GNU: ${c.script.slice(0, 60)}`, () => {
    const fx = makeFixture();
    fx.shell.runString(`cd /tmp\n${c.setup}`);
    if (c.script.startsWith("gzip")) {
      // no gzip program here: make the archive with node:zlib instead
      fx.shell.register("gzip", (ctx) => {
        ctx.stdout.write(gzipSync(ctx.vfs.readFile(ctx.resolve(ctx.argv[2]!))));
        return 0;
      });
      fx.vfs.writeFile("/usr/bin/gzip", "\x7fELF iaa-emu:gzip\n");
      fx.vfs.chmod("/usr/bin/gzip", 0o755);
    }
    const status = fx.shell.runString(c.script);
    assert.deepEqual({ out: fx.sinks.out(), err: fx.sinks.err(), status }, { out: c.out, err: c.err, status: c.status });
  });
}
