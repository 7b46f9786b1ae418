/**
 * The classes of iaa_crypto's state, for snapshots: a restored machine may hold
 * instances the freshly rebuilt one has none of (the module keeps its devices
 * and WQ table after the last WQ is unbound, until module exit).
 */
import { IaaLog } from "./_log.js";
import { IaaCryptoState, IaaDevice, IaaWq } from "./_state.js";
import { IaaStats } from "./stats.js";
import { WqTable } from "./wq_table.js";

export const IAA_CRYPTO_CLASSES: readonly object[] = [IaaWq.prototype, IaaDevice.prototype, IaaCryptoState.prototype, IaaStats.prototype, IaaLog.prototype, WqTable.prototype];
