import assert from "node:assert/strict";
import test from "node:test";
import { deserialize, serialize } from "node:v8";
import { restoreGraph, saveGraph } from "./snapshot_graph.js";

class Pool {
  free: number[] = [];
  ids: number[] = [];
  mixed: unknown[] = [];
  short: number[] = [1, 2];
}

test("all-number arrays are saved as one typed array and come back element for element", () => {
  const p = new Pool();
  for (let i = 0; i < 1000; i++) p.free.push(50_000 - i);
  p.ids = [0, -0, 1.5, NaN, Infinity, -Infinity, 2 ** 40, -7, ...Array.from({ length: 20 }, (_, i) => i)];
  p.mixed = [...Array.from({ length: 20 }, (_, i) => i), "x", { n: 1 }];
  const g = saveGraph({ p });
  const kinds = g.records.map((r) => r[0]);
  assert.equal(kinds.filter((k) => k === "n").length, 2, "free and ids typed; mixed and short not");
  const typed = g.records.filter((r) => r[0] === "n").map((r) => (r[2] as object).constructor.name).sort();
  assert.deepEqual(typed, ["Float64Array", "Int32Array"]);
  // through bytes, onto a fresh object of the same structure
  const fresh = new Pool();
  fresh.free = [9, 9, 9];
  restoreGraph(deserialize(serialize(g)) as typeof g, { p: fresh }, new Map(), [Pool.prototype]);
  assert.deepEqual(fresh.free, p.free);
  assert.ok(Object.is(fresh.ids[1], -0) && Number.isNaN(fresh.ids[3]));
  assert.deepEqual(fresh.ids, p.ids);
  assert.deepEqual(fresh.mixed, p.mixed);
  assert.deepEqual(fresh.short, [1, 2]);
  // an array with a hole, or a non-number, stays an element-by-element record
  const holes = { a: new Array<number>(20).fill(1) };
  delete holes.a[5];
  assert.equal(saveGraph({ holes }).records.some((r) => r[0] === "n"), false);
});
