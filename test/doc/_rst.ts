/**
 * Reads the documentation's procedures out of an iaa-crypto.rst (the
 * project's, `$IAA_EMU_DOC` or `../shared/spec/`, or the kernel's English
 * original in test/fixtures) at test time: its literal blocks (lines indented
 * by two spaces), the two `#!/bin/bash` scripts, the zswap test's transcript
 * (`# command` lines followed by their output), and what a script's `echo`
 * and `lspci` lines print, so the expected output follows the document's
 * language.
 */
import { readFileSync } from "node:fs";

export interface Block {
  /** 1-based line number of the block's first line in the .rst. */
  line: number;
  lines: string[];
}

export function readRst(path: string): string {
  return readFileSync(path, "utf8");
}

/**
 * What one of the documentation's scripts prints on stdout, derived from the
 * script itself: `echo` lines (quotes removed, `${i}` and `${num_iaa}`
 * expanded), `lspci -d:0cfe` (the given lines) and `… | wc -l`; the
 * `for ((i = 1; i < ${num_iaa} * 2; i += 2))` loops repeat their body.
 * Other commands print nothing on stdout (accel-config reports on stderr).
 */
export function scriptStdout(script: string, lspci: string[]): string[] {
  const n = lspci.length;
  const out: string[] = [];
  const lines = script.split("\n").map((l) => l.trim());
  const expand = (t: string, i: number): string => t.replace(/\$\{num_iaa\}/g, String(n)).replace(/\$\{i\}/g, String(i));
  const exec = (l: string, i: number): void => {
    if (l === "lspci -d:0cfe") out.push(...lspci);
    else if (l === "lspci -d:0cfe | wc -l") out.push(String(n));
    else if (l.startsWith("echo ")) {
      let t = l.slice(5);
      if (t.startsWith('"') && t.endsWith('"')) t = t.slice(1, -1);
      out.push(expand(t, i));
    }
  };
  for (let k = 0; k < lines.length; k++) {
    const l = lines[k]!;
    if (/^for \(\(i = 1; i < \$\{num_iaa\} \* 2; i \+= 2\)\); do$/.test(l)) {
      const body: string[] = [];
      while (lines[++k] !== "done") body.push(lines[k]!);
      for (let i = 1; i < n * 2; i += 2) for (const b of body) exec(b, i);
    } else exec(l, 0);
  }
  return out;
}

/** Literal blocks: runs of lines indented by at least two spaces (blank lines inside kept), de-indented by two. */
export function literalBlocks(rst: string): Block[] {
  const all = rst.split("\n");
  const blocks: Block[] = [];
  let cur: Block | null = null;
  for (let i = 0; i < all.length; i++) {
    const l = all[i]!;
    if (l.startsWith("  ")) {
      if (cur === null) cur = { line: i + 1, lines: [] };
      cur.lines.push(l.slice(2));
    } else if (l.trim() === "" && cur !== null) {
      cur.lines.push("");
    } else if (cur !== null) {
      while (cur.lines.length > 0 && cur.lines[cur.lines.length - 1] === "") cur.lines.pop();
      blocks.push(cur);
      cur = null;
    }
  }
  if (cur !== null) blocks.push(cur);
  return blocks;
}

/** The documentation's bash scripts, in order: [set-up (configures), disable]. */
export function docScripts(rst: string): { setup: string; disable: string } {
  const scripts = literalBlocks(rst).filter((b) => b.lines[0] === "#!/bin/bash");
  const setup = scripts.find((b) => b.lines.some((l) => l.includes("config-wq")));
  const disable = scripts.find((b) => !b.lines.some((l) => l.includes("config-wq")));
  if (setup === undefined || disable === undefined) throw new Error("iaa-crypto.rst: scripts not found");
  return { setup: setup.lines.join("\n") + "\n", disable: disable.lines.join("\n") + "\n" };
}

/** The block whose first line is exactly `first`, after line `after`. */
export function blockStartingWith(rst: string, first: string, after = 0): Block {
  const b = literalBlocks(rst).find((x) => x.line > after && x.lines[0] === first);
  if (b === undefined) throw new Error(`iaa-crypto.rst: no block starting with ${JSON.stringify(first)}`);
  return b;
}

/** A transcript block: `# cmd` lines, each followed by its expected output lines. */
export function transcript(block: Block): { cmd: string; out: string[] }[] {
  const steps: { cmd: string; out: string[] }[] = [];
  for (const l of block.lines) {
    if (l.startsWith("# ")) steps.push({ cmd: l.slice(2), out: [] });
    else if (l !== "" && steps.length > 0) steps[steps.length - 1]!.out.push(l);
  }
  return steps;
}

/**
 * A regular expression for a documented dmesg line: the timestamp, PCI
 * address, DMA addresses and %p pointers may differ; names and sizes may not.
 */
export function dmesgPattern(line: string): RegExp {
  const body = line.replace(/^\[\s*\d+\.\d+\]\s*/, "");
  let re = "";
  for (const tok of body.split(/(\s+|,)/)) {
    if (/^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-9]:$/.test(tok)) re += "[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-9]:";
    else if (/^[0-9a-f]{9,16}$/.test(tok) && /[a-f]/.test(tok) || /^[0-9a-f]{10,16}$/.test(tok)) re += "[0-9a-f]+";
    else re += tok.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^\\[\\s*\\d+\\.\\d{6}\\] ${re}$`);
}

/**
 * The shape of a dmesg line, independent of the language of its text and of
 * pointer values: the device prefix, the function, and the decimal numbers
 * (e.g. `idxd 0000:f6:02.0: add_iaa_wq [1]`). The translation translated
 * some kernel messages; their shape is what must match.
 */
export function dmesgShape(line: string): string {
  const body = line.replace(/^\[\s*\d+\.\d+\]\s*/, "");
  const m = /^((?:idxd [0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-9])|[a-z_]+): ([a-z_]+): (.*)$/.exec(body);
  if (m === null) return body;
  const rest = m[3]!.replace(/\b[0-9a-f]{8,16}\b/g, " ");
  const nums = [...rest.matchAll(/(?<![0-9a-fx])\d+(?![0-9a-f])/g)].map((x) => x[0]);
  return `${m[1]}: ${m[2]} [${nums.join(",")}]`;
}
