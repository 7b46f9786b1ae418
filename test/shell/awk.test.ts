/**
 * The machine's awk against the host's awk (Debian's mawk 1.3.4): the same
 * program on the same input gives the same output and status, case by case,
 * and whole shell lines (pipes to and from commands, system(), ARGV, the
 * options, records read as needed) give the same output, messages and
 * status under the host's bash and the machine's shell (skipped with the
 * reason where the host has no mawk 1.3.4; Debian always has one).
 * Left out: mawk's own substr() with a start before 1 and a length
 * (`substr("hello", -1, 3)` is "hell" in mawk 1.3.4, "h" in POSIX and gawk;
 * the machine's awk gives "h"), and commands that fail inside `system()` or
 * a pipe (the host's /bin/sh is dash, whose messages differ from bash's).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bootWorld, type World } from "../../src/host/world.js";
import { hostAndMachine, lazyShell } from "../helpers/differential.js";
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

/** Whole shell lines, run by bash on the host and by the machine's shell. */
const SCRIPTS: string[] = [
  // records read as needed: exit and head stop the reading (PIPESTATUS shows the writer's SIGPIPE), RS as a character, a regex and paragraphs across 64 KiB chunks; a record split by the FS it was read with; %g
  "yes | awk 'NR==3{exit}'; echo \"${PIPESTATUS[@]}\"",
  "yes | awk 'NR==2{print NR\": \"$0; exit 4}'; echo \"${PIPESTATUS[@]}\"",
  "yes | awk '{print NR}' | head -3; echo \"${PIPESTATUS[@]}\"",
  "yes abc | awk '/abc/{n++} n==5{print n; exit}'; echo \"${PIPESTATUS[@]}\"",
  "yes | awk 'NR==2{exit} END{print \"end\", NR}'; echo \"${PIPESTATUS[@]}\"",
  "yes | awk '{getline; getline; print NR; exit}'; echo \"${PIPESTATUS[@]}\"",
  "awk 'BEGIN{while(1) print \"y\"}' | head -2; echo \"${PIPESTATUS[@]}\"",
  "awk 'BEGIN{for(i=0;;i++) printf \"%d\\n\", i}' | sed 3q; echo \"${PIPESTATUS[@]}\"",
  "yes | awk '{print}' | awk 'NR==3{exit}'; echo \"${PIPESTATUS[@]}\"",
  "seq 1 200000 | awk '{s+=$1} END{print s, NR}'",
  "seq 1 100000 | awk 'BEGIN{RS=\"0\\n\"} END{print NR, $0}'",
  "seq 1 100000 | awk -v RS='[05]\\n' 'NR%1000==0{print NR\": \"$0}'",
  "seq 1 60000 | awk '{print; if (NR%7==0) print \"\"; if (NR%11==0) print \"\\n\"}' | awk 'BEGIN{RS=\"\"} {n+=NF} END{print NR, n, $1}'",
  "seq 1 30000 | awk 'BEGIN{RS=\"9\"} {n++} END{print n}'",
  "printf 'a b\\n\\n\\n\\nc d\\ne\\n\\n' | awk 'BEGIN{RS=\"\"} {print NR\": \"$0\"|\"NF}'",
  "printf '\\n\\n\\nfirst\\n\\nsecond' | awk 'BEGIN{RS=\"\"} {print NR\"[\"$0\"]\"}'",
  "printf 'a:b\\nc:d\\n\\ne' | awk 'BEGIN{RS=\"\"; FS=\":\"} {print NF\": \"$2}'",
  "printf 'a1b22c333d' | awk 'BEGIN{RS=\"[0-9]+\"}{print NR\": \"$0}'",
  "printf 'xAyAz' | awk -v RS=A '{print NR, $0}'",
  "printf 'one\\ntwo\\nthree' | awk -v RS=o '{print NR\"<\"$0\">\"}'",
  "printf 'a\\nb\\n' | awk 'BEGIN{RS=\"\\n\"} NR==1{RS=\"x\"} {print NR\": \"$0}'",
  "echo 'a:b c' | awk '{ FS = \":\"; print $1 }'",
  "printf 'a:b\\nc:d\\n' | awk '{ FS = \":\"; print $1 }'",
  "awk 'BEGIN { printf \"%g %g %g %g %G\\n\", 1e10, 1e-10, 123456, 1234567, 1e100 }'",
  // print | cmd and printf | cmd: the command runs when its pipe is closed (close(), or at exit before standard output is flushed), close() gives its status, fflush()
  "awk 'BEGIN{print \"a\"; print \"b\" | \"cat\"; print \"c\"}'",
  "awk 'BEGIN{print \"b\" | \"sort\"; print \"a\" | \"sort\"; print \"c\"}'",
  "awk 'BEGIN{print \"1\" | \"cat\"; print \"2\" | \"cat -n\"; print \"3\" | \"cat\"}'",
  "awk 'BEGIN{print \"x\" | \"cat\"; print \"c\"; close(\"cat\"); print \"d\"}'",
  "awk 'BEGIN{print \"x\" | \"cat\"; print close(\"cat\"); print close(\"cat\"); print close(\"nosuch\")}'",
  "awk 'BEGIN{print \"x\" | \"exit 3\"; print close(\"exit 3\")}'",
  "awk 'BEGIN{printf \"%s-%d\\n\", \"p\", 7 | \"cat\"; printf(\"%s\\n\", \"q\") | \"cat\"}'",
  "awk 'BEGIN{printf \"no newline\" | \"cat\"; print \" after\"}'",
  "awk '{print $1 | \"sort -r\"} END{close(\"sort -r\"); print \"done\"}' in.txt",
  "awk -F: '{print $1 | \"tr a-z A-Z\"}' passwd",
  "awk 'BEGIN{print \"x\" | \"cat 1>&2\"; print \"y\"}'",
  "awk 'BEGIN{cmd = \"wc -l\"; for (i = 0; i < 5; i++) print i | cmd; close(cmd); print \"after\"}'",
  "awk 'BEGIN{print \"a\" | \"cat\"; fflush(\"cat\"); print \"b\"}'",
  "awk 'BEGIN{print fflush(), fflush(\"nosuch\"), fflush(\"/dev/stdout\")}'",
  "awk 'BEGIN{print \"x\" > \"out1\"; print fflush(\"out1\"); close(\"out1\"); getline l < \"out1\"; print l}'; rm -f out1",
  "awk 'END { print \"e\" | \"cat\"; exit 3 }' passwd; echo $?",
  "awk 'BEGIN { print \"b\" | \"cat\"; exit 2 } END { print \"end\" }'; echo $?",
  "echo \"3 4\" | awk '{ print $1 | \"cat\"; print $2 }'",
  "awk 'BEGIN { print \"to-stdout\" > \"-\"; close(\"-\"); getline l < \"-\"; print \"[\" l \"]\" }' < passwd; cat ./-; rm -f ./-",
  "awk 'BEGIN { print \"x\" > \"/dev/stdout\"; print fflush(\"-\"), fflush(\"/dev/stdout\"), fflush(\"/dev/stderr\"), fflush(\"\") }'",
  "awk -F: '$3 > 0 {print $1 | \"sort\"; n++} END {close(\"sort\"); print n \" users\"}' passwd",
  "awk '{ sum[$2] += $3 } END { for (k in sum) print k, sum[k] | \"sort\" }' in.txt",
  "awk 'BEGIN { print \"echo 1; exit 4\" | \"sh\"; print close(\"sh\") }'",
  // a redirection's target is a whole expression, as in mawk's grammar
  "awk 'BEGIN { print \"x\" > \"o\" > \"p\"; close(0); getline l < \"0\"; print \"[\" l \"]\" }'; ls 0 o p; rm -f 0",
  "awk 'BEGIN { x = 1; print \"y\" > x ? \"t1\" : \"t2\"; close(\"t1\"); getline l < \"t1\"; print l }'; ls t1 t2; rm -f t1 t2",
  "awk '{ print $1 > $2 \".out\" } END { close(\"enabled.out\"); while ((getline l < \"enabled.out\") > 0) print \"e:\", l }' in.txt; ls *.out; rm -f *.out",
  // a command that exits early: awk meets SIGPIPE when more than a pipe's worth is left unread (status 141), system() and close() give 141
  "awk -v n=10 'BEGIN{for(i=0;i<n;i++) print \"x\" | \"head -1\"; print \"after\"}'; echo \"rc=$?\"",
  "awk -v n=100000 'BEGIN{for(i=0;i<n;i++) print \"x\" | \"head -1\"; print \"after\"}'; echo \"rc=$?\"",
  "seq 1 100000 | awk '{print | \"head -2\"} END{print \"end\"}'; echo rc=$?",
  "awk 'BEGIN{system(\"yes | head -1\"); print \"after\"}'; echo rc=$?",
  "awk 'BEGIN{system(\"yes\"); print \"after\"}' | head -1; echo \"${PIPESTATUS[@]}\"",
  "awk 'BEGIN{\"yes\" | getline; print $0, close(\"yes\")}'",
  // cmd | getline [var]: $0 and NF but not NR, one command per name until close(), stdout flushed before it starts
  "awk 'BEGIN{\"exit 3\" | getline; print close(\"exit 3\")}'",
  "awk 'BEGIN{\"echo hello world\" | getline; print NF, $2, NR}'",
  "awk 'BEGIN{\"echo hello world\" | getline line; print line, NF}'",
  "awk 'BEGIN { while ((\"echo a; echo b; echo c\" | getline l) > 0) print \"got\", l; print close(\"echo a; echo b; echo c\") }'",
  "awk 'BEGIN { \"echo 1; echo 2\" | getline a; \"echo 1; echo 2\" | getline b; print a, b }'",
  "awk 'BEGIN { c = \"echo 1\"; c | getline a; close(c); c | getline b; print a, b }'",
  "awk 'BEGIN { print (\"echo x\" | getline), (\"echo x\" | getline), (\"true\" | getline) }'",
  "awk 'BEGIN { \"printf \\\"a:b\\\\nc:d\\\\n\\\"\" | getline; FS = \":\"; print $1; \"printf \\\"a:b\\\\nc:d\\\\n\\\"\" | getline; print $1 }'",
  "awk '{ \"echo x\" | getline; print NR, FNR, $0 }' passwd",
  "awk 'NR==1{ \"cat passwd\" | getline first; print \"first:\", first } END { print NR }' in.txt",
  "awk 'BEGIN{print \"a\"; \"echo b >&2\" | getline; print \"c\"}' 2>&1",
  "awk 'BEGIN { while (\"echo a; echo b\" | getline line) n++; print n, line }'",
  "awk 'BEGIN { if (\"echo a\" | getline > 0) print \"yes\", $0 }'",
  "awk 'BEGIN { print \"x\" > \"o\" \"ut1\"; close(\"out1\"); getline l < \"out1\"; print l }'; rm -f out1",
  "awk 'BEGIN { \"echo a b c\" | getline $2; print; print NF }'",
  // system() flushes every output first; files are buffered until close()
  "awk 'BEGIN{print system(\"exit 3\")}'",
  "awk 'BEGIN{print \"a\"; system(\"echo b\"); print \"c\"}'",
  "awk 'BEGIN{print \"x\" > \"out1\"; system(\"cat out1\"); print \"y\"}'; rm -f out1",
  "awk '{system(\"echo sys \" $1)}' passwd",
  "echo hi | awk 'BEGIN{system(\"cat\"); print \"after\"}'",
  "awk 'BEGIN{print \"x\" > \"out1\"; getline l < \"out1\"; print \"[\" l \"]\"}'; rm -f out1",
  "awk 'BEGIN{print \"x\" > \"out1\"; close(\"out1\"); getline l < \"out1\"; print \"[\" l \"]\"}'; rm -f out1",
  "awk 'BEGIN{print \"a\" > \"out1\"; print \"b\" >> \"out1\"; close(\"out1\"); print \"c\" >> \"out1\"; close(\"out1\"); while ((getline l < \"out1\") > 0) print l}'; rm -f out1",
  "awk 'BEGIN{getline < \"passwd\"; print NR, FNR, NF, $0; getline x < \"passwd\"; print NR, x}'",
  "awk 'BEGIN{print (getline < \"nosuch\"), close(\"nosuch\"), close(\"passwd\")}'",
  // ENVIRON, ARGV and ARGC (changed by the program), assignments among the operands, FILENAME, getline from the main input
  "X=42 awk 'BEGIN{print ENVIRON[\"X\"], ENVIRON[\"X\"] + 1, length(ENVIRON[\"nosuch\"])}'",
  "export Y='a b'; awk 'BEGIN{print ENVIRON[\"Y\"]; for (k in ENVIRON) if (k == \"Y\") n++; print n}'",
  "awk 'BEGIN{print ARGC; for(i=0;i<ARGC;i++) print i, ARGV[i]}' passwd a=1 -x",
  "awk 'BEGIN{ARGV[1]=\"passwd\"; ARGC=2} {print $0}' nosuch",
  "echo stdin | awk 'BEGIN{ARGV[1]=\"\"} {print FILENAME \": \" $0}' nosuch",
  "awk 'BEGIN{ARGV[ARGC++]=\"passwd\"} END{print NR, FILENAME}'",
  "awk 'BEGIN{ARGC=1} {print FILENAME, $0}' nosuch < passwd",
  "awk '{print v, FILENAME, FNR}' v=1 passwd v=2 in.txt | head -4",
  "echo x | awk '{print v}' v=5",
  "echo x | awk 'END{print v}' v=6",
  "echo x | awk '{print FILENAME \"|\" $0}'",
  "echo x | awk '{print FILENAME \"|\" $0}' - passwd | head -2",
  "awk 'BEGIN{delete ARGV[1]} {print FILENAME; exit}' nosuch passwd",
  "awk '{getline x; print NR, FNR, x}' passwd",
  "awk 'NR == 1 { ARGV[2] = \"passwd\"; ARGC = 3 } END { print NR }' passwd",
  "awk 'BEGIN { getline; print \"got\", $0; getline; print \"then\", $0 }' passwd",
  "awk 'BEGIN { while ((getline l) > 0) n++; print n, NR }' passwd",
  "awk 'BEGIN { getline l < \"-\"; print l }' < passwd",
  // rand() is glibc's random() over RAND_MAX, seeded by srand() (clamped to ±INT_MAX), which gives the previous seed
  "awk 'BEGIN{srand(1); printf \"%.17g %.17g\\n\", rand(), rand(); srand(0); printf \"%.17g\\n\", rand(); srand(-3); printf \"%.17g\\n\", rand(); srand(2.7); printf \"%.17g %s\\n\", rand(), srand(5)}'",
  "awk 'BEGIN{srand(42); for (i = 0; i < 5; i++) printf \"%d \", int(rand() * 100); print \"\"}'",
  "awk 'BEGIN{srand(1e20); printf \"%.17g\\n\", rand(); srand(-1e20); printf \"%.17g\\n\", rand(); srand(2147483648); printf \"%.17g\\n\", rand()}'",
  // mawk's options, usage, -W version and messages
  "awk -W version",
  "awk -Wv",
  "awk -Wversion 'BEGIN{print 1}'",
  "awk -W usage",
  "awk -W help",
  "awk",
  "awk -x",
  "awk --version",
  "awk --help 'BEGIN{}'",
  "awk -W bogus 'BEGIN{print 1}'",
  "awk -W 'bogus,v'",
  "awk -f",
  "awk -v",
  "awk -F",
  "awk -W",
  "awk -f nosuch",
  "awk -v x",
  "awk -Ft '{print $1}' in.txt",
  "awk -F '\\t' 'BEGIN{printf \"[%s]\\n\", FS}'",
  "awk -- 'BEGIN{print ARGV[1]}' -x",
  "awk -Wi 'BEGIN{print \"interactive\"}'",
  "awk -W interactive '{print; fflush()}' passwd",
  "printf 'BEGIN{print \"p1\"}\\n' > p1.awk; printf 'END{print \"p2\", NR}' > p2.awk; awk -f p1.awk -f p2.awk passwd; rm -f p1.awk p2.awk",
  "printf '{print \"exec\", $1}' > p1.awk; awk -W exec p1.awk passwd; rm -f p1.awk",
  "awk -",
  "awk -v 'a=1' -F: -v 'b=\\t' 'BEGIN{print a, FS, \"[\" b \"]\"}'",
  "awk -W random 5 'BEGIN{print rand()}'; echo \"rc=$?\"",
  "awk -W random=5 'BEGIN{print rand(), srand()}'",
  "awk -W sprintf 'BEGIN{print 1}'; echo \"rc=$?\"",
  "awk -W sprintf=2000 'BEGIN{print 1}'; echo \"rc=$?\"",
  "awk -W posix_space 'BEGIN{print 1}'; echo \"rc=$?\"",
  "awk -W exec",
  "awk -W dump",
  // errors that stop awk with status 2, and what reaches stderr in order
  "awk 'BEGIN{print \"x\" > \"/nonexist/f\"}'",
  "awk 'BEGIN{print \"x\" > \"/tmp\"}'",
  "awk 'BEGIN{getline x < \"/tmp\"; print \"r\"}'",
  "awk '{print}' /tmp",
  "awk 'END{print NR}' passwd nosuch",
  "awk 'BEGIN{printf \"a\" > \"/dev/stderr\"; printf \"b\" | \"cat 1>&2\"; printf \"c\" > \"/dev/stderr\"}' 2>&1",
  "awk 'BEGIN{print \"x\" > \"/dev/stderr\"; print \"y\"; print \"z\" > \"/dev/stderr\"}' 2>&1",
];

