"""The ``td`` command: the fixed point of linear TD(0) and its stability over γ."""

from __future__ import annotations

import json

from ..core.errors import ModelError
from ..progress import progress
from .arguments import load_study
from ..core.i18n import _
from .criteria import family, table  # loaded when the command runs (--help stays quick)


def value_columns(value, args) -> list[str]:
    from .output import value_columns as columns

    return columns(value, args)


def value_headers(head: str, args) -> list[str]:
    from .output import value_headers as headers

    return headers(head, args)


#: Up to this many non-terminal states, ``td`` also checks the on-policy error bound
#: (it needs v_π as closed forms and their D-norms).
BOUND_STATES = 40


def add_td_command(sub, add_command, add_model_arguments, add_flags, add_value_arguments):
    p = add_command(sub, "td", cmd_td, "the TD(0) fixed point of linear features, exactly",
                    "Solve the projected Bellman equation of linear TD(0), "
                    "A theta = b with A = X^T D (I - gamma P_pi) X and b = X^T D r_pi, for the "
                    "model's features and distribution (model-file keys features, "
                    "feature_names, distribution, start, behavior); print A, b, theta, the "
                    "approximate values X theta, the intervals of gamma in [0, 1) on which "
                    "the expected update is stable, and the on-policy error bound.")
    add_model_arguments(p)
    add_flags(p, {"--json": "print one JSON object (see the spec)",
                  "--latex": "print the projected Bellman equation as LaTeX"})
    add_value_arguments(p)
    return p


def _solve(args):
    study = load_study(args)
    mdp = study.mdp
    if mdp.criteria.projection is None:
        raise ModelError("the model has no features", place="features",
                         hint="add 'features: {STATE: [x1, x2, ...]}' (see docs/model-files.md)")
    with progress("td"):
        return mdp, study.result("theta_TD")


def td_data(mdp, td) -> dict:
    """The ``td --json`` object (model-format spec, "Other criteria")."""
    import sympy

    text = lambda e: str(sympy.sympify(e))  # noqa: E731
    band = td.stability
    values = None if td.values is None else {
        s: text(td.values[s]) if s in td.values else "0" for s in mdp.states}
    out = {"model": mdp.name, "discount": str(mdp.discount),
           "features": list(td.feature_names),
           "distribution": {s: text(w) for s, w in td.distribution.items()},
           "A": [[text(x) for x in td.A.row(i)] for i in range(td.A.rows)],
           "b": [text(x) for x in td.b],
           "theta": None if td.theta is None else family("theta_TD").data(td),
           "values": values,
           "directions": [{w: text(x) for w, x in d.items()} for d in td.directions],
           "feature_rank": td.feature_rank,
           "stable": None if band.intervals is None else
           [{"from": str(i.start), "to": str(i.end)} for i in band.intervals],
           "stability_conditions": [text(c) for c in band.conditions],
           "singular_at": None if band.singular_at is None or band.always_singular else
           [str(x) for x in band.singular_at]}
    if not mdp.discount.free_symbols:
        out["stable_at_discount"] = band.is_stable_at(mdp.discount)
    return out


def cmd_td(args) -> int:
    mdp, td = _solve(args)
    if args.json:
        print(json.dumps(td_data(mdp, td), indent=2))
        return 0
    if args.latex:
        from ..projected.typeset import projected_latex

        print(projected_latex(td))
        return 0
    from ..projected.typeset import projected_text

    title = mdp.name or args.model
    kind = {"on-policy": _("the on-policy distribution"),
            "behavior": _("the behaviour policy's distribution"),
            "uniform": _("the uniform distribution"),
            "explicit": _("the model's weights")}[td.distribution_kind]
    count = len(td.feature_names)
    print((_("{title}: linear TD(0) with {count} feature ({names}), D = {kind}, discount "
             "{discount}") if count == 1 else
           _("{title}: linear TD(0) with {count} features ({names}), D = {kind}, discount "
             "{discount}")).format(title=title, count=count, names=", ".join(td.feature_names),
                                   kind=kind, discount=mdp.discount))
    print()
    print(table([[s, *value_columns(w, args)] for s, w in td.distribution.items()],
                [_("state"), *value_headers("D", args)]))
    print()
    print(_("The projected Bellman equation A theta = b, A = X^T D (I - gamma P_pi) X, "
            "b = X^T D r_pi:"))
    print(projected_text(td))
    print()
    _print_fixed_point(mdp, td, args)
    print()
    _print_stability(mdp, td)
    if td.distribution_kind == "on-policy" and td.values is not None:
        print()
        _print_bound(td)
    return 0


