/** The standard streams a CLI command uses, injectable for tests, and those of the real process. */

/** Standard streams of one run. */
export interface CliIo {
  readStdin(): Promise<Uint8Array>;
  stdout(data: Uint8Array | string): Promise<void>;
  stderr(text: string): void;
}

/** A subcommand: gets its arguments (after the command name), returns the exit status. */
export type CommandHandler = (args: string[], io: CliIo) => Promise<number>;

/** Streams of the real process. */
export function processIo(): CliIo {
  return {
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    },
    stdout(data) {
      return new Promise((resolve, reject) => {
        process.stdout.write(data, (err) => (err ? reject(err) : resolve()));
      });
    },
    stderr(text) {
      process.stderr.write(text);
    },
  };
}
