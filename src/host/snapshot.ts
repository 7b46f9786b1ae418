/**
 * The persistent machine's snapshot: the bytes of a whole World between two
 * commands (every layer, see src/system/snapshot.ts), and the World back from
 * them; in one piece, or as a body and large parts (snapshot_store.ts writes
 * those atomically, each part only when it changed).
 *
 * Bytes of another format, another iaa-emu version or damaged bytes are
 * refused with a one-line {@link SnapshotError} that names `iaa boot`.
 */
import { deserialize, serialize } from "node:v8";
import { restoreStack, restoreStackStructure, saveStack, type StackSnapshot } from "../system/snapshot.js";
import type { MachineConfigInput } from "../system/machine_config.js";
import type { PrintkRing } from "../lib/printk.js";
import { buildId, emuVersion } from "./version.js";
import { bootWorld, type World } from "./world.js";

const MAGIC = "iaa-emu machine snapshot";
/** 2: the printk ring in typed arrays, all-number arrays typed, the envelope names its build. */
const FORMAT = 2;

/** A snapshot that cannot be restored; the message is one line. */
export class SnapshotError extends Error {
  override name = "SnapshotError";
}

interface Envelope {
  magic: string;
  format: number;
  version: string;
  /** The build that wrote it (version.ts); restoring needs only the same format and version. */
  build: string;
  boot: string | MachineConfigInput;
  stack: StackSnapshot;
}

function envelope(world: World): Envelope {
  return { magic: MAGIC, format: FORMAT, version: emuVersion(), build: buildId(), boot: world.boot, stack: saveStack(world.stack, { sched: world.sched }) };
}

/**
 * The World's state as bytes.
 *
 * @example
 * const bytes = saveWorld(world);
 * const again = restoreWorld(bytes); // the same machine, a fresh process's worth
 */
export function saveWorld(world: World): Uint8Array {
  return serialize(envelope(world));
}

/**
 * The World's state as the machine directory stores it: a body (structure and
 * object graph) and the large parts apart (the page frames' bytes, the printk
 * ring), so that a commit rewrites a part only when it changed.
 */
export function saveWorldParts(world: World): { body: Uint8Array; parts: Record<string, Uint8Array> } {
  const env = envelope(world);
  const { printk, frames } = env.stack;
  const body = serialize({ ...env, stack: { ...env.stack, printk: null, frames: { ...frames, data: null } } });
  let ring = ringBytes.get(printk);
  if (ring === undefined) {
    ring = serialize(printk);
    ringBytes.set(printk, ring);
  }
  return { body, parts: { frames: frames.data, printk: ring } };
}

/** The bytes of a saved printk ring (Printk.saveRing returns the same object while the ring is unchanged). */
const ringBytes = new WeakMap<PrintkRing, Uint8Array>();

function refuse(why: string): never {
  throw new SnapshotError(`iaa: the machine snapshot ${why}; run \`iaa boot\` to start a new machine`);
}

function decode(bytes: Uint8Array): Envelope {
  let env: Envelope;
  try {
    env = deserialize(bytes) as Envelope;
  } catch {
    return refuse("is damaged (unreadable)");
  }
  if (typeof env !== "object" || env === null || env.magic !== MAGIC) return refuse("is not an iaa-emu machine snapshot");
  if (env.format !== FORMAT) return refuse(`has format ${String(env.format)}, this iaa-emu reads format ${FORMAT}`);
  if (env.version !== emuVersion()) return refuse(`was written by iaa-emu ${String(env.version)}, this is ${emuVersion()}`);
  if (typeof env.stack !== "object" || env.stack === null || env.boot === undefined) return refuse("is damaged (incomplete)");
  return env;
}

/** What a restore that could not carry everything over says (one line), by the World it made. */
const notices = new WeakMap<World, string>();

/** The one line a restore left to tell the user (the snapshot came from another build and only its structure was carried over), or null. */
export function restoreNotice(world: World): string | null {
  return notices.get(world) ?? null;
}

function rebuild(env: Envelope): World {
  if (env.build === buildId()) {
    try {
      const world = bootWorld(env.boot);
      restoreStack(world.stack, env.stack, { sched: world.sched });
      return world;
    } catch (e) {
      return refuse(`is damaged (${(e instanceof Error ? e.message : String(e)).split("\n")[0]})`);
    }
  }
  // Another build: its object graph is not laid over this build's objects even where its classes
  // fit (a class that gained a field would come back without it, a file the new build adds would
  // be missing from the saved tree); what the kernel's own operations rebuild is kept instead.
  let world: World;
  try {
    world = bootWorld(env.boot);
    restoreStackStructure(world.stack, env.stack);
  } catch (e) {
    const why = (e instanceof Error ? e.message : String(e)).split("\n")[0];
    return refuse(`was written by another build of iaa-emu ${env.version} (${String(env.build)}), which this build (${buildId()}) cannot read: ${why}`);
  }
  notices.set(world, `iaa: the machine snapshot was written by another build of iaa-emu (${String(env.build)}); its modules, devices and WQs, swap devices, zswap parameters, sysctls and log were carried over, its statistics, swapped-out data and files were not`);
  return world;
}

/** The World saved in `bytes`; throws {@link SnapshotError} for foreign or damaged bytes. */
export function restoreWorld(bytes: Uint8Array): World {
  return rebuild(decode(bytes));
}

/** The World saved by {@link saveWorldParts}; throws {@link SnapshotError} for foreign or damaged bytes. */
export function restoreWorldParts(body: Uint8Array, parts: Record<string, Uint8Array>): World {
  const env = decode(body);
  const frames = parts["frames"];
  const printk = parts["printk"];
  if (frames === undefined || printk === undefined || typeof env.stack.frames !== "object" || env.stack.frames === null) return refuse("is damaged (a part is missing)");
  let ring: PrintkRing;
  try {
    ring = deserialize(printk) as PrintkRing;
  } catch {
    return refuse("is damaged (its printk ring is unreadable)");
  }
  return rebuild({ ...env, stack: { ...env.stack, printk: ring, frames: { ...env.stack.frames, data: frames } } });
}
