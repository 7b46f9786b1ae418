import { test } from "node:test";
import assert from "node:assert/strict";
import { parseFstabSwaps } from "./fstab.js";

test("parseFstabSwaps() keeps swap entries with pri= and noauto", () => {
  const text = [
    "# /etc/fstab",
    "UUID=abc / ext4 defaults 0 1",
    "/dev/sda2 none swap sw,pri=5 0 0",
    "/swap\\040file none swap noauto 0 0",
    "/dev/sdb1 none swap defaults",
    "broken",
  ].join("\n");
  const { entries, errors } = parseFstabSwaps(text);
  assert.deepEqual(
    entries.map((e) => [e.spec, e.prio, e.noauto, e.line]),
    [
      ["/dev/sda2", 5, false, 3],
      ["/swap file", undefined, true, 4],
      ["/dev/sdb1", undefined, false, 5],
    ],
  );
  assert.deepEqual(errors, ["parse error at line 6 -- ignored"]);
});
