/**
 * The dashboard's page: HTML and style, with the client script that polls
 * /api/state and draws topology, counters (uPlot), settings, dynamic-debug
 * switches and the kernel log. Everything it loads comes from the dashboard
 * server itself.
 */
import { DASHBOARD_CLIENT } from "./page_client.js";

/** How often the page polls, ms (at least twice a second). */
export const POLL_MS = 400;

export const DASHBOARD_CSS = String.raw`
:root { --fg:#1b1f24; --mute:#5b636e; --line:#d5dae0; --bg:#f6f7f9; --card:#fff; --ok:#1a7f37; --off:#8c959f; --accent:#0b5cad; }
* { box-sizing: border-box; }
body { margin:0; font:13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--fg); background:var(--bg); }
header { display:flex; flex-wrap:wrap; gap:8px 24px; align-items:baseline; padding:10px 16px; background:#0d2238; color:#fff; }
header h1 { font-size:16px; margin:0; }
header .kv span { color:#9fb3c8; margin-right:4px; }
header code { color:#fff; }
#live { margin-left:auto; }
#live.ok::before { content:"\25CF "; color:#3fb950; }
#live.stale::before { content:"\25CF "; color:#f85149; }
main { padding:12px 16px; display:grid; gap:14px; }
section { background:var(--card); border:1px solid var(--line); border-radius:6px; padding:10px 12px; }
section > h2 { font-size:14px; margin:0 0 8px; }
.nodes { display:grid; grid-template-columns:1fr; gap:12px; }
.node { border:1px solid var(--line); border-radius:6px; padding:8px; background:#fbfcfd; }
.node h3 { margin:0 0 6px; font-size:13px; }
.node h3 small { color:var(--mute); font-weight:normal; }
.devices { display:grid; grid-template-columns:repeat(auto-fill, minmax(470px, 1fr)); gap:8px; }
.dev { min-width:0; overflow-x:auto; }
.dev { border:1px solid var(--line); border-radius:5px; padding:6px; background:#fff; }
.dev.dsa { background:#fafafa; }
.dev h4 { margin:0 0 4px; font-size:12.5px; display:flex; gap:6px; align-items:baseline; }
.dev h4 small { color:var(--mute); font-weight:normal; }
.state { font-size:11px; padding:0 5px; border-radius:8px; background:#eef1f4; color:var(--off); }
.state.enabled { background:#dafbe1; color:var(--ok); }
.groups { display:flex; flex-wrap:wrap; gap:4px; margin:3px 0; }
.grp { border:1px dashed var(--line); border-radius:4px; padding:2px 4px; font-size:11px; }
.eng { display:inline-block; min-width:16px; text-align:center; margin:1px; padding:0 2px; border-radius:3px; background:#e7ecf2; font-size:10px; }
.eng.c { background:#ffd8a8; font-weight:600; }
.eng.free { background:#fff; border:1px solid #e7ecf2; color:var(--off); }
table { border-collapse:collapse; width:100%; }
th, td { text-align:left; padding:1px 3px; border-bottom:1px solid #eef1f4; font-size:11.5px; white-space:nowrap; }
th { color:var(--mute); font-weight:600; }
td.num { text-align:right; font-variant-numeric:tabular-nums; }
tr.wq.enabled td:first-child { color:var(--ok); font-weight:600; }
.charts { display:grid; grid-template-columns:repeat(auto-fit, minmax(420px, 1fr)); gap:10px; }
.chart h3 { font-size:12px; margin:0 0 2px; }
.row { display:flex; gap:14px; flex-wrap:wrap; align-items:flex-start; }
.row > div { flex:1 1 300px; min-width:0; }
pre#dmesg { height:260px; overflow:auto; background:#0d1117; color:#d1d7e0; padding:6px 8px; margin:0; font:11.5px/1.35 ui-monospace, "DejaVu Sans Mono", monospace; white-space:pre-wrap; }
.lvl3 { color:#ff7b72; } .lvl4 { color:#e3b341; } .lvl7 { color:#8b949e; }
.muted { color:var(--mute); }
label.toggle { font-weight:normal; margin-left:12px; font-size:12px; }
`;

export function dashboardHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>iaa-emu dashboard</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/uPlot.min.css">
<style>${DASHBOARD_CSS}</style>
</head>
<body>
<header>
  <h1>iaa-emu</h1>
  <div class="kv"><span>preset</span><code id="boot-preset">…</code></div>
  <div class="kv"><span>IOMMU</span><code id="boot-iommu">…</code></div>
  <div class="kv"><span>kernel</span><code id="boot-release">…</code></div>
  <div class="kv"><span>virtual time</span><code id="clock-virtual">…</code></div>
  <div class="kv"><span>wall</span><code id="clock-wall">…</code></div>
  <div id="live" class="stale">connecting</div>
  <div class="kv" style="flex-basis:100%"><span>cmdline</span><code id="boot-cmdline">…</code></div>
</header>
<main>
  <section id="topology"><h2>Topology <small class="muted" id="topo-summary"></small></h2><div class="nodes" id="nodes"></div>
    <p class="muted" style="margin:6px 0 0"><span class="eng c">0</span> engine that compresses · <span class="eng">1</span> decompress only · <span class="eng free">2</span> in no group · CPUs: the iaa_crypto per-CPU WQ table</p></section>
  <section id="counters"><h2>Counters <label class="toggle"><input type="radio" name="clock" value="virtual" checked> virtual time</label><label class="toggle"><input type="radio" name="clock" value="wall"> wall time</label></h2>
    <div class="charts" id="charts"></div>
    <div class="row" style="margin-top:8px"><div><h3 style="font-size:12px;margin:4px 0">now</h3><table id="counter-table"></table></div><div><h3 style="font-size:12px;margin:4px 0">iaa_crypto per WQ (wq_stats)</h3><table id="wq-stats"></table></div></div>
  </section>
  <section id="settings"><h2>Settings</h2><div class="row"><div><table id="settings-table"></table></div><div><h3 style="font-size:12px;margin:0 0 4px">dynamic debug <small class="muted">/sys/kernel/debug/dynamic_debug/control</small></h3><table id="dyndbg-modules"></table><div id="dyndbg-sites" class="muted" style="font-size:11px;margin-top:4px"></div></div></div></section>
  <section id="log"><h2>dmesg <small class="muted" id="dmesg-count"></small></h2><pre id="dmesg"></pre></section>
</main>
<script src="/uPlot.iife.min.js"></script>
<script>window.POLL_MS = ${POLL_MS};</script>
<script src="/dashboard.js"></script>
</body>
</html>
`;
}

export { DASHBOARD_CLIENT };
