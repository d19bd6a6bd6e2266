// econsec dashboard: calls the JSON API, draws tables and inline-SVG charts, shows provenance
// and every API error in the panel that asked.
"use strict";

async function api(path, options) {
  const opts = Object.assign({ headers: { "Content-Type": "application/json" } }, options || {});
  if (opts.body && typeof opts.body !== "string") opts.body = JSON.stringify(opts.body);
  const r = await fetch(path, opts);
  let doc;
  try { doc = await r.json(); } catch (e) { doc = { error: `${r.status} ${r.statusText}` }; }
  if (!r.ok) throw new Error(`${r.status}: ${doc.error || r.statusText}`);
  return doc;
}

const $ = (sel, root) => (root || document).querySelector(sel);
const fmtNum = v => (v === null || v === undefined) ? "" : typeof v !== "number" ? String(v)
  : Number.isInteger(v) ? v.toLocaleString("en-US")
  : Math.abs(v) >= 1e4 ? Math.round(v).toLocaleString("en-US") : v.toPrecision(4);
const pct = v => (v === null || v === undefined) ? "" : (100 * v).toFixed(1) + " %";

function panelOf(node) { return node.closest(".panel"); }

function showError(panel, err) {
  const box = $(".error", panel);
  box.textContent = err ? String(err.message || err) : "";
  box.hidden = !err;
}

// Run fn for the panels it fills; errors land in the first panel's error box.
async function guarded(panels, fn) {
  panels.forEach(p => { showError(p, null); p.classList.add("busy"); });
  try { await fn(); } catch (e) { showError(panels[0], e); } finally {
    panels.forEach(p => p.classList.remove("busy"));
  }
}

function provenance(target, prov) {
  target.replaceChildren();
  const s = document.createElement("summary");
  const src = prov.source || prov.table || "";
  s.textContent = `Provenance: ${src}${prov.vintage ? " — " + prov.vintage : ""}`;
  target.append(s);
  const dl = document.createElement("dl");
  for (const [k, v] of Object.entries(prov)) {
    const dt = document.createElement("dt"); dt.textContent = k;
    const dd = document.createElement("dd");
    dd.textContent = typeof v === "object" && v !== null ? JSON.stringify(v) : String(v);
    dl.append(dt, dd);
  }
  target.append(dl);
}

function table(rows, columns, opts) {
  const o = opts || {};
  const t = document.createElement("table");
  const cols = columns || (rows.length ? Object.keys(rows[0]) : []);
  const head = t.createTHead().insertRow();
  for (const c of cols) { const th = document.createElement("th"); th.textContent = c.label || c.key || c; head.append(th); }
  if (o.actions) head.append(document.createElement("th"));
  const body = t.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    if (o.rowId) tr.dataset.id = o.rowId(r);
    for (const c of cols) {
      const key = c.key || c, v = r[key], td = tr.insertCell();
      td.textContent = c.fmt ? c.fmt(v) : key === "year" ? String(v) : fmtNum(v);
      if (typeof v === "number") { td.className = "num"; td.dataset.value = v; }
      td.dataset.col = key;
    }
    if (o.actions) { const td = tr.insertCell(); o.actions(r).forEach(b => td.append(b)); }
  }
  return t;
}

function formValues(form) { return Object.fromEntries(new FormData(form).entries()); }
function qs(params) {
  const p = Object.entries(params).filter(([, v]) => v !== "" && v !== null && v !== undefined);
  return p.length ? "?" + new URLSearchParams(p).toString() : "";
}

// -- tabs ---------------------------------------------------------------------------------
const loaded = new Set();
function openTab(name) {
  document.querySelectorAll("#tabs button").forEach(b => b.classList.toggle("active", b.dataset.tab === name));
  document.querySelectorAll(".tab").forEach(s => s.classList.toggle("active", s.id === "tab-" + name));
  if (!loaded.has(name)) { loaded.add(name); (LOADERS[name] || (() => {}))(); }
}
document.querySelectorAll("#tabs button").forEach(b => b.addEventListener("click", () => openTab(b.dataset.tab)));

