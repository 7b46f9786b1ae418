/**
 * Commands that read the machine's sysfs/procfs: lspci, ls -l on sysfs, nproc,
 * free, zcat /proc/config.gz, date, uname; and installBinaries().
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { makeFixture } from "../test_fixture.js";
import { installBinaries } from "../install_binaries.js";
import { countCpuList } from "./sysinfo.js";
import { columns } from "./ls.js";

const CLOCK = { now: () => 3600e9, wallClock: (ns: number) => Date.UTC(2026, 10, 23, 20, 0, 0) + ns / 1e6 };

function run(script: string): { out: string; err: string; status: number } {
  const fx = makeFixture({ hooks: CLOCK });
  const status = fx.shell.runString(script);
  return { out: fx.sinks.out(), err: fx.sinks.err(), status };
}

test("lspci lists the PCI functions like pciutils, with -d, -s, -n, -nn and -k", () => {
  const r = run("lspci; lspci -d:0cfe; lspci -n -d 8086:0cfe; lspci -nn -s e7:02.0; lspci -k -d ::0880 -s 6a:; lspci -d 8086:0b25 | wc -l");
  assert.equal(r.err, "");
  assert.equal(
    r.out,
    [
      "00:00.0 System peripheral: Intel Corporation Ice Lake Memory Map/VT-d (rev 04)",
      "6a:02.0 System peripheral: Intel Corporation Device 0cfe",
      "e7:02.0 System peripheral: Intel Corporation Device 0cfe",
      "6a:02.0 System peripheral: Intel Corporation Device 0cfe",
      "e7:02.0 System peripheral: Intel Corporation Device 0cfe",
      "6a:02.0 0880: 8086:0cfe",
      "e7:02.0 0880: 8086:0cfe",
      "e7:02.0 System peripheral [0880]: Intel Corporation Device [8086:0cfe]",
      "6a:02.0 System peripheral: Intel Corporation Device 0cfe",
      "\tKernel driver in use: idxd",
      "0",
      "",
    ].join("\n"),
  );
});

test("lspci -x on a function whose config cannot be read warns like pciutils", () => {
  const r = run("lspci -x -s 00:00.0");
  assert.deepEqual([r.out, r.err], ["00:00.0 System peripheral: Intel Corporation Ice Lake Memory Map/VT-d (rev 04)\nWARNING: Cannot show hex-dump of the config space\n\n", ""]);
});

test("lspci rejects bad filters and options", () => {
  assert.deepEqual(run("lspci -d zz:"), { out: "", err: "lspci: -d: Invalid vendor ID\n", status: 2 });
  assert.deepEqual(run("lspci -d :12345"), { out: "", err: "lspci: -d: Invalid device ID\n", status: 2 });
  assert.deepEqual(run("lspci -q"), { out: "", err: "lspci: invalid option -- 'q'\nUsage: lspci [<switches>]\n", status: 2 });
});

test("ls -l shows sysfs symlinks with size 0, targets and total 0", () => {
  const r = run("ls -l /sys/bus/pci/devices; ls /sys/bus/dsa/devices/iax1; ls -ld /sys/bus/dsa/devices/iax1/wq1.0/size");
  assert.equal(r.err, "");
  assert.equal(
    r.out,
    [
      "total 0",
      "lrwxrwxrwx 1 root root 0 Nov 23 20:00 0000:00:00.0 -> ../../../devices/pci0000:00/0000:00:00.0",
      "lrwxrwxrwx 1 root root 0 Nov 23 20:00 0000:6a:02.0 -> ../../../devices/pci0000:6a/0000:6a:02.0",
      "lrwxrwxrwx 1 root root 0 Nov 23 20:00 0000:e7:02.0 -> ../../../devices/pci0000:e7/0000:e7:02.0",
      "state",
      "wq1.0",
      "-rw-r--r-- 1 root root 4096 Nov 23 20:00 /sys/bus/dsa/devices/iax1/wq1.0/size",
      "",
    ].join("\n"),
  );
});

test("ls -la on tmpfs counts blocks, pads columns and dates old files with the year", () => {
  const fx = makeFixture({ hooks: { now: () => 400 * 86400e9, wallClock: CLOCK.wallClock } });
  fx.vfs.writeFile("/tmp/a", "x".repeat(5000));
  fx.vfs.writeFile("/tmp/bb", "y");
  fx.shell.runString("ls -la /tmp");
  assert.equal(
    fx.sinks.out(),
    [
      "total 20",
      "drwxr-xr-x 2 root root 4096 Nov 23  2026 .",
      "drwxr-xr-x 9 root root 4096 Nov 23  2026 ..",
      "-rw-r--r-- 1 root root 5000 Nov 23  2026 a",
      "-rw-r--r-- 1 root root    1 Nov 23  2026 bb",
      "",
    ].join("\n"),
  );
});

test("nproc counts the online CPU list", () => {
  assert.equal(countCpuList("0-159\n"), 160);
  assert.equal(countCpuList("0,2-5,7"), 6);
  assert.deepEqual(run("nproc; nproc --ignore=10; nproc x"), { out: "160\n150\n", err: "nproc: extra operand 'x'\nTry 'nproc --help' for more information.\n", status: 1 });
});

test("free formats /proc/meminfo like procps-ng 4", () => {
  const r = run("free; free -h; free -m -t");
  assert.equal(r.err, "");
  assert.equal(
    r.out,
    [
      "               total        used        free      shared  buff/cache   available",
      "Mem:        24684092      420956    24291876        8856      196440    24263136",
      "Swap:        4194300           0     4194300",
      "               total        used        free      shared  buff/cache   available",
      "Mem:            23Gi       411Mi        23Gi       8.6Mi       191Mi        23Gi",
      "Swap:          4.0Gi          0B       4.0Gi",
      "               total        used        free      shared  buff/cache   available",
      "Mem:           24105         411       23722           8         191       23694",
      "Swap:           4095           0        4095",
      "Total:         28201         411       27818",
      "",
    ].join("\n"),
  );
});

test("zcat /proc/config.gz agrees with node:zlib", () => {
  const fx = makeFixture();
  fx.shell.runString("zcat /proc/config.gz");
  assert.equal(fx.sinks.out(), new TextDecoder().decode(gunzipSync(fx.vfs.readFile("/proc/config.gz"))));
  assert.match(fx.sinks.out(), /^CONFIG_ZSWAP=y$/m);
});

test("date and uname use the virtual clock and the machine's identity", () => {
  assert.deepEqual(run("date; date +%F_%T.%N; date -u '+%s %j'; uname; uname -srm; date -Q"), {
    out: "Mon Nov 23 21:00:00 UTC 2026\n2026-11-23_21:00:00.000000000\n1795467600 327\nLinux\nLinux 6.8.0-iaa-emu x86_64\n",
    err: "date: invalid option -- 'Q'\nTry 'date --help' for more information.\n",
    status: 1,
  });
});

test("env lists exported variables and runs a command with additions", () => {
  const r = run("export FOO=bar; env | grep -E '^(FOO|HOME)='; env X=1 sh -c 'echo $X'; env -i sh -c 'echo [$HOME]'");
  assert.deepEqual(r, { out: "HOME=/root\nFOO=bar\n1\n[]\n", err: "", status: 0 });
});

test("installBinaries() writes executable stubs that PATH lookup finds", () => {
  const fx = makeFixture();
  installBinaries(fx.vfs, ["hello"], "/opt/bin");
  fx.shell.register("hello", (ctx) => {
    ctx.stdout.write(`hello from ${ctx.argv[0]} in ${ctx.cwd}\n`);
    return 7;
  });
  assert.equal(fx.vfs.readText("/opt/bin/hello"), "\x7fELF iaa-emu:hello\n");
  assert.equal(fx.vfs.stat("/opt/bin/hello").mode & 0o777, 0o755);
  const st = fx.shell.runString('PATH=$PATH:/opt/bin; hello; echo "rc=$?"; /opt/bin/hello');
  assert.equal(st, 7);
  assert.equal(fx.sinks.out(), "hello from hello in /root\nrc=7\nhello from /opt/bin/hello in /root\n");
});

test("columns() lays names out top to bottom like GNU ls -C (tabs every 8 columns)", () => {
  // recorded from GNU ls 9.1 on a terminal with COLUMNS=80 and COLUMNS=40
  const names = ["accel-config", "cat", "dmesg", "free", "lspci", "modprobe", "nproc", "rmmod", "swapoff", "swapon", "zcat"];
  assert.equal(columns(names, 80), "accel-config  dmesg  lspci     nproc  swapoff  zcat\ncat\t      free   modprobe  rmmod  swapon\n");
  assert.equal(columns(names, 40), "accel-config  free\tnproc\t swapon\ncat\t      lspci\trmmod\t zcat\ndmesg\t      modprobe\tswapoff\n");
  assert.equal(columns(["a"], 10), "a\n");
});
