/**
 * The shipped manual pages: every page is there, laid out as man prints it
 * into a pipe, documents every option the clone's parser accepts, and is what
 * `accel-config --help` shows once installed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { accelConfigRunner, fakeIdxdTree } from "./_fake_idxd.js";
import { accelConfigMain, commands } from "./accel_config.js";
import { LOAD_OPTIONS } from "./config.js";
import { DEVICE_OPTIONS, ENGINE_OPTIONS, GROUP_OPTIONS, WQ_OPTIONS } from "./config_attr.js";
import { USER_DEFAULT_OPTIONS } from "./config_default.js";
import { DISABLE_OPTIONS, ENABLE_OPTIONS } from "./enable.js";
import { LIST_OPTIONS, SAVE_OPTIONS } from "./list.js";
import { installManPages, MAN1_DIR, MAN_PAGE_NAMES, manPageTexts } from "./man_pages.js";
import type { OptDef } from "./parse_options.js";

/** Each command's option table, as its parser uses it. */
const OPTION_TABLES: Record<string, readonly OptDef[]> = {
  list: LIST_OPTIONS,
  "load-config": LOAD_OPTIONS,
  "save-config": SAVE_OPTIONS,
  "disable-device": DISABLE_OPTIONS,
  "enable-device": ENABLE_OPTIONS,
  "disable-wq": DISABLE_OPTIONS,
  "enable-wq": ENABLE_OPTIONS,
  "config-device": DEVICE_OPTIONS,
  "config-group": GROUP_OPTIONS,
  "config-wq": WQ_OPTIONS,
  "config-engine": ENGINE_OPTIONS,
  "config-user-default": USER_DEFAULT_OPTIONS,
};


test("one page for the tool and one for every registered command", () => {
  assert.deepEqual([...MAN_PAGE_NAMES].sort(), ["accel-config", ...commands.map((c) => `accel-config-${c.name}`)].sort());
  assert.deepEqual(Object.keys(OPTION_TABLES).sort(), commands.map((c) => c.name).sort());
  assert.equal(manPageTexts().size, 13);
});

