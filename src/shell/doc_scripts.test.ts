/**
 * The three procedures of the iaa-crypto documentation, extracted from
 * shared/spec/iaa-crypto.rst at test time, run as written.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { makeFixture, putFile } from "./test_fixture.js";

// The documentation: $IAA_EMU_DOC, else ../shared/spec/iaa-crypto.rst beside the repository.
// These tests compare the Chinese translation's literal echo texts (test/doc/ runs any copy,
// the English original included); they skip with the reason otherwise, and fail under CI=true
// when there is no documentation at all.
const RST = process.env["IAA_EMU_DOC"] || fileURLToPath(new URL("../../../../shared/spec/iaa-crypto.rst", import.meta.url));
const haveDoc = existsSync(RST);
const translation = haveDoc && readFileSync(RST, "utf8").includes("简单的 zswap 测试");
const haveSpec: boolean | string = translation ? false : !haveDoc ? (process.env["CI"] === "true" ? false : `no documentation at ${RST} (set IAA_EMU_DOC)`) : `${RST} is not the Chinese translation these texts come from`;

/** The indented literal block that follows the first line matching `after` (dedented). */
function block(after: RegExp, nth = 0): string {
  const lines = readFileSync(RST, "utf8").split("\n");
  let seen = 0;
  let i = lines.findIndex((l) => after.test(l) && seen++ === nth);
  assert.ok(i >= 0, `no line matching ${after}`);
  i++;
  while (lines[i]!.trim() === "") i++;
  const out: string[] = [];
  for (; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trim() !== "" && !/^\s/.test(l)) break;
    out.push(l.replace(/^ {2}/, ""));
  }
  while (out.length > 0 && out[out.length - 1]!.trim() === "") out.pop();
  return out.join("\n") + "\n";
}

/** A script from `#!/bin/bash` to the end of its literal block. */
function script(nth: number): string {
  const lines = readFileSync(RST, "utf8").split("\n");
  const starts = lines.map((l, i) => (l.trim() === "#!/bin/bash" ? i : -1)).filter((i) => i >= 0);
  const s = starts[nth]!;
  const out: string[] = [];
  for (let i = s; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trim() !== "" && !/^\s/.test(l)) break;
    out.push(l.replace(/^ {2}/, ""));
  }
  return out.join("\n").trimEnd() + "\n";
}

test("the documentation's set-up script runs as written", { skip: haveSpec }, () => {
  const fx = makeFixture();
  const text = script(0);
  assert.match(text, /for \(\(i = 1; i < \$\{num_iaa\} \* 2; i \+= 2\)\); do/);
  putFile(fx, "/root/setup.sh", text, 0o755);
  const st = fx.shell.runString("./setup.sh");
  assert.equal(fx.sinks.err(), "disabled 1 wq(s) out of 1\ndisabled 1 wq(s) out of 1\nenabled 1 wq(s) out of 1\nenabled 1 wq(s) out of 1\n");
  assert.equal(
    fx.sinks.out(),
    [
      "IAA 设备：",
      "6a:02.0 System peripheral: Intel Corporation Device 0cfe",
      "e7:02.0 System peripheral: Intel Corporation Device 0cfe",
      "# IAA 设备：",
      "2",
      "找到 2 个 IAA 实例",
      "禁用 IAA",
      "禁用 wq iax1/wq1.0",
      "禁用 iaa iax1",
      "禁用 wq iax3/wq3.0",
      "禁用 iaa iax3",
      "结束禁用 IAA",
      "重新加载 iaa_crypto 模块",
      "结束重新加载 iaa_crypto 模块",
      "配置 IAA",
      "结束配置 IAA",
      "启用 IAA",
      "启用 iaa iax1",
      "启用 wq iax1/wq1.0",
      "启用 iaa iax3",
      "启用 wq iax3/wq3.0",
      "结束启用 IAA",
      "",
    ].join("\n"),
  );
  assert.equal(st, 0);
  assert.deepEqual(fx.calls, [
    ["accel-config", "disable-wq", "iax1/wq1.0"],
    ["accel-config", "disable-device", "iax1"],
    ["accel-config", "disable-wq", "iax3/wq3.0"],
    ["accel-config", "disable-device", "iax3"],
    ["rmmod", "iaa_crypto"],
    ["modprobe", "iaa_crypto"],
    ["accel-config", "config-wq", "--group-id=0", "--mode=dedicated", "--wq-size=128", "--priority=10", "--type=kernel", "--name=iaa_crypto", "--driver-name=crypto", "iax1/wq1.0"],
    ["accel-config", "config-engine", "iax1/engine1.0", "--group-id=0"],
    ["accel-config", "config-wq", "--group-id=0", "--mode=dedicated", "--wq-size=128", "--priority=10", "--type=kernel", "--name=iaa_crypto", "--driver-name=crypto", "iax3/wq3.0"],
    ["accel-config", "config-engine", "iax3/engine3.0", "--group-id=0"],
    ["accel-config", "enable-device", "iax1"],
    ["accel-config", "enable-wq", "iax1/wq1.0"],
    ["accel-config", "enable-device", "iax3"],
    ["accel-config", "enable-wq", "iax3/wq3.0"],
  ]);
});

