/**
 * Snapshots of a machine's object graph, QEMU-VMState style but generic: every
 * object reachable from named roots is written as a record of its own fields
 * (class instances, arrays, Maps, Sets, buffers, typed-array views), with
 * references as record ids, so sharing and cycles survive. Functions are not
 * data: they stay what the machine they are restored onto has.
 *
 * Restoring goes onto a machine built with the same structure (booted from the
 * same settings, with the same modules loaded, devices bound, swap on…):
 * saved records are first paired with the objects at the same place in the
 * fresh graph (same field, index or Map key, same class), so the closures of
 * sysfs attributes and registered ops keep pointing at the objects that now
 * hold the saved data; then every field, element and entry is overwritten
 * with the saved one, and saved objects with no counterpart are created from
 * the prototype of their class.
 */

/** A reference to another record, or a function left as the restored machine has it. */
type Ref = { r: number } | { f: 1 };
type Val = string | number | boolean | null | undefined | bigint | Ref;

/** [kind, class index, payload]: "o" fields, "a" elements, "n" elements of an all-number array (typed), "m" entries, "s" values, "b" bytes, "v" view, "x" external, "d" date. */
type Rec = [string, number, unknown];

export interface SavedGraph {
  /** Class signatures (name and method names), indexed by records. */
  classes: string[];
  records: Rec[];
  roots: Record<string, Val>;
}

export interface GraphOptions {
  /** Objects saved by name only (they exist on the restored machine too), e.g. page-frame chunks. */
  externals?: Map<object, string>;
  /** `Class.field` names that are not saved (the owner saves them another way). */
  skip?: Set<string>;
}

const VIEWS: Record<string, (b: ArrayBufferLike, o: number, n: number) => ArrayBufferView> = {
  Uint8Array: (b, o, n) => new Uint8Array(b, o, n),
  Int8Array: (b, o, n) => new Int8Array(b, o, n),
  Uint8ClampedArray: (b, o, n) => new Uint8ClampedArray(b, o, n),
  Uint16Array: (b, o, n) => new Uint16Array(b, o, n),
  Int16Array: (b, o, n) => new Int16Array(b, o, n),
  Uint32Array: (b, o, n) => new Uint32Array(b, o, n),
  Int32Array: (b, o, n) => new Int32Array(b, o, n),
  Float32Array: (b, o, n) => new Float32Array(b, o, n),
  Float64Array: (b, o, n) => new Float64Array(b, o, n),
  BigInt64Array: (b, o, n) => new BigInt64Array(b, o, n),
  BigUint64Array: (b, o, n) => new BigUint64Array(b, o, n),
  DataView: (b, o, n) => new DataView(b, o, n),
  Buffer: (b, o, n) => Buffer.from(b, o, n),
};

/** Objects that are neither data nor worth saving (kept as the restored machine has them). */
function opaque(o: object): boolean {
  return o instanceof WeakMap || o instanceof WeakSet || o instanceof Promise || (typeof WeakRef !== "undefined" && o instanceof WeakRef);
}

function isBuffer(o: object): o is ArrayBuffer | SharedArrayBuffer {
  return o instanceof ArrayBuffer || (typeof SharedArrayBuffer !== "undefined" && o instanceof SharedArrayBuffer);
}

const sigCache = new WeakMap<object, string>();

/** A class's signature: its name plus its prototype's own member names (two classes of one name differ). */
function signature(proto: object | null): string {
  if (proto === null) return "null";
  if (proto === Object.prototype) return "Object";
  let s = sigCache.get(proto);
  if (s === undefined) {
    const ctor = (proto as { constructor?: { name?: string } }).constructor;
    s = `${ctor?.name ?? "?"}(${Object.getOwnPropertyNames(proto).sort().join(",")})`;
    sigCache.set(proto, s);
  }
  return s;
}

function kindOf(o: object): string {
  if (Array.isArray(o)) return "a";
  if (o instanceof Map) return "m";
  if (o instanceof Set) return "s";
  if (isBuffer(o)) return "b";
  if (ArrayBuffer.isView(o)) return "v";
  if (o instanceof Date) return "d";
  return "o";
}

