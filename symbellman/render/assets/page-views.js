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
    // the other families' sections (families.js) follow the sliders too
    document.dispatchEvent(new Event("symbellman-changed"));
  }

