/** What a request handler of the machine thread gets and returns. */
import type { MachineHost } from "../machine_host.js";
import type { Request } from "../protocol.js";
import type { Services } from "../services.js";
import type { JobStreams } from "../worker_io.js";

export interface JobContext {
  host: MachineHost;
  services: Services;
  io: JobStreams;
  /** The connection (an interactive session lives as long as its connection). */
  conn: number;
}

export interface OpResult {
  status: number;
  /** The answer of a query (status text, completions, a saved file). */
  data?: unknown;
  /** Whether the machine may have changed, so its state must be committed. */
  commit: boolean;
}

/** A handler for one kind of request. */
export type Op<K extends Request["op"]> = (req: Extract<Request, { op: K }>, ctx: JobContext) => OpResult | Promise<OpResult>;
