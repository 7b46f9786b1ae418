/**
 * The interactive shell over node:readline: a `root@iaa-emu:~# ` prompt with
 * the working directory, line editing and history from readline, `> `
 * continuation for incomplete commands, `exit` or Ctrl-D to leave.
 */
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { BufferInput } from "./io.js";
import type { Shell } from "./shell.js";
import type { InputSource, OutputSink } from "./types.js";

/** Sinks over the host's stdout/stderr (synchronous on Linux for files, pipes and terminals, so order is kept). */
export function hostSinks(): { stdout: OutputSink; stderr: OutputSink } {
  return {
    stdout: { write: (d) => void process.stdout.write(d), isTty: process.stdout.isTTY === true },
    stderr: { write: (d) => void process.stderr.write(d), isTty: process.stderr.isTTY === true },
  };
}

/**
 * The host's stdin as an input source for `iaa run` / `iaa sh -c` (read in
 * full, synchronously, on first use; empty when stdin is closed).
 */
export function hostStdin(): InputSource {
  let buf: BufferInput | null = null;
  const get = (): BufferInput => {
    if (buf === null) {
      try {
        buf = new BufferInput(new Uint8Array(readFileSync(0)));
      } catch {
        buf = new BufferInput();
      }
    }
    return buf;
  };
  return { readAll: () => get().readAll(), readLine: () => get().readLine(), isTty: process.stdin.isTTY === true };
}

/** Options of {@link runRepl}. */
export interface ReplOptions {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  hostname?: string;
  /** Called after each command line ran (e.g. to save the machine). */
  afterLine?: (status: number) => void;
  historySize?: number;
  /** Show prompts (default: when the input is a terminal, as bash does). */
  prompts?: boolean;
}

/** The prompt bash shows for root: `root@HOST:DIR# ` with $HOME shown as `~`. */
export function promptFor(cwd: string, home: string | undefined, hostname: string): string {
  const dir = home !== undefined && home !== "/" && (cwd === home || cwd.startsWith(home + "/")) ? "~" + cwd.slice(home.length) : cwd;
  return `root@${hostname}:${dir}# `;
}

/**
 * Runs the interactive loop until `exit` or end of input; resolves with the
 * shell's last status.
 *
 * @example
 * const sh = new Shell({ vfs, commands, ...hostSinks() });
 * process.exitCode = await runRepl(sh);
 */
export function runRepl(shell: Shell, opts: ReplOptions = {}): Promise<number> {
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? process.stdout;
  const hostname = opts.hostname ?? "iaa-emu";
  // Tab: bash's completion of command names and paths (Shell.complete)
  const completer = (line: string): [string[], string] => {
    const c = shell.complete(line, line.length);
    return [c.candidates, line.slice(c.start)];
  };
  const rl = createInterface({ input, output, terminal: (output as { isTTY?: boolean }).isTTY === true, historySize: opts.historySize ?? 1000, prompt: "", completer });
  // like bash reading commands from a pipe or file: no prompts unless a person is typing
  const interactive = opts.prompts ?? (input as { isTTY?: boolean }).isTTY === true;
  const prompt = (): void => {
    if (interactive) rl.prompt();
  };
  const mainPrompt = (): string => promptFor(shell.cwd, shell.getVar("HOME"), hostname);
  let buffer = "";
  rl.setPrompt(mainPrompt());
  prompt();
  return new Promise((resolve) => {
    let closed = false;
    rl.on("line", (line) => {
      if (closed) return;
      buffer = buffer === "" ? line : buffer + "\n" + line;
      if (!shell.isComplete(buffer)) {
        rl.setPrompt("> ");
        prompt();
        return;
      }
      const text = buffer;
      buffer = "";
      const status = text.trim() === "" ? shell.status : shell.runLine(text);
      opts.afterLine?.(status);
      if (shell.exited) {
        closed = true;
        rl.close();
        resolve(shell.status);
        return;
      }
      rl.setPrompt(mainPrompt());
      prompt();
    });
    rl.on("SIGINT", () => {
      // like bash: abandon the line being typed, show a fresh prompt
      buffer = "";
      output.write("^C\n");
      rl.setPrompt(mainPrompt());
      prompt();
    });
    rl.on("close", () => {
      if (closed) return;
      if (interactive) output.write("exit\n");
      resolve(shell.status);
    });
  });
}
