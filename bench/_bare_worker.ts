/**
 * Worker of bench/zswap.ts's two-thread bare-codec run: waits for "go", runs
 * its share of the pages through the bare codec, replies with its time.
 */
import { parentPort, workerData } from "node:worker_threads";
import { runBare } from "./_bare_codec.js";

const { pages, from, to, warm } = workerData as { pages: SharedArrayBuffer; from: number; to: number; warm: number };
const view = new Uint8Array(pages);
runBare(view, from, Math.min(to, from + warm));
parentPort!.postMessage("ready");
parentPort!.once("message", () => {
  const t = performance.now();
  const ops = runBare(view, from, to);
  parentPort!.postMessage({ ms: performance.now() - t, ops });
});