test("the documentation's disable script runs as written, stdout and stderr in order", { skip: haveSpec }, () => {
  const fx = makeFixture();
  const st = fx.shell.runScript(script(1), "/root/disable.sh");
  assert.equal(st, 0);
  const ev = fx.sinks.events.map((e) => `${e.fd}:${e.text}`).join("");
  assert.equal(
    ev,
    [
      "1:IAA 设备:\n",
      "1:6a:02.0 System peripheral: Intel Corporation Device 0cfe\ne7:02.0 System peripheral: Intel Corporation Device 0cfe\n",
      "1:# IAA 设备数量:\n",
      "1:2\n",
      "1:找到 2 个 IAA 实例\n",
      "1:禁用 IAA\n",
      "1:禁用工作队列 iax1/wq1.0\n",
      "2:disabled 1 wq(s) out of 1\n",
      "1:禁用 IAA iax1\n",
      "1:禁用工作队列 iax3/wq3.0\n",
      "2:disabled 1 wq(s) out of 1\n",
      "1:禁用 IAA iax3\n",
      "1:结束禁用 IAA\n",
    ].join(""),
  );
  assert.equal(fx.wq.get("iax1/wq1.0")!.state, "disabled");
});

test("the documentation's zswap command sequence runs as written", { skip: haveSpec }, () => {
  const fx = makeFixture();
  const setup = block(/zswap 的设置命令/);
  const teardown = block(/移除 IAA 加密算法作为压缩器/);
  assert.match(setup, /^echo 0 > \/sys\/module\/zswap\/parameters\/enabled\n/);
  const text = setup + "\n./memory_madvise 100\n\n" + teardown;
  const st = fx.shell.runScript(text, "zswap-test.sh");
  assert.equal(fx.sinks.err(), "");
  assert.equal(fx.sinks.out(), "分配 100 页以进行交换\n正在交换出 100 页\n正在交换入 100 页\n已交换出和交换入 100 页\n");
  assert.equal(st, 0);
  assert.deepEqual(fx.slept, [5]);
  assert.deepEqual(fx.stores, [
    ["/sys/module/zswap/parameters/enabled", "0\n"],
    ["/sys/module/zswap/parameters/max_pool_percent", "50\n"],
    ["/sys/module/zswap/parameters/compressor", "deflate-iaa\n"],
    ["/sys/module/zswap/parameters/zpool", "zsmalloc\n"],
    ["/sys/module/zswap/parameters/enabled", "1\n"],
    ["/proc/sys/vm/swappiness", "100\n"],
    ["/sys/kernel/mm/transparent_hugepage/enabled", "never\n"],
    ["/proc/sys/vm/overcommit_memory", "1\n"],
    ["/sys/module/zswap/parameters/compressor", "lzo\n"],
    ["/sys/module/zswap/parameters/accept_threshold_percent", "0\n"],
    ["/sys/module/zswap/parameters/max_pool_percent", "0\n"],
    ["/sys/module/zswap/parameters/enabled", "0\n"],
  ]);
  assert.deepEqual(fx.calls, [["swapoff", "-a"]]);
});

test("the documentation's debug commands deliver `echo -n` text in one store", { skip: haveSpec }, () => {
  const fx = makeFixture();
  const st = fx.shell.runString("echo -n 'module iaa_crypto +p' > /sys/kernel/debug/dynamic_debug/control\necho -n 'module idxd +p' > /sys/kernel/debug/dynamic_debug/control\ncat /sys/bus/dsa/devices/iax1/state\ncat /sys/bus/dsa/devices/iax1/wq1.0/state");
  assert.equal(st, 0);
  assert.equal(fx.sinks.out(), "enabled\nenabled\n");
  assert.deepEqual(fx.stores, [
    ["/sys/kernel/debug/dynamic_debug/control", "module iaa_crypto +p"],
    ["/sys/kernel/debug/dynamic_debug/control", "module idxd +p"],
  ]);
});
