/**
 * The repository root, found by walking up from this file to package.json.
 * Works both from test/ (run through tsx) and from dist/test/ (compiled).
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export function repoRoot(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, "package.json")) || d.endsWith("dist")) {
    const up = dirname(d);
    if (up === d) throw new Error("repository root not found");
    d = up;
  }
  return d;
}

/** The documentation this project implements, `../shared/spec/iaa-crypto.rst`. */
export function specPath(name: string): string {
  return join(repoRoot(), "..", "shared", "spec", name);
}
