/**
 * The slice of json-c that accel-config relies on: ordered objects, the
 * JSON_C_TO_STRING_PRETTY printer (2-space indent, `"key":value`, `\/`), the
 * non-strict tokener (comments, trailing commas, single quotes) and the
 * json_object_get_{int,int64,string} conversions.
 */

/** A json-c value. Integers are JS numbers (or bigint for u64 above 2^53). */
export type JsonValue = null | boolean | number | bigint | string | JsonDouble | JsonValue[] | JsonObject;

/** json_object of type object: keys in insertion order; re-adding a key replaces its value in place. */
export class JsonObject {
  readonly entries: [string, JsonValue][] = [];

  add(key: string, value: JsonValue): this {
    const e = this.entries.find((x) => x[0] === key);
    if (e !== undefined) e[1] = value;
    else this.entries.push([key, value]);
    return this;
  }

  get(key: string): JsonValue | undefined {
    return this.entries.find((x) => x[0] === key)?.[1];
  }
}

/** Doubles parsed from a file keep their kind so get_int truncates them. */
export class JsonDouble {
  constructor(readonly value: number) {}
}

function escapeString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case "\\":
        out += "\\\\";
        break;
      case "/":
        out += "\\/";
        break;
      case "\b":
        out += "\\b";
        break;
      case "\f":
        out += "\\f";
        break;
      case "\n":
        out += "\\n";
        break;
      case "\r":
        out += "\\r";
        break;
      case "\t":
        out += "\\t";
        break;
      default:
        out += c < 0x20 ? `\\u${c.toString(16).padStart(4, "0")}` : ch;
    }
  }
  return out + '"';
}

function indent(level: number): string {
  return "  ".repeat(level);
}

/** json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY) */
export function toJsonPretty(v: JsonValue, level = 0): string {
  if (v === null) return "null";
  if (v instanceof JsonDouble) return Number.isInteger(v.value) ? `${v.value}.0` : String(v.value);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (typeof v === "string") return escapeString(v);
  if (Array.isArray(v)) {
    let s = "[\n";
    v.forEach((x, i) => {
      if (i > 0) s += ",\n";
      s += indent(level + 1) + toJsonPretty(x, level + 1);
    });
    if (v.length > 0) s += "\n";
    return s + indent(level) + "]";
  }
  let s = "{\n";
  v.entries.forEach(([k, x], i) => {
    if (i > 0) s += ",\n";
    s += `${indent(level + 1)}${escapeString(k)}:${toJsonPretty(x, level + 1)}`;
  });
  if (v.entries.length > 0) s += "\n";
  return s + indent(level) + "}";
}

/** json_object_to_json_string() (plain), used by get_string of containers. */
function toJsonPlain(v: JsonValue): string {
  if (Array.isArray(v)) return "[" + v.map((x) => " " + toJsonPlain(x)).join(",") + " ]";
  if (v instanceof JsonObject) return "{" + v.entries.map(([k, x]) => ` ${escapeString(k)}: ${toJsonPlain(x)}`).join(",") + " }";
  return toJsonPretty(v);
}

class ParseFail extends Error {}

/**
 * json_tokener_parse() in its default (non-strict) mode: the first value of
 * the text, or undefined when the text does not hold a complete value. Accepts
 * comments, trailing commas, single-quoted strings, case-insensitive literals.
 */
