/**
 * The CPU and NUMA files read through the machine's shell (cat, ls, grep,
 * awk) as users' scripts read them, and their names against this host's
 * own /sys/devices/system/{cpu,node}.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { bootWorld } from "../../src/host/world.js";
import { machineShell } from "../helpers/machine_shell.js";

test("cat and ls over /sys/devices/system/cpu on spr-2s: the maps, a CPU's topology, its node", () => {
  const w = bootWorld("spr-2s");
  const r = machineShell(
    w,
    [
      "cd /sys/devices/system/cpu",
      "cat online possible present offline kernel_max",
      "ls cpu0; ls cpu1",
      "cat cpu1/online",
      "cd cpu121/topology; for f in physical_package_id core_id die_id cluster_id core_cpus_list thread_siblings thread_siblings_list core_siblings_list package_cpus_list die_cpus_list; do echo \"$f=$(cat $f)\"; done",
      "ls -l core_cpus_list core_id | awk '{print $1, $5, $NF}'",
      "readlink /sys/devices/system/cpu/cpu121/node1",
      "ls -d /sys/devices/system/cpu/cpu* | wc -l",
      "cat /sys/devices/system/cpu/cpu*/topology/physical_package_id | sort | uniq -c | awk '{print $1, $2}'",
      "cat /sys/devices/system/cpu/cpu*/topology/thread_siblings_list | sort -u | wc -l",
    ].join("\n"),
  );
  assert.equal(r.stderr, "");
  assert.equal(
    r.stdout,
    [
      "0-159", "0-159", "0-159", "", "8191",
      "cache", "node0", "subsystem", "topology",
      "cache", "node0", "online", "subsystem", "topology",
      "1",
      "physical_package_id=1", "core_id=1", "die_id=0", "cluster_id=65",
      "core_cpus_list=41,121", "thread_siblings=00000000,02000000,00000000,00000200,00000000", "thread_siblings_list=41,121",
      "core_siblings_list=40-79,120-159", "package_cpus_list=40-79,120-159", "die_cpus_list=40-79,120-159",
      "-r--r--r-- 28672 core_cpus_list", "-r--r--r-- 4096 core_id",
      "../../node/node1",
      "160",
      "80 0", "80 1",
      "80",
      "",
    ].join("\n"),
  );
});

test("/sys/devices/system/node through the shell: states, each node's CPUs, meminfo and numastat", () => {
  const w = bootWorld("spr-2s");
  const r = machineShell(
    w,
    [
      "cd /sys/devices/system/node",
      "cat online possible has_cpu has_memory has_normal_memory",
      "cat node1/cpulist node1/distance",
      "ls node0 | grep -v '^cpu[0-9]'",
      "ls node0 | grep -c '^cpu[0-9]'",
      "grep -E 'MemTotal|HugePages_Total' node1/meminfo",
      "grep MemTotal node*/meminfo | awk '{s += $4} END {print s}'",
      "grep MemTotal /proc/meminfo | awk '{print $2}'",
      "grep -c . node0/numastat; grep -E '^(numa_miss|other_node) ' node0/numastat",
    ].join("\n"),
  );
  assert.equal(r.stderr, "");
  assert.equal(
    r.stdout,
    [
      "0-1", "0-1", "0-1", "0-1", "0-1",
      "40-79,120-159", "21 10",
      "cpulist", "cpumap", "distance", "meminfo", "numastat", "subsystem",
      "80",
      "Node 1 MemTotal:       268435456 kB", "Node 1 HugePages_Total:     0",
      "536870912",
      "536870912",
      "6", "numa_miss 0", "other_node 0",
      "",
    ].join("\n"),
  );
});

test("writes to online and smt/control through the shell: bash's write errors, the CPU stays online", () => {
  const w = bootWorld("tiny");
  const r = machineShell(
    w,
    [
      "echo 1 > /sys/devices/system/cpu/cpu3/online; echo rc=$?",
      "echo 0 > /sys/devices/system/cpu/cpu3/online; echo rc=$?",
      "echo off > /sys/devices/system/cpu/smt/control; echo rc=$?",
      "echo 0 > /sys/devices/system/cpu/cpu0/online; echo rc=$?",
      "cat /sys/devices/system/cpu/online /sys/devices/system/cpu/smt/control",
    ].join("\n"),
  );
  assert.equal(r.stdout, "rc=0\nrc=1\nrc=1\nrc=1\n0-7\non\n");
  assert.equal(
    r.stderr,
    "bash: line 2: echo: write error: Device or resource busy\n" +
      "bash: line 3: echo: write error: Device or resource busy\n" +
      "bash: line 4: /sys/devices/system/cpu/cpu0/online: Permission denied\n",
  );
});

test("the machine's names under /sys/devices/system/{cpu,node} are names this host's kernel uses", (t) => {
  const host = "/sys/devices/system";
  if (!existsSync(`${host}/cpu/cpu0/topology`) || !existsSync(`${host}/node/node0`)) {
    t.skip("this host has no /sys/devices/system/cpu/cpu0/topology or node/node0");
    return;
  }
  const w = bootWorld("tiny");
  const vfs = w.stack.machine.vfs;
  const pairs: [string, string][] = [
    ["cpu", "cpu"],
    ["cpu/cpu0", "cpu/cpu0"],
    ["cpu/cpu1", "cpu/cpu1"],
    ["cpu/cpu1/topology", "cpu/cpu1/topology"],
    ["node", "node"],
    ["node/node0", "node/node0"],
  ];
  const cpuN = /^cpu\d+$/;
  for (const [mine, theirs] of pairs) {
    if (!existsSync(`${host}/${theirs}`)) continue;
    const hostNames = new Set(readdirSync(`${host}/${theirs}`).map((n) => (cpuN.test(n) ? "cpuN" : n)));
    for (const n of vfs.readdir(`/sys/devices/system/${mine}`)) {
      // a virtual machine's CPUs may report no caches (no cache/ directory)
      if (n === "cache" && !existsSync(`${host}/${theirs}/cache`)) continue;
      const k = cpuN.test(n) ? "cpuN" : n;
      assert.ok(hostNames.has(k), `${host}/${theirs} has ${n}`);
    }
  }
  // cpu0 has no online file here and on this host's kernel (x86: the boot CPU is not hotpluggable)
  if (existsSync(`${host}/cpu/cpu1/online`)) assert.equal(existsSync(`${host}/cpu/cpu0/online`), vfs.exists("/sys/devices/system/cpu/cpu0/online"));
});
