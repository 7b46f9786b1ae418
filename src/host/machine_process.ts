#!/usr/bin/env node
/**
 * The machine process: one per machine directory, started by the first
 * client that finds none running (client.ts), stopped by `iaa down`.
 *
 * Its main thread owns the Unix socket and the clients; the machine itself
 * lives in a worker thread (machine_worker.ts) that runs one request at a
 * time. Keeping the two apart lets output stream to the client while a
 * command runs, lets Ctrl-C reach a command that never yields (a word of
 * shared memory the shell polls), and confines a runaway script to the
 * worker's heap limit: if the worker dies, the main thread reports it to the
 * client and starts a new one from the last committed snapshot.
 *
 *   node machine_process.js DIR
 */
import { chmodSync, existsSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { MessageChannel, Worker } from "node:worker_threads";
import { log, setLogFile } from "./log.js";
import type { FromWorker, ToWorker, WorkerInit } from "./machine_worker.js";
import { acquirePidFile, releasePidFile } from "./pidfile.js";
import { encodeFrame, Frame, FrameDecoder, parseJson, type ExitReply, type Request, type SignalMsg } from "./protocol.js";
import { describeError, ensureMachineDir, machinePaths, StateError } from "./state_dir.js";
import { buildId } from "./version.js";
import { machineThreads } from "./threads.js";
import { Ctl, SIGNAL_NUMBERS, type OutMessage } from "./worker_io.js";
import { within } from "../lib/within.js";

/** Unsent output above which the command waits for its client. */
const THROTTLE_BYTES = 4 << 20;
/** The machine thread's JavaScript heap limit (page data lives outside it, in shared memory). */
const WORKER_HEAP_MB = 3072;

interface Job {
  conn: Conn;
  req: Request;
}

interface Conn {
  id: number;
  socket: Socket;
  closed: boolean;
}

/** How long shutdown waits for the machine thread to undo its mounts, and then to stop. */
const SHUTDOWN_WAIT_MS = 10_000;

class MachineProcess {
  private readonly paths;
  private worker!: Worker;
  private ctl = new Int32Array(new SharedArrayBuffer(Ctl.Words * 4));
  private stdin!: MessageChannel;
  private queue: Job[] = [];
  private active: Job | null = null;
  private nextConn = 1;
  private stopping = false;
  private sockIno = 0;
  private readonly server = createServer((s) => this.accept(s));

  constructor(dir: string) {
    this.paths = machinePaths(dir);
  }

  start(): void {
    ensureMachineDir(this.paths.dir);
    setLogFile(this.paths.log);
    const owner = acquirePidFile(this.paths.pid);
    if (owner !== null) {
      // another machine process owns the directory: the client will talk to it
      process.exit(0);
    }
    try {
      if (existsSync(this.paths.sock)) unlinkSync(this.paths.sock);
    } catch (e) {
      releasePidFile(this.paths.pid);
      throw new StateError(`iaa: cannot remove the stale socket ${this.paths.sock}: ${(e as Error).message}`);
    }
    // which build answers on the socket, before it does (clients restart a process of another build)
    try {
      const tmp = `${this.paths.build}.tmp-${process.pid}`;
      writeFileSync(tmp, `${process.pid} ${buildId()}\n`, { mode: 0o600 });
      renameSync(tmp, this.paths.build);
    } catch (e) {
      releasePidFile(this.paths.pid);
      throw new StateError(`iaa: cannot write ${this.paths.build}: ${describeError(e)}`);
    }
    this.startWorker();
    this.server.on("error", (e) => {
      log(`iaa: machine process: ${e.message}`);
      this.exit(1);
    });
    this.server.listen(this.paths.sock, () => {
      chmodSync(this.paths.sock, 0o600);
      this.sockIno = statSync(this.paths.sock).ino;
    });
    // the directory removed, or another process took the socket over: this machine is gone
    setInterval(() => {
      let ino = -1;
      try {
        ino = statSync(this.paths.sock).ino;
      } catch {
        // gone
      }
      if (this.sockIno !== 0 && ino !== this.sockIno) this.exit(0);
    }, 1000).unref();
    process.on("SIGTERM", () => this.shutdown());
    process.on("SIGINT", () => {});
    process.on("SIGHUP", () => {});
  }

  private startWorker(): void {
    this.stdin = new MessageChannel();
    const t = machineThreads();
    if (typeof t === "string") log(`${t}; using 1`);
    const init: WorkerInit = { dir: this.paths.dir, ctl: this.ctl.buffer as SharedArrayBuffer, stdinPort: this.stdin.port2, threads: typeof t === "string" ? 1 : t };
    this.worker = new Worker(new URL("./machine_worker.js", import.meta.url), {
      workerData: init,
      transferList: [this.stdin.port2],
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
      stdout: false,
      stderr: false,
    });
    this.worker.on("message", (m: FromWorker | OutMessage | { t: "want-stdin" }) => this.fromWorker(m));
    this.worker.on("error", (e) => this.workerDied(e));
    this.worker.on("exit", (code) => {
      if (!this.stopping) this.workerDied(new Error(`exited with status ${code}`));
    });
  }

  /** The machine thread died (a heap limit, a bug): fail the running command, start again from the snapshot. */
  private workerDied(e: Error): void {
    if (this.stopping) return;
    const reason = (e as NodeJS.ErrnoException).code === "ERR_WORKER_OUT_OF_MEMORY" ? "the command ran out of memory" : `the machine thread failed (${e.message})`;
    log(`iaa: machine process: ${reason}`);
    this.worker.removeAllListeners();
    void this.worker.terminate();
    const job = this.active;
    this.active = null;
    if (job !== null) {
      this.send(job.conn, Frame.Stderr, `iaa: ${reason}; the machine is back at its last saved state\n`);
      this.send(job.conn, Frame.Exit, { status: 1 } satisfies ExitReply);
    }
    this.startWorker();
    // queued jobs go to the new worker once it is ready
  }

  private fromWorker(m: FromWorker | OutMessage | { t: "want-stdin" }): void {
    const job = this.active;
    switch (m.t) {
      case "ready":
        this.pump();
        return;
      case "services-down":
        this.servicesDown?.();
        return;
      case "out":
        if (job === null) return;
        for (const [fd, data] of m.chunks) this.send(job.conn, fd === 1 ? Frame.Stdout : Frame.Stderr, data);
        return;
      case "want-stdin":
        if (job !== null) this.send(job.conn, Frame.WantStdin);
        return;
      case "done":
        this.active = null;
        Atomics.store(this.ctl, Ctl.Throttle, 0);
        if (job !== null) {
          this.send(job.conn, Frame.Exit, m.reply);
          if (job.req.op === "down") this.shutdown();
        }
        if (this.stopping) this.finish();
        else this.pump();
        return;
    }
  }

  private send(conn: Conn, type: Frame, payload?: Uint8Array | string | object): void {
    if (conn.closed) return;
    conn.socket.write(encodeFrame(type, payload));
    if (conn.socket.writableLength > THROTTLE_BYTES && this.active?.conn === conn) Atomics.store(this.ctl, Ctl.Throttle, 1);
  }

  private accept(socket: Socket): void {
    const conn: Conn = { id: this.nextConn++, socket, closed: false };
    const dec = new FrameDecoder(
      (type, body) => this.fromClient(conn, type, body),
      (msg) => {
        log(`iaa: machine process: client ${conn.id}: ${msg}`);
        socket.destroy();
      },
    );
    socket.on("data", (d: Buffer) => dec.push(d));
    socket.on("drain", () => {
      if (this.active?.conn === conn) {
        Atomics.store(this.ctl, Ctl.Throttle, 0);
        Atomics.notify(this.ctl, Ctl.Throttle);
      }
    });
    socket.on("error", () => {});
    socket.on("close", () => this.closed(conn));
  }

  private fromClient(conn: Conn, type: Frame, body: Buffer): void {
    switch (type) {
      case Frame.Request: {
        const req = parseJson(body) as Request | null;
        if (req === null || typeof req !== "object" || typeof req.op !== "string") {
          this.send(conn, Frame.Stderr, "iaa: bad request\n");
          this.send(conn, Frame.Exit, { status: 2 } satisfies ExitReply);
          return;
        }
        if (this.stopping) {
          this.send(conn, Frame.Stderr, "iaa: the machine process is stopping\n");
          this.send(conn, Frame.Exit, { status: 1 } satisfies ExitReply);
          return;
        }
        this.queue.push({ conn, req });
        this.pump();
        return;
      }
      case Frame.Stdin:
        if (this.active?.conn === conn) this.postStdin(new Uint8Array(body));
        return;
      case Frame.StdinEof:
        if (this.active?.conn === conn) this.postStdin(null);
        return;
      case Frame.Signal: {
        const sig = (parseJson(body) as SignalMsg | null)?.signal;
        const n = sig !== undefined && Object.hasOwn(SIGNAL_NUMBERS, sig) ? SIGNAL_NUMBERS[sig] : 0;
        if (n === 0) return;
        if (this.active?.conn === conn) {
          Atomics.store(this.ctl, Ctl.Signal, n);
          Atomics.notify(this.ctl, Ctl.StdinSeq);
          Atomics.notify(this.ctl, Ctl.Throttle);
        } else {
          // not started yet: it never runs (as a signal before exec)
          const before = this.queue.length;
          this.queue = this.queue.filter((j) => j.conn !== conn);
          if (this.queue.length < before) this.send(conn, Frame.Exit, { status: 128 + n } satisfies ExitReply);
        }
        return;
      }
      default:
        return;
    }
  }

  private postStdin(chunk: Uint8Array | null): void {
    this.stdin.port1.postMessage(chunk);
    Atomics.add(this.ctl, Ctl.StdinSeq, 1);
    Atomics.notify(this.ctl, Ctl.StdinSeq);
  }

  private closed(conn: Conn): void {
    conn.closed = true;
    this.queue = this.queue.filter((j) => j.conn !== conn);
    if (this.active?.conn === conn) {
      // the client went away (killed, or its terminal closed): SIGHUP for its command
      Atomics.store(this.ctl, Ctl.Signal, SIGNAL_NUMBERS.SIGHUP);
      Atomics.store(this.ctl, Ctl.Throttle, 0);
      Atomics.notify(this.ctl, Ctl.StdinSeq);
      Atomics.notify(this.ctl, Ctl.Throttle);
      this.postStdin(null);
    }
    this.worker.postMessage({ t: "end-session", conn: conn.id } satisfies ToWorker);
  }

  private pump(): void {
    if (this.active !== null) return;
    const job = this.queue.shift();
    if (job === undefined) return;
    this.active = job;
    this.worker.postMessage({ t: "job", conn: job.conn.id, req: job.req } satisfies ToWorker);
  }

  /** `iaa down` or SIGTERM: finish, release the directory, exit. */
  private shutdown(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.server.close();
    for (const j of this.queue) {
      this.send(j.conn, Frame.Stderr, "iaa: the machine process is stopping\n");
      this.send(j.conn, Frame.Exit, { status: 1 } satisfies ExitReply);
    }
    this.queue = [];
    if (this.active === null) this.finish();
    else {
      // let the running command end as on SIGTERM; its work is committed as usual
      Atomics.store(this.ctl, Ctl.Signal, SIGNAL_NUMBERS.SIGTERM);
      Atomics.notify(this.ctl, Ctl.StdinSeq);
      Atomics.notify(this.ctl, Ctl.Throttle);
    }
  }

  /** Resolves the wait of finish() for the machine thread's mounts to be undone. */
  private servicesDown: (() => void) | null = null;

  /**
   * Undoes the machine thread's mounts (it answers once they are gone, or
   * they were already: `iaa down` did it), stops the thread and exits. A
   * mount left up would keep a read pending in the thread pool, and the
   * thread's termination would wait for it forever.
   */
  private finish(): void {
    const down = new Promise<void>((resolve) => {
      this.servicesDown = resolve;
      this.worker.postMessage({ t: "shutdown" } satisfies ToWorker);
    });
    void within(down, SHUTDOWN_WAIT_MS)
      .then(() => within(this.worker.terminate(), SHUTDOWN_WAIT_MS))
      .then(() => this.exit(0));
  }

  private exit(code: number): void {
    try {
      if (this.sockIno !== 0 && statSync(this.paths.sock).ino === this.sockIno) unlinkSync(this.paths.sock);
    } catch {
      // gone
    }
    try {
      if (readFileSync(this.paths.build, "utf8").startsWith(`${process.pid} `)) unlinkSync(this.paths.build);
    } catch {
      // gone
    }
    releasePidFile(this.paths.pid);
    process.exit(code);
  }
}

const dir = process.argv[2];
if (dir === undefined) {
  process.stderr.write("usage: machine_process.js DIR\n");
  process.exit(2);
}
process.on("uncaughtException", (e) => {
  log(`iaa: machine process: internal error: ${e.stack ?? e.message}`);
  process.exit(70);
});
try {
  new MachineProcess(dir).start();
} catch (e) {
  setLogFile(machinePaths(dir).log);
  log(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
