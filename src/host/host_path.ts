/** Whether the host (outside the machine) has a program: for the `iaa exec NAME` hint after `command not found`. */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

const known = new Map<string, boolean>();

export function hostHasCommand(name: string): boolean {
  if (name === "" || name.includes("/")) return false;
  let has = known.get(name);
  if (has === undefined) {
    has = (process.env["PATH"] ?? "").split(delimiter).some((dir) => {
      if (dir === "") return false;
      try {
        accessSync(join(dir, name), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
    known.set(name, has);
  }
  return has;
}
