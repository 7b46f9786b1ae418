import { test } from "node:test";
import assert from "node:assert/strict";
import { DynamicDebug } from "./dyndbg.js";

const SITES = [
  { func: "iaa_compress", file: "drivers/crypto/intel/iaa/iaa_crypto_main.c", line: 1650, format: "desc->src1_addr %llx" },
  { func: "rebalance_wq_table", file: "drivers/crypto/intel/iaa/iaa_crypto_main.c", line: 880, format: "nr_nodes=%d" },
];

test("DynamicDebug.exec() switches a module's sites with +p, -p and =p, and refuses malformed queries", () => {
  const d = new DynamicDebug();
  d.register("iaa_crypto", SITES);
  assert.equal(d.enabled("iaa_crypto", "iaa_compress"), false);
  assert.equal(d.exec("module iaa_crypto +p"), 0);
  assert.equal(d.enabled("iaa_crypto", "iaa_compress"), true);
  assert.equal(d.exec("module iaa_crypto func rebalance_wq_table -p"), 0);
  assert.equal(d.enabled("iaa_crypto", "rebalance_wq_table"), false);
  assert.equal(d.enabled("iaa_crypto", "iaa_compress"), true);
  assert.equal(d.exec("file iaa_crypto_main.c =pf"), 0);
  assert.match(d.show(), /iaa_crypto_main\.c:880 \[iaa_crypto\]rebalance_wq_table =pf "nr_nodes=%d"/);
  for (const bad of ["module iaa_crypto", "module iaa_crypto +x", "bogus iaa_crypto +p", "module +p"]) assert.equal(d.exec(bad), -22, bad);
  assert.equal(d.exec("module nothing_loaded +p"), 0, "no match is not an error");
});

test("DynamicDebug remembers module queries and applies them when the module loads again", () => {
  const d = new DynamicDebug();
  d.register("iaa_crypto", SITES);
  d.exec("module iaa_crypto +p");
  d.unregister("iaa_crypto");
  assert.equal(d.enabled("iaa_crypto", "iaa_compress"), false);
  d.register("iaa_crypto", SITES);
  assert.equal(d.enabled("iaa_crypto", "iaa_compress"), true);
  d.exec("module iaa_crypto -p");
  d.unregister("iaa_crypto");
  d.register("iaa_crypto", SITES);
  assert.equal(d.enabled("iaa_crypto", "iaa_compress"), false, "the later -p wins");
});
