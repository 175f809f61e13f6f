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
    const head = part("row", "tr head", part("columnheader", "th", T("state")),
      part("columnheader", "th num", mathml(M.mrp ? "<math><mi>v</mi></math>" : "<math><msub><mi>v</mi><mi>π</mi></msub></math>")));
    if (!M.mrp) head.append(part("columnheader", "th num", mathml("<math><msub><mi>v</mi><mo>*</mo></msub></math>")));
    head.append(part("columnheader", "th num col-iter", mathml("<math><msub><mi>v</mi><mi>k</mi></msub></math>")));
    if (!M.mrp) head.append(part("columnheader", "th", T("optimal actions")));
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
      else if (!short) title = T("exactly {value}", { value: qstr(q) });
    } else delete td.dataset.exact;
    setText(td.lastChild, frac);
    if (td.title !== title) td.title = title;
  }

