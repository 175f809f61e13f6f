  // ---------------------------------------------------------------- exact fractions
  const big0 = 0n, big1 = 1n;
  function gcd(a, b) { a = a < 0n ? -a : a; b = b < 0n ? -b : b; while (b) { [a, b] = [b, a % b]; } return a; }
  function Q(n, d) {
    if (d === undefined) d = big1;
    if (d === big0) return null;
    if (d < 0n) { n = -n; d = -d; }
    const g = gcd(n, d);
    return g > 1n ? { n: n / g, d: d / g } : { n, d };
  }
  const qadd = (a, b) => Q(a.n * b.d + b.n * a.d, a.d * b.d);
  const qsub = (a, b) => Q(a.n * b.d - b.n * a.d, a.d * b.d);
  const qmul = (a, b) => Q(a.n * b.n, a.d * b.d);
  const qdiv = (a, b) => Q(a.n * b.d, a.d * b.n);
  const qcmp = (a, b) => { const x = a.n * b.d - b.n * a.d; return x > 0n ? 1 : x < 0n ? -1 : 0; };
  const qstr = (a) => a.d === big1 ? a.n.toString() : a.n + "/" + a.d;
  function qnum(a) {
    // correctly rounded enough for display: scale huge numbers down first
    const bits = Math.max(a.n.toString(16).length, a.d.toString(16).length) * 4;
    if (bits < 1000) return Number(a.n) / Number(a.d);
    const shift = BigInt(bits - 900);
    return Number(a.n >> shift) / Number(a.d >> shift);
  }
  function parseQ(text) {
    text = String(text).trim().replace("−", "-");
    let m = /^([-+]?\d+)\s*\/\s*(\d+)$/.exec(text);
    if (m) return Q(BigInt(m[1]), BigInt(m[2]));
    m = /^([-+]?)(\d*)(?:\.(\d*))?$/.exec(text);
    if (m && (m[2] || m[3])) {
      const frac = m[3] || "";
      const n = BigInt((m[1] === "-" ? "-" : "") + (m[2] || "0") + frac);
      return Q(n, 10n ** BigInt(frac.length));
    }
    return null;
  }
  function shortQ(a, limit) {
    const s = qstr(a);
    return s.length <= (limit || 24) ? s : null;
  }

  // ---------------------------------------------------------------- model quantities
  // A quantity is "p/q" or {n: terms, d: terms}, terms [coefficient, e_1, ..., e_k] in the parameters.
  const QCACHE = new Map();
  function quantityQ(x, params) {
    if (typeof x === "string") {
      let v = QCACHE.get(x);
      if (!v) { v = parseQ(x); QCACHE.set(x, v); }
      return v;
    }
    const side = (terms) => terms.reduce((acc, t) => {
      let term = Q(BigInt(t[0]));
      for (let i = 1; i < t.length; i++) for (let e = 0; e < t[i]; e++) term = qmul(term, params[i - 1]);
      return qadd(acc, term);
    }, Q(big0));
    return qdiv(side(x.n), side(x.d));
  }
  function quantityF(x, params) {
    if (typeof x === "string") return qnum(quantityQ(x, []));
    const side = (terms) => terms.reduce((acc, t) => {
      let term = Number(t[0]);
      for (let i = 1; i < t.length; i++) term *= Math.pow(params[i - 1], t[i]);
      return acc + term;
    }, 0);
    return side(x.n) / side(x.d);
  }

  // ---------------------------------------------------------------- closed forms
  // Polynomials in (u, parameters): dense ["c0", "c1", ...] in u, or [[c, e_u, e_1, ...], ...].
  const POLY = DATA.polynomials.map((p) => {
    if (p.length && typeof p[0] === "string") {
      const c = p.map(BigInt);
      return { dense: c, degree: c.length - 1, degrees: [] };
    }
    const terms = p.map((t) => ({ c: BigInt(t[0]), e: t.slice(1) }));
    const k = terms.length ? terms[0].e.length : 1;
    const degrees = [];
    for (let i = 0; i < k; i++) degrees.push(Math.max(0, ...terms.map((t) => t.e[i])));
    return { terms, degree: degrees[0], degrees: degrees.slice(1) };
  });
  const FLOATS = new Map();
  function floats(index, e) {
    const key = index + ":" + (e || 0);
    let f = FLOATS.get(key);
    if (f) return f;
    const p = POLY[index];
    const toF = (c) => (e ? Number(c >> BigInt(e)) : Number(c));
    f = p.dense ? { dense: Float64Array.from(p.dense, toF) }
      : { terms: p.terms.map((t) => ({ c: toF(t.c), e: t.e })) };
    FLOATS.set(key, f);
    return f;
  }
  function hornerF(f, u, params) {
    let coeffs = f.dense;
    if (!coeffs) {
      const top = Math.max(...f.terms.map((t) => t.e[0]));
      coeffs = new Float64Array(top + 1);
      for (const t of f.terms) {
        let w = t.c;
        for (let i = 1; i < t.e.length; i++) if (t.e[i]) w *= Math.pow(params[i - 1], t.e[i]);
        coeffs[t.e[0]] += w;
      }
    }
    let out = 0;
    for (let k = coeffs.length - 1; k >= 0; k--) out = out * u + coeffs[k];
    return out;
  }
  function closedF(cf, u, params) {
    if (!cf) return 0;
    return hornerF(floats(cf.n, cf.e), u, params) / hornerF(floats(cf.d, cf.e), u, params);
  }
  // Exact: with u = U/B and parameter i = n_i/d_i, both polynomials are multiplied by
  // B^D * prod d_i^D_i (D the common degree), so only integers are added.
  function homogeneous(p, D, Ds, pw) {
    let sum = big0;
    if (p.dense) {
      for (let k = 0; k < p.dense.length; k++) if (p.dense[k]) sum += p.dense[k] * pw.U[k] * pw.B[D - k];
      return sum;
    }
    for (const t of p.terms) {
      let x = t.c * pw.U[t.e[0]] * pw.B[D - t.e[0]];
      for (let i = 1; i < t.e.length; i++) x *= pw.P[i - 1].n[t.e[i]] * pw.P[i - 1].d[Ds[i - 1] - t.e[i]];
      sum += x;
    }
    return sum;
  }
  function powers(q, upto) {
    const n = [big1], d = [big1];
    for (let k = 1; k <= upto; k++) { n.push(n[k - 1] * q.n); d.push(d[k - 1] * q.d); }
    return { n, d };
  }
  function makePowers(uQ, paramsQ, D, Ds) {
    const u = powers(uQ, D);
    return { U: u.n, B: u.d, P: paramsQ.map((q, i) => powers(q, Ds[i] || 0)) };
  }
  function closedQ(cf, uQ, paramsQ, cache) {
    if (!cf) return Q(big0);
    const a = POLY[cf.n], b = POLY[cf.d];
    const D = Math.max(a.degree, b.degree);
    const Ds = paramsQ.map((_, i) => Math.max(a.degrees[i] || 0, b.degrees[i] || 0));
    const key = D + ":" + Ds.join(",");
    let pw = cache.get(key);
    if (!pw) { pw = makePowers(uQ, paramsQ, D, Ds); cache.set(key, pw); }
    const den = homogeneous(b, D, Ds, pw);
    if (den === big0) return null;
    return Q(homogeneous(a, D, Ds, pw), den);
  }

