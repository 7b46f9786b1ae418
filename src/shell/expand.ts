/**
 * Word expansion as bash does it, in its order: brace expansion, then tilde,
 * parameter, arithmetic and command substitution in one left-to-right pass
 * into pieces (text marked quoted or not, and whether it may be split), then
 * field splitting on IFS, then pathname expansion. Parameter operators
 * (`${v:-x}`, `${v#pat}`, `${v/a/b}`, `${v:1:2}`, `${#v}`, `${!v}`, case
 * changes) are applied here too. Running commands for `$(…)` and `<(…)` is
 * the interpreter's (subst.ts), reached through {@link ExpandShell}.
 */
import type { List, Part, Word } from "./ast.js";
import { braceExpand } from "./brace.js";
import type { ShellState } from "./builtins/mod.js";
import { isName } from "./parser.js";
import { globPaths, hasGlob, patternSource } from "./pattern.js";
import { ExpandError, type Io } from "./signals.js";

/** What expansion needs of the interpreter besides the builtins' view of it. */
export interface ExpandShell extends ShellState {
  arg0: string;
  /** `$#`, `$?`, `$$`, `$!`, `$-`, `$0`, positional and plain parameters. */
  special(name: string): string | undefined;
  /** `$(list)`: the list's output without trailing newlines. */
  commandSubst(body: List, io: Io): string;
  /** `<(list)` / `>(list)`: the file name standing for it. */
  procSubst(out: boolean, body: List, io: Io): string;
}

/** Expanded text: quoted or not (for splitting and globbing), splittable, or a forced field boundary. */
interface Piece {
  s: string;
  quoted: boolean;
  split: boolean;
  /** A forced field boundary ("$@"). */
  brk?: boolean;
}

/** A glob pattern matching `s` literally. */
function escapePat(s: string): string {
  return s.replace(/[*?[\]\\]/g, "\\$&");
}