function viewName(v: ArrayBufferView): string {
  if (typeof Buffer !== "undefined" && Buffer.isBuffer(v)) return "Buffer";
  return v.constructor.name;
}

function viewLength(v: ArrayBufferView): number {
  return v instanceof DataView ? v.byteLength : (v as Uint8Array).length;
}

/** Own data fields of an object (accessors and symbols left out). */
function ownFields(o: object): string[] {
  return Object.keys(o);
}

/**
 * Writes the graph reachable from `roots`.
 *
 * @example
 * const g = saveGraph({ stack }, { skip: new Set(["VirtualClock.heap"]) });
 */
export function saveGraph(roots: Record<string, unknown>, opts: GraphOptions = {}): SavedGraph {
  const ids = new Map<object, number>();
  const records: Rec[] = [];
  const classes: string[] = [];
  const classIdx = new Map<string, number>();
  const queue: object[] = [];
  const ext = opts.externals ?? new Map<object, string>();
  const skip = opts.skip ?? new Set<string>();
  // per class: its index and the fields it does not save (looked up once, not per object)
  const skipByClass = new Map<string, Set<string>>();
  for (const entry of skip) {
    const dot = entry.indexOf(".");
    const set = skipByClass.get(entry.slice(0, dot)) ?? new Set<string>();
    set.add(entry.slice(dot + 1));
    skipByClass.set(entry.slice(0, dot), set);
  }
  const protoInfo = new Map<object | null, { c: number; skip: Set<string> | null }>();
  const cls = (proto: object | null): number => {
    const s = signature(proto);
    let i = classIdx.get(s);
    if (i === undefined) {
      i = classes.length;
      classes.push(s);
      classIdx.set(s, i);
    }
    return i;
  };
  const enc = (v: unknown): Val => {
    if (typeof v === "function") return { f: 1 };
    if (typeof v !== "object" || v === null) return v as Val;
    if (opaque(v)) return { f: 1 };
    let id = ids.get(v);
    if (id === undefined) {
      id = records.length;
      ids.set(v, id);
      records.push(["?", 0, null]);
      queue.push(v);
    }
    return { r: id };
  };
  const rootVals: Record<string, Val> = {};
  for (const [k, v] of Object.entries(roots)) rootVals[k] = enc(v);
  for (let qi = 0; qi < queue.length; qi++) {
    const o = queue[qi]!;
    const id = ids.get(o)!;
    const name = ext.get(o);
    if (name !== undefined) {
      records[id] = ["x", 0, name];
      continue;
    }
    const kind = kindOf(o);
    switch (kind) {
      case "a": {
        const a = o as unknown[];
        const nums = a.length >= NUMS_MIN ? numberArray(a) : null;
        if (nums !== null) {
          records[id] = ["n", 0, nums];
          break;
        }
        const out: Val[] = new Array(a.length);
        for (let i = 0; i < a.length; i++) out[i] = enc(a[i]);
        records[id] = ["a", 0, out];
        break;
      }
      case "m": {
        const out: Val[] = [];
        for (const [k, v] of o as Map<unknown, unknown>) out.push(enc(k), enc(v));
        records[id] = ["m", cls(Object.getPrototypeOf(o)), out];
        break;
      }
      case "s": {
        const out: Val[] = [];
        for (const v of o as Set<unknown>) out.push(enc(v));
        records[id] = ["s", cls(Object.getPrototypeOf(o)), out];
        break;
      }
      case "b": {
        const b = o as ArrayBuffer;
        records[id] = ["b", 0, [o instanceof ArrayBuffer ? 0 : 1, packBytes(new Uint8Array(b))]];
        break;
      }
      case "v": {
        const v = o as ArrayBufferView;
        records[id] = ["v", 0, [viewName(v), enc(v.buffer), v.byteOffset, viewLength(v)]];
        break;
      }
      case "d":
        records[id] = ["d", 0, (o as Date).getTime()];
        break;
      default: {
        const proto = Object.getPrototypeOf(o) as object | null;
        let pc = protoInfo.get(proto);
        if (pc === undefined) {
          const cname = (proto as { constructor?: { name?: string } } | null)?.constructor?.name ?? "";
          pc = { c: cls(proto), skip: skipByClass.get(cname) ?? null };
          protoInfo.set(proto, pc);
        }
        const out: Val[] = [];
        const fields = ownFields(o);
        for (let i = 0; i < fields.length; i++) {
          const k = fields[i]!;
          out.push(k, pc.skip !== null && pc.skip.has(k) ? { f: 1 } : enc((o as Record<string, unknown>)[k]));
        }
        records[id] = ["o", pc.c, out];
      }
    }
  }
  return { classes, records, roots: rootVals };
}

