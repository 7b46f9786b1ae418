/** ls: list directory contents (-l -a -A -1 -d -h -i -F -R -r -t, sorted, `total`, symlinks `->`). */
import { SysError, strerror } from "../../lib/errno.js";
import type { Stat } from "../../kernfs/vfs.js";
import type { CommandContext } from "../types.js";
import { parseArgs } from "./_util.js";
import { groupName, userName } from "./_owners.js";
import { byteCompare, joinPath } from "../pattern.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const HALF_YEAR_MS = (365.2425 / 2) * 86400 * 1000;

/** filemode.c's ftypelet(): the file type letter of `ls -l`. */
const TYPE_CHARS: Record<Stat["type"], string> = { dir: "d", link: "l", file: "-", chr: "c", blk: "b" };

/** `drwxr-xr-x` for a stat. */
export function modeString(st: Stat): string {
  const t = TYPE_CHARS[st.type];
  const m = st.mode;
  const rwx = (s: number, special: number, ch: string): string =>
    ((m >> s) & 4 ? "r" : "-") + ((m >> s) & 2 ? "w" : "-") + ((m & special) !== 0 ? ((m >> s) & 1 ? ch : ch.toUpperCase()) : (m >> s) & 1 ? "x" : "-");
  return t + rwx(6, 0o4000, "s") + rwx(3, 0o2000, "s") + rwx(0, 0o1000, "t");
}

function human(n: number): string {
  if (n < 1024) return String(n);
  const units = "KMGTPE";
  let v = n;
  let u = -1;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return (v < 10 ? (Math.ceil(v * 10) / 10).toFixed(1) : String(Math.ceil(v))) + units[u];
}

function blocksKiB(st: Stat): number {
  if (st.fsType !== "tmpfs" || st.type === "link") return 0;
  return Math.ceil(st.size / 4096) * 4;
}

/** GNU `ls -C` layout: as many columns as fit in `width`, filled top to bottom. */
export function columns(names: string[], width: number): string {
  if (names.length === 0) return "";
  const len = names.map((n) => [...n].length);
  let best = { cols: 1, rows: names.length, widths: [Math.max(...len)] };
  for (let cols = Math.min(names.length, Math.max(1, Math.floor(width / 3))); cols > 1; cols--) {
    const rows = Math.ceil(names.length / cols);
    if (Math.ceil(names.length / rows) !== cols) continue;
    const widths: number[] = [];
    for (let c = 0; c < cols; c++) widths.push(Math.max(0, ...len.slice(c * rows, (c + 1) * rows)));
    const total = widths.reduce((a, b) => a + b + 2, 0) - 2;
    if (total < width) {
      best = { cols, rows, widths };
      break;
    }
  }
  let out = "";
  for (let r = 0; r < best.rows; r++) {
    let line = "";
    let col = 0;
    for (let c = 0; c < best.cols; c++) {
      const i = c * best.rows + r;
      if (i >= names.length) break;
      const last = c === best.cols - 1 || (c + 1) * best.rows + r >= names.length;
      line += names[i];
      if (!last) {
        // GNU indent(): tabs (tab stops every 8) where a whole tab fits, then spaces
        let from = col + len[i]!;
        const to = col + best.widths[c]! + 2;
        while (from < to) {
          if (Math.floor(to / 8) > Math.floor((from + 1) / 8)) {
            line += "\t";
            from += 8 - (from % 8);
          } else {
            line += " ";
            from++;
          }
        }
      }
      col += best.widths[c]! + 2;
    }
    out += line + "\n";
  }
  return out;
}