// -- pair overview ------------------------------------------------------------------------
async function loadPair() {
  const f = formValues($("#pair-form"));
  const a = f.a.trim().toUpperCase(), b = f.b.trim().toUpperCase();
  const [pv, pc, pe] = ["#pair-a", "#pair-scores", "#pair-exposure"].map(s => panelOf($(s)));
  const year = f.year ? { year: f.year } : {};
  $("#pair-report").href = `/api/report/${encodeURIComponent(a)}/${encodeURIComponent(b)}` +
    qs({ ...year, format: "html" });
  await Promise.all([
    guarded([pv], async () => {
      const d = await api("/api/indicators/vulnerability" + qs(year));
      for (const [id, code] of [["#pair-a", a], ["#pair-b", b]]) {
        const card = $(id), row = d.rows.find(r => r.country === code);
        $("[data-role=country]", card).textContent = code;
        if (!row) throw new Error(`${code} is not among the importers of ${d.provenance.source} ${d.provenance.years}`);
        for (const k of ["rank", "iv"]) {
          const node = $(`[data-role=${k}]`, card);
          node.textContent = k === "iv" ? row.iv.toFixed(4) : String(row.rank);
          node.dataset.value = row[k];
        }
        $("[data-role=of]", card).textContent = String(d.rows.length);
      }
      provenance($("#prov-pair-vul"), d.provenance);
    }),
    guarded([pc], async () => {
      const d = await api(`/api/indicators/complementarity/${encodeURIComponent(a)}/${encodeURIComponent(b)}` + qs(year));
      $("#pair-scores").replaceChildren(table(d.tables.scores, ["direction", { key: "coverage", fmt: pct },
        "covered_usd", "imports_at_risk_usd", "n_products", "michaely_tc", "finger_kreinin_xs"]));
      const cols = ["product", "description", "top_supplier", { key: "top_supplier_share", fmt: pct },
        "imports_at_risk_usd", "covered_usd", { key: "coverage", fmt: pct }];
      for (const [imp, par, id] of [[a, b, "ab"], [b, a, "ba"]]) {
        $(`#pair-${id}-title`).textContent = `${par} covers ${imp}: top 10 items`;
        const rows = d.rows.filter(r => r.importer === imp && r.partner === par).slice(0, 10);
        $(`#pair-${id}`).replaceChildren(table(rows, cols));
      }
      provenance($("#prov-pair-comp"), d.provenance);
    }),
    guarded([pe], async () => {
      const d = await api("/api/indicators/exposure" + qs({ source: f.exposure_source, countries: `${a},${b}` }));
      const series = [];
      for (const c of [a, b]) for (const p of ["USA", "CHN"]) {
        const key = `${f.flow}_share_${p}`;
        series.push({ name: `${c} ${f.flow}s: ${p}`, points: d.rows.filter(r => r.country === c)
          .map(r => ({ x: r.year, y: r[key] === null ? null : 100 * r[key] })) });
      }
      $("#pair-exposure").replaceChildren(lineChart(series, { fmt: v => v.toFixed(1), ylabel: `% of ${f.flow}s` }));
      provenance($("#prov-pair-exp"), d.provenance);
    }),
  ]);
}
$("#pair-form").addEventListener("submit", e => { e.preventDefault(); loadPair(); });

