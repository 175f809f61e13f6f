// The interactive page of symbellman: closed forms evaluated at the sliders' values.
// Data comes from symbellman/render/page_data.py (one JSON block in the page).
// Floats: Horner in u = 1 - gamma (stable near gamma = 1, as symbellman.numeric does).
// Exact: BigInt fractions at the sliders' rational values.
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("page-data").textContent);
  const M = DATA.model;
  const H = DATA.heads;  // each family's head as the page writes it (v_π, v*, ...)
  const N = M.states.length;
  const PARAMS = DATA.parameters;

  // ---------------------------------------------------------------- exact fractions
  const big0 = 0n, big1 = 1n;
  function gcd(a, b) { a = a < 0n ? -a : a; b = b < 0n ? -b : b; while (b) { [a, b] = [b, a % b]; } return a; }
  function Q(n, d) {
    if (d === undefined) d = big1;
    if (d === big0) return null;
    if (d < 0n) { n = -n; d = -d; }
    const g = gcd(n, d);
    return g > 1n ? { n: n / g, d: d / g } : { n, d };
  }
  const qadd = (a, b) => Q(a.n * b.d + b.n * a.d, a.d * b.d);
  const qsub = (a, b) => Q(a.n * b.d - b.n * a.d, a.d * b.d);
  const qmul = (a, b) => Q(a.n * b.n, a.d * b.d);
  const qdiv = (a, b) => Q(a.n * b.d, a.d * b.n);
  const qcmp = (a, b) => { const x = a.n * b.d - b.n * a.d; return x > 0n ? 1 : x < 0n ? -1 : 0; };
  const qstr = (a) => a.d === big1 ? a.n.toString() : a.n + "/" + a.d;
  function qnum(a) {
    // correctly rounded enough for display: scale huge numbers down first
    const bits = Math.max(a.n.toString(16).length, a.d.toString(16).length) * 4;
    if (bits < 1000) return Number(a.n) / Number(a.d);
    const shift = BigInt(bits - 900);
    return Number(a.n >> shift) / Number(a.d >> shift);
  }
  function parseQ(text) {
    text = String(text).trim().replace("−", "-");
    let m = /^([-+]?\d+)\s*\/\s*(\d+)$/.exec(text);
    if (m) return Q(BigInt(m[1]), BigInt(m[2]));
    m = /^([-+]?)(\d*)(?:\.(\d*))?$/.exec(text);
    if (m && (m[2] || m[3])) {
      const frac = m[3] || "";
      const n = BigInt((m[1] === "-" ? "-" : "") + (m[2] || "0") + frac);
      return Q(n, 10n ** BigInt(frac.length));
    }
    return null;
  }
  function shortQ(a, limit) {
    const s = qstr(a);
    return s.length <= (limit || 24) ? s : null;
  }

  // ---------------------------------------------------------------- model quantities
  // A quantity is "p/q" or {n: terms, d: terms}, terms [coefficient, e_1, ..., e_k] in the parameters.
  const QCACHE = new Map();
  function quantityQ(x, params) {
    if (typeof x === "string") {
      let v = QCACHE.get(x);
      if (!v) { v = parseQ(x); QCACHE.set(x, v); }
      return v;
    }
    const side = (terms) => terms.reduce((acc, t) => {
      let term = Q(BigInt(t[0]));
      for (let i = 1; i < t.length; i++) for (let e = 0; e < t[i]; e++) term = qmul(term, params[i - 1]);
      return qadd(acc, term);
    }, Q(big0));
    return qdiv(side(x.n), side(x.d));
  }
  function quantityF(x, params) {
    if (typeof x === "string") return qnum(quantityQ(x, []));
    const side = (terms) => terms.reduce((acc, t) => {
      let term = Number(t[0]);
      for (let i = 1; i < t.length; i++) term *= Math.pow(params[i - 1], t[i]);
      return acc + term;
    }, 0);
    return side(x.n) / side(x.d);
  }

  // ---------------------------------------------------------------- closed forms
  // Polynomials in (u, parameters): dense ["c0", "c1", ...] in u, or [[c, e_u, e_1, ...], ...].
  const POLY = DATA.polynomials.map((p) => {
    if (p.length && typeof p[0] === "string") {
      const c = p.map(BigInt);
      return { dense: c, degree: c.length - 1, degrees: [] };
    }
    const terms = p.map((t) => ({ c: BigInt(t[0]), e: t.slice(1) }));
    const k = terms.length ? terms[0].e.length : 1;
    const degrees = [];
    for (let i = 0; i < k; i++) degrees.push(Math.max(0, ...terms.map((t) => t.e[i])));
    return { terms, degree: degrees[0], degrees: degrees.slice(1) };
  });
  const FLOATS = new Map();
  function floats(index, e) {
    const key = index + ":" + (e || 0);
    let f = FLOATS.get(key);
    if (f) return f;
    const p = POLY[index];
    const toF = (c) => (e ? Number(c >> BigInt(e)) : Number(c));
    f = p.dense ? { dense: Float64Array.from(p.dense, toF) }
      : { terms: p.terms.map((t) => ({ c: toF(t.c), e: t.e })) };
    FLOATS.set(key, f);
    return f;
  }
  function hornerF(f, u, params) {
    let coeffs = f.dense;
    if (!coeffs) {
      const top = Math.max(...f.terms.map((t) => t.e[0]));
      coeffs = new Float64Array(top + 1);
      for (const t of f.terms) {
        let w = t.c;
        for (let i = 1; i < t.e.length; i++) if (t.e[i]) w *= Math.pow(params[i - 1], t.e[i]);
        coeffs[t.e[0]] += w;
      }
    }
    let out = 0;
    for (let k = coeffs.length - 1; k >= 0; k--) out = out * u + coeffs[k];
    return out;
  }
  function closedF(cf, u, params) {
    if (!cf) return 0;
    return hornerF(floats(cf.n, cf.e), u, params) / hornerF(floats(cf.d, cf.e), u, params);
  }
  // Exact: with u = U/B and parameter i = n_i/d_i, both polynomials are multiplied by
  // B^D * prod d_i^D_i (D the common degree), so only integers are added.
  function homogeneous(p, D, Ds, pw) {
    let sum = big0;
    if (p.dense) {
      for (let k = 0; k < p.dense.length; k++) if (p.dense[k]) sum += p.dense[k] * pw.U[k] * pw.B[D - k];
      return sum;
    }
    for (const t of p.terms) {
      let x = t.c * pw.U[t.e[0]] * pw.B[D - t.e[0]];
      for (let i = 1; i < t.e.length; i++) x *= pw.P[i - 1].n[t.e[i]] * pw.P[i - 1].d[Ds[i - 1] - t.e[i]];
      sum += x;
    }
    return sum;
  }
  function powers(q, upto) {
    const n = [big1], d = [big1];
    for (let k = 1; k <= upto; k++) { n.push(n[k - 1] * q.n); d.push(d[k - 1] * q.d); }
    return { n, d };
  }
  function makePowers(uQ, paramsQ, D, Ds) {
    const u = powers(uQ, D);
    return { U: u.n, B: u.d, P: paramsQ.map((q, i) => powers(q, Ds[i] || 0)) };
  }
  function closedQ(cf, uQ, paramsQ, cache) {
    if (!cf) return Q(big0);
    const a = POLY[cf.n], b = POLY[cf.d];
    const D = Math.max(a.degree, b.degree);
    const Ds = paramsQ.map((_, i) => Math.max(a.degrees[i] || 0, b.degrees[i] || 0));
    const key = D + ":" + Ds.join(",");
    let pw = cache.get(key);
    if (!pw) { pw = makePowers(uQ, paramsQ, D, Ds); cache.set(key, pw); }
    const den = homogeneous(b, D, Ds, pw);
    if (den === big0) return null;
    return Q(homogeneous(a, D, Ds, pw), den);
  }

  // ---------------------------------------------------------------- state of the page
  const S = {
    gamma: parseQ(DATA.sliders[0].start),
    params: DATA.sliders.slice(1).map((s) => parseQ(s.start)),
    view: "pi",     // the solution section's picture: "pi" (v_pi) or "iter" (v_k)
    focus: null,    // "opt": the fragment links to the section on optimality
    selected: null,
    iter: null,
  };
  const num = (q) => (q ? qnum(q) : NaN);
  const exactWanted = () => N <= DATA.exactStates;
  let R = {};   // the results at the current point (filled by compute)

  function currentSet() {
    const sets = DATA.optimal.sets;
    return sets.find((s) => s.at.every((v, i) => qcmp(parseQ(v), S.params[i]) === 0)) || null;
  }
  function pieceAt(set, g) {
    if (!set) return null;
    const pieces = set.pieces;
    const below = (point) => (point.exact ? qcmp(g, parseQ(point.exact)) < 0 : qnum(g) < Number(point.decimal));
    const equal = (point) => point.exact && qcmp(g, parseQ(point.exact)) === 0;
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i];
      if (!below(p.start) && below(p.end)) {
        const tie = i > 0 && equal(p.start) ? pieces[i - 1].tie : null;
        return { piece: p, index: i, tie, count: pieces.length };
      }
    }
    return { piece: pieces[pieces.length - 1], index: pieces.length - 1, tie: null, count: pieces.length };
  }

  function compute() {
    const g = S.gamma, u = 1 - qnum(g), uQ = qsub(Q(big1), g);
    const pf = S.params.map(qnum);
    const out = { vpi: [], vstar: null, vpiQ: null, vstarQ: null, piece: null };
    for (let i = 0; i < N; i++) out.vpi.push(closedF(DATA.values[i], u, pf));
    const set = currentSet();
    out.piece = pieceAt(set, g);
    if (out.piece) out.vstar = out.piece.piece.v.map((cf) => closedF(cf, u, []));
    if (exactWanted()) {
      const cache = new Map();
      out.vpiQ = DATA.values.map((cf) => closedQ(cf, uQ, S.params, cache));
      if (out.piece) {
        const c2 = new Map();
        out.vstarQ = out.piece.piece.v.map((cf) => closedQ(cf, uQ, [], c2));
      }
    }
    out.vpi = out.vpi.map((x, i) => (out.vpiQ && !out.vpiQ[i] ? NaN : x));
    R = out;
  }

  // one-step lookahead: q(s, a) = sum_o p (r + gamma v(s'))
  function qFloat(v, s, a) {
    const pf = S.params.map(qnum), g = qnum(S.gamma);
    let q = 0;
    for (const o of M.outcomes[s][a]) q += quantityF(o[1], pf) * (quantityF(o[2], pf) + g * v[o[0]]);
    return q;
  }
  function qExact(v, s, a) {
    let q = Q(big0);
    for (const o of M.outcomes[s][a]) {
      const p = quantityQ(o[1], S.params), r = quantityQ(o[2], S.params);
      q = qadd(q, qmul(p, qadd(r, qmul(S.gamma, v[o[0]]))));
    }
    return q;
  }
  function weightF(s, a) { return quantityF(M.policy[s][a], S.params.map(qnum)); }
  function weightQ(s, a) { return quantityQ(M.policy[s][a], S.params); }
  function greedy(v, exact) {
    const out = [];
    for (let s = 0; s < N; s++) {
      const acts = M.actions[s];
      if (!acts.length) { out.push([]); continue; }
      if (exact) {
        const qs = acts.map((_, a) => qExact(v, s, a));
        let best = qs[0];
        for (const q of qs) if (qcmp(q, best) > 0) best = q;
        out.push(qs.map((q, a) => (qcmp(q, best) === 0 ? a : -1)).filter((a) => a >= 0));
      } else {
        const qs = acts.map((_, a) => qFloat(v, s, a));
        const best = Math.max(...qs), tol = 1e-9 * Math.max(1, Math.abs(best));
        out.push(qs.map((q, a) => (q >= best - tol ? a : -1)).filter((a) => a >= 0));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- formatting
  function fmt(x, digits) {
    if (x === null || x === undefined || !isFinite(x)) return "—";
    if (Math.abs(x) < 0.5 * Math.pow(10, -digits)) x = 0;
    return x.toFixed(digits).replace("-", "−");
  }
  function setText(e, text) {
    // change the existing text node: cheaper for the browser than replacing it
    const node = e.firstChild;
    if (node && node.nodeType === 3 && !node.nextSibling) { if (node.data !== text) node.data = text; }
    else e.textContent = text;
  }
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  }
  const SVGNS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs) {
    const e = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    return e;
  }
  function mathml(html) { const t = document.createElement("template"); t.innerHTML = html; return t.content; }
  function colour(x, scale) {
    // diverging: red below 0, green above, white at 0
    if (!isFinite(x) || scale <= 0) return ["#eceff1", "#263238"];
    // 40 shades each way: a small move leaves most cells' colour (and style) untouched
    const t = Math.round(40 * Math.max(-1, Math.min(1, x / scale))) / 40;
    const a = Math.abs(t);
    const [r, g, b] = t >= 0 ? [46, 125, 50] : [198, 40, 40];
    const mix = (c) => Math.round(255 + (c - 255) * a * 0.85);
    return [`rgb(${mix(r)}, ${mix(g)}, ${mix(b)})`, a > 0.55 ? "#ffffff" : "#1b1b1b"];
  }

  // ---------------------------------------------------------------- sliders and the band
  const sliderBox = document.getElementById("sliders");
  const inputs = [];
  DATA.sliders.forEach((spec, k) => {
    const id = "slider-" + spec.name;
    const values = spec.values ? spec.values.map(parseQ) : null;
    const range = el("input", { type: "range", id, min: 0, max: values ? values.length - 1 : 100, step: 1,
      "aria-label": spec.name });
    const text = el("input", { type: "text", id: id + "-text", class: "typed", size: 8,
      "aria-label": spec.name + " (type a number such as 9/10)" });
    const name = el("label", { for: id, class: "symbol" }, mathml(spec.latex));
    const row = el("div", { class: "slider-row" + (spec.discount ? " discount" : "") }, name,
      el("div", { class: "track" }, range), text,
      el("span", { class: "decimal", id: id + "-decimal" }));
    sliderBox.append(row);
    const get = () => (k === 0 ? S.gamma : S.params[k - 1]);
    const set = (q) => { if (k === 0) S.gamma = q; else S.params[k - 1] = q; };
    const sync = () => {
      const q = get();
      if (values) {
        let best = 0;
        values.forEach((v, i) => { if (Math.abs(qnum(v) - qnum(q)) < Math.abs(qnum(values[best]) - qnum(q))) best = i; });
        range.value = best;
      } else range.value = Math.round(qnum(q) * 100);
      if (document.activeElement !== text) text.value = qstr(q);
      text.classList.remove("invalid");
      document.getElementById(id + "-decimal").textContent = "= " + fmt(qnum(q), 4).replace(/0+$/, "").replace(/\.$/, "");
    };
    range.addEventListener("input", () => {
      set(values ? values[+range.value] : Q(BigInt(range.value), 100n));
      changed(true);
    });
    text.addEventListener("change", () => {
      const q = parseQ(text.value);
      const ok = q && (!spec.discount || (q.n >= 0n && q.n <= q.d));
      text.classList.toggle("invalid", !ok);
      text.title = ok ? "" : (spec.discount ? "a number between 0 and 1, such as 9/10 or 0.9" : "a number such as 1/3 or 0.5");
      if (ok) { set(q); changed(false); }
    });
    inputs.push({ sync, text });
  });

  const PALETTE = ["#1565c0", "#ef6c00", "#2e7d32", "#6a1b9a", "#00838f", "#ad1457", "#9e9d24", "#4e342e"];
  let bandSet;
  function drawBand() {
    // the band depends on the parameters only: moving gamma moves the marker, no more
    const band = document.getElementById("band");
    const set = currentSet();
    if (!band || set === bandSet) return;
    bandSet = set;
    band.textContent = "";
    if (!set) {
      band.append(el("span", { class: "band-note", text: M.mrp ? "" : "optimal policy not computed at these parameter values" }));
      return;
    }
    set.pieces.forEach((p, i) => {
      const a = Number(p.start.decimal), b = Number(p.end.decimal);
      const seg = el("div", { class: "piece", title: "piece " + (i + 1) + ": " + p.start.text + " ≤ γ < " + p.end.text,
        style: `left:${a * 100}%;width:${(b - a) * 100}%;background:${PALETTE[i % PALETTE.length]}` });
      seg.dataset.piece = i;
      band.append(seg);
      if (i > 0) {
        // a label near the right end reads leftwards, so that it stays inside the band
        const label = el("div", { class: a > 0.6 ? "breakpoint right" : "breakpoint", style: `left:${a * 100}%` });
        label.dataset.exact = p.start.exact || p.start.text;
        if (p.start.exact) label.append(el("span", { class: "exact-label", text: p.start.exact }));
        else label.append(el("span", { class: "exact-label" }, mathml(p.start.mathml)));
        if (!p.start.exact) label.append(el("span", { class: "approx", text: "≈ " + Number(p.start.decimal).toFixed(4) }));
        band.append(label);
      }
    });
    band.append(el("div", { id: "band-marker", class: "marker" }));
    // say in words what the band shows
    const points = set.pieces.slice(1).map((p) => (p.start.exact ? "γ = " + p.start.exact : "γ ≈ " + Number(p.start.decimal).toFixed(4)));
    const caption = document.getElementById("band-caption");
    if (caption) caption.textContent = (set.pieces.length === 1 ? "One policy is optimal on all of 0 ≤ γ < 1."
      : `Each colour is a piece of 0 ≤ γ < 1 on which one policy is optimal: ${set.pieces.length} pieces, ` +
        `the policy changes at ${points.join(", ")}.`) + " The blue mark is the slider’s γ; click the band to move it.";
  }
  const bandBox = document.getElementById("band");
  if (bandBox) bandBox.addEventListener("click", (e) => {
    // a click on the band sets γ there (to the nearest hundredth)
    const box = bandBox.getBoundingClientRect();
    const x = Math.max(0, Math.min(100, Math.round(100 * (e.clientX - box.left) / box.width)));
    S.gamma = Q(BigInt(x), 100n);
    changed(false);
  });

  // ---------------------------------------------------------------- the pictures
  // Two pictures of the model: the solution section's (v_pi, or v_k while stepping) and
  // the optimality section's (v* and the optimal actions). Each is a grid (a model with
  // a layout) or the state diagram; a picture off screen is redrawn when it comes in
  // view or the browser is idle, so a slider move lays out only what can be seen.
  const GRID = DATA.picture.grid;
  const cellOf = new Array(N).fill(null);
  if (GRID) GRID.forEach((row, r) => row.forEach((s, c) => { if (s !== null) cellOf[s] = [r, c]; }));
  const pictures = [];
  function makePicture(box) {
    const pic = { box, show: box.dataset.show, cells: new Array(N).fill(null), nodes: new Array(N).fill(null),
      edgesOf: M.states.map((_, s) => M.actions[s].map(() => [])), visible: true, dirty: false };
    if (GRID) buildGrid(pic); else if (DATA.picture.svg) buildDiagram(pic);
    pictures.push(pic);
    return pic;
  }
  function buildGrid(pic) {
    const rows = GRID.length, cols = GRID[0].length;
    // cells of 44 to 96 pixels, the grid at most 560 pixels wide or the width of its box
    const part = pic.box.closest(".explorer") || pic.box.parentElement;
    const room = Math.min(560, (part.clientWidth || 600) - 40);
    const size = Math.max(36, Math.min(96, Math.floor(room / Math.max(rows, cols)) - 3));
    // a fixed size makes the grid a relayout boundary: a move does not re-lay out the page
    const grid = el("div", { class: size < 64 ? "grid small" : "grid", role: "grid", "aria-label": "the grid of states",
      style: `grid-template-columns: repeat(${cols}, ${size}px); grid-auto-rows: ${size}px; --cell: ${size}px;` +
        `width: ${cols * (size + 3) + 3}px; height: ${rows * (size + 3) + 3}px; contain: strict; box-sizing: border-box` });
    GRID.forEach((row) => row.forEach((s) => {
      if (s === null) { grid.append(el("div", { class: "cell wall", "aria-hidden": "true" })); return; }
      grid.append(makeCell(pic, s));
    }));
    pic.box.append(el("div", { class: "grid-scroll" }, grid));
    const outside = M.states.map((_, i) => i).filter((i) => cellOf[i] === null);
    if (outside.length) {
      const extra = el("div", { class: "grid outside", style: `grid-template-columns: repeat(${outside.length}, ${size}px); grid-auto-rows: ${size}px; --cell: ${size}px` });
      outside.forEach((s) => extra.append(makeCell(pic, s)));
      pic.box.append(el("p", { class: "caption", text: "Not on the grid:" }), extra);
    }
  }
  function makeCell(pic, s) {
    const cell = el("button", { class: "cell", type: "button", "data-state": M.states[s], "aria-label": M.states[s] });
    const arrows = svg("svg", { class: "arrows", viewBox: "-50 -50 100 100", "aria-hidden": "true" });
    cell.append(arrows, el("span", { class: "name", text: M.states[s] }), el("span", { class: "val" }));
    cell.addEventListener("click", () => select(s, false, pic.box));
    pic.cells[s] = cell;
    return cell;
  }
  function direction(s, a) {
    // where the action's successors lie on the grid: the mean displacement
    const pf = S.params.map(qnum);
    let dr = 0, dc = 0;
    if (!cellOf[s]) return null;
    for (const o of M.outcomes[s][a]) {
      const t = cellOf[o[0]];
      if (!t) continue;
      const p = quantityF(o[1], pf);
      dr += p * (t[0] - cellOf[s][0]); dc += p * (t[1] - cellOf[s][1]);
    }
    const len = Math.hypot(dr, dc);
    return len < 1e-12 ? [0, 0] : [dc / len, dr / len];
  }
  function drawArrows(cell, s, acts) {
    const box = cell.querySelector("svg.arrows");
    box.textContent = "";
    const seen = new Set();
    for (const a of acts) {
      const d = direction(s, a);
      if (!d) continue;
      const key = d.map((x) => x.toFixed(3)).join(",");
      if (seen.has(key)) continue;
      seen.add(key);
      if (d[0] === 0 && d[1] === 0) { box.append(svg("circle", { cx: 0, cy: 0, r: 6, class: "stay" })); continue; }
      const [x, y] = [d[0] * 38, d[1] * 38];
      const ang = Math.atan2(y, x), h = 15;
      box.append(svg("line", { x1: d[0] * 6, y1: d[1] * 6, x2: x, y2: y }));
      box.append(svg("polygon", { points: [[x + Math.cos(ang) * 4, y + Math.sin(ang) * 4],
        [x - h * Math.cos(ang - 0.5), y - h * Math.sin(ang - 0.5)],
        [x - h * Math.cos(ang + 0.5), y - h * Math.sin(ang + 0.5)]].map((p) => p.map((z) => z.toFixed(1)).join(",")).join(" ") }));
    }
    cell.dataset.actions = acts.map((a) => M.actions[s][a]).join(" ");
  }
  function buildDiagram(pic) {
    const picture = pic.box;
    picture.innerHTML = DATA.picture.svg;
    const root = picture.querySelector("svg");
    // Graphviz sizes are in points: draw at most 1.4 times that, never wider than the column
    const width = parseFloat(root.getAttribute("width"));
    if (width) root.style.maxWidth = Math.round(width * 1.4) + "px";
    root.removeAttribute("width"); root.removeAttribute("height");
    root.querySelectorAll("g.edge").forEach((g) => {
      const title = (g.querySelector("title") || {}).textContent || "";
      let m = /^s(\d+)->a\d+_(\d+)$/.exec(title) || /^a(\d+)_(\d+)->s\d+$/.exec(title);
      if (m) { const list = pic.edgesOf[+m[1]][+m[2]]; if (list) list.push(g); return; }
      m = /^s(\d+)->s\d+$/.exec(title);
      const label = g.querySelector("text");
      if (m && label) {
        const a = M.actions[+m[1]].indexOf(label.textContent.trim());
        if (a >= 0) pic.edgesOf[+m[1]][a].push(g);
      }
    });
    root.classList.add("diagram");
    root.querySelectorAll("g.node").forEach((g) => {
      const title = g.querySelector("title");
      const m = title && /^s(\d+)$/.exec(title.textContent.trim());
      if (!m) return;
      const s = +m[1];
      const shape = g.querySelector("ellipse, polygon, path");
      const label = svg("text", { class: "node-value", "text-anchor": "middle" });
      g.append(label);
      g.setAttribute("tabindex", "0");
      g.setAttribute("role", "button");
      g.setAttribute("aria-label", M.states[s]);
      g.classList.add("state-node");
      g.addEventListener("click", () => select(s, false, pic.box));
      g.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") select(s, false, pic.box); });
      pic.nodes[s] = { g, shape, label };
    });
    requestAnimationFrame(() => pic.nodes.forEach((n) => {
      if (!n) return;
      const b = n.shape.getBBox();
      n.label.setAttribute("x", b.x + b.width / 2);
      n.label.setAttribute("y", b.y + b.height + 13);
    }));
  }

  // ---------------------------------------------------------------- the table
  // The table is a grid of rows with ARIA table roles: rows off screen skip layout
  // (content-visibility), which keeps a slider move on a 10 x 10 grid within a frame.
  const tbody = document.querySelector("#values .tbody");
  const thead = document.querySelector("#values .thead");
  const rowsOf = [];
  const part = (role, cls, ...children) => el("div", { role, class: cls }, ...children);
  function buildTable() {
    const table = document.getElementById("values");
    table.classList.add(M.mrp ? "mrp" : "mdp");
    if (N > 12) document.getElementById("table-area").classList.add("long");
    const head = part("row", "tr head", part("columnheader", "th", "state"),
      part("columnheader", "th num", mathml(M.mrp ? "<math><mi>v</mi></math>" : "<math><msub><mi>v</mi><mi>π</mi></msub></math>")));
    if (!M.mrp) head.append(part("columnheader", "th num", mathml("<math><msub><mi>v</mi><mo>*</mo></msub></math>")));
    head.append(part("columnheader", "th num col-iter", mathml("<math><msub><mi>v</mi><mi>k</mi></msub></math>")));
    if (!M.mrp) head.append(part("columnheader", "th", "optimal actions"));
    thead.append(head);
    for (let s = 0; s < N; s++) {
      const tr = part("row", "tr");
      tr.dataset.state = M.states[s];
      tr.append(part("rowheader", "th", el("button", { type: "button", class: "link", text: M.states[s] })));
      const cellsRow = { vpi: part("cell", "td num vpi"), vstar: part("cell", "td num vstar"),
        vk: part("cell", "td num vk col-iter"), acts: part("cell", "td acts") };
      tr.append(cellsRow.vpi);
      if (!M.mrp) tr.append(cellsRow.vstar);
      tr.append(cellsRow.vk);
      if (!M.mrp) tr.append(cellsRow.acts);
      tr.querySelector("button").addEventListener("click", () => select(s, false, tr));
      tbody.append(tr);
      rowsOf.push(cellsRow);
    }
  }
  function fillNumber(td, x, q) {
    // update text in place: a slider move must not rebuild the table
    if (!td.firstChild) td.append(el("span", { class: "dec" }), el("span", { class: "frac" }));
    setText(td.firstChild, fmt(x, 3));
    let frac = "", title = "";
    if (q) {
      td.dataset.exact = qstr(q);
      const short = shortQ(q, 13);
      if (short && q.d !== big1) frac = "= " + short.replace("-", "−");
      else if (!short) title = "exactly " + qstr(q);
    } else delete td.dataset.exact;
    setText(td.lastChild, frac);
    if (td.title !== title) td.title = title;
  }

  // ---------------------------------------------------------------- rendering
  // what a picture shows: "opt" (v* and every optimal action), else the solution
  // section's view: "pi" (v_pi and its greedy actions) or "iter" (v_k while stepping)
  function shown(pic) { return pic.show === "opt" ? "opt" : S.view; }
  function viewValues(view) {
    if (view === "opt") return R.vstar ? { v: R.vstar, q: R.vstarQ } : { v: R.vpi.map(() => NaN), q: null };
    if (view === "iter" && S.iter) return { v: S.iter.vF, q: S.iter.vQ };
    return { v: R.vpi, q: R.vpiQ };
  }
  function optimalActions() {
    if (M.mrp || !R.piece) return null;
    const pol = R.piece.tie || R.piece.piece.policy;
    return M.states.map((_, s) => pol[s] || []);
  }
  function viewActions(view) {
    if (M.mrp) return null;
    if (view === "opt") return optimalActions();
    if (view === "iter" && S.iter) return S.iter.policy;
    return R.greedyPi;
  }
  let tableActions = null, idleFill = null, idlePictures = null;
  const whenIdle = window.requestIdleCallback ? (f) => requestIdleCallback(f, { timeout: 200 }) : (f) => setTimeout(f, 30);
  const cancelIdle = window.cancelIdleCallback ? (h) => cancelIdleCallback(h) : (h) => clearTimeout(h);
  // Large tables update only the rows in view at once: laying out 100 rows per slider
  // move would cost more than a frame.
  const rowVisible = new Array(N).fill(true), rowDirty = new Array(N).fill(false);
  function watchRows() {
    if (N <= DATA.exactStates || !window.IntersectionObserver) return;
    const area = document.getElementById("table-area");
    const seen = new IntersectionObserver((entries) => entries.forEach((e) => {
      const s = +e.target.dataset.index;
      rowVisible[s] = e.isIntersecting;
      if (e.isIntersecting && rowDirty[s]) fillRow(s);
    }), { root: area, rootMargin: "120px" });
    tbody.querySelectorAll(".tr").forEach((tr, s) => { tr.dataset.index = s; rowVisible[s] = false; seen.observe(tr); });
  }
  function watchPictures() {
    // a picture scrolled out of the window waits: it is redrawn when it comes in view
    if (!window.IntersectionObserver) return;
    const seen = new IntersectionObserver((entries) => entries.forEach((e) => {
      const pic = pictures.find((p) => p.box === e.target);
      pic.visible = e.isIntersecting;
      if (pic.visible && pic.dirty) drawPicture(pic);
    }), { rootMargin: "200px" });
    pictures.forEach((pic) => seen.observe(pic.box));
  }
  function fillRow(s) {
    rowDirty[s] = false;
    const row = rowsOf[s], acts = tableActions;
    fillNumber(row.vpi, R.vpi[s], R.vpiQ && R.vpiQ[s]);
    if (!M.mrp) fillNumber(row.vstar, R.vstar ? R.vstar[s] : NaN, R.vstarQ && R.vstarQ[s]);
    if (S.iter) fillNumber(row.vk, S.iter.vF[s], S.iter.vQ && S.iter.vQ[s]);
    if (!M.mrp) {
      const text = acts ? acts[s].map((a) => M.actions[s][a]).join(", ") : "—";
      if (row.acts.textContent !== text) row.acts.textContent = text;
    }
  }
  function drawPicture(pic) {
    pic.dirty = false;
    const view = shown(pic);
    const { v, q } = viewValues(view);
    const acts = viewActions(view);
    const finite = v.filter((x) => isFinite(x));
    const scale = Math.max(1e-12, ...finite.map(Math.abs));
    for (let s = 0; s < N; s++) {
      const [bg, fg] = colour(v[s], scale);
      const cell = pic.cells[s];
      if (cell) {
        if (cell._bg !== bg) { cell.style.background = bg; cell._bg = bg; }
        if (cell._fg !== fg) { cell.style.color = fg; cell._fg = fg; }
        const val = cell._val || (cell._val = cell.querySelector(".val"));
        setText(val, fmt(v[s], 1));
        if (q && q[s]) val.dataset.exact = qstr(q[s]); else delete val.dataset.exact;
      }
      const node = pic.nodes[s];
      if (node) { node.shape.style.fill = bg; node.label.textContent = fmt(v[s], 2); }
    }
    // redraw a cell's arrows only when its actions (or the parameters) change
    const paramKey = S.params.map(qstr).join();
    if (GRID) for (let s = 0; s < N; s++) {
      const cell = pic.cells[s];
      if (!cell) continue;
      const key = acts ? acts[s].join() + "|" + paramKey : "";
      if (cell._arrows === key) continue;
      cell._arrows = key;
      if (acts) drawArrows(cell, s, acts[s]); else { cell.querySelector("svg.arrows").textContent = ""; delete cell.dataset.actions; }
    }
    if (!GRID) pic.edgesOf.forEach((perAction, s) => perAction.forEach((gs, a) => {
      const chosen = !!acts && acts[s].includes(a);
      gs.forEach((g) => { if (g.classList.contains("chosen") !== chosen) g.classList.toggle("chosen", chosen); });
    }));
    if (pic.box.dataset.view !== view) pic.box.dataset.view = view;
  }
  function render(t) {
    let waiting = false;
    for (const pic of pictures) {
      if (pic.visible) drawPicture(pic); else { pic.dirty = true; waiting = true; }
    }
    if (waiting) {
      // pictures out of view follow when the browser is idle (or when they scroll in)
      if (idlePictures) cancelIdle(idlePictures);
      idlePictures = whenIdle(() => { idlePictures = null; pictures.forEach((p) => { if (p.dirty) drawPicture(p); }); });
    }
    if (t) t = lap("render-picture", t);
    tableActions = optimalActions();
    for (let s = 0; s < N; s++) {
      if (rowVisible[s]) fillRow(s); else rowDirty[s] = true;
    }
    if (rowDirty.some(Boolean)) {
      // rows scrolled out of view follow when the browser is idle (or when they scroll in)
      if (idleFill) cancelIdle(idleFill);
      idleFill = whenIdle(() => { idleFill = null; rowDirty.forEach((d, s) => { if (d) fillRow(s); }); });
    }
    if (document.body.classList.contains("has-iter") !== !!S.iter) document.body.classList.toggle("has-iter", !!S.iter);
    if (document.body.dataset.view !== S.view) document.body.dataset.view = S.view;
    setText(document.getElementById("values-caption"), "Values at γ = " + qstr(S.gamma) +
      (PARAMS.length ? ", " + PARAMS.map((p, i) => p + " = " + qstr(S.params[i])).join(", ") : ""));
    if (t) t = lap("render-table", t);
    const marker = document.getElementById("band-marker");
    if (marker) marker.style.left = (qnum(S.gamma) * 100) + "%";
    document.querySelectorAll("#band .piece").forEach((p) => {
      const current = !!R.piece && +p.dataset.piece === R.piece.index;
      if (p.classList.contains("current") !== current) p.classList.toggle("current", current);
    });
    caption();
    renderDetail();
  }
  function pieceText() {
    if (!R.piece) return "";
    const p = R.piece.piece;
    return `optimal on ${p.start.exact || "≈" + Number(p.start.decimal).toFixed(4)} ≤ γ < ${p.end.exact || "≈" + Number(p.end.decimal).toFixed(4)}` +
      (R.piece.tie ? " (at the breakpoint both pieces’ actions tie)" : "");
  }
  function caption() {
    const c = document.getElementById("picture-caption");
    const what = { pi: M.mrp ? "v(s) at γ = " + qstr(S.gamma) : H.v_pi + "(s) of the policy π" + (M.policyKind ? " (" + M.policyKind + ")" : "") + " at γ = " + qstr(S.gamma) + "; arrows: the greedy actions",
      iter: S.iter ? ALG[S.iter.alg] + ": v_" + S.iter.k + "(s); arrows: greedy actions" : "press “One sweep” below to start" }[S.view];
    setText(c, what);
    const o = document.getElementById("optimal-caption");
    if (o) {
      let text = H.v_star + "(s) at γ = " + qstr(S.gamma) + "; arrows: every optimal action (ties show several) — " + pieceText();
      if (!R.piece) text = H.v_star + " was computed only at the parameter values listed with the values above";
      setText(o, text);
    }
    const now = document.getElementById("piece-now");
    if (now && !M.mrp) setText(now, R.piece ? "piece " + (R.piece.index + 1) + " of " + R.piece.count + ": " + pieceText() : "");
  }

  // ---------------------------------------------------------------- the selected state
  const ALG = { pe: "iterative policy evaluation", vi: "value iteration", pi: "policy iteration" };
  function slotText(kind, index, values, exact) {
    if (kind === "g") return numberText(qnum(S.gamma), S.gamma);
    if (kind === "p") return numberText(qnum(S.params[index]), S.params[index]);
    return numberText(values.v[index], values.q && values.q[index]);
  }
  function numberText(x, q) {
    let t = q && shortQ(q, 10) && q.d <= 1000n ? qstr(q) : fmt(x, 3);
    t = t.replace("-", "−");
    return t.startsWith("−") ? "(" + t + ")" : t;
  }
  // The panel of the selected state is built once per state (and parameter values and
  // optimal piece); a slider move only refills its numbers.
  let detail = null;
  function equationBlock(title, general, eq, getValues, getRhs) {
    const box = el("div", { class: "equation" }, el("h4", { text: title }));
    const ways = el("ol", { class: "ways" });
    ways.append(el("li", {}, el("span", { class: "way", text: "in general" }), el("div", { class: "rows" }, mathml(general))));
    const model = el("div", { class: "rows" });
    eq.model.forEach((r, i) => model.append(el("div", { class: i ? "row cont" : "row" }, mathml(r))));
    ways.append(el("li", {}, el("span", { class: "way", text: "with the model’s numbers" }), model));
    const filled = el("div", { class: "rows current" });
    eq.values.forEach((r, i) => filled.append(el("div", { class: i ? "row cont" : "row" }, mathml(r))));
    const slots = [...filled.querySelectorAll("mn[data-slot]")].map((m) => [m, m.getAttribute("data-slot")]);
    const equals = el("span", { class: "equals" });
    filled.lastElementChild.append(equals);
    const label = el("span", { class: "way" });
    ways.append(el("li", {}, label, filled));
    box.append(ways);
    const update = () => {
      const values = getValues();
      slots.forEach(([m, slot]) => setText(m, slotText(slot[0], +slot.slice(1), values)));
      const [rhs, rhsQ] = getRhs();
      setText(equals, " = " + valueText(rhs, rhsQ));
      if (rhsQ) equals.dataset.exact = qstr(rhsQ); else delete equals.dataset.exact;
      setText(label, "with the current values (γ = " + qstr(S.gamma) + ")");
    };
    return { box, update };
  }
  function renderDetail() {
    const s = S.selected;
    if (s === null) return;
    const key = [s, S.params.map(qstr).join(), !!R.vstar, R.piece ? R.piece.index + ":" + !!R.piece.tie : ""].join("|");
    if (!detail || detail.key !== key) detail = buildDetail(s, key);
    detail.updates.forEach((f) => f());
  }
  function buildDetail(s, key) {
    const box = document.getElementById("detail");
    const updates = [];
    box.textContent = "";
    const back = el("button", { type: "button", id: "detail-back", class: "back", text: "↩ back to where you clicked" });
    back.hidden = !cameFrom;
    back.addEventListener("click", () => { if (cameFrom) cameFrom.scrollIntoView({ block: "center" }); });
    box.append(el("div", { class: "state-head" }, el("h4", { class: "state-title", text: "State " + M.states[s] }), back));
    if (M.terminal[s]) {
      box.append(el("p", { text: "A terminal state: its value is 0 and it has no equation." }));
      return { key, updates };
    }
    const eqs = (DATA.equations.states[s] || {});
    const cols = el("div", { class: "detail-cols" });
    const left = el("div", { class: "detail-eqs" });
    if (eqs.expectation) {
      // the right-hand side recomputed from the model: Σ_a π(a|s) q(s, a)
      const rhs = () => {
        let x = 0, xQ = R.vpiQ ? Q(big0) : null;
        M.actions[s].forEach((_, a) => {
          x += weightF(s, a) * qFloat(R.vpi, s, a);
          if (xQ) xQ = qadd(xQ, qmul(weightQ(s, a), qExact(R.vpiQ, s, a)));
        });
        return [x, xQ];
      };
      const block = equationBlock(M.mrp ? "Bellman equation of v" : "Bellman expectation equation (" + H.v_pi + ")",
        DATA.equations.general.expectation, eqs.expectation, () => ({ v: R.vpi, q: R.vpiQ }), rhs);
      left.append(block.box);
      updates.push(block.update);
    }
    if (eqs.optimality && R.vstar) {
      const rhs = () => {
        const x = Math.max(...M.actions[s].map((_, a) => qFloat(R.vstar, s, a)));
        const xQ = R.vstarQ ? M.actions[s].map((_, a) => qExact(R.vstarQ, s, a)).reduce((p, q) => (qcmp(p, q) >= 0 ? p : q)) : null;
        return [x, xQ];
      };
      const block = equationBlock("Bellman optimality equation (" + H.v_star + ")", DATA.equations.general.optimality,
        eqs.optimality, () => ({ v: R.vstar, q: R.vstarQ }), rhs);
      left.append(block.box);
      updates.push(block.update);
    }
    cols.append(left);
    const right = el("div", { class: "detail-side" });
    if (!M.mrp) {
      const table = actionTable(s);
      right.append(table.table);
      updates.push(table.update);
    }
    right.append(backupDiagram(s));
    cols.append(right);
    box.append(cols);
    return { key, updates };
  }
  function valueText(x, q) {
    const dec = fmt(x, 4);
    if (q) { const sq = shortQ(q, 30); if (sq && q.d !== big1) return sq.replace("-", "−") + " ≈ " + dec; }
    return dec;
  }
  function actionTable(s) {
    const t = el("table", { class: "qtable" });
    t.append(el("caption", { text: "Action values in " + M.states[s] }));
    t.append(el("tr", {}, el("th", { text: "action" }), el("th", { text: "π(a|s)" }), el("th", { text: H.q_pi + "(s, a)" }), el("th", { text: H.q_star + "(s, a)" })));
    const opt = R.piece ? ((R.piece.tie || R.piece.piece.policy)[s] || []) : [];
    const cellsOf = M.actions[s].map((name, a) => {
      const qp = el("td", { class: "num" }), qs = el("td", { class: "num" });
      t.append(el("tr", { class: opt.includes(a) ? "optimal" : "" }, el("th", { text: name + (opt.includes(a) ? " ★" : "") }),
        el("td", { text: qstr(weightQ(s, a)) }), qp, qs));
      return [qp, qs];
    });
    const update = () => cellsOf.forEach(([qp, qs], a) => {
      setText(qp, valueText(qFloat(R.vpi, s, a), R.vpiQ ? qExact(R.vpiQ, s, a) : null));
      setText(qs, valueText(R.vstar ? qFloat(R.vstar, s, a) : NaN, R.vstarQ ? qExact(R.vstarQ, s, a) : null));
    });
    return { table: t, update };
  }
  function backupDiagram(s) {
    // Sutton & Barto's backup diagram of v_pi(s): state (open), actions (filled), successors (open)
    const acts = M.actions[s];
    const leaves = acts.map((_, a) => M.outcomes[s][a].length);
    const total = leaves.reduce((x, y) => x + y, 0);
    const W = Math.max(240, total * 112), H = 196;
    const box = svg("svg", { class: "backup", viewBox: `0 0 ${W} ${H}`, width: Math.min(W, 560), role: "img",
      "aria-label": "backup diagram of " + M.states[s] });
    const text = (x, y, t, cls) => { const e = svg("text", { x, y, "text-anchor": "middle", class: "halo " + (cls || "") }); e.textContent = t; return e; };
    const rootX = W / 2, rootY = 18, actY = 70, leafY = 150;
    const labels = [];
    let leaf = 0;
    acts.forEach((name, a) => {
      const n = leaves[a];
      const x0 = ((leaf + n / 2) / total) * W;
      box.append(svg("line", { x1: rootX, y1: rootY, x2: x0, y2: actY }));
      M.outcomes[s][a].forEach((o, j) => {
        const x1 = ((leaf + j + 0.5) / total) * W;
        box.append(svg("line", { x1: x0, y1: actY, x2: x1, y2: leafY }));
        box.append(svg("circle", { cx: x1, cy: leafY, r: 9, class: "state" }));
        labels.push(text(x1, leafY + 26, M.states[o[0]]));
        const p = o[3] || qstr(quantityQ(o[1], S.params)), r = o[4] || qstr(quantityQ(o[2], S.params));
        labels.push(text((x0 + x1) / 2, (actY + leafY) / 2 + 16, (p === "1" ? "" : "p = " + p + ", ") + "r = " + r, "small"));
      });
      box.append(svg("circle", { cx: x0, cy: actY, r: 6, class: "action" }));
      if (!M.mrp) labels.push(text(x0, actY - 12, name + " (" + qstr(weightQ(s, a)) + ")", "act"));
      leaf += n;
    });
    box.append(svg("circle", { cx: rootX, cy: rootY, r: 11, class: "state root" }));
    const root = text(rootX + 16, rootY + 5, M.states[s], "act");
    root.setAttribute("text-anchor", "start");
    labels.push(root);
    labels.forEach((l) => box.append(l));
    return el("figure", { class: "backup-figure" }, box, el("figcaption", { text: "Backup diagram of " + M.states[s] +
      ": open circles are states, dots actions" + (M.mrp ? "" : " (with π(a|s))") + ", edges the outcomes." }));
  }
  let cameFrom = null;
  function select(s, quiet, from) {
    // the state's equations are in the section of the equations: clicking a state in a
    // picture or the table goes there, and a button there goes back
    S.selected = s;
    document.querySelectorAll(".selected").forEach((e) => e.classList.remove("selected"));
    pictures.forEach((pic) => {
      if (pic.cells[s]) pic.cells[s].classList.add("selected");
      if (pic.nodes[s]) pic.nodes[s].g.classList.add("selected");
    });
    const tr = tbody.querySelector(`.tr[data-state="${CSS.escape(M.states[s])}"]`);
    if (tr) tr.classList.add("selected");
    renderDetail();
    if (from) {
      cameFrom = from;
      const box = document.getElementById("detail-part");
      if (box && !box.contains(from)) box.scrollIntoView({ block: "start" });
      const back = document.getElementById("detail-back");
      if (back) back.hidden = false;
    }
    if (!quiet) writeHash();
  }

  // ---------------------------------------------------------------- stepping
  function zeroIter(alg, exact) {
    const vQ = exact ? M.states.map(() => Q(big0)) : null;
    const first = M.states.map((_, s) => (M.actions[s].length ? [0] : []));
    const it = { alg, exact, k: 0, vQ, vF: M.states.map(() => 0), delta: null, policy: null, pol: first, stable: false };
    it.policy = alg === "pi" ? first : greedy(exact ? vQ : it.vF, exact);
    return it;
  }
  function sweep(it) {
    const exact = it.exact;
    const v = exact ? it.vQ : it.vF;
    let next;
    if (it.alg === "pi") {
      if (it.k > 0) {
        const improved = greedy(v, exact).map((acts, s) => (acts.includes(it.pol[s][0]) ? it.pol[s] : acts.slice(0, 1)));
        it.stable = JSON.stringify(improved) === JSON.stringify(it.pol);
        it.pol = improved;
      }
      next = evaluatePolicy(it.pol, exact);
      if (!next) { it.error = "I − γP_π is singular for this policy (at γ = 1 it never ends)"; return; }
    } else {
      next = M.states.map((_, s) => {
        const acts = M.actions[s];
        if (!acts.length) return exact ? Q(big0) : 0;
        if (it.alg === "vi") {
          if (exact) return acts.map((_, a) => qExact(v, s, a)).reduce((x, y) => (qcmp(x, y) >= 0 ? x : y));
          return Math.max(...acts.map((_, a) => qFloat(v, s, a)));
        }
        if (exact) return acts.reduce((acc, _, a) => qadd(acc, qmul(weightQ(s, a), qExact(v, s, a))), Q(big0));
        return acts.reduce((acc, _, a) => acc + weightF(s, a) * qFloat(v, s, a), 0);
      });
    }
    const nextF = exact ? next.map(qnum) : next;
    it.delta = Math.max(0, ...nextF.map((x, i) => Math.abs(x - it.vF[i])));
    if (exact) {
      let best = Q(big0);
      next.forEach((x, i) => { const d = qsub(x, it.vQ[i]); const a = d.n < 0n ? Q(-d.n, d.d) : d; if (qcmp(a, best) > 0) best = a; });
      it.deltaQ = best;
      it.vQ = next;
    }
    it.vF = nextF;
    it.k += 1;
    it.policy = it.alg === "pi" ? it.pol : greedy(exact ? it.vQ : it.vF, exact);
  }
  function evaluatePolicy(pol, exact) {
    // solve (I - gamma P) v = r for the deterministic policy pol (first action of each state)
    const idx = [], where = new Array(N).fill(-1);
    M.states.forEach((_, s) => { if (M.actions[s].length) { where[s] = idx.length; idx.push(s); } });
    const n = idx.length;
    const zero = exact ? Q(big0) : 0, one = exact ? Q(big1) : 1;
    const add = exact ? qadd : (a, b) => a + b, mul = exact ? qmul : (a, b) => a * b;
    const sub = exact ? qsub : (a, b) => a - b, div = exact ? qdiv : (a, b) => a / b;
    const isZero = exact ? (a) => a.n === big0 : (a) => Math.abs(a) < 1e-14;
    const g = exact ? S.gamma : qnum(S.gamma), pf = S.params.map(qnum);
    const A = idx.map((s, i) => {
      const row = new Array(n + 1).fill(zero);
      row[i] = one;
      for (const o of M.outcomes[s][pol[s][0]]) {
        const p = exact ? quantityQ(o[1], S.params) : quantityF(o[1], pf);
        const r = exact ? quantityQ(o[2], S.params) : quantityF(o[2], pf);
        row[n] = add(row[n], mul(p, r));
        if (where[o[0]] >= 0) row[where[o[0]]] = sub(row[where[o[0]]], mul(g, p));
      }
      return row;
    });
    for (let c = 0; c < n; c++) {
      let pivot = -1;
      for (let r = c; r < n; r++) {
        if (!isZero(A[r][c]) && (pivot < 0 || (!exact && Math.abs(A[r][c]) > Math.abs(A[pivot][c])))) { pivot = r; if (exact) break; }
      }
      if (pivot < 0) return null;
      [A[c], A[pivot]] = [A[pivot], A[c]];
      for (let r = 0; r < n; r++) {
        if (r === c || isZero(A[r][c])) continue;
        const f = div(A[r][c], A[c][c]);
        for (let k = c; k <= n; k++) A[r][k] = sub(A[r][k], mul(f, A[c][k]));
      }
    }
    const out = M.states.map(() => zero);
    idx.forEach((s, i) => { out[s] = div(A[i][n], A[i][i]); });
    return out;
  }
  let running = null;
  const status = document.getElementById("step-status");
  function stepStatus() {
    const it = S.iter;
    if (!it) { status.textContent = ""; return; }
    const delta = it.delta === null ? "—" : (it.exact && it.deltaQ && shortQ(it.deltaQ, 20) ? shortQ(it.deltaQ, 20) + " ≈ " : "") + (it.delta === null ? "" : it.delta.toPrecision(4));
    status.innerHTML = "";
    status.append(el("span", { class: "k", text: "k = " + it.k }), " · ",
      el("span", { text: "largest change " }), el("span", { class: "delta", text: delta }),
      " · ", el("span", { text: it.exact ? "exact fractions" : "floating point" }),
      it.stable ? el("span", { class: "done", text: " · the policy is stable: it is optimal" }) : null,
      it.error ? el("span", { class: "error", text: " · " + it.error }) : null);
    status.dataset.k = it.k;
  }
  function ensureIter() {
    const alg = document.getElementById("algorithm").value, exact = document.getElementById("exact").checked;
    if (!S.iter || S.iter.alg !== alg || S.iter.exact !== exact) S.iter = zeroIter(alg, exact);
  }
  function oneSweep() {
    ensureIter();
    sweep(S.iter);
    setView("iter");
    stepStatus();
  }
  function stopRun() { if (running) { cancelAnimationFrame(running); running = null; } document.getElementById("run").textContent = "Run"; }
  document.getElementById("step").addEventListener("click", () => { stopRun(); oneSweep(); });
  document.getElementById("reset").addEventListener("click", () => {
    stopRun(); S.iter = null; ensureIter(); setView("iter"); stepStatus();
  });
  document.getElementById("run").addEventListener("click", () => {
    if (running) { stopRun(); return; }
    document.getElementById("run").textContent = "Pause";
    const g = qnum(S.gamma);
    const tol = g > 0 && g < 1 ? 1e-6 * (1 - g) / (2 * g) : 1e-6;
    const frame = () => {
      oneSweep();
      const it = S.iter;
      if (it.error || it.stable || (it.alg !== "pi" && it.delta !== null && it.delta < tol) || it.k >= 2000 || g === 0) { stopRun(); return; }
      running = requestAnimationFrame(frame);
    };
    running = requestAnimationFrame(frame);
  });
  ["algorithm", "exact"].forEach((id) => document.getElementById(id).addEventListener("change", () => {
    stopRun(); S.iter = null; stepStatus(); if (S.view === "iter") render();
  }));
  if (M.mrp) { document.querySelector('#algorithm option[value="vi"]').remove(); document.querySelector('#algorithm option[value="pi"]').remove(); }
  if (!exactWanted()) { document.getElementById("exact").checked = false; }

  // ---------------------------------------------------------------- views, URL fragment
  function setView(view, quiet) {
    S.view = view;
    if (!quiet) S.focus = null;
    document.querySelectorAll('input[name="view"]').forEach((r) => { r.checked = r.value === view; });
    render();
    if (!quiet) writeHash();
  }
  document.querySelectorAll('input[name="view"]').forEach((r) => r.addEventListener("change", () => setView(r.value)));
  let hashTimer = null;
  function writeHash() {
    // browsers throttle URL changes: write the fragment once the sliders rest
    if (hashTimer) clearTimeout(hashTimer);
    hashTimer = setTimeout(writeHashNow, 120);
  }
  function writeHashNow() {
    hashTimer = null;
    const parts = ["gamma=" + qstr(S.gamma)];
    PARAMS.forEach((p, i) => parts.push(encodeURIComponent(p) + "=" + qstr(S.params[i])));
    if (S.view !== "pi" || S.focus) parts.push("view=" + (S.focus || S.view));
    if (S.selected !== null) parts.push("state=" + encodeURIComponent(M.states[S.selected]));
    const hash = "#" + parts.join("&");
    // a sandboxed notebook frame (about:srcdoc) may refuse to change its URL
    try { if (location.hash !== hash) history.replaceState(null, "", hash); } catch (e) { /* no URL to share there */ }
  }
  function readHash() {
    const fields = {};
    location.hash.replace(/^#/, "").split("&").filter(Boolean).forEach((kv) => {
      const [k, v] = kv.split("=");
      fields[decodeURIComponent(k)] = decodeURIComponent(v || "");
    });
    if (fields.gamma !== undefined) { const q = parseQ(fields.gamma); if (q && q.n >= 0n && q.n <= q.d) S.gamma = q; }
    PARAMS.forEach((p, i) => { if (fields[p] !== undefined) { const q = parseQ(fields[p]); if (q) S.params[i] = q; } });
    // view=opt: the link is to the section on optimality (its picture shows v*)
    if (["pi", "iter"].includes(fields.view)) { S.view = fields.view; S.focus = null; }
    if (fields.view === "opt" && !M.mrp) S.focus = "opt";
    const s = M.states.indexOf(fields.state);
    return s >= 0 ? s : null;
  }
  const PROFILE = {};
  function lap(name, t0) {
    if (window.symbellmanForceLayout) void document.body.offsetHeight;  // attribute layout too
    PROFILE[name] = performance.now() - t0;
    return performance.now();
  }
  function changed(fromSlider) {
    let t = performance.now();
    compute();
    t = lap("compute", t);
    R.greedyPi = M.mrp ? null : greedy(R.vpiQ && R.vpiQ.every(Boolean) ? R.vpiQ : R.vpi, !!(R.vpiQ && R.vpiQ.every(Boolean)));
    t = lap("greedy", t);
    if (S.iter) { S.iter = null; stepStatus(); }
    inputs.forEach((i) => i.sync());
    drawBand();
    t = lap("band", t);
    render(t);
    t = lap("render", t);
    writeHash();
    lap("hash", t);
  }

  // ---------------------------------------------------------------- start
  const notes = [];
  if (DATA.picture.note) notes.push(DATA.picture.note);
  if (DATA.optimal.note) notes.push(DATA.optimal.note);
  if (DATA.equations.note) notes.push("Equations are not shown: " + DATA.equations.note + ".");
  if (DATA.optimal.sets.length && PARAMS.length) notes.push(H.v_star + " and the optimal policy over γ were computed at " +
    DATA.optimal.sets.map((s) => s.at.map((v, i) => PARAMS[i] + " = " + v).join(", ")).join("; ") + ".");
  if (!exactWanted()) notes.push(`Exact fractions are shown for models up to ${DATA.exactStates} states; this one has ${N}.`);
  const notesBox = document.getElementById("notes");
  notes.forEach((n) => notesBox.append(el("p", { class: "note", text: n })));
  document.querySelectorAll(".picture[data-show]").forEach(makePicture);
  buildTable();
  watchRows();
  watchPictures();
  const focus = () => { const part = S.focus && document.getElementById("optimal-part"); if (part) part.scrollIntoView({ block: "start" }); };
  const start = readHash();
  window.addEventListener("hashchange", () => { const s = readHash(); changed(false); if (s !== null) select(s, true); setView(S.view, true); focus(); });
  changed(false);
  setView(S.view, true);
  if (start !== null) select(start, true);
  focus();
  writeHashNow();
  // for tests and benchmarks: how long a slider move takes to re-render
  window.symbellmanPage = {
    state: S,
    parameters: PARAMS,
    profile: PROFILE,
    results: () => R,
    timeMove: (value) => {
      const range = document.getElementById("slider-" + DATA.sliders[0].name);
      const t0 = performance.now();
      range.value = value;
      range.dispatchEvent(new Event("input"));
      void document.body.offsetHeight;  // include style and layout in the time
      return performance.now() - t0;
    },
    // [move ms, ms of a fixed loop run just before it]: the loop tells how busy the
    // machine is at that moment, so a shared machine's load can be divided out
    measureMoves: (values) => values.map((v) => {
      const t0 = performance.now();
      let x = 0;
      for (let i = 0; i < 5e5; i++) x += Math.sqrt(i);
      const loop = performance.now() - t0 + (x < 0 ? 1 : 0);
      return [window.symbellmanPage.timeMove(v), loop];
    }),
  };
  window.symbellmanPage.readyAt = performance.now();
  document.body.dataset.ready = "true";
})();
