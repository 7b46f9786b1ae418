/**
 * lscpu, as util-linux 2.38.1 prints it: the summary (a tree on a terminal,
 * flat `Key: value` lines otherwise, JSON with -J), the extended table (-e,
 * JSON with -J) and the parsable list (-p), with -x, -y, -a/-b/-c,
 * --output-all, column lists, and its messages and statuses. The data come
 * from the machine's sysfs and /proc/cpuinfo (lscpu_data.ts); the machine
 * has no cpufreq and no cache directories, so the MHz rows and columns and
 * the cache section stay out, as lscpu leaves them out where those files are
 * missing.
 */
import type { CommandContext } from "../types.js";
import { formatHexMask, formatList, readLscpu, type LscpuCache, type LscpuCpu, type LscpuData } from "./lscpu_data.js";

const VERSION = "lscpu from util-linux 2.38.1\n";

const HELP = `
Usage:
 lscpu [options]

Display information about the CPU architecture.

Options:
 -a, --all               print both online and offline CPUs (default for -e)
 -b, --online            print online CPUs only (default for -p)
 -B, --bytes             print sizes in bytes rather than in human readable format
 -C, --caches[=<list>]   info about caches in extended readable format
 -c, --offline           print offline CPUs only
 -J, --json              use JSON for default or extended format
 -e, --extended[=<list>] print out an extended readable format
 -p, --parse[=<list>]    print out a parsable format
 -s, --sysroot <dir>     use specified directory as system root
 -x, --hex               print hexadecimal masks rather than lists of CPUs
 -y, --physical          print physical instead of logical IDs
     --output-all        print all available columns for -e, -p or -C

 -h, --help              display this help
 -V, --version           display version

Available output columns for -e or -p:
      BOGOMIPS  crude measurement of CPU speed
           CPU  logical CPU number
          CORE  logical core number
        SOCKET  logical socket number
       CLUSTER  logical cluster number
          NODE  logical NUMA node number
          BOOK  logical book number
        DRAWER  logical drawer number
         CACHE  shows how caches are shared between CPUs
  POLARIZATION  CPU dispatching mode on virtual hardware
       ADDRESS  physical address of a CPU
    CONFIGURED  shows if the hypervisor has allocated the CPU
        ONLINE  shows if Linux currently makes use of the CPU
           MHZ  shows the currently MHz of the CPU
      SCALMHZ%  shows scaling percentage of the CPU frequency
        MAXMHZ  shows the maximum MHz of the CPU
        MINMHZ  shows the minimum MHz of the CPU

Available output columns for -C:
      ALL-SIZE  size of all system caches
         LEVEL  cache level
          NAME  cache name
      ONE-SIZE  size of one cache
          TYPE  cache type
          WAYS  ways of associativity
  ALLOC-POLICY  allocation policy
  WRITE-POLICY  write policy
      PHY-LINE  number of physical cache line per cache t
          SETS  number of sets in the cache; set lines has the same cache index
 COHERENCY-SIZE  minimum amount of data in bytes transferred from memory to cache

For more details see lscpu(1).
`;

/** A CPU column: its name, right alignment, JSON type, and its cell (readable, parsable). */
interface Column {
  name: string;
  right: boolean;
  /** An abbreviation keeps its case in the parsable header (CPU, BOGOMIPS). */
  abbr: boolean;
  json: "number" | "boolean" | "string";
  cell(cpu: LscpuCpu, o: Ctx, parsable: boolean): string;
}

interface Ctx {
  d: LscpuData;
  physical: boolean;
  /** lscpu's show_compatible (-p without --output-all): "," between cache ids, ":" otherwise. */
  compatible: boolean;
}

const none = (): string => "";
const num = (f: (cpu: LscpuCpu, o: Ctx) => number | undefined) => (cpu: LscpuCpu, o: Ctx): string => {
  const v = f(cpu, o);
  return v === undefined ? "" : String(v);
};
/** fill_id(): the physical id ("-" when unknown) with -y, else the logical index (empty when unknown). */
const id = (physical: boolean, phys: number | undefined, logical: number | undefined): string =>
  physical ? (phys === undefined ? "-" : String(phys)) : logical === undefined ? "" : String(logical);