/** Arrays at least this long that hold only numbers are saved as one typed array (free lists, id tables). */
const NUMS_MIN = 16;

/** The elements of an all-number array as an Int32Array (all int32, no -0) or a Float64Array; null if any is not a number. */
function numberArray(a: unknown[]): Int32Array | Float64Array | null {
  let ints = true;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (typeof x !== "number") return null;
    if (ints && ((x | 0) !== x || (x === 0 && 1 / x < 0))) ints = false;
  }
  return ints ? Int32Array.from(a as number[]) : Float64Array.from(a as number[]);
}

/** Bytes as saved: all of them, or (large, mostly zero buffers such as per-slot maps) the non-zero blocks. */
type Packed = Uint8Array | { len: number; blocks: Uint32Array; data: Uint8Array };
const PACK_MIN = 65536;
const BLOCK = 4096;

function packBytes(b: Uint8Array): Packed {
  if (b.length < PACK_MIN || b.length % BLOCK !== 0) return b.slice();
  const words = new Uint32Array(b.buffer, b.byteOffset, b.length / 4);
  const blocks: number[] = [];
  for (let blk = 0, w = 0; w < words.length; blk++) {
    const end = w + BLOCK / 4;
    let nz = false;
    for (; w < end; w++) {
      if (words[w] !== 0) {
        nz = true;
        w = end;
        break;
      }
    }
    if (nz) blocks.push(blk);
  }
  if (blocks.length * 2 > b.length / BLOCK) return b.slice();
  const data = new Uint8Array(blocks.length * BLOCK);
  blocks.forEach((blk, i) => data.set(b.subarray(blk * BLOCK, (blk + 1) * BLOCK), i * BLOCK));
  return { len: b.length, blocks: Uint32Array.from(blocks), data };
}

function packedLength(p: Packed): number {
  return p instanceof Uint8Array ? p.length : p.len;
}

function unpackBytes(p: Packed, into: Uint8Array): void {
  if (p instanceof Uint8Array) {
    into.set(p);
    return;
  }
  into.fill(0);
  p.blocks.forEach((blk, i) => into.set(p.data.subarray(i * BLOCK, (i + 1) * BLOCK), blk * BLOCK));
}

/** Calls `fn` on every object reachable from `roots` (once each). */
function walk(roots: unknown[], fn: (o: object) => void): void {
  const seen = new Set<object>();
  const stack: unknown[] = [...roots];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== "object" || v === null || seen.has(v)) continue;
    seen.add(v);
    fn(v);
    if (opaque(v) || isBuffer(v)) continue;
    if (ArrayBuffer.isView(v)) {
      stack.push(v.buffer);
    } else if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
    } else if (v instanceof Map) {
      for (const [k, x] of v) stack.push(k, x);
    } else if (v instanceof Set) {
      for (const x of v) stack.push(x);
    } else {
      for (const k of ownFields(v)) stack.push((v as Record<string, unknown>)[k]);
    }
  }
}

/** Thrown when saved records cannot be put onto the machine (a class it does not have, bad records). */
export class GraphRestoreError extends Error {}

/**
 * Puts a {@link SavedGraph} onto `freshRoots` (a machine of the same structure);
 * `protos` are prototypes of classes the fresh machine may have no instance of.
 */
