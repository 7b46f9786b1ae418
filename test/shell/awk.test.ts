/**
 * The machine's awk against the host's awk (Debian's mawk 1.3.4): the same
 * program on the same input gives the same output and status, case by case
 * (skipped with the reason where the host has no awk; Debian always has one).
 * Left out: mawk's own substr() with a start before 1 and a length
 * (`substr("hello", -1, 3)` is "hell" in mawk 1.3.4, "h" in POSIX and gawk;
 * the machine's awk gives "h").
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bootWorld } from "../../src/host/world.js";
import { machineShell } from "../helpers/machine_shell.js";

const INPUT = "0000:6a:01.0 System peripheral: Intel Corporation Device 0b25\n0000:6a:02.0 System peripheral: Intel Corporation Device 0cfe\niax1 enabled 8 128\niax3 disabled 0 64\n\nwq1.0 dedicated 32 kernel\nwq3.0 shared 16 user\n";
const PASSWD = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\n";
const CASES: string[][] = [
  ["{print $1}"], ["{print $NF}"], ["{print NF, NR}"], ["/0cfe/{print $1}"], ["/iax/ && $2 == \"enabled\" {print $1, $4}"],
  ["-F:", "{print $1, $7}", "passwd"], ["-F", ":", "$3 >= 1 {n++} END {print n}", "passwd"], ["BEGIN{FS=\":\"; OFS=\"-\"} {$1=$1; print}", "passwd"],
  ["{s += $3} END {print s, s/NR}"], ["NR==3, NR==5"], ["/iax1/,/wq1/ {print NR\": \"$0}"], ["END{print NR}"], ["NF == 0 {print \"blank at\", NR}"],
  ["{print length($0), length}"], ["{print substr($1, 2, 3), index($0, \"Intel\")}"], ["{n = split($1, a, \":\"); print n, a[1], a[n]}"],
  ["{gsub(/0/, \"o\"); print}"], ["{c = sub(/[0-9]+/, \"<&>\", $1); print c, $1}"], ["{print toupper($2), tolower(\"ABC\")}"],
  ["{printf \"%-6s|%5d|%x|%.2f|%c\\n\", $1, $3, $3, $3/7, 65}"], ["{printf(\"%s %s\\n\", NR, $1)}"], ["{print $1 > \"/dev/stderr\"}"],
  ["BEGIN {x[\"a\"]=1; x[\"b\"]=2; delete x[\"a\"]; for (k in x) print k, x[k]; print length(x)}"], ["BEGIN {print 1e6, 1e16, 0.1+0.2, 100000*100000, 1/3, 2^10, -7%3, int(-3.7)}"],
  ["BEGIN {print 1 == 1.0, \"10\" < \"9\", 10 < 9, \"a\" < \"b\"}"], ["{print ($3 < $4), ($3 \"\" < $4 \"\")}"], ["$3 > 10"], ["!/wq/"],
  ["{ if ($3 > 16) print \"big\", $1; else if ($3 > 0) print \"small\", $1; else print \"none\" }"], ["BEGIN { for (i = 1; i <= 3; i++) s = s i; print s; while (j < 2) j++; print j; do k++; while (k < 5); print k }"],
  ["function f(x, y) { y = x * 2; return y } {print f($3)}"], ["function g(a) { a[\"k\"] = 5 } BEGIN { g(arr); print arr[\"k\"] }"],
  ["BEGIN { printf \"%5.1e|%g|%g|%G|%08.3f|%+d|% d|%o|%X|%%\\n\", 12345.678, 0.0001234, 123456789, 1e-10, 3.14159, 5, 7, 8, 255 }"],
  ["{ a[$2]++ } END { for (k in a) n++; print n }"], ["NR % 2 == 0 { next } { print NR }"], ["NR == 2 { exit 3 } { print }"], ["BEGIN { exit } END { print \"end\" }"],
  ["-v", "x=5", "BEGIN { print x + 1 }"], ["{ print v, $1 }", "v=1", "passwd"], ["BEGIN { RS = \"\" } { print NR\": \"$1 }"], ["BEGIN { ORS = \";\" } { print $1 } END { printf \"\\n\" }"],
  ["{ $2 = \"X\"; print; print NF }"], ["{ $7 = \"Y\"; print }"], ["{ NF = 2; print }"], ["BEGIN { s = \"a.b.c\"; n = gsub(/\\./, \"/\", s); print n, s }"],
  ["BEGIN { print match(\"foobar\", /o+/), RSTART, RLENGTH; print match(\"x\", /y/), RSTART, RLENGTH }"], ["BEGIN { print substr(\"hello\", 0), substr(\"hello\", 2), substr(\"hello\", 2, 100) }"],
  ["BEGIN { x = \"3x\"; print x + 0, +\"\", -\" 12 \" }"], ["$1 ~ /^wq/ { print $1 } $1 !~ /^0/ { c++ } END { print c }"], ["BEGIN { a = 1; b = a++ + ++a; print a, b }"],
  ["BEGIN { print (1,2) in z; z[1,2] = 3; print ((1,2) in z) }"], ["BEGIN { print length() }"], ["{ print $(NF-1) }"], ["BEGIN { printf \"%s\" }"], ["BEGIN { print -0, 1/0 > \"/dev/null\" }"],
  ["BEGIN { getline line < \"passwd\"; print line; while ((getline l < \"passwd\") > 0) n++; print n }"], ["NR == 1 { getline; print \"after getline:\", $1 }"],
  ["BEGIN { x }"], ["{ print $1"], ["{ print FILENAME, FNR }", "in.txt", "nosuch", "passwd"], ["BEGIN { print \"a\" \"b\", \"c\" }"], ["BEGIN{printf \"%d %d %d\\n\", \"12abc\", 3.99, -2.5}"],
];

function hostAwk(): boolean {
  return spawnSync("awk", ["BEGIN{print 1}"], { encoding: "utf8" }).stdout === "1\n";
}

test("awk: the machine's and the host's awk agree on output and status, case by case", (t) => {
  if (!hostAwk()) {
    if (process.env.CI === "true") assert.fail("CI=true but the host has no awk");
    t.skip("the host has no awk to compare with");
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "iaa-awk-"));
  writeFileSync(join(dir, "in.txt"), INPUT);
  writeFileSync(join(dir, "passwd"), PASSWD);
  const w = bootWorld("tiny");
  w.stack.machine.vfs.writeFile("/root/in.txt", INPUT);
  w.stack.machine.vfs.writeFile("/root/passwd", PASSWD);
  try {
    for (const args of CASES) {
      const files = args.some((a) => a === "passwd" || a === "in.txt") ? [] : ["in.txt"];
      const host = spawnSync("awk", [...args, ...files], { cwd: dir, encoding: "utf8" });
      const quoted = [...args, ...files].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
      const { code: status, stdout: out, stderr: err } = machineShell(w, `cd /root; awk ${quoted}`);
      const label = `awk ${args.join(" ")}`;
      assert.equal(out, host.stdout, `${label}: stdout`);
      assert.equal(status, host.status, `${label}: status (stderr: ${err} / host: ${host.stderr})`);
      assert.equal(err === "", host.stderr === "", `${label}: a message where the host has ${host.stderr === "" ? "none" : JSON.stringify(host.stderr)} (ours: ${JSON.stringify(err)})`);
      if (/cannot open/.test(host.stderr)) assert.equal(err, host.stderr, `${label}: stderr`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("awk: endless recursion and, where Ctrl-C cannot reach it, an endless loop end with one line and status 2", () => {
  const w = bootWorld("tiny");
  const deep = machineShell(w, "awk 'function f(n) { return f(n + 1) } BEGIN { f(1) }'");
  assert.equal(deep.code, 2);
  assert.equal(deep.stderr, "awk: run time error: function call nesting deeper than 400\n");
  const fine = machineShell(w, "awk 'function g(n) { return n < 300 ? g(n + 1) : n } BEGIN { print g(1) }'");
  assert.equal(fine.code, 0, fine.stderr);
  const endless = machineShell(w, "awk 'BEGIN { while (1) n++ }'; echo after");
  assert.equal(endless.code, 0);
  assert.equal(endless.stderr, "awk: run time error: more than 16777216 loop iterations in a session without Ctrl-C; stopped\n");
});