const mhz = (o: Ctx): string => {
  const v = Number(o.d.info.get("cpu MHz"));
  return o.d.info.has("cpu MHz") && Number.isFinite(v) && v > 0 ? v.toFixed(4) : "";
};

/** The caches' names, once each, in lscpu's (sorted) order. */
function cacheNames(d: LscpuData): string[] {
  const names: string[] = [];
  for (const c of d.caches) if (names[names.length - 1] !== c.name) names.push(c.name);
  return names;
}

/** The CACHE cell: the id of each cache `cpu` shares (":" between them, "," when compatible). */
function cacheIds(d: LscpuData, cpu: number, compatible: boolean): string {
  const ids: number[] = [];
  for (const name of cacheNames(d)) {
    const ca = d.caches.find((c) => c.name === name && c.shared.includes(cpu));
    if (ca !== undefined) ids.push(ca.id);
  }
  return ids.join(compatible ? "," : ":");
}

/** The CACHE column's header: the cache names, or CACHE without caches. */
function cacheHeader(d: LscpuData, compatible: boolean): string {
  return d.caches.length === 0 ? "CACHE" : cacheNames(d).join(compatible ? "," : ":");
}

/** size_to_human_string(): "3.8 MiB" (3-letter suffix with a space) or "3.8M" (one letter). */
export function humanSize(bytes: number, threeLetter: boolean): string {
  let exp = 0;
  while (exp < 60 && bytes >= 2 ** (exp + 10)) exp += 10;
  const letter = "BKMGTPE"[exp / 10]!;
  const suffix = (threeLetter ? " " : "") + letter + (threeLetter && letter !== "B" ? "iB" : "");
  let dec = Math.floor(bytes / 2 ** exp);
  let frac = exp === 0 ? 0 : bytes % 2 ** exp;
  if (frac !== 0) {
    frac = Math.floor((frac * 1000) / 2 ** exp);
    frac = Math.floor((frac + 50) / 100) * 10;
    if (frac === 100) {
      dec++;
      frac = 0;
    }
  }
  if (frac === 0) return `${dec}${suffix}`;
  let f = String(frac).padStart(2, "0");
  if (f.endsWith("0")) f = f.slice(0, -1);
  return `${dec}.${f}${suffix}`;
}

/** Sums of each cache name: bytes and instances (lscpu_get_cache_full_size). */
function cacheSum(d: LscpuData, name: string): { size: number; n: number } {
  let size = 0;
  let n = 0;
  for (const c of d.caches) if (c.name === name) (size += c.size), n++;
  return { size, n };
}

// coldescs_cpu[], in its order (the order of --output-all)
const COLUMNS: Column[] = [
  { name: "BOGOMIPS", right: true, abbr: true, json: "number", cell: (_c, o) => (o.d.info.has("bogomips") ? Number(o.d.info.get("bogomips")).toFixed(2) : "") },
  { name: "CPU", right: true, abbr: true, json: "number", cell: (c) => String(c.id) },
  { name: "CORE", right: true, abbr: false, json: "number", cell: (c, o) => id(o.physical, c.coreId, c.core) },
  { name: "SOCKET", right: true, abbr: false, json: "number", cell: (c, o) => id(o.physical, c.socketId, c.socket) },
  { name: "CLUSTER", right: true, abbr: false, json: "number", cell: none },
  { name: "NODE", right: true, abbr: false, json: "number", cell: num((c) => c.node) },
  { name: "BOOK", right: true, abbr: false, json: "number", cell: none },
  // DRAWER and SCALMHZ% keep their case and are JSON strings: their descriptors put SCOLS_JSON_NUMBER in the is_abbr field
  { name: "DRAWER", right: true, abbr: true, json: "string", cell: none },
  { name: "CACHE", right: false, abbr: false, json: "string", cell: (c, o) => cacheIds(o.d, c.id, o.compatible) },
  // polarization is "unknown" on x86: "U" parsable, "-" readable
  { name: "POLARIZATION", right: false, abbr: false, json: "string", cell: (_c, _o, parsable) => (parsable ? "U" : "-") },
  { name: "ADDRESS", right: false, abbr: false, json: "string", cell: none },
  { name: "CONFIGURED", right: false, abbr: false, json: "boolean", cell: none },
  { name: "ONLINE", right: true, abbr: false, json: "boolean", cell: (c, o, parsable) => (o.d.online === undefined ? "" : parsable ? (c.online ? "Y" : "N") : c.online ? "yes" : "no") },
  { name: "MHZ", right: true, abbr: false, json: "number", cell: (_c, o) => mhz(o) },
  { name: "SCALMHZ%", right: true, abbr: true, json: "string", cell: none },
  { name: "MAXMHZ", right: true, abbr: false, json: "number", cell: none },
  { name: "MINMHZ", right: true, abbr: false, json: "number", cell: none },
];

