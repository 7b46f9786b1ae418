/**
 * Writes a file of concatenated 4 KiB pages for `npm run bench:codec -- --pages FILE`:
 *
 *   node dist/bench/dump_pages.js --pid PID [--max N] [--all] OUT
 *       a live process's memory: its readable, writable mappings from
 *       /proc/PID/maps, read through /proc/PID/mem (root, or ptrace rights
 *       over PID); --all adds the read-only ones (code, rodata, mapped files)
 *   node dist/bench/dump_pages.js [--max N] [--gunzip] OUT FILE...
 *       whole pages cut from files (--gunzip inflates *.gz first, e.g. man pages)
 *
 * At most N pages (default 8192). Prints how many pages it wrote.
 */
import { writeFileSync } from "node:fs";
import { filePages, PAGE_SIZE, processPages } from "./_pages_from.js";

function usage(msg: string): never {
  process.stderr.write(`${msg}\nusage: dump_pages --pid PID [--max N] [--all] OUT\n       dump_pages [--max N] [--gunzip] OUT FILE...\n`);
  process.exit(2);
}

const argv = process.argv.slice(2);
let pid: number | undefined;
let max = 8192;
let all = false;
let gunzip = false;
const rest: string[] = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--pid" || a === "--max") {
    const v = Number(argv[++i]);
    if (!Number.isInteger(v) || v <= 0) usage(`dump_pages: ${a} needs a positive integer`);
    if (a === "--pid") pid = v;
    else max = v;
  } else if (a === "--all") all = true;
  else if (a === "--gunzip") gunzip = true;
  else if (a.startsWith("--")) usage(`dump_pages: unknown option ${a}`);
  else rest.push(a);
}
if (rest.length === 0) usage("dump_pages: no output file");
const out = rest[0];
let pages: Uint8Array[];
try {
  if (pid !== undefined) {
    if (rest.length > 1) usage("dump_pages: --pid takes no input files");
    pages = processPages(pid, max, !all);
  } else {
    if (rest.length < 2) usage("dump_pages: no input files");
    pages = filePages(rest.slice(1), max, Number.MAX_SAFE_INTEGER, gunzip);
  }
} catch (e) {
  process.stderr.write(`dump_pages: ${(e as Error).message}\n`);
  process.exit(1);
}
const buf = new Uint8Array(pages.length * PAGE_SIZE);
pages.forEach((p, i) => buf.set(p, i * PAGE_SIZE));
writeFileSync(out, buf);
process.stdout.write(`dump_pages: wrote ${pages.length} pages (${buf.length} bytes) to ${out}\n`);
