/**
 * A client of the machine process: connects to `$IAA_EMU_HOME/machine.sock`
 * (starting the machine process when none runs), sends one request, and
 * plays the command's streams on the host: output is written as it arrives,
 * stdout and stderr apart and in order; stdin is read only once the command
 * asks for it; SIGINT, SIGTERM and SIGHUP are passed on to the command; the
 * exit status comes back.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { encodeFrame, Frame, FrameDecoder, parseJson, type ExitReply, type Request, type SignalMsg, type TtyInfo } from "./protocol.js";
import { pidAlive, readOwner } from "./pidfile.js";
import { describeError, ensureMachineDir, machinePaths, StateError } from "./state_dir.js";
import { buildId } from "./version.js";
import { machineThreads } from "./threads.js";

/** How long a client waits for a machine process it started to listen. */
const START_TIMEOUT_MS = 60_000;
/** The longest socket path a sockaddr_un holds. */
const SUN_PATH_MAX = 107;

function tryConnect(path: string): Promise<Socket | NodeJS.ErrnoException> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once("connect", () => {
      s.removeAllListeners("error");
      resolve(s);
    });
    s.once("error", (e: NodeJS.ErrnoException) => resolve(e));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts the machine process for `dir` in the background; resolves when it has exited (if it does). */
function startMachineProcess(dir: string): { exited: Promise<number | null> } {
  const here = fileURLToPath(import.meta.url);
  const script = here.replace(/client\.(ts|js)$/, "machine_process.$1");
  const execArgv = here.endsWith(".ts") ? ["--import", "tsx"] : [];
  // --expose-gc: after a command frees page-frame chunks the machine thread collects them at once (machine_worker.ts)
  const child = spawn(process.execPath, ["--expose-gc", ...execArgv, script, dir], { detached: true, stdio: "ignore" });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.unref();
  return { exited };
}

/** The last message the machine process logged (its reason for stopping), without its timestamp. */
function lastLogLine(dir: string): string {
  try {
    const lines = readFileSync(machinePaths(dir).log, "utf8").trim().split("\n");
    return (lines[lines.length - 1] ?? "").replace(/^\S+ \[\d+\] /, "");
  } catch {
    return "";
  }
}

/** How long a client waits for a machine process of another build to stop. */
const STOP_TIMEOUT_MS = 60_000;

/**
 * The build of the machine process that answers on the socket, from its
 * machine.build ("PID BUILD"); null when it is this build, else what it is
 * and its pid (an older iaa-emu writes no such file).
 */
function otherBuild(dir: string): { pid: number; build: string } | null {
  const paths = machinePaths(dir);
  const owner = readOwner(paths.pid);
  if (owner === null) return null; // no pid to stop: nothing to do but talk to it
  let text = "";
  try {
    text = readFileSync(paths.build, "utf8");
  } catch {
    // none: a build from before build ids
  }
  const m = /^(\d+) (\S+)\n$/.exec(text);
  if (m !== null && Number(m[1]) === owner && m[2] === buildId()) return null;
  return { pid: owner, build: m !== null && Number(m[1]) === owner ? m[2]! : "an older build" };
}

