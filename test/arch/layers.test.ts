/**
 * Layer check: every import in src/ goes downward (see docs/ARCHITECTURE.md),
 * no folder imports another folder's `_private.ts` file, and there are no
 * import cycles between files.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { repoRoot } from "../helpers/repo_root.js";

/** Layer → the layers it may import (besides itself). */
export const ALLOWED: Record<string, readonly string[]> = {
  lib: [],
  deflate: ["lib"],
  mm: ["lib"],
  hw: ["lib", "mm", "deflate"],
  kernfs: ["lib"],
  crypto: ["lib", "mm", "deflate"],
  "driver/core": ["lib", "mm", "kernfs", "crypto"],
  "driver/idxd": ["lib", "mm", "kernfs", "crypto", "hw", "driver/core"],
  "driver/iaa_crypto": ["lib", "mm", "kernfs", "crypto", "hw", "driver/core", "driver/idxd"],
  zswap: ["lib", "mm", "crypto", "kernfs"],
  system: ["lib", "deflate", "mm", "hw", "kernfs", "crypto", "driver/core", "driver/idxd", "driver/iaa_crypto", "zswap"],
  accfg: ["lib", "kernfs"],
  shell: ["lib", "deflate", "mm", "kernfs", "crypto", "system", "accfg"],
  host: ["lib", "deflate", "mm", "hw", "kernfs", "crypto", "driver/core", "driver/idxd", "driver/iaa_crypto", "zswap", "system", "accfg", "shell"],
  cli: ["lib", "deflate", "mm", "hw", "kernfs", "crypto", "driver/core", "driver/idxd", "driver/iaa_crypto", "zswap", "system", "accfg", "shell", "host"],
};

const srcDir = join(repoRoot(), "src");

function layerOf(file: string): string | undefined {
  const rel = relative(srcDir, file).split(sep).join("/");
  for (const l of Object.keys(ALLOWED).sort((a, b) => b.length - a.length)) {
    if (rel === l || rel.startsWith(l + "/")) return l;
  }
  return undefined;
}

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listTs(p));
    else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

/** Relative import specifiers of a source file, resolved to .ts paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const re = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
  const out: string[] = [];
  for (const m of text.matchAll(re)) {
    const spec = m[1] ?? m[2]!;
    if (!spec.startsWith(".")) continue;
    out.push(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
  }
  return out;
}

test("every source file belongs to a layer", () => {
  const orphans = listTs(srcDir).filter((f) => layerOf(f) === undefined);
  assert.deepEqual(orphans, []);
});

test("imports only go to allowed lower layers and never into another folder's _private files", () => {
  const bad: string[] = [];
  for (const file of listTs(srcDir)) {
    const from = layerOf(file)!;
    for (const target of importsOf(file)) {
      if (!target.startsWith(srcDir)) {
        bad.push(`${relative(srcDir, file)} imports outside src: ${target}`);
        continue;
      }
      const to = layerOf(target);
      if (to === undefined) {
        bad.push(`${relative(srcDir, file)} imports unknown ${relative(srcDir, target)}`);
        continue;
      }
      if (to !== from && !ALLOWED[from]!.includes(to)) {
        bad.push(`${relative(srcDir, file)} (${from}) imports ${relative(srcDir, target)} (${to})`);
      }
      const base = target.split(sep).pop()!;
      if (base.startsWith("_") && dirname(target) !== dirname(file)) {
        bad.push(`${relative(srcDir, file)} imports private ${relative(srcDir, target)}`);
      }
    }
  }
  assert.deepEqual(bad, []);
});

test("there are no import cycles between source files", () => {
  const graph = new Map<string, string[]>();
  for (const f of listTs(srcDir)) graph.set(f, importsOf(f).filter((t) => graph.has(t) || t.startsWith(srcDir)));
  const state = new Map<string, 1 | 2>();
  const cycles: string[] = [];
  const stack: string[] = [];
  function visit(f: string): void {
    state.set(f, 1);
    stack.push(f);
    for (const t of graph.get(f) ?? []) {
      if (!graph.has(t)) continue;
      const s = state.get(t);
      if (s === 1) cycles.push([...stack.slice(stack.indexOf(t)), t].map((x) => relative(srcDir, x)).join(" -> "));
      else if (s === undefined) visit(t);
    }
    stack.pop();
    state.set(f, 2);
  }
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  assert.deepEqual(cycles, []);
});

test("the layer check detects a forbidden edge", () => {
  // deflate may not import kernfs: the check's own table must say so.
  assert.equal(ALLOWED["deflate"]!.includes("kernfs"), false);
  assert.equal(ALLOWED["hw"]!.includes("driver/idxd"), false);
  assert.equal(ALLOWED["accfg"]!.includes("system"), false);
});
