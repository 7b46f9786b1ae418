/**
 * Debian's chromium, driven by playwright-core (no browser download), for
 * the dashboard and report tests. Outside CI a missing browser skips the
 * test with the reason; with CI=true it fails. Screenshots go to
 * test-artifacts/ at the repository root (git-ignored).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import type { Browser, BrowserContext } from "playwright-core";
import { repoRoot } from "../helpers/repo_root.js";

/** Debian's chromium (IAA_EMU_CHROMIUM overrides the path). */
export const CHROMIUM = process.env.IAA_EMU_CHROMIUM ?? "/usr/bin/chromium";

export interface Chromium {
  browser: BrowserContext;
  close(): Promise<void>;
}

/** Launches chromium with a fresh profile, or skips (fails in CI) when it is missing. */
export async function launchChromium(t: TestContext): Promise<Chromium | null> {
  const why = !existsSync(CHROMIUM) ? `no browser at ${CHROMIUM} (apt-get install -y chromium)` : null;
  let pw: typeof import("playwright-core") | null = null;
  let missing = why;
  if (missing === null) {
    try {
      pw = await import("playwright-core");
    } catch {
      missing = "playwright-core is not installed (npm install)";
    }
  }
  if (missing !== null || pw === null) {
    if (process.env.CI === "true") throw new Error(`CI=true and ${missing}`);
    t.skip(missing ?? "no browser");
    return null;
  }
  const profile = mkdtempSync(join(tmpdir(), "iaa-emu-chromium-"));
  const ctx = await pw.chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1500, height: 1000 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  return {
    browser: ctx,
    close: async () => {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Where a test keeps its screenshot (printed as a diagnostic). */
export function artifactPath(t: TestContext, name: string): string {
  const dir = join(repoRoot(), "test-artifacts");
  mkdirSync(dir, { recursive: true });
  const p = join(dir, name);
  t.diagnostic(`screenshot: ${p}`);
  return p;
}

export type { Browser };
