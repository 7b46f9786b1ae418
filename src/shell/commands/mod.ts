/** The file-only user-space commands, by program name. */
import type { Command } from "../types.js";
import { cat } from "./cat.js";
import { date } from "./date.js";
import { chmod, cp, ln, mkdir, mv, rm, rmdir, touch } from "./file_ops.js";
import { grep } from "./grep.js";
import { head, tail } from "./head_tail.js";
import { ls } from "./ls.js";
import { lspci } from "./lspci.js";
import { man } from "./man.js";
import { basename, clear, dirname, env, readlink, sleep, sync, uname, which } from "./small.js";
import { awk } from "./awk.js";
import { xargs } from "./xargs.js";
import { find } from "./find.js";
import { builtinPrograms } from "./builtin_programs.js";
import { hostname, id, mktemp, whoami } from "./identity.js";
import { sed } from "./sed.js";
import { stat } from "./stat.js";
import { seq } from "./seq.js";
import { sysctl } from "./sysctl.js";
import { yes } from "./yes.js";
import { free, nproc } from "./sysinfo.js";
import { getconf } from "./getconf.js";
import { lscpu } from "./lscpu.js";
import { tee } from "./tee.js";
import { cut } from "./cut.js";
import { sort } from "./text_filters.js";
import { uniq } from "./uniq.js";
import { tr } from "./tr.js";
import { wc } from "./wc.js";
import { zcat } from "./zcat.js";

/** Every command implemented in src/shell/commands. */
export const fileCommands: Readonly<Record<string, Command>> = {
  cat, ls, wc, grep, head, tail, cut, sort, uniq, tr, tee, basename, dirname, seq, mkdir, rmdir, rm, cp, mv, touch, chmod, ln,
  readlink, env, date, uname, nproc, getconf, free, zcat, lspci, sleep, which, sync, man, yes, clear, sysctl, sed, id, whoami, hostname, mktemp, awk, xargs, find, lscpu, stat, ...builtinPrograms,
};

/** Names to install as binaries for the shell's own programs: the file commands plus `bash` and `sh` (provided by {@link Shell}). */
export const SHELL_BINARIES: readonly string[] = [...Object.keys(fileCommands), "bash", "sh"];
