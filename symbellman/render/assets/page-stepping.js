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
      if (!next) { it.error = T("I − γP_π is singular for this policy (at γ = 1 it never ends)"); return; }
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
      " · ", el("span", { text: it.exact ? T("exact fractions") : T("floating point") }),
      ...[it.improved ? el("span", { class: "improved", text: (it.improved === 1 ? T(" · π improved {n} time", { n: it.improved }) : T(" · π improved {n} times", { n: it.improved })) +
          (it.unchanged ? T(" (the last improvement changed nothing: π is greedy for its own values once they settle)") : "") }) : null,
        it.stable ? el("span", { class: "done", text: T(" · the policy is stable: it is optimal") }) : null,
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

