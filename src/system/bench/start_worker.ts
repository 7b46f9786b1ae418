/**
 * Starts a worker thread on a module that sits beside the caller, compiled
 * (`.js`) or, under tsx (tests, `node --import tsx`), as TypeScript: tsx's
 * loader hooks are not inherited by workers, so a small bootstrap registers
 * tsx in the worker first, then imports the entry.
 *
 * @example
 * const w = startWorker(import.meta.url, "./codec_worker", setup);
 */
import { Worker } from "node:worker_threads";

export function startWorker(callerUrl: string, entry: string, workerData: unknown): Worker {
  const ts = callerUrl.endsWith(".ts");
  const url = new URL(`${entry}${ts ? ".ts" : ".js"}`, callerUrl);
  return ts
    ? new Worker(`import("tsx/esm/api").then((t) => { t.register(); return import(${JSON.stringify(url.href)}); });`, { eval: true, workerData })
    : new Worker(url, { workerData });
}
