/**
 * `iaa sh` interactive: line editing, history and Tab completion on the host
 * (node:readline), each complete command run by the session's shell in the
 * machine process (its variables, functions and working directory live there,
 * as long as the connection).
 *
 * Ctrl-C while typing throws the half-typed line away and shows a fresh prompt,
 * as bash does; Ctrl-C while a command runs interrupts the command. Ctrl-D on
 * an empty line, or `exit`, ends the session. On a terminal, a command that
 * reads stdin (`read -p PROMPT var`) gets a typed line each time it waits for
 * input (one typed ahead first); without a terminal (a script piped in) its
 * stdin is empty, as the piped lines are the session's commands.
 */
import { createInterface, type Interface } from "node:readline";
import { promptFor } from "../shell/repl.js";
import { hostTty, MachineConnection } from "./client.js";

const HOSTNAME = "iaa-emu";

interface LineResult {
  exited: boolean;
  cwd: string;
  home: string | null;
}

/** Runs the interactive session; resolves with the shell's last status. */
export async function runInteractive(dir: string): Promise<number> {
  const conn = await MachineConnection.open(dir);
  if (conn === null) return 1;
  const interactive = process.stdin.isTTY === true;
  // the line editor owns the terminal: a running command that asks for input gets the lines typed meanwhile
  conn.stdinStream = null;
  let wantsInput = false;
  const queue: string[] = [];
  // each ask of the command gets one line: one typed ahead, or the next one typed
  if (interactive)
    conn.onWantStdin = () => {
      if (!running || wantsInput) return;
      const ahead = queue.shift();
      if (ahead !== undefined) conn.sendStdin(ahead + "\n");
      else wantsInput = true;
    };
  let status = 0;
  let running = false;
  let buffer = "";
  let prompt = promptFor("/root", "/root", HOSTNAME);
  // one request at a time on the connection: lines, prompts and completions take turns
  let turn: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = turn.then(fn, fn);
    turn = next.catch(() => {});
    return next;
  };

  const rl: Interface = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: process.stdout.isTTY === true && interactive,
    historySize: 1000,
    prompt: "",
    completer: (line: string, cb: (err: Error | null, r: [string[], string]) => void) => {
      if (running) return cb(null, [[], line]);
      serial(() => conn.request({ op: "complete", line, cursor: line.length }))
        .then((r) => {
          const d = (r.data ?? { start: line.length, candidates: [] }) as { start: number; candidates: string[] };
          cb(null, [d.candidates, line.slice(d.start)]);
        })
        .catch(() => cb(null, [[], line]));
    },
  });
  const showPrompt = (p: string): void => {
    rl.setPrompt(p);
    if (interactive) rl.prompt();
  };

  /** Asks for the session's prompt; the status is not 0 when there is no machine. */
  const refreshPrompt = async (): Promise<number> => {
    const r = await serial(() => conn.request({ op: "prompt" }));
    const d = r.data as { cwd: string; home: string | null } | undefined;
    if (d !== undefined) prompt = promptFor(d.cwd, d.home ?? undefined, HOSTNAME);
    return r.status;
  };

  return new Promise<number>((resolve) => {
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      rl.close();
      conn.close();
      resolve(status);
    };

    let busy = false;
    const runNext = async (): Promise<void> => {
      if (busy) return;
      busy = true;
      try {
        await drain();
      } finally {
        busy = false;
      }
    };
    const drain = async (): Promise<void> => {
      while (queue.length > 0 && !done) {
        const line = queue.shift()!;
        buffer = buffer === "" ? line : buffer + "\n" + line;
        const text0 = buffer;
        const complete = (await serial(() => conn.request({ op: "is-complete", text: text0 }))).data === true;
        if (!complete) {
          showPrompt("> ");
          continue;
        }
        const text = buffer;
        buffer = "";
        if (text.trim() !== "") {
          running = true;
          rl.setPrompt("");
          const r = await serial(() => conn.request({ op: "line", text, tty: hostTty() }));
          running = false;
          wantsInput = false;
          status = r.status;
          const d = r.data as LineResult | undefined;
          if (d?.exited === true) return finish();
          if (d !== undefined) prompt = promptFor(d.cwd, d.home ?? undefined, HOSTNAME);
        }
        showPrompt(prompt);
      }
    };
    const pump = (): void => {
      runNext().catch((e: unknown) => {
        process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
        status = 1;
        finish();
      });
    };

    rl.on("line", (line) => {
      if (running && wantsInput) {
        wantsInput = false;
        conn.sendStdin(line + "\n");
        return;
      }
      queue.push(line);
      pump();
    });
    rl.on("SIGINT", () => {
      if (running) {
        conn.signal("SIGINT");
        return;
      }
      // like bash: abandon the line being typed (and any continuation), show a fresh prompt
      buffer = "";
      queue.length = 0;
      process.stdout.write("^C\n");
      const edit = rl as unknown as { line: string; cursor: number };
      edit.line = "";
      edit.cursor = 0;
      showPrompt(prompt);
    });
    rl.on("close", () => {
      if (done) return;
      // Ctrl-D while a command reads: its end of input
      if (running && wantsInput) conn.endStdin();
      const end = (): void => {
        if (interactive) process.stdout.write("exit\n");
        finish();
      };
      // typed-ahead lines (a script piped in) still run
      if (busy || queue.length > 0) {
        const wait = setInterval(() => {
          if (!busy && queue.length === 0) {
            clearInterval(wait);
            end();
          }
        }, 10);
      } else end();
    });
    process.on("SIGTERM", () => (running ? conn.signal("SIGTERM") : finish()));
    process.on("SIGHUP", () => (running ? conn.signal("SIGHUP") : finish()));
    refreshPrompt()
      .then((st) => {
        if (st === 0) return showPrompt(prompt);
        status = st;
        finish();
      })
      .catch((e: unknown) => {
        process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
        status = 1;
        finish();
      });
  });
}
