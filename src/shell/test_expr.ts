/**
 * `test` / `[` expression evaluation (bash builtins/test.def): POSIX argument
 * counting for up to 4 arguments, then -a/-o/!/( ) precedence.
 */

/** File and integer predicates the evaluator needs from the shell. */
export interface TestEnv {
  fileTest(op: string, path: string): boolean;
  varSet(name: string): boolean;
}

/** A usage error: bash prints `test: MSG` and returns 2. */
export class TestError extends Error {}

const UNARY = new Set(["-a", "-b", "-c", "-d", "-e", "-f", "-g", "-h", "-k", "-p", "-r", "-s", "-t", "-u", "-w", "-x", "-G", "-L", "-N", "-O", "-S", "-z", "-n", "-o", "-v"]);
const BINARY = new Set(["=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef"]);

function int(s: string): bigint {
  const t = s.trim();
  if (!/^[+-]?[0-9]+$/.test(t)) throw new TestError(`${s}: integer expression expected`);
  return BigInt(t);
}

/** Evaluates a unary primary. */
export function unaryTest(op: string, a: string, env: TestEnv): boolean {
  if (op === "-z") return a === "";
  if (op === "-n") return a !== "";
  if (op === "-v") return env.varSet(a);
  if (op === "-o") return false;
  return env.fileTest(op, a);
}

/** Evaluates a binary primary (string, integer and file comparisons). */
export function binaryTest(op: string, a: string, b: string, env: TestEnv): boolean {
  switch (op) {
    case "=":
    case "==": return a === b;
    case "!=": return a !== b;
    case "<": return a < b;
    case ">": return a > b;
    case "-eq": return int(a) === int(b);
    case "-ne": return int(a) !== int(b);
    case "-lt": return int(a) < int(b);
    case "-le": return int(a) <= int(b);
    case "-gt": return int(a) > int(b);
    case "-ge": return int(a) >= int(b);
    case "-ef": return env.fileTest("-ef", a + "\0" + b);
    case "-nt": return env.fileTest("-nt", a + "\0" + b);
    case "-ot": return env.fileTest("-nt", b + "\0" + a);
  }
  throw new TestError(`${op}: binary operator expected`);
}

/** Evaluates test's arguments (without the closing `]`); true/false or throws TestError. */
export function evalTest(args: string[], env: TestEnv): boolean {
  let i = 0;
  const n = args.length;
  const countForm = (k: number, from: number): boolean | null => {
    const a = args.slice(from, from + k);
    if (k === 0) return false;
    if (k === 1) return a[0] !== "";
    if (k === 2) {
      if (a[0] === "!") return a[1] === "";
      if (UNARY.has(a[0]!)) return unaryTest(a[0]!, a[1]!, env);
      throw new TestError(`${a[0]}: unary operator expected`);
    }
    if (k === 3) {
      if (BINARY.has(a[1]!)) return binaryTest(a[1]!, a[0]!, a[2]!, env);
      if (a[1] === "-a") return a[0] !== "" && a[2] !== "";
      if (a[1] === "-o") return a[0] !== "" || a[2] !== "";
      if (a[0] === "!") return !countForm(2, from + 1)!;
      if (a[0] === "(" && a[2] === ")") return a[1] !== "";
      throw new TestError(`${a[1]}: binary operator expected`);
    }
    if (k === 4) {
      if (a[0] === "!") return !countForm(3, from + 1)!;
      if (a[0] === "(" && a[3] === ")") return countForm(2, from + 1);
    }
    return null;
  };
  const simple = countForm(n, 0);
  if (simple !== null) return simple;
  const orExpr = (): boolean => {
    let v = andExpr();
    while (args[i] === "-o") {
      i++;
      const r = andExpr();
      v = v || r;
    }
    return v;
  };
  const andExpr = (): boolean => {
    let v = notExpr();
    while (args[i] === "-a") {
      i++;
      const r = notExpr();
      v = v && r;
    }
    return v;
  };
  const notExpr = (): boolean => {
    if (args[i] === "!") {
      i++;
      return !notExpr();
    }
    return primary();
  };
  const primary = (): boolean => {
    const a = args[i];
    if (a === undefined) throw new TestError("argument expected");
    if (a === "(") {
      i++;
      const v = orExpr();
      if (args[i] !== ")") throw new TestError("`)' expected");
      i++;
      return v;
    }
    if (UNARY.has(a) && i + 1 < n) {
      i += 2;
      return unaryTest(a, args[i - 1]!, env);
    }
    if (i + 2 < n + 0 && BINARY.has(args[i + 1]!)) {
      i += 3;
      return binaryTest(args[i - 2]!, a, args[i - 1]!, env);
    }
    i++;
    return a !== "";
  };
  const v = orExpr();
  if (i < n) throw new TestError("too many arguments");
  return v;
}
