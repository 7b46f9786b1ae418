/** `test expr` and `[ expr ]`. */
import { TestError, evalTest } from "../test_expr.js";
import type { Builtin } from "./api.js";

export const test: Builtin = (sh, args, io, name) => {
  let a = args;
  if (name === "[") {
    if (a[a.length - 1] !== "]") {
      sh.err(io, "[: missing `]'");
      return 2;
    }
    a = a.slice(0, -1);
  }
  try {
    return evalTest(a, sh.testEnv()) ? 0 : 1;
  } catch (e) {
    if (e instanceof TestError) {
      sh.err(io, `${name}: ${e.message}`);
      return 2;
    }
    throw e;
  }
};
