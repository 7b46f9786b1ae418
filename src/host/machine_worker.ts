/**
 * The machine thread of the machine process: it holds the booted machine and
 * runs one request at a time, synchronously, as the main thread hands them
 * over (machine_process.ts). Its event loop is free between requests, so
 * services that read the machine live (FUSE, the dashboard) run here too.
 */
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from "node:worker_threads";
import { strerror, SysError } from "../lib/errno.js";
import { log, setLogFile } from "./log.js";
import { MachineHost } from "./machine_host.js";
import { OPS } from "./ops/mod.js";
import { Services } from "./services.js";
import type { JobContext, Op, OpResult } from "./ops/types.js";
import type { ExitReply, Request } from "./protocol.js";
import { machinePaths, StateError } from "./state_dir.js";
import type { World } from "./world.js";
import { CodecPool } from "../system/bench/codec_pool.js";
import { PageoutPrefetch } from "../system/pageout_prefetch.js";
import { Ctl, JobStreams } from "./worker_io.js";

export interface WorkerInit {
  dir: string;
  ctl: SharedArrayBuffer;
  stdinPort: MessagePort;
  /** Threads computing the IAA engines' results: this one and threads − 1 pool workers (threads.ts). */
  threads: number;
}

/** Main thread → machine thread. */
export type ToWorker = { t: "job"; conn: number; req: Request } | { t: "end-session"; conn: number } | { t: "shutdown" };

/** Machine thread → main thread (besides output batches and stdin requests from worker_io.ts). */
export type FromWorker = { t: "done"; reply: ExitReply } | { t: "ready"; booted: boolean } | { t: "services-down" };

const init = workerData as WorkerInit;
const ctl = new Int32Array(init.ctl);
const port = parentPort!;
setLogFile(machinePaths(init.dir).log);
const host = new MachineHost(init.dir);
const services = new Services(host);
// worker threads precompute the engines' results for the pages a MADV_PAGEOUT is about to write
const pool = init.threads > 1 ? new CodecPool(init.threads - 1) : null;
let prefetch: PageoutPrefetch | null = null;
const attachPrefetch = (w: World): void => {
  prefetch?.uninstall();
  prefetch = pool === null ? null : PageoutPrefetch.install(w.stack, pool);
};
host.onReplace.push(attachPrefetch);
if (host.booted) attachPrefetch(host.world());

async function runJob(conn: number, req: Request, io: JobStreams): Promise<ExitReply> {
  const op = OPS[req.op] as Op<Request["op"]> | undefined;
  if (op === undefined) {
    io.stderr.write(`iaa: the machine process does not know the request '${String(req.op)}'\n`);
    return { status: 2 };
  }
  const ctx: JobContext = { host, services, io, conn };
  let r: OpResult;
  try {
    r = await op(req, ctx);
  } catch (e) {
    if (e instanceof StateError) io.stderr.write(e.message + "\n");
    else if (e instanceof SysError || typeof (e as NodeJS.ErrnoException).errno === "number") {
      // a refused file operation: the machine's (SysError) or the host's (a Node system error)
      const err = e as { errno: number; path?: string; syscall?: string };
      io.stderr.write(`iaa: ${err.path ?? err.syscall ?? "error"}: ${strerror(err.errno)}\n`);
    } else {
      io.stderr.write(`iaa: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      log(`iaa: ${req.op}: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return { status: 70 };
    }
    return { status: 1 };
  }
  if (r.commit) {
    try {
      host.commit();
    } catch (e) {
      if (!(e instanceof StateError)) throw e;
      io.stderr.write(e.message + "\n");
      return { status: r.status === 0 ? 1 : r.status };
    }
  }
  // a command ended by SIGTERM, SIGHUP or SIGPIPE has the status of a process killed by it (the shell reports SIGINT's 130 itself)
  const status = io.caught !== 0 && io.caught !== 2 && r.status !== 0 ? 128 + io.caught : r.status;
  return { status, data: r.data };
}

/**
 * Collects garbage now and once more when the thread is idle, so that the
 * buffers of released chunks are freed (V8 frees a buffer's memory only after
 * a collection finds it dead, and an idle thread would not collect).
 */
function collectSoon(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return;
  gc();
  setTimeout(gc, 200).unref();
}

port.on("message", (m: ToWorker) => void handle(m));

async function handle(m: ToWorker): Promise<void> {
  if (m.t === "end-session") {
    host.endSession(m.conn);
    return;
  }
  if (m.t === "shutdown") {
    // the process is ending: its mounts go first, or the reads they have pending would keep this thread alive
    await services.shutdown();
    port.postMessage({ t: "services-down" } satisfies FromWorker);
    return;
  }
  Atomics.store(ctl, Ctl.Signal, 0);
  // stdin the previous command left unread is not this one's
  while (receiveMessageOnPort(init.stdinPort) !== undefined);
  const io = new JobStreams(ctl, init.stdinPort, (msg) => port.postMessage(msg), "tty" in m.req ? m.req.tty : { stdin: false, stdout: false, stderr: false });
  const notice = host.takeNotice();
  if (notice !== null) io.stderr.write(`${notice}\n`);
  const reply = await runJob(m.conn, m.req, io);
  io.flush();
  services.afterCommand();
  // the memory of page frames the command freed, and of the prefetch's page copies, goes back to the host (a real
  // machine's free memory costs nothing)
  const dropped = prefetch?.dropAll() ?? 0;
  if (dropped > 0) pool?.idle();
  if ((host.booted && host.world().stack.machine.mem.releaseFreeChunks() > 0) || dropped > 0) collectSoon();
  port.postMessage({ t: "done", reply } satisfies FromWorker);
}

port.postMessage({ t: "ready", booted: host.booted } satisfies FromWorker);
