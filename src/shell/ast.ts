/**
 * The syntax tree of a bash program, as produced by {@link Parser}.
 */

/** One piece of a word. */
export type Part =
  /** Unquoted literal text: subject to globbing. */
  | { t: "lit"; v: string }
  /** Quoted literal text: taken as is. */
  | { t: "sq"; v: string }
  /** A double-quoted section. */
  | { t: "dq"; parts: Part[] }
  /** ${name…} / $name. `op` is "" for a plain expansion. */
  | { t: "param"; name: string; op: string; index?: Word; arg?: Word; arg2?: Word; len?: boolean; indirect?: boolean }
  /** $(…) or `…` */
  | { t: "cmd"; body: List }
  /** $((…)) */
  | { t: "arith"; expr: Word }
  /** ~ or ~user at the start of a word */
  | { t: "tilde"; user: string }
  /** Process substitution <(…) (out: false) or >(…) (out: true): expands to a file name. */
  | { t: "psub"; out: boolean; body: List };

export type Word = Part[];

export interface Redir {
  /** Explicit fd number, or null for the operator's default. */
  fd: number | null;
  op: string;
  target: Word;
  /** Here-document body (already parsed unless the delimiter was quoted). */
  body?: Word;
  line: number;
}

export interface Assign {
  name: string;
  index?: Word;
  append: boolean;
  value: Word | null;
  array?: Word[];
}

export interface SimpleCmd {
  k: "simple";
  line: number;
  assigns: Assign[];
  words: Word[];
  redirs: Redir[];
}

export type CondExpr =
  | { t: "and" | "or"; l: CondExpr; r: CondExpr }
  | { t: "not"; e: CondExpr }
  | { t: "un"; op: string; w: Word }
  | { t: "bin"; op: string; l: Word; r: Word }
  | { t: "word"; w: Word };

export interface CaseItem {
  pats: Word[];
  body: List;
  term: string;
}

export type CompoundCmd = (
  | { k: "group"; body: List }
  | { k: "subshell"; body: List }
  | { k: "if"; clauses: { cond: List; body: List }[]; otherwise: List | null }
  | { k: "for"; name: string; words: Word[] | null; body: List }
  | { k: "afor"; init: Word; cond: Word; step: Word; body: List }
  | { k: "while"; until: boolean; cond: List; body: List }
  | { k: "case"; word: Word; items: CaseItem[] }
  | { k: "arith"; expr: Word }
  | { k: "cond"; expr: CondExpr }
  | { k: "func"; name: string; body: Cmd }
) & { line: number; redirs: Redir[] };

export type Cmd = SimpleCmd | CompoundCmd;

export interface Pipeline {
  bang: boolean;
  /** Preceded by the `time` keyword (`posix`: `time -p`). */
  time?: { posix: boolean };
  cmds: Cmd[];
  /** `|&` after stage i pipes its stderr too. */
  errPipe: boolean[];
  line: number;
}

export interface AndOr {
  first: Pipeline;
  rest: { op: "&&" | "||"; p: Pipeline }[];
  background: boolean;
  /** Its source text (what `jobs` shows of a background job). */
  text?: string;
}

export type List = AndOr[];
