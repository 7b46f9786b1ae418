// Copies the data files that live beside the sources (test fixtures, shipped
// accel-config configuration files) into dist/, where the compiled modules
// look for them next to themselves; then records the build's identity in
// dist/src/build.json: the package version and a hash of every file under
// dist/src (paths and contents), so two builds differ exactly when their
// code does (src/host/version.ts reads it).
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const ASSET = /\.(json|conf|sample|txt)$/;

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (ASSET.test(name)) {
      const to = join(root, "dist", relative(root, p));
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(p, to);
    }
  }
}

walk(join(root, "src"));

const buildFile = join(root, "dist", "src", "build.json");

function files(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else if (!name.endsWith(".d.ts") && !name.endsWith(".map") && p !== buildFile) out.push(p);
  }
  return out;
}

const h = createHash("sha256");
for (const p of files(join(root, "dist", "src"))) {
  h.update(relative(root, p) + "\0");
  h.update(readFileSync(p));
  h.update("\0");
}
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
writeFileSync(buildFile, JSON.stringify({ version, id: `${version}+${h.digest("hex").slice(0, 16)}` }) + "\n");
