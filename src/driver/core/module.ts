/**
 * Loadable modules: dependencies, reference counts, holders, init/exit hooks,
 * `/sys/module/<name>/{refcnt,initstate,holders/,parameters/}`, the text of
 * `/proc/modules` and `lsmod`, and modprobe/rmmod with kmod's messages.
 *
 * linux: kernel/module/main.c (try_module_get, ref_module, delete_module);
 * kmod: tools/modprobe.c, tools/rmmod.c. Functions return 0 or -errno; the
 * message a tool would print is returned alongside for the shell to write.
 */
import type { KnDir } from "../../kernfs/node.js";
import { Errno, strerror } from "../../lib/errno.js";

/** One module parameter: /sys/module/<m>/parameters/<name>. */
export interface ModuleParam {
  mode: number;
  show(): string;
  /** 0 or -errno. */
  store?(val: string): number;
}

/** What a module is, before it is loaded. */
export interface ModuleDef {
  name: string;
  /** Modules it needs (loaded first, held while it is loaded). */
  deps: string[];
  /** Size in bytes, as /proc/modules shows it. */
  size: number;
  /** module_init: 0 or -errno. `params` are name=value pairs given to modprobe. */
  init?(params: Record<string, string>): number;
  /** module_exit */
  exit?(): void;
  params?: Record<string, ModuleParam>;
}

interface Loaded {
  def: ModuleDef;
  /** try_module_get() references, plus one per module that uses it. */
  refcnt: number;
  /** Modules that depend on this one. */
  holders: Set<string>;
  /** "live" | "coming" | "going" */
  state: string;
}

/** Result of a tool-level operation: 0/-errno and kmod's message lines (stderr). */
export interface ModResult {
  rc: number;
  messages: string[];
}

/** A handle for try_module_get()/module_put() (THIS_MODULE). */
export interface ModuleHandle {
  name: string;
  get(): boolean;
  put(): void;
}

/**
 * The module registry.
 *
 * @example
 * const mods = new ModuleRegistry(sysModule, "6.12.0-iaa-emu");
 * mods.define({ name: "idxd_bus", deps: [], size: 40960 });
 * mods.modprobe("idxd").rc; // 0, idxd_bus loaded first
 */
export class ModuleRegistry {
  private defs = new Map<string, ModuleDef>();
  /** Loaded modules in load order (lsmod prints the newest first). */
  private loaded = new Map<string, Loaded>();

  constructor(
    private readonly sysModule: KnDir,
    readonly release: string,
  ) {}

  /** Makes a module known (as if its .ko were in /lib/modules/<release>). */
  define(def: ModuleDef): void {
    this.defs.set(def.name.replace(/-/g, "_"), def);
  }

  isLoaded(name: string): boolean {
    return this.loaded.has(norm(name));
  }

  /** Names of loaded modules, oldest first. */
  list(): string[] {
    return [...this.loaded.keys()];
  }

  refcnt(name: string): number {
    return this.loaded.get(norm(name))?.refcnt ?? -1;
  }

  /** THIS_MODULE for a module's code. */
  handle(name: string): ModuleHandle {
    const n = norm(name);
    return {
      name: n,
      get: () => this.tryGet(n),
      put: () => this.put(n),
    };
  }

  /** try_module_get(): false if the module is not loaded or going away (module_is_live(): state != GOING, so a module still in its init counts). */
  tryGet(name: string): boolean {
    const m = this.loaded.get(norm(name));
    if (m === undefined || m.state === "going") return false;
    m.refcnt++;
    return true;
  }

  /** module_put() */
  put(name: string): void {
    const m = this.loaded.get(norm(name));
    if (m !== undefined && m.refcnt > 0) m.refcnt--;
  }

  /**
   * modprobe NAME [param=value…]: loads dependencies first; a loaded module is
   * a no-op. Unknown → -ENOENT with `modprobe: FATAL: Module foo not found in
   * directory /lib/modules/<release>`; a failing init → its errno with
   * `modprobe: ERROR: could not insert 'foo': <strerror>`.
   */
  modprobe(name: string, params: Record<string, string> = {}): ModResult {
    const n = norm(name);
    const def = this.defs.get(n);
    if (def === undefined) return { rc: -Errno.ENOENT, messages: [`modprobe: FATAL: Module ${name} not found in directory /lib/modules/${this.release}`] };
    if (this.loaded.has(n)) return { rc: 0, messages: [] };
    for (const dep of def.deps) {
      const r = this.modprobe(dep);
      if (r.rc !== 0) return r;
    }
    const rc = this.insmod(def, params);
    if (rc !== 0) return { rc, messages: [`modprobe: ERROR: could not insert '${n}': ${strerrorOf(rc)}`] };
    return { rc: 0, messages: [] };
  }