type Mode = "summary" | "readable" | "parsable" | "caches";

interface Options {
  mode: Mode;
  outarg: string | undefined;
  all: boolean;
  online: boolean;
  offline: boolean;
  json: boolean;
  hex: boolean;
  physical: boolean;
  modifier: boolean;
  /** -B: sizes in bytes. */
  bytes: boolean;
  /** -s: a directory holding sys/ and proc/ to read instead of the machine's. */
  sysroot: string | undefined;
}

const LONG: Record<string, { c: string; arg: "none" | "optional" | "required" }> = {
  all: { c: "a", arg: "none" },
  online: { c: "b", arg: "none" },
  bytes: { c: "B", arg: "none" },
  caches: { c: "C", arg: "optional" },
  offline: { c: "c", arg: "none" },
  help: { c: "h", arg: "none" },
  extended: { c: "e", arg: "optional" },
  json: { c: "J", arg: "none" },
  parse: { c: "p", arg: "optional" },
  sysroot: { c: "s", arg: "required" },
  physical: { c: "y", arg: "none" },
  hex: { c: "x", arg: "none" },
  version: { c: "V", arg: "none" },
  "output-all": { c: "output-all", arg: "none" },
};
const SHORT_OPTIONAL = "Cep";
const EXCLUSIVE = [["C", "e", "p"], ["a", "b", "c"]];

function longName(c: string): string {
  return Object.entries(LONG).find(([, v]) => v.c === c)![0];
}

/** getopt_long over lscpu's table: the options, or the exit status after a message (or -h, -V). */
function parseOptions(ctx: CommandContext): Options | number {
  const o: Options = { mode: "summary", outarg: undefined, all: false, online: false, offline: false, json: false, hex: false, physical: false, modifier: false, sysroot: undefined, bytes: false };
  const args = ctx.argv.slice(1);
  const seen = EXCLUSIVE.map((): string | undefined => undefined);
  const operands: string[] = [];
  const fail = (msg: string): number => {
    ctx.stderr.write(`lscpu: ${msg}\nTry 'lscpu --help' for more information.\n`);
    return 1;
  };
  const apply = (c: string, arg: string | undefined): number | undefined => {
    for (let g = 0; g < EXCLUSIVE.length; g++) {
      if (!EXCLUSIVE[g]!.includes(c)) continue;
      if (seen[g] !== undefined && seen[g] !== c) {
        ctx.stderr.write(`lscpu: mutually exclusive arguments: ${EXCLUSIVE[g]!.map((x) => `--${longName(x)}`).join(" ")}\n`);
        return 1;
      }
      seen[g] = c;
    }
    const list = arg === undefined ? undefined : arg.startsWith("=") ? arg.slice(1) : arg;
    switch (c) {
      case "a": o.online = o.offline = true; o.modifier = true; break;
      case "b": o.online = true; o.modifier = true; break;
      case "c": o.offline = true; o.modifier = true; break;
      case "C": if (list !== undefined) o.outarg = list; o.mode = "caches"; break;
      case "e": if (list !== undefined) o.outarg = list; o.mode = "readable"; break;
      case "p": if (list !== undefined) o.outarg = list; o.mode = "parsable"; break;
      case "J": o.json = true; break;
      case "x": o.hex = true; break;
      case "y": o.physical = true; break;
      case "output-all": o.all = true; break;
      case "h": ctx.stdout.write(HELP); return 0;
      case "V": ctx.stdout.write(VERSION); return 0;
      case "s": o.sysroot = arg; break;
      case "B": o.bytes = true; break;
      default: break;
    }
    return undefined;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const matches = Object.keys(LONG).filter((l) => l.startsWith(name));
      const exact = matches.includes(name) ? name : matches.length === 1 ? matches[0] : undefined;
      if (exact === undefined) return fail(matches.length > 1 ? `option '${a}' is ambiguous; possibilities:${matches.map((m) => ` '--${m}'`).join("")}` : `unrecognized option '${a}'`);
      const spec = LONG[exact]!;
      let arg: string | undefined;
      if (spec.arg === "none" && eq >= 0) return fail(`option '--${exact}' doesn't allow an argument`);
      if (spec.arg === "optional" && eq >= 0) arg = a.slice(eq + 1);
      if (spec.arg === "required") {
        arg = eq >= 0 ? a.slice(eq + 1) : args[++i];
        if (arg === undefined) return fail(`option '--${exact}' requires an argument`);
      }
      const r = apply(spec.c, arg);
      if (r !== undefined) return r;
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (!"aBbCcehJpsxyV".includes(c)) return fail(`invalid option -- '${c}'`);
        let arg: string | undefined;
        if (SHORT_OPTIONAL.includes(c)) {
          if (j + 1 < a.length) arg = a.slice(j + 1);
          j = a.length;
        } else if (c === "s") {
          arg = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (arg === undefined) return fail(`option requires an argument -- 's'`);
          j = a.length;
        }
        const r = apply(c, arg);
        if (r !== undefined) return r;
      }
      continue;
    }
    operands.push(a);
  }
  if (o.modifier && o.mode === "summary") {
    ctx.stderr.write("lscpu: options --all, --online and --offline may only be used with options --extended or --parse.\n");
    return 1;
  }
  if (operands.length > 0) {
    ctx.stderr.write("lscpu: bad usage\nTry 'lscpu --help' for more information.\n");
    return 1;
  }
  if (!o.online && !o.offline) {
    o.online = true;
    o.offline = o.mode === "readable";
  }
  return o;
}