/** Full expansion of a word into fields (splitting and globbing). */
export function expandWord(sh: ExpandShell, w: Word, io: Io): string[] {
  const braced = braceExpand(w);
  if (braced.length > 1 || braced[0] !== w) return braced.flatMap((b) => expandWord(sh, b, io));
  if (w.length === 1 && (w[0]!.t === "lit" || w[0]!.t === "sq")) {
    const p = w[0]!;
    if (p.t === "sq" || sh.opts.noglob || !hasGlob(p.v)) return [p.v];
  }
  const fields = split(sh, pieces(sh, w, false, io));
  sh.checkSize(0, fields.length);
  const out: string[] = [];
  for (const f of fields) {
    const globbing = !sh.opts.noglob && f.some((p) => !p.quoted && /[*?[]/.test(p.s));
    if (globbing) {
      const pat = f.map((p) => (p.quoted ? escapePat(p.s) : p.s)).join("");
      if (hasGlob(pat)) {
        const m = globPaths(sh.rt.vfs, sh.cwd, pat);
        if (m.length > 0) {
          sh.checkSize(0, out.length + m.length);
          for (const x of m) out.push(x);
          continue;
        }
        if (sh.shopts.get("nullglob") === true) continue;
        if (sh.shopts.get("failglob") === true) throw new ExpandError(`no match: ${f.map((p) => p.s).join("")}`, null);
      }
    }
    out.push(f.map((p) => p.s).join(""));
  }
  return out;
}


/** Expansion without splitting or globbing (assignments, redirection targets in heredocs, [[ ]]). */
export function expandString(sh: ExpandShell, w: Word, io: Io): string {
  let s = "";
  for (const p of pieces(sh, w, false, io)) if (p.brk !== true) s += p.s;
  else s += " ";
  return s;
}


/** Expansion to a pattern: quoted characters are escaped. */
export function expandPattern(sh: ExpandShell, w: Word, io: Io): string {
  return pieces(sh, w, false, io)
    .map((p) => (p.brk === true ? " " : p.quoted ? escapePat(p.s) : p.s))
    .join("");
}


export function expandRegex(sh: ExpandShell, w: Word, io: Io): string {
  return pieces(sh, w, false, io)
    .map((p) => (p.brk === true ? " " : p.quoted ? p.s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&") : p.s))
    .join("");
}


function split(sh: ExpandShell, pieces: Piece[]): Piece[][] {
  const ifs = sh.getVar("IFS") ?? " \t\n";
  const fields: Piece[][] = [];
  let cur: Piece[] = [];
  let keep = false;
  const end = (): void => {
    if (keep || cur.some((p) => p.s !== "")) fields.push(cur);
    cur = [];
    keep = false;
  };
  for (const p of pieces) {
    if (p.brk === true) {
      end();
      continue;
    }
    if (!p.split || ifs === "") {
      cur.push(p);
      if (p.quoted) keep = true;
      continue;
    }
    let acc = "";
    for (let i = 0; i < p.s.length; i++) {
      const c = p.s[i]!;
      if (!ifs.includes(c)) {
        acc += c;
        continue;
      }
      if (acc !== "") cur.push({ s: acc, quoted: false, split: false });
      acc = "";
      if (" \t\n".includes(c)) {
        if (cur.length > 0 || keep) end();
      } else {
        keep = true;
        end();
      }
    }
    if (acc !== "") cur.push({ s: acc, quoted: false, split: false });
  }
  end();
  return fields;
}


function pieces(sh: ExpandShell, w: Word, inDq: boolean, io: Io): Piece[] {
  const out: Piece[] = [];
  for (const p of w) partPieces(sh, p, inDq, io, out);
  return out;
}


function partPieces(sh: ExpandShell, p: Part, inDq: boolean, io: Io, out: Piece[]): void {
  switch (p.t) {
    case "lit":
      out.push({ s: p.v, quoted: inDq, split: false });
      return;
    case "sq":
      out.push({ s: p.v, quoted: true, split: false });
      return;
    case "tilde": {
      const home = p.user === "" ? sh.getVar("HOME") ?? "/root" : p.user === "root" ? "/root" : `~${p.user}`;
      out.push({ s: home, quoted: true, split: false });
      return;
    }
    case "dq": {
      const start = out.length;
      let hadAt = false;
      for (const q of p.parts) {
        if (q.t === "param" && q.op === "" && q.len !== true && (q.name === "@" || (q.index?.length === 1 && (q.index[0]!.t === "sq" || q.index[0]!.t === "lit") && (q.index[0] as { v: string }).v === "@"))) hadAt = true;
        partPieces(sh, q, true, io, out);
      }
      if (out.length === start && !hadAt) out.push({ s: "", quoted: true, split: false });
      return;
    }
    case "cmd": {
      const s = sh.commandSubst(p.body, io);
      out.push({ s, quoted: inDq, split: !inDq });
      return;
    }
    case "psub":
      out.push({ s: sh.procSubst(p.out, p.body, io), quoted: true, split: false });
      return;
    case "arith": {
      const text = expandString(sh, p.expr, io);
      const v = sh.arith(text);
      out.push({ s: v.toString(), quoted: inDq, split: !inDq });
      return;
    }
    case "param":
      paramPieces(sh, p, inDq, io, out);
      return;
  }
}


/** The values of a parameter: a list for $@ / arrays[@], else one string or undefined. */
function paramValues(sh: ExpandShell, name: string, index: Word | undefined, io: Io): { list: string[] | null; value: string | undefined; star: boolean } {
  if (name === "@" || name === "*") return { list: [...sh.positional], value: undefined, star: name === "*" };
  if (index !== undefined) {
    const idx = expandString(sh, index, io);
    const v = sh.vars.get(name);
    if (idx === "@" || idx === "*") {
      const list = v === undefined ? [] : Array.isArray(v.value) ? v.value.filter((x) => x !== undefined) : [v.value];
      return { list, value: undefined, star: idx === "*" };
    }
    const i = Number(sh.arith(idx));
    if (v === undefined) return { list: null, value: undefined, star: false };
    const arr = Array.isArray(v.value) ? v.value : [v.value];
    return { list: null, value: arr[i < 0 ? arr.length + i : i], star: false };
  }
  return { list: null, value: sh.special(name), star: false };
}


function paramPieces(sh: ExpandShell, p: Part & { t: "param" }, inDq: boolean, io: Io, out: Piece[]): void {
  let name = p.name;
  if (p.indirect === true) {
    const ref = sh.special(name) ?? "";
    if (!isName(ref) && !/^[0-9]+$/.test(ref)) throw new ExpandError(`${ref}: invalid indirect expansion`, null);
    name = ref;
  }
  const { list, value, star } = paramValues(sh, name, p.index, io);
  if (p.len === true) {
    const n = list !== null ? list.length : [...(value ?? "")].length;
    if (list === null && value === undefined && sh.opts.nounset) throw new ExpandError(`${name}: unbound variable`, sh.mode === "script" ? 1 : 127);
    out.push({ s: String(n), quoted: inDq, split: !inDq });
    return;
  }
  const op = p.op;
  const isSet = list !== null ? list.length > 0 : value !== undefined;
  const isNull = list !== null ? list.length === 0 || (list.length === 1 && list[0] === "") : value === undefined || value === "";
  if (op === "-" || op === ":-" || op === "+" || op === ":+" || op === "=" || op === ":=" || op === "?" || op === ":?") {
    const colon = op.startsWith(":");
    const missing = colon ? isNull : !isSet;
    const base = op.replace(":", "");
    if (base === "-" && missing) return argPieces(sh, p.arg ?? [], inDq, io, out);
    if (base === "+") {
      if (!missing) argPieces(sh, p.arg ?? [], inDq, io, out);
      else if (inDq) out.push({ s: "", quoted: true, split: false });
      return;
    }
    if (base === "=" && missing) {
      const v = expandString(sh, p.arg ?? [], io);
      if (!isName(name)) throw new ExpandError(`$${name}: cannot assign in this way`, null);
      sh.setVar(name, v, io);
      out.push({ s: v, quoted: inDq, split: !inDq });
      return;
    }
    if (base === "?" && missing) {
      const msg = p.arg !== undefined && p.arg.length > 0 ? expandString(sh, p.arg, io) : isSet ? "parameter null" : "parameter null or not set";
      throw new ExpandError(`${name}: ${msg}`, sh.mode === "script" ? 1 : 127);
    }
  } else if (!isSet && sh.opts.nounset && name !== "@" && name !== "*") {
    throw new ExpandError(`${name}: unbound variable`, sh.mode === "script" ? 1 : 127);
  }
  const tr = (s: string): string => transform(sh, p, s, io);
  if (list !== null) {
    const vals = op === "" || op.startsWith("-") || op.startsWith(":-") || op.startsWith("=") || op.startsWith(":=") || op.startsWith("?") || op.startsWith(":?") || op === "+" || op === ":+" ? list : list.map(tr);
    if (op === ":" ) {
      const off = Number(sh.arith(expandString(sh, p.arg ?? [], io)));
      const len = p.arg2 === undefined ? undefined : Number(sh.arith(expandString(sh, p.arg2, io)));
      const arr = name === "@" || name === "*" ? (off === 0 ? [sh.arg0, ...list] : list.slice(off - 1)).slice(0, len) : list.slice(off, len === undefined ? undefined : off + len);
      pushList(sh, name === "@" || name === "*" ? (off === 0 ? arr : arr) : arr, inDq, star, out);
      return;
    }
    pushList(sh, vals, inDq, star, out);
    return;
  }
  const s = op === "" || /^:?[-=?+]$/.test(op) ? value ?? "" : tr(value ?? "");
  out.push({ s, quoted: inDq, split: !inDq });
}


function pushList(sh: ExpandShell, vals: string[], inDq: boolean, star: boolean, out: Piece[]): void {
  if (inDq && star) {
    const sep = (sh.getVar("IFS") ?? " \t\n").slice(0, 1);
    out.push({ s: vals.join(sep), quoted: true, split: false });
    return;
  }
  vals.forEach((v, i) => {
    if (i > 0) out.push({ s: "", quoted: false, split: false, brk: true });
    out.push({ s: v, quoted: inDq, split: !inDq });
  });
}


function argPieces(sh: ExpandShell, arg: Word, inDq: boolean, io: Io, out: Piece[]): void {
  for (const q of arg) {
    if (inDq) partPieces(sh, q, true, io, out);
    else if (q.t === "lit") out.push({ s: q.v, quoted: false, split: true });
    else partPieces(sh, q, false, io, out);
  }
}


function transform(sh: ExpandShell, p: Part & { t: "param" }, s: string, io: Io): string {
  switch (p.op) {
    case "#":
    case "##":
    case "%":
    case "%%": {
      const pat = expandPattern(sh, p.arg ?? [], io);
      const src = patternSource(pat);
      const longest = p.op.length === 2;
      if (p.op.startsWith("#")) {
        const cands: number[] = [];
        const re = new RegExp(`^(?:${src})$`);
        for (let i = 0; i <= s.length; i++) if (re.test(s.slice(0, i))) cands.push(i);
        if (cands.length === 0) return s;
        return s.slice(longest ? cands[cands.length - 1] : cands[0]);
      }
      const re = new RegExp(`^(?:${src})$`);
      const cands: number[] = [];
      for (let i = s.length; i >= 0; i--) if (re.test(s.slice(i))) cands.push(i);
      if (cands.length === 0) return s;
      return s.slice(0, longest ? cands[cands.length - 1] : cands[0]);
    }
    case "/":
    case "//":
    case "/#":
    case "/%": {
      const pat = expandPattern(sh, p.arg ?? [], io);
      const rep = p.arg2 === undefined ? "" : expandString(sh, p.arg2, io);
      if (pat === "") return s;
      const src = patternSource(pat);
      if (p.op === "/#") {
        const m = new RegExp(`^(?:${src})`).exec(s);
        return m === null ? s : rep + s.slice(m[0].length);
      }
      if (p.op === "/%") {
        for (let i = 0; i <= s.length; i++) if (new RegExp(`^(?:${src})$`).test(s.slice(i))) return s.slice(0, i) + rep;
        return s;
      }
      const re = new RegExp(src, p.op === "//" ? "g" : "");
      return s.replace(re, () => rep);
    }
    case ":": {
      const chars = [...s];
      let off = Number(sh.arith(expandString(sh, p.arg ?? [], io)));
      if (off < 0) off = Math.max(0, chars.length + off);
      let end = chars.length;
      if (p.arg2 !== undefined) {
        const len = Number(sh.arith(expandString(sh, p.arg2, io)));
        end = len < 0 ? chars.length + len : off + len;
      }
      return chars.slice(off, end).join("");
    }
    case "^^": return s.toUpperCase();
    case ",,": return s.toLowerCase();
    case "^": return s.slice(0, 1).toUpperCase() + s.slice(1);
    case ",": return s.slice(0, 1).toLowerCase() + s.slice(1);
  }
  return s;
}

