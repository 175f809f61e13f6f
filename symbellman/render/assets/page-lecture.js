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
    // families.js moves its parts (stages, gain and bias, the TD band) in and out
    document.dispatchEvent(new CustomEvent("symbellman-lecture", { detail: on }));
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
  const VIEWS = { "view-pi": [MATH.pi.replace("<mo>(</mo><mi>s</mi><mo>)</mo>", ""), M.mrp ? T(": the values") : T(": the policy’s values")],
    "view-iter": [MATH.iter.replace("<mo>(</mo><mi>s</mi><mo>)</mo>", ""), T(": step by step")],
    "view-opt": [MATH.opt.replace("<mo>(</mo><mi>s</mi><mo>)</mo>", ""), T(": the optimal values")] };
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

