/**
 * Writes emulated-binary stubs (`\x7fELF iaa-emu:NAME\n`, mode 0755) into the
 * VFS so that PATH lookup, `which` and `ls -l /usr/bin` find the machine's programs.
 */
import type { Vfs } from "../kernfs/vfs.js";
import { BINARY_MARKER } from "./types.js";

/**
 * Installs one stub per name in `dir` (created if missing).
 *
 * @example
 * installBinaries(vfs, ["cat", "lspci", "accel-config"]);
 * vfs.readText("/usr/bin/cat"); // "\x7fELF iaa-emu:cat\n"
 */
export function installBinaries(vfs: Vfs, names: Iterable<string>, dir = "/usr/bin"): void {
  if (!vfs.exists(dir)) vfs.mkdir(dir, { parents: true });
  for (const name of names) {
    const path = `${dir}/${name}`;
    vfs.writeFile(path, `${BINARY_MARKER}${name}\n`);
    vfs.chmod(path, 0o755);
  }
}
