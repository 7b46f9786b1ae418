/** `trap [-lp] [[action] signal_spec ...]`. */
import type { Builtin } from "./api.js";

export const trap: Builtin = (sh, args, io) => {
  if (args.length === 0) {
    let text = "";
    for (const [k, v] of sh.traps) text += `trap -- '${v}' ${k}\n`;
    return sh.out(io, "trap", text);
  }
  const [action, ...sigs] = args;
  for (const s of sigs) {
    const sig = s.replace(/^SIG/, "") === "0" ? "EXIT" : s.replace(/^SIG/, "");
    if (action === "-" || action === "") {
      if (action === "-") sh.traps.delete(sig);
      else sh.traps.set(sig, "");
    } else sh.traps.set(sig, action!);
  }
  return 0;
};
