/**
 * A stand-in for the machine process's `iaa prog NAME ARGS...` in tests: the
 * shims of the exec namespace run a small client that sends its argv over a
 * Unix socket to this process, which runs the program on the World through
 * the machine's shell and sends back its output and status.
 */
import { createServer, type Server } from "node:net";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Ran } from "./_harness.js";

const CLIENT = `
import { connect } from "node:net";
const [sock, ...argv] = process.argv.slice(2);
const c = connect(sock, () => c.end(JSON.stringify(argv)));
let buf = "";
c.setEncoding("utf8").on("data", (s) => (buf += s));
c.on("end", () => {
  const r = JSON.parse(buf);
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exitCode = r.code;
});
`;

const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export interface ProgServer {
  /** The shim command prefix for spawnInNamespace (the program's name and arguments follow). */
  shim: string[];
  close(): Promise<void>;
}

export async function startProgServer(dir: string, run: (script: string) => Ran): Promise<ProgServer> {
  const client = join(dir, "prog_client.mjs");
  const sock = join(dir, "prog.sock");
  writeFileSync(client, CLIENT);
  const server: Server = createServer((c) => {
    let buf = "";
    c.setEncoding("utf8").on("data", (s: string) => (buf += s));
    c.on("end", () => {
      const [name, ...args] = JSON.parse(buf) as string[];
      const prog = name === "memory_madvise" ? "./memory_madvise" : name!;
      c.end(JSON.stringify(run([prog, ...args].map(sq).join(" "))));
    });
  });
  await new Promise<void>((res) => server.listen(sock, res));
  return {
    shim: [process.execPath, client, sock],
    close: () => new Promise((res) => server.close(() => res())),
  };
}
