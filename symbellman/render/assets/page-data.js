// The interactive page of symbellman: closed forms evaluated at the sliders' values.
// Data comes from symbellman/render/page_data.py (one JSON block in the page).
// Floats: Horner in u = 1 - gamma (stable near gamma = 1, as symbellman.solve.numeric does).
// Exact: BigInt fractions at the sliders' rational values.
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("page-data").textContent);
  // the page's words in its language: the catalogs' translations of every T("...") below,
  // put into the page's data by the writer; {name} is filled from values
  const WORDS = DATA.words || {};
  const T = (s, values) => (WORDS[s] || s).replace(/\{(\w+)\}/g,
    (m, k) => (values && k in values ? String(values[k]) : m));
  const M = DATA.model;
  const H = DATA.heads;  // each family's head as the page writes it (v_π, v*, ...)
  const N = M.states.length;
  const PARAMS = DATA.parameters;

