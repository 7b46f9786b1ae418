/**
 * The persistent machine's snapshot: the bytes of a whole World between two
 * commands (every layer, see src/system/snapshot.ts), and the World back from
 * them. The machine process wraps these bytes with a checksum and writes them
 * atomically; here they are only produced and consumed.
 *
 * Bytes of another format, another iaa-emu version or damaged bytes are
 * refused with a one-line {@link SnapshotError} that names `iaa boot`.
 */
import { deserialize, serialize } from "node:v8";
import { restoreStack, saveStack, type StackSnapshot } from "../system/snapshot.js";
import type { MachineConfigInput } from "../system/machine_config.js";
import { emuVersion } from "./version.js";
import { bootWorld, type World } from "./world.js";

const MAGIC = "iaa-emu machine snapshot";
const FORMAT = 1;

/** A snapshot that cannot be restored; the message is one line. */
export class SnapshotError extends Error {
  override name = "SnapshotError";
}

interface Envelope {
  magic: string;
  format: number;
  version: string;
  boot: string | MachineConfigInput;
  stack: StackSnapshot;
}

/**
 * The World's state as bytes.
 *
 * @example
 * const bytes = saveWorld(world);
 * const again = restoreWorld(bytes); // the same machine, a fresh process's worth
 */
export function saveWorld(world: World): Uint8Array {
  const env: Envelope = { magic: MAGIC, format: FORMAT, version: emuVersion(), boot: world.boot, stack: saveStack(world.stack, { sched: world.sched }) };
  return serialize(env);
}

function refuse(why: string): never {
  throw new SnapshotError(`iaa: the machine snapshot ${why}; run \`iaa boot\` to start a new machine`);
}

/** The World saved in `bytes`; throws {@link SnapshotError} for foreign or damaged bytes. */
export function restoreWorld(bytes: Uint8Array): World {
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
  let world: World;
  try {
    world = bootWorld(env.boot);
    restoreStack(world.stack, env.stack, { sched: world.sched });
  } catch (e) {
    return refuse(`is damaged (${(e instanceof Error ? e.message : String(e)).split("\n")[0]})`);
  }
  return world;
}
