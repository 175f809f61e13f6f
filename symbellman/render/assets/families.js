// The families after the discounted ones, on the interactive page (after page.js):
// the finite horizon (a stage slider, backward induction in exact fractions at the
// sliders' γ), linear TD(0) (the band of γ where the expected update is stable, and
// θ_TD at the slider's γ) and the average reward (gain, bias, chain structure).
// Data: symbellman/render/page_families.py. Every number shown is exact.
"use strict";
(function () {
  const PAGE = window.symbellmanPage;
  if (!PAGE) return;
  const DATA = JSON.parse(document.getElementById("page-data").textContent);
  const M = DATA.model, N = M.states.length, S = PAGE.state, X = PAGE.exact, PARAMS = DATA.parameters;
  const { Q, qadd, qmul, qcmp, qstr, parseQ, quantityQ } = X;
  const T = PAGE.T;
  if (!DATA.horizon && !DATA.td && !DATA.average) return;

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") e.textContent = v; else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c);
    return e;
  }
  function section(id, title) {
    const box = el("div", { id, class: "family", role: "region", "aria-labelledby": id + "-title" });
    box.append(el("h3", { id: id + "-title", class: "explorer-title", text: title }));
    return box;
  }
  // MathML for the columns' heads (as page.js writes its captions)
  const MATHML = "http://www.w3.org/1998/Math/MathML";
  function math(...children) {
    const m = document.createElementNS(MATHML, "math");
    children.forEach((c) => m.append(c));
    return m;
  }
  function mnode(tag, ...children) {
    const e = document.createElementNS(MATHML, tag);
    children.forEach((c) => e.append(typeof c === "string" ? c : c));
    return e;
  }
  const mi = (t) => mnode("mi", t), mo = (t) => mnode("mo", t);
  const ofS = () => [mo("("), mi("s"), mo(")")];
  function head(mathNode, words) {
    const c = el("th", {});
    if (mathNode) c.append(mathNode);
    if (words) c.append(words);
    return c;
  }
  function setText(e, text) { if (e.textContent !== text) e.textContent = text; }
  function cell(tag, text, exact) {
    const c = el(tag, { text });
    if (exact !== undefined) c.dataset.exact = exact;
    return c;
  }
  const gammaText = () => "γ = " + qstr(S.gamma);
  const params = () => S.params;

  // ---------------------------------------------------------------- finite horizon
  // Stage k counts the decisions still to make: k = H is the first, k = 1 the last,
  // and v_0 is the terminal reward. q_k(s, a) = Σ p (r + γ v_{k−1}(s')).
  const HZ = DATA.horizon;
  let stage = HZ ? HZ.H : 0;
  // exact BigInt fractions up to DATA.exactStates states (as page.js), floats beyond
  const exactHorizon = () => N <= DATA.exactStates;
  const EXACT = { zero: () => Q(0n), add: qadd, mul: qmul, cmp: qcmp, of: (q) => q, text: qstr };
  const FLOAT = { zero: () => 0, add: (a, b) => a + b, mul: (a, b) => a * b, cmp: (a, b) => (a > b ? 1 : a < b ? -1 : 0),
    of: (q) => X.qnum(q), text: (x) => String(Number(x.toPrecision(8))) };
  let A = EXACT;
  let moves = null, weights = null, g = null;   // the model at the sliders, once per move
  function backup(s, a, v) {
    let total = A.zero();
    for (const [to, p, r] of moves[s][a]) total = A.add(total, A.mul(p, A.add(r, A.mul(g, v[to]))));
    return total;
  }
  function inducted() {
    // every stage at the sliders' point: v_k^π, v_k* and every maximiser
    A = exactHorizon() ? EXACT : FLOAT;
    g = A.of(S.gamma);
    moves = M.outcomes.map((acts, s) => acts.map((outs, a) => outs.map((o, j) =>
      [o[0], A.of(quantityQ(o[1], params())), A.of(X.reward(s, a, j))])));
    weights = M.actions.map((acts, s) => acts.map((_, a) => A.of(X.weight(s, a))));
    const v0 = HZ.v0.map((x) => A.of(quantityQ(x, params())));
    const out = [{ vpi: v0, vstar: v0, acts: null }];
    for (let k = 1; k <= HZ.H; k++) {
      const prev = out[k - 1], vpi = [], vstar = [], acts = [];
      for (let s = 0; s < N; s++) {
        if (!M.actions[s].length) { vpi.push(A.zero()); vstar.push(A.zero()); acts.push([]); continue; }
        let mean = A.zero(), top = null, best = [];
        M.actions[s].forEach((_, a) => {
          mean = A.add(mean, A.mul(weights[s][a], backup(s, a, prev.vpi)));
          const q = backup(s, a, prev.vstar);
          const c = top === null ? 1 : A.cmp(q, top);
          if (c > 0) { top = q; best = [a]; } else if (c === 0) best.push(a);
        });
        vpi.push(mean); vstar.push(top); acts.push(best);
      }
      out.push({ vpi, vstar, acts });
    }
    return out;
  }
  const actionNames = (s, acts) => acts.map((a) => M.actions[s][a]).join(", ");
  function timeLeftNote(all) {
    // the states whose optimal actions change with the decisions left
    const lines = [];
    for (let s = 0; s < N; s++) {
      if (M.actions[s].length < 2) continue;
      const runs = [];
      for (let k = HZ.H; k >= 1; k--) {
        const key = all[k].acts[s].join(",");
        if (runs.length && runs[runs.length - 1].key === key) runs[runs.length - 1].low = k;
        else runs.push({ key, high: k, low: k, acts: all[k].acts[s] });
      }
      if (runs.length < 2) continue;
      lines.push(M.states[s] + ": " + runs.map((r) => (r.high === 1 && r.low === 1
        ? T("{actions} with {k} decision left", { actions: actionNames(s, r.acts), k: r.high })
        : T("{actions} with {k} decisions left", { actions: actionNames(s, r.acts), k: r.high === r.low ? r.high : T("{high} to {low}", { high: r.high, low: r.low }) }))).join(T("; ")));
    }
    return lines;
  }
  let horizonBox = null;
  function buildHorizon() {
    const box = section("horizon", HZ.H === 1 ? T("Finite horizon: backward induction, {H} decision", { H: HZ.H }) : T("Finite horizon: backward induction, {H} decisions", { H: HZ.H }));
    box.append(el("p", { text: T("Stage k counts the decisions still to make: k = {H} is the first decision (epoch 1), k = 1 the last (epoch {H}), and v₀ is the terminal reward. Move k to step through the stages; the values are exact at the γ above.", { H: HZ.H }) }));
    const range = el("input", { type: "range", id: "slider-stage", min: "1", max: String(HZ.H), step: "1", value: String(stage),
      "aria-label": T("decisions to go, k") });
    const shown = el("output", { id: "stage-value", for: "slider-stage", text: String(stage) });
    box.append(el("p", { class: "stage-slider" }, el("label", { for: "slider-stage", text: T("Decisions to go: k = ") }), shown, " ", range));
    range.addEventListener("input", () => { stage = Number(range.value); drawHorizon(); });
    const row = el("tr", {}, cell("th", T("state")), head(M.mrp ? math(mnode("msub", mi("v"), mi("k")), ...ofS())
      : math(mnode("msubsup", mi("v"), mi("k"), mi("π")), ...ofS())));
    if (!M.mrp) row.append(head(math(mnode("msubsup", mi("v"), mi("k"), mo("*")), ...ofS())), cell("th", T("optimal actions at stage k")));
    box.append(el("table", { id: "horizon-table", class: "values" }, el("thead", {}, row), el("tbody", {})));
    box.append(el("p", { id: "horizon-caption", class: "caption" }));
    box.append(el("div", { id: "horizon-note", class: "note" }));
    horizonBox = box;
    return box;
  }
  function drawHorizon() {
    if (!horizonBox) return;
    const all = inducted(), now = all[stage];
    document.getElementById("stage-value").textContent = String(stage);
    const body = horizonBox.querySelector("tbody");
    if (!body.rows.length) {
      // the rows once; a move changes their text only
      for (let s = 0; s < N; s++) {
        const row = el("tr", { "data-state": String(s) }, cell("th", M.states[s]), el("td", {}));
        if (!M.mrp) row.append(el("td", {}), el("td", {}));
        body.append(row);
      }
    }
    const text = (q) => (q === null || q === undefined ? "—" : A.text(q));
    const put = (td, q) => {
      setText(td, text(q));
      if (A === EXACT && q) td.dataset.exact = qstr(q); else delete td.dataset.exact;
    };
    for (let s = 0; s < N; s++) {
      const cells = body.rows[s].cells;
      put(cells[1], now.vpi[s]);
      if (!M.mrp) {
        put(cells[2], now.vstar[s]);
        const acts = now.acts[s];
        setText(cells[3], acts.length ? actionNames(s, acts) : "—");
        cells[3].dataset.actions = acts.map((a) => M.actions[s][a]).join("|");
      }
    }
    document.getElementById("horizon-caption").textContent = (stage === 1 ? T("With k = {k} decision to go, at {gamma}", { k: stage, gamma: gammaText() })
      : T("With k = {k} decisions to go, at {gamma}", { k: stage, gamma: gammaText() })) + (S.params.length ? T(" and the parameters above") : "") +
      (A === EXACT ? "." : T(", in floating point (exact fractions up to {n} states).", { n: DATA.exactStates }));
    const note = document.getElementById("horizon-note");
    note.textContent = "";
    if (!M.mrp) {
      const lines = timeLeftNote(all);
      note.append(el("p", { text: lines.length ? T("The optimal action depends on the time left. ") + lines.join(". ") + "."
        : T("The optimal actions are the same at every stage.") }));
      note.dataset.timeDependent = String(lines.length > 0);
    }
  }

  // ---------------------------------------------------------------- linear TD(0)
  const TD = DATA.td;
  let tdBox = null, tdShown;
  const below = (g, p) => (p.exact ? qcmp(g, parseQ(p.exact)) < 0 : X.qnum(g) < Number(p.decimal));
  const atMost = (g, p) => (p.exact ? qcmp(g, parseQ(p.exact)) <= 0 : X.qnum(g) <= Number(p.decimal));
  function tdIntervals() {
    // exact in γ alone, or at the parameters' values (the sets computed for the page)
    if (TD.intervals) return TD.intervals;
    const set = (TD.sets || []).find((t) => t.at.every((v, i) => qcmp(parseQ(v), S.params[i]) === 0));
    return set ? set.intervals : null;
  }
  function stableAt(intervals, g) {
    // inside an interval: after its start (or at it, when closed) and before its end
    return intervals.some((i) => (i.closedStart ? !below(g, i.start) : !atMost(g, i.start)) && below(g, i.end));
  }
  const pointText = (p) => (p.exact || ("≈ " + Number(p.decimal).toFixed(4)));
  function buildTD() {
    const box = section("td", T("Linear TD(0): where the expected update is stable"));
    box.append(el("p", { text: T("The expected TD(0) update θ ← θ + α (b − A(γ) θ), with A(γ) = Xᵀ D (I − γP) X and b = Xᵀ D r, is stable where every eigenvalue of A(γ) has a positive real part. Its fixed point is θ_TD = A⁻¹ b.") }));
    const area = el("div", { class: "band-area" });
    area.append(el("div", { class: "band-axis" }, el("span", { text: "γ = 0" }), el("span", { text: "γ = 1" })));
    const band = el("div", { id: "td-band", class: "band", role: "img", "aria-label": T("the intervals of γ where expected TD(0) is stable") });
    band.addEventListener("click", (e) => {
      // a click on the band sets γ there (to the nearest hundredth), as on the optimal band
      const r = band.getBoundingClientRect();
      const x = Math.max(0, Math.min(100, Math.round(100 * (e.clientX - r.left) / r.width)));
      PAGE.setGamma(Q(BigInt(x), 100n));
    });
    area.append(band);
    box.append(area);
    box.append(el("p", { id: "td-caption", class: "caption" }));
    box.append(el("p", { id: "td-status", class: "status" }));
    const row = el("tr", {}, cell("th", T("feature")), head(math(mnode("msub", mi("θ"), mnode("mtext", "TD"))), T(" at the slider’s γ")));
    box.append(el("table", { id: "td-table", class: "values" }, el("thead", {}, row), el("tbody", {})));
    if (TD.directions) box.append(el("p", { class: "note", text: T("The fixed point is not unique: the fixed points form a set of dimension {n} (the features are linearly dependent where D weighs the states), and the table shows one of them.", { n: TD.directions }) }));
    if (TD.note) box.append(el("p", { class: "note", text: TD.note }));
    tdBox = box;
    return box;
  }
  function drawTDBand(intervals) {
    const band = document.getElementById("td-band"), caption = document.getElementById("td-caption");
    band.textContent = "";
    if (!intervals) {
      const at = (TD.sets || []).map((t) => t.at.map((v, i) => PARAMS[i] + " = " + v).join(", ")).join("; ");
      caption.textContent = T("The stable intervals are exact at {points}; move the sliders there to see them.", { points: at || T("no parameter values") });
      return;
    }
    intervals.forEach((i, n) => {
      const a = Number(i.start.decimal), b = Number(i.end.decimal);
      const seg = el("div", { class: "piece td-stable", title: (i.closedStart ? "[" : "(") + pointText(i.start) + ", " + pointText(i.end) + T("): stable"),
        style: `left:${a * 100}%;width:${(b - a) * 100}%;background:#2e8b57` });
      seg.dataset.interval = String(n);
      band.append(seg);
    });
    const points = [];
    intervals.forEach((i) => [i.start, i.end].forEach((p) => {
      const d = Number(p.decimal);
      if (d > 0 && d < 1 && !points.some((q) => q.decimal === p.decimal)) points.push(p);
    }));
    points.forEach((p) => {
      const d = Number(p.decimal);
      const label = el("div", { class: d > 0.6 ? "breakpoint right td-breakpoint" : "breakpoint td-breakpoint", style: `left:${d * 100}%` });
      label.dataset.exact = p.exact || p.text;
      label.dataset.decimal = p.decimal;
      label.append(el("span", { class: "exact-label", text: p.exact || p.text }));
      if (!p.exact) label.append(el("span", { class: "approx", text: "≈ " + d.toFixed(4) }));
      band.append(label);
    });
    band.append(el("div", { id: "td-marker", class: "marker" }));
    const spans = intervals.map((i) => (i.closedStart ? "[" : "(") + pointText(i.start) + ", " + pointText(i.end) + ")");
    caption.textContent = (spans.length ? T("Green: stable for γ in {intervals}; elsewhere in [0, 1) the expected update diverges.", { intervals: spans.join(" ∪ ") })
      : T("The expected update is unstable for every γ in [0, 1).")) + " " + T("The blue mark is the slider’s γ; click the band to move it.");
  }
  function drawTD() {
    if (!tdBox) return;
    const g = S.gamma, intervals = tdIntervals();
    if (intervals !== tdShown) { tdShown = intervals; drawTDBand(intervals); }
    const status = document.getElementById("td-status");
    const marker = document.getElementById("td-marker");
    if (marker) marker.style.left = Math.max(0, Math.min(1, X.qnum(g))) * 100 + "%";
    if (intervals) {
      const stable = stableAt(intervals, g);
      status.textContent = stable ? T("At {gamma} the expected TD(0) update is stable.", { gamma: gammaText() })
        : T("At {gamma} the expected TD(0) update is unstable: it diverges.", { gamma: gammaText() });
      status.dataset.stable = String(stable);
    } else { status.textContent = ""; delete status.dataset.stable; }
    const body = tdBox.querySelector("tbody");
    body.textContent = "";
    TD.names.forEach((name, i) => {
      const value = TD.theta ? quantityQ(TD.theta[i], [g, ...S.params]) : null;
      body.append(el("tr", {}, cell("th", name), cell("td", value ? qstr(value) : T("— (A(γ) is singular here)"), value ? qstr(value) : "")));
    });
  }

  // ---------------------------------------------------------------- average reward
  function buildAverage() {
    const AV = DATA.average;
    const box = section("average", T("Average reward: gain and bias"));
    box.append(el("p", { text: T("The gain g = P* r is the long-run reward per step, and the bias h solves g + h = r + P h with P* h = 0. Both are exact and do not depend on γ.") }));
    if (AV.structure) box.append(el("p", { id: "average-structure", text: T("Chain structure of the policy: {structure}.", { structure: AV.structure }) }));
    const row = el("tr", {}, cell("th", T("state")), head(math(mi("g"), ...ofS()), T(" gain")), head(math(mi("h"), ...ofS()), T(" bias")));
    const best = AV.optimal;
    if (best) row.append(head(math(mnode("msup", mi("g"), mo("*")), ...ofS())), head(math(mnode("msup", mi("h"), mo("*")), ...ofS())),
      cell("th", T("Blackwell-optimal actions")));
    const body = el("tbody", {});
    for (let s = 0; s < N; s++) {
      const row = el("tr", {}, cell("th", M.states[s]));
      if (AV.gain) row.append(cell("td", AV.gain[s], AV.gain[s]), cell("td", AV.bias[s], AV.bias[s]));
      else row.append(cell("td", "—"), cell("td", "—"));
      if (best) row.append(cell("td", best.gain[s], best.gain[s]), cell("td", best.bias[s], best.bias[s]),
        cell("td", best.policy[s].map((a) => M.actions[s][a]).join(", ") || "—"));
      body.append(row);
    }
    box.append(el("table", { id: "average-table", class: "values" }, el("thead", {}, row), body));
    if (best) box.append(el("p", { id: "average-optimal-structure", text: T("Chain structure of the Blackwell-optimal policy: {structure}.", { structure: best.structure }) }));
    if (AV.note) box.append(el("p", { class: "note", text: AV.note }));
    return box;
  }

  // ---------------------------------------------------------------- start
  // each into its handout section's part (html.py's PLACES), else after the contents
  const handout = document.getElementById("handout") || document.getElementById("main");
  function place(part, id) {
    const home = document.getElementById(id);
    if (home) { home.append(part); return; }
    const first = handout && handout.querySelector("section");
    if (first) first.before(part); else if (handout) handout.append(part);
  }
  const parts = [];
  if (HZ) parts.push(buildHorizon());
  if (TD) parts.push(buildTD());
  if (DATA.average) parts.push(buildAverage());
  if (HZ) place(parts[0], "families-part");
  if (TD) place(parts[HZ ? 1 : 0], "projected-part");
  if (DATA.average) place(parts[parts.length - 1], "families-part");
  // the lecture view: the parts move beside the picture (#lecture-families), below the
  // selected state's equation, and back to where they were in the handout
  const marks = new Map();
  function lecture(on) {
    const spot = document.getElementById("lecture-families");
    if (!spot) return;
    for (const part of parts) {
      if (on && !marks.has(part)) {
        const mark = document.createComment(part.id);
        part.before(mark);
        marks.set(part, mark);
        spot.append(part);
      } else if (!on && marks.has(part)) {
        marks.get(part).replaceWith(part);
        marks.delete(part);
      }
    }
  }
  document.addEventListener("symbellman-lecture", (e) => lecture(e.detail));
  if (S.lecture) lecture(true);
  function draw() { drawHorizon(); drawTD(); }
  document.addEventListener("symbellman-changed", draw);
  draw();
})();
