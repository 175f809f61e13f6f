  // ---------------------------------------------------------------- formatting
  function fmt(x, digits) {
    if (x === null || x === undefined || !isFinite(x)) return "—";
    if (Math.abs(x) < 0.5 * Math.pow(10, -digits)) x = 0;
    return x.toFixed(digits).replace("-", "−");
  }
  function setText(e, text) {
    // change the existing text node: cheaper for the browser than replacing it
    const node = e.firstChild;
    if (node && node.nodeType === 3 && !node.nextSibling) { if (node.data !== text) node.data = text; }
    else e.textContent = text;
  }
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  }
  const SVGNS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs) {
    const e = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    return e;
  }
  // Markup from the page's data (MathML, the Graphviz drawing) is parsed inert and
  // kept only as drawing: no script, no event handler, no link out, nothing embedded.
  const DROP = new Set(["script", "foreignobject", "iframe", "object", "embed", "img", "image", "a",
    "style", "link", "meta", "use", "animate", "set", "animatetransform", "animatemotion", "form", "input", "button"]);
  function inert(markup) {
    const t = document.createElement("template");
    t.innerHTML = markup;
    t.content.querySelectorAll("*").forEach((e) => {
      if (DROP.has(e.localName.toLowerCase())) { e.remove(); return; }
      for (const a of [...e.attributes]) {
        const name = a.name.toLowerCase();
        if (name.startsWith("on") || name === "href" || name.endsWith(":href") || name === "src" || name === "style") e.removeAttribute(a.name);
      }
    });
    return t.content;
  }
  const mathml = inert;
  // One colour scale for every picture on the page, the handout figures' own: the
  // lowest value shown white, the highest light blue (render/grid.py's WHITE and HIGH).
  // The value's text is whichever of black and white contrasts more with its cell
  // (WCAG's relative luminance); on this scale that is black, at 8.6:1 or more.
  const LOW_RGB = [255, 255, 255], HIGH_RGB = [120, 170, 225], NONE_RGB = [236, 239, 241];
  function luminance(rgb) {
    const lin = rgb.map((c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); });
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  }
  function contrast(a, b) { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); }
  function shade(x, lo, hi) {
    if (!isFinite(x)) return NONE_RGB;
    // 40 shades: a small move leaves most cells' colour (and style) untouched
    const t = hi > lo ? Math.round(40 * Math.max(0, Math.min(1, (x - lo) / (hi - lo)))) / 40 : 0;
    return LOW_RGB.map((w, i) => Math.round(w + t * (HIGH_RGB[i] - w)));
  }
  function colour(x, lo, hi) {
    const bg = shade(x, lo, hi);
    const fg = contrast(bg, [0, 0, 0]) >= contrast(bg, [255, 255, 255]) ? "#000000" : "#ffffff";
    return [`rgb(${bg.join(", ")})`, fg];
  }
  // the scale's ends: every value any picture shows at this point
  function scaleEnds() {
    const all = [];
    for (const pic of pictures) { const { v } = viewValues(shown(pic)); for (const x of v) if (isFinite(x)) all.push(x); }
    if (!all.length) return [0, 0];
    return [Math.min(...all), Math.max(...all)];
  }
  function drawLegends(lo, hi) {
    document.querySelectorAll(".legend-bar").forEach((box) => {
      if (box._ends === lo + ":" + hi) return;
      box._ends = lo + ":" + hi;
      box.querySelector(".lo").textContent = fmt(lo, 1);
      box.querySelector(".hi").textContent = fmt(hi, 1);
    });
  }