export function restoreGraph(g: SavedGraph, freshRoots: Record<string, unknown>, externals: Map<string, object> = new Map(), protos: object[] = []): void {
  const { records } = g;
  if (!Array.isArray(records) || !Array.isArray(g.classes)) throw new GraphRestoreError("bad records");
  const protoBySig = new Map<string, object | null>([["null", null], ["Object", Object.prototype]]);
  const addProto = (p: object | null): void => {
    while (p !== null && p !== Object.prototype) {
      const s = signature(p);
      if (!protoBySig.has(s)) protoBySig.set(s, p);
      p = Object.getPrototypeOf(p) as object | null;
    }
  };
  for (const p of protos) addProto(p);
  walk(Object.values(freshRoots), (o) => addProto(Object.getPrototypeOf(o) as object | null));

  const objs: (object | undefined)[] = new Array(records.length);
  const anchored = new Uint8Array(records.length);
  const refId = (v: unknown): number => (typeof v === "object" && v !== null && "r" in v ? (v as { r: number }).r : -1);

  // 1. pair saved records with the fresh objects at the same place
  const pairs: [number, unknown][] = [];
  for (const [k, v] of Object.entries(g.roots)) if (refId(v) >= 0) pairs.push([refId(v), freshRoots[k]]);
  // breadth first: an object reachable on several paths pairs on its shortest (the owner's) path
  for (let pi = 0; pi < pairs.length; pi++) {
    const [id, f] = pairs[pi]!;
    if (objs[id] !== undefined || typeof f !== "object" || f === null) continue;
    const rec = records[id];
    if (rec === undefined) throw new GraphRestoreError(`bad reference ${id}`);
    const [kind, c, payload] = rec;
    if (kind === "x" || opaque(f) || kindOf(f) !== (kind === "n" ? "a" : kind)) continue;
    if (kind === "o" || kind === "m" || kind === "s") {
      if (signature(Object.getPrototypeOf(f) as object | null) !== g.classes[c]) continue;
    }
    if (kind === "b") {
      const [shared, bytes] = payload as [number, Packed];
      if ((f as ArrayBuffer).byteLength !== packedLength(bytes) || (shared === 1) !== !(f instanceof ArrayBuffer)) continue;
    }
    if (kind === "v") {
      const [name, buf, off, len] = payload as [string, Val, number, number];
      const v = f as ArrayBufferView;
      if (viewName(v) !== name || v.byteOffset !== off || viewLength(v) !== len) continue;
      pairs.push([refId(buf), v.buffer]);
    }
    objs[id] = f;
    anchored[id] = 1;
    if (kind === "o") {
      const p = payload as Val[];
      for (let i = 0; i < p.length; i += 2) if (refId(p[i + 1]) >= 0) pairs.push([refId(p[i + 1]), (f as Record<string, unknown>)[p[i] as string]]);
    } else if (kind === "a") {
      (payload as Val[]).forEach((v, i) => {
        if (refId(v) >= 0) pairs.push([refId(v), (f as unknown[])[i]]);
      });
    } else if (kind === "m") {
      const p = payload as Val[];
      const fm = f as Map<unknown, unknown>;
      // entries pair by primitive key; objects used as keys (or Set members) pair through their other references
      for (let i = 0; i < p.length; i += 2) {
        const k = p[i];
        if (refId(k) < 0 && refId(p[i + 1]) >= 0) pairs.push([refId(p[i + 1]), fm.get(k)]);
      }
    }
  }

  // 2. create the records with no counterpart (buffers first: views need them)
  const create = (id: number): object => {
    let o = objs[id];
    if (o !== undefined) return o;
    const [kind, c, payload] = records[id]!;
    switch (kind) {
      case "x": {
        o = externals.get(payload as string);
        if (o === undefined) throw new GraphRestoreError(`no object named ${String(payload)}`);
        break;
      }
      case "a":
      case "n":
        o = [];
        break;
      case "m":
      case "s":
      case "o": {
        const sig = g.classes[c]!;
        if (!protoBySig.has(sig)) throw new GraphRestoreError(`no class ${sig.slice(0, sig.indexOf("("))} on this machine`);
        const proto = protoBySig.get(sig)!;
        o = kind === "m" ? new Map() : kind === "s" ? new Set() : Object.create(proto);
        if (kind !== "o" && proto !== Object.getPrototypeOf(o)) Object.setPrototypeOf(o, proto);
        break;
      }
      case "b": {
        const [shared, bytes] = payload as [number, Packed];
        const b = shared === 1 ? new SharedArrayBuffer(packedLength(bytes)) : new ArrayBuffer(packedLength(bytes));
        unpackBytes(bytes, new Uint8Array(b));
        o = b;
        break;
      }
      case "v": {
        const [name, buf, off, len] = payload as [string, Val, number, number];
        const make = VIEWS[name];
        if (make === undefined) throw new GraphRestoreError(`no view type ${name}`);
        o = make(create(refId(buf)) as ArrayBufferLike, off, len);
        break;
      }
      case "d":
        o = new Date(payload as number);
        break;
      default:
        throw new GraphRestoreError(`bad record kind ${String(kind)}`);
    }
    objs[id] = o;
    return o!;
  };
  for (let id = 0; id < records.length; id++) create(id);

  // 3. fill in fields, elements, entries and bytes
  const dec = (v: Val, keep: unknown): unknown => {
    if (typeof v !== "object" || v === null) return v;
    if ("f" in v) return keep;
    return objs[v.r];
  };
  for (let id = 0; id < records.length; id++) {
    const [kind, , payload] = records[id]!;
    const o = objs[id]!;
    if (kind === "o") {
      if (Object.isFrozen(o)) continue;
      const t = o as Record<string, unknown>;
      const p = payload as Val[];
      const savedKeys = new Set<string>();
      for (let i = 0; i < p.length; i += 2) savedKeys.add(p[i] as string);
      const plain = Object.getPrototypeOf(o) === Object.prototype || Object.getPrototypeOf(o) === null;
      // a plain object's keys come back in the saved order; no stale keys stay
      for (const k of Object.keys(t)) {
        if (typeof t[k] === "function" && !savedKeys.has(k)) continue;
        if (!savedKeys.has(k) || (plain && anchored[id] === 1)) {
          const keep = t[k];
          try {
            delete t[k];
          } catch {
            continue;
          }
          if (savedKeys.has(k) && typeof keep === "function") t[k] = keep;
        }
      }
      for (let i = 0; i < p.length; i += 2) {
        const k = p[i] as string;
        try {
          t[k] = dec(p[i + 1] as Val, t[k]);
        } catch {
          // a read-only field (getter) keeps its value
        }
      }
    } else if (kind === "a") {
      const a = o as unknown[];
      const p = payload as Val[];
      const old = anchored[id] === 1 ? a.slice() : [];
      a.length = p.length;
      for (let i = 0; i < p.length; i++) a[i] = dec(p[i]!, old[i]);
    } else if (kind === "n") {
      const a = o as unknown[];
      const p = payload as ArrayLike<number>;
      if (!(p instanceof Int32Array || p instanceof Float64Array)) throw new GraphRestoreError("bad number array");
      a.length = p.length;
      for (let i = 0; i < p.length; i++) a[i] = p[i];
    } else if (kind === "m") {
      const m = o as Map<unknown, unknown>;
      const old = new Map(m);
      const p = payload as Val[];
      m.clear();
      for (let i = 0; i < p.length; i += 2) {
        const k = dec(p[i] as Val, undefined);
        m.set(k, dec(p[i + 1] as Val, old.get(k)));
      }
    } else if (kind === "s") {
      const s = o as Set<unknown>;
      s.clear();
      for (const v of payload as Val[]) s.add(dec(v, undefined));
    } else if (kind === "b" && anchored[id] === 1) {
      unpackBytes((payload as [number, Packed])[1], new Uint8Array(o as ArrayBuffer));
    }
  }
}
