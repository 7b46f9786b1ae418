/**
 * The machine process's socket protocol: frames over a Unix stream socket.
 *
 * A frame is `u32 length (big-endian) | u8 type | payload`, where length
 * counts the type byte and the payload. JSON frames carry requests and
 * replies; byte frames carry the standard streams. A connection sends one
 * request at a time and gets its output frames, then exactly one EXIT frame;
 * an interactive session sends further requests on the same connection.
 *
 *   client → machine: REQUEST(json) STDIN(bytes) STDIN_EOF SIGNAL(json)
 *   machine → client: STDOUT(bytes) STDERR(bytes) WANT_STDIN EXIT(json)
 */

export const enum Frame {
  Request = 1,
  Stdin = 2,
  StdinEof = 3,
  Signal = 4,
  Stdout = 10,
  Stderr = 11,
  WantStdin = 12,
  Exit = 13,
}

/** The largest frame either side accepts (a request carries a script's text). */
export const MAX_FRAME = 64 << 20;

/** What a client asks the machine to do. `cwd` is the client's host directory (for host paths). */
export type Request =
  | { op: "sh"; text: string; args: string[]; tty: TtyInfo }
  | { op: "script"; path: string; text: string; args: string[]; tty: TtyInfo }
  | { op: "prog"; argv: string[]; tty: TtyInfo }
  | { op: "accel-config"; argv: string[]; files: Record<string, string>; save: string | null; tty: TtyInfo }
  | { op: "line"; text: string; tty: TtyInfo }
  | { op: "complete"; line: string; cursor: number }
  | { op: "is-complete"; text: string }
  | { op: "prompt" }
  | { op: "boot"; boot: unknown; reboot: boolean }
  | { op: "status" }
  | { op: "export"; dir: string }
  | { op: "mount"; dir: string }
  | { op: "umount"; dir: string }
  | { op: "exec-mount" }
  | { op: "dashboard"; port: number }
  | { op: "ping" }
  | { op: "down" };

/** Whether the client's streams are terminals, and the terminal's width. */
export interface TtyInfo {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  columns: number;
}

/** The EXIT frame: the status and, for queries, their answer. */
export interface ExitReply {
  status: number;
  data?: unknown;
}

export interface SignalMsg {
  signal: "SIGINT" | "SIGTERM" | "SIGHUP" | "SIGPIPE";
}

/** Encodes one frame. */
export function encodeFrame(type: Frame, payload: Uint8Array | string | object = new Uint8Array(0)): Buffer {
  const body = payload instanceof Uint8Array ? payload : Buffer.from(typeof payload === "string" ? payload : JSON.stringify(payload), "utf8");
  const out = Buffer.allocUnsafe(5 + body.length);
  out.writeUInt32BE(body.length + 1, 0);
  out[4] = type;
  out.set(body, 5);
  return out;
}

/**
 * Splits a byte stream into frames.
 *
 * @example
 * const dec = new FrameDecoder((type, body) => …);
 * socket.on("data", (d) => dec.push(d));
 */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);
  constructor(
    private readonly onFrame: (type: Frame, body: Buffer) => void,
    private readonly onError: (message: string) => void,
  ) {}

  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    while (this.buf.length >= 4) {
      const len = this.buf.readUInt32BE(0);
      if (len === 0 || len > MAX_FRAME) {
        this.buf = Buffer.alloc(0);
        this.onError(`bad frame length ${len}`);
        return;
      }
      if (this.buf.length < 4 + len) return;
      const type = this.buf[4] as Frame;
      const body = this.buf.subarray(5, 4 + len);
      this.buf = this.buf.subarray(4 + len);
      this.onFrame(type, body);
    }
  }
}

/** Parses a JSON frame body; null when it is not valid JSON. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8")) as unknown;
  } catch {
    return null;
  }
}