/** in.txt and passwd in a host scratch directory and in the machine's /root, for cases run on both sides. */
function inputFiles(): { dir: string; w: World } {
  const dir = mkdtempSync(join(tmpdir(), "iaa-awk-"));
  writeFileSync(join(dir, "in.txt"), INPUT);
  writeFileSync(join(dir, "passwd"), PASSWD);
  const w = bootWorld("tiny");
  w.stack.machine.vfs.writeFile("/root/in.txt", INPUT);
  w.stack.machine.vfs.writeFile("/root/passwd", PASSWD);
  return { dir, w };
}

function hostAwk(): boolean {
  return spawnSync("awk", ["BEGIN{print 1}"], { encoding: "utf8" }).stdout === "1\n";
}

test("awk: the machine's and the host's awk agree on output and status, case by case", (t) => {
  if (!hostAwk()) {
    if (process.env.CI === "true") assert.fail("CI=true but the host has no awk");
    t.skip("the host has no awk to compare with");
    return;
  }
  const { dir, w } = inputFiles();
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

function hostMawk(): boolean {
  return spawnSync("awk", ["-W", "version"], { encoding: "utf8" }).stdout.startsWith("mawk 1.3.4 20200120\n");
}

test("awk: whole shell lines give the host's output, messages and status (pipes, getline from commands, system, ARGV, options, streaming)", (t) => {
  if (!hostMawk()) {
    if (process.env.CI === "true") assert.fail("CI=true but the host's awk is not mawk 1.3.4 20200120");
    t.skip("the host's awk is not mawk 1.3.4 20200120");
    return;
  }
  const { dir, w } = inputFiles();
  try {
    const wrong: string[] = [];
    const show = (x: unknown): string => JSON.stringify(x);
    for (const line of SCRIPTS) {
      const { host, mach } = hostAndMachine(w, dir, line);
      if (mach.stdout !== host.stdout) wrong.push(`${line}: stdout ${show(mach.stdout)}, mawk ${show(host.stdout)}`);
      else if (mach.stderr !== host.stderr) wrong.push(`${line}: stderr ${show(mach.stderr)}, mawk ${show(host.stderr)}`);
      else if (mach.code !== host.status) wrong.push(`${line}: status ${mach.code}, mawk ${host.status}`);
    }
    assert.deepEqual(wrong, [], `${wrong.length} of ${SCRIPTS.length} lines differ`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("awk reads its standard input as it needs it: exit ends the reading, and a long input is never held whole", () => {
  const early = lazyShell(50_000_000, () => false);
  assert.equal(early.run("awk 'NR==3{print NR; exit}'"), 0);
  assert.equal(early.out(), "3\n");
  assert.ok(early.bytesRead() <= 1 << 17, `read ${early.bytesRead()} bytes for 3 records`);
  // paragraphs and a regex RS over chunks of 8 KiB; 8 MB counted as they stream (readAll would throw)
  const all = lazyShell(4_000_000, () => false);
  assert.equal(all.run("awk 'END{print NR, $0}'"), 0);
  assert.equal(all.out(), "4000000 y\n");
  const re = lazyShell(100_000, () => false);
  assert.equal(re.run("awk -v 'RS=y\n+' 'END{print NR}'"), 0);
  assert.equal(re.out(), "100000\n");
});

test("awk honours SIGINT: on an endless input, in an endless BEGIN loop and while a command runs it stops with status 130", () => {
  let polls = 0;
  const endless = lazyShell(Number.MAX_SAFE_INTEGER, () => ++polls > 200);
  assert.equal(endless.run("awk '{n++} END{print n}'"), 130);
  assert.equal(endless.out(), "");
  polls = 0;
  const loop = lazyShell(10, () => ++polls > 50);
  assert.equal(loop.run("awk 'BEGIN{while (1) n++}'; echo after $?"), 130);
  assert.equal(loop.out(), "");
  polls = 0;
  const printing = lazyShell(10, () => ++polls > 50);
  assert.equal(printing.run("awk 'BEGIN{while (1) print \"y\"}' | wc -l"), 130);
  assert.equal(printing.out(), "");
  polls = 0;
  const sys = lazyShell(Number.MAX_SAFE_INTEGER, () => ++polls > 200);
  assert.equal(sys.run("awk 'BEGIN{system(\"cat >/dev/null\"); print \"not reached\"}'"), 130);
  assert.equal(sys.out(), "");
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

test("awk: standard output to a terminal is unbuffered, so a prompt shows before getline waits for the answer", () => {
  const w = bootWorld("tiny");
  let out = "";
  let shownAtRead: string | null = null;
  const dec = new TextDecoder();
  const stdin = {
    read(): Uint8Array | null {
      if (shownAtRead !== null) return null;
      shownAtRead = out;
      return new TextEncoder().encode("Ada\n");
    },
    readAll(): Uint8Array {
      throw new Error("awk read all of its input at once");
    },
    readLine(): string | null {
      throw new Error("not used");
    },
  };
  const tty = { write: (s: string | Uint8Array) => void (out += typeof s === "string" ? s : dec.decode(s)), isTty: true };
  const sh = w.shell({ stdin, stdout: tty, stderr: tty });
  assert.equal(sh.runString(`awk 'BEGIN { printf "name? "; getline n < "-"; print "hi " n }'`), 0);
  assert.equal(shownAtRead, "name? ");
  assert.equal(out, "name? hi Ada\n");
});