// -- vulnerability ranking ----------------------------------------------------------------
async function loadVul() {
  const f = formValues($("#vul-form"));
  await guarded([panelOf($("#vul-chart"))], async () => {
    const d = await api("/api/indicators/vulnerability" + qs({ year: f.year, source: f.source, min_imports: f.min_imports }));
    const rows = d.rows.slice(0, +f.top || 30);
    const focus = new Set(["KOR", "JPN"]);
    $("#vul-chart").replaceChildren(hbarChart(rows.map(r => ({ label: `${r.rank}. ${r.country}`,
      value: r.iv, highlight: focus.has(r.country) })), { fmt: v => v.toFixed(3) }));
    provenance($("#prov-vul"), d.provenance);
  });
}
$("#vul-form").addEventListener("submit", e => { e.preventDefault(); loadVul(); });
async function loadVulSeries() {
  const f = formValues($("#vs-form"));
  await guarded([panelOf($("#vs-chart"))], async () => {
    const d = await api("/api/indicators/vulnerability-series" + qs({ source: f.source, countries: f.countries }));
    const names = [...new Set(d.rows.map(r => r.country))];
    const series = names.map(c => ({ name: c, points: d.rows.filter(r => r.country === c)
      .map(r => ({ x: r.year, y: r.iv })) }));
    $("#vs-chart").replaceChildren(lineChart(series, { fmt: v => v.toFixed(3), ylabel: "IV" }));
    provenance($("#prov-vs"), d.provenance);
  });
}
$("#vs-form").addEventListener("submit", e => { e.preventDefault(); loadVulSeries(); });

// -- scenarios ----------------------------------------------------------------------------
async function loadPresets() {
  await guarded([panelOf($("#sc-table"))], async () => {
    const d = await api("/api/scenarios");
    const sel = $("#sc-form select[name=name]");
    sel.replaceChildren(...d.rows.map(r => { const o = document.createElement("option");
      o.value = r.name; o.textContent = r.name; o.title = r.title; return o; }));
    sel.value = "china-60";
  });
}
async function runScenario() {
  const f = formValues($("#sc-form"));
  await guarded([panelOf($("#sc-table"))], async () => {
    $("#sc-title").textContent = `Running ${f.name}…`;
    const d = await api(`/api/scenarios/${encodeURIComponent(f.name)}/run`, { method: "POST",
      body: { model: f.model, sigma: +f.sigma, draws: +f.draws } });
    $("#sc-title").textContent = `${d.provenance.title}: results per economy (%)`;
    $("#sc-focus").replaceChildren(table(d.tables.focus || []));
    $("#sc-table").replaceChildren(table(d.rows));
    provenance($("#prov-sc"), d.provenance);
  });
}
$("#sc-form").addEventListener("submit", e => { e.preventDefault(); runScenario(); });

// -- decoupling ---------------------------------------------------------------------------
async function runDecoupling() {
  const f = formValues($("#dc-form"));
  await guarded([panelOf($("#dc-chart"))], async () => {
    const body = { focus: f.focus.split(",").map(s => s.trim().toUpperCase()).filter(Boolean) };
    if (f.barrier !== "") body.barrier = +f.barrier;
    const d = await api("/api/decoupling/all/run", { method: "POST", body });
    const rows = d.rows.filter(r => r.country !== "mean");
    const scen = Object.keys(d.rows[0]).filter(k => k !== "country");
    const vals = rows.flatMap(r => scen.map(s => r[s]));
    const lo = Math.min(0, ...vals), hi = Math.max(0, ...vals);
    $("#dc-chart").replaceChildren(...scen.map(s => {
      const div = document.createElement("div"); div.dataset.scenario = s;
      div.append(vbarChart(rows.map(r => ({ label: r.country, value: r[s] })), { title: s, lo, hi }));
      return div;
    }));
    provenance($("#prov-dc"), d.provenance);
  });
}
$("#dc-form").addEventListener("submit", e => { e.preventDefault(); runDecoupling(); });