/** string_add_to_idarray(): the named columns, or the status after lscpu's message. */
function columnList(ctx: CommandContext, list: string, into: Column[]): number | undefined {
  if (list === "") return 1;
  let pos = 0;
  for (const name of list.split(",")) {
    if (name === "") return 1;
    const col = COLUMNS.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (col === undefined) {
      // lscpu names the rest of the list from the unknown column on
      ctx.stderr.write(`lscpu: unknown column: ${list.slice(pos)}\n`);
      return 1;
    }
    into.push(col);
    pos += name.length + 1;
  }
  return undefined;
}

/* ------------------------------------------------------------------ */
/* The summary                                                          */
/* ------------------------------------------------------------------ */

interface Row {
  key: string;
  /** Undefined for a section heading (shown on a terminal only). */
  value: string | undefined;
  children: Row[];
}

function row(parent: Row[], key: string, value: string | undefined): Row {
  const r: Row = { key, value, children: [] };
  parent.push(r);
  return r;
}

function summaryRows(d: LscpuData, hex: boolean, term: boolean, bytes: boolean): Row[] {
  const rows: Row[] = [];
  const info = d.info;
  const set = (cpus: readonly number[]): string => (hex ? formatHexMask(cpus) : formatList(cpus));
  const arch = row(rows, "Architecture:", "x86_64");
  row(arch.children, "CPU op-mode(s):", "32-bit, 64-bit");
  if (info.has("address sizes")) row(arch.children, "Address sizes:", info.get("address sizes"));
  row(arch.children, "Byte Order:", "Little Endian");

  const cpus = row(rows, "CPU(s):", String(d.present.length));
  if (d.online !== undefined) {
    row(cpus.children, hex ? "On-line CPU(s) mask:" : "On-line CPU(s) list:", set(d.online));
    const off = d.present.filter((c) => !d.online!.includes(c));
    if (off.length > 0) row(cpus.children, hex ? "Off-line CPU(s) mask:" : "Off-line CPU(s) list:", set(off));
  }

  const vendorRows = info.has("vendor_id") ? row(rows, "Vendor ID:", info.get("vendor_id")).children : rows;
  const model = row(vendorRows, "Model name:", info.get("model name") ?? "-");
  const m = model.children;
  if (info.has("cpu family")) row(m, "CPU family:", info.get("cpu family"));
  if (info.has("model")) row(m, "Model:", info.get("model"));
  row(m, "Thread(s) per core:", String(d.threadsPerCore));
  row(m, "Core(s) per socket:", String(d.coresPerSocket));
  row(m, "Socket(s):", String(d.sockets));
  if (info.has("stepping")) row(m, "Stepping:", info.get("stepping"));
  if (info.has("bogomips")) row(m, "BogoMIPS:", Number(info.get("bogomips")).toFixed(2));
  if (info.has("flags")) row(m, "Flags:", info.get("flags"));

  const flags = ` ${info.get("flags") ?? ""} `;
  const virt = flags.includes(" vmx ") ? "VT-x" : flags.includes(" svm ") ? "AMD-V" : undefined;
  if (virt !== undefined) row(row(rows, "Virtualization features:", undefined).children, "Virtualization:", virt);

  let caches: Row[] | undefined;
  for (const name of cacheNames(d)) {
    const { size, n } = cacheSum(d, name);
    if (size === 0) continue;
    caches ??= row(rows, "Caches (sum of all):", undefined).children;
    const count = `(${n} ${n === 1 ? "instance" : "instances"})`;
    row(caches, term ? `${name}:` : `${name} cache:`, `${bytes ? String(size) : humanSize(size, true)} ${count}`);
  }

  if (d.nodes.length > 0) {
    const numa = row(rows, "NUMA:", undefined).children;
    row(numa, "NUMA node(s):", String(d.nodes.length));
    for (const n of d.nodes) row(numa, `NUMA node${n.id} CPU(s):`, set(n.cpus));
  }
  if (d.vulnerabilities.length > 0) {
    const vul = row(rows, "Vulnerabilities:", undefined).children;
    for (const v of d.vulnerabilities) row(vul, term ? `${v.name}:` : `Vulnerability ${v.name}:`, v.text);
  }
  return rows;
}

