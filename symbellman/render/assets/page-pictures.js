  // ---------------------------------------------------------------- the pictures
  // Two pictures of the model: the solution section's (v_pi, or v_k while stepping) and
  // the optimality section's (v* and the optimal actions). Each is a grid (a model with
  // a layout) or the state diagram; a picture off screen is redrawn when it comes in
  // view or the browser is idle, so a slider move lays out only what can be seen.
  const GRID = DATA.picture.grid;
  const cellOf = new Array(N).fill(null);
  if (GRID) GRID.forEach((row, r) => row.forEach((s, c) => { if (s !== null) cellOf[s] = [r, c]; }));
  const pictures = [];
  function makePicture(box) {
    const pic = { box, show: box.dataset.show, cells: new Array(N).fill(null), nodes: new Array(N).fill(null),
      edgesOf: M.states.map((_, s) => M.actions[s].map(() => [])), visible: true, dirty: false };
    if (GRID) buildGrid(pic); else if (DATA.picture.svg) buildDiagram(pic);
    pictures.push(pic);
    return pic;
  }
  function buildGrid(pic) {
    const rows = GRID.length, cols = GRID[0].length;
    // cells of 44 to 96 pixels, the grid at most 560 pixels wide or the width of its box
    const part = pic.box.closest(".explorer") || pic.box.parentElement;
    const room = Math.min(560, (part.clientWidth || 600) - 40);
    let size = Math.max(36, Math.min(96, Math.floor(room / Math.max(rows, cols)) - 3));
    if (pic.show === "lecture") {
      // the lecture view: the grid as tall as the window allows (less the legend and caption)
      const main = pic.box.parentElement;
      const high = (innerHeight - 16 - 92) / rows, wide = ((main.clientWidth || innerWidth * 0.6) - 8) / cols;
      size = Math.max(30, Math.floor(Math.min(high, wide)) - 3);
    }
    pic.size = size;
    // a fixed size makes the grid a relayout boundary: a move does not re-lay out the page
    const grid = el("div", { class: size < 64 && pic.show !== "lecture" ? "grid small" : "grid", role: "group",
      "aria-label": T("the grid of states (arrow keys move between cells, Enter shows a state)"),
      style: `grid-template-columns: repeat(${cols}, ${size}px); grid-auto-rows: ${size}px; --cell: ${size}px;` +
        `width: ${cols * (size + 3) + 3}px; height: ${rows * (size + 3) + 3}px; contain: strict; box-sizing: border-box` });
    GRID.forEach((row) => row.forEach((s) => {
      if (s === null) { grid.append(el("div", { class: "cell wall", "aria-hidden": "true" })); return; }
      grid.append(makeCell(pic, s));
    }));
    pic.box.append(el("div", { class: "grid-scroll" }, grid));
    grid.addEventListener("keydown", (e) => gridKey(pic, e));
    const first = pic.cells.find(Boolean);
    if (first) first.tabIndex = 0;
    const outside = M.states.map((_, i) => i).filter((i) => cellOf[i] === null);
    if (outside.length) {
      const extra = el("div", { class: "grid outside", style: `grid-template-columns: repeat(${outside.length}, ${size}px); grid-auto-rows: ${size}px; --cell: ${size}px` });
      outside.forEach((s) => extra.append(makeCell(pic, s)));
      pic.box.append(el("p", { class: "caption", text: T("Not on the grid:") }), extra);
    }
  }
  function makeCell(pic, s) {
    const cell = el("button", { class: "cell", type: "button", "data-state": M.states[s], "aria-label": M.states[s], tabindex: "-1" });
    const arrows = svg("svg", { class: "arrows", viewBox: "-50 -50 100 100", "aria-hidden": "true" });
    cell.append(arrows, el("span", { class: "name", text: M.states[s] }), " ", el("span", { class: "val" }));
    cell.addEventListener("click", () => select(s, false, pic.box));
    pic.cells[s] = cell;
    return cell;
  }
  function gridKey(pic, e) {
    // arrow keys move the focus between cells (one Tab stop for the whole grid)
    const step = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[e.key];
    const s = pic.cells.indexOf(e.target);
    if (!step || s < 0 || !cellOf[s]) return;
    e.preventDefault();
    let [r, c] = cellOf[s];
    for (;;) {
      r += step[0]; c += step[1];
      if (r < 0 || c < 0 || r >= GRID.length || c >= GRID[0].length) return;
      const t = GRID[r][c];
      if (t !== null && pic.cells[t]) { focusCell(pic, t); return; }
    }
  }
  function focusCell(pic, s) {
    pic.cells.forEach((c) => { if (c) c.tabIndex = -1; });
    pic.cells[s].tabIndex = 0;
    pic.cells[s].focus();
  }
  function direction(s, a) {
    // where the action's successors lie on the grid: the mean displacement
    const pf = S.params.map(qnum);
    let dr = 0, dc = 0;
    if (!cellOf[s]) return null;
    for (const o of M.outcomes[s][a]) {
      const t = cellOf[o[0]];
      if (!t) continue;
      const p = quantityF(o[1], pf);
      dr += p * (t[0] - cellOf[s][0]); dc += p * (t[1] - cellOf[s][1]);
    }
    const len = Math.hypot(dr, dc);
    return len < 1e-12 ? [0, 0] : [dc / len, dr / len];
  }
  function drawArrows(cell, s, acts, weights) {
    // an arrow per direction; with weights, its length is 40 · π(a|s) (a full arrow is 40)
    const box = cell.querySelector("svg.arrows");
    box.textContent = "";
    const dirs = new Map();
    for (const a of acts) {
      const d = direction(s, a);
      if (!d) continue;
      const key = d.map((x) => x.toFixed(3)).join(",");
      const w = weights ? weights[a] : 1;
      if (dirs.has(key)) dirs.get(key).w = weights ? dirs.get(key).w + w : 1; else dirs.set(key, { d, w });
    }
    for (const { d, w } of dirs.values()) {
      if (d[0] === 0 && d[1] === 0) { box.append(svg("circle", { cx: 0, cy: 0, r: 4 + 6 * Math.sqrt(w), class: "stay" })); continue; }
      const len = 44 * w, h = Math.max(4, Math.min(15, 0.55 * len));
      const [x, y] = [d[0] * len, d[1] * len];
      const ang = Math.atan2(y, x);
      if (len > h) box.append(svg("line", { x1: 0, y1: 0, x2: x - d[0] * h * 0.6, y2: y - d[1] * h * 0.6 }));
      box.append(svg("polygon", { points: [[x, y],
        [x - h * Math.cos(ang - 0.5), y - h * Math.sin(ang - 0.5)],
        [x - h * Math.cos(ang + 0.5), y - h * Math.sin(ang + 0.5)]].map((p) => p.map((z) => z.toFixed(1)).join(",")).join(" ") }));
    }
    cell.dataset.actions = acts.map((a) => M.actions[s][a]).join(" ");
    if (weights) cell.dataset.weights = acts.map((a) => weights[a]).join(" "); else delete cell.dataset.weights;
  }
  function buildDiagram(pic) {
    const picture = pic.box;
    picture.textContent = "";
    picture.append(inert(DATA.picture.svg));
    const root = picture.querySelector("svg");
    // Graphviz sizes are in points: draw at most 1.4 times that, never wider than the column
    const width = parseFloat(root.getAttribute("width"));
    if (width) root.style.maxWidth = Math.round(width * 1.4) + "px";
    root.removeAttribute("width"); root.removeAttribute("height");
    root.querySelectorAll("g.edge").forEach((g) => {
      const title = (g.querySelector("title") || {}).textContent || "";
      let m = /^s(\d+)->a\d+_(\d+)$/.exec(title) || /^a(\d+)_(\d+)->s\d+$/.exec(title);
      if (m) { const list = pic.edgesOf[+m[1]][+m[2]]; if (list) list.push(g); return; }
      m = /^s(\d+)->s\d+$/.exec(title);
      const label = g.querySelector("text");
      if (m && label) {
        const a = M.actions[+m[1]].indexOf(label.textContent.trim());
        if (a >= 0) pic.edgesOf[+m[1]][a].push(g);
      }
    });
    root.classList.add("diagram");
    root.querySelectorAll("g.node").forEach((g) => {
      const title = g.querySelector("title");
      const m = title && /^s(\d+)$/.exec(title.textContent.trim());
      if (!m) return;
      const s = +m[1];
      const shape = g.querySelector("ellipse, polygon, path");
      // its accessible name: what the node says (name, and a reward where drawn), then its value
      const said = [...g.querySelectorAll("text")].map((t) => t.textContent.trim()).filter(Boolean).join(" ") || M.states[s];
      const label = svg("text", { class: "node-value", "text-anchor": "middle" });
      g.append(label);
      g.setAttribute("tabindex", "0");
      g.setAttribute("role", "button");
      g.setAttribute("aria-label", M.states[s]);
      g.classList.add("state-node");
      g.addEventListener("click", () => select(s, false, pic.box));
      g.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") select(s, false, pic.box); });
      pic.nodes[s] = { g, shape, label, said };
    });
    // the value goes inside the state's shape, under its name: below the shape it
    // would sit on an edge's label, or fall off the drawing's edge
    const place = () => pic.nodes.forEach((n) => {
      if (!n || n.placed) return;
      const b = n.shape.getBBox();
      if (!b.height) return;
      n.placed = true;
      // the node's own lines (its name, a reward) move up half a line; the value goes under them
      const lines = [...n.g.querySelectorAll("text:not(.node-value)")];
      let last = b.y + b.height / 2 - 2;
      lines.forEach((t) => { const y = parseFloat(t.getAttribute("y")) - 7; t.setAttribute("y", y); last = Math.max(last, y); });
      n.label.setAttribute("x", b.x + b.width / 2);
      n.label.setAttribute("y", last + 14);
    });
    pic.place = place;
    requestAnimationFrame(place);
  }

