/**
 * The documentation's procedures, read from an iaa-crypto.rst at test time
 * and run unchanged on the default emulated machine (spr-2s), with their
 * output compared to what the documentation shows. They run against the
 * project's documentation (`$IAA_EMU_DOC`, else ../shared/spec/iaa-crypto.rst;
 * skipped with the reason when there is none, failed under CI=true) and
 * against the kernel's English original (test/fixtures/doc/iaa-crypto.en.rst).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { bootWorld, type World } from "../../src/host/world.js";
import { BufferSink } from "../../src/shell/io.js";
import { englishDoc, inCi, projectDoc } from "../helpers/repo_root.js";
import { blockStartingWith, docScripts, dmesgPattern, dmesgShape, literalBlocks, readRst, scriptStdout, transcript } from "./_rst.js";

function run(w: World, text: string, kind: "c" | "script" = "c"): { status: number; out: string; err: string } {
  const stdout = new BufferSink();
  const stderr = new BufferSink();
  const sh = w.shell({ stdout, stderr });
  const status = kind === "c" ? sh.runString(text) : sh.runScript(text, "./script.sh");
  return { status, out: stdout.text(), err: stderr.text() };
}

function lspciLines(w: World): string[] {
  return w.stack.machine.pci.filter((p) => p.device === 0x0cfe).map((p) => `${p.addr.slice(5)} System peripheral: Intel Corporation Device 0cfe`);
}

function stat(w: World, file: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of w.stack.machine.vfs.readText(file).matchAll(/^\s*(\w+): (\d+)$/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

/** A dmesg line of the documentation that stands for "more of the same" (`.`, `...`). */
const ellipsis = (l: string): boolean => /^\.+$/.test(l.trim());

