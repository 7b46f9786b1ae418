/** The package version (snapshots written by another version are refused). */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

export function emuVersion(): string {
  if (cached !== undefined) return cached;
  for (const up of ["../../../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(fileURLToPath(new URL(up, import.meta.url)), "utf8")) as { name?: string; version: string };
      if (pkg.name === "iaa-emu") return (cached = pkg.version);
    } catch {
      // try the next level
    }
  }
  return (cached = "0.0.0");
}