/** Rows in order with their depth; headings dropped when not on a terminal. */
function flatten(rows: Row[], term: boolean, depth = 0, out: { key: string; value: string | undefined }[] = []): { key: string; value: string | undefined }[] {
  for (const r of rows) {
    if (term) out.push({ key: "  ".repeat(depth) + r.key, value: r.value });
    else if (r.value !== undefined) out.push({ key: r.key, value: r.value });
    flatten(r.children, term, depth + 1, out);
  }
  return out;
}

/** libsmartcols' two columns: the key padded to the widest, a space, the value (wrapped on a terminal). */
function printSummary(rows: Row[], term: boolean, width: number): string {
  const lines = flatten(rows, term);
  const w = Math.max(...lines.map((l) => l.key.length));
  const room = Math.max(1, width - w - 1);
  let out = "";
  for (const l of lines) {
    const v = l.value ?? "";
    if (!term) {
      out += `${l.key.padEnd(w)} ${v}\n`;
      continue;
    }
    out += `${l.key.padEnd(w)} ${v.slice(0, room)}\n`;
    for (let i = room; i < v.length; i += room) out += `${" ".repeat(w + 1)}${v.slice(i, i + room)}\n`;
  }
  return out;
}

/** libsmartcols' JSON: three-space indents, `},{` between siblings, a terminal's tree as nested children. */
function jsonRows(rows: Row[], term: boolean, indent: number): string {
  const pad = " ".repeat(indent);
  const item = (key: string, value: string | undefined): string =>
    `${pad}   "field": ${JSON.stringify(key)},\n${pad}   "data": ${value === undefined ? "null" : JSON.stringify(value)}`;
  const items = term
    ? rows.map((r) => item(r.key, r.value) + (r.children.length > 0 ? `,\n${pad}   "children": [\n${jsonRows(r.children, term, indent + 6)}\n${pad}   ]` : ""))
    : flatten(rows, false).map((l) => item(l.key, l.value));
  return `${pad}{\n${items.join(`\n${pad}},{\n`)}\n${pad}}`;
}

/* ------------------------------------------------------------------ */
/* -e and -p                                                            */
/* ------------------------------------------------------------------ */

function shownCpus(d: LscpuData, o: Options): LscpuCpu[] {
  if (d.online === undefined) return d.cpus;
  return d.cpus.filter((c) => (c.online ? o.online : o.offline));
}

/** A column's header in -e (the CACHE column's is the cache names). */
function header(d: LscpuData, col: Column, compatible: boolean): string {
  return col.name === "CACHE" ? cacheHeader(d, compatible) : col.name;
}

