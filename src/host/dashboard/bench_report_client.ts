/**
 * The bench report's script (runs in the browser; plain ES2020 without
 * template literals so it can live in this string): draws the comparison
 * charts and one card per configuration with uPlot from the inlined data.
 */
export const BENCH_REPORT_CLIENT = String.raw`
(function () {
  "use strict";
  var R = JSON.parse(document.getElementById("report-data").textContent);
  var J = JSON.parse(document.getElementById("bench-json").textContent);
  var COLORS = ["#0b5cad", "#e8590c", "#2f9e44", "#c92a2a", "#7048e8", "#868e96"];
  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) { if (k === "text") e.textContent = attrs[k]; else if (k === "cls") e.className = attrs[k]; else e.setAttribute(k, attrs[k]); }
    (kids || []).forEach(function (c) { if (c != null) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return e;
  }
  function num(v, d) {
    if (v == null || !isFinite(v)) return "-";
    var a = Math.abs(v);
    if (d == null) d = a >= 100 ? 0 : a >= 10 ? 1 : 2;
    return Number(v).toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: 0 });
  }
  function short(v) {
    if (v == null || !isFinite(v)) return "";
    var a = Math.abs(v);
    if (a >= 1e9) return (v / 1e9).toFixed(1) + "G";
    if (a >= 1e6) return (v / 1e6).toFixed(1) + "M";
    if (a >= 1e3) return (v / 1e3).toFixed(a >= 1e4 ? 0 : 1) + "k";
    return a >= 10 || v === 0 ? v.toFixed(0) : v.toFixed(2);
  }
  function width(box, min) { return Math.max(min, box.clientWidth - 16); }
  // log scales: a decade of room below the smallest value and above the largest
  function logRange(u, lo, hi) {
    lo = lo > 0 ? lo : 1; hi = hi > lo ? hi : lo * 10;
    return [Math.pow(10, Math.floor(Math.log10(lo / 1.5))), Math.pow(10, Math.ceil(Math.log10(hi * 1.2)))];
  }
  // a latency of 0 ns (a page zswap rejected before compressing) has no place on a log axis: drawn at 1 ns
  function pos(v) { return v == null ? null : Math.max(1, v); }
  function intTicks(u, v) { return v.map(function (x) { return Math.round(x) === x ? String(x) : ""; }); }

  // ---- comparison: grouped bars, published figures as points ----
  function groupedChart(box, title, unit, metric, log, pubFor) {
    var n = R.configs.length;
    var names = [];
    R.configs.forEach(function (c) { c[metric].slice(0, 2).forEach(function (m) { if (names.indexOf(m.name) < 0) names.push(m.name); }); });
    var k = names.length, step = k + 1;
    var xs = [], centers = [];
    for (var i = 0; i < n; i++) { for (var j = 0; j < k; j++) xs.push(i * step + j); centers.push(i * step + (k - 1) / 2); }
    var data = [xs];
    names.forEach(function (name, j) {
      data.push(xs.map(function (x) {
        var i = Math.floor(x / step), jj = x - i * step;
        if (jj !== j) return null;
        var m = R.configs[i][metric].filter(function (mm) { return mm.name === name; })[0];
        return m && isFinite(m.value) && m.value > 0 ? m.value : null;
      }));
    });
    var pub = xs.map(function (x) {
      var i = Math.floor(x / step), j = x - i * step;
      var v = pubFor(R.configs[i], names[j]);
      return v == null ? null : v;
    });
    var hasPub = pub.some(function (v) { return v != null; });
    if (hasPub) data.push(pub);
    var div = el("div", { cls: "chart", "data-compare": metric }, [el("h3", { text: title })]);
    box.appendChild(div);
    var labels = R.configs.map(function (c) { return c.label; });
    var series = [{ label: "configuration", value: function (u, v) { return v == null ? "-" : labels[Math.floor(v / step)] || ""; } }];
    names.forEach(function (name, j) {
      series.push({ label: name + " (" + unit + ")", stroke: COLORS[j], fill: COLORS[j] + "cc", width: 1, paths: uPlot.paths.bars({ size: [0.9, 80] }), points: { show: false }, value: function (u, v) { return v == null ? "-" : num(v); } });
    });
    if (hasPub) series.push({ label: "published", stroke: "#000", width: 0, paths: function () { return null; }, points: { show: true, size: 10, fill: "#ffd43b", stroke: "#000", width: 1.5 }, value: function (u, v) { return v == null ? "-" : num(v); } });
    var u = new uPlot({
      width: width(box, 600), height: 280,
      scales: { x: { time: false, range: [-1, n * step - 1] }, y: log ? { distr: 3, range: logRange } : { range: function (u, lo, hi) { return [0, hi * 1.12]; } } },
      axes: [
        { splits: function () { return centers; }, values: function (u, v) { return v.map(function (x) { var i = Math.round((x - (k - 1) / 2) / step); return labels[i] || ""; }); }, rotate: n > 4 ? -25 : 0, size: n > 4 ? 110 : 40, gap: 4, font: "11px system-ui" },
        { label: unit + (log ? ", log scale" : ""), size: 70, values: function (u, v) { return v.map(short); } }
      ],
      series: series,
      legend: { live: true }
    }, data, div);
    return u;
  }
  function pubValue(c, op, unit) {
    var f = c.published.filter(function (p) { return p.op === op && p.unit === unit; })[0];
    return f ? f.value : null;
  }
  var opOf = function (name) { return /decompress|page-in/.test(name) ? "decompress" : "compress"; };
  var cmp = document.getElementById("compare-charts");
  var tunit = R.configs.length ? R.configs[0].throughput[0].unit : "";
  groupedChart(cmp, "throughput", tunit, "throughput", false, function (c, name) {
    if (tunit === "GB/s") { if (opOf(name) !== "compress") return null; var g = pubValue(c, "compress", "GB/s"); if (g != null) return g; }
    if (tunit === "pages/s") { var ns = pubValue(c, opOf(name), "ns"); return ns == null ? null : 1e9 / ns; }
    return null;
  });
  groupedChart(cmp, "median latency", "ns", "latency", true, function (c, name) { return pubValue(c, opOf(name), "ns"); });

  // ---- one card per configuration ----
  function cdf(samples) {
    var s = samples.slice().sort(function (a, b) { return a - b; });
    var n = s.length, x = [], y = [];
    for (var i = 0; i < n; i++) { if (i + 1 < n && s[i + 1] === s[i]) continue; x.push(s[i]); y.push(100 * (i + 1) / n); }
    return [x, y];
  }
  function pct(s, p) { if (!s.length) return NaN; var t = s.slice().sort(function (a, b) { return a - b; }); return t[Math.min(t.length - 1, Math.floor(p * (t.length - 1)))]; }
  var cfgs = document.getElementById("cfgs");
  R.configs.forEach(function (c, i) {
    var card = el("div", { cls: "cfg", "data-config": String(i), "data-label": c.label }, [el("h3", { text: c.label })]);
    cfgs.appendChild(card);
    var t = el("table", { cls: "meta" });
    function row(a, b, cls) { t.appendChild(el("tr", null, [el("th", { text: a }), el("td", { cls: "num " + (cls || ""), text: b })])); }
    c.throughput.forEach(function (m) { row(m.name + " throughput", num(m.value) + " " + m.unit); });
    c.latency.forEach(function (m) { row(m.name + " median latency", num(m.value) + " ns"); });
    c.other.forEach(function (m) { row(m.name, num(m.value) + (m.unit ? " " + m.unit : "")); });
    c.published.forEach(function (p) {
      var ours = null;
      if (p.unit === "ns") { var m = c.latency.filter(function (x) { return opOf(x.name) === p.op; })[0]; ours = m ? m.value : null; }
      else { var g = c.throughput.filter(function (x) { return opOf(x.name) === p.op && x.unit === "GB/s"; })[0]; ours = g ? g.value : null; }
      var dev = ours == null ? NaN : (ours - p.value) / p.value * 100;
      row("published [" + p.source + "] " + p.what + " " + p.op, num(p.value) + " " + p.unit + (isFinite(dev) ? "  (model " + (dev >= 0 ? "+" : "") + dev.toFixed(1) + " %)" : ""), Math.abs(dev) <= 10 ? "dev-ok" : "dev-bad");
    });
    if (!c.published.length) row("published figures", "none for this configuration");
    card.appendChild(t);
    // latency of each operation in order, with published latencies as lines
    var ser = c.series.filter(function (s) { return s.samples.length > 0; });
    var len = Math.max.apply(null, ser.map(function (s) { return s.samples.length; }).concat([1]));
    var xs = []; for (var q = 0; q < len; q++) xs.push(q + 1);
    var data = [xs].concat(ser.map(function (s) { return xs.map(function (x) { return pos(s.samples[x - 1]); }); }));
    var series = [{ label: "operation #" }].concat(ser.map(function (s, k) { return { label: s.name + " (ns)", stroke: COLORS[k], width: 1.2, points: { show: len <= 80, size: 4 } }; }));
    c.published.filter(function (p) { return p.unit === "ns"; }).forEach(function (p) {
      data.push(xs.map(function () { return p.value; }));
      series.push({ label: "published " + p.op + " [" + p.source + "]", stroke: p.op === "compress" ? COLORS[0] : COLORS[1], dash: [6, 4], width: 1.5, points: { show: false } });
    });
    var d1 = el("div", { cls: "chart", "data-plot": "latency-over-run" }, [el("h4", { text: "latency per operation, in the order run (virtual ns)", style: "margin:6px 0 0;font-size:12px" })]);
    card.appendChild(d1);
    new uPlot({ width: width(card, 300), height: 200, scales: { x: { time: false }, y: { distr: 3, range: logRange } }, axes: [{ label: "operation", size: 34, values: intTicks }, { size: 60, values: function (u, v) { return v.map(short); } }], series: series }, data, d1);
    // distribution: share of operations at or below a latency
    var d2 = el("div", { cls: "chart", "data-plot": "latency-distribution" }, [el("h4", { text: "latency distribution (share of operations ≤ ns)", style: "margin:6px 0 0;font-size:12px" })]);
    card.appendChild(d2);
    var all = [];
    ser.forEach(function (s) { all = all.concat(s.samples.map(pos)); });
    var grid = all.slice().sort(function (a, b) { return a - b; }).filter(function (v, k, a) { return k === 0 || a[k - 1] !== v; });
    var dd = [grid];
    ser.forEach(function (s) {
      var srt = s.samples.map(pos).sort(function (a, b) { return a - b; });
      var j = 0;
      dd.push(grid.map(function (v) { while (j < srt.length && srt[j] <= v) j++; return 100 * j / srt.length; }));
    });
    new uPlot({ width: width(card, 300), height: 180, scales: { x: { time: false, distr: 3, range: logRange }, y: { range: [0, 100] } }, axes: [{ label: "virtual ns (log)", size: 34, values: function (u, v) { return v.map(short); } }, { size: 52, values: function (u, v) { return v.map(function (x) { return x + "%"; }); } }],
      series: [{ label: "ns", value: function (u, v) { return v == null ? "-" : num(v); } }].concat(ser.map(function (s, k) { return { label: s.name + " (p50 " + short(pct(s.samples, 0.5)) + ", p99 " + short(pct(s.samples, 0.99)) + ")", stroke: COLORS[k], width: 1.5, points: { show: false }, paths: uPlot.paths.stepped({ align: 1 }) }; })) }, dd, d2);
    card.appendChild(el("div", { cls: "muted", style: "font-size:11px", text: ser.map(function (s) { return s.name + ": " + s.count + " operations" + (s.count > s.samples.length ? " (" + s.samples.length + " plotted)" : ""); }).join(" · ") }));
  });

  // ---- model parameters, sources, data ----
  var tt = document.getElementById("timing");
  tt.appendChild(el("tr", null, [el("th", { text: "TIMING" }), el("th", { text: "value" })]));
  Object.keys(R.timing.TIMING).forEach(function (k) { tt.appendChild(el("tr", null, [el("td", { text: k }), el("td", { cls: "num", text: num(R.timing.TIMING[k], 3) })])); });
  var st = document.getElementById("software");
  st.appendChild(el("tr", null, ["SOFTWARE_COST", "callNs", "compNsPerByte", "decompNsPerByte"].map(function (h) { return el("th", { text: h }); })));
  Object.keys(R.timing.SOFTWARE_COST).forEach(function (k) { var r = R.timing.SOFTWARE_COST[k]; st.appendChild(el("tr", null, [el("td", { text: k }), el("td", { cls: "num", text: num(r.callNs, 3) }), el("td", { cls: "num", text: num(r.compNsPerByte, 3) }), el("td", { cls: "num", text: num(r.decompNsPerByte, 3) })])); });
  var so = document.getElementById("sources");
  Object.keys(R.sources).forEach(function (k) { so.appendChild(el("tr", null, [el("th", { text: "[" + k + "]" }), el("td", { text: R.sources[k] })])); });
  document.getElementById("json-text").textContent = JSON.stringify(J, null, 2);
  document.body.setAttribute("data-ready", "1");
})();
`;
