/**
 * find's -regex: GNU regex syntaxes translated to a JavaScript RegExp that
 * must match the whole path (GNU's re_match must cover every byte).
 *
 * - emacs / findutils-default (the default, RE_SYNTAX_EMACS): `\(` `\)`
 *   group, `\|` alternation, `*` `+` `?` repeat, no intervals (`{` is
 *   literal), no character classes in brackets (`[[:alpha:]]` is a set of
 *   the characters `[:alph`), `^`/`$` anchors only at the ends of the
 *   pattern or of a group/alternative.
 * - posix-basic (and ed, sed, grep, posix-minimal-basic): `\(` `\)`,
 *   `\{m,n\}`, `*`, GNU's `\+` `\?` `\|`, classes in brackets.
 * - posix-extended (and egrep, posix-egrep, awk, posix-awk, gnu-awk):
 *   `( ) | + ? {m,n}`, classes in brackets.
 * All: `\w \W \s \S \b \B \< \> \` \'` and back-references `\1`–`\9`;
 * a backslash in brackets is literal. Matching is leftmost-longest in
 * GNU and backtracking here: whether the whole path matches is the same.
 */
import { FindError } from "./find_types.js";

export type RegexSyntax = "emacs" | "basic" | "extended";

/** The syntax of each -regextype name GNU accepts, in GNU's order. */
export const REGEX_TYPES: ReadonlyArray<[string, RegexSyntax]> = [
  ["findutils-default", "emacs"], ["ed", "basic"], ["emacs", "emacs"], ["gnu-awk", "extended"], ["grep", "basic"],
  ["posix-awk", "extended"], ["awk", "extended"], ["posix-basic", "basic"], ["posix-egrep", "extended"], ["egrep", "extended"],
  ["posix-extended", "extended"], ["posix-minimal-basic", "basic"], ["sed", "basic"],
];

const CLASSES: Record<string, string> = {
  alpha: "A-Za-z", digit: "0-9", alnum: "A-Za-z0-9", upper: "A-Z", lower: "a-z", space: " \\t\\n\\r\\f\\v",
  blank: " \\t", punct: "!-\\/:-@\\[-`{-~", xdigit: "0-9A-Fa-f", cntrl: "\\x00-\\x1f\\x7f", print: "\\x20-\\x7e", graph: "\\x21-\\x7e",
};

const esc = (c: string): string => (/[.*+?^${}()|[\]\\/-]/.test(c) ? "\\" + c : c);

class Translator {
  private i = 0;
  private out = "";
  private groups = 0;
  private open = 0;
  /** True where `*` is literal (start of pattern, of a group, after `|`, after an anchor `^`). */
  private atStart = true;

  constructor(
    private readonly p: string,
    private readonly syn: RegexSyntax,
  ) {}

  private fail(why: string): never {
    throw new FindError([`failed to compile regular expression '${this.p}': ${why}`]);
  }

  run(): string {
    const p = this.p;
    while (this.i < p.length) {
      const c = p[this.i++]!;
      if (c === "\\") this.backslash();
      else if (c === "[") this.bracket();
      else if (c === "(" && this.syn === "extended") this.groupOpen();
      else if (c === ")" && this.syn === "extended" && this.open > 0) this.groupClose();
      else if (c === "|" && this.syn === "extended") this.alt();
      else if (c === "{" && this.syn === "extended") this.interval("}");
      else if ((c === "*" || ((c === "+" || c === "?") && this.syn !== "basic")) && !this.atStart) this.emit(c, false);
      else if (c === "^" && (this.atStart || this.syn === "extended")) this.emit("^", true);
      else if (c === "$" && (this.syn === "extended" || this.atEnd())) this.emit("$", false);
      else if (c === ".") this.emit(this.syn === "emacs" ? "[^\\n]" : "[\\s\\S]", false);
      else this.emit(esc(c), false);
    }
    if (this.open > 0) this.fail("Unmatched ( or \\(");
    return this.out;
  }

  private emit(s: string, keepStart: boolean): void {
    this.out += s;
    this.atStart = keepStart;
  }

