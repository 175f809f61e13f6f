"""The commands that print equations: ``equations`` (text, LaTeX, JSON) and ``latex``."""

from __future__ import annotations

import json

import sympy

from ..progress import progress
from .arguments import comma_list, gammas, load_study, notation_from
from .output import check_output, write_or_print


#: ``equations`` prints the dense matrix form up to this many non-terminal states.
MATRIX_STATES = 60


def cmd_equations(args) -> int:
    from .. import equations as eqs

    study = load_study(args)
    mdp, policy = study.mdp, study.policy
    if args.json:
        return _equations_json(mdp, policy, args)
    notation = notation_from(args)
    families = [("Bellman expectation equations for v_pi",
                 eqs.expectation_equations(mdp, policy, kind="v", notation=notation))]
    if not mdp.is_mrp:
        families.append(("Bellman expectation equations for q_pi",
                         eqs.expectation_equations(mdp, policy, kind="q", notation=notation)))
        families.append(("The half-steps joining them",
                         eqs.half_steps(mdp, policy, notation=notation)))
    n = len(mdp.nonterminal)
    if n <= MATRIX_STATES:
        families.append(("Matrix form", eqs.matrix_form(mdp, policy, notation=notation)))
    for i, (title, family) in enumerate(families):
        if i:
            print()
        if args.latex:
            print(f"% {title}")
            print(sympy.latex(family))
        else:
            print(f"{title}:")
            print(sympy.sstr(family))
    if n > MATRIX_STATES:
        print()
        print(f"{'% ' if args.latex else ''}Matrix form: not shown for {n} states (a dense "
              f"{n} x {n} matrix; it is shown up to {MATRIX_STATES} states)")
    return 0


def _equations_json(mdp, policy, args) -> int:
    from .. import equations as eqs

    notation = notation_from(args)
    families = {"v": eqs.expectation_equations(mdp, policy, kind="v", notation=notation)}
    if not mdp.is_mrp:
        families["q"] = eqs.expectation_equations(mdp, policy, kind="q", notation=notation)
        families["half_steps"] = eqs.half_steps(mdp, policy, notation=notation)
    out = {"model": mdp.name, "discount": str(mdp.discount),
           "equations": {name: [{"state": eq.state, "action": eq.action,
                                 "lhs": str(eq.lhs), "rhs": str(eq.rhs)} for eq in family]
                         for name, family in families.items()}}
    print(json.dumps(out, indent=2))
    return 0


def cmd_latex(args) -> int:
    from ..render.latex import DEFAULT_GAMMAS, WHAT, latex_document

    if args.output:
        check_output(args.output)
    study = load_study(args)
    what = comma_list(args.what) or list(WHAT)
    rest = [w for w in what if w != "grid"]
    with progress("latex"):
        text = latex_document(study, None, rest, standalone_document=args.standalone,
                              notation=notation_from(args), states=comma_list(args.only) or None,
                              gammas=gammas(args.gamma) or DEFAULT_GAMMAS) \
            if rest or args.standalone else ""
        if "grid" in what:
            from ..render.grid import add_grid_sections

            text = add_grid_sections(text, study, standalone=args.standalone)
    write_or_print(text, args.output)
    if args.output:
        print(f"wrote {args.output}")
    return 0
