  // ---------------------------------------------------------------- start
  const notes = [];
  if (DATA.picture.note) notes.push(DATA.picture.note);
  if (DATA.optimal.note) notes.push(DATA.optimal.note);
  if (DATA.equations.note) notes.push(T("Equations are not shown: {why}.", { why: DATA.equations.note }));
  if (DATA.optimal.sets.length && PARAMS.length) notes.push(T("The band's breakpoints are exact at {points}; at other values {head} is solved exactly at the sliders' γ and the breakpoints are found as decimals.", {
    points: DATA.optimal.sets.map((s) => s.at.map((v, i) => PARAMS[i] + " = " + v).join(", ")).join("; "), head: H.v_star }));
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
    // the page's words in its language, for families.js
    T,
    // exact arithmetic and the model's quantities at the sliders, for families.js
    exact: { Q, qadd, qsub, qmul, qdiv, qcmp, qstr, qnum, parseQ, quantityQ, reward: rewardQ, weight: weightQ },
    // γ set from elsewhere (families.js's band), as a click on the band sets it
    setGamma: (q) => { S.gamma = q; changed(false); },
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