/** Stops a machine process of another build cleanly (SIGTERM: it finishes its command, which commits, and exits). */
async function stopOtherBuild(dir: string, other: { pid: number; build: string }, restart: boolean): Promise<void> {
  process.stderr.write(`iaa: the machine process (pid ${other.pid}) is another build of iaa-emu (${other.build}; this is ${buildId()}); ${restart ? "restarting it from its last committed snapshot" : "stopping it"}\n`);
  try {
    process.kill(other.pid, "SIGTERM");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ESRCH") throw new StateError(`iaa: cannot stop the machine process (pid ${other.pid}): ${describeError(e)}`);
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (pidAlive(other.pid)) {
    if (Date.now() > deadline) throw new StateError(`iaa: the machine process (pid ${other.pid}) of another build did not stop within ${STOP_TIMEOUT_MS / 1000} s; stop it (kill ${other.pid}) and run the command again`);
    await sleep(20);
  }
}

/**
 * Connects to the machine process of `dir`, starting it when it is not
 * running, and restarting it (from its last committed snapshot) when it is
 * another build of iaa-emu: that one may speak another protocol, so nothing
 * is sent to it.
 */
export async function connectMachine(dir: string, opts: { start?: boolean } = {}): Promise<Socket | null> {
  const { sock } = machinePaths(dir);
  if (Buffer.byteLength(sock) > SUN_PATH_MAX) throw new StateError(`iaa: the machine directory path ${dir} is too long for its socket (at most ${SUN_PATH_MAX - 13} bytes)`);
  let first = await tryConnect(sock);
  if (!(first instanceof Error)) {
    const other = otherBuild(dir);
    if (other === null) return first;
    first.destroy();
    await stopOtherBuild(dir, other, opts.start !== false);
    first = await tryConnect(sock);
    if (!(first instanceof Error)) {
      // a third client already started this build's machine process
      if (otherBuild(dir) === null) return first;
      first.destroy();
      throw new StateError(`iaa: another machine process took over ${sock} while this one stopped the old build; run the command again`);
    }
  }
  if (first.code !== "ENOENT" && first.code !== "ECONNREFUSED" && first.code !== "ENOTSOCK") {
    throw new StateError(`iaa: cannot connect to the machine process at ${sock}: ${describeError(first)}`);
  }
  if (opts.start === false) return null;
  // the machine process takes its thread count from the environment it starts in
  const threads = machineThreads();
  if (typeof threads === "string") throw new StateError(threads);
  ensureMachineDir(dir);
  const started = startMachineProcess(dir);
  let exitCode: number | null | undefined;
  void started.exited.then((c) => (exitCode = c));
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (let wait = 10; Date.now() < deadline; wait = Math.min(wait * 2, 100)) {
    const s = await tryConnect(sock);
    if (!(s instanceof Error)) return s;
    if (exitCode !== undefined && exitCode !== 0) {
      const why = lastLogLine(dir);
      throw new StateError(why.startsWith("iaa:") ? why : `iaa: the machine process for ${dir} did not start${why !== "" ? `: ${why}` : ""}`);
    }
    await sleep(wait);
  }
  throw new StateError(`iaa: the machine process for ${dir} did not start listening within ${START_TIMEOUT_MS / 1000} s (see ${machinePaths(dir).log})`);
}

/** What the host's streams are. */
export function hostTty(): TtyInfo {
  return { stdin: process.stdin.isTTY === true, stdout: process.stdout.isTTY === true, stderr: process.stderr.isTTY === true, columns: process.stdout.columns ?? 80 };
}

/** Writes all of `b` to host fd `fd`; false when the reader has gone (EPIPE). */
function writeFd(fd: number, b: Uint8Array): boolean {
  let off = 0;
  while (off < b.length) {
    try {
      off += writeSync(fd, b, off, b.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") continue;
      if (code === "EPIPE") return false;
      throw e;
    }
  }
  return true;
}

/**
 * A connection to the machine process that runs requests one after another
 * (an interactive session keeps one open).
 */
export class MachineConnection {
  private dec: FrameDecoder;
  private pending: { resolve: (r: ExitReply) => void; reject: (e: Error) => void } | null = null;
  private stdinStarted = false;
  private stdoutGone = false;
  private closed = false;
  /** Output sinks (host fds 1 and 2 by default). */
  out: { stdout: (b: Uint8Array) => boolean; stderr: (b: Uint8Array) => boolean } = { stdout: (b) => writeFd(1, b), stderr: (b) => writeFd(2, b) };
  /** Where a command's stdin comes from when it asks (the host's stdin by default; null: none). */
  stdinStream: NodeJS.ReadableStream | null = process.stdin;
  /** When set, called instead of reading `stdinStream` each time a command asks for stdin; it answers with {@link sendStdin} / {@link endStdin}. */
  onWantStdin: (() => void) | null = null;

  private constructor(private readonly socket: Socket) {
    this.dec = new FrameDecoder(
      (type, body) => this.frame(type, body),
      (msg) => this.fail(new StateError(`iaa: bad reply from the machine process: ${msg}`)),
    );
    socket.on("data", (d: Buffer) => this.dec.push(d));
    socket.on("error", () => {});
    socket.on("close", () => {
      this.closed = true;
      this.fail(new StateError("iaa: the machine process closed the connection (it stopped or was killed); run the command again to restart it from its last saved state"));
    });
  }

  static async open(dir: string, opts: { start?: boolean } = {}): Promise<MachineConnection | null> {
    const s = await connectMachine(dir, opts);
    return s === null ? null : new MachineConnection(s);
  }

  private fail(e: Error): void {
    const p = this.pending;
    this.pending = null;
    p?.reject(e);
  }

  private frame(type: Frame, body: Buffer): void {
    switch (type) {
      case Frame.Stdout:
        if (!this.stdoutGone && !this.out.stdout(body)) {
          // the reader of our stdout is gone: the command gets SIGPIPE, as a pipeline's writer would
          this.stdoutGone = true;
          this.signal("SIGPIPE");
        }
        return;
      case Frame.Stderr:
        this.out.stderr(body);
        return;
      case Frame.WantStdin:
        if (this.onWantStdin !== null) this.onWantStdin();
        else this.startStdin();
        return;
      case Frame.Exit: {
        const p = this.pending;
        this.pending = null;
        const reply = (parseJson(body) as ExitReply | null) ?? { status: 1 };
        p?.resolve(reply);
        return;
      }
      default:
        return;
    }
  }

  private startStdin(): void {
    const input = this.stdinStream;
    if (input === null) {
      // no stdin: every command that asks (each line of a session) sees end of input
      this.socket.write(encodeFrame(Frame.StdinEof));
      return;
    }
    if (this.stdinStarted) return;
    this.stdinStarted = true;
    input.on("data", (d: Buffer | string) => {
      if (!this.closed) this.socket.write(encodeFrame(Frame.Stdin, typeof d === "string" ? Buffer.from(d) : d));
    });
    input.on("end", () => {
      if (!this.closed) this.socket.write(encodeFrame(Frame.StdinEof));
    });
    input.on("error", () => {
      if (!this.closed) this.socket.write(encodeFrame(Frame.StdinEof));
    });
    input.resume();
  }

  /** Input for the running command (see {@link onWantStdin}). */
  sendStdin(data: string): void {
    if (!this.closed) this.socket.write(encodeFrame(Frame.Stdin, Buffer.from(data)));
  }

  /** End of input for the running command. */
  endStdin(): void {
    if (!this.closed) this.socket.write(encodeFrame(Frame.StdinEof));
  }

  /** Passes a signal to the running command. */
  signal(sig: SignalMsg["signal"]): void {
    if (!this.closed) this.socket.write(encodeFrame(Frame.Signal, { signal: sig } satisfies SignalMsg));
  }

  /** Sends a request; resolves with its EXIT reply. */
  request(req: Request): Promise<ExitReply> {
    if (this.pending !== null) throw new Error("MachineConnection: one request at a time");
    if (this.closed) return Promise.reject(new StateError("iaa: the machine process closed the connection"));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(encodeFrame(Frame.Request, req));
    });
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
    if (this.stdinStarted) this.stdinStream?.pause();
  }
}

/**
 * Runs one request with the host's streams and signals; resolves with the
 * reply. Ctrl-C, SIGTERM and SIGHUP end the command, not the client.
 */
export async function runRequest(dir: string, req: Request, opts: { start?: boolean; stdin?: NodeJS.ReadableStream | null } = {}): Promise<ExitReply> {
  const conn = await MachineConnection.open(dir, opts);
  if (conn === null) return { status: -1 };
  if (opts.stdin !== undefined) conn.stdinStream = opts.stdin;
  const handlers: Array<[NodeJS.Signals, () => void]> = (["SIGINT", "SIGTERM", "SIGHUP"] as const).map((sig) => [sig, () => conn.signal(sig)]);
  for (const [sig, h] of handlers) process.on(sig, h);
  try {
    return await conn.request(req);
  } finally {
    for (const [sig, h] of handlers) process.off(sig, h);
    conn.close();
  }
}
