/** The live dashboard of a machine and the bench HTML report. */
export { startDashboard, DASHBOARD_HOST, type Dashboard, type DashboardOptions } from "./server.js";
export { collectTopology, wqTableCpus, type TopologyView } from "./topology.js";
export { readCounters, type Sample } from "./counters.js";
