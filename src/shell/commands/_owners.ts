/**
 * Owner and group names of the machine's files. The machine has Debian's
 * base /etc/passwd and /etc/group entries for the ids its files carry
 * (root, and disk for block devices); another id has no name, and the
 * programs print it as a number (GNU ls, find) or as UNKNOWN (stat).
 */

/** Debian base-passwd's users (uid → name) among the machine's owners. */
const USERS: ReadonlyMap<number, string> = new Map([[0, "root"]]);
/** Debian base-passwd's groups (gid → name) among the machine's groups. */
const GROUPS: ReadonlyMap<number, string> = new Map([
  [0, "root"],
  [6, "disk"],
]);

/** getpwuid(uid)->pw_name, or undefined. */
export function userName(uid: number): string | undefined {
  return USERS.get(uid);
}

/** getgrgid(gid)->gr_name, or undefined. */
export function groupName(gid: number): string | undefined {
  return GROUPS.get(gid);
}

/** getpwnam(name)->pw_uid, or undefined. */
export function userId(name: string): number | undefined {
  for (const [id, n] of USERS) if (n === name) return id;
  return undefined;
}

/** getgrnam(name)->gr_gid, or undefined. */
export function groupId(name: string): number | undefined {
  for (const [id, n] of GROUPS) if (n === name) return id;
  return undefined;
}