function printReadable(d: LscpuData, o: Options, cols: Column[]): string {
  const x: Ctx = { d, physical: o.physical, compatible: false };
  const names = cols.map((c) => header(d, c, false));
  const cpus = shownCpus(d, o);
  const cells = cpus.map((c) => cols.map((col) => col.cell(c, x, false) || "-"));
  if (o.json) {
    const body = cpus.map((_c, i) =>
      cols
        .map((col, k) => {
          const v = cells[i]![k]!;
          const val = col.json === "number" ? v : col.json === "boolean" ? (v === "-" ? "null" : /^[0Nn]/.test(v) ? "false" : "true") : JSON.stringify(v);
          return `         ${JSON.stringify(names[k]!.toLowerCase())}: ${val}`;
        })
        .join(",\n"),
    );
    return `{\n   "cpus": [\n${body.length === 0 ? "" : `      {\n${body.join("\n      },{\n")}\n      }`}\n   ]\n}\n`;
  }
  // libsmartcols prints no header for a table without lines
  if (cells.length === 0) return "";
  const widths = cols.map((_col, k) => Math.max(names[k]!.length, ...cells.map((r) => r[k]!.length)));
  const line = (vals: string[]): string =>
    vals
      .map((v, k) => (cols[k]!.right ? v.padStart(widths[k]!) : k === vals.length - 1 ? v : v.padEnd(widths[k]!)))
      .join(" ") + "\n";
  return line(names) + cells.map(line).join("");
}

/**
 * -p. With the default columns (`compatible`) the CACHE column has an empty
 * field before it and is left out when there are no caches, as lscpu's
 * output has been since its first versions.
 */
function printParsable(d: LscpuData, o: Options, cols: Column[], compatible: boolean): string {
  const x: Ctx = { d, physical: o.physical, compatible };
  let out = "# The following is the parsable format, which can be fed to other\n# programs. Each different item in every column has an unique ID\n# starting usually from zero.\n";
  const fields = (f: (col: Column) => string): string => {
    let line = "";
    cols.forEach((col, i) => {
      if (compatible && col.name === "CACHE") {
        if (d.caches.length === 0) return;
        if (i !== 0) line += ",";
      }
      if (i > 0) line += ",";
      line += f(col);
    });
    return line;
  };
  out += "# " + fields((c) => (c.abbr || c.name === "CACHE" ? header(d, c, compatible) : c.name[0] + c.name.slice(1).toLowerCase())) + "\n";
  for (const c of shownCpus(d, o)) out += fields((col) => col.cell(c, x, true)) + "\n";
  return out;
}

/** coldescs_cache[]: name, right alignment, JSON number, cell. */
interface CacheColumn {
  name: string;
  right: boolean;
  number: boolean;
  cell(ca: LscpuCache, d: LscpuData, bytes: boolean): string;
}

const size = (n: number, bytes: boolean): string => (n === 0 ? "" : bytes ? String(n) : humanSize(n, false));
const count = (n: number): string => (n === 0 ? "" : String(n));
const CACHE_COLUMNS: CacheColumn[] = [
  { name: "ALL-SIZE", right: true, number: false, cell: (ca, d, b) => size(cacheSum(d, ca.name).size, b) },
  { name: "LEVEL", right: true, number: true, cell: (ca) => count(ca.level) },
  { name: "NAME", right: false, number: false, cell: (ca) => ca.name },
  { name: "ONE-SIZE", right: true, number: false, cell: (ca, _d, b) => size(ca.size, b) },
  { name: "TYPE", right: false, number: false, cell: (ca) => ca.type },
  { name: "WAYS", right: true, number: true, cell: (ca) => count(ca.ways) },
  { name: "ALLOC-POLICY", right: false, number: false, cell: (ca) => ca.allocPolicy ?? "" },
  { name: "WRITE-POLICY", right: false, number: false, cell: (ca) => ca.writePolicy ?? "" },
  { name: "PHY-LINE", right: true, number: true, cell: (ca) => count(ca.phyLine) },
  { name: "SETS", right: true, number: true, cell: (ca) => count(ca.sets) },
  { name: "COHERENCY-SIZE", right: true, number: true, cell: (ca) => count(ca.coherency) },
];
const CACHE_DEFAULT = ["NAME", "ONE-SIZE", "ALL-SIZE", "WAYS", "TYPE", "LEVEL", "SETS", "PHY-LINE", "COHERENCY-SIZE"];

