/**
 * `iaa bench … --html FILE`: one self-contained page (uPlot, styles and data
 * inlined; nothing loaded from the network) with every configuration side by
 * side, the comparison across them with the published figures overlaid, the
 * timing model's parameters, and the same data as `--json`.
 */
import { DASHBOARD_CSS } from "./page.js";
import { BENCH_REPORT_CLIENT } from "./bench_report_client.js";
import type { BenchReport } from "./bench_report_data.js";
import { uplotAssets } from "./uplot_assets.js";

/** At most this many points per latency series in the page (evenly picked, in order; the JSON has all). */
export const MAX_POINTS = 4000;

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
/** JSON safe inside <script>: no "</script>", no "<!--". */
const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");

function thin(xs: number[]): number[] {
  if (xs.length <= MAX_POINTS) return xs;
  const out: number[] = [];
  for (let i = 0; i < MAX_POINTS; i++) out.push(xs[Math.floor((i * xs.length) / MAX_POINTS)]!);
  return out;
}

const REPORT_CSS = String.raw`
.cfgs { display:grid; grid-template-columns:repeat(auto-fill, minmax(460px, 1fr)); gap:10px; }
.cfg { border:1px solid var(--line); border-radius:6px; padding:8px; background:#fff; min-width:0; }
.cfg h3 { font-size:13px; margin:0 0 4px; }
.meta td, .meta th { font-size:12px; }
td.dev-ok { color:var(--ok); } td.dev-bad { color:#c92a2a; }
details pre { max-height:400px; overflow:auto; background:#f3f4f6; padding:6px; font-size:11px; }
`;

export function renderBenchHtml(r: BenchReport): string {
  const { js, css } = uplotAssets();
  const data = { ...r, configs: r.configs.map((c) => ({ ...c, series: c.series.map((s) => ({ name: s.name, samples: thin(s.samples), count: s.samples.length })) })) };
  const secs = (r.durationMs / 1000).toFixed(r.durationMs < 10_000 ? 2 : 1);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(r.title)}</title>
<style>${css}</style>
<style>${DASHBOARD_CSS}${REPORT_CSS}</style>
</head>
<body>
<header><h1>${esc(r.title)}</h1>
<div class="kv"><span>configurations</span><code id="n-configs">${r.configs.length}</code></div>
<div class="kv"><span>run took</span><code id="duration">${secs} s</code></div>
<div class="kv"><span>started</span><code>${esc(r.startedAt)}</code></div>
<div class="kv" style="flex-basis:100%"><span>command</span><code id="command">${esc(r.command)}</code></div>
</header>
<main>
<section id="compare"><h2>All configurations <small class="muted">virtual time, from the calibrated timing model; ◆ published figure where one applies</small></h2><div id="compare-charts"></div></section>
<section id="configs"><h2>Each configuration</h2><div class="cfgs" id="cfgs"></div></section>
<section id="model"><h2>Timing model <small class="muted">src/lib/timing.ts</small></h2><div class="row"><div><table id="timing"></table></div><div><table id="software"></table><h3 style="font-size:12px">published figures</h3><table id="sources"></table></div></div></section>
<section id="data"><h2>Data</h2><details><summary>the same data as <code>--json</code></summary><pre id="json-text"></pre></details></section>
</main>
<script type="application/json" id="report-data">${scriptJson(data)}</script>
<script type="application/json" id="bench-json">${scriptJson(r.json)}</script>
<script>${js.replace(/<\/script/gi, "<\\/script")}</script>
<script>${BENCH_REPORT_CLIENT}</script>
</body>
</html>
`;
}
