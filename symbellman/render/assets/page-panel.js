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
    if (M.terminal[s] || !M.actions[s].length) { panel.eqs.append(el("p", { text: T("A terminal state: its value is 0.") })); return; }
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
        "aria-label": M.mrp ? T("reward from {state} to {next}", { state: M.states[s], next: M.states[o[0]] })
          : T("reward of {action} from {state} to {next}", { action: name, state: M.states[s], next: M.states[o[0]] }) });
      input.value = qstr(rewardQ(s, a, j));
      input.addEventListener("change", () => {
        const q = parseQ(input.value);
        input.classList.toggle("invalid", !q);
        input.title = q ? "" : T("a number such as 5, -1/2 or 0.25");
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

