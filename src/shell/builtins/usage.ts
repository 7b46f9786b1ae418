/** bash's builtin_usage(): `NAME: usage: SYNOPSIS` on stderr, without the shell's `bash: line N: ` prefix. */
import type { Io } from "../signals.js";

export function usage(io: Io, line: string): void {
  try {
    io.stderr.write(line + "\n");
  } catch {
    /* stderr refused */
  }
}
