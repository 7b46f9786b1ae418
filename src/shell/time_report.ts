/**
 * What the `time` keyword prints for a pipeline that took `ns` of virtual
 * time: bash's default `\nreal\t0m0.000s\nuser\t0m0.000s\nsys\t0m0.000s\n`,
 * `time -p`'s POSIX lines, or TIMEFORMAT's %[p][l]R/U/S, %P and %%. The
 * machine keeps no CPU accounting per command: user and sys are 0.
 */
export function timeReport(ns: number, posix: boolean, format: string | undefined): string {
  const real = ns / 1e9;
  const secs = (v: number, prec: number, long: boolean): string => {
    const t = Math.floor(v * 10 ** prec) / 10 ** prec;
    if (!long) return t.toFixed(prec);
    const m = Math.floor(t / 60);
    return `${m}m${(t - m * 60).toFixed(prec)}s`;
  };
  if (posix) return `real ${secs(real, 2, false)}\nuser ${secs(0, 2, false)}\nsys ${secs(0, 2, false)}\n`;
  const fmt = format ?? "\nreal\t%3lR\nuser\t%3lU\nsys\t%3lS";
  const out = fmt.replace(/%(%|([0-9]?)(l?)([RUSP]))/g, (_m, all: string, p: string, l: string, k: string) => {
    if (all === "%") return "%";
    if (k === "P") return real === 0 ? "0.00" : "0.00";
    const v = k === "R" ? real : 0;
    return secs(v, p === "" ? 3 : Math.min(3, Number(p)), l === "l");
  });
  return out + "\n";
}