  /** `$` is an anchor at the pattern's end or before `\)` / `\|`. */
  private atEnd(): boolean {
    const rest = this.p.slice(this.i);
    return rest === "" || rest.startsWith("\\)") || rest.startsWith("\\|");
  }

  private groupOpen(): void {
    this.groups++;
    this.open++;
    this.emit("(", true);
  }

  private groupClose(): void {
    if (this.open === 0) this.fail("Unmatched ) or \\)");
    this.open--;
    this.emit(")", false);
  }

  private alt(): void {
    this.emit("|", true);
  }

  private interval(close: string): void {
    const end = this.p.indexOf(close, this.i);
    if (end < 0) this.fail("Unmatched \\{");
    const body = this.p.slice(this.i, end);
    if (!/^\d*(,\d*)?$/.test(body) || body === "" || body === ",") this.fail("Invalid content of \\{\\}");
    this.i = end + close.length;
    if (this.atStart) this.fail("Invalid preceding regular expression");
    const [a, b] = body.split(",");
    this.emit(`{${a === "" ? "0" : a}${b === undefined ? "" : "," + b}}`, false);
  }

  private backslash(): void {
    const p = this.p;
    if (this.i >= p.length) this.fail("Trailing backslash");
    const n = p[this.i++]!;
    const bre = this.syn !== "extended";
    if (bre && n === "(") return this.groupOpen();
    if (bre && n === ")") return this.groupClose();
    if (bre && n === "|") return this.alt();
    if (this.syn === "basic" && n === "{") return this.interval("\\}");
    if (this.syn === "basic" && (n === "+" || n === "?")) return this.atStart ? this.emit(esc(n), false) : this.emit(n, false);
    if (/[1-9]/.test(n)) {
      if (Number(n) > this.groups) this.fail("Invalid back reference");
      return this.emit(`\\${n}`, false);
    }
    const gnu: Record<string, string> = { w: "[A-Za-z0-9_]", W: "[^A-Za-z0-9_]", s: "\\s", S: "\\S", b: "\\b", B: "\\B", "<": "\\b(?=\\w)", ">": "\\b(?<=\\w)", "`": "^", "'": "$" };
    const g = gnu[n];
    if (g !== undefined) return this.emit(g, n === "`");
    this.emit(esc(n), false);
  }

  private bracket(): void {
    const p = this.p;
    let i = this.i;
    let neg = false;
    if (p[i] === "^") {
      neg = true;
      i++;
    }
    let body = "";
    let first = true;
    for (;;) {
      if (i >= p.length) this.fail("Unmatched [, [^, [:, [., or [=");
      const c = p[i]!;
      if (c === "]" && !first) break;
      first = false;
      if (c === "[" && this.syn !== "emacs" && (p[i + 1] === ":" || p[i + 1] === "." || p[i + 1] === "=")) {
        const kind = p[i + 1]!;
        const e = p.indexOf(kind + "]", i + 2);
        if (e < 0) this.fail("Unmatched [, [^, [:, [., or [=");
        const name = p.slice(i + 2, e);
        if (kind === ":") {
          const cls = CLASSES[name];
          if (cls === undefined) this.fail("Invalid character class name");
          body += cls;
        } else body += esc(name);
        i = e + 2;
        continue;
      }
      if (c === "-" && body !== "" && p[i + 1] !== "]") {
        body += "-";
        i++;
        continue;
      }
      body += esc(c);
      i++;
    }
    this.i = i + 1;
    this.emit(`[${neg ? "^" : ""}${body}]`, false);
  }
}

/** The whole-path matcher of a GNU regex in `syntax` (case-folded for -iregex); throws FindError as GNU's regcomp would fail. */
export function compileFindRegex(pattern: string, syntax: RegexSyntax, icase: boolean): RegExp {
  const src = new Translator(pattern, syntax).run();
  try {
    return new RegExp(`^(?:${src})$`, icase ? "is" : "s");
  } catch {
    throw new FindError([`failed to compile regular expression '${pattern}': Invalid regular expression`]);
  }
}
