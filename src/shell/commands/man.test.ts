/**
 * man through the shell, against the accel-config pages installed in the
 * fixture's file system: page, section and -s forms, several pages, missing
 * pages, usage errors, -w, -f, -k, case, compressed pages and $MANPATH.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { installManPages, manPageTexts } from "../../accfg/man_pages.js";
import { makeFixture } from "../test_fixture.js";

function run(script: string, setup?: (fx: ReturnType<typeof makeFixture>) => void): { out: string; err: string; status: number } {
  const fx = makeFixture();
  installManPages(fx.vfs);
  setup?.(fx);
  const status = fx.shell.runString(script);
  return { out: fx.sinks.out(), err: fx.sinks.err(), status };
}

const page = (name: string): string => manPageTexts().get(name)!;
const WQ = "accel-config-config-wq";

test("man PAGE, man 1 PAGE, man -s 1 PAGE print the page", () => {
  for (const cmd of [`man ${WQ}`, `man 1 ${WQ}`, `man -s 1 ${WQ}`, `man -s1 ${WQ}`, `man --sections=1 ${WQ}`, `man -S 8:1 ${WQ}`, `man ${WQ.toUpperCase()}`, `/usr/bin/man ${WQ}`]) {
    assert.deepEqual(run(cmd), { out: page(WQ), err: "", status: 0 }, cmd);
  }
  assert.equal(run(`man ${WQ} | head -n 1`).out, `ACCEL-CONFIG-CONFIG-WQ(1)     accel-config Manual      ACCEL-CONFIG-CONFIG-WQ(1)\n`);
  assert.equal(run(`man accel-config | grep -c '^ \\{7\\}config-'`).out, "5\n");
});

test("several pages in a row, back to back", () => {
  assert.deepEqual(run("man accel-config accel-config-list 1"), { out: page("accel-config") + page("accel-config-list"), err: "No manual entry for 1\n", status: 16 });
  assert.deepEqual(run("man 1 accel-config-enable-wq accel-config-disable-wq"), { out: page("accel-config-enable-wq") + page("accel-config-disable-wq"), err: "", status: 0 });
});

test("missing pages: No manual entry, exit 16, the found ones still shown", () => {
  assert.deepEqual(run("man nosuch"), { out: "", err: "No manual entry for nosuch\n", status: 16 });
  assert.deepEqual(run("man 1 nosuch"), { out: "", err: "No manual entry for nosuch in section 1\n", status: 16 });
  assert.deepEqual(run("man -s 1 nosuch"), { out: "", err: "No manual entry for nosuch in section 1\n", status: 16 });
  assert.deepEqual(run("man 8 accel-config"), { out: "", err: "No manual entry for accel-config in section 8\n", status: 16 });
  assert.deepEqual(run("man accel-config-list nosuch; echo rc=$?"), { out: page("accel-config-list") + "rc=16\n", err: "No manual entry for nosuch\n", status: 0 });
  assert.deepEqual(run("man -I ACCEL-CONFIG"), { out: "", err: "No manual entry for ACCEL-CONFIG\n", status: 16 });
  // "10" is not a section: it is a page name
  assert.deepEqual(run("man 10 accel-config"), { out: page("accel-config"), err: "No manual entry for 10\n", status: 16 });
  // nothing installed at all
  const bare = makeFixture();
  assert.equal(bare.shell.runString("man accel-config"), 16);
  assert.equal(bare.sinks.err(), "No manual entry for accel-config\n");
});

test("no page, a section alone, bad options: usage complaints with exit 1", () => {
  assert.deepEqual(run("man"), { out: "", err: "What manual page do you want?\nFor example, try 'man man'.\n", status: 1 });
  assert.deepEqual(run("man 1"), { out: "", err: "No manual entry for 1\n(Alternatively, what manual page do you want from section 1?)\nFor example, try 'man man'.\n", status: 1 });
  assert.deepEqual(run("man -s 1"), { out: "", err: "What manual page do you want?\nFor example, try 'man man'.\n", status: 1 });
  assert.deepEqual(run("man -y accel-config"), { out: "", err: "man: invalid option -- 'y'\nTry 'man --help' or 'man --usage' for more information.\n", status: 1 });
  assert.deepEqual(run("man --frob"), { out: "", err: "man: unrecognized option '--frob'\nTry 'man --help' or 'man --usage' for more information.\n", status: 1 });
  assert.deepEqual(run("man accel-config -s"), { out: "", err: "man: option requires an argument -- 's'\nTry 'man --help' or 'man --usage' for more information.\n", status: 1 });
  assert.deepEqual(run("man --where=x accel-config"), { out: "", err: "man: option '--where' doesn't allow an argument\nTry 'man --help' or 'man --usage' for more information.\n", status: 1 });
  assert.equal(run("man -V").out, "man 2.11.2\n");
  assert.match(run("man --help").out, /^Usage: man \[OPTION\.\.\.\] \[SECTION\] PAGE\.\.\.\n/);
});

test("-w prints where the page is; -a shows every section", () => {
  assert.deepEqual(run(`man -w ${WQ} accel-config`), { out: `/usr/share/man/man1/${WQ}.1\n/usr/share/man/man1/accel-config.1\n`, err: "", status: 0 });
  const two = (fx: ReturnType<typeof makeFixture>): void => {
    fx.vfs.mkdir("/usr/share/man/man8", { parents: true });
    fx.vfs.writeFile("/usr/share/man/man8/accel-config.8", "ACCEL-CONFIG(8)\n\nNAME\n       accel-config - section eight\n");
  };
  assert.equal(run("man -w accel-config", two).out, "/usr/share/man/man1/accel-config.1\n");
  // -a: every match, in the search order (1 n l 8 3 …)
  assert.equal(run("man -aw accel-config", two).out, "/usr/share/man/man1/accel-config.1\n/usr/share/man/man8/accel-config.8\n");
  assert.equal(run("man 8 accel-config", two).out, "ACCEL-CONFIG(8)\n\nNAME\n       accel-config - section eight\n");
  assert.equal(run("man -a accel-config", two).out, page("accel-config") + "ACCEL-CONFIG(8)\n\nNAME\n       accel-config - section eight\n");
});

test("whatis (-f) and apropos (-k) read the NAME lines", () => {
  assert.deepEqual(run("man -f accel-config-list"), { out: "accel-config-list (1) - show accelerator devices and their components as JSON\n", err: "", status: 0 });
  assert.deepEqual(run("man -f nosuch"), { out: "", err: "nosuch: nothing appropriate.\n", status: 16 });
  assert.deepEqual(run("man -f"), { out: "whatis what?\n", err: "", status: 1 });
  const k = run("man -k 'work queue'");
  assert.equal(k.status, 0);
  assert.deepEqual(k.out.split("\n").slice(0, -1).map((l) => l.split(" ")[0]), [
    "accel-config-config-user-default", "accel-config-config-wq", "accel-config-disable-wq", "accel-config-enable-wq",
  ]);
  assert.deepEqual(run("man -k nosuchxyz"), { out: "", err: "nosuchxyz: nothing appropriate.\n", status: 16 });
  assert.deepEqual(run("man -k '['"), { out: "", err: "apropos: fatal: regex `[': Invalid regular expression\n", status: 2 });
  assert.equal(run("man -k '^accel-config$'").out, "accel-config (1)     - set up and inspect Intel DSA and IAA accelerators through the idxd driver\n");
});

test("compressed pages, $MANPATH and -M, a file given by path", () => {
  const text = "FOO(7)\n\nNAME\n       foo - a compressed page\n";
  const setup = (fx: ReturnType<typeof makeFixture>): void => {
    fx.vfs.mkdir("/opt/man/man7", { parents: true });
    fx.vfs.writeFile("/opt/man/man7/foo.7.gz", new Uint8Array(gzipSync(text)));
  };
  assert.deepEqual(run("man foo", setup), { out: "", err: "No manual entry for foo\n", status: 16 });
  assert.deepEqual(run("MANPATH=/opt/man man foo", setup), { out: text, err: "", status: 0 });
  assert.deepEqual(run("man -M /opt/man foo", setup), { out: text, err: "", status: 0 });
  assert.deepEqual(run("MANPATH=/opt/man: man foo accel-config-list", setup), { out: text + page("accel-config-list"), err: "", status: 0 });
  assert.deepEqual(run("cd /usr/share/man/man1 && man ./accel-config-list.1"), { out: page("accel-config-list"), err: "", status: 0 });
});
