/** The machine thread's request handlers, by request op. Add a request by adding a row. */
import type { Request } from "../protocol.js";
import { boot, down, ping, status, sysfsExport } from "./machine.js";
import { accelConfig, complete, isComplete, line, prog, prompt, script, sh } from "./run.js";
import { dashboard, execMount, mount, umount } from "./services.js";
import type { Op } from "./types.js";

export const OPS: { [K in Request["op"]]?: Op<K> } = {
  sh,
  script,
  prog,
  "accel-config": accelConfig,
  line,
  "is-complete": isComplete,
  prompt,
  complete,
  boot,
  status,
  export: sysfsExport,
  ping,
  down,
  mount,
  umount,
  "exec-mount": execMount,
  dashboard,
};
