// Monitio charts: small, dependency-free SVG line charts with signal annotations, hover tooltips and
// a clickable legend. Data comes from <script type="application/json"> islands (never executed), so the
// page needs no inline script and works under a strict Content-Security-Policy.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var COLORS = ["#0b5fff", "#c62828", "#2e7d32", "#e08a00", "#6a1b9a", "#00838f", "#5d4037", "#ad1457"];

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function fmtTime(ms) {
    var d = new Date(ms);
    return d.toISOString().slice(0, 16).replace("T", " ") + " UTC";
  }

  function lineChart(box, data) {
    var tip = document.querySelector(".tooltip");
    var W = box.clientWidth || 600, H = box.clientHeight || 260, L = 44, R = 12, T = 12, B = 28;
    var hidden = {};
    function draw() {
      box.innerHTML = "";
      var svg = el("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": data.title || "chart" }, box);
      var series = data.series.filter(function (s) { return !hidden[s.name]; });
      var xs = [], ys = [0];
      data.series.forEach(function (s) { s.points.forEach(function (p) { xs.push(Date.parse(p[0])); }); });
      series.forEach(function (s) { s.points.forEach(function (p) { ys.push(p[1]); }); });
      if (!xs.length) { el("text", { x: L, y: H / 2 }, svg).textContent = "No data yet"; return; }
      var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs), y1 = Math.max.apply(null, ys) || 1;
      function sx(t) { return L + (x1 === x0 ? 0.5 : (t - x0) / (x1 - x0)) * (W - L - R); }
      function sy(v) { return H - B - (v / y1) * (H - T - B); }
      for (var i = 0; i <= 4; i++) {
        var v = Math.round(y1 * i / 4), y = sy(v);
        el("line", { x1: L, x2: W - R, y1: y, y2: y, stroke: "#e3e7ee" }, svg);
        el("text", { x: L - 6, y: y + 4, "text-anchor": "end", "font-size": 10, fill: "#5d6877" }, svg).textContent = v;
      }
      [x0, (x0 + x1) / 2, x1].forEach(function (t, j) {
        el("text", { x: sx(t), y: H - 8, "text-anchor": ["start", "middle", "end"][j], "font-size": 10, fill: "#5d6877" }, svg)
          .textContent = new Date(t).toISOString().slice(0, 10);
      });
      (data.annotations || []).forEach(function (a) {
        var x = sx(Date.parse(a.t));
        el("line", { x1: x, x2: x, y1: T, y2: H - B, stroke: "#c62828", "stroke-dasharray": "4 3" }, svg);
        var mark = el("circle", { cx: x, cy: T + 4, r: 5, fill: "#c62828", tabindex: 0 }, svg);
        mark.addEventListener("mouseenter", function (e) { show(e, a.label); });
        mark.addEventListener("mouseleave", hide);
      });
      data.series.forEach(function (s, idx) {
        if (hidden[s.name]) return;
        var color = s.color || COLORS[idx % COLORS.length];
        var d = s.points.map(function (p, k) { return (k ? "L" : "M") + sx(Date.parse(p[0])).toFixed(1) + " " + sy(p[1]).toFixed(1); }).join(" ");
        el("path", { d: d, fill: "none", stroke: color, "stroke-width": 1.6 }, svg);
        s.points.forEach(function (p) {
          var dot = el("circle", { cx: sx(Date.parse(p[0])), cy: sy(p[1]), r: 6, fill: "transparent" }, svg);
          dot.addEventListener("mouseenter", function (e) { show(e, s.name + ": " + p[1] + " at " + fmtTime(Date.parse(p[0]))); });
          dot.addEventListener("mouseleave", hide);
        });
      });
    }
    function show(e, text) { if (!tip) return; tip.textContent = text; tip.style.display = "block"; tip.style.left = (e.clientX + 12) + "px"; tip.style.top = (e.clientY + 12) + "px"; }
    function hide() { if (tip) tip.style.display = "none"; }
    var legend = document.createElement("div");
    legend.className = "legend";
    data.series.forEach(function (s, idx) {
      var item = document.createElement("span");
      item.textContent = "\u25A0 " + s.name;
      item.style.color = s.color || COLORS[idx % COLORS.length];
      item.addEventListener("click", function () { hidden[s.name] = !hidden[s.name]; item.classList.toggle("off"); draw(); });
      legend.appendChild(item);
    });
    box.parentNode.insertBefore(legend, box.nextSibling);
    draw();
    window.addEventListener("resize", function () { W = box.clientWidth || W; draw(); });
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
