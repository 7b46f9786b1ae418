/**
 * The machine's sed against the host's GNU sed: the same script on the same
 * input gives the same output, messages and status, case by case (skipped
 * with the reason where the host has no GNU sed; CI installs it).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bootWorld } from "../../src/host/world.js";
import { hostAndMachine, lazyShell, type BothRan } from "../helpers/differential.js";
import { machineShell } from "../helpers/machine_shell.js";

const INPUT = "alpha one\nbeta two\ngamma three\n\ndelta four 44\nepsilon five\nzeta six\n";
/** Extra files of the cases: r and R read them, l shows the bytes of lin.txt. */
const FILES: Record<string, string> = {
  "r1.txt": "one\ntwo\n",
  "r2.txt": "X\nY",
  "lin.txt": `tab\there\\back\x01\x7f\u00e9 end\nlong: ${"0123456789".repeat(10)}\n\x07\b\f\r\v\n${"a".repeat(69)}\n${"b".repeat(68)}\t\n`,
  "sc.sed": "p\nk\n",
};
/** Files the cases write (w, W, s///w), shown after each case and removed. */
const WRITTEN = ["w1.out", "w2.out"];

const CASES: string[][] = [
  ["s/a/A/"], ["s/a/A/g"], ["s/a/A/2"], ["s/a/A/2g"], ["-n", "s/e/E/gp"], ["s/\\(a\\)\\(l\\)/\\2\\1/"], ["-E", "s/(a)(l)/\\2\\1/"],
  ["s/[[:digit:]]\\+/<&>/"], ["s/o\\?n/X/"], ["-E", "s/o?n/X/g"], ["s|t|T|g"], ["s/^/> /"], ["s/$/;/"], ["s/ .*//"], ["s/.*/\\U&/"],
  ["2d"], ["2,4d"], ["/beta/,/delta/d"], ["$d"], ["-n", "$p"], ["-n", "2p"], ["-n", "/^$/="], ["="], ["2!d"], ["/a/!s/e/E/"],
  ["3q"], ["3q5"], ["3Q"], ["2i\\\ninserted"], ["2a appended"], ["$a the end"], ["2c changed"], ["2,3c changed"], ["y/abc/xyz/"],
  ["-n", "h;n;G;p"], ["N;s/\\n/+/"], ["$!N;P;D"], ["1!G;h;$!d"], ["-n", "/gamma/{p;p}"], ["/alpha/,+2d"], ["0,/a/d"], ["2,1d"],
  ["-n", "2{p;q}"], ["s/e/E/;s/E/e/2"], ["s/x*/-/g"], ["s/\\bt/T/g"], ["-e", "s/a/1/", "-e", "s/b/2/"], ["s/a/A/I"], ["s/A/x/Ig"],
  ["k"], ["s/a/b"], ["-s", "-n", "$p", "in.txt"], ["-n", "$=", "in.txt", "nosuch.txt"], ["-i.bak", "s/a/A/", "copy.txt"],
  ["-n", "/two/,/four/{=;p}"], ["s/[^ ]*$/(&)/"], ["-E", "s/([a-z]+) ([a-z]+)/\\2 \\1/"], ["s/e/\\n/2"], ["s/a/b/x"], ["/x/"], ["p;p"], ["{p"], ["}"], ["s/\\(a\\)/\\2/"], ["-n"], ["--version"],
  // branches and labels
  [":a;N;$!ba;s/\\n/ /g"], ["-e", ":a", "-e", "N;$!ba", "-e", "s/\\n/,/g"], ["-n", "/beta/{:a;N;/four/!ba;s/\\n/+/g;p}"],
  ["s/a/A/;ta;s/$/ (no a)/;b;:a;s/$/ (a)/"], ["s/a/A/;Tx;s/$/ +/;:x"], ["s/a/A/;N;tx;s/$/-no/;b;:x;s/$/-yes/"],
  ["s/a/A/;n;tx;s/$/-no/;b;:x;s/$/-yes/"], ["-n", "bx p;:x;p"], ["-n", "2bx#c\np;:x"], ["b x"], ["{ba}"], [":a}"], [":"], ["1:a"],
  ["b;p"], ["-n", "/a/{p;bx};p;:x"], ["s/e/E/;:x;s/e/E/;tx"], ["$!N;s/x/y/;D;tx"], ["-n", "s/[aeiou]//;T;s/[aeiou]//;T;p"],
  [":a;s/^.\\{1,14\\}$/ &/;ta"], ["-e", "/gamma/b end", "-e", "s/^/-/", "-e", ":end"], ["-n", ":a#c\np;b;ba#c"],
  ["-n", "$!{N};P;D"], ["-n", "/a/{s//A/;t done};p;:done"], ["2{:x;N;4!bx;s/\\n/|/g}"],
  // first~step, ADDR,~N
  ["-n", "0~3p"], ["-n", "2~0p"], ["0~0p"], ["-n", "2,~3p"], ["-n", "5,~0p"], ["-n", "3,~3p"], ["~2p"], ["+1p"], ["1~2d"],
  ["-n", "/beta/,~4p"], ["-n", "2~3!p"], ["-n", "0~4,5p"], ["-n", "2,0~4p"], ["-n", "1~p"], ["0p"], ["0,5p"], ["0~2{=;p}"], ["2,~x p"],
  // r R w W and s///w
  ["2r r1.txt"], ["r r2.txt"], ["R r1.txt"], ["R r2.txt"], ["1R r2.txt\n1R r2.txt\n1R r2.txt"], ["r nosuch"], ["r"], ["R"],
  ["2r r1.txt;p"], ["r r1.txt\na\\\napp"], ["$!N;R r1.txt"], ["2{r r1.txt\nN}"], ["$r r2.txt"], ["w"], ["-n", "w /dev/stdout"],
  ["w /dev/stderr"], ["-n", "2w w1.out"], ["s/a/A/w w1.out"], ["-n", "/a/w w1.out\n/e/w w2.out"], ["-n", "/a/w w1.out\n/b/w w1.out"],
  ["W w1.out"], ["$!N;W w1.out"], ["w /nonexist/x"], ["-n", "1r r1.txt"], ["--sandbox", "r r1.txt"], ["--sandbox", "s/a/b/w w1.out"],
  ["1{a foo\nQ}"], ["2{a foo\nq}"], ["s/a/A/gw /dev/stdout"], ["-n", "3{r r1.txt\nR r1.txt\nw w1.out\n}", "in.txt", "nosuch.txt"],
  ["-i", "s/a/A/w /dev/stdout", "copy.txt"], ["R r1.txt", "r2.txt"],
  // l, -l, F
  ["-n", "l", "lin.txt"], ["-n", "l 20", "lin.txt"], ["-n", "l 0", "lin.txt"], ["-n", "l 1", "lin.txt"], ["-n", "l 2", "lin.txt"],
  ["-n", "-l", "30", "l", "lin.txt"], ["-n", "--line-length=1", "l"], ["-n", "$!N;l"], ["-n", "l;l 5"], ["-n", "l x"], ["-l", "x", "-n", "l"],
  ["-l", "0", "-n", "l", "lin.txt"], ["-n", "l 70", "lin.txt"], ["-n", "l 71", "lin.txt"], ["F;="], ["-s", "-n", "$=;F", "lin.txt"], ["-n", "$=;2F", "lin.txt"],
  // options, messages of -e fragments and -f files
  ["-u", "p"], ["--posix", "-n", "$p"], ["--qu", "1p"], ["--s", "p"], ["--null-data", "-n", "1p"], ["--bogus"], ["-k"],
  ["--expression=2p", "-n"], ["--line-length"], ["-e"], ["-f", "sc.sed"], ["-e", "p", "-f", "sc.sed"], ["-e", "p", "-e", "k"],
  ["-e", "p", "-e", "s/a/b"], ["-e", "p", "-e", "/a/{"], ["-e", "/a/{", "-e", "p", "-e", "}", "-n"], ["-e", "a\\", "-e", "foo"],
  ["-i", "F;$s/$/ END/", "copy.txt"], ["-s", "-n", "$w w1.out", "r1.txt"], ["-n", "-z", "l"], ["-z", "$!d"], ["-n", "0,/a/{=;p}"],
  ["s/o/0/2;T;s/e/3/w w1.out"], ["-n", "/alpha/,/gamma/{/beta/!p}"], ["-n", "y/abc/ABC/;l 12"], ["-E", "-n", "/(^| )t/{s//<&>/;p}"],
  ["--in-place=.bak", "1d", "copy.txt"], ["-n", "--separate", "1F", "r1.txt"], ["--sandbox", "-n", "p"],
  ["-e", "bx", "-e", ":x", "-n"], ["-n", "-e", "$!{N", "-e", "}", "-e", "p"], ["-s", "-n", "$p", "in.txt", "r1.txt"], ["-n", "$p", "in.txt", "r2.txt"],
];