/** -C: one line a cache name (its first instance), empty cells where a file is missing. */
function printCaches(ctx: CommandContext, d: LscpuData, o: Options): number {
  const cols: CacheColumn[] = o.all ? [...CACHE_COLUMNS] : [];
  if (cols.length === 0 && o.outarg === undefined) cols.push(...CACHE_DEFAULT.map((n) => CACHE_COLUMNS.find((c) => c.name === n)!));
  if (o.outarg !== undefined) {
    if (o.outarg === "") return 1;
    let pos = 0;
    for (const name of o.outarg.split(",")) {
      const col = CACHE_COLUMNS.find((c) => c.name.toLowerCase() === name.toLowerCase());
      if (name === "") return 1;
      if (col === undefined) {
        ctx.stderr.write(`lscpu: unknown column: ${o.outarg.slice(pos)}\n`);
        return 1;
      }
      cols.push(col);
      pos += name.length + 1;
    }
  }
  const firsts = cacheNames(d).map((n) => d.caches.find((c) => c.name === n)!);
  const cells = firsts.map((ca) => cols.map((col) => col.cell(ca, d, o.bytes)));
  if (o.json) {
    const body = cells.map((r) =>
      r.map((v, k) => `         ${JSON.stringify(cols[k]!.name.toLowerCase())}: ${v === "" ? "null" : cols[k]!.number ? v : JSON.stringify(v)}`).join(",\n"),
    );
    ctx.stdout.write(`{\n   "caches": [\n${body.length === 0 ? "" : `      {\n${body.join("\n      },{\n")}\n      }`}\n   ]\n}\n`);
    return 0;
  }
  if (cells.length === 0) return 0;
  const widths = cols.map((col, k) => Math.max(col.name.length, ...cells.map((r) => r[k]!.length)));
  const line = (vals: string[]): string =>
    vals.map((v, k) => (cols[k]!.right ? v.padStart(widths[k]!) : k === vals.length - 1 ? v : v.padEnd(widths[k]!))).join(" ") + "\n";
  ctx.stdout.write(line(cols.map((c) => c.name)) + cells.map(line).join(""));
  return 0;
}

export function lscpu(ctx: CommandContext): number {
  const o = parseOptions(ctx);
  if (typeof o === "number") return o;
  const d = readLscpu(ctx.vfs, o.sysroot === undefined ? "" : ctx.resolve(o.sysroot).replace(/\/+$/, ""));
  if (!d.hasPossible) {
    ctx.stderr.write("lscpu: failed to determine number of CPUs: /sys/devices/system/cpu/possible: No such file or directory\n");
    return 1;
  }
  const term = ctx.stdout.isTty === true;
  if (o.mode === "summary") {
    const rows = summaryRows(d, o.hex, term, o.bytes);
    if (o.json) ctx.stdout.write(`{\n   "lscpu": [\n${jsonRows(rows, term, 6)}\n   ]\n}\n`);
    else ctx.stdout.write(printSummary(rows, term, Number(ctx.env.COLUMNS) || 80));
    return 0;
  }
  if (o.mode === "caches") return printCaches(ctx, d, o);
  const cols: Column[] = [];
  if (o.all) cols.push(...COLUMNS);
  const byName = (n: string): Column => COLUMNS.find((c) => c.name === n)!;
  if (cols.length === 0 && o.outarg === undefined) {
    if (o.mode === "readable") {
      cols.push(byName("CPU"));
      if (d.nodes.length > 0) cols.push(byName("NODE"));
      if (d.sockets > 0) cols.push(byName("SOCKET"));
      if (d.cores > 0) cols.push(byName("CORE"));
      if (d.caches.length > 0) cols.push(byName("CACHE"));
      if (d.online !== undefined) cols.push(byName("ONLINE"));
    } else cols.push(byName("CPU"), byName("CORE"), byName("SOCKET"), byName("NODE"), byName("CACHE"));
  }
  // as Debian's 2.38.1 does: any -p without --output-all is "compatible", a column list too
  const compatible = o.mode === "parsable" && !o.all;
  if (o.outarg !== undefined) {
    const r = columnList(ctx, o.outarg, cols);
    if (r !== undefined) return r;
  }
  ctx.stdout.write(o.mode === "readable" ? printReadable(d, o, cols) : printParsable(d, o, cols, compatible));
  return 0;
}
