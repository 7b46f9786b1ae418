/**
 * The dashboard's JSON state: what /api/state answers, assembled from the
 * collectors (all reads; nothing is written to the machine).
 */
import type { World } from "../world.js";
import type { Sample } from "./counters.js";
import type { History } from "./history.js";
import { collectBoot, collectDyndbg, collectSettings, logSince, type BootView, type DyndbgView, type LogLine, type SettingsView } from "./machine_info.js";
import { collectTopology, type TopologyView } from "./topology.js";

export interface DashboardState {
  /** Changes when the machine is replaced (a reboot): the page then starts over. */
  epoch: string;
  now: { virtualNs: number; wallMs: number };
  boot: BootView;
  settings: SettingsView;
  topology: TopologyView;
  dyndbg: DyndbgView;
  /** Samples after the one the page last had. */
  samples: Sample[];
  latest: Sample;
  /** wq_stats keys ("iax1/0") → the WQ's device name ("wq1.0"), in iaa_crypto's bind order. */
  wqNames: Record<string, string>;
  /** Kernel log lines after the one the page last had. */
  log: LogLine[];
}

/** "iax<id>/<k>" → "wq<id>.<n>": the k-th WQ iaa_crypto bound on the device (wq_stats prints them in that order). */
export function wqStatNames(world: World): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of world.stack.iaa()?.st.devices ?? []) d.wqs.forEach((w, k) => (out[`iax${d.id}/${k}`] = `wq${d.id}.${w.wq.id}`));
  return out;
}

export function dashboardState(world: World, epoch: string, history: History, sinceSample: number, sinceLog: number): DashboardState {
  const latest = history.sample();
  return {
    epoch,
    now: { virtualNs: world.stack.machine.ctx.clock.now, wallMs: Date.now() },
    boot: collectBoot(world),
    settings: collectSettings(world),
    topology: collectTopology(world),
    dyndbg: collectDyndbg(world),
    samples: history.since(sinceSample),
    latest,
    wqNames: wqStatNames(world),
    log: logSince(world, sinceLog),
  };
}
