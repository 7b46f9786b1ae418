/**
 * awk's records: the text of one input (standard input read a chunk at a
 * time as it is needed, a file or a command's output whole) cut by RS as
 * mawk cuts it: one character literally, "" as paragraphs (blank lines
 * between records, leading newlines skipped, trailing ones dropped), any
 * longer RS as a regular expression. A record is handed out only once its
 * end is certain: a separator match that reaches the end of what was read
 * waits for more input, since more newlines (or more of a regex) may follow.
 */
import { readSome } from "../stream.js";
import { readChunk, type InputSource, type StreamYield } from "../types.js";
import { Interrupted } from "./awk_value.js";

/** Bytes per read of standard input. */
const CHUNK = 64 * 1024;

/** How RS cuts records. */
export type RecordSep = { kind: "char"; c: string } | { kind: "para" } | { kind: "re"; re: RegExp };

/** RS as mawk reads it; `regex` compiles a (global) regular expression. */
export function recordSep(rs: string, regex: (src: string) => RegExp): RecordSep {
  if (rs === "") return { kind: "para" };
  if (rs.length === 1) return { kind: "char", c: rs };
  return { kind: "re", re: regex(rs) };
}

const PARA_SEP = /\n\n+/g;

export class RecordReader {
  /** Decoded text from `pos` on is unread. */
  private buf = "";
  private pos = 0;
  private ended: boolean;
  private readonly dec = new TextDecoder();
  /** Paragraph mode: newlines at the start of the input or after a record are skipped. */
  private skipNl = true;

  /**
   * Records of `src` read as needed, or of `text` (then `src` is null).
   * `interrupted` is asked before each read of `src`.
   */
  constructor(
    private readonly src: InputSource | null,
    text: string,
    private readonly interrupted: () => boolean,
  ) {
    this.buf = text;
    this.ended = src === null;
  }

  /** The next record if it can be had without reading: a string, null at the end, undefined when more must be read. */
  next(sep: RecordSep): string | null | undefined {
    const { buf } = this;
    if (sep.kind === "char") {
      const k = buf.indexOf(sep.c, this.pos);
      if (k >= 0) return this.take(k, k + 1);
      return this.rest(false);
    }
    if (sep.kind === "para") {
      if (this.skipNl) {
        while (this.pos < buf.length && buf.charCodeAt(this.pos) === 10) this.pos++;
        if (this.pos === buf.length) return this.ended ? null : undefined;
        this.skipNl = false;
      }
      PARA_SEP.lastIndex = this.pos;
      const m = PARA_SEP.exec(buf);
      if (m !== null) {
        this.skipNl = true;
        return this.take(m.index, m.index + m[0].length);
      }
      return this.rest(true);
    }
    const re = sep.re;
    re.lastIndex = this.pos;
    for (let m = re.exec(buf); m !== null; m = re.exec(buf)) {
      if (m[0].length === 0) {
        re.lastIndex = m.index + 1;
        continue;
      }
      const end = m.index + m[0].length;
      // a match that reaches the end of what was read may grow with more input
      if (end === buf.length && !this.ended) return undefined;
      return this.take(m.index, end);
    }
    return this.rest(false);
  }

  private take(end: number, next: number): string {
    const r = this.buf.slice(this.pos, end);
    this.pos = next;
    return r;
  }

  /** What is left once no separator follows: the last record at the end of input, else undefined (read more). */
  private rest(para: boolean): string | null | undefined {
    if (!this.ended) return undefined;
    if (this.pos >= this.buf.length) return null;
    let r = this.buf.slice(this.pos);
    this.pos = this.buf.length;
    if (para) r = r.replace(/\n+$/, "");
    return r;
  }

  private add(c: Uint8Array | null): void {
    const rest = this.buf.slice(this.pos);
    if (c === null) {
      this.buf = rest + this.dec.decode();
      this.ended = true;
    } else this.buf = rest + this.dec.decode(c, { stream: true });
    this.pos = 0;
  }

  /** Reads one more chunk, yielding while a pipe is empty (the main loop, between records). */
  *fill(): Generator<StreamYield, void, void> {
    if (this.interrupted()) throw new Interrupted();
    this.add(yield* readSome(this.src!, CHUNK));
  }

  /** Reads one more chunk, waiting for it (getline inside an action). */
  fillSync(): void {
    if (this.interrupted()) throw new Interrupted();
    this.add(readChunk(this.src!, CHUNK));
  }

  /** The next record, waiting for input as needed; null at the end. */
  nextSync(sep: () => RecordSep): string | null {
    for (;;) {
      const r = this.next(sep());
      if (r !== undefined) return r;
      this.fillSync();
    }
  }
}
