// Records bash 5.2 fixtures for src/shell/bash_compat.test.ts: runs each
// script given as an argument (mode "c") with the host's bash as the existing
// ones were recorded (`env -i PATH=/usr/bin:/bin HOME=/root bash -c SCRIPT`,
// cwd /root) and appends {mode, script, out, err, status} to
// src/shell/bash_fixtures.json (a script already there is replaced).
import { readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const file = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "shell", "bash_fixtures.json");
const cases = JSON.parse(readFileSync(file, "utf8"));
const version = spawnSync("bash", ["--version"], { encoding: "utf8" }).stdout.split("\n")[0];
if (!/version 5\.2\./.test(version)) throw new Error(`needs GNU bash 5.2, found: ${version}`);
for (const script of process.argv.slice(2)) {
  const r = spawnSync("env", ["-i", "PATH=/usr/bin:/bin", "HOME=/root", "bash", "-c", script], { encoding: "utf8", cwd: "/root" });
  const rec = { mode: "c", script, out: r.stdout, err: r.stderr, status: r.status };
  const i = cases.findIndex((c) => c.mode === "c" && c.script === script);
  if (i >= 0) cases[i] = rec;
  else cases.push(rec);
}
writeFileSync(file, JSON.stringify(cases, null, 1) + "\n");
