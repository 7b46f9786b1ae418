/**
 * Interim snapshot: the boot settings only (a restored machine is freshly
 * booted). Replaced by the whole-machine snapshot.
 */
import type { MachineConfigInput } from "../system/machine_config.js";
import { emuVersion } from "./version.js";
import { bootWorld, type World } from "./world.js";

export class SnapshotError extends Error {
  override name = "SnapshotError";
}

export function saveWorld(world: World): Uint8Array {
  return Buffer.from(JSON.stringify({ version: emuVersion(), boot: world.boot }), "utf8");
}

export function restoreWorld(bytes: Uint8Array): World {
  let doc: { version?: unknown; boot?: unknown };
  try {
    doc = JSON.parse(Buffer.from(bytes).toString("utf8")) as typeof doc;
  } catch {
    throw new SnapshotError("the snapshot is not readable; run `iaa boot` to start over");
  }
  if (doc.version !== emuVersion()) throw new SnapshotError(`the snapshot was written by iaa-emu ${String(doc.version)}, this is ${emuVersion()}; run \`iaa boot\` to start a new machine`);
  return bootWorld(doc.boot as MachineConfigInput);
}