export function ls(ctx: CommandContext): number {
  const p = parseArgs(ctx, { short: "laA1dhiFRrtSU", usageStatus: 2, long: { all: { key: "a" }, "almost-all": { key: "A" }, directory: { key: "d" }, "human-readable": { key: "h" }, inode: { key: "i" }, classify: { key: "F" }, recursive: { key: "R" }, reverse: { key: "r" } } });
  if (typeof p === "number") return p;
  const o = p.opts;
  const vfs = ctx.vfs;
  const prog = ctx.argv[0]!;
  const nowMs = ctx.hooks.wallClock(ctx.hooks.now());
  let st = 0;
  const operands = p.operands.length === 0 ? ["."] : p.operands;
  const files: { name: string; path: string; stat: Stat }[] = [];
  const dirs: { name: string; path: string }[] = [];
  for (const op of operands) {
    const path = ctx.resolve(op);
    let s: Stat;
    try {
      s = vfs.lstat(path);
      if (s.type === "link" && !o.has("l") && !o.has("d")) {
        try {
          s = vfs.stat(path);
        } catch {
          /* dangling: show the link */
        }
      }
    } catch (e) {
      if (!(e instanceof SysError)) throw e;
      ctx.stderr.write(`${prog}: cannot access '${op}': ${strerror(e.errno)}\n`);
      st = 2;
      continue;
    }
    // "." or a path ending in "/", "/." or "/.." names the directory itself, even when the
    // working directory was reached through a symlink (cd /sys/bus/dsa/devices/iax1; ls -l)
    if (s.type === "link" && /(^|\/)\.\.?$|\/$/.test(op)) {
      try {
        s = vfs.stat(path);
      } catch {
        /* dangling */
      }
    }
    let isDir = s.type === "dir";
    if (s.type === "link" && !o.has("d") && !o.has("l")) isDir = false;
    if (isDir && !o.has("d")) dirs.push({ name: op, path });
    else files.push({ name: op, path, stat: s });
  }
  const fmtDate = (ns: number): string => {
    const ms = ctx.hooks.wallClock(ns);
    const d = new Date(ms);
    const mon = MONTHS[d.getUTCMonth()]!;
    const day = String(d.getUTCDate()).padStart(2);
    if (Math.abs(nowMs - ms) < HALF_YEAR_MS) return `${mon} ${day} ${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
    return `${mon} ${day}  ${d.getUTCFullYear()}`;
  };
  const render = (entries: { name: string; path: string; stat: Stat }[], withTotal: boolean): string => {
    const sorted = [...entries];
    if (!o.has("U")) sorted.sort((a, b) => (o.has("t") ? b.stat.mtime - a.stat.mtime || byteCompare(a.name, b.name) : o.has("S") ? b.stat.size - a.stat.size || byteCompare(a.name, b.name) : byteCompare(a.name, b.name)));
    if (o.has("r")) sorted.reverse();
    const suffix = (e: { stat: Stat }): string => (!o.has("F") ? "" : e.stat.type === "dir" ? "/" : e.stat.type === "link" ? "@" : e.stat.type === "file" && (e.stat.mode & 0o111) !== 0 ? "*" : "");
    if (!o.has("l")) {
      const names = sorted.map((e) => (o.has("i") ? `${e.stat.ino} ` : "") + e.name + suffix(e));
      if (ctx.stdout.isTty === true && !o.has("1")) return columns(names, Number(ctx.env.COLUMNS) || 80);
      return names.map((n) => n + "\n").join("");
    }
    const rows = sorted.map((e) => {
      const isDev = e.stat.type === "chr" || e.stat.type === "blk";
      return {
        e,
        mode: modeString(e.stat),
        nlink: String(e.stat.nlink),
        owner: userName(e.stat.uid) ?? String(e.stat.uid),
        group: groupName(e.stat.gid) ?? String(e.stat.gid),
        size: isDev ? "" : ((n: number): string => (o.has("h") ? human(n) : String(n)))(e.stat.type === "link" && e.stat.fsType !== "tmpfs" ? 0 : e.stat.size),
        dev: isDev ? [String(e.stat.rdevMajor), String(e.stat.rdevMinor)] as const : null,
      };
    });
    const widest = (f: (r: (typeof rows)[number]) => string): number => Math.max(0, ...rows.map((r) => f(r).length));
    const wl = widest((r) => r.nlink);
    const wu = widest((r) => r.owner);
    const wg = widest((r) => r.group);
    // GNU ls: a device's "MAJOR, MINOR" shares the size column, each number right-aligned in its own width
    const wmaj = widest((r) => r.dev?.[0] ?? "");
    const wmin = widest((r) => r.dev?.[1] ?? "");
    const ws = Math.max(widest((r) => r.size), rows.some((r) => r.dev !== null) ? wmaj + 2 + wmin : 0);
    const sizeField = (r: (typeof rows)[number]): string =>
      r.dev === null ? r.size.padStart(ws) : `${r.dev[0].padStart(wmaj + Math.max(0, ws - (wmaj + 2 + wmin)))}, ${r.dev[1].padStart(wmin)}`;
    let out = withTotal ? `total ${sorted.reduce((s, e) => s + blocksKiB(e.stat), 0)}\n` : "";
    for (const r of rows) {
      let line = (o.has("i") ? `${r.e.stat.ino} ` : "") + `${r.mode} ${r.nlink.padStart(wl)} ${r.owner.padEnd(wu)} ${r.group.padEnd(wg)} ${sizeField(r)} ${fmtDate(r.e.stat.mtime)} ${r.e.name}`;
      if (r.e.stat.type === "link") {
        try {
          line += ` -> ${vfs.readlink(r.e.path)}`;
        } catch {
          /* not a link after all */
        }
      } else line += suffix(r.e);
      out += line + "\n";
    }
    return out;
  };
  let out = "";
  if (files.length > 0) out += render(files, false);
  const listDir = (d: { name: string; path: string }, header: boolean): void => {
    let names: string[];
    try {
      names = vfs.readdir(d.path);
    } catch (e) {
      if (!(e instanceof SysError)) throw e;
      ctx.stderr.write(`${prog}: cannot open directory '${d.name}': ${strerror(e.errno)}\n`);
      st = 2;
      return;
    }
    if (header) out += `${out === "" ? "" : "\n"}${d.name}:\n`;
    const entries: { name: string; path: string; stat: Stat }[] = [];
    if (o.has("a")) {
      for (const dot of [".", ".."]) entries.push({ name: dot, path: joinPath(d.path, dot), stat: vfs.stat(joinPath(d.path, dot)) });
    }
    for (const n of names) {
      if (n.startsWith(".") && !o.has("a") && !o.has("A")) continue;
      const path = joinPath(d.path, n);
      try {
        entries.push({ name: n, path, stat: vfs.lstat(path) });
      } catch {
        /* vanished */
      }
    }
    out += render(entries, true);
    if (o.has("R")) {
      for (const e of entries.filter((x) => x.stat.type === "dir" && x.name !== "." && x.name !== "..").sort((a, b) => byteCompare(a.name, b.name))) {
        listDir({ name: d.name.endsWith("/") ? d.name + e.name : `${d.name}/${e.name}`, path: e.path }, true);
      }
    }
  };
  const multi = operands.length > 1 || o.has("R");
  for (const d of dirs.sort((a, b) => byteCompare(a.name, b.name))) listDir(d, multi);
  if (out !== "") ctx.stdout.write(out);
  return st;
}