function procedureTests(label: string, rstPath: string): void {
  const rst = readRst(rstPath);
  test(`${label}: the zswap test runs as documented: states, debug switches, zswap set-up, memory_madvise, dmesg, teardown`, () => {
    const w = bootWorld();
    // modprobe iaa_crypto (the first block that is only that command; the set-up script's is inside the script)
    const load = blockStartingWith(rst, "modprobe iaa_crypto");
    assert.deepEqual(run(w, load.lines.join("\n")), { status: 0, out: "", err: "" });

    // "# cat …/state" → "enabled", and every other "# command" of the first part
    const blocks = literalBlocks(rst).filter((b) => b.line > load.line && b.lines[0]!.startsWith("# ") && b.line < rst.slice(0, rst.indexOf("./memory_madvise 100")).split("\n").length);
    assert.ok(blocks.length >= 3, "state, debug and zswap blocks found");
    for (const b of blocks) {
      for (const step of transcript(b)) {
        const r = run(w, step.cmd);
        assert.equal(r.status, 0, `${step.cmd}: ${r.err}`);
        assert.equal(r.err, "");
        assert.equal(r.out, step.out.map((l) => l + "\n").join(""), step.cmd);
      }
    }
    assert.equal(w.stack.machine.vfs.readText("/sys/module/zswap/parameters/compressor"), "deflate-iaa\n");

    // ./memory_madvise 100 and its four lines (the variant that matches the program's printf()s)
    const madviseBlocks = literalBlocks(rst).filter((b) => b.lines[0] === "./memory_madvise 100");
    const expected = madviseBlocks[madviseBlocks.length - 1]!.lines.slice(1).filter((l) => l !== "");
    // the program prints the documentation's language: English where the machine's locale is English
    const english = /^[\x20-\x7e]+$/.test(expected.join(""));
    const before = stat(w, "/sys/kernel/debug/iaa-crypto/global_stats");
    const r = run(w, english ? "LANG=en_US.UTF-8 ./memory_madvise 100" : "./memory_madvise 100");
    assert.equal(r.status, 0, r.err);
    assert.deepEqual(r.out.trimEnd().split("\n"), expected);
    const after2 = stat(w, "/sys/kernel/debug/iaa-crypto/global_stats");
    assert.equal(after2["total_comp_calls"]! - before["total_comp_calls"]!, 100);
    assert.equal(after2["total_decomp_calls"]! - before["total_decomp_calls"]!, 100);
    const zswp = Object.fromEntries([...w.stack.machine.vfs.readText("/proc/vmstat").matchAll(/^(zswpin|zswpout) (\d+)$/gm)].map((m) => [m[1], Number(m[2])]));
    assert.deepEqual(zswp, { zswpin: 100, zswpout: 100 });

    // the documented dmesg lines, in order, for the first page out and in
    const dmesg = w.stack.machine.ctx.log.format();
    const docLines = literalBlocks(rst).find((b) => b.lines[0]!.startsWith("[  404.202972]") && b.line > madviseBlocks[madviseBlocks.length - 1]!.line)!.lines;
    let from = 0;
    for (const l of docLines.filter((x) => !ellipsis(x))) {
      const re = dmesgPattern(l);
      const i = dmesg.findIndex((d, k) => k >= from && re.test(d));
      assert.ok(i >= 0, `dmesg has no line like: ${l}\n${re}`);
      from = i + 1;
    }

    // teardown
    const teardown = blockStartingWith(rst, "echo lzo > /sys/module/zswap/parameters/compressor", madviseBlocks[madviseBlocks.length - 1]!.line);
    const t = run(w, teardown.lines.join("\n"));
    assert.equal(t.status, 0, t.err);
    assert.equal(w.stack.machine.vfs.readText("/sys/module/zswap/parameters/enabled"), "N\n");
  });

  test(`${label}: the set-up script runs as written and re-enables every IAA for iaa_crypto`, () => {
    const w = bootWorld();
    run(w, "modprobe iaa_crypto; echo -n 'module iaa_crypto +p' > /sys/kernel/debug/dynamic_debug/control");
    const { setup } = docScripts(rst);
    const r = run(w, setup, "script");
    assert.equal(r.status, 0, r.err);
    const lspci = lspciLines(w);
    assert.equal(lspci.length, 8);
    const exp = scriptStdout(setup, lspci);
    assert.equal(exp.length, 52, "every echo of the script is expected");
    assert.deepEqual(r.out.trimEnd().split("\n"), exp);
    for (let i = 1; i < 16; i += 2) {
      assert.equal(w.stack.machine.vfs.readText(`/sys/bus/dsa/devices/iax${i}/state`), "enabled\n");
      assert.equal(w.stack.machine.vfs.readText(`/sys/bus/dsa/devices/iax${i}/wq${i}.0/state`), "enabled\n");
    }
    const dmesg = w.stack.machine.ctx.log.format();
    assert.ok(dmesg.some((l) => / iaa_crypto: iaa_crypto_enable: iaa_crypto now ENABLED$/.test(l)));
    // with debug output on, binding the WQs prints the documented lines (same devices, functions and numbers)
    const doc = literalBlocks(rst).find((b) => b.lines[0]!.includes("add_iaa_wq"))!.lines.filter((l) => !ellipsis(l)).map(dmesgShape);
    const ours = dmesg.map(dmesgShape);
    const at = ours.findIndex((_, i) => doc.every((d, k) => ours[i + k] === d));
    assert.ok(at >= 0, `dmesg has no run of lines shaped like the documentation's:\n${doc.join("\n")}`);
    const enabled = literalBlocks(rst).find((b) => b.lines.length === 1 && b.lines[0]!.includes("iaa_crypto_enable"))!;
    assert.ok(ours.includes(dmesgShape(enabled.lines[0]!)));
  });

  test(`${label}: the disable script runs as written and leaves every IAA disabled`, () => {
    const w = bootWorld();
    run(w, "modprobe iaa_crypto");
    const { disable } = docScripts(rst);
    const r = run(w, disable, "script");
    assert.equal(r.status, 0, r.err);
    const exp = scriptStdout(disable, lspciLines(w));
    assert.equal(exp.length, 30);
    assert.deepEqual(r.out.trimEnd().split("\n"), exp);
    for (let i = 1; i < 16; i += 2) assert.equal(w.stack.machine.vfs.readText(`/sys/bus/dsa/devices/iax${i}/state`), "disabled\n");
    // with every WQ unbound, the module can be removed, as the documentation ends
    assert.deepEqual(run(w, "rmmod iaa_crypto"), { status: 0, out: "", err: "" });
  });
}

const doc = projectDoc();
if (doc.path !== null) procedureTests("the documentation", doc.path);
else if (inCi()) test("the documentation's procedures (CI: the documentation is required)", () => assert.fail(doc.why));
else test("the documentation's procedures", (t) => t.skip(doc.why));
procedureTests("the kernel's English original", englishDoc());