/** Whole shell lines, run by bash on the host and by the machine's shell: stdin, -z, pipelines and their PIPESTATUS. */
const SCRIPTS: string[] = [
  "printf 'a\\0b\\0c' | sed -z 's/^/>/'", "printf 'a\\nb\\0c\\0' | sed -z 'N;l;s/\\n/+/'", "printf 'a\\nb\\n' | sed -z '$!d'",
  "printf 'x\\0y\\0' | sed -nz '$=;l;F'", "printf 'a\\0b' | sed -z 'a x'", "printf 'a\\0b\\0' | sed -z -e '1i ins' -e '2c ch' -e '$a app'",
  "printf 'a\\0b\\0' | sed -z 'G;H;x'", "printf 'a\\0b\\0c\\0' | sed -z '$!N;P;D'", "printf 'a\\0b\\0' | sed -z 'W w1.out'", "printf 'a\\nb' | sed -n 'p;P;s/b/B/p;l;=;W /dev/stdout\nw /dev/stdout\nF'",
  "yes | sed 3q; echo \"${PIPESTATUS[@]}\"", "yes | sed -n '2{p;q}'; echo \"${PIPESTATUS[@]}\"", "yes | sed 5Q7; echo \"${PIPESTATUS[@]}\"",
  "yes abc | sed -n '/abc/{=;q}'; echo \"${PIPESTATUS[@]}\"", "seq 1 200000 | sed -n '5p;$p'", "seq 1 50000 | sed -n '$='",
  "printf 'a\\nb\\nc\\n' | sed -n '$!{N;D};p'", "printf 'a\\nb\\nc' | sed p", "sed -n '$p' in.txt - < r1.txt", "sed -n '1F;$F' - < in.txt",
  "sed -n '$p' - in.txt < r2.txt", "mkdir -p dd; sed p in.txt dd; s=$?; rmdir dd; exit $s", "printf 'x\\n' | sed 'r r2.txt' - r1.txt",
  "seq 1 10 | sed -n '0~4p;$p'", "seq 1 12 | sed '3~4d;$!N;s/\\n/ /'", "yes | sed -n 'l 3;3q'", "printf 'a b\\n' | sed 's/ /\\n/;P;D'",
];