  /**
   * rmmod NAME: in use → -EBUSY with `rmmod: ERROR: Module X is in use` (or
   * `… is in use by: a b`); not loaded → -ENOENT with `rmmod: ERROR: Module X
   * is not currently loaded`.
   */
  rmmod(name: string): ModResult {
    const n = norm(name);
    const m = this.loaded.get(n);
    if (m === undefined) return { rc: -Errno.ENOENT, messages: [`rmmod: ERROR: Module ${n} is not currently loaded`] };
    if (m.holders.size > 0) return { rc: -Errno.EBUSY, messages: [`rmmod: ERROR: Module ${n} is in use by: ${[...m.holders].join(" ")}`] };
    if (m.refcnt > 0) return { rc: -Errno.EBUSY, messages: [`rmmod: ERROR: Module ${n} is in use`] };
    this.unload(n, m);
    return { rc: 0, messages: [] };
  }

  /**
   * modprobe -r NAME: removes the module, then dependencies nobody else uses.
   * Messages as modprobe prints them (`modprobe: FATAL: Module X is in use.`).
   */
  modprobeRemove(name: string): ModResult {
    const n = norm(name);
    const m = this.loaded.get(n);
    if (m === undefined) {
      if (!this.defs.has(n)) return { rc: -Errno.ENOENT, messages: [`modprobe: FATAL: Module ${name} not found.`] };
      return { rc: 0, messages: [] };
    }
    if (m.holders.size > 0 || m.refcnt > 0) return { rc: -Errno.EBUSY, messages: [`modprobe: FATAL: Module ${n} is in use.`] };
    this.unload(n, m);
    for (const dep of [...m.def.deps].reverse()) {
      const d = this.loaded.get(dep);
      if (d !== undefined && d.holders.size === 0 && d.refcnt === 0) this.modprobeRemove(dep);
    }
    return { rc: 0, messages: [] };
  }

  private insmod(def: ModuleDef, params: Record<string, string>): number {
    const n = norm(def.name);
    const m: Loaded = { def, refcnt: 0, holders: new Set(), state: "coming" };
    this.loaded.set(n, m);
    for (const dep of def.deps) {
      const d = this.loaded.get(norm(dep))!;
      d.refcnt++;
      d.holders.add(n);
    }
    const rc = def.init?.(params) ?? 0;
    if (rc !== 0) {
      this.dropDeps(n, def);
      this.loaded.delete(n);
      return rc;
    }
    m.state = "live";
    this.makeSysfs(n, m);
    for (const dep of def.deps) this.sysModule.dir(norm(dep)).dir("holders").link(n, `../../${n}`);
    return 0;
  }

  private unload(n: string, m: Loaded): void {
    m.state = "going";
    m.def.exit?.();
    this.dropDeps(n, m.def);
    for (const dep of m.def.deps) this.sysModule.dir(norm(dep)).dir("holders").remove(n);
    this.loaded.delete(n);
    this.sysModule.remove(n);
  }

  private dropDeps(n: string, def: ModuleDef): void {
    for (const dep of def.deps) {
      const d = this.loaded.get(norm(dep));
      if (d === undefined) continue;
      d.refcnt = Math.max(0, d.refcnt - 1);
      d.holders.delete(n);
    }
  }

  private makeSysfs(n: string, m: Loaded): void {
    const d = this.sysModule.dir(n);
    d.attr("refcnt", 0o444, () => `${m.refcnt}\n`);
    d.attr("initstate", 0o444, () => `${m.state}\n`);
    d.attr("coresize", 0o444, () => `${m.def.size}\n`);
    d.dir("holders");
    const params = m.def.params;
    if (params !== undefined && Object.keys(params).length > 0) {
      const p = d.dir("parameters");
      for (const [k, v] of Object.entries(params)) p.attr(k, v.mode, () => v.show(), v.store === undefined ? undefined : (buf) => v.store!(buf));
    }
  }

  /** The text of /proc/modules: `name size refcnt holders, state address`, newest first. */
  procModules(): string {
    const lines: string[] = [];
    for (const [n, m] of [...this.loaded].reverse()) {
      const holders = m.holders.size > 0 ? [...m.holders].map((h) => `${h},`).join("") : "-";
      lines.push(`${n} ${m.def.size} ${m.refcnt} ${holders} ${m.state === "live" ? "Live" : m.state === "coming" ? "Loading" : "Unloading"} 0x0000000000000000`);
    }
    return lines.map((l) => l + "\n").join("");
  }

  /** lsmod's output. */
  lsmod(): string {
    const out = ["Module                  Size  Used by"];
    for (const [n, m] of [...this.loaded].reverse()) {
      const by = [...m.holders].join(",");
      out.push(`${n.padEnd(19)} ${String(m.def.size).padStart(8)}  ${m.refcnt}${by !== "" ? " " + by : ""}`);
    }
    return out.join("\n") + "\n";
  }
}

function norm(name: string): string {
  return name.replace(/-/g, "_");
}

function strerrorOf(rc: number): string {
  return strerror(-rc);
}