test("every page has the man layout: header, sections, 80 columns, plain text, version footer", () => {
  for (const [name, text] of manPageTexts()) {
    const lines = text.split("\n");
    assert.equal(lines.pop(), "", `${name} ends with a newline`);
    const title = `${name.toUpperCase()}(1)`;
    assert.ok(lines[0]!.startsWith(title) && lines[0]!.endsWith(title), `${name} header`);
    assert.equal(lines[0]!.length, 80, `${name} header width`);
    if (2 * title.length + 21 <= 80) assert.match(lines[0]!, / accel-config Manual /);
    assert.equal(lines[1], "");
    const footer = lines[lines.length - 1]!;
    assert.match(footer, /^accel-config 4\.1\.6 +\d{4}-\d\d-\d\d +\S+\(1\)$/, `${name} footer`);
    assert.ok(footer.endsWith(title));
    for (const l of lines) {
      assert.ok(l.length <= 80, `${name}: ${JSON.stringify(l)} is wider than 80`);
      assert.doesNotMatch(l, /[\x00-\x1f\x7f]|\s$/, `${name}: control character or trailing blank in ${JSON.stringify(l)}`);
    }
    const sections = lines.filter((l) => /^[A-Z][A-Z ]+$/.test(l));
    for (const s of ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXAMPLES", "SEE ALSO"]) assert.ok(sections.includes(s), `${name} lacks ${s}`);
    assert.deepEqual(sections.filter((s) => ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS"].includes(s)), ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS"]);
    assert.equal(sections[sections.length - 1], "SEE ALSO");
    assert.ok(lines[lines.indexOf("NAME") + 1]!.startsWith(`       ${name} - `), `${name} NAME line`);
    // every page referenced under SEE ALSO exists
    const seeAlso = lines.slice(lines.indexOf("SEE ALSO") + 1, -2).join(" ");
    for (const ref of seeAlso.matchAll(/([a-z-]+)\(1\)/g)) assert.ok(MAN_PAGE_NAMES.includes(ref[1]!), `${name} refers to ${ref[1]}`);
  }
});

test("each command page documents exactly the options the clone's parser accepts", () => {
  const texts = manPageTexts();
  for (const [cmd, options] of Object.entries(OPTION_TABLES)) {
    const text = texts.get(`accel-config-${cmd}`)!;
    const documented = [...text.matchAll(/^ {7}(?:-([A-Za-z]), )?--([a-z-]+)/gm)].map((m) => [m[1], m[2]]);
    const accepted = options.map((o) => [o.short, o.long]);
    assert.deepEqual(documented.sort(), accepted.sort(), `options of ${cmd}`);
    // the argument form matches the option's type
    for (const o of options) {
      const line = text.split("\n").find((l) => l.includes(`--${o.long}`) && l.startsWith("       -"))!;
      if (o.type === "boolean") assert.ok(line.trimEnd().endsWith(`--${o.long}`), line);
      else if (o.type === "string" || o.type === "filename") assert.ok(line.includes(`--${o.long}=<${o.argh}>`), line);
      else assert.ok(line.includes(`--${o.long}=<n>`), line);
    }
    // the synopsis starts the way the command is run
    const syn = text.split("\n")[text.split("\n").indexOf("SYNOPSIS") + 1]!;
    assert.ok(syn.startsWith(`       accel-config ${cmd} `), syn);
  }
});

test("the tool's page names every command, the global options and the environment", () => {
  const text = manPageTexts().get("accel-config")!;
  for (const c of commands) assert.match(text, new RegExp(`^ {7}${c.name}\\n`, "m"), c.name);
  for (const o of ["-v, --version", "-h, --help", "--list-cmds"]) assert.ok(text.includes(`       ${o}`), o);
  for (const v of ["ACCFG_LOG", "ACCFG_TIMEOUT", "ACCFG_MAN_VIEWER"]) assert.match(text, new RegExp(`^ {7}${v}\\n`, "m"), v);
  // the documentation's IAA example is shown
  assert.match(manPageTexts().get("accel-config-config-wq")!, /config-wq iax1\/wq1\.0 -g 0 -m dedicated -y kernel \\\n +-n iaa_crypto -d crypto -p 10 -s 128\n/);
});

test("--help shows the installed page; without pages it is man's complaint", () => {
  const { vfs } = fakeIdxdTree();
  const run = accelConfigRunner(vfs);
  assert.deepEqual(run("config-wq", "--help"), { code: 16, stdout: "", stderr: "No manual entry for accel-config-config-wq\n" });
  assert.deepEqual(run(), { code: 16, stdout: "", stderr: "No manual entry for accel-config\n" });
  installManPages(vfs);
  assert.deepEqual(vfs.readdir(MAN1_DIR).sort(), MAN_PAGE_NAMES.map((n) => `${n}.1`).sort());
  const page = manPageTexts().get("accel-config-config-wq")!;
  assert.deepEqual(run("config-wq", "--help"), { code: 0, stdout: page, stderr: "" });
  assert.deepEqual(run("config-wq", "-h"), { code: 0, stdout: page, stderr: "" });
  assert.deepEqual(run("--help", "config-wq"), { code: 0, stdout: page, stderr: "" });
  assert.deepEqual(run("-h", "list"), { code: 0, stdout: manPageTexts().get("accel-config-list")!, stderr: "" });
  assert.deepEqual(run(), { code: 0, stdout: manPageTexts().get("accel-config")!, stderr: "" });
  assert.deepEqual(run("--help"), { code: 0, stdout: manPageTexts().get("accel-config")!, stderr: "" });
  // a command that has no page (the man viewer is asked for whatever follows --help)
  assert.deepEqual(run("--help", "frob"), { code: 16, stdout: "", stderr: "No manual entry for accel-config-frob\n" });
  // an unknown command is still rejected before any page is looked up
  assert.equal(run("frob", "--help").code, 129);
  // installing twice gives the same files
  installManPages(vfs);
  assert.equal(vfs.readText(`${MAN1_DIR}/accel-config-config-wq.1`), page);
});
