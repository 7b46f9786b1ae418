/**
 * kmod's `modprobe`, `rmmod` and `lsmod` over the machine's module registry.
 */
import type { ModuleRegistry } from "../../driver/core/module.js";
import type { Command, CommandContext } from "../../shell/types.js";

function bad(ctx: CommandContext, prog: string, m: string): number {
  ctx.stderr.write(`${prog}: ERROR: ${m}\n`);
  return 1;
}

export function modprobe(mods: ModuleRegistry): Command {
  return (ctx) => {
    let remove = false;
    let quiet = false;
    const rest: string[] = [];
    for (const a of ctx.argv.slice(1)) {
      if (rest.length > 0) rest.push(a);
      else if (a === "-r" || a === "--remove") remove = true;
      else if (a === "-q" || a === "--quiet") quiet = true;
      else if (a === "-v" || a === "--verbose" || a === "-b" || a === "--use-blacklist") continue;
      else if (a.startsWith("-")) return bad(ctx, "modprobe", `unrecognized option '${a}'`);
      else rest.push(a);
    }
    if (rest.length === 0) {
      ctx.stderr.write("modprobe: ERROR: missing parameters. See -h.\n");
      return 1;
    }
    if (remove) {
      let status = 0;
      for (const name of rest) {
        const r = mods.modprobeRemove(name);
        if (!quiet) for (const m of r.messages) ctx.stderr.write(m + "\n");
        if (r.rc !== 0) status = 1;
      }
      return status;
    }
    const [name, ...params] = rest;
    const kv: Record<string, string> = {};
    for (const p of params) {
      const i = p.indexOf("=");
      kv[i < 0 ? p : p.slice(0, i)] = i < 0 ? "" : p.slice(i + 1);
    }
    const r = mods.modprobe(name!, kv);
    if (!quiet || r.rc !== -2) for (const m of r.messages) ctx.stderr.write(m + "\n");
    return r.rc === 0 ? 0 : 1;
  };
}

export function rmmod(mods: ModuleRegistry): Command {
  return (ctx) => {
    const names: string[] = [];
    for (const a of ctx.argv.slice(1)) {
      if (a === "-f" || a === "--force" || a === "-v" || a === "--verbose" || a === "-s" || a === "--syslog") continue;
      if (a.startsWith("-")) return bad(ctx, "rmmod", `unrecognized option '${a}'`);
      names.push(a.replace(/\.ko$/, "").replace(/^.*\//, ""));
    }
    if (names.length === 0) {
      ctx.stderr.write("rmmod: ERROR: missing module name.\n");
      return 1;
    }
    let status = 0;
    for (const n of names) {
      const r = mods.rmmod(n);
      for (const m of r.messages) ctx.stderr.write(m + "\n");
      if (r.rc !== 0) status = 1;
    }
    return status;
  };
}

export function lsmod(mods: ModuleRegistry): Command {
  return (ctx) => {
    if (ctx.argv.length > 1) {
      ctx.stderr.write("Usage: lsmod\n");
      return 1;
    }
    ctx.stdout.write(mods.lsmod());
    return 0;
  };
}
