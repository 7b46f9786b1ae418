#!/usr/bin/env node
/**
 * `accel-config` on the host: runs accel-config on the persistent machine
 * (the one `iaa boot` created), so `accel-config list` works from a real shell.
 *
 * A config file named with `load-config -c FILE` is copied from the host into
 * the machine at the same absolute path first; the file `save-config -s FILE`
 * writes is copied back to the host afterwards.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { isEntryPoint } from "./_entry.js";
import { fdSink } from "./_host_sink.js";
import { withMachine } from "../host/session.js";
import { StateError } from "../host/state_dir.js";


/** The file argument of an option given as `-x F`, `-xF`, `--long F` or `--long=F`. */
function optionFile(argv: string[], short: string, long: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === short || a === long) return argv[i + 1];
    if (a.startsWith(long + "=")) return a.slice(long.length + 1);
    if (a.startsWith(short) && a.length > short.length && !a.startsWith("--")) return a.slice(short.length);
  }
  return undefined;
}

/** Runs accel-config `args` on the persistent machine; returns its exit status. */
export function accelConfigOnHost(args: string[]): number {
  const files: Record<string, string> = {};
  const cmd = args.find((a) => !a.startsWith("-"));
  const load = cmd === "load-config" ? optionFile(args, "-c", "--config-file") : undefined;
  const save = cmd === "save-config" ? optionFile(args, "-s", "--saved-file") : undefined;
  const mapped = [...args];
  if (load !== undefined) {
    const abs = resolve(load);
    try {
      files[abs] = readFileSync(abs, "utf8");
      mapped[mapped.indexOf(load) >= 0 ? mapped.indexOf(load) : mapped.length] = abs;
    } catch {
      // not on the host: accel-config reports it from inside the machine
    }
  }
  const saveAbs = save === undefined ? undefined : resolve(save);
  if (save !== undefined && mapped.includes(save)) mapped[mapped.indexOf(save)] = saveAbs!;
  try {
    return withMachine((live) => {
      if (saveAbs !== undefined) live.world.stack.machine.vfs.mkdir(saveAbs.slice(0, saveAbs.lastIndexOf("/")) || "/", { parents: true });
      const entry = { kind: "exec" as const, argv: ["accel-config", ...mapped], files };
      const status = live.apply(entry, { stdout: fdSink(1), stderr: fdSink(2) });
      if (saveAbs !== undefined && status === 0) writeFileSync(saveAbs, live.world.stack.machine.vfs.readText(saveAbs));
      return { entry, result: status };
    });
  } catch (e) {
    if (e instanceof StateError) {
      process.stderr.write(e.message.replace(/^iaa:/, "accel-config:") + "\n");
      return 1;
    }
    throw e;
  }
}


if (isEntryPoint(import.meta.url)) process.exitCode = accelConfigOnHost(process.argv.slice(2));
