/**
 * The interactive shell on a terminal (a pseudo-terminal driven by python3's
 * pty module): Ctrl-C on a half-typed line discards it and gives a fresh
 * prompt; Ctrl-C during a long memory_madvise interrupts it with status 130;
 * the session goes on; `read -p` reads the line typed at the terminal.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { binArgs, machineHome, runBin } from "../helpers/cli.js";

const DRIVER = String.raw`import os, pty, sys, time, select
argv = sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out = b""
def read_for(sec):
    global out
    end = time.time() + sec
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                d = os.read(fd, 65536)
            except OSError:
                return False
            if not d:
                return False
            out += d
    return True
def wait_for(s, sec=20):
    end = time.time() + sec
    while s.encode() not in out and time.time() < end:
        if not read_for(0.1): break
def wait_new(s, sec=20):
    # one more occurrence than now (a fresh prompt, not the first one again)
    n = out.count(s.encode())
    end = time.time() + sec
    while out.count(s.encode()) <= n and time.time() < end:
        if not read_for(0.1): break
read_for(0.5); wait_for("# ")
os.write(fd, b"echo half")
read_for(0.3)
os.write(fd, b"\x03")
read_for(0.5)
os.write(fd, b"echo fresh\r")
wait_for("fresh\r\n")
os.write(fd, b"./memory_madvise 300000\r")
read_for(2.0)
t0 = time.time()
os.write(fd, b"\x03")
wait_new("# ", 30)
read_for(0.3)
os.write(fd, b"echo status=$?\r")
wait_for("status=1")
wait_new("# ")
os.write(fd, b'read -p "na""me? " x; echo "hi <$x>"\r')
wait_for("name? ")
read_for(0.3)
os.write(fd, b"alice\r")
wait_for("hi <a")
read_for(0.3)
os.write(fd, b"exit\r")
read_for(2.0)
_, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf8", "replace"))
`;

test("iaa sh on a terminal: Ctrl-C discards a half-typed line, interrupts a running command with 130, the session goes on, read -p reads the typed line", (t) => {
  if (spawnSync("python3", ["-c", "import pty"]).status !== 0) {
    if (process.env["CI"] === "true") assert.fail("python3 with its pty module is needed in CI");
    t.skip("python3 (for a pseudo-terminal) is not here");
    return;
  }
  const h = machineHome();
  try {
    runBin("iaa", ["boot", "--preset", "tiny"], h.env);
    const r = spawnSync("python3", ["-c", DRIVER, process.execPath, ...binArgs("iaa"), "sh"], { env: { ...process.env, ...h.env }, encoding: "utf8", timeout: 120_000 });
    const out = r.stdout;
    assert.match(out, /echo half\^C\r\n/);
    assert.doesNotMatch(out, /^half\r$/m, "the discarded line ran");
    assert.match(out, /\r\nfresh\r\n/);
    assert.match(out, /\r\nstatus=130\r\n/);
    // read -p: its prompt, then the line typed at the terminal
    assert.match(out, /name\? alice\r+\nhi <alice>\r\n/);
  } finally {
    h.done();
  }
});

test("iaa sh with a script piped in: every read sees end of input (status 1) and the session runs to its end", () => {
  const h = machineHome();
  try {
    runBin("iaa", ["boot", "--preset", "tiny"], h.env);
    const r = runBin("iaa", ["sh"], h.env, 'read x; echo "st=$?"\nread y; echo "st=$?"\necho done\n');
    assert.deepEqual([r.stdout, r.status], ["st=1\nst=1\ndone\n", 0]);
  } finally {
    h.done();
  }
});
