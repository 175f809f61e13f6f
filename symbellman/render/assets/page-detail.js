  // ---------------------------------------------------------------- the selected state
  const ALG = { pe: T("iterative policy evaluation"), vi: T("value iteration"), pi: T("policy iteration") };
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
      setText(label, T("with the current values (γ = {gamma})", { gamma: qstr(S.gamma) }));
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
    const back = el("button", { type: "button", id: "detail-back", class: "back", text: T("↩ back to where you clicked") });
    back.hidden = !cameFrom;
    back.addEventListener("click", () => { if (cameFrom) cameFrom.scrollIntoView({ block: "center" }); });
    box.append(el("div", { class: "state-head" }, el("h4", { class: "state-title", text: T("State {state}", { state: M.states[s] }) }), back));
    if (M.terminal[s]) {
      box.append(el("p", { text: T("A terminal state: its value is 0 and it has no equation.") }));
      return { key, updates };
    }
    const eqs = (DATA.equations.states[s] || {});
    const cols = el("div", { class: "detail-cols" });
    const left = el("div", { class: "detail-eqs" });
    // each family's equation, as the data lists them (from the families' records): its
    // values are v* for the optimum, else v_π; its right-hand side is recomputed from
    // the model as the family's shape combines the actions (a π-weighted sum or a max)
    for (const f of DATA.equations.families) {
      const eq = eqs[f.key];
      const vals = () => (f.optimal ? { v: R.vstar, q: R.vstarQ } : { v: R.vpi, q: R.vpiQ });
      if (!eq || (f.optimal && !R.vstar)) continue;
      const rhs = f.combine === "max" ? () => {
        const { v, q } = vals();
        const x = Math.max(...M.actions[s].map((_, a) => qFloat(v, s, a)));
        const xQ = q && q.every(Boolean) ? M.actions[s].map((_, a) => qExact(q, s, a)).reduce((p, r) => (qcmp(p, r) >= 0 ? p : r)) : null;
        return [x, xQ];
      } : () => {
        const { v, q } = vals();
        // (no exact right-hand side where a value is infinite: γ = 1 without an end)
        let x = 0, xQ = q && q.every(Boolean) ? Q(big0) : null;
        M.actions[s].forEach((_, a) => {
          x += weightF(s, a) * qFloat(v, s, a);
          if (xQ) xQ = qadd(xQ, qmul(weightQ(s, a), qExact(q, s, a)));
        });
        return [x, xQ];
      };
      const block = equationBlock(T(f.name, { head: H[f.key] }), f.general, eq, vals, rhs);
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
      setText(qp, valueText(qFloat(R.vpi, s, a), R.vpiQ && R.vpiQ.every(Boolean) ? qExact(R.vpiQ, s, a) : null));
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
      "aria-label": T("backup diagram of {state}", { state: M.states[s] }) });
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

