/**
 * uPlot's script and style, read from node_modules (the dashboard serves
 * them, the HTML report inlines them; never a CDN).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

let cached: { js: string; css: string } | null = null;

/** uPlot.iife.min.js (defines the global `uPlot`) and uPlot.min.css. */
export function uplotAssets(): { js: string; css: string } {
  if (cached !== null) return cached;
  const require = createRequire(import.meta.url);
  // the package's "exports" hide package.json; its main entry sits in dist/
  const dist = dirname(require.resolve("uplot"));
  cached = { js: readFileSync(join(dist, "uPlot.iife.min.js"), "utf8"), css: readFileSync(join(dist, "uPlot.min.css"), "utf8") };
  return cached;
}
