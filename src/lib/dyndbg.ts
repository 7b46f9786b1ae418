/**
 * Dynamic debug: which pr_debug()/dev_dbg() call sites print.
 *
 * linux: lib/dynamic_debug.c. A module registers its call sites when it is
 * loaded and drops them when it is unloaded. Writes to
 * /sys/kernel/debug/dynamic_debug/control such as `module iaa_crypto +p`
 * change the flags of every matching site.
 *
 * Queries that name a module are also remembered and applied again when the
 * module is loaded anew, as if they were its `dyndbg=` option: the
 * documentation enables iaa_crypto's debug output once and expects to see it
 * after its set-up script reloads the module (the kernel alone would need
 * `options iaa_crypto dyndbg=+p` in modprobe.d for that).
 */
import { Errno } from "./errno.js";

export interface DebugSite {
  module: string;
  func: string;
  /** Source file as the kernel lists it, e.g. drivers/crypto/intel/iaa/iaa_crypto_main.c */
  file: string;
  line: number;
  format: string;
  /** Flags letters currently set ("p", "pf", …); "" = off. */
  flags: string;
}

const FLAG_LETTERS = "pfslmt_";

export class DynamicDebug {
  private sites = new Map<string, DebugSite[]>();
  /** Queries naming a module, in order, re-applied when a matching module loads. */
  private remembered: { module: string; query: string }[] = [];
  /** module → functions with a printing site; rebuilt after any change of flags (enabled() runs on every request). */
  private printing: Map<string, Set<string>> | null = null;
  /** Whether any site prints (most of the time none does, and enabled() answers at once). */
  private anyPrinting = false;

  /** Registers a module's call sites (module load), with the remembered queries for it applied. */
  register(module: string, sites: Omit<DebugSite, "module" | "flags">[]): void {
    this.sites.set(
      module,
      sites.map((s) => ({ ...s, module, flags: "" })),
    );
    this.printing = null;
    for (const r of this.remembered) if (globMatch(r.module, module)) this.exec(r.query, false);
  }

  /** Forgets a module's call sites (module unload). */
  unregister(module: string): void {
    this.sites.delete(module);
    this.printing = null;
  }

  /** Whether the site `func` of `module` prints. */
  enabled(module: string, func: string): boolean {
    if (this.printing === null) {
      this.printing = new Map();
      for (const [m, list] of this.sites) this.printing.set(m, new Set(list.filter((s) => s.flags.includes("p")).map((s) => s.func)));
      this.anyPrinting = [...this.printing.values()].some((s) => s.size > 0);
    }
    if (!this.anyPrinting) return false;
    return this.printing.get(module)?.has(func) === true;
  }

  /** The text of the control file. */
  show(): string {
    let out = "# filename:lineno [module]function flags format\n";
    for (const list of this.sites.values()) {
      for (const s of list) {
        out += `${s.file}:${s.line} [${s.module}]${s.func} =${s.flags === "" ? "_" : s.flags} "${s.format}"\n`;
      }
    }
    return out;
  }

  /**
   * Executes control queries (`;` or newline separated), e.g.
   * `module iaa_crypto +p`. Returns 0 or -EINVAL.
   */
  exec(text: string, remember = true): number {
    const queries = text
      .split(/[;\n]/)
      .map((q) => q.replace(/#.*$/, "").trim())
      .filter((q) => q !== "");
    const parsed: { match: (s: DebugSite) => boolean; op: string; flags: string }[] = [];
    for (const q of queries) {
      const words = q.split(/\s+/);
      const spec = words.pop();
      if (spec === undefined || !/^[-+=][pfslmt_]*$/.test(spec) || words.length % 2 !== 0) return -Errno.EINVAL;
      const conds: ((s: DebugSite) => boolean)[] = [];
      for (let i = 0; i < words.length; i += 2) {
        const key = words[i]!;
        const val = words[i + 1]!;
        switch (key) {
          case "module":
            conds.push((s) => globMatch(val, s.module));
            break;
          case "func":
            conds.push((s) => globMatch(val, s.func));
            break;
          case "file":
            conds.push((s) => globMatch(val, s.file) || globMatch(val, s.file.split("/").pop()!));
            break;
          case "line": {
            const m = /^(\d*)(?:-(\d*))?$/.exec(val);
            if (m === null) return -Errno.EINVAL;
            const lo = m[1] === "" ? 0 : Number(m[1]);
            const hi = m[2] === undefined ? lo : m[2] === "" ? Infinity : Number(m[2]);
            conds.push((s) => s.line >= lo && s.line <= hi);
            break;
          }
          case "format":
            conds.push((s) => s.format.includes(val));
            break;
          default:
            return -Errno.EINVAL;
        }
      }
      parsed.push({ match: (s) => conds.every((c) => c(s)), op: spec[0]!, flags: spec.slice(1).replace(/_/g, "") });
      const mi = words.indexOf("module");
      if (remember && mi >= 0 && mi % 2 === 0) this.remembered.push({ module: words[mi + 1]!, query: q });
    }
    this.printing = null;
    for (const { match, op, flags } of parsed) {
      for (const list of this.sites.values()) {
        for (const s of list) {
          if (!match(s)) continue;
          if (op === "=") s.flags = flags;
          else if (op === "+") s.flags = [...new Set((s.flags + flags).split(""))].sort(byFlagOrder).join("");
          else s.flags = s.flags.split("").filter((c) => !flags.includes(c)).join("");
        }
      }
    }
    return 0;
  }
}

function byFlagOrder(a: string, b: string): number {
  return FLAG_LETTERS.indexOf(a) - FLAG_LETTERS.indexOf(b);
}

function globMatch(pattern: string, s: string): boolean {
  if (!pattern.includes("*") && !pattern.includes("?")) return pattern === s;
  const re = new RegExp("^" + pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$");
  return re.test(s);
}
