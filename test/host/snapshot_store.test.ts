/**
 * The snapshot store's commit: parts written once per content, the header
 * last; any failure leaves the last committed snapshot readable and no file
 * of the failed commit behind; damaged or missing parts are named.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "node:test";
import { SnapshotStore } from "../../src/host/snapshot_store.js";
import { StateError } from "../../src/host/state_dir.js";

const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s));
const text = (b: Uint8Array | undefined): string => Buffer.from(b ?? new Uint8Array(0)).toString();
const parts = (dir: string): string[] => readdirSync(dir).filter((n) => n.startsWith("machine.part")).sort();

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "iaa-store-"));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a part whose content the committed snapshot has is not written again; replaced parts are removed", () => {
  withDir((dir) => {
    const store = new SnapshotStore(dir);
    assert.equal(store.read(), null);
    store.commit({ body: bytes("one"), parts: { ring: bytes("ring 1"), frames: bytes("frames 1") } });
    const before = parts(dir);
    assert.equal(before.length, 2);
    const ino = new Map(before.map((n) => [n, statSync(join(dir, n)).ino]));
    // only the body changed: the part files stay as they are
    store.commit({ body: bytes("two"), parts: { ring: bytes("ring 1"), frames: bytes("frames 1") } });
    assert.deepEqual(parts(dir), before);
    for (const n of before) assert.equal(statSync(join(dir, n)).ino, ino.get(n));
    // a new ring: its file replaces the old one
    store.commit({ body: bytes("three"), parts: { ring: bytes("ring 2"), frames: bytes("frames 1") } });
    assert.equal(parts(dir).length, 2);
    assert.notDeepEqual(parts(dir), before);
    const again = new SnapshotStore(dir).read()!;
    assert.deepEqual([text(again.body), text(again.parts["ring"]), text(again.parts["frames"])], ["three", "ring 2", "frames 1"]);
  });
});

test("a commit that fails writing a part or the header keeps the last committed snapshot and leaves none of its files", () => {
  withDir((dir) => {
    const store = new SnapshotStore(dir);
    store.commit({ body: bytes("good"), parts: { ring: bytes("good ring") } });
    const good = parts(dir);
    // the part's temporary file cannot be created (as on EROFS or ENOSPC)
    mkdirSync(join(dir, `machine.part.tmp-${process.pid}`));
    assert.throws(() => store.commit({ body: bytes("bad"), parts: { ring: bytes("bad ring") } }), (e: Error) => e instanceof StateError && /^iaa: cannot save the machine state in .*: .*; the machine is back at its last saved state$/.test(e.message));
    rmSync(join(dir, `machine.part.tmp-${process.pid}`), { recursive: true });
    // the header cannot be written: the part written for it goes again
    mkdirSync(join(dir, `machine.snap.tmp-${process.pid}`));
    assert.throws(() => store.commit({ body: bytes("bad"), parts: { ring: bytes("bad ring 2") } }), StateError);
    rmSync(join(dir, `machine.snap.tmp-${process.pid}`), { recursive: true });
    assert.deepEqual(parts(dir), good);
    const r = new SnapshotStore(dir).read()!;
    assert.deepEqual([text(r.body), text(r.parts["ring"])], ["good", "good ring"]);
  });
});

test("a part a crash left behind is ignored, then removed by the next commit; a damaged or missing part is named", () => {
  withDir((dir) => {
    const store = new SnapshotStore(dir);
    store.commit({ body: bytes("b"), parts: { ring: bytes("r") } });
    const orphan = join(dir, `machine.part-${"0".repeat(64)}`);
    writeFileSync(orphan, "half of a commit");
    assert.equal(text(new SnapshotStore(dir).read()!.parts["ring"]), "r");
    store.commit({ body: bytes("c"), parts: { ring: bytes("r") } });
    assert.equal(parts(dir).length, 1);
    const [part] = parts(dir);
    writeFileSync(join(dir, part!), "R");
    assert.throws(() => new SnapshotStore(dir).read(), /^StateError: iaa: the machine state .*machine\.snap is damaged \(its part ring has a checksum mismatch\); run `iaa boot` to start over$/);
    rmSync(join(dir, part!));
    assert.throws(() => new SnapshotStore(dir).read(), /is damaged \(its part ring, .*machine\.part-[0-9a-f]{64}: No such file or directory \(ENOENT\)\); run `iaa boot`/);
  });
});
