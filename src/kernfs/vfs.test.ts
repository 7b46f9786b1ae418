import { test } from "node:test";
import assert from "node:assert/strict";
import { KnDir } from "./node.js";
import { Vfs } from "./vfs.js";

test("a tmpfs directory's mtime moves when an entry is created, removed or renamed in it (find -newer, ls -lt rely on it)", () => {
  let t = 1000;
  const vfs = new Vfs(new KnDir("tmpfs", 0o755), () => t);
  vfs.mkdir("/d");
  vfs.mkdir("/e");
  const steps: [string, () => void, string[]][] = [
    ["create", () => vfs.writeFile("/d/f", "x"), ["/d"]],
    ["mkdir", () => vfs.mkdir("/d/sub"), ["/d"]],
    ["symlink", () => vfs.symlink("f", "/d/l"), ["/d"]],
    ["rename", () => vfs.rename("/d/f", "/e/f"), ["/d", "/e"]],
    ["unlink", () => vfs.unlink("/e/f"), ["/e"]],
    ["rmdir", () => vfs.rmdir("/d/sub"), ["/d"]],
  ];
  for (const [what, op, dirs] of steps) {
    t += 1000;
    const before = new Map(["/d", "/e"].map((p) => [p, vfs.stat(p).mtime]));
    op();
    for (const p of ["/d", "/e"]) assert.equal(vfs.stat(p).mtime, dirs.includes(p) ? t : before.get(p), `${what}: ${p}`);
  }
  // rewriting a file's content is not a change of its directory's entries
  t += 1000;
  const d = vfs.stat("/d").mtime;
  vfs.writeFile("/d/g", "1");
  t += 1000;
  vfs.writeFile("/d/g", "2");
  assert.equal(vfs.stat("/d").mtime, d + 1000);
  assert.equal(vfs.lstat("/d/l").mtime, 4000);
});

test("a device node stats as chr/blk with its number and group, size 0, and reads and writes through show/store", () => {
  const root = new KnDir("tmpfs", 0o755);
  const dev = root.add("dev", new KnDir("devtmpfs"));
  let stored = "";
  dev.device("null", "chr", 0o666, 1, 3, () => "", (b) => ((stored += b), 0));
  dev.device("sda", "blk", 0o660, 8, 0, () => "disk", () => 0, 6);
  const vfs = new Vfs(root);
  const n = vfs.stat("/dev/null");
  assert.deepEqual([n.type, n.rdevMajor, n.rdevMinor, n.size, n.mode, n.gid, n.devMajor, n.devMinor], ["chr", 1, 3, 0, 0o666, 0, 0, 6]);
  const b = vfs.lstat("/dev/sda");
  assert.deepEqual([b.type, b.rdevMajor, b.rdevMinor, b.gid], ["blk", 8, 0, 6]);
  vfs.writeFile("/dev/null", "x");
  assert.equal(stored, "x");
  assert.equal(vfs.readText("/dev/sda"), "disk");
  const d = vfs.stat("/dev");
  assert.deepEqual([d.type, d.rdevMajor, d.uid, d.gid], ["dir", 0, 0, 0]);
});