export function jsonTokenerParse(text: string): JsonValue | undefined {
  let i = 0;
  const n = text.length;
  const fail = (): never => {
    throw new ParseFail();
  };
  const ws = (): void => {
    for (;;) {
      while (i < n && " \t\n\r\v\f".includes(text[i]!)) i++;
      if (text.startsWith("/*", i)) {
        const e = text.indexOf("*/", i + 2);
        if (e < 0) fail();
        i = e + 2;
      } else if (text.startsWith("//", i)) {
        const e = text.indexOf("\n", i);
        i = e < 0 ? n : e + 1;
      } else return;
    }
  };
  const str = (): string => {
    const q = text[i++];
    let s = "";
    while (i < n) {
      const c = text[i++]!;
      if (c === q) return s;
      if (c !== "\\") {
        s += c;
        continue;
      }
      const e = text[i++];
      switch (e) {
        case '"':
        case "'":
        case "\\":
        case "/":
          s += e;
          break;
        case "b":
          s += "\b";
          break;
        case "f":
          s += "\f";
          break;
        case "n":
          s += "\n";
          break;
        case "r":
          s += "\r";
          break;
        case "t":
          s += "\t";
          break;
        case "u": {
          const h = text.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(h)) fail();
          s += String.fromCharCode(parseInt(h, 16));
          i += 4;
          break;
        }
        default:
          fail();
      }
    }
    return fail();
  };
  const value = (): JsonValue => {
    ws();
    if (i >= n) fail();
    const c = text[i]!;
    if (c === "{") {
      i++;
      const obj = new JsonObject();
      ws();
      if (text[i] === "}") {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] === "}") {
          // trailing comma (non-strict)
          i++;
          return obj;
        }
        if (text[i] !== '"' && text[i] !== "'") fail();
        const k = str();
        ws();
        if (text[i] !== ":") fail();
        i++;
        const v = value();
        obj.add(k, v);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return obj;
        }
        fail();
      }
    }
    if (c === "[") {
      i++;
      const arr: JsonValue[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return arr;
      }
      for (;;) {
        ws();
        if (text[i] === "]") {
          i++;
          return arr;
        }
        const v = value();
        arr.push(v);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return arr;
        }
        fail();
      }
    }
    if (c === '"' || c === "'") return str();
    const lit = /^(true|false|null|nan|-?infinity)/i.exec(text.slice(i, i + 9));
    if (lit !== null) {
      i += lit[0].length;
      const l = lit[0].toLowerCase();
      if (l === "true") return true;
      if (l === "false") return false;
      if (l === "null") return null;
      return new JsonDouble(l === "nan" ? NaN : l.startsWith("-") ? -Infinity : Infinity);
    }
    const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (num === null) fail();
    i += num![0].length;
    if (num![1] !== undefined || num![2] !== undefined) return new JsonDouble(Number(num![0]));
    const b = BigInt(num![0]);
    const max = (1n << 63n) - 1n;
    const clamped = b > max ? max : b < -max - 1n ? -max - 1n : b;
    return Number.isSafeInteger(Number(clamped)) ? Number(clamped) : clamped;
  };
  try {
    return value();
  } catch (e) {
    if (e instanceof ParseFail) return undefined;
    throw e;
  }
}

/** Parses the leading integer of a string as json-c does (json_parse_int64); null when none. */
function parseInt64(s: string): bigint | null {
  const m = /^[ \t\n\r]*([+-]?\d+)/.exec(s);
  if (m === null) return null;
  const b = BigInt(m[1]!);
  const max = (1n << 63n) - 1n;
  return b > max ? max : b < -max - 1n ? -max - 1n : b;
}

/** json_object_get_int64(); `ok` false where json-c sets errno = EINVAL. */
export function jsonGetInt64(v: JsonValue): { value: bigint; ok: boolean } {
  if (v === null) return { value: 0n, ok: true };
  if (typeof v === "boolean") return { value: v ? 1n : 0n, ok: true };
  if (typeof v === "number") return { value: BigInt(v), ok: true };
  if (typeof v === "bigint") return { value: v, ok: true };
  if (v instanceof JsonDouble) {
    if (!Number.isFinite(v.value)) return { value: 0n, ok: false };
    return { value: BigInt(Math.trunc(v.value)), ok: true };
  }
  if (typeof v === "string") {
    const r = parseInt64(v);
    return r === null ? { value: 0n, ok: false } : { value: r, ok: true };
  }
  return { value: 0n, ok: true };
}

/** json_object_get_int(): int64 clamped to int32. */
export function jsonGetInt(v: JsonValue): { value: number; ok: boolean } {
  const r = jsonGetInt64(v);
  const c = r.value > 2147483647n ? 2147483647n : r.value < -2147483648n ? -2147483648n : r.value;
  return { value: Number(c), ok: r.ok };
}

/** json_object_get_string(): strings as they are, other values as their JSON text; null for null. */
export function jsonGetString(v: JsonValue): string | null {
  if (v === null) return null;
  if (typeof v === "string") return v;
  if (v instanceof JsonDouble) return toJsonPretty(v);
  return toJsonPlain(v);
}
