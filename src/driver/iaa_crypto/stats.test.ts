import { test } from "node:test";
import assert from "node:assert/strict";
import { Errno } from "../../lib/errno.js";
import { IaaStats, newCounters, parseStatsReset, wqStatsShow, type StatsDevice } from "./stats.js";

function dev(id: number, comp: [number, number], decomp: [number, number]): StatsDevice {
  const c = { comp_calls: comp[0], comp_bytes: comp[1], decomp_calls: decomp[0], decomp_bytes: decomp[1] };
  return { id, stats: { ...c }, wqs: [{ name: "iaa_crypto", stats: { ...c } }] };
}

test("IaaStats.globalStatsShow() prints the documentation's sample byte for byte", () => {
  const s = new IaaStats(true);
  s.total_comp_calls = 4300;
  s.total_decomp_calls = 4164;
  s.total_comp_bytes_out = 5993989;
  s.total_decomp_bytes_in = 5993989;
  s.total_completion_comp_buf_overflow_errors = 136;
  assert.equal(
    s.globalStatsShow(),
    `global stats:
  total_comp_calls: 4300
  total_decomp_calls: 4164
  total_sw_decomp_calls: 0
  total_comp_bytes_out: 5993989
  total_decomp_bytes_in: 5993989
  total_completion_einval_errors: 0
  total_completion_timeout_errors: 0
  total_completion_comp_buf_overflow_errors: 136

`,
  );
});

test("wqStatsShow() prints the documentation's per-device sample byte for byte", () => {
  const devices = [dev(1, [0, 0], [0, 0]), dev(3, [0, 0], [0, 0]), dev(5, [1360, 1999776], [0, 0]), dev(7, [2940, 3994213], [4164, 5993989])];
  const block = (d: StatsDevice) => `iaa device:
  id: ${d.id}
  n_wqs: 1
  comp_calls: ${d.stats.comp_calls}
  comp_bytes: ${d.stats.comp_bytes}
  decomp_calls: ${d.stats.decomp_calls}
  decomp_bytes: ${d.stats.decomp_bytes}
  wqs:
    name: iaa_crypto
    comp_calls: ${d.stats.comp_calls}
    comp_bytes: ${d.stats.comp_bytes}
    decomp_calls: ${d.stats.decomp_calls}
    decomp_bytes: ${d.stats.decomp_bytes}

`;
  const text = wqStatsShow(devices);
  assert.equal(text, devices.map(block).join(""));
  assert.ok(text.startsWith("iaa device:\n  id: 1\n  n_wqs: 1\n"));
  assert.ok(text.includes("  id: 7\n  n_wqs: 1\n  comp_calls: 2940\n  comp_bytes: 3994213\n  decomp_calls: 4164\n  decomp_bytes: 5993989\n"));
});

test("wqStatsShow() lists every WQ of a device with a blank line after each", () => {
  const d: StatsDevice = { id: 3, stats: newCounters(), wqs: [{ name: "a", stats: newCounters() }, { name: "b", stats: newCounters() }] };
  const text = wqStatsShow([d]);
  assert.match(text, /n_wqs: 2\n/);
  assert.match(text, /name: a\n(.+\n){4}\n {4}name: b\n/);
  assert.ok(text.endsWith("decomp_bytes: 0\n\n"));
  assert.equal(wqStatsShow([]), "");
});

test("IaaStats updates move a WQ and its device together", () => {
  const s = new IaaStats(true);
  const w = newCounters();
  const d = newCounters();
  s.updateTotalCompCalls();
  s.updateWqCompCalls(w, d);
  s.updateTotalCompBytesOut(228);
  s.updateWqCompBytes(w, d, 228);
  s.updateTotalDecompCalls();
  s.updateWqDecompCalls(w, d);
  s.updateTotalDecompBytesIn(228);
  s.updateWqDecompBytes(w, d, 228);
  s.updateTotalSwDecompCalls();
  s.updateCompletionEinvalErrs();
  s.updateCompletionTimeoutErrs();
  s.updateCompletionCompBufOverflowErrs();
  assert.deepEqual(w, { comp_calls: 1, comp_bytes: 228, decomp_calls: 1, decomp_bytes: 228 });
  assert.deepEqual(d, w);
  assert.match(s.globalStatsShow(), /total_sw_decomp_calls: 1\n.*\n.*\n  total_completion_einval_errors: 1\n  total_completion_timeout_errors: 1\n  total_completion_comp_buf_overflow_errors: 1\n/);
});

test("IaaStats without CONFIG_CRYPTO_DEV_IAA_CRYPTO_STATS counts nothing", () => {
  const s = new IaaStats(false);
  const w = newCounters();
  const d = newCounters();
  s.updateTotalCompCalls();
  s.updateWqCompCalls(w, d);
  s.updateWqDecompBytes(w, d, 9);
  s.updateCompletionEinvalErrs();
  assert.equal(s.total_comp_calls, 0);
  assert.equal(s.total_completion_einval_errors, 0);
  assert.deepEqual(w, newCounters());
});

test("IaaStats.reset() zeroes globals, devices and WQs", () => {
  const s = new IaaStats(true);
  const d = dev(1, [5, 500], [4, 400]);
  s.total_comp_calls = 5;
  s.total_sw_decomp_calls = 2;
  s.total_completion_timeout_errors = 1;
  s.reset([d]);
  assert.equal(s.globalStatsShow().match(/: 0\n/g)!.length, 8);
  assert.deepEqual(d.stats, newCounters());
  assert.deepEqual(d.wqs[0]!.stats, newCounters());
});

test("parseStatsReset() takes a number like kstrtoull and refuses the rest", () => {
  for (const ok of ["1", "1\n", "0", "0x10", "42\n", "+7"]) assert.equal(parseStatsReset(ok), 0, ok);
  for (const bad of ["", "\n", "x", "-1", "1 ", "09"]) assert.equal(parseStatsReset(bad), -Errno.EINVAL, bad);
});
