/**
 * The codec benchmark's corpus of unseen pages, by content class: real
 * memory and real files of this host (nothing tuned for), plus the synthetic,
 * zero, same-filled and random pages swap also sees. A class the host cannot
 * supply (no man pages installed, say) is left out and named in `missing`.
 *
 * - process-memory: the writable mappings of a node process that has loaded
 *   and run the TypeScript compiler (a child started for this, read through
 *   /proc/PID/mem and ended by its pid)
 * - man-pages (gunzipped), prose (licences, copyright files, READMEs), c-headers
 *   (/usr/include), javascript and json (node_modules, /usr/lib/node_modules,
 *   /usr/share), elf (/usr/bin), compressed (the *.gz files themselves)
 * - synthetic-memory: bench/_corpus.ts's integers, pointers, structs, partly
 *   filled pages; zero; same-filled; random (seeded)
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generatePages, makeRng } from "./_corpus.js";
import { filePages, isElf, listFiles, PAGE_SIZE, processPages } from "./_pages_from.js";

export interface PageClass {
  name: string;
  pages: Uint8Array[];
}

export interface UnseenCorpus {
  classes: PageClass[];
  /** Classes the host had nothing for. */
  missing: string[];
}

function repoRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), "..", "..");
}

/** A child node process that has loaded TypeScript and compiled a little; its memory, then it is ended. */
async function liveProcessPages(max: number): Promise<Uint8Array[]> {
  let ts: string;
  try {
    ts = createRequire(join(repoRoot(), "package.json")).resolve("typescript");
  } catch {
    return [];
  }
  const script =
    `const ts = require(${JSON.stringify(ts)});` +
    `const src = Array.from({length: 200}, (_, i) => "export function f" + i + "(a: number, b: string): string { return b.repeat(a) + " + i + "; }").join("\\n");` +
    `globalThis.keep = ts.transpileModule(src, { compilerOptions: { target: 9 } }).outputText;` +
    `process.stdout.write("ready\\n"); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "ignore"] });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the child did not start")), 20000);
      child.stdout.on("data", () => { clearTimeout(timer); resolve(); });
      child.on("exit", () => { clearTimeout(timer); reject(new Error("the child exited")); });
    });
    const pages = processPages(child.pid!, max * 4);
    // Evenly over the address space rather than the first regions only.
    const out: Uint8Array[] = [];
    const step = Math.max(1, pages.length / max);
    for (let i = 0; i < pages.length && out.length < max; i = Math.floor((out.length + 1) * step)) out.push(pages[i]);
    return out;
  } catch {
    return [];
  } finally {
    child.kill();
  }
}

function fromFiles(dirs: string[], pred: (p: string) => boolean, max: number, gunzip = false, perFile = 16): Uint8Array[] {
  return filePages(listFiles(dirs, pred, 4000), max, perFile, gunzip);
}

/**
 * Builds the corpus with at most `perClass` pages in each class.
 *
 * @example
 * ```ts
 * const c = await buildUnseenCorpus(200);
 * for (const k of c.classes) console.log(k.name, k.pages.length);
 * ```
 */
export async function buildUnseenCorpus(perClass: number): Promise<UnseenCorpus> {
  const root = repoRoot();
  const nm = [join(root, "node_modules"), "/usr/lib/node_modules", "/usr/share/javascript"];
  const classes: PageClass[] = [];
  const add = (name: string, pages: Uint8Array[]): void => { classes.push({ name, pages }); };
  add("process-memory", await liveProcessPages(perClass));
  add("man-pages", fromFiles(["/usr/share/man/man1", "/usr/share/man/man3", "/usr/share/man/man5", "/usr/share/man/man8", "/usr/share/man/man7"], (p) => p.endsWith(".gz"), perClass, true, 4));
  add("prose", fromFiles(["/usr/share/common-licenses", "/usr/share/doc"], (p) => /(copyright|README|\.txt|LICENSE|GPL[^/]*)$/.test(p), perClass, false, 4));
  add("c-headers", fromFiles(["/usr/include"], (p) => p.endsWith(".h"), perClass, false, 4));
  add("javascript", fromFiles(nm, (p) => p.endsWith(".js") && !p.includes("/typescript/lib/"), perClass, false, 8));
  add("json", fromFiles([...nm, "/usr/share"], (p) => p.endsWith(".json"), perClass, false, 8));
  add("elf", fromFiles(["/usr/bin"], isElf, perClass, false, 8));
  const syn = generatePages(perClass * 8, 7);
  const memKinds = new Set(["small-ints", "pointers", "structs", "partly-filled"].map((k) => syn.kindNames.indexOf(k)));
  const synPages: Uint8Array[] = [];
  for (let i = 0; i < syn.count && synPages.length < perClass; i++) if (memKinds.has(syn.kinds[i])) synPages.push(syn.data.slice(i * PAGE_SIZE, (i + 1) * PAGE_SIZE));
  add("synthetic-memory", synPages);
  const rng = makeRng(0xc0dec);
  const few = Math.max(1, perClass >> 2);
  add("zero", Array.from({ length: few }, () => new Uint8Array(PAGE_SIZE)));
  add("same-filled", Array.from({ length: few }, () => new Uint8Array(PAGE_SIZE).fill(rng() & 0xff)));
  add("random", Array.from({ length: few }, () => {
    const p = new Uint8Array(PAGE_SIZE);
    for (let i = 0; i < PAGE_SIZE; i++) p[i] = rng();
    return p;
  }));
  add("compressed", fromFiles(["/usr/share/doc", "/usr/share/man/man1"], (p) => p.endsWith(".gz"), few, false, 2));
  const missing = classes.filter((c) => c.pages.length === 0).map((c) => c.name);
  return { classes: classes.filter((c) => c.pages.length > 0), missing };
}
