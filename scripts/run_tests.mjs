// Runs every compiled test file (dist/**/*.test.js) with node --test.
// Node 20's --test takes no glob, and given a directory it also runs every
// .js file under a `test` directory (helpers such as dist/test/helpers/cli.js),
// so the files are listed here. Extra arguments go to node --test.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

function find(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...find(p));
    else if (e.name.endsWith(".test.js")) out.push(p);
  }
  return out;
}

const files = find("dist").sort();
const r = spawnSync(process.execPath, ["--test", "--test-reporter=spec", ...process.argv.slice(2), ...files], { stdio: "inherit" });
process.exit(r.status ?? 1);
