// The interactive page of symbellman: closed forms evaluated at the sliders' values.
// Data comes from symbellman/render/page_data.py (one JSON block in the page).
// Floats: Horner in u = 1 - gamma (stable near gamma = 1, as symbellman.numeric does).
// Exact: BigInt fractions at the sliders' rational values.
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("page-data").textContent);
  // the page's words in its language: the catalogs' translations of every T("...") below,
  // put into the page's data by the writer; {name} is filled from values
  const WORDS = DATA.words || {};
  const T = (s, values) => (WORDS[s] || s).replace(/\{(\w+)\}/g,
    (m, k) => (values && k in values ? String(values[k]) : m));
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

  // Rewards set by hand (a click on a state): "s:a:j" -> the exact reward of outcome j.
  // While any is set, the closed forms in γ no longer describe the model: the values
  // are solved exactly at the sliders' point instead.
  const EDITS = new Map();
  const edited = () => EDITS.size > 0;
  const editKey = () => [...EDITS].map(([k, v]) => k + "=" + qstr(v)).join(";");
  function rewardQ(s, a, j) {
    return EDITS.get(s + ":" + a + ":" + j) || quantityQ(M.outcomes[s][a][j][2], S.params);
  }
  function rewardF(s, a, j, pf) {
    const e = EDITS.get(s + ":" + a + ":" + j);
    return e ? qnum(e) : quantityF(M.outcomes[s][a][j][2], pf);
  }
  const isOne = (q) => q.n === q.d;

  function compute() {
    const g = S.gamma, u = 1 - qnum(g), uQ = qsub(Q(big1), g);
    const pf = S.params.map(qnum);
    const exact = exactWanted();
    const out = { vpi: [], vstar: null, vpiQ: null, vstarQ: null, piece: null, solved: edited(), optActs: null };
    if (!edited()) {
      for (let i = 0; i < N; i++) out.vpi.push(closedF(DATA.values[i], u, pf));
      if (exact) { const cache = new Map(); out.vpiQ = DATA.values.map((cf) => closedQ(cf, uQ, S.params, cache)); }
    } else {
      // the model changed: v_π by an exact linear solve at this γ
      const v = evaluateWeights(M.states.map((_, s) => M.actions[s].map((_, a) => (exact ? weightQ(s, a) : weightF(s, a)))), exact, g);
      if (v) { out.vpiQ = exact ? v : null; out.vpi = exact ? v.map(qnum) : v; } else out.vpi = M.states.map(() => NaN);
    }
    const set = edited() ? null : currentSet();
    out.piece = pieceAt(set || sampledSet(), g);
    if (set && out.piece) {
      out.vstar = out.piece.piece.v.map((cf) => closedF(cf, u, []));
      if (exact) { const cache = new Map(); out.vstarQ = out.piece.piece.v.map((cf) => closedQ(cf, uQ, [], cache)); }
    } else if (!M.mrp) {
      // no closed form for v* at these values: exact policy iteration at this γ
      const best = solveOptimal(exact, g);
      if (best) { out.vstarQ = exact ? best.v : null; out.vstar = exact ? best.v.map(qnum) : best.v; }
    }
    out.vpi = out.vpi.map((x, i) => (out.vpiQ && !out.vpiQ[i] ? NaN : x));
    if (out.vstarQ && !out.vstarQ.every(Boolean)) { out.vstar = null; out.vstarQ = null; }
    if (out.vstar && !out.vstar.every((x) => isFinite(x))) out.vstar = null;
    // every optimal action at this very γ (ties at γ = 0 and at the breakpoints too):
    // the actions greedy with respect to v*, compared exactly
    if (!M.mrp && out.vstar) out.optActs = greedy(out.vstarQ || out.vstar, !!out.vstarQ, g);
    R = out;
  }

  // -- v* without closed forms: policy iteration (exact, or floats over exactStates)
  let lastOptimal = null;
  function solveOptimal(exact, g) {
    const first = () => M.states.map((_, s) => (M.actions[s].length ? [0] : []));
    let pol = lastOptimal && lastOptimal.length === N ? lastOptimal : first();
    if (isOne(g)) {
      // at γ = 1 a policy that never ends has no values: start from the optimal policy
      // just below 1, and keep it only if it ends (its equations have a solution)
      const near = solveOptimal(false, Q(999999n, 1000000n));
      if (near) pol = near.policy;
    }
    for (let k = 0; k < 200; k++) {
      let v = evaluatePolicy(pol, exact, g);
      if (!v && k === 0 && !isOne(g)) { pol = first(); v = evaluatePolicy(pol, exact, g); }
      if (!v) return null;
      const improved = greedy(v, exact, g).map((acts, s) => (acts.includes(pol[s][0]) ? pol[s] : acts.slice(0, 1)));
      if (improved.every((acts, s) => acts[0] === pol[s][0])) {
        if (!isOne(g)) lastOptimal = pol;
        return { v, policy: pol };
      }
      pol = improved;
    }
    return null;
  }

  // -- the band without closed forms: the optimal policy at sampled γ, its changes
  // found by bisection (to about 1e-9), so the breakpoints are decimals, not exact
  let sampled = { key: null, set: null }, sampling = null;
  function sampledSet() {
    if (M.mrp) return null;
    const key = S.params.map(qstr).join() + "|" + editKey();
    if (sampled.key === key) return sampled.set;
    if (N > 12) {
      // a big model's band takes a while: found once the sliders rest, then drawn
      clearTimeout(sampling);
      sampling = setTimeout(() => { sampling = null; findBand(key); changed(false); }, 300);
      return null;
    }
    return findBand(key);
  }
  function findBand(key) {
    const saved = lastOptimal;
    const signature = (x) => {
      const best = solveOptimal(false, Q(BigInt(Math.round(x * 1e12)), 1000000000000n));
      return best ? JSON.stringify(greedy(best.v, false, Q(BigInt(Math.round(x * 1e12)), 1000000000000n))) : "none";
    };
    const samples = 48, at = [], sig = [];
    for (let i = 0; i < samples; i++) { at.push((i + 0.5) / samples); sig.push(signature(at[i])); }
    const cuts = [];
    for (let i = 1; i < samples; i++) {
      if (sig[i] === sig[i - 1]) continue;
      let lo = at[i - 1], hi = at[i];
      for (let k = 0; k < 30; k++) { const mid = (lo + hi) / 2; if (signature(mid) === sig[i - 1]) lo = mid; else hi = mid; }
      cuts.push([(lo + hi) / 2, sig[i]]);
    }
    lastOptimal = saved;
    const point = (x) => ({ decimal: String(x), text: x === 0 ? "0" : x === 1 ? "1" : "≈ " + x.toFixed(4), exact: x === 0 ? "0" : x === 1 ? "1" : undefined });
    const bounds = [0, ...cuts.map((c) => c[0]), 1], sigs = [sig[0], ...cuts.map((c) => c[1])];
    const pieces = sigs.map((sg, i) => ({ start: point(bounds[i]), end: point(bounds[i + 1]),
      policy: sg === "none" ? {} : Object.fromEntries(JSON.parse(sg).map((acts, s) => [s, acts])), tie: null }));
    sampled = { key, set: { at: null, sampled: true, pieces } };
    return sampled.set;
  }

  // one-step lookahead: q(s, a) = sum_o p (r + gamma v(s'))
  function qFloat(v, s, a, gQ) {
    const pf = S.params.map(qnum), g = qnum(gQ || S.gamma);
    let q = 0;
    M.outcomes[s][a].forEach((o, j) => { q += quantityF(o[1], pf) * (rewardF(s, a, j, pf) + g * v[o[0]]); });
    return q;
  }
  function qExact(v, s, a, gQ) {
    const g = gQ || S.gamma;
    let q = Q(big0);
    M.outcomes[s][a].forEach((o, j) => {
      q = qadd(q, qmul(quantityQ(o[1], S.params), qadd(rewardQ(s, a, j), qmul(g, v[o[0]]))));
    });
    return q;
  }
  function weightF(s, a) { return quantityF(M.policy[s][a], S.params.map(qnum)); }
  function weightQ(s, a) { return quantityQ(M.policy[s][a], S.params); }
  function greedy(v, exact, g) {
    const out = [];
    for (let s = 0; s < N; s++) {
      const acts = M.actions[s];
      if (!acts.length) { out.push([]); continue; }
      if (exact) {
        const qs = acts.map((_, a) => qExact(v, s, a, g));
        let best = qs[0];
        for (const q of qs) if (qcmp(q, best) > 0) best = q;
        out.push(qs.map((q, a) => (qcmp(q, best) === 0 ? a : -1)).filter((a) => a >= 0));
      } else {
        const qs = acts.map((_, a) => qFloat(v, s, a, g));
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
  // Markup from the page's data (MathML, the Graphviz drawing) is parsed inert and
  // kept only as drawing: no script, no event handler, no link out, nothing embedded.
  const DROP = new Set(["script", "foreignobject", "iframe", "object", "embed", "img", "image", "a",
    "style", "link", "meta", "use", "animate", "set", "animatetransform", "animatemotion", "form", "input", "button"]);
  function inert(markup) {
    const t = document.createElement("template");
    t.innerHTML = markup;
    t.content.querySelectorAll("*").forEach((e) => {
      if (DROP.has(e.localName.toLowerCase())) { e.remove(); return; }
      for (const a of [...e.attributes]) {
        const name = a.name.toLowerCase();
        if (name.startsWith("on") || name === "href" || name.endsWith(":href") || name === "src" || name === "style") e.removeAttribute(a.name);
      }
    });
    return t.content;
  }
  const mathml = inert;
  // One colour scale for every picture on the page, the handout figures' own: the
  // lowest value shown white, the highest light blue (render/grid.py's WHITE and HIGH).
  // The value's text is whichever of black and white contrasts more with its cell
  // (WCAG's relative luminance); on this scale that is black, at 8.6:1 or more.
  const LOW_RGB = [255, 255, 255], HIGH_RGB = [120, 170, 225], NONE_RGB = [236, 239, 241];
  function luminance(rgb) {
    const lin = rgb.map((c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); });
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  }
  function contrast(a, b) { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); }
  function shade(x, lo, hi) {
    if (!isFinite(x)) return NONE_RGB;
    // 40 shades: a small move leaves most cells' colour (and style) untouched
    const t = hi > lo ? Math.round(40 * Math.max(0, Math.min(1, (x - lo) / (hi - lo)))) / 40 : 0;
    return LOW_RGB.map((w, i) => Math.round(w + t * (HIGH_RGB[i] - w)));
  }
  function colour(x, lo, hi) {
    const bg = shade(x, lo, hi);
    const fg = contrast(bg, [0, 0, 0]) >= contrast(bg, [255, 255, 255]) ? "#000000" : "#ffffff";
    return [`rgb(${bg.join(", ")})`, fg];
  }
  // the scale's ends: every value any picture shows at this point
  function scaleEnds() {
    const all = [];
    for (const pic of pictures) { const { v } = viewValues(shown(pic)); for (const x of v) if (isFinite(x)) all.push(x); }
    if (!all.length) return [0, 0];
    return [Math.min(...all), Math.max(...all)];
  }
  function drawLegends(lo, hi) {
    document.querySelectorAll(".legend-bar").forEach((box) => {
      if (box._ends === lo + ":" + hi) return;
      box._ends = lo + ":" + hi;
      box.querySelector(".lo").textContent = fmt(lo, 1);
      box.querySelector(".hi").textContent = fmt(hi, 1);
    });
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
      range.setAttribute("aria-valuetext", spec.name + " = " + qstr(q));
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
    const set = edited() ? sampledSet() : (currentSet() || sampledSet());
    if (!band || set === bandSet) return;
    bandSet = set;
    band.textContent = "";
    if (!set) {
      band.append(el("span", { class: "band-note", text: M.mrp ? "" : "finding the optimal policy's pieces at these values…" }));
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
        label.dataset.decimal = p.start.decimal;
        if (p.start.exact) label.append(el("span", { class: "exact-label", text: p.start.exact }));
        else if (p.start.mathml) label.append(el("span", { class: "exact-label" }, mathml(p.start.mathml)));
        if (!p.start.exact) label.append(el("span", { class: "approx", text: "≈ " + Number(p.start.decimal).toFixed(4) }));
        band.append(label);
      }
    });
    band.append(el("div", { id: "band-marker", class: "marker" }));
    // say in words what the band shows
    const points = set.pieces.slice(1).map((p) => (p.start.exact ? "γ = " + p.start.exact : "γ ≈ " + Number(p.start.decimal).toFixed(4)));
    const caption = document.getElementById("band-caption");
    if (caption) caption.textContent = (set.sampled ? (edited() ? T("You changed the model, so the closed forms in γ no longer apply: the pieces were found by solving at many γ, and the breakpoints are decimals, not exact. ") :
      T("At these parameter values the pieces were found by solving at many γ, and the breakpoints are decimals, not exact. ")) : "") + (set.pieces.length === 1 ? T("One policy is optimal on all of 0 ≤ γ < 1.")
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
    let size = Math.max(36, Math.min(96, Math.floor(room / Math.max(rows, cols)) - 3));
    if (pic.show === "lecture") {
      // the lecture view: the grid as tall as the window allows (less the legend and caption)
      const main = pic.box.parentElement;
      const high = (innerHeight - 16 - 92) / rows, wide = ((main.clientWidth || innerWidth * 0.6) - 8) / cols;
      size = Math.max(30, Math.floor(Math.min(high, wide)) - 3);
    }
    pic.size = size;
    // a fixed size makes the grid a relayout boundary: a move does not re-lay out the page
    const grid = el("div", { class: size < 64 && pic.show !== "lecture" ? "grid small" : "grid", role: "group",
      "aria-label": "the grid of states (arrow keys move between cells, Enter shows a state)",
      style: `grid-template-columns: repeat(${cols}, ${size}px); grid-auto-rows: ${size}px; --cell: ${size}px;` +
        `width: ${cols * (size + 3) + 3}px; height: ${rows * (size + 3) + 3}px; contain: strict; box-sizing: border-box` });
    GRID.forEach((row) => row.forEach((s) => {
      if (s === null) { grid.append(el("div", { class: "cell wall", "aria-hidden": "true" })); return; }
      grid.append(makeCell(pic, s));
    }));
    pic.box.append(el("div", { class: "grid-scroll" }, grid));
    grid.addEventListener("keydown", (e) => gridKey(pic, e));
    const first = pic.cells.find(Boolean);
    if (first) first.tabIndex = 0;
    const outside = M.states.map((_, i) => i).filter((i) => cellOf[i] === null);
    if (outside.length) {
      const extra = el("div", { class: "grid outside", style: `grid-template-columns: repeat(${outside.length}, ${size}px); grid-auto-rows: ${size}px; --cell: ${size}px` });
      outside.forEach((s) => extra.append(makeCell(pic, s)));
      pic.box.append(el("p", { class: "caption", text: T("Not on the grid:") }), extra);
    }
  }
  function makeCell(pic, s) {
    const cell = el("button", { class: "cell", type: "button", "data-state": M.states[s], "aria-label": M.states[s], tabindex: "-1" });
    const arrows = svg("svg", { class: "arrows", viewBox: "-50 -50 100 100", "aria-hidden": "true" });
    cell.append(arrows, el("span", { class: "name", text: M.states[s] }), " ", el("span", { class: "val" }));
    cell.addEventListener("click", () => select(s, false, pic.box));
    pic.cells[s] = cell;
    return cell;
  }
  function gridKey(pic, e) {
    // arrow keys move the focus between cells (one Tab stop for the whole grid)
    const step = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[e.key];
    const s = pic.cells.indexOf(e.target);
    if (!step || s < 0 || !cellOf[s]) return;
    e.preventDefault();
    let [r, c] = cellOf[s];
    for (;;) {
      r += step[0]; c += step[1];
      if (r < 0 || c < 0 || r >= GRID.length || c >= GRID[0].length) return;
      const t = GRID[r][c];
      if (t !== null && pic.cells[t]) { focusCell(pic, t); return; }
    }
  }
  function focusCell(pic, s) {
    pic.cells.forEach((c) => { if (c) c.tabIndex = -1; });
    pic.cells[s].tabIndex = 0;
    pic.cells[s].focus();
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
  function drawArrows(cell, s, acts, weights) {
    // an arrow per direction; with weights, its length is 40 · π(a|s) (a full arrow is 40)
    const box = cell.querySelector("svg.arrows");
    box.textContent = "";
    const dirs = new Map();
    for (const a of acts) {
      const d = direction(s, a);
      if (!d) continue;
      const key = d.map((x) => x.toFixed(3)).join(",");
      const w = weights ? weights[a] : 1;
      if (dirs.has(key)) dirs.get(key).w = weights ? dirs.get(key).w + w : 1; else dirs.set(key, { d, w });
    }
    for (const { d, w } of dirs.values()) {
      if (d[0] === 0 && d[1] === 0) { box.append(svg("circle", { cx: 0, cy: 0, r: 4 + 6 * Math.sqrt(w), class: "stay" })); continue; }
      const len = 44 * w, h = Math.max(4, Math.min(15, 0.55 * len));
      const [x, y] = [d[0] * len, d[1] * len];
      const ang = Math.atan2(y, x);
      if (len > h) box.append(svg("line", { x1: 0, y1: 0, x2: x - d[0] * h * 0.6, y2: y - d[1] * h * 0.6 }));
      box.append(svg("polygon", { points: [[x, y],
        [x - h * Math.cos(ang - 0.5), y - h * Math.sin(ang - 0.5)],
        [x - h * Math.cos(ang + 0.5), y - h * Math.sin(ang + 0.5)]].map((p) => p.map((z) => z.toFixed(1)).join(",")).join(" ") }));
    }
    cell.dataset.actions = acts.map((a) => M.actions[s][a]).join(" ");
    if (weights) cell.dataset.weights = acts.map((a) => weights[a]).join(" "); else delete cell.dataset.weights;
  }
  function buildDiagram(pic) {
    const picture = pic.box;
    picture.textContent = "";
    picture.append(inert(DATA.picture.svg));
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
      // its accessible name: what the node says (name, and a reward where drawn), then its value
      const said = [...g.querySelectorAll("text")].map((t) => t.textContent.trim()).filter(Boolean).join(" ") || M.states[s];
      const label = svg("text", { class: "node-value", "text-anchor": "middle" });
      g.append(label);
      g.setAttribute("tabindex", "0");
      g.setAttribute("role", "button");
      g.setAttribute("aria-label", M.states[s]);
      g.classList.add("state-node");
      g.addEventListener("click", () => select(s, false, pic.box));
      g.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") select(s, false, pic.box); });
      pic.nodes[s] = { g, shape, label, said };
    });
    // the value goes inside the state's shape, under its name: below the shape it
    // would sit on an edge's label, or fall off the drawing's edge
    const place = () => pic.nodes.forEach((n) => {
      if (!n || n.placed) return;
      const b = n.shape.getBBox();
      if (!b.height) return;
      n.placed = true;
      // the node's own lines (its name, a reward) move up half a line; the value goes under them
      const lines = [...n.g.querySelectorAll("text:not(.node-value)")];
      let last = b.y + b.height / 2 - 2;
      lines.forEach((t) => { const y = parseFloat(t.getAttribute("y")) - 7; t.setAttribute("y", y); last = Math.max(last, y); });
      n.label.setAttribute("x", b.x + b.width / 2);
      n.label.setAttribute("y", last + 14);
    });
    pic.place = place;
    requestAnimationFrame(place);
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
  function shown(pic) { return pic.show === "opt" ? "opt" : pic.show === "lecture" && S.lectureOpt && !M.mrp ? "opt" : S.view; }
  function viewValues(view) {
    if (view === "opt") return R.vstar ? { v: R.vstar, q: R.vstarQ } : { v: R.vpi.map(() => NaN), q: null };
    if (view === "iter" && S.iter) return { v: S.iter.vF, q: S.iter.vQ };
    return { v: R.vpi, q: R.vpiQ };
  }
  function optimalActions() {
    if (M.mrp || !R.optActs) return null;
    return R.optActs;
  }
  // the policy a picture draws: an arrow per action, as long as π(a|s) when the
  // policy is stochastic (the model's π, or π_k while evaluating and improving by hand)
  function policyWeights() {
    return M.states.map((_, s) => M.actions[s].map((_, a) => weightF(s, a)));
  }
  function viewWeights(view) {
    if (M.mrp || view === "opt") return null;
    if (view === "iter" && S.iter) return S.iter.weights || null;
    if (view === "iter") return null;
    return R.piWeights || (R.piWeights = policyWeights());
  }
  function viewActions(view) {
    if (M.mrp) return null;
    if (view === "opt") return optimalActions();
    if (view === "iter" && S.iter) return S.iter.policy;
    if (view === "iter") return null;
    return viewWeights(view).map((ws) => ws.map((w, a) => (w > 0 ? a : -1)).filter((a) => a >= 0));
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
      if (pic.visible && pic.place) pic.place();
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
  function drawPicture(pic, ends) {
    pic.dirty = false;
    const view = shown(pic);
    const { v, q } = viewValues(view);
    const acts = viewActions(view), weights = viewWeights(view);
    const [lo, hi] = ends || scaleEnds();
    for (let s = 0; s < N; s++) {
      const [bg, fg] = colour(v[s], lo, hi);
      const cell = pic.cells[s];
      if (cell) {
        if (cell._bg !== bg) { cell.style.background = bg; cell._bg = bg; }
        if (cell._fg !== fg) { cell.style.color = fg; cell._fg = fg; }
        const val = cell._val || (cell._val = cell.querySelector(".val"));
        const text = fmt(v[s], 1);
        setText(val, text);
        if (cell._label !== text) { cell._label = text; cell.setAttribute("aria-label", M.states[s] + " " + text); }
        if (q && q[s]) val.dataset.exact = qstr(q[s]); else delete val.dataset.exact;
      }
      const node = pic.nodes[s];
      if (node) {
        const text = fmt(v[s], 2);
        node.shape.style.fill = bg; node.label.style.fill = fg;
        if (node.label.textContent !== text) { node.label.textContent = text; node.g.setAttribute("aria-label", node.said + " " + text); }
      }
    }
    // redraw a cell's arrows only when its actions (or the parameters) change
    const paramKey = S.params.map(qstr).join();
    if (GRID) for (let s = 0; s < N; s++) {
      const cell = pic.cells[s];
      if (!cell) continue;
      const key = acts ? acts[s].join() + "|" + (weights ? weights[s].join() : "") + "|" + paramKey : "";
      if (cell._arrows === key) continue;
      cell._arrows = key;
      if (acts) drawArrows(cell, s, acts[s], weights && weights[s]); else { cell.querySelector("svg.arrows").textContent = ""; delete cell.dataset.actions; }
    }
    if (!GRID) pic.edgesOf.forEach((perAction, s) => perAction.forEach((gs, a) => {
      const chosen = !!acts && acts[s].includes(a);
      gs.forEach((g) => { if (g.classList.contains("chosen") !== chosen) g.classList.toggle("chosen", chosen); });
    }));
    if (pic.box.dataset.view !== view) pic.box.dataset.view = view;
  }
  function render(t) {
    let waiting = false;
    const ends = scaleEnds();
    drawLegends(ends[0], ends[1]);
    for (const pic of pictures) {
      if (pic.visible) drawPicture(pic, ends); else { pic.dirty = true; waiting = true; }
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
    setText(document.getElementById("values-caption"), T("Values at γ = {gamma}", { gamma: qstr(S.gamma) }) +
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
    renderPanel();
  }
  const atOne = () => isOne(S.gamma);
  function pieceText() {
    if (!R.piece) return "";
    const p = R.piece.piece;
    const a = p.start.exact || "≈ " + Number(p.start.decimal).toFixed(4), b = p.end.exact || "≈ " + Number(p.end.decimal).toFixed(4);
    if (atOne()) return R.vstar ? `optimal at γ = 1, as on the last piece ${a} ≤ γ < 1` : "";
    return `optimal on ${a} ≤ γ < ${b}` + (R.piece.tie ? " (at the breakpoint both pieces’ actions tie)" : "");
  }
  // why a value is missing at γ = 1: the return is an infinite sum, finite only if the
  // policy ends (reaches a terminal state) for sure
  function oneText(missing) {
    return atOne() && missing ? T("At γ = 1 these values do not exist: the return is a sum without discount, and it is finite only if the policy reaches a terminal state for sure. This one does not, so the cells show —. Move γ below 1.") : "";
  }
  // captions: their maths as MathML (v_π(s), v_k(s), v*(s)), their words as text
  const MATH = {
    pi: M.mrp ? "<math><mi>v</mi><mo>(</mo><mi>s</mi><mo>)</mo></math>" : "<math><msub><mi>v</mi><mi>π</mi></msub><mo>(</mo><mi>s</mi><mo>)</mo></math>",
    iter: "<math><msub><mi>v</mi><mi>k</mi></msub><mo>(</mo><mi>s</mi><mo>)</mo></math>",
    opt: "<math><msub><mi>v</mi><mo>*</mo></msub><mo>(</mo><mi>s</mi><mo>)</mo></math>",
  };
  function setCaption(box, math, text) {
    if (!box) return;
    if (!box._math) { box.textContent = ""; box._math = el("span", { class: "cap-math" }); box._text = el("span", { class: "cap-text" }); box.append(box._math, box._text); }
    if (box._mathKey !== math) { box._mathKey = math; box._math.textContent = ""; if (math) box._math.append(mathml(MATH[math])); }
    setText(box._text, text);
  }
  function caption() {
    const g = qstr(S.gamma), missingPi = R.vpi.some((x) => !isFinite(x));
    let pi;
    if (S.view === "pi") {
      pi = ["pi", (M.mrp ? " at γ = " + g : " of the policy π" + (M.policyKind ? " (" + M.policyKind + ")" : "") + " at γ = " + g +
        "; arrows: π(a|s), each as long as its probability") + (R.solved ? ". The model was changed by hand: the values are solved exactly at this γ." : "")];
    } else if (S.iter) {
      pi = ["iter", " after k = " + S.iter.k + " sweeps of " + ALG[S.iter.alg] + (S.iter.weights ? "; arrows: the policy being evaluated, π(a|s)" : "; arrows: the greedy actions")];
    } else pi = ["", "Press “" + document.getElementById("step").textContent + "” to start."];
    const opt = R.vstar ? ["opt", " at γ = " + g + "; arrows: every optimal action at this γ (ties show several) — " + pieceText()]
      : ["opt", atOne() ? " at γ = 1 does not exist here: the policy optimal just below 1 never ends, so its return at γ = 1 is an infinite sum. Move γ below 1."
        : " could not be computed at these values."];
    setCaption(document.getElementById("picture-caption"), ...pi);
    setCaption(document.getElementById("optimal-caption"), ...opt);
    setCaption(document.getElementById("lecture-caption"), ...(S.lectureOpt && !M.mrp ? opt : pi));
    const note = document.getElementById("gamma-note");
    if (note) setText(note, oneText(missingPi));
    const now = document.getElementById("piece-now");
    if (now && !M.mrp) setText(now, R.piece && (R.vstar || !atOne()) ? "piece " + (R.piece.index + 1) + " of " + R.piece.count + ": " + pieceText() : "");
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
    // each way is one scrolling box (reachable by Tab, for a keyboard to scroll it)
    ways.append(el("li", {}, el("span", { class: "way", text: T("in general") }), el("div", { class: "rows", tabindex: "0" }, mathml(general))));
    const model = el("div", { class: "rows", tabindex: "0" });
    eq.model.forEach((r, i) => model.append(el("div", { class: i ? "row cont" : "row" }, mathml(r))));
    ways.append(el("li", {}, el("span", { class: "way", text: T("with the model’s numbers") }), model));
    const filled = el("div", { class: "rows current", tabindex: "0" });
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
    box.append(el("div", { class: "state-head" }, el("h4", { class: "state-title", text: T("State {state}", { state: M.states[s] }) }), back));
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
      const block = equationBlock(M.mrp ? T("Bellman equation of v") : T("Bellman expectation equation ({head})", { head: H.v_pi }),
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
      const block = equationBlock(T("Bellman optimality equation ({head})", { head: H.v_star }), DATA.equations.general.optimality,
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
    t.append(el("caption", { text: T("Action values in {state}", { state: M.states[s] }) }));
    t.append(el("tr", {}, el("th", { text: T("action") }), el("th", { text: "π(a|s)" }), el("th", { text: H.q_pi + "(s, a)" }), el("th", { text: H.q_star + "(s, a)" })));
    const opt = R.optActs ? R.optActs[s] : [];
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
        const changedR = EDITS.get(s + ":" + a + ":" + j);
        const p = o[3] || qstr(quantityQ(o[1], S.params)), r = changedR ? qstr(changedR) : o[4] || qstr(quantityQ(o[2], S.params));
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
    return el("figure", { class: "backup-figure" }, box, el("figcaption", { text: M.mrp ?
      T("Backup diagram of {state}: open circles are states, dots actions, edges the outcomes.", { state: M.states[s] }) :
      T("Backup diagram of {state}: open circles are states, dots actions (with π(a|s)), edges the outcomes.", { state: M.states[s] }) }));
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
    panel = null;
    renderPanel();
    // the page stays where it is: the panel beside the picture shows the state, and
    // its link leads to the full equations (and back)
    if (from) cameFrom = from;
    if (!quiet) writeHash();
  }

  // ---------------------------------------------------------------- the state panel
  // Beside the picture: the selected state's Bellman equation with the current numbers
  // put in (built here from the model, so it stays right when a reward is changed), its
  // action values, and its rewards to change by hand.
  const MNS = "http://www.w3.org/1998/Math/MathML";
  function m(tag, ...children) {
    const e = document.createElementNS(MNS, tag);
    for (const c of children) e.append(typeof c === "string" ? c : c);
    return e;
  }
  const mi = (t) => m("mi", t), mo = (t) => m("mo", t), mtext = (t) => m("mtext", t);
  function mnum(x, q, bare) {
    // a short fraction as a fraction, else a decimal; negatives in parentheses
    if (q && q.d !== big1 && shortQ(q, 9)) {
      const neg = q.n < 0n, f = m("mfrac", m("mn", (neg ? -q.n : q.n).toString()), m("mn", q.d.toString()));
      return neg ? (bare ? m("mrow", mo("−"), f) : m("mrow", mo("("), mo("−"), f, mo(")"))) : f;
    }
    const t = q && q.d === big1 ? q.n.toString() : fmt(x, 3);
    if (t.startsWith("−") || t.startsWith("-")) return bare ? m("mn", t.replace("-", "−")) : m("mrow", mo("("), m("mn", t.replace("-", "−")), mo(")"));
    return m("mn", t);
  }
  const vOf = (star, name) => m("mrow", star ? m("msub", mi("v"), mo("*")) : M.mrp ? mi("v") : m("msub", mi("v"), mi("π")), mo("("), mtext(name), mo(")"));
  function backupTerms(s, a, v, vQ) {
    // Σ_s' p (r + γ v(s')) with the numbers put in: one list of nodes per outcome
    const outs = M.outcomes[s][a];
    return outs.map((o, j) => {
      const term = j ? [mo("+")] : [];
      const p = quantityQ(o[1], S.params), r = rewardQ(s, a, j);
      if (!(p.n === p.d)) term.push(mnum(qnum(p), p), mo("·"));
      const inner = [mnum(qnum(r), r), mo("+"), mnum(qnum(S.gamma), S.gamma), mo("·"), mnum(v[o[0]], vQ && vQ[o[0]])];
      if (outs.length > 1 || !(p.n === p.d)) term.push(mo("("), ...inner, mo(")")); else term.push(...inner);
      return term;
    });
  }
  function equationNumbers(s, star) {
    // rows: "v(s) = first action's term", "+ next action's term" ..., "= value"; each
    // outcome is its own <math>, so that a long row wraps between outcomes
    const v = star ? R.vstar : R.vpi, vQ = star ? R.vstarQ : R.vpiQ;
    const acts = M.actions[s], rows = [];
    const row = (chunks) => {
      const div = el("div", { class: "eq-row" });
      chunks.forEach((nodes, i) => { if (i) div.append(" "); div.append(m("math", m("mrow", ...nodes))); });
      return div;
    };
    const chunked = (head, terms, tail) => {
      terms[0].unshift(...head);
      terms[terms.length - 1].push(...tail);
      return row(terms);
    };
    if (star) {
      acts.forEach((_, a) => rows.push(chunked(a === 0 ? [vOf(true, M.states[s]), mo("="), mi("max"), mo("{")] : [],
        backupTerms(s, a, v, vQ), [mo(a === acts.length - 1 ? "}" : ",")])));
    } else {
      acts.forEach((_, a) => {
        const w = weightQ(s, a);
        if (w.n === big0) return;
        const head = rows.length ? [mo("+")] : [vOf(false, M.states[s]), mo("=")];
        if (w.n === w.d) rows.push(chunked(head, backupTerms(s, a, v, vQ), []));
        else rows.push(chunked([...head, mnum(qnum(w), w), mo("·"), mo("[")], backupTerms(s, a, v, vQ), [mo("]")]));
      });
    }
    const x = star ? Math.max(...acts.map((_, a) => qFloat(v, s, a))) : acts.reduce((t, _, a) => t + weightF(s, a) * qFloat(v, s, a), 0);
    let xQ = null;
    if (vQ) xQ = star ? acts.map((_, a) => qExact(vQ, s, a)).reduce((p, q) => (qcmp(p, q) >= 0 ? p : q))
      : acts.reduce((t, _, a) => qadd(t, qmul(weightQ(s, a), qExact(vQ, s, a))), Q(big0));
    const last = row([[mo("="), mnum(x, xQ, true)]]);
    last.classList.add("eq-value");
    last.dataset.exact = xQ ? qstr(xQ) : "";
    rows.slice(1).forEach((r) => r.classList.add("cont"));
    rows.push(last);
    return rows;
  }
  let panel = null;
  function renderPanel() {
    const box = document.getElementById("state-panel");
    const s = S.selected;
    if (!box || s === null) return;
    if (!panel || panel.s !== s) {
      box.textContent = "";
      const link = el("a", { href: "#detail-part", class: "more", text: T("all its equations and its backup diagram") });
      link.addEventListener("click", (e) => { e.preventDefault(); if (document.body.classList.contains("lecture")) toggleLecture(false); document.getElementById("detail-part").scrollIntoView({ block: "start" }); });
      const eqs = el("div", { class: "panel-eqs" });
      box.append(el("h4", { class: "state-title", text: T("State {state}", { state: M.states[s] }) }), eqs, rewardEditor(s), el("p", { class: "more-line" }, link));
      panel = { s, eqs };
    }
    panel.eqs.textContent = "";
    if (M.terminal[s] || !M.actions[s].length) { panel.eqs.append(el("p", { text: "A terminal state: its value is 0." })); return; }
    if (R.vpi.every((x) => isFinite(x))) panel.eqs.append(el("div", { class: "eq-numbers", "data-kind": "pi", tabindex: "0" }, ...equationNumbers(s, false)));
    if (!M.mrp && R.vstar) panel.eqs.append(el("div", { class: "eq-numbers", "data-kind": "star", tabindex: "0" }, ...equationNumbers(s, true)));
  }
  function rewardEditor(s) {
    // each outcome's reward, exactly: type 5, -1/2 or 0.25; the model changes at once
    const box = el("details", { class: "rewards" });
    box.append(el("summary", { text: T("Change the rewards of {state}", { state: M.states[s] }) }));
    if (!M.actions[s].length) return el("div");
    const table = el("table", { class: "qtable" });
    table.append(el("tr", {}, el("th", { text: M.mrp ? "" : T("action") }), el("th", { text: T("to") }), el("th", { text: "p" }), el("th", { text: "r" })));
    M.actions[s].forEach((name, a) => M.outcomes[s][a].forEach((o, j) => {
      const key = s + ":" + a + ":" + j;
      const input = el("input", { type: "text", class: "typed reward", size: 6, "data-key": key,
        "aria-label": "reward of " + (M.mrp ? "" : name + " ") + "from " + M.states[s] + " to " + M.states[o[0]] });
      input.value = qstr(rewardQ(s, a, j));
      input.addEventListener("change", () => {
        const q = parseQ(input.value);
        input.classList.toggle("invalid", !q);
        input.title = q ? "" : "a number such as 5, -1/2 or 0.25";
        if (!q) return;
        const original = quantityQ(o[2], S.params);
        if (qcmp(q, original) === 0) EDITS.delete(key); else EDITS.set(key, q);
        modelChanged();
      });
      table.append(el("tr", {}, el("td", { text: a === 0 || j === 0 ? name : "" }), el("td", { text: M.states[o[0]] }),
        el("td", { text: qstr(quantityQ(o[1], S.params)) }), el("td", {}, input)));
    }));
    const undo = el("button", { type: "button", class: "plain undo", text: T("Undo every change") });
    undo.addEventListener("click", () => { EDITS.clear(); box.querySelectorAll("input.reward").forEach((i) => { const [ss, a, j] = i.dataset.key.split(":").map(Number); i.value = qstr(rewardQ(ss, a, j)); }); modelChanged(); });
    box.append(table, undo);
    if (EDITS.size) box.open = true;
    return box;
  }
  function modelChanged() {
    // the closed forms in γ describe the model as written: say so while it is changed
    lastOptimal = null;
    sampled = { key: null, set: null };
    detail = null;
    document.body.classList.toggle("edited", edited());
    const note = document.getElementById("edited-note");
    if (note) note.hidden = !edited();
    changed(false);
  }

  // ---------------------------------------------------------------- stepping
  function zeroIter(alg, exact) {
    const vQ = exact ? M.states.map(() => Q(big0)) : null;
    const first = M.states.map((_, s) => (M.actions[s].length ? [0] : []));
    const it = { alg, exact, k: 0, vQ, vF: M.states.map(() => 0), delta: null, policy: null, pol: first, stable: false, improved: 0 };
    if (alg === "pe") {
      // the policy being evaluated: the model's π until "Improve the policy" changes it
      it.wQ = M.states.map((_, s) => M.actions[s].map((_, a) => (exact ? weightQ(s, a) : Q(big0))));
      it.weights = M.states.map((_, s) => M.actions[s].map((_, a) => weightF(s, a)));
      if (!exact) it.wQ = null;
    }
    it.policy = alg === "pi" ? first : alg === "pe" ? positive(it.weights) : greedy(exact ? vQ : it.vF, exact);
    return it;
  }
  const positive = (weights) => weights.map((ws) => ws.map((w, a) => (w > 0 ? a : -1)).filter((a) => a >= 0));
  function improve(it) {
    // policy improvement: π(a|s) shared equally by the actions greedy for v_k (exactly)
    const best = greedy(it.exact ? it.vQ : it.vF, it.exact);
    const before = JSON.stringify(it.weights);
    it.weights = M.states.map((_, s) => M.actions[s].map((_, a) => (best[s].includes(a) ? 1 / best[s].length : 0)));
    if (it.exact) it.wQ = M.states.map((_, s) => M.actions[s].map((_, a) => (best[s].includes(a) ? Q(big1, BigInt(best[s].length)) : Q(big0))));
    it.policy = positive(it.weights);
    it.improved += 1;
    it.unchanged = JSON.stringify(it.weights) === before;
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
        if (exact) return acts.reduce((acc, _, a) => (it.wQ[s][a].n === big0 ? acc : qadd(acc, qmul(it.wQ[s][a], qExact(v, s, a)))), Q(big0));
        return acts.reduce((acc, _, a) => (it.weights[s][a] ? acc + it.weights[s][a] * qFloat(v, s, a) : acc), 0);
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
    it.policy = it.alg === "pi" ? it.pol : it.alg === "pe" ? positive(it.weights) : greedy(exact ? it.vQ : it.vF, exact);
  }
  function evaluatePolicy(pol, exact, g) {
    // the deterministic policy pol (first action of each state)
    const one = exact ? Q(big1) : 1, zero = exact ? Q(big0) : 0;
    return evaluateWeights(M.states.map((_, s) => M.actions[s].map((_, a) => (pol[s] && pol[s][0] === a ? one : zero))), exact, g);
  }
  function evaluateWeights(w, exact, gQ) {
    // solve (I - gamma P_w) v = r_w for the policy with weights w[s][a], by Gauss-Jordan
    const idx = [], where = new Array(N).fill(-1);
    M.states.forEach((_, s) => { if (M.actions[s].length) { where[s] = idx.length; idx.push(s); } });
    const n = idx.length;
    const zero = exact ? Q(big0) : 0, one = exact ? Q(big1) : 1;
    const add = exact ? qadd : (a, b) => a + b, mul = exact ? qmul : (a, b) => a * b;
    const sub = exact ? qsub : (a, b) => a - b, div = exact ? qdiv : (a, b) => a / b;
    const isZero = exact ? (a) => a.n === big0 : (a) => Math.abs(a) < 1e-14;
    const g = exact ? (gQ || S.gamma) : qnum(gQ || S.gamma), pf = S.params.map(qnum);
    const A = idx.map((s, i) => {
      const row = new Array(n + 1).fill(zero);
      row[i] = one;
      M.outcomes[s].forEach((outs, a) => {
        const wa = w[s][a];
        if (isZero(wa)) return;
        outs.forEach((o, j) => {
          const p = mul(wa, exact ? quantityQ(o[1], S.params) : quantityF(o[1], pf));
          const r = exact ? rewardQ(s, a, j) : rewardF(s, a, j, pf);
          row[n] = add(row[n], mul(p, r));
          if (where[o[0]] >= 0) row[where[o[0]]] = sub(row[where[o[0]]], mul(g, p));
        });
      });
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
      el("span", { text: T("largest change ") }), el("span", { class: "delta", text: delta }),
      " · ", el("span", { text: it.exact ? "exact fractions" : "floating point" }),
      ...[it.improved ? el("span", { class: "improved", text: " · π improved " + it.improved + (it.improved === 1 ? " time" : " times") +
          (it.unchanged ? " (the last improvement changed nothing: π is greedy for its own values once they settle)" : "") }) : null,
        it.stable ? el("span", { class: "done", text: " · the policy is stable: it is optimal" }) : null,
        it.error ? el("span", { class: "error", text: " · " + it.error }) : null].filter(Boolean));
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
  function stopRun() {
    if (running) { cancelAnimationFrame(running.frame); clearTimeout(running.timer); running = null; }
    document.getElementById("run").textContent = T("Run");
  }
  document.getElementById("step").addEventListener("click", () => { stopRun(); oneSweep(); });
  document.getElementById("improve").addEventListener("click", () => {
    stopRun();
    ensureIter();
    improve(S.iter);
    setView("iter");
    stepStatus();
  });
  function stepLabels() {
    const alg = document.getElementById("algorithm").value;
    document.getElementById("step").textContent = { pe: T("Evaluate one sweep"), vi: T("One sweep of value iteration"), pi: T("One step of policy iteration") }[alg];
    document.getElementById("improve").hidden = alg !== "pe" || M.mrp;
    if (M.mrp) document.querySelector('#algorithm option[value="pe"]').textContent = T("Iterative evaluation of v");
  }
  document.getElementById("reset").addEventListener("click", () => {
    stopRun(); S.iter = null; ensureIter(); setView("iter"); stepStatus();
  });
  document.getElementById("run").addEventListener("click", () => {
    if (running) { stopRun(); return; }
    document.getElementById("run").textContent = T("Pause");
    const g = qnum(S.gamma);
    const tol = g > 0 && g < 1 ? 1e-6 * (1 - g) / (2 * g) : 1e-6;
    // the speed a teacher can narrate: 1, 2 or 5 sweeps a second, or one per frame
    const next = () => {
      const speed = +document.getElementById("speed").value;
      running = speed ? { timer: setTimeout(frame, 1000 / speed) } : { frame: requestAnimationFrame(frame) };
    };
    const frame = () => {
      oneSweep();
      const it = S.iter;
      if (it.error || it.stable || (it.alg !== "pi" && it.delta !== null && it.delta < tol) || it.k >= 2000 || g === 0) { stopRun(); return; }
      next();
    };
    next();
  });
  ["algorithm", "exact"].forEach((id) => document.getElementById(id).addEventListener("change", () => {
    stopRun(); S.iter = null; stepStatus(); stepLabels(); if (S.view === "iter") render();
  }));
  stepLabels();
  if (M.mrp) { document.querySelector('#algorithm option[value="vi"]').remove(); document.querySelector('#algorithm option[value="pi"]').remove(); }
  if (!exactWanted()) { document.getElementById("exact").checked = false; }

  // ---------------------------------------------------------------- views, URL fragment
  function setView(view, quiet) {
    S.view = view;
    if (!quiet) { S.focus = null; S.lectureOpt = false; }
    document.querySelectorAll('input[name="view"]').forEach((r) => { r.checked = r.value === view; });
    document.querySelectorAll('input[name="lecture-view"]').forEach((r) => { r.checked = r.value === (S.lectureOpt ? "opt" : view); });
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
    if (S.lecture) parts.push("lecture=1");
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
    S.lecture = fields.lecture === "1";
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

  // ---------------------------------------------------------------- the lecture view
  // One screen to teach from: the picture as tall as the window, and beside it the
  // sliders, the stepping, the band and the selected state's equation (the same
  // elements as in the handout view, moved here and back). Key L or the button switches.
  const HOMES = [["controls", null], ["step-box", "step-home"], ["band-area", "band-home"], ["state-panel", "state-home"]];
  const SPOTS = { controls: "lecture-controls", "step-box": "lecture-stepping", "band-area": "lecture-band", "state-panel": "lecture-state" };
  const controlsMark = document.createComment("controls");
  const controlsBox = document.getElementById("controls");
  if (controlsBox) controlsBox.before(controlsMark);
  function rebuildPicture(pic) {
    pic.box.textContent = "";
    pic.cells = new Array(N).fill(null);
    pic.nodes = new Array(N).fill(null);
    pic.edgesOf = M.states.map((_, s) => M.actions[s].map(() => []));
    if (GRID) buildGrid(pic); else if (DATA.picture.svg) buildDiagram(pic);
    if (S.selected !== null) {
      if (pic.cells[S.selected]) pic.cells[S.selected].classList.add("selected");
      if (pic.nodes[S.selected]) pic.nodes[S.selected].g.classList.add("selected");
    }
    drawPicture(pic, scaleEnds());
  }
  function toggleLecture(on, quiet) {
    const lecture = document.getElementById("lecture");
    if (!lecture) return;
    if (on === undefined) on = !S.lecture;
    S.lecture = on;
    document.body.classList.toggle("lecture", on);
    lecture.hidden = !on;
    for (const [id, home] of HOMES) {
      const node = document.getElementById(id);
      if (!node) continue;
      if (on) document.getElementById(SPOTS[id]).append(node);
      else if (home) document.getElementById(home).append(node);
      else controlsMark.after(node);
    }
    const button = document.getElementById("lecture-toggle");
    if (button) {
      button.setAttribute("aria-pressed", String(on));
      button.firstChild.data = on ? T("Handout view ") : T("Lecture view ");
    }
    const pic = pictures.find((p) => p.show === "lecture");
    if (on && pic) { pic.visible = true; rebuildPicture(pic); }
    if (on && S.selected === null) {
      // a state's equation from the start: the first state with actions
      const first = M.states.findIndex((_, s) => M.actions[s].length);
      if (first >= 0) select(first, true);
    }
    if (on) window.scrollTo(0, 0);
    render();
    if (!quiet) writeHash();
  }
  const lectureButton = document.getElementById("lecture-toggle");
  if (lectureButton) lectureButton.addEventListener("click", () => toggleLecture());
  document.addEventListener("keydown", (e) => {
    const t = e.target, typing = t && (t.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(t.tagName));
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "l" || e.key === "L") { e.preventDefault(); toggleLecture(); }
  });
  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { const pic = pictures.find((p) => p.show === "lecture"); if (S.lecture && pic) rebuildPicture(pic); }, 150);
  });
  document.querySelectorAll('input[name="lecture-view"]').forEach((r) => r.addEventListener("change", () => {
    if (r.value === "opt") { S.lectureOpt = true; render(); writeHash(); } else setView(r.value);
  }));
  // the views' names, with their maths
  const VIEWS = { "view-pi": [MATH.pi.replace("<mo>(</mo><mi>s</mi><mo>)</mo>", ""), M.mrp ? ": the values" : ": the policy’s values"],
    "view-iter": [MATH.iter.replace("<mo>(</mo><mi>s</mi><mo>)</mo>", ""), ": step by step"],
    "view-opt": [MATH.opt.replace("<mo>(</mo><mi>s</mi><mo>)</mo>", ""), ": the optimal values"] };
  for (const [cls, [math, words]] of Object.entries(VIEWS)) {
    document.querySelectorAll("." + cls).forEach((span) => { span.textContent = ""; span.append(mathml(math), words); });
  }
  if (M.mrp) document.querySelectorAll(".needs-actions").forEach((e) => e.remove());
  // the skip link and the contents move the focus, not the URL (which holds the sliders)
  document.querySelectorAll("a.skip, nav.toc a").forEach((a) => a.addEventListener("click", (e) => {
    const target = document.getElementById(a.getAttribute("href").slice(1));
    if (!target) return;
    e.preventDefault();
    if (S.lecture && !document.getElementById("lecture").contains(target)) toggleLecture(false);
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
  }));
  // the table's names are a second way to the same states: one Tab stop is the picture's
  const keyboardPicture = !!(GRID || DATA.picture.svg);

  // ---------------------------------------------------------------- start
  const notes = [];
  if (DATA.picture.note) notes.push(DATA.picture.note);
  if (DATA.optimal.note) notes.push(DATA.optimal.note);
  if (DATA.equations.note) notes.push(T("Equations are not shown: {why}.", { why: DATA.equations.note }));
  if (DATA.optimal.sets.length && PARAMS.length) notes.push("The band's breakpoints are exact at " +
    DATA.optimal.sets.map((s) => s.at.map((v, i) => PARAMS[i] + " = " + v).join(", ")).join("; ") +
    "; at other values " + H.v_star + " is solved exactly at the sliders' γ and the breakpoints are found as decimals.");
  if (!exactWanted()) notes.push(T("Exact fractions are shown for models up to {limit} states; this one has {n}.", { limit: DATA.exactStates, n: N }));
  const notesBox = document.getElementById("notes");
  notes.forEach((n) => notesBox.append(el("p", { class: "note", text: n })));
  document.querySelectorAll(".picture[data-show]").forEach(makePicture);
  buildTable();
  if (keyboardPicture) tbody.querySelectorAll("button.link").forEach((b) => { b.tabIndex = -1; });
  watchRows();
  watchPictures();
  const focus = () => { const part = S.focus && document.getElementById("optimal-part"); if (part) part.scrollIntoView({ block: "start" }); };
  const start = readHash();
  window.addEventListener("hashchange", () => {
    const s = readHash();
    changed(false);
    if (s !== null) select(s, true);
    setView(S.view, true);
    if (S.lecture !== document.body.classList.contains("lecture")) toggleLecture(S.lecture, true);
    focus();
  });
  changed(false);
  setView(S.view, true);
  if (start !== null) select(start, true);
  if (S.lecture) toggleLecture(true, true);
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
