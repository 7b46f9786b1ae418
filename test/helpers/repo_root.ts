/**
 * The repository root, found by walking up from this file to package.json.
 * Works both from test/ (run through tsx) and from dist/test/ (compiled).
 */
import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
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

/**
 * The documentation the procedure tests run: `$IAA_EMU_DOC` (a path to an
 * iaa-crypto.rst) if set, else `../shared/spec/iaa-crypto.rst` beside the
 * repository. `path` is null when there is none; `why` says what was looked for.
 */
export function projectDoc(): { path: string | null; why: string } {
  const env = process.env["IAA_EMU_DOC"];
  if (env !== undefined && env !== "") {
    const p = isAbsolute(env) ? env : resolve(process.cwd(), env);
    return existsSync(p) ? { path: p, why: `IAA_EMU_DOC=${env}` } : { path: null, why: `IAA_EMU_DOC=${env} does not exist` };
  }
  const p = specPath("iaa-crypto.rst");
  return existsSync(p) ? { path: p, why: p } : { path: null, why: `no documentation: set IAA_EMU_DOC to an iaa-crypto.rst (looked for ${p})` };
}

/** The kernel's English original of the documentation, committed as a test fixture (test/fixtures/doc/README.md). */
export function englishDoc(): string {
  return join(repoRoot(), "test", "fixtures", "doc", "iaa-crypto.en.rst");
}

/** Under CI=true a missing prerequisite fails the test instead of skipping it. */
export function inCi(): boolean {
  return process.env["CI"] === "true";
}
