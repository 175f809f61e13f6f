  // ---------------------------------------------------------------- sliders and the band
  const sliderBox = document.getElementById("sliders");
  const inputs = [];
  DATA.sliders.forEach((spec, k) => {
    const id = "slider-" + spec.name;
    const values = spec.values ? spec.values.map(parseQ) : null;
    const range = el("input", { type: "range", id, min: 0, max: values ? values.length - 1 : 100, step: 1,
      "aria-label": spec.name });
    const text = el("input", { type: "text", id: id + "-text", class: "typed", size: 8,
      "aria-label": T("{name} (type a number such as 9/10)", { name: spec.name }) });
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
      text.title = ok ? "" : (spec.discount ? T("a number between 0 and 1, such as 9/10 or 0.9") : T("a number such as 1/3 or 0.5"));
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
      band.append(el("span", { class: "band-note", text: M.mrp ? "" : T("finding the optimal policy's pieces at these values…") }));
      return;
    }
    set.pieces.forEach((p, i) => {
      const a = Number(p.start.decimal), b = Number(p.end.decimal);
      const seg = el("div", { class: "piece", title: T("piece {n}: {start} ≤ γ < {end}", { n: i + 1, start: p.start.text, end: p.end.text }),
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
      : T("Each colour is a piece of 0 ≤ γ < 1 on which one policy is optimal: {n} pieces, the policy changes at {points}.", { n: set.pieces.length, points: points.join(", ") })) + " " + T("The blue mark is the slider’s γ; click the band to move it.");
  }
  const bandBox = document.getElementById("band");
  if (bandBox) bandBox.addEventListener("click", (e) => {
    // a click on the band sets γ there (to the nearest hundredth)
    const box = bandBox.getBoundingClientRect();
    const x = Math.max(0, Math.min(100, Math.round(100 * (e.clientX - box.left) / box.width)));
    S.gamma = Q(BigInt(x), 100n);
    changed(false);
  });

