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

