import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_BENCH_CONFIG } from "../src/system/bench/bench_machine.js";
import { fillPage } from "../src/system/bench/content.js";
import { runZswap } from "../src/system/bench/zswap_workload.js";
import { PAGE, runBare } from "./_bare_codec.js";

test("the bare codec of bench:zswap does the very codec jobs the stack's engines do", () => {
  const P = 2;
  const M = 300;
  const pages = new Uint8Array(new SharedArrayBuffer(P * M * PAGE));
  for (let k = 0; k < P * M; k++) fillPage(pages.subarray(k * PAGE, (k + 1) * PAGE), "mix", 5, k);
  const bare = runBare(pages, 0, P * M);
  const stack = runZswap({ config: DEFAULT_BENCH_CONFIG, processes: P, pages: M, content: "mix", seed: 5 });
  assert.equal(bare.wrong, 0);
  assert.equal(stack.mismatches, 0);
  assert.ok(stack.zswap.rejectCompressFail > 0 && stack.zswap.storedPages > 0, "the mix has pages that fit and pages that do not");
  assert.deepEqual({ compress: bare.compress, decompress: bare.decompress }, stack.engineOps);
});
