import { test } from "node:test";
import assert from "node:assert/strict";
import { JsonObject, jsonGetInt, jsonGetString, jsonTokenerParse, toJsonPretty } from "./json.js";

test("pretty printer matches json-c JSON_C_TO_STRING_PRETTY", () => {
  const o = new JsonObject().add("dev", "iax1/wq1.0").add("n", -2).add("a", []).add("o", new JsonObject()).add("l", [1, new JsonObject().add("k", "v")]);
  assert.equal(
    toJsonPretty([o]),
    '[\n  {\n    "dev":"iax1\\/wq1.0",\n    "n":-2,\n    "a":[\n    ],\n    "o":{\n    },\n    "l":[\n      1,\n      {\n        "k":"v"\n      }\n    ]\n  }\n]',
  );
  assert.equal(toJsonPretty([]), "[\n]");
  assert.equal(toJsonPretty("tab\there\u0001"), '"tab\\there\\u0001"');
});

test("non-strict tokener: comments, trailing commas, single quotes, key order kept", () => {
  const v = jsonTokenerParse("/* c */ [ { 'dev':\"wq1.0\", // x\n \"size\": 16, \"x\":[1,2,], }, ] trailing junk");
  assert.ok(Array.isArray(v));
  const o = v[0];
  assert.ok(o instanceof JsonObject);
  assert.deepEqual(o.entries.map((e) => e[0]), ["dev", "size", "x"]);
  assert.deepEqual(o.get("x"), [1, 2]);
  assert.equal(jsonTokenerParse("[ {\"a\":1 "), undefined);
  assert.equal(jsonTokenerParse(""), undefined);
  const dup = jsonTokenerParse('{"a":1,"b":2,"a":3}');
  assert.ok(dup instanceof JsonObject);
  assert.deepEqual(dup.entries, [["a", 3], ["b", 2]]);
});

test("json_object_get_int/get_string conversions", () => {
  assert.deepEqual(jsonGetInt("16"), { value: 16, ok: true });
  assert.deepEqual(jsonGetInt("abc"), { value: 0, ok: false });
  assert.deepEqual(jsonGetInt(true), { value: 1, ok: true });
  assert.deepEqual(jsonGetInt(4294967296), { value: 2147483647, ok: true });
  assert.equal(jsonGetString(16), "16");
  assert.equal(jsonGetString(null), null);
});