def _print_fixed_point(mdp, td, args) -> None:
    if td.theta is None:
        print(_("A theta = b has no solution: there is no TD fixed point."))
        return
    k = len(td.feature_names)
    if td.feature_rank < k:
        print(_("X has rank {rank} with {k} features: the feature vectors are linearly "
                "dependent, so A is singular too.").format(rank=td.feature_rank, k=k))
    if td.directions:
        names = ", ".join(f"t{i + 1}" for i in range(len(td.directions)))
        print(_("A is singular (rank {rank} of {n}): the fixed points are the affine set "
                "{set} for any {names}, with").format(
            rank=len(td.feature_names) - len(td.directions), n=len(td.feature_names),
            set="theta + " + " + ".join(f"t{i + 1} d{i + 1}"
                                        for i in range(len(td.directions))), names=names))
        for i, d in enumerate(td.directions):
            print(f"  d{i + 1} = ({', '.join(str(d[w]) for w in td.feature_names)})")
        print(_("Every fixed point gives the same values X theta.") if td.values_unique else
              _("The values X theta differ between fixed points; those below are theta's."))
    print(table([[w, *value_columns(x, args)] for w, x in td.theta.items()],
                [_("feature"), *value_headers("theta_TD", args)]))
    print()
    print(table([[s, *value_columns(td.values[s], args)] for s in td.states],
                [_("state"), *value_headers("X theta_TD", args)]))


def _print_stability(mdp, td) -> None:
    band = td.stability
    x = td.variable
    moved = " " + _("({n} direction(s) the update never moves set aside)").format(
        n=band.deflated) if band.deflated else ""
    print(_("Stability of the expected update theta <- theta + alpha (b - A theta) for small "
            "alpha (every eigenvalue of A with positive real part; Routh-Hurwitz){moved}:")
          .format(moved=moved))
    if band.intervals is None:
        print("  " + _("stable exactly where each of these is positive (give the other symbols "
                       "values with --at for the intervals of gamma):"))
        for c in band.conditions:
            print(f"    {c}")
        return
    if not band.intervals:
        print("  " + _("unstable for every {x} in [0, 1)").format(x=x))
    for i in band.intervals:
        print("  " + _("stable for {x} in {interval}   (~ {low} to {high})").format(
            x=x, interval=f"{'[' if i.closed_start else '('}{i.start}, {i.end})",
            low=i.start_decimal, high=i.end_decimal))
    if band.always_singular:
        print("  " + _("A is singular for every gamma."))
    elif band.singular_at:
        print("  " + _("A is singular at {x} = {values}").format(
            x=x, values=", ".join(map(str, band.singular_at))))
    if not mdp.discount.free_symbols:
        ok = band.is_stable_at(mdp.discount)
        if ok is not None:
            print("  " + (_("at the model's discount {discount}: stable") if ok else
                          _("at the model's discount {discount}: UNSTABLE")).format(
                discount=mdp.discount))


def _print_bound(td) -> None:
    if len(td.states) > BOUND_STATES:
        print(f"Error bound: not checked for {len(td.states)} states (up to {BOUND_STATES}).")
        return
    check = td.error_bound()
    verdict = {True: "holds", False: "FAILS", None: "undecided (symbols without values)"}
    print("Error bound ||X theta_TD - v_pi||_D^2 <= min_theta ||X theta - v_pi||_D^2 "
          f"/ (1 - gamma^2): {verdict[check.holds]}")
    print(f"  ||X theta_TD - v_pi||_D^2 = {check.td_error}")
    print(f"  min ||X theta - v_pi||_D^2 = {check.best_error}")
