/**
 * /etc/fstab swap entries, for `swapon -a` / `swapoff -a`.
 *
 * linux (util-linux): libmount's fstab parser; swapon -a takes every entry
 * whose type is "swap" and skips those with the `noauto` option; `pri=N` sets
 * the priority (`swapon -p`). Lines are `spec file vfstype options freq passno`;
 * `#` starts a comment; blank lines are ignored.
 */

export interface FstabSwapEntry {
  /** The device or file (first field), e.g. "/dev/sda2" or "/swapfile". */
  spec: string;
  /** Mount options, split on commas. */
  options: string[];
  /** `pri=` value, or undefined for the kernel's default. */
  prio: number | undefined;
  /** `noauto` present: `-a` skips it. */
  noauto: boolean;
  /** 1-based line number. */
  line: number;
}

/**
 * Parses the swap entries of an fstab text. Malformed lines (fewer than 3
 * fields) are reported in `errors` as libmount does ("parse error at line N"),
 * and skipped.
 *
 * @example
 * parseFstabSwaps("/dev/sda2 none swap sw,pri=5 0 0\n").entries[0].prio; // 5
 */
export function parseFstabSwaps(text: string): { entries: FstabSwapEntry[]; errors: string[] } {
  const entries: FstabSwapEntry[] = [];
  const errors: string[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === "" || raw.startsWith("#")) continue;
    const f = raw.split(/\s+/);
    if (f.length < 3) {
      errors.push(`parse error at line ${i + 1} -- ignored`);
      continue;
    }
    if (f[2] !== "swap") continue;
    const options = (f[3] ?? "defaults").split(",");
    let prio: number | undefined;
    for (const o of options) {
      const m = /^pri=(-?\d+)$/.exec(o);
      if (m !== null) prio = Number(m[1]);
    }
    entries.push({ spec: unescapeOctal(f[0]!), options, prio, noauto: options.includes("noauto"), line: i + 1 });
  }
  return { entries, errors };
}

/** fstab escapes spaces etc. as \040. */
function unescapeOctal(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
}