function hasGnuSed(): boolean {
  const r = spawnSync("sed", ["--version"], { encoding: "utf8" });
  return r.status === 0 && r.stdout.startsWith("sed (GNU sed)");
}

/** The same shell line run by bash on the host (in `dir`) and by the machine's shell (in /root): both streams and the status. */
function both(w: ReturnType<typeof bootWorld>, dir: string, script: string): BothRan {
  const dump = `s=$?; cat copy.txt copy.txt.bak 2>/dev/null; for f in ${WRITTEN.join(" ")}; do if [ -e $f ]; then echo "== $f"; cat $f; fi; done; exit $s`;
  for (const f of [...WRITTEN, "copy.txt.bak"]) {
    rmSync(join(dir, f), { force: true });
    if (w.stack.machine.vfs.exists(`/root/${f}`)) w.stack.machine.vfs.unlink(`/root/${f}`);
  }
  writeFileSync(join(dir, "in.txt"), INPUT);
  w.stack.machine.vfs.writeFile("/root/in.txt", INPUT);
  writeFileSync(join(dir, "copy.txt"), "a\nb a\nlast without newline a");
  w.stack.machine.vfs.writeFile("/root/copy.txt", "a\nb a\nlast without newline a");
  return hostAndMachine(w, dir, `${script}\n${dump}`);
}

