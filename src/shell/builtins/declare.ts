/** `declare`/`typeset`, `local`, `export`, `readonly`. */
import { isName } from "../parser.js";
import { byteCompare } from "../pattern.js";
import type { Builtin } from "./api.js";

export const declare: Builtin = (sh, args, io, name) => {
  if (name === "local" && sh.funcDepth === 0) {
    sh.err(io, "local: can only be used in a function");
    return 1;
  }
  let exportF = name === "export";
  let readonlyF = name === "readonly";
  let unexport = false;
  let arrayF = false;
  let printF = false;
  let funcF = false;
  let intF: boolean | null = null;
  const names: string[] = [];
  for (const a of args) {
    if (/^[-+][a-zA-Z]+$/.test(a) && names.length === 0) {
      for (const f of a.slice(1)) {
        if (f === "x") exportF = a[0] === "-";
        else if (f === "n" && name === "export") unexport = true;
        else if (f === "r") readonlyF = true;
        else if (f === "a" || f === "A") arrayF = true;
        else if (f === "p") printF = true;
        else if (f === "f" || f === "F") funcF = true;
        else if (f === "i") intF = a[0] === "-";
        else if (f === "g" || f === "l" || f === "u") {
          /* accepted */
        } else {
          sh.err(io, `${name}: ${a}: invalid option`);
          return 2;
        }
      }
      if (a.startsWith("+") && a.includes("x")) unexport = true;
      continue;
    }
    names.push(a);
  }
  if (funcF) {
    let st = 0;
    for (const n of names) if (!sh.funcs.has(n)) st = 1;
    return st;
  }
  if (names.length === 0 || printF) {
    const flag = name === "export" || exportF ? "-x" : name === "readonly" ? "-r" : "--";
    let text = "";
    const keys = [...sh.vars.keys()].sort(byteCompare);
    for (const k of keys) {
      const v = sh.vars.get(k)!;
      if ((name === "export" || exportF) && !v.exported) continue;
      if (name === "readonly" && !v.readonly) continue;
      if (names.length > 0 && !names.includes(k)) continue;
      const val = Array.isArray(v.value) ? `(${v.value.map((x, i) => `[${i}]="${x}"`).join(" ")})` : `"${v.value.replace(/(["\\$`])/g, "\\$1")}"`;
      const attrs = (v.integer === true ? "i" : "") + (v.readonly ? "r" : "") + (v.exported ? "x" : "");
    text += `declare ${flag === "--" ? (attrs === "" ? "--" : `-${attrs}`) : flag} ${k}=${val}\n`;
    }
    return sh.out(io, name, text);
  }
  let st = 0;
  for (const a of names) {
    const eq = a.indexOf("=");
    const n = eq < 0 ? a : a.slice(0, eq).replace(/\+$/, "");
    if (!isName(n)) {
      sh.err(io, `${name}: \`${a}': not a valid identifier`);
      st = 1;
      continue;
    }
    if (name === "local" || ((name === "declare" || name === "typeset") && sh.funcDepth > 0)) {
      const frame = sh.locals[sh.locals.length - 1]!;
      if (!frame.has(n)) {
        const cur = sh.vars.get(n);
        frame.set(n, cur === undefined ? undefined : { ...cur, value: Array.isArray(cur.value) ? [...cur.value] : cur.value });
        if (eq < 0) {
          sh.vars.set(n, { value: arrayF ? [] : "", exported: false, readonly: false });
          if (!arrayF) sh.vars.delete(n), sh.vars.set(n, { value: "", exported: false, readonly: false });
        }
      }
    }
    if (intF === true) {
      const cur = sh.vars.get(n);
      if (cur !== undefined) cur.integer = true;
      else sh.vars.set(n, { value: eq >= 0 ? "" : "0", exported: false, readonly: false, integer: true });
    }
    if (eq >= 0) {
      let val = a.slice(eq + 1);
      if (a[eq - 1] === "+") val = (sh.getVar(n) ?? "") + val;
      if (arrayF && val.startsWith("(") && val.endsWith(")")) {
        sh.vars.set(n, { value: val.slice(1, -1).split(/\s+/).filter((x) => x !== ""), exported: false, readonly: false });
      } else if (!sh.setVar(n, val, io)) {
        st = 1;
        continue;
      }
    } else if (!sh.vars.has(n) && (exportF || readonlyF || arrayF)) {
      if (arrayF) sh.vars.set(n, { value: [], exported: false, readonly: false });
      else if (name !== "export") sh.vars.set(n, { value: "", exported: false, readonly: false });
    }
    const v = sh.vars.get(n);
    if (v !== undefined) {
      if (intF !== null) v.integer = intF;
      if (exportF) v.exported = true;
      if (unexport) v.exported = false;
      if (readonlyF) v.readonly = true;
    } else if (exportF) {
      // export of an unset name marks it for later; keep it simple: create it unset-like
    }
  }
  return st;
};
