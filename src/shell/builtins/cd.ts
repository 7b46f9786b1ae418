/** `cd [-L|-P] [dir]` and `pwd [-LP]`. */
import { Errno, SysError, strerror } from "../../lib/errno.js";
import type { Builtin } from "./api.js";

export const cd: Builtin = (sh, args, io) => {
  const a = args.filter((x) => x !== "-L" && x !== "-P" && x !== "--");
  if (a.length > 1) {
    sh.err(io, "cd: too many arguments");
    return 1;
  }
  let dir: string | undefined = a[0];
  let print = false;
  if (dir === undefined) {
    dir = sh.getVar("HOME");
    if (dir === undefined) {
      sh.err(io, "cd: HOME not set");
      return 1;
    }
  } else if (dir === "-") {
    dir = sh.getVar("OLDPWD");
    if (dir === undefined) {
      sh.err(io, "cd: OLDPWD not set");
      return 1;
    }
    print = true;
  }
  const target = sh.abs(dir);
  try {
    const st = sh.rt.vfs.stat(target);
    if (st.type !== "dir") throw new SysError(Errno.ENOTDIR, "chdir", target);
  } catch (e) {
    if (e instanceof SysError) {
      sh.err(io, `cd: ${dir}: ${strerror(e.errno)}`);
      return 1;
    }
    throw e;
  }
  sh.setVar("OLDPWD", sh.cwd);
  sh.cwd = target;
  sh.setVar("PWD", target);
  if (print) return sh.out(io, "cd", target + "\n");
  return 0;
};

export const pwd: Builtin = (sh, args, io) => {
  if (args.includes("-P")) {
    try {
      return sh.out(io, "pwd", sh.rt.vfs.realpath(sh.cwd) + "\n");
    } catch {
      return sh.out(io, "pwd", sh.cwd + "\n");
    }
  }
  return sh.out(io, "pwd", sh.cwd + "\n");
};
