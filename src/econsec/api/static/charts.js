// Inline-SVG charts (no library): horizontal bars, vertical bars, lines.
"use strict";

const SVGNS = "http://www.w3.org/2000/svg";
const PALETTE = ["#2e6f9e", "#d9822b", "#3a9d5d", "#8e5ea2", "#b22222", "#6b7b8c", "#c9a227", "#17a2b8"];

function el(name, attrs, text) {
  const e = document.createElementNS(SVGNS, name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function niceTicks(lo, hi, n) {
  if (lo === hi) { lo -= 1; hi += 1; }
  const raw = (hi - lo) / (n || 5);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map(m => m * mag).find(s => s >= raw);
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(+t.toPrecision(12));
  return out;
}

// Horizontal bars: items [{label, value, highlight}], one row each.
function hbarChart(items, opts) {
  const o = Object.assign({ width: 640, row: 16, left: 60, right: 70, fmt: v => v.toFixed(3) }, opts);
  const h = items.length * o.row + 30;
  const svg = el("svg", { width: o.width, height: h, viewBox: `0 0 ${o.width} ${h}`, role: "img" });
  const vals = items.map(d => d.value);
  const lo = Math.min(0, ...vals), hi = Math.max(0, ...vals);
  const x = v => o.left + (v - lo) / ((hi - lo) || 1) * (o.width - o.left - o.right);
  for (const t of niceTicks(lo, hi, 5)) {
    svg.append(el("line", { x1: x(t), x2: x(t), y1: 0, y2: h - 20, class: "grid" }));
    svg.append(el("text", { x: x(t), y: h - 6, "text-anchor": "middle" }, o.fmt(t)));
  }
  items.forEach((d, i) => {
    const y = i * o.row + 2;
    const g = el("g", { "data-label": d.label, "data-value": d.value });
    g.append(el("text", { x: o.left - 6, y: y + o.row * .7, "text-anchor": "end" }, d.label));
    g.append(el("rect", { x: Math.min(x(0), x(d.value)), y, height: o.row - 3,
      width: Math.max(1, Math.abs(x(d.value) - x(0))),
      fill: d.highlight ? "#d9822b" : d.value < 0 ? "#b22222" : "#2e6f9e" }));
    g.append(el("text", { x: Math.max(x(0), x(d.value)) + 4, y: y + o.row * .7 }, o.fmt(d.value)));
    svg.append(g);
  });
  svg.append(el("line", { x1: x(0), x2: x(0), y1: 0, y2: h - 20, class: "axis" }));
  return svg;
}

// Vertical bars with a title, for small multiples (Figure-2 style).
function vbarChart(items, opts) {
  const o = Object.assign({ width: 300, height: 214, title: "", lo: null, hi: null, fmt: v => v.toFixed(2) }, opts);
  const svg = el("svg", { width: o.width, height: o.height, viewBox: `0 0 ${o.width} ${o.height}`, role: "img" });
  const top = 22, bottom = 48, left = 38, right = 6;
  const vals = items.map(d => d.value);
  const lo = o.lo ?? Math.min(0, ...vals), hi = o.hi ?? Math.max(0, ...vals);
  const y = v => top + (hi - v) / ((hi - lo) || 1) * (o.height - top - bottom);
  const bw = (o.width - left - right) / Math.max(1, items.length);
  svg.append(el("text", { x: o.width / 2, y: 14, "text-anchor": "middle", "font-weight": 600 }, o.title));
  for (const t of niceTicks(lo, hi, 4)) {
    svg.append(el("line", { x1: left, x2: o.width - right, y1: y(t), y2: y(t), class: "grid" }));
    svg.append(el("text", { x: left - 4, y: y(t) + 4, "text-anchor": "end" }, o.fmt(t)));
  }
  items.forEach((d, i) => {
    const g = el("g", { "data-label": d.label, "data-value": d.value });
    const x0 = left + i * bw;
    g.append(el("rect", { x: x0 + bw * .15, width: bw * .7, y: Math.min(y(0), y(d.value)),
      height: Math.max(1, Math.abs(y(d.value) - y(0))), fill: d.value < 0 ? "#b22222" : "#2e6f9e" }));
    g.append(el("text", { x: x0 + bw / 2, y: o.height - bottom + 12, "text-anchor": "middle",
      transform: `rotate(45 ${x0 + bw / 2} ${o.height - bottom + 12})` }, d.label));
    const tip = el("title", {}, `${d.label}: ${o.fmt(d.value)}`);
    g.append(tip);
    svg.append(g);
  });
  svg.append(el("line", { x1: left, x2: o.width - right, y1: y(0), y2: y(0), class: "axis" }));
  return svg;
}

// Lines: series [{name, points: [{x, y}]}]; x numeric (years).
function lineChart(series, opts) {
  const o = Object.assign({ width: 640, height: 260, fmt: v => v.toFixed(2), ylabel: "" }, opts);
  const svg = el("svg", { width: o.width, height: o.height, viewBox: `0 0 ${o.width} ${o.height}`, role: "img" });
  const top = 10, bottom = 28, left = 48, right = 150;
  const pts = series.flatMap(s => s.points);
  if (!pts.length) return svg;
  const xs = pts.map(p => p.x), ys = pts.map(p => p.y).filter(v => v !== null);
  const x0 = Math.min(...xs), x1 = Math.max(...xs);
  const lo = Math.min(0, ...ys), hi = Math.max(...ys);
  const X = v => left + (x1 === x0 ? .5 : (v - x0) / (x1 - x0)) * (o.width - left - right);
  const Y = v => top + (hi - v) / ((hi - lo) || 1) * (o.height - top - bottom);
  for (const t of niceTicks(lo, hi, 5)) {
    svg.append(el("line", { x1: left, x2: o.width - right, y1: Y(t), y2: Y(t), class: "grid" }));
    svg.append(el("text", { x: left - 4, y: Y(t) + 4, "text-anchor": "end" }, o.fmt(t)));
  }
  for (const v of [...new Set(xs)].sort()) {
    svg.append(el("text", { x: X(v), y: o.height - 10, "text-anchor": "middle" }, String(v)));
  }
  if (o.ylabel) svg.append(el("text", { x: 4, y: top + 2, "font-size": 10 }, o.ylabel));
  series.forEach((s, i) => {
    const c = PALETTE[i % PALETTE.length];
    const ok = s.points.filter(p => p.y !== null).sort((a, b) => a.x - b.x);
    const g = el("g", { "data-series": s.name });
    g.append(el("polyline", { points: ok.map(p => `${X(p.x)},${Y(p.y)}`).join(" "), fill: "none",
      stroke: c, "stroke-width": 2 }));
    for (const p of ok) {
      const dot = el("circle", { cx: X(p.x), cy: Y(p.y), r: 3, fill: c, "data-x": p.x, "data-y": p.y });
      dot.append(el("title", {}, `${s.name} ${p.x}: ${o.fmt(p.y)}`));
      g.append(dot);
    }
    g.append(el("text", { x: o.width - right + 8, y: top + 12 + i * 15, fill: c }, s.name));
    svg.append(g);
  });
  return svg;
}
