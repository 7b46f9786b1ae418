/**
 * gnulib's quotearg() for file names, in the quoting styles coreutils uses
 * (QUOTING_STYLE): `literal`, `shell`, `shell-always`, `shell-escape`,
 * `shell-escape-always` (quoteaf()'s style), `c` and `escape`.
 *
 * linux: none; gnulib lib/quotearg.c quotearg_buffer_restyled(). The shell
 * styles put the name in single quotes (`'\''` for a quote in it); a name
 * with a single quote and only characters that mean the same in a C string
 * and in shell double quotes goes in double quotes instead ("q'uote"). The
 * escape styles write a control character as `'$'\n''` (a run of them in
 * one `$'…'`). Characters beyond ASCII are printable in a UTF-8 locale and
 * octal escapes otherwise.
 */

export type QuotingStyle = "literal" | "shell" | "shell-always" | "shell-escape" | "shell-escape-always" | "c" | "escape";

export const QUOTING_STYLES: readonly QuotingStyle[] = ["literal", "shell", "shell-always", "shell-escape", "shell-escape-always", "c", "escape"];

const C_ESCAPES: Record<number, string> = { 7: "a", 8: "b", 12: "f", 10: "n", 13: "r", 9: "t", 11: "v" };
/** Characters a shell gives a meaning to outside quotes (they make the shell styles quote). */
const SHELL_SPECIAL = new Set([..."!\"$&()*;<=>[^`| \t'\\?"]);

const enc = new TextEncoder();

function octal(b: number): string {
  return "\\" + b.toString(8).padStart(3, "0");
}

/** The code points of `s`, each marked printable (in this locale) or not, with its UTF-8 bytes. */
function units(s: string, utf8: boolean): { ch: string; printable: boolean; bytes: Uint8Array }[] {
  const out: { ch: string; printable: boolean; bytes: Uint8Array }[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const bytes = enc.encode(ch);
    const printable = cp >= 0x20 && cp !== 0x7f && (cp < 0x80 || (utf8 && cp >= 0xa0));
    out.push({ ch, printable, bytes });
  }
  return out;
}

/** Would this character, in a name that has a single quote, keep its meaning in C and shell double quotes? */
function doubleQuoteCompatible(ch: string, i: number, whole: string): boolean {
  if (ch === "'" || ch === " ") return true;
  if (ch === "#" || ch === "~") return i === 0;
  if (ch === "{" || ch === "}") return whole.length === 1;
  if ("!\"$&()*;<=>[^`|?\\".includes(ch)) return false;
  const cp = ch.codePointAt(0)!;
  return cp >= 0x20 && cp !== 0x7f;
}

/** The shell styles: quotes only when needed (`shell`, `shell-escape`) or always. */
function shellQuote(s: string, always: boolean, escapes: boolean, utf8: boolean): string {
  const us = units(s, utf8);
  const needs = always || s === "" || us.some((u, i) => !u.printable || SHELL_SPECIAL.has(u.ch) || ((u.ch === "#" || u.ch === "~") && i === 0) || ((u.ch === "{" || u.ch === "}") && s.length === 1));
  if (!needs) return s;
  if (s.includes("'") && us.every((u) => u.printable) && [...s].every((ch, i) => doubleQuoteCompatible(ch, i, s))) return `"${s}"`;
  let out = "'";
  let inEscape = false;
  for (const u of us) {
    if (!u.printable && escapes) {
      if (!inEscape) out += "'$'";
      inEscape = true;
      for (const b of u.bytes) out += C_ESCAPES[b] !== undefined ? "\\" + C_ESCAPES[b] : octal(b);
      continue;
    }
    if (inEscape) {
      out += "''";
      inEscape = false;
    }
    out += u.ch === "'" ? "'\\''" : u.ch;
  }
  // a name that ends in an escape ends with that $'…'
  return out + "'";
}

/** The C styles: backslash escapes, in double quotes (`c`) or bare (`escape`). */
function cQuote(s: string, quotes: boolean, utf8: boolean): string {
  let out = "";
  for (const u of units(s, utf8)) {
    if (u.ch === "\\") out += "\\\\";
    else if (u.ch === '"' && quotes) out += '\\"';
    else if (u.printable) out += u.ch;
    else for (const b of u.bytes) out += C_ESCAPES[b] !== undefined ? "\\" + C_ESCAPES[b] : octal(b);
  }
  return quotes ? `"${out}"` : out;
}

/**
 * `s` quoted in `style`.
 *
 * @example
 * quoteName("sp ace", "shell-escape-always", true); // "'sp ace'"
 * quoteName("q'uote", "shell-escape-always", true); // "\"q'uote\""
 * quoteName("a\nb", "shell-escape-always", true);   // "'a'$'\\n''b'"
 */
export function quoteName(s: string, style: QuotingStyle, utf8: boolean): string {
  switch (style) {
    case "literal": return s;
    case "shell": return shellQuote(s, false, false, utf8);
    case "shell-always": return shellQuote(s, true, false, utf8);
    case "shell-escape": return shellQuote(s, false, true, utf8);
    case "shell-escape-always": return shellQuote(s, true, true, utf8);
    case "c": return cQuote(s, true, utf8);
    case "escape": return cQuote(s, false, utf8);
  }
}

/** True when the locale's character set is UTF-8 (LC_ALL, then LC_CTYPE, then LANG). */
export function utf8Locale(env: Readonly<Record<string, string>>): boolean {
  const loc = env["LC_ALL"] || env["LC_CTYPE"] || env["LANG"] || "";
  return /utf-?8/i.test(loc);
}
