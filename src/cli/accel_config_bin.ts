#!/usr/bin/env node
/**
 * `iaa accel-config ...` (and the `iaa-accel-config` bin): accel-config on the
 * machine, from the host's shell. It never takes the name `accel-config` on
 * the host, where it would shadow the real tool; inside the machine (`iaa sh`,
 * `iaa exec`) it is `accel-config`.
 *
 * A config file named with `load-config -c FILE` is copied from the host into
 * the machine at the same absolute path first; the file `save-config -s FILE`
 * writes is copied back to the host afterwards.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { isEntryPoint } from "./_entry.js";
import { hostTty, runRequest } from "../host/client.js";
import { StateError, stateDirPath } from "../host/state_dir.js";
import { processIo, type CliIo } from "./cli_io.js";

/** The index of the file argument of an option given as `-x F`, `-xF`, `--long F` or `--long=F` (and the prefix before it). */
function optionFile(argv: string[], short: string, long: string): { index: number; prefix: string; value: string } | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if ((a === short || a === long) && i + 1 < argv.length) return { index: i + 1, prefix: "", value: argv[i + 1]! };
    if (a.startsWith(long + "=")) return { index: i, prefix: long + "=", value: a.slice(long.length + 1) };
    if (a.startsWith(short) && a.length > short.length && !a.startsWith("--")) return { index: i, prefix: short, value: a.slice(short.length) };
  }
  return undefined;
}

/** Runs accel-config `args` on the machine; returns its exit status. */
export async function accelConfigOnHost(args: string[], io: CliIo = processIo()): Promise<number> {
  const files: Record<string, string> = {};
  const cmd = args.find((a) => !a.startsWith("-"));
  const mapped = [...args];
  const load = cmd === "load-config" ? optionFile(args, "-c", "--config-file") : undefined;
  if (load !== undefined) {
    const abs = resolve(load.value);
    try {
      files[abs] = readFileSync(abs, "utf8");
      mapped[load.index] = load.prefix + abs;
    } catch {
      // not on the host: accel-config reports it from inside the machine
    }
  }
  const save = cmd === "save-config" ? optionFile(args, "-s", "--saved-file") : undefined;
  const saveAbs = save === undefined ? null : resolve(save.value);
  if (save !== undefined) mapped[save.index] = save.prefix + saveAbs!;
  try {
    const r = await runRequest(stateDirPath(), { op: "accel-config", argv: mapped, files, save: saveAbs, tty: hostTty() });
    if (saveAbs !== null && typeof r.data === "string") writeFileSync(saveAbs, r.data);
    return r.status;
  } catch (e) {
    if (e instanceof StateError) {
      io.stderr(e.message + "\n");
      return 1;
    }
    const err = e as NodeJS.ErrnoException;
    if (typeof err.code === "string" && saveAbs !== null) {
      io.stderr(`accel-config: cannot write ${saveAbs}: ${err.message}\n`);
      return 1;
    }
    throw e;
  }
}

if (isEntryPoint(import.meta.url)) {
  accelConfigOnHost(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
