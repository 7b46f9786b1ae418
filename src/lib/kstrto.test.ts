import { test } from "node:test";
import assert from "node:assert/strict";
import { kstrtobool, kstrtouint, procDointvecMinmax, sysfsStreq } from "./kstrto.js";

test("kstrtobool() reads the first characters like the kernel", () => {
  assert.equal(kstrtobool("true"), true);
  assert.equal(kstrtobool("F"), false);
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
  assert.equal(kstrtouint("50\n", 0), 50);
  assert.equal(kstrtouint("+7", 0), 7);
  assert.equal(kstrtouint("0x10", 0), 16);
  assert.equal(kstrtouint("010", 0), 8);
  assert.equal(kstrtouint("-1", 0), -22);
  assert.equal(kstrtouint("5 \n", 0), -22);
  assert.equal(kstrtouint("abc", 0), -22);
  assert.equal(kstrtouint("4294967296", 0), -34);
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
