/** Output of the emulated machine to the host's file descriptors. */
import { writeSync } from "node:fs";
import type { OutputSink } from "../shell/types.js";

/** A sink writing synchronously to host fd `fd`, so the order of stdout and stderr writes is kept. */
export function fdSink(fd: number): OutputSink {
  return {
    write(data: string | Uint8Array) {
      const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
      let off = 0;
      while (off < buf.length) {
        try {
          off += writeSync(fd, buf, off, buf.length - off);
        } catch (e) {
          // a non-blocking pipe that is full: try again
          if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
        }
      }
    },
  };
}
