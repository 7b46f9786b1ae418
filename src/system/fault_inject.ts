/**
 * Fault injection from user space, for tests and what-if runs: one debugfs
 * file per accelerator, `/sys/kernel/debug/iaa_emu/faults/<dev>`, in the
 * spirit of the kernel's fault-injection attributes.
 *
 * Writing `status=0x24 [error=0x11] [opcode=0x43] [count=N|all]` (or
 * `hang [opcode=…] [count=…]`) makes the device complete the next matching
 * descriptors with that status and analytics error code (or never complete
 * them); `clear` forgets pending faults. Reading lists the pending ones.
 */
import type { HwFault, IdxdHw } from "../hw/idxd_hw.js";
import type { KnDir } from "../kernfs/node.js";
import { Errno } from "../lib/errno.js";

/** Parses one fault line; a negative errno when malformed. */
export function parseFault(line: string): HwFault | "clear" | number {
  const words = line.trim().split(/\s+/).filter((w) => w !== "");
  if (words.length === 1 && words[0] === "clear") return "clear";
  const f: HwFault = { status: 0 };
  let haveStatus = false;
  for (const w of words) {
    if (w === "hang") {
      f.status = "hang";
      haveStatus = true;
      continue;
    }
    const m = /^(status|error|opcode|count)=(.+)$/.exec(w);
    if (m === null) return -Errno.EINVAL;
    if (m[1] === "count") {
      if (m[2] === "all") f.count = Infinity;
      else if (/^\d+$/.test(m[2]!) && Number(m[2]) > 0) f.count = Number(m[2]);
      else return -Errno.EINVAL;
      continue;
    }
    const v = /^(0x[0-9a-fA-F]+|\d+)$/.test(m[2]!) ? Number(m[2]) : NaN;
    if (!Number.isInteger(v) || v < 0 || v > 0xff) return -Errno.EINVAL;
    if (m[1] === "status") {
      if (v === 0) return -Errno.EINVAL;
      f.status = v;
      haveStatus = true;
    } else if (m[1] === "error") f.errorCode = v;
    else f.opcode = v;
  }
  return haveStatus ? f : -Errno.EINVAL;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(2, "0")}`;
}

/** Creates `faults/<name>` for each device under `debugfs/iaa_emu/`. */
export function createFaultFiles(debugfs: KnDir, devices: { name: string; hw: IdxdHw }[]): void {
  const dir = debugfs.mkdirp("iaa_emu/faults");
  for (const { name, hw } of devices) {
    dir.attr(
      name,
      0o600,
      () =>
        hw.faults
          .map((f) => `${f.status === "hang" ? "hang" : `status=${hex(f.status)}`}${f.errorCode !== undefined ? ` error=${hex(f.errorCode)}` : ""}${f.opcode !== undefined ? ` opcode=${hex(f.opcode)}` : ""} count=${f.count === Infinity ? "all" : (f.count ?? 1)}\n`)
          .join(""),
      (buf) => {
        // parse every line first: a write refused with -EINVAL applies none of them
        const parsed: Exclude<ReturnType<typeof parseFault>, number>[] = [];
        for (const line of buf.split("\n").filter((l) => l.trim() !== "")) {
          const f = parseFault(line);
          if (typeof f === "number") return f;
          parsed.push(f);
        }
        for (const f of parsed) {
          if (f === "clear") hw.faults.length = 0;
          else hw.injectFault(f);
        }
        return 0;
      },
    );
  }
}