// -- early-warning alerts -----------------------------------------------------------------
function actionButton(label, onClick) {
  const b = document.createElement("button"); b.type = "button"; b.textContent = label;
  b.addEventListener("click", onClick); return b;
}
async function loadAlerts() {
  const f = formValues($("#al-form"));
  await guarded([panelOf($("#al-table"))], async () => {
    const d = await api("/api/ews/alerts" + qs({ status: f.status }));
    const move = (id, what) => guarded([panelOf($("#al-table"))], async () => {
      const r = await api(`/api/ews/alerts/${id}/${what}`, { method: "POST", body: {} });
      $("#al-note").textContent = `alert ${id}: ${r.rows[0].status}`;
      await loadAlerts();
    });
    $("#al-table").replaceChildren(table(d.rows, ["alert_id", "importer", "classification", "product",
      "level", "score", "status", { key: "as_of", fmt: v => String(v).slice(0, 7) }], {
      rowId: r => r.alert_id,
      actions: r => [actionButton("ack", () => move(r.alert_id, "ack")),
                     actionButton("resolve", () => move(r.alert_id, "resolve"))],
    }));
    if (!d.rows.length) $("#al-note").textContent = "no alerts" + (f.status ? ` with status ${f.status}` : "");
    provenance($("#prov-al"), d.provenance);
  });
}
async function scanAlerts() {
  const f = formValues($("#al-form"));
  await guarded([panelOf($("#al-table"))], async () => {
    const body = { source: f.source };
    if (f.as_of) body.as_of = f.as_of;
    const d = await api("/api/ews/scan", { method: "POST", body });
    $("#al-note").textContent = `scan ${d.provenance.source} as of ${d.provenance.as_of}: ` +
      `${d.provenance.items} items, ${d.provenance.checked} checked, ${d.provenance.skipped} not due, ` +
      `${d.provenance.created.length} new, ${d.provenance.updated.length} updated`;
    await loadAlerts();
  });
}
$("#al-form").addEventListener("submit", e => { e.preventDefault(); loadAlerts(); });
$("#al-scan").addEventListener("click", scanAlerts);

// -- LNG ----------------------------------------------------------------------------------
async function loadLng() {
  const f = formValues($("#lng-form"));
  const [pp, po] = ["#lng-ind", "#lng-opt"].map(s => panelOf($(s)));
  await Promise.all([
    guarded([pp], async () => {
      const d = await api("/api/lng/portfolio" + qs({ importers: f.importers, year: f.year }));
      const sup = d.tables.suppliers;
      const imps = [...new Set(sup.map(r => r.importer))];
      $("#lng-shares").replaceChildren(...imps.map(imp => {
        const rows = sup.filter(r => r.importer === imp).sort((x, y) => y.share - x.share).slice(0, 12);
        const div = document.createElement("div"); div.dataset.importer = imp;
        div.append(vbarChart(rows.map(r => ({ label: r.supplier, value: 100 * r.share })),
          { title: `${imp} ${f.year}: supplier shares (%)`, width: 360, fmt: v => v.toFixed(1) }));
        return div;
      }));
      $("#lng-ind").replaceChildren(table(d.rows, ["importer", "year", "total_bcm", "n_suppliers", "hhi",
        "shannon", "rw_hhi", { key: "hormuz_share", fmt: pct }, "top_supplier", { key: "top_share", fmt: pct }]));
      provenance($("#prov-lng-pf"), d.provenance);
    }),
    guarded([po], async () => {
      const d = await api("/api/lng/optimize" + qs({ buyers: f.importers, year: f.year }));
      $("#lng-gain").replaceChildren(table(d.tables.gain));
      $("#lng-opt").replaceChildren(table(d.rows, ["mode", "buyer", "demand_mt", "cost_bn_usd",
        "avg_price_usd_mmbtu", "hhi", { key: "hormuz_share", fmt: pct }, "worst_shortfall_mt", "worst_supplier"]));
      provenance($("#prov-lng-opt"), d.provenance);
    }),
  ]);
}
$("#lng-form").addEventListener("submit", e => { e.preventDefault(); loadLng(); });

const LOADERS = { pair: loadPair, vulnerability: () => { loadVul(); loadVulSeries(); }, scenarios: loadPresets,
                  decoupling: runDecoupling, alerts: loadAlerts, lng: loadLng };

api("/api/health").then(d => {
  $("#health").textContent = `store ${d.provenance.db} (schema ${d.provenance.schema_version}` +
    `${d.provenance.read_only ? ", read-only" : ""})`;
}).catch(e => { $("#health").textContent = String(e.message); });
openTab("pair");
