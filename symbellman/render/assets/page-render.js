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
    if (atOne()) return R.vstar ? T("optimal at γ = 1, as on the last piece {start} ≤ γ < 1", { start: a }) : "";
    return T("optimal on {start} ≤ γ < {end}", { start: a, end: b }) + (R.piece.tie ? T(" (at the breakpoint both pieces’ actions tie)") : "");
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
  const KINDS = { uniform: T("uniform"), deterministic: T("deterministic"), stochastic: T("stochastic") };
  function caption() {
    const g = qstr(S.gamma), missingPi = R.vpi.some((x) => !isFinite(x));
    let pi;
    if (S.view === "pi") {
      pi = ["pi", (M.mrp ? T(" at γ = {gamma}", { gamma: g }) : T(" of the policy π") + (M.policyKind ? " (" + KINDS[M.policyKind] + ")" : "") + T(" at γ = {gamma}", { gamma: g }) +
        T("; arrows: π(a|s), each as long as its probability")) + (R.solved ? T(". The model was changed by hand: the values are solved exactly at this γ.") : "")];
    } else if (S.iter) {
      pi = ["iter", T(" after k = {k} sweeps of {method}", { k: S.iter.k, method: ALG[S.iter.alg] }) + (S.iter.weights ? T("; arrows: the policy being evaluated, π(a|s)") : T("; arrows: the greedy actions"))];
    } else pi = ["", T("Press “{button}” to start.", { button: document.getElementById("step").textContent })];
    const opt = R.vstar ? ["opt", T(" at γ = {gamma}", { gamma: g }) + T("; arrows: every optimal action at this γ (ties show several) — ") + pieceText()]
      : ["opt", atOne() ? T(" at γ = 1 does not exist here: the policy optimal just below 1 never ends, so its return at γ = 1 is an infinite sum. Move γ below 1.")
        : T(" could not be computed at these values.")];
    setCaption(document.getElementById("picture-caption"), ...pi);
    setCaption(document.getElementById("optimal-caption"), ...opt);
    setCaption(document.getElementById("lecture-caption"), ...(S.lectureOpt && !M.mrp ? opt : pi));
    const note = document.getElementById("gamma-note");
    if (note) setText(note, oneText(missingPi));
    const now = document.getElementById("piece-now");
    if (now && !M.mrp) setText(now, R.piece && (R.vstar || !atOne()) ? T("piece {n} of {count}: ", { n: R.piece.index + 1, count: R.piece.count }) + pieceText() : "");
  }

