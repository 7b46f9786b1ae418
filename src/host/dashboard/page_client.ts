/**
 * The dashboard page's script (runs in the browser; plain ES2020, no
 * template literals so it can live in this string). It polls /api/state with
 * the last sample and log sequence numbers it has, and redraws what changed.
 */
export const DASHBOARD_CLIENT = String.raw`
(function () {
  "use strict";
  var POLL = window.POLL_MS || 400;
  var samples = [];
  var lastSeq = -1, lastLog = -1, lastTopo = "", lastSettings = "", epoch = "";
  var clockMode = "virtual";
  var charts = [];
  var MAX = 2000;

  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (k === "text") e.textContent = attrs[k];
      else if (k === "cls") e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    }
    (kids || []).forEach(function (c) { if (c != null) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return e;
  }
  function txt(id, v) { var e = document.getElementById(id); if (e.textContent !== v) e.textContent = v; }
  function fmt(n) { return n == null ? "-" : Number(n).toLocaleString("en-US"); }
  function vsec(ns) { return (ns / 1e9).toFixed(6) + " s"; }

  // ---- topology ----
  function engineChip(e) {
    return el("span", { cls: "eng" + (e.canCompress ? " c" : "") + (e.groupId == null ? " free" : ""), title: e.name + (e.canCompress ? " (compress + decompress)" : " (decompress)") + (e.groupId == null ? ", no group" : ", group " + e.groupId), "data-engine": e.name, text: e.name.split(".")[1] });
  }
  function wqTable(d) {
    var cols = ["wq", "mode", "size", "priority", "type", "name", "driver", "state", "group", "CPUs (wq table)"];
    var t = el("table", { cls: "wqs" }, [el("tr", null, cols.map(function (c) { return el("th", { text: c }); }))]);
    d.wqs.forEach(function (w) {
      var cells = [
        ["name", w.name], ["mode", w.mode], ["size", w.size], ["priority", w.priority], ["type", w.type],
        ["wqName", w.wqName], ["driver", w.driver || ""], ["state", w.state], ["group", w.groupId == null ? "" : w.groupId], ["cpus", w.cpus]
      ];
      t.appendChild(el("tr", { cls: "wq " + (w.state || ""), "data-wq": w.name }, cells.map(function (c) {
        return el("td", { "data-field": c[0], cls: typeof c[1] === "number" ? "num" : "", text: c[1] == null ? "" : String(c[1]) });
      })));
    });
    return t;
  }
  function deviceCard(d) {
    var groups = el("div", { cls: "groups" }, d.groups.map(function (g) {
      var engs = d.engines.filter(function (e) { return g.engines.indexOf(e.name) >= 0; });
      return el("div", { cls: "grp", "data-group": g.name }, [g.name + ": ", el("span", null, engs.map(engineChip)), g.workQueues.length ? " " + g.workQueues.join(" ") : ""]);
    }));
    var free = d.engines.filter(function (e) { return e.groupId == null; });
    if (free.length) groups.appendChild(el("div", { cls: "grp" }, ["no group: ", el("span", null, free.map(engineChip))]));
    return el("div", { cls: "dev " + d.kind, "data-device": d.name }, [
      el("h4", null, [d.name, el("span", { cls: "state " + (d.state || ""), "data-field": "state", text: d.state || "?" }), el("small", { text: (d.pci || "") + (d.driver ? " · " + d.driver : "") })]),
      groups,
      wqTable(d)
    ]);
  }
  function renderTopology(t) {
    var nodes = document.getElementById("nodes");
    nodes.textContent = "";
    var iax = t.devices.filter(function (d) { return d.kind === "iax"; }).length;
    txt("topo-summary", t.sockets + " socket(s), " + t.nodes.length + " NUMA node(s), " + t.nrCpus + " CPUs, " + iax + " IAA, " + (t.devices.length - iax) + " DSA");
    t.nodes.forEach(function (n) {
      var devs = t.devices.filter(function (d) { return d.numaNode === n.id; });
      devs.sort(function (a, b) { return (a.kind === b.kind ? 0 : a.kind === "iax" ? -1 : 1); });
      nodes.appendChild(el("div", { cls: "node", "data-node": String(n.id) }, [
        el("h3", null, ["socket " + n.socket + " · node" + n.id + " ", el("small", { text: "CPUs " + n.cpulist + (n.memTotalKb ? " · " + Math.round(n.memTotalKb / 1048576) + " GiB" : "") })]),
        el("div", { cls: "devices" }, devs.map(deviceCard))
      ]));
    });
    var orphans = t.devices.filter(function (d) { return !t.nodes.some(function (n) { return n.id === d.numaNode; }); });
    if (orphans.length) nodes.appendChild(el("div", { cls: "node" }, [el("h3", { text: "no node" }), el("div", { cls: "devices" }, orphans.map(deviceCard))]));
  }

  // ---- counters ----
  var CHARTS = [
    { title: "iaa_crypto calls (global_stats)", series: [["iaa", "total_comp_calls"], ["iaa", "total_decomp_calls"], ["iaa", "total_sw_decomp_calls"]] },
    { title: "iaa_crypto bytes (global_stats)", series: [["iaa", "total_comp_bytes_out"], ["iaa", "total_decomp_bytes_in"]] },
    { title: "zswap pool (debugfs)", series: [["zswap", "stored_pages"], ["zswap", "pool_total_size", "y2"]] },
    { title: "zswap rejections and writeback (debugfs)", series: [["zswap", "reject_compress_poor"], ["zswap", "reject_compress_fail"], ["zswap", "reject_alloc_fail"], ["zswap", "reject_reclaim_fail"], ["zswap", "written_back_pages"], ["zswap", "pool_limit_hit"]] },
    { title: "swap (/proc/vmstat)", series: [["vmstat", "zswpout"], ["vmstat", "zswpin"], ["vmstat", "pswpout"], ["vmstat", "pswpin"], ["vmstat", "zswpwb"]] }
  ];
  var COLORS = ["#0b5cad", "#e8590c", "#2f9e44", "#c92a2a", "#7048e8", "#868e96"];
  function val(s, grp, key) { var g = s[grp]; return g && g[key] != null ? g[key] : null; }
  function xOf(s) { return clockMode === "virtual" ? s.virtualNs / 1e9 : s.wallMs / 1000; }
  // as many decimals as the tick step needs (a command may move virtual time by microseconds)
  function secTicks(u, v) {
    var step = v.length > 1 ? Math.abs(v[1] - v[0]) : 1;
    var d = step > 0 ? Math.min(9, Math.max(0, -Math.floor(Math.log10(step)))) : 2;
    return v.map(function (x) { return x == null ? "" : x.toFixed(d); });
  }
  function chartData(c) {
    var d = [samples.map(xOf)];
    c.series.forEach(function (sr) { d.push(samples.map(function (s) { return val(s, sr[0], sr[1]); })); });
    return d;
  }
  function buildCharts() {
    var box = document.getElementById("charts");
    charts.forEach(function (u) { u.destroy(); });
    charts = [];
    box.textContent = "";
    CHARTS.forEach(function (c, i) {
      var div = el("div", { cls: "chart", "data-chart": String(i) }, [el("h3", { text: c.title })]);
      box.appendChild(div);
      var y2 = c.series.some(function (s) { return s[2] === "y2"; });
      var opts = {
        width: Math.max(380, Math.floor(box.clientWidth / Math.max(1, Math.floor(box.clientWidth / 430))) - 14), height: 190,
        scales: { x: { time: clockMode === "wall" }, y: { range: function (u, lo, hi) { return [0, Math.max(1, hi * 1.1)]; } }, y2: { range: function (u, lo, hi) { return [0, Math.max(1, hi * 1.1)]; } } },
        axes: [
          { label: clockMode === "virtual" ? "virtual time (s since boot)" : "wall time", size: 40, values: clockMode === "virtual" ? secTicks : undefined },
          { scale: "y", size: 60 },
        ].concat(y2 ? [{ scale: "y2", side: 1, grid: { show: false }, size: 70 }] : []),
        series: [{ label: clockMode === "virtual" ? "t (s)" : "time" }].concat(c.series.map(function (s, k) {
          return { label: s[1] + (s[2] ? " (right)" : ""), scale: s[2] || "y", stroke: COLORS[k % COLORS.length], width: 1.5, spanGaps: true };
        })),
        legend: { live: true }
      };
      charts.push(new uPlot(opts, chartData(c), div));
    });
  }
  function updateCharts() { CHARTS.forEach(function (c, i) { if (charts[i]) charts[i].setData(chartData(c)); }); }
  function renderCounters(last) {
    var t = document.getElementById("counter-table");
    t.textContent = "";
    t.appendChild(el("tr", null, [el("th", { text: "file" }), el("th", { text: "counter" }), el("th", { text: "value" })]));
    var groups = [["iaa", "/sys/kernel/debug/iaa-crypto/global_stats"], ["zswap", "/sys/kernel/debug/zswap"], ["vmstat", "/proc/vmstat"]];
    groups.forEach(function (g) {
      var o = last[g[0]];
      if (!o) { t.appendChild(el("tr", null, [el("td", { text: g[1] }), el("td", { cls: "muted", text: "(not present)" }), el("td")])); return; }
      Object.keys(o).forEach(function (k) {
        t.appendChild(el("tr", null, [el("td", { cls: "muted", text: g[1] }), el("td", { text: k }), el("td", { cls: "num", "data-counter": k, text: fmt(o[k]) })]));
      });
    });
    var w = document.getElementById("wq-stats");
    w.textContent = "";
    var keys = Object.keys(last.wqs);
    if (!keys.length) { w.appendChild(el("tr", null, [el("td", { cls: "muted", text: "iaa_crypto is not loaded" })])); return; }
    w.appendChild(el("tr", null, ["WQ", "comp_calls", "comp_bytes", "decomp_calls", "decomp_bytes"].map(function (h) { return el("th", { text: h }); })));
    keys.forEach(function (k) {
      var s = last.wqs[k];
      var label = (last.wqNames && last.wqNames[k]) || k;
      w.appendChild(el("tr", { "data-wqstat": label }, [el("td", { text: label })].concat(["comp_calls", "comp_bytes", "decomp_calls", "decomp_bytes"].map(function (f) { return el("td", { cls: "num", "data-field": f, text: fmt(s[f]) }); }))));
    });
  }

  // ---- settings, dyndbg, log ----
  function renderSettings(st, dd) {
    var t = document.getElementById("settings-table");
    t.textContent = "";
    function row(k, v) { t.appendChild(el("tr", null, [el("th", { text: k }), el("td", { "data-setting": k, text: v })])); }
    row("modules (/proc/modules)", st.modules.join(" ") || "(none)");
    Object.keys(st.iaaCrypto).forEach(function (k) { row("iaa_crypto " + k, st.iaaCrypto[k]); });
    Object.keys(st.zswap).forEach(function (k) { row("zswap." + k, st.zswap[k]); });
    if (st.swappiness != null) row("vm.swappiness", st.swappiness);
    var m = document.getElementById("dyndbg-modules");
    m.textContent = "";
    m.appendChild(el("tr", null, ["module", "sites", "printing (+p)"].map(function (h) { return el("th", { text: h }); })));
    dd.modules.forEach(function (x) { m.appendChild(el("tr", { "data-dyndbg": x.module }, [el("td", { text: x.module }), el("td", { cls: "num", text: String(x.sites) }), el("td", { cls: "num", "data-field": "printing", text: String(x.printing) })])); });
    var s = document.getElementById("dyndbg-sites");
    s.textContent = dd.enabled.length ? "on: " + dd.enabled.slice(0, 40).map(function (x) { return "[" + x.module + "]" + x.func + " =" + x.flags; }).join(", ") + (dd.enabled.length > 40 ? " … (" + dd.enabled.length + ")" : "") : "no site enabled";
  }
  function appendLog(lines) {
    var pre = document.getElementById("dmesg");
    var atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    lines.forEach(function (l) { pre.appendChild(el("div", { cls: "lvl" + l.level, "data-seq": String(l.seq), text: l.line })); });
    while (pre.childNodes.length > 2000) pre.removeChild(pre.firstChild);
    txt("dmesg-count", pre.childNodes.length + " lines shown");
    if (atEnd) pre.scrollTop = pre.scrollHeight;
  }

  // ---- polling ----
  var busy = false, fails = 0;
  function poll() {
    if (busy) return;
    busy = true;
    fetch("/api/state?since=" + lastSeq + "&log=" + lastLog + "&epoch=" + encodeURIComponent(epoch), { cache: "no-store" }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (s) {
      fails = 0;
      if (s.epoch !== epoch) {
        // a new machine (reboot): start over
        epoch = s.epoch; samples = []; lastTopo = ""; document.getElementById("dmesg").textContent = "";
        if (s.samples.length && s.samples[0].seq > 0 && lastSeq >= 0) { /* keep what came */ }
      }
      txt("boot-preset", s.boot.preset); txt("boot-iommu", s.boot.iommu); txt("boot-cmdline", s.boot.cmdline); txt("boot-release", s.boot.release || "");
      txt("clock-virtual", vsec(s.now.virtualNs)); txt("clock-wall", new Date(s.now.wallMs).toISOString().replace("T", " ").slice(0, 23));
      var topo = JSON.stringify(s.topology);
      if (topo !== lastTopo) { lastTopo = topo; renderTopology(s.topology); }
      var set = JSON.stringify([s.settings, s.dyndbg]);
      if (set !== lastSettings) { lastSettings = set; renderSettings(s.settings, s.dyndbg); }
      if (s.samples.length) {
        samples = samples.concat(s.samples);
        if (samples.length > MAX) samples = samples.slice(samples.length - MAX);
        lastSeq = samples[samples.length - 1].seq;
        if (!charts.length) buildCharts(); else updateCharts();
      }
      if (s.latest) { s.latest.wqNames = s.wqNames; renderCounters(s.latest); }
      if (s.log.length) { appendLog(s.log); lastLog = s.log[s.log.length - 1].seq; }
      var live = document.getElementById("live");
      live.className = "ok"; live.textContent = "live";
      document.body.setAttribute("data-updated", String(Date.now()));
    }).catch(function (e) {
      fails++;
      var live = document.getElementById("live");
      live.className = "stale"; live.textContent = "no answer (" + e.message + ")";
    }).then(function () { busy = false; });
  }
  Array.prototype.forEach.call(document.querySelectorAll("input[name=clock]"), function (r) {
    r.addEventListener("change", function () { clockMode = r.value; buildCharts(); });
  });
  var resizeT = 0;
  window.addEventListener("resize", function () { clearTimeout(resizeT); resizeT = setTimeout(function () { if (charts.length) buildCharts(); }, 200); });
  poll();
  setInterval(poll, POLL);
})();
`;
