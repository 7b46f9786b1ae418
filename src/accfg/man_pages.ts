/**
 * The manual pages the accel-config package installs: one for the tool and
 * one per command, kept as preformatted text (what man(1) prints into a
 * pipe) in `man/<page>.1.txt` beside this module.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Vfs } from "../kernfs/vfs.js";

/** Where the pages go on the machine. */
export const MAN1_DIR = "/usr/share/man/man1";

/** Every page the package ships, by name (without the section suffix). */
export const MAN_PAGE_NAMES: readonly string[] = [
  "accel-config",
  "accel-config-list",
  "accel-config-load-config",
  "accel-config-save-config",
  "accel-config-disable-device",
  "accel-config-enable-device",
  "accel-config-disable-wq",
  "accel-config-enable-wq",
  "accel-config-config-device",
  "accel-config-config-group",
  "accel-config-config-wq",
  "accel-config-config-engine",
  "accel-config-config-user-default",
];

let texts: ReadonlyMap<string, string> | null = null;

/** The text of every page, read once from the shipped files. */
export function manPageTexts(): ReadonlyMap<string, string> {
  if (texts === null) {
    const m = new Map<string, string>();
    for (const name of MAN_PAGE_NAMES) m.set(name, readFileSync(fileURLToPath(new URL(`./man/${name}.1.txt`, import.meta.url)), "utf8"));
    texts = m;
  }
  return texts;
}

/**
 * Writes every page to `/usr/share/man/man1/<page>.1` (directories created as
 * needed), as installing the accel-config package does.
 *
 * @example
 * installManPages(vfs);
 * vfs.readText("/usr/share/man/man1/accel-config-config-wq.1"); // "ACCEL-CONFIG-CONFIG-WQ(1) …"
 */
export function installManPages(vfs: Vfs): void {
  if (!vfs.exists(MAN1_DIR)) vfs.mkdir(MAN1_DIR, { parents: true });
  for (const [name, text] of manPageTexts()) vfs.writeFile(`${MAN1_DIR}/${name}.1`, text);
}
