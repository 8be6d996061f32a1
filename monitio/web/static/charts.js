// Monitio charts: small, dependency-free SVG line charts with labelled signal markers, hover and
// keyboard read-outs, a partial last period drawn dashed, and a clickable legend. Data comes from
// <script type="application/json"> islands (never executed), so the page needs no inline script and
// works under a strict Content-Security-Policy. Every chart has a table of the same figures beside it
// for screen readers (rendered by the server).
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var COLORS = ["#0b5fff", "#c62828", "#2e7d32", "#9a5200", "#6a1b9a", "#00838f", "#5d4037", "#ad1457"];
  var DAY = 86400000;

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function label(ms, hourly) {
    var iso = new Date(ms).toISOString();
    return hourly ? iso.slice(5, 10) + " " + iso.slice(11, 13) + ":00" : iso.slice(0, 10);
  }

  function niceStep(max) {
    var raw = max / 4, mag = Math.pow(10, Math.floor(Math.log10(raw || 1))), n = raw / mag;
    return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
  }

  function lineChart(box, data) {
    var tip = document.querySelector(".tooltip");
    var hourly = data.bucket === "hour";
    var partial = data.partial_from ? Date.parse(data.partial_from) : null;
    var hidden = {};
    function draw() {
      var W = box.clientWidth || 600, H = box.clientHeight || 300, L = 48, R = 16, T = 26, B = 36;
      box.innerHTML = "";
      var svg = el("svg", { viewBox: "0 0 " + W + " " + H, role: "group", "aria-label": (data.title || "chart") + " (the figures are in the table below the chart)" }, box);
      var series = data.series.filter(function (s) { return !hidden[s.name]; });
      var xs = [], ys = [0];
      data.series.forEach(function (s) { s.points.forEach(function (p) { xs.push(Date.parse(p[0])); }); });
      series.forEach(function (s) { s.points.forEach(function (p) { ys.push(p[1]); }); });
      if (!xs.length) { el("text", { x: L, y: H / 2, "class": "axis" }, svg).textContent = "No data in this period"; return; }
      var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
      var step = niceStep(Math.max.apply(null, ys) || 1), y1 = Math.max(step * 4, Math.ceil(Math.max.apply(null, ys) / step) * step);
      function sx(t) { return L + (x1 === x0 ? 0.5 : (t - x0) / (x1 - x0)) * (W - L - R); }
      function sy(v) { return H - B - (v / y1) * (H - T - B); }
      for (var v = 0; v <= y1; v += step) {
        var y = sy(v);
        el("line", { x1: L, x2: W - R, y1: y, y2: y, stroke: "#e3e7ee" }, svg);
        el("text", { x: L - 6, y: y + 4, "text-anchor": "end", "class": "axis" }, svg).textContent = v.toLocaleString();
      }
      // date labels: as many as fit (about one per 80 px), on whole buckets
      var unique = xs.filter(function (t, i) { return xs.indexOf(t) === i; }).sort(function (a, b) { return a - b; });
      var every = Math.max(1, Math.ceil(unique.length / Math.max(2, Math.floor((W - L - R) / 80))));
      unique.forEach(function (t, i) {
        if (i % every) return;
        var x = sx(t);
        el("line", { x1: x, x2: x, y1: H - B, y2: H - B + 4, stroke: "#8a94a3" }, svg);
        var anchor = i === 0 ? "start" : (x > W - R - 40 ? "end" : "middle");
        el("text", { x: x, y: H - B + 16, "text-anchor": anchor, "class": "axis" }, svg).textContent = label(t, hourly);
      });
      if (partial !== null && partial >= x0) {
        var px = sx(Math.max(x0, unique.length > 1 ? unique[unique.length - 2] : partial));
        el("rect", { x: px, y: T, width: Math.max(0, W - R - px), height: H - T - B, fill: "#f1f3f6" }, svg);
        el("text", { x: W - R, y: T - 8, "text-anchor": "end", "class": "partial-label" }, svg).textContent = "partial " + (hourly ? "hour" : "day");
      }
      series.forEach(function (s) {
        var idx = data.series.indexOf(s), color = s.color || COLORS[idx % COLORS.length];
        var full = [], tail = [];
        s.points.forEach(function (p, k) {
          var t = Date.parse(p[0]);
          if (partial !== null && t >= partial) { if (k > 0) tail.push(s.points[k - 1]); tail.push(p); } else full.push(p);
        });
        function path(pts, dash) {
          if (pts.length < 1) return;
          var d = pts.map(function (p, k) { return (k ? "L" : "M") + sx(Date.parse(p[0])).toFixed(1) + " " + sy(p[1]).toFixed(1); }).join(" ");
          var attrs = { d: d, fill: "none", stroke: color, "stroke-width": 2 };
          if (dash) attrs["stroke-dasharray"] = "5 4";
          el("path", attrs, svg);
        }
        path(full, false);
        path(tail, true);
      });
      (data.annotations || []).forEach(function (a, i) {
        var x = sx(Math.min(x1, Math.max(x0, Date.parse(a.t)))), row = T + 4 + (i % 3) * 12;
        el("line", { x1: x, x2: x, y1: row, y2: H - B, stroke: "#c62828", "stroke-dasharray": "3 3" }, svg);
        var holder = a.href ? el("a", { href: a.href, "aria-label": a.label }, svg) : svg;
        var mark = el("circle", { cx: x, cy: row, r: 5, fill: "#c62828", "class": "marker", tabindex: a.href ? -1 : 0 }, holder);
        if (a.short) el("text", { x: x + 7, y: row + 4, "class": "marker-label" }, holder).textContent = a.short;
        [holder, mark].forEach(function (node) {
          node.addEventListener("mouseenter", function (e) { show(e, a.label); });
          node.addEventListener("focus", function () { showAt(box, x, row, a.label); });
          node.addEventListener("mouseleave", hide);
          node.addEventListener("blur", hide);
        });
      });
      // hover: a vertical line and every visible series' value at the nearest bucket
      var guide = el("line", { x1: 0, x2: 0, y1: T, y2: H - B, stroke: "#101826", "stroke-opacity": 0, "pointer-events": "none" }, svg);
      var overlay = el("rect", { x: L, y: T, width: W - L - R, height: H - T - B, fill: "transparent" }, svg);
      overlay.addEventListener("mousemove", function (e) {
        var rect = svg.getBoundingClientRect(), mx = (e.clientX - rect.left) * (W / rect.width);
        var best = unique[0];
        unique.forEach(function (t) { if (Math.abs(sx(t) - mx) < Math.abs(sx(best) - mx)) best = t; });
        guide.setAttribute("x1", sx(best)); guide.setAttribute("x2", sx(best)); guide.setAttribute("stroke-opacity", 0.3);
        var lines = [label(best, hourly) + (partial !== null && best >= partial ? " (partial)" : "")];
        series.forEach(function (s) {
          s.points.forEach(function (p) { if (Date.parse(p[0]) === best) lines.push(s.name + ": " + p[1].toLocaleString()); });
        });
        show(e, lines.join("\n"));
      });
      overlay.addEventListener("mouseleave", function () { guide.setAttribute("stroke-opacity", 0); hide(); });
      // annotations stay clickable above the overlay
      Array.prototype.forEach.call(svg.querySelectorAll("a"), function (a) { svg.appendChild(a); });
    }
    function show(e, text) { if (!tip) return; tip.textContent = text; tip.style.whiteSpace = "pre"; tip.style.display = "block"; tip.style.left = (e.clientX + 12) + "px"; tip.style.top = (e.clientY + 12) + "px"; }
    function showAt(node, x, y, text) { var r = node.getBoundingClientRect(); show({ clientX: r.left + x, clientY: r.top + y }, text); }
    function hide() { if (tip) tip.style.display = "none"; }
    var legend = document.createElement("div");
    legend.className = "legend";
    data.series.forEach(function (s, idx) {
      var item = document.createElement("button");
      item.type = "button";
      item.className = "legend-item";
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.setAttribute("aria-hidden", "true");
      swatch.style.background = s.color || COLORS[idx % COLORS.length];
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(s.name));
      item.setAttribute("aria-pressed", "true");
      item.addEventListener("click", function () {
        hidden[s.name] = !hidden[s.name];
        item.classList.toggle("off");
        item.setAttribute("aria-pressed", hidden[s.name] ? "false" : "true");
        draw();
      });
      legend.appendChild(item);
    });
    box.parentNode.insertBefore(legend, box.nextSibling);
    draw();
    window.addEventListener("resize", draw);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(function (box) {
      var src = document.getElementById(box.getAttribute("data-source"));
      if (!src) return;
      try { lineChart(box, JSON.parse(src.textContent)); } catch (err) { box.textContent = "Chart unavailable"; }
    });
    document.querySelectorAll("[data-check-all]").forEach(function (box) {
      box.addEventListener("change", function () {
        document.querySelectorAll("input[name=" + box.getAttribute("data-check-all") + "]").forEach(function (c) { c.checked = box.checked; });
      });
    });
  });
})();
