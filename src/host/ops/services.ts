/** Requests for the services of the machine process: FUSE mounts, `iaa exec`'s mount, the dashboard. */
import { StateError } from "../state_dir.js";
import type { Op } from "./types.js";

/** A service's refusal (FUSE missing, a mount refused, already mounted) as one line for the client. */
async function oneLine<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof StateError) throw e;
    throw new StateError(`iaa: ${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export const mount: Op<"mount"> = async (req, ctx) => {
  ctx.host.world();
  await oneLine("mount", () => ctx.services.mount(req.dir));
  return { status: 0, commit: false };
};

export const umount: Op<"umount"> = async (req, ctx) => {
  await oneLine("umount", () => ctx.services.umount(req.dir));
  return { status: 0, commit: false };
};

export const execMount: Op<"exec-mount"> = async (_req, ctx) => {
  ctx.host.world();
  return { status: 0, data: await oneLine("exec", () => ctx.services.execMount()), commit: false };
};

export const dashboard: Op<"dashboard"> = async (req, ctx) => {
  ctx.host.world();
  return { status: 0, data: await oneLine("dashboard", () => ctx.services.startDashboard(req.port)), commit: false };
};
