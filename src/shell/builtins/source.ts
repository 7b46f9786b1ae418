/** `source file [args]` and `. file [args]`. */
import { SysError, strerror } from "../../lib/errno.js";
import { joinPath } from "../pattern.js";
import { ReturnSignal } from "../signals.js";
import type { Builtin } from "./api.js";

export const source: Builtin = (sh, args, io) => {
  if (args.length === 0) {
    sh.err(io, `${args.length === 0 ? "source" : ""}: filename argument required`);
    return 2;
  }
  const file = args[0]!;
  let path = file.includes("/") ? sh.abs(file) : null;
  if (path === null) {
    for (const dir of (sh.getVar("PATH") ?? "").split(":")) {
      const p = joinPath(sh.abs(dir || "."), file);
      const n = sh.rt.vfs.lookup(p);
      if (n !== undefined && n.kind !== "dir") {
        path = p;
        break;
      }
    }
    path ??= sh.abs(file);
  }
  let text: string;
  try {
    text = sh.rt.vfs.readText(path);
  } catch (e) {
    if (e instanceof SysError) {
      sh.err(io, `${file}: ${strerror(e.errno)}`);
      return 1;
    }
    throw e;
  }
  const savedPos = sh.positional;
  const savedMode = sh.mode;
  const savedName = sh.scriptName;
  if (args.length > 1) sh.positional = args.slice(1);
  sh.sourceDepth++;
  if (sh.mode !== "interactive") {
    sh.mode = "script";
    sh.scriptName = file;
  }
  try {
    return sh.runText(text, io);
  } catch (e) {
    if (e instanceof ReturnSignal) return e.status;
    throw e;
  } finally {
    sh.sourceDepth--;
    sh.mode = savedMode;
    sh.scriptName = savedName;
    if (args.length > 1) sh.positional = savedPos;
  }
};
