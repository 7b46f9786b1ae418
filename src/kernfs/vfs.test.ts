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