test("sed: the machine's and GNU sed's output, messages and status agree on each case", (t) => {
  if (!hasGnuSed()) {
    if (process.env.CI === "true") assert.fail("CI=true but the host has no GNU sed");
    t.skip("the host has no GNU sed to compare with");
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "iaa-sed-"));
  writeFileSync(join(dir, "in.txt"), INPUT);
  const w = bootWorld("tiny");
  w.stack.machine.vfs.writeFile("/root/in.txt", INPUT);
  for (const [name, text] of Object.entries(FILES)) {
    writeFileSync(join(dir, name), text);
    w.stack.machine.vfs.writeFile(`/root/${name}`, text);
  }
  const quote = (a: string): string => `'${a.replace(/'/g, "'\\''")}'`;
  const lines = [
    ...CASES.filter((args) => args[0] !== "--version").map((args) => `sed ${[...args, "in.txt"].map(quote).join(" ")}`),
    ...SCRIPTS,
  ];
  try {
    const wrong: string[] = [];
    for (const line of lines) {
      const { host, mach } = both(w, dir, line);
      const show = (x: unknown): string => JSON.stringify(x);
      if (mach.stdout !== host.stdout) wrong.push(`${line}: stdout ${show(mach.stdout)}, GNU ${show(host.stdout)}`);
      else if (mach.stderr.split("\n")[0] !== host.stderr.split("\n")[0]) wrong.push(`${line}: stderr ${show(mach.stderr)}, GNU ${show(host.stderr)}`);
      else if (mach.code !== host.status) wrong.push(`${line}: status ${mach.code}, GNU ${host.status}`);
    }
    assert.deepEqual(wrong, [], `${wrong.length} of ${lines.length} cases differ`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("sed reads its standard input as it needs it: q ends the reading, and a long input is never held whole", () => {
  const q = lazyShell(50_000_000, () => false);
  assert.equal(q.run("sed 3q"), 0);
  assert.equal(q.out(), "y\ny\ny\n");
  assert.ok(q.bytesRead() <= 1 << 17, `read ${q.bytesRead()} bytes for 3 lines`);
  // 8 MB of input through -n '$=': counted as it streams (readAll would throw)
  const all = lazyShell(4_000_000, () => false);
  assert.equal(all.run("sed -n '$='"), 0);
  assert.equal(all.out(), "4000000\n");
});

test("sed honours SIGINT: on an endless input and in an endless loop of jumps it stops with status 130", () => {
  const endless = lazyShell(Number.MAX_SAFE_INTEGER, (out) => out.length > 0);
  assert.equal(endless.run("sed -n 5p"), 130);
  assert.equal(endless.out(), "y\n");
  let polls = 0;
  const loop = lazyShell(10, () => ++polls > 50);
  assert.equal(loop.run("sed ':a;ba'"), 130);
  assert.equal(loop.out(), "");
});

test("sed in a session without Ctrl-C stops an endless loop of jumps with a message instead of hanging", () => {
  const w = bootWorld("tiny");
  const r = machineShell(w, "echo x | sed ':a;ba'");
  assert.equal(r.code, 4);
  assert.match(r.stderr, /^sed: stopped after \d+ jumps in one cycle: this session cannot be interrupted \(no Ctrl-C\)\n$/);
});
