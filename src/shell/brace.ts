/**
 * Brace expansion, bash's first expansion: `{a,b}` alternatives and
 * `{1..5}`, `{01..10..3}`, `{a..e}` sequences, on a word's unquoted literal parts.
 */
import type { Word } from "./ast.js";

/** Brace expansion ({a,b}, {1..5}, {a..e}) on the unquoted literal parts of a word. */
export function braceExpand(w: Word): Word[] {
  for (let i = 0; i < w.length; i++) {
    const p = w[i]!;
    if (p.t !== "lit") continue;
    for (let s = p.v.indexOf("{"); s >= 0; s = p.v.indexOf("{", s + 1)) {
      if (s > 0 && p.v[s - 1] === "$") continue;
      let depth = 0;
      let e = -1;
      const commas: number[] = [];
      for (let j = s; j < p.v.length; j++) {
        const c = p.v[j];
        if (c === "{") depth++;
        else if (c === "}" && --depth === 0) {
          e = j;
          break;
        } else if (c === "," && depth === 1) commas.push(j);
      }
      if (e < 0) break;
      const body = p.v.slice(s + 1, e);
      let alts: string[] | null = null;
      if (commas.length > 0) {
        alts = [];
        let from = s + 1;
        for (const c of [...commas, e]) {
          alts.push(p.v.slice(from, c));
          from = c + 1;
        }
      } else {
        const m = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(body) ?? /^([a-zA-Z])\.\.([a-zA-Z])(?:\.\.(-?\d+))?$/.exec(body);
        if (m !== null) {
          const num = /\d/.test(m[1]!);
          const a = num ? Number(m[1]) : m[1]!.charCodeAt(0);
          const b = num ? Number(m[2]) : m[2]!.charCodeAt(0);
          const step = Math.abs(Number(m[3] ?? 1)) || 1;
          const width = num && (/^-?0\d/.test(m[1]!) || /^-?0\d/.test(m[2]!)) ? Math.max(m[1]!.length, m[2]!.length) : 0;
          alts = [];
          for (let x = a; a <= b ? x <= b : x >= b; x += a <= b ? step : -step) alts.push(num ? String(x).padStart(width, "0") : String.fromCharCode(x));
        }
      }
      if (alts === null) continue;
      const pre: Word = [...w.slice(0, i), { t: "lit", v: p.v.slice(0, s) }];
      const post: Word = [{ t: "lit", v: p.v.slice(e + 1) }, ...w.slice(i + 1)];
      return alts.flatMap((alt) => braceExpand([...pre, { t: "lit", v: alt }, ...post]));
    }
  }
  return [w];
}
