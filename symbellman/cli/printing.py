"""The commands that print equations: ``equations`` (text, LaTeX, JSON) and ``latex``."""

from __future__ import annotations

import json

import sympy

from ..core.i18n import _
from ..progress import progress
from .arguments import comma_list, gammas, load_study, notation_from
from .criteria import criterion_of
from .output import check_output


#: ``equations`` prints the dense matrix form up to this many non-terminal states.
MATRIX_STATES = 60


def cmd_equations(args) -> int:
    from ..equations import discounted as eqs

    study = load_study(args)
    kind, changed = criterion_of(args, study.mdp)
    if kind != "discounted":
        return _criteria_equations(args, changed, study.policy.bound_to(changed), kind)
    mdp, policy = study.mdp, study.policy
    if args.json:
        return _equations_json(mdp, policy, args)
    notation = notation_from(args)
    families = [(_("Bellman expectation equations for v_pi"),
                 eqs.expectation_equations(mdp, policy, kind="v", notation=notation))]
    if not mdp.is_mrp:
        families.append((_("Bellman expectation equations for q_pi"),
                         eqs.expectation_equations(mdp, policy, kind="q", notation=notation)))
        families.append((_("The half-steps joining them"),
                         eqs.half_steps(mdp, policy, notation=notation)))
    n = len(mdp.nonterminal)
    if n <= MATRIX_STATES:
        families.append((_("Matrix form"), eqs.matrix_form(mdp, policy, notation=notation)))
    for i, (title, family) in enumerate(families):
        if i:
            print()
        if args.latex:
            print(f"% {title}")
            print(sympy.latex(family))
        else:
            print(_("{title}:").format(title=title))
            print(sympy.sstr(family))
    if n > MATRIX_STATES:
        print()
        print(("% " if args.latex else "") + _(
            "Matrix form: not shown for {n} states (a dense {n} x {n} matrix; it is shown up "
            "to {most} states)").format(n=n, most=MATRIX_STATES))
    if mdp.criteria.projection is not None:  # the model file gives features
        from ..projected.typeset import projected_latex, projected_text

        td = study.result("theta_TD")
        print()
        if args.latex:
            print(projected_latex(td))
        else:
            print(_("The projected Bellman equation of linear TD(0), {equation} (symbellman td "
                    "solves it):").format(equation="A theta = b with A = X^T D (I - gamma P_pi) "
                                                   "X, b = X^T D r_pi"))
            print(projected_text(td))
    return 0


def _criteria_equations(args, mdp, policy, kind: str) -> int:
    """Backward induction (finite horizon) or the average-reward equations."""
    from ..equations.criteria import average_equations, finite_horizon_equations

    make = finite_horizon_equations if kind == "finite-horizon" else average_equations
    blocks = list(make(mdp, policy))
    if not mdp.is_mrp:
        blocks += make(mdp, optimal=True)
    if args.json:
        out = {"model": mdp.name, "criterion": kind,
               "equations": [{"title": b.title, "general": list(b.general),
                              "lines": [{"lhs": line.lhs, "rhs": line.rhs} for line in b.lines]}
                             for b in blocks]}
        print(json.dumps(out, indent=2))
        return 0
    print("\n\n".join(b.latex() if args.latex else b.text() for b in blocks))
    return 0


def _other_criterion_latex(mdp, policy) -> str:
    """The finite-horizon or average-reward equations of a model that asks for them."""
    from ..equations.criteria import average_equations, finite_horizon_equations

    kind = mdp.criteria.kind
    if kind == "discounted":
        return ""
    make = finite_horizon_equations if kind == "finite-horizon" else average_equations
    blocks = list(make(mdp, policy)) + ([] if mdp.is_mrp else list(make(mdp, optimal=True)))
    return "\n\n".join(b.latex() for b in blocks)


def _equations_json(mdp, policy, args) -> int:
    from ..equations import discounted as eqs

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
    """``symbellman latex``: the document written as it is computed (each closed form as
    it is read from the engine), to ``-o`` whole or not at all, or to standard output."""
    from ..render.latex import DEFAULT_GAMMAS, WHAT, latex_chunks

    if args.output:
        check_output(args.output)
    study = load_study(args)
    other = _other_criterion_latex(study.mdp, study.policy)
    if other and study.mdp.discount == 1:
        study = study.symbolic  # as the handout does: the discounted parts leave γ open
    what = comma_list(args.what) or list(WHAT)
    rest = [w for w in what if w != "grid"]
    if set(what) & {"solution", "optimal", "grid"}:
        from ..solve.budget import check_budget

        from .solving import timeout_of

        check_budget(study.mdp, study.policy, ("v",), timeout=timeout_of(args))
    with progress("latex"):
        grid = ()
        if "grid" in what:  # checked (a layout, numbers) before anything is written
            from ..render.grid import grid_sections

            grid = grid_sections(study)
        chunks = latex_chunks(study, None, rest,
                              standalone_document=args.standalone,
                              notation=notation_from(args),
                              states=comma_list(args.only) or None,
                              gammas=gammas(args.gamma) or DEFAULT_GAMMAS, more=grid,
                              tail=other)
        _write_chunks(chunks, args.output)
    if args.output:
        print(_("wrote {path}").format(path=args.output))
    return 0


def _write_chunks(chunks, output: str | None) -> None:
    """Write the pieces to the file ``output`` as they come (whole or not at all: a
    failure half-way leaves no partial file), or print them; the text ends with a
    newline either way."""
    import sys
    from contextlib import nullcontext

    from ..core.names import safe_text
    from ..io.files import streamed_file

    with streamed_file(output) if output else nullcontext(sys.stdout) as out:
        last = ""
        for chunk in chunks:
            if chunk:
                out.write(safe_text(chunk, lines=True))
                last = chunk
        if not last.endswith("\n"):
            out.write("\n")
