import { test } from "node:test";
import assert from "node:assert/strict";
import { kstrtobool, kstrtouint, procDointvecMinmax, sysfsStreq } from "./kstrto.js";
import { parseFstabSwaps } from "./fstab.js";

test("kstrtobool() reads the first characters like the kernel", () => {
  assert.equal(kstrtobool("1\n"), true);
  assert.equal(kstrtobool("Y"), true);
  assert.equal(kstrtobool("yes"), true);
  assert.equal(kstrtobool("on"), true);
  assert.equal(kstrtobool("0\n"), false);
  assert.equal(kstrtobool("N"), false);
  assert.equal(kstrtobool("off"), false);
  assert.equal(kstrtobool(""), -22);
  assert.equal(kstrtobool("2"), -22);
  assert.equal(kstrtobool("o"), -22);
});

test("kstrtouint() takes one trailing newline, auto base, refuses junk and negatives", () => {
  assert.equal(kstrtouint("50\n"), 50);
  assert.equal(kstrtouint("+7"), 7);
  assert.equal(kstrtouint("0x10"), 16);
  assert.equal(kstrtouint("010"), 8);
  assert.equal(kstrtouint("-1"), -22);
  assert.equal(kstrtouint("5 \n"), -22);
  assert.equal(kstrtouint("abc"), -22);
  assert.equal(kstrtouint("4294967296"), -34);
});

test("procDointvecMinmax() enforces the range and the syntax", () => {
  assert.equal(procDointvecMinmax("100\n", 0, 200), 100);
  assert.equal(procDointvecMinmax("  0x20  ", 0, 200), 32);
  assert.deepEqual(procDointvecMinmax("201", 0, 200), { err: -22 });
  assert.deepEqual(procDointvecMinmax("-1", 0, 200), { err: -22 });
  assert.deepEqual(procDointvecMinmax("12abc", 0, 200), { err: -22 });
  assert.deepEqual(procDointvecMinmax("\n", 0, 200), { err: -22 });
});

test("sysfsStreq() ignores one trailing newline", () => {
  assert.ok(sysfsStreq("never\n", "never"));
  assert.ok(!sysfsStreq("never\n\n", "never"));
  assert.ok(!sysfsStreq("neve", "never"));
});

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
