import { test } from "node:test";
import assert from "node:assert/strict";
import { parseOptions, type OptDef, type OptValues } from "./parse_options.js";

const OPTS: OptDef[] = [
  { short: "g", long: "group-id", type: "integer", help: "specify group-id used by wq", key: "group_id" },
  { short: "s", long: "wq-size", type: "uinteger", help: "specify wq-size used by wq", key: "wq_size" },
  { short: "x", long: "max-transfer-size", type: "u64", help: "specify max-transfer-size used by wq", key: "xfer" },
  { short: "m", long: "mode", type: "string", argh: "mode", help: "specify mode by wq", key: "mode" },
  { short: "i", long: "idle", type: "boolean", help: "include idle components", key: "idle" },
  { short: "v", long: "verbose", type: "boolean", help: "turn on debug", key: "verbose" },
];
const USAGE = ["accel-config config-wq <device name>/<wq name> [<options>]"];

function parse(...argv: string[]) {
  let out = "";
  let err = "";
  const v: OptValues = { group_id: 99, wq_size: 99, xfer: 99n, mode: null, idle: false, verbose: false };
  const r = parseOptions(["config-wq", ...argv], OPTS, USAGE, v, { stdout: { write: (s) => void (out += s) }, stderr: { write: (s) => void (err += s) } });
  return { r, v, out, err };
}

test("all value forms fill the same fields", () => {
  for (const argv of [["--group-id=2", "--mode=shared"], ["--group-id", "2", "--mode", "shared"], ["-g", "2", "-m", "shared"], ["-g2", "-mshared"]]) {
    const { r, v } = parse(...argv, "iax1/wq1.0");
    assert.deepEqual(r, { args: ["iax1/wq1.0"] });
    assert.equal(v["group_id"], 2);
    assert.equal(v["mode"], "shared");
  }
});

test("unique prefixes, --no-, interleaving, clusters and --", () => {
  const a = parse("iax1/wq1.0", "--gr=1", "x", "--wq=7", "-iv", "--", "-g");
  assert.deepEqual(a.r, { args: ["iax1/wq1.0", "x", "-g"] });
  assert.equal(a.v["group_id"], 1);
  assert.equal(a.v["wq_size"], 7);
  assert.equal(a.v["idle"], true);
  assert.equal(a.v["verbose"], true);
  const b = parse("-i", "--no-idle", "--no-group-id");
  assert.equal(b.v["idle"], false);
  assert.equal(b.v["group_id"], 0);
});

test("C integer conversions: unsigned wraps -1, int truncates, u64 from strtoull", () => {
  const { v } = parse("-s", "-1", "-g", "4294967297", "-x", "-1");
  assert.equal(v["wq_size"], 4294967295);
  assert.equal(v["group_id"], 1);
  assert.equal(v["xfer"], 18446744073709551615n);
});

test("a bad number prints the error and that option's usage, and exits 0", () => {
  const s = parse("-s", "0x10");
  assert.deepEqual(s.r, { exit: 0 });
  assert.equal(
    s.err,
    "  Error: switch `s' expects a numerical value\n\n usage: accel-config config-wq <device name>/<wq name> [<options>]\n\n    -s, --wq-size <n>     specify wq-size used by wq\n",
  );
  const l = parse("--wq-size=12x");
  assert.deepEqual(l.r, { exit: 0 });
  assert.match(l.err, /^  Error: option `wq-size' expects a numerical value\n/);
  const m = parse("--mode");
  assert.deepEqual(m.r, { exit: 0 });
  assert.match(m.err, /^  Error: option `mode' requires a value\n/);
});

test("unknown options exit 129 with the full option list", () => {
  const l = parse("--bogus");
  assert.deepEqual(l.r, { exit: 129 });
  assert.match(l.err, /^  Error: unknown option `bogus'\n\n usage: accel-config config-wq/);
  assert.match(l.err, /    -m, --mode <mode>     specify mode by wq\n/);
  assert.match(l.err, /    -x, --max-transfer-size <n>\n {26}specify max-transfer-size used by wq\n/);
  assert.ok(l.err.endsWith("\n\n"));
  const s = parse("-q");
  assert.deepEqual(s.r, { exit: 129 });
  assert.match(s.err, /^  Error: unknown switch `q'\n/);
});

test("-h prints usage and exits 0; ambiguous prefixes are refused; typo check", () => {
  assert.deepEqual(parse("-h").r, { exit: 0 });
  const amb = parse("--m=1");
  assert.deepEqual(amb.r, { exit: 0 });
  assert.match(amb.err, /Ambiguous option: m=1 \(could be --max-transfer-size or --mode\)/);
  const typo = parse("-idle");
  assert.deepEqual(typo.r, { exit: 129 });
  assert.equal(typo.err, "  Error: did you mean `--idle` (with two dashes ?)\n");
});
