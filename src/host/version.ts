/**
 * Which iaa-emu this is: the package version (snapshots written by another
 * version are refused) and the build, which `npm run build` records in
 * dist/src/build.json as a hash of the compiled files (scripts/copy_assets.mjs).
 * A client that finds a machine process of another build restarts it
 * (client.ts) rather than speak a protocol that may have changed.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

let cachedVersion: string | undefined;
let cachedBuild: string | undefined;

export function emuVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  for (const up of ["../../../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(fileURLToPath(new URL(up, import.meta.url)), "utf8")) as { name?: string; version: string };
      if (pkg.name === "iaa-emu") return (cachedVersion = pkg.version);
    } catch {
      // try the next level
    }
  }
  return (cachedVersion = "0.0.0");
}

/**
 * This build's id: "VERSION+HASH" from dist/src/build.json, or "VERSION+source"
 * when running from the TypeScript sources (no build).
 */
export function buildId(): string {
  if (cachedBuild !== undefined) return cachedBuild;
  try {
    const b = JSON.parse(readFileSync(fileURLToPath(new URL("../build.json", import.meta.url)), "utf8")) as { id?: unknown };
    if (typeof b.id === "string" && /^[\w.+-]+$/.test(b.id)) return (cachedBuild = b.id);
  } catch {
    // not built
  }
  return (cachedBuild = `${emuVersion()}+source`);
}
