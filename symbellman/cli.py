"""The ``symbellman`` command: load a model file, make one library call, print the result.

``main(argv) -> int`` is the whole program; it is also what the tests call. Errors a
user can cause (:class:`~symbellman.errors.SymbellmanError`) are turned into one line on
standard error and exit status 2, here and nowhere else.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from typing import Sequence

import sympy

from . import __version__
from .errors import MissingDependency, ModelError, SolveError, SymbellmanError
from .expressions import parse_expression, safe_text
from .limits import ENVIRONMENT, Limits, bounded_run, current as current_limits, out_of_memory
from .progress import progress

__all__ = ["main"]

#: Up to this many non-terminal states, closed forms are printed factored.
SMALL_MODEL = 12
#: ``equations`` prints the dense matrix form up to this many non-terminal states.
MATRIX_STATES = 60


# -- shared helpers for subcommands --------------------------------------------------------------
def parse_assignments(items: Sequence[str] | None) -> dict[str, sympy.Expr]:
    """``["gamma=9/10", "alpha=0.5"]`` -> ``{"gamma": 9/10, "alpha": 1/2}``, exactly.

    >>> parse_assignments(["gamma=0.9"])
    {'gamma': 9/10}
    """
    values = {}
    for item in items or ():
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise ModelError(f"--at expects name=value, got {item!r}", place="--at",
                             hint="for example --at gamma=9/10")
        values[name] = parse_expression(text, place=f"--at {name}")
        if values[name].free_symbols:
            raise ModelError(f"the value of {name} must be a number", place="--at")
    return values


def load(args) -> tuple:
    """The model and policy named by the common arguments, with ``--at`` values put in."""
    from .io import load_model, load_policy

    mdp, policy = load_model(args.model)
    if getattr(args, "policy", None):
        policy = load_policy(args.policy, mdp)
    # What was read is bounded now (file size, digits, degree): from here on the numbers
    # are symbellman's own exact values, printed in full however long (main() restores).
    _print_all_digits()
    values = parse_assignments(getattr(args, "at", None))
    if "gamma" in values and not mdp.discount.free_symbols:
        # the discount is already a number: --at gamma=... replaces it
        mdp = mdp.replace(discount=values.pop("gamma"))
        policy = policy.bound_to(mdp)
    if values:
        mdp2 = mdp.subs(values)
        policy = policy.subs(mdp2, values)
        mdp = mdp2
    return mdp, policy


def _decimal(expr: sympy.Expr, digits: int = 6) -> str:
    """A short decimal for a table; trailing zeros go from the digits, never the exponent.

    >>> _decimal(sympy.Rational(1, 8)), _decimal(sympy.Integer(10)**30 - 1)
    ('0.125', '1.000000000e+30')
    """
    if expr.free_symbols:
        return ""
    if expr == 0:
        return "0"
    text = str(sympy.Float(expr, digits + 4).round(digits))
    mantissa, e, exponent = text.partition("e")
    if "." in mantissa and not e:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return mantissa + e + exponent


def _table(rows: list[list[str]], header: list[str]) -> str:
    rows = [[safe_text(str(c)) for c in r] for r in rows]  # widths of what is shown
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def _strings(function) -> dict:
    return {k: function.text(k) for k in function.keys()}


# -- subcommands -------------------------------------------------------------------------------
def cmd_solve(args) -> int:
    from .batch import solution_data
    from .evaluate import solve_q, solve_v

    if len(args.model) > 1:
        return cmd_solve_many(args)
    args.model = args.model[0]
    mdp, policy = load(args)
    with progress("solve"):
        v = solve_v(mdp, policy)
        q = None if mdp.is_mrp else solve_q(mdp, policy, v=v)
    if args.json:
        print(json.dumps(solution_data(mdp, v, q), indent=2))
        return 0
    title = mdp.name or args.model
    print(f"{title}: v_pi under the {policy.kind} policy, discount {mdp.discount}")
    print()
    numeric = not mdp.discount.free_symbols
    if numeric:
        print(_table([[s, str(v[s]), _decimal(v[s])] for s in mdp.states],
                     ["state", "v_pi (exact)", "decimal"]))
        if q is not None:
            print()
            print(_table([[s, a, str(q[s, a]), _decimal(q[s, a])]
                          for s, a in mdp.state_action_pairs],
                         ["state", "action", "q_pi (exact)", "decimal"]))
    else:
        # factored forms read best, but factoring costs seconds on big models
        show = (lambda f, k: str(f.factored(k))) if len(mdp.nonterminal) <= SMALL_MODEL \
            else (lambda f, k: f.text(k))
        for s in mdp.states:
            print(f"v_pi({s}) = {show(v, s)}")
        if q is not None:
            print()
            for s, a in mdp.state_action_pairs:
                print(f"q_pi({s}, {a}) = {show(q, (s, a))}")
    return 0


def cmd_equations(args) -> int:
    from . import equations as eqs

    mdp, policy = load(args)
    if args.json:
        return _equations_json(mdp, policy, args)
    notation = _notation(args)
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


def _add_notation_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--style", choices=("sutton-barto", "silver"), default="sutton-barto",
                   help="Sutton & Barto's r(s, a, s') (default) or David Silver's R^a_s")
    p.add_argument("--states", choices=("name", "index"), default="name",
                   help="states as upright names (default) or as s_1, s_2, ...")
    p.add_argument("--terminals", choices=("auto", "symbol", "zero", "omit"),
                   default="auto", help="how terminal successors show (default: auto)")


def _notation(args):
    from .equations import Notation

    return Notation(style=args.style, states=args.states, terminals=args.terminals)


def check_output(output: str) -> None:
    """Refuse an output path whose folder is missing, before any work is done.

    >>> check_output("/no/such/folder/x.tex")
    Traceback (most recent call last):
    ...
    symbellman.errors.SymbellmanError: /no/such/folder/x.tex: the folder /no/such/folder does not exist (create it first, or write somewhere else)
    """
    from pathlib import Path

    folder = Path(output).parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise SymbellmanError(f"{safe_text(output)}: the folder {safe_text(str(folder))} {what} "
                              f"(create it first, or write somewhere else)")
    if Path(output).is_dir():
        raise SymbellmanError(f"{safe_text(output)}: is a folder; give a file name")


def _write_or_print(text: str, output: str | None) -> None:
    if output:
        from pathlib import Path

        check_output(output)
        try:
            Path(output).write_text(safe_text(text, lines=True), encoding="utf-8")
        except OSError as err:
            raise SymbellmanError(f"{safe_text(output)}: cannot write: "
                                  f"{err.strerror or err}") from None
    else:
        print(text, end="" if text.endswith("\n") else "\n")


def cmd_latex(args) -> int:
    from .render.latex import DEFAULT_GAMMAS, WHAT, latex_document

    if args.output:
        check_output(args.output)
    mdp, policy = load(args)
    what = _list(args.what) or list(WHAT)
    rest = [w for w in what if w != "grid"]
    with progress("latex"):
        text = latex_document(mdp, policy, rest, standalone_document=args.standalone,
                              notation=_notation(args), states=_list(args.only) or None,
                              gammas=_gammas(args.gamma) or DEFAULT_GAMMAS) \
            if rest or args.standalone else ""
        if "grid" in what:
            from .render.grid import add_grid_sections

            text = add_grid_sections(text, mdp, policy, standalone=args.standalone)
    _write_or_print(text, args.output)
    if args.output:
        print(f"wrote {args.output}")
    return 0


def _list(text: str | None) -> list[str]:
    """``"a, b,c"`` -> ``["a", "b", "c"]`` (empty for None)."""
    return [item.strip() for item in (text or "").split(",") if item.strip()]


def _gammas(text: str | None) -> list | None:
    if not text:
        return None
    values = []
    for item in text.split(","):
        value = parse_expression(item.strip(), place="--gamma")
        if value.free_symbols or not (0 <= value <= 1):
            raise ModelError(f"--gamma expects numbers between 0 and 1, got {item.strip()!r}",
                             place="--gamma", hint="for example --gamma 0,0.9,1")
        values.append(value)
    return values


def cmd_handout(args) -> int:
    from .render.handout import write_handout

    check_output(args.output)
    if args.variants is not None:
        return _handout_variants(args)
    mdp, policy = load(args)
    if args.output.lower().endswith((".html", ".htm")):
        from .render.html import write_page

        with progress("page"):
            page = write_page(mdp, policy, args.output)
        print(f"wrote {args.output} ({page['bytes'] // 1024} KB, one self-contained page)")
        _report((), page["notes"])
        return 0
    try:
        with progress("handout"):
            result = write_handout(mdp, policy, args.output, gammas=_gammas(args.gamma),
                                   exercise=args.exercise, notation=_notation(args),
                                   closed_forms=_closed_forms(args), slides=args.slides)
    except MissingDependency as exc:
        raise _suggest_tex_free(exc, args.output) from None
    _report(result.files, result.notes)
    return 0


def _suggest_tex_free(exc: MissingDependency, output: str) -> MissingDependency:
    stem = output[:-4] if output.lower().endswith(".pdf") else None
    if stem is None or "TeX" not in str(exc):
        return exc
    return MissingDependency(f"{exc}; or write -o {stem}.tex or -o {stem}.md, "
                             "which need no TeX")


def _report(files, notes) -> None:
    for path in files:
        print(f"wrote {path}")
    for note in notes:
        print(f"note: {note}", file=sys.stderr)


def _closed_forms(args) -> tuple[str, ...]:
    return tuple(x.strip() for x in (args.closed_forms or "").split(",") if x.strip())


def _handout_variants(args) -> int:
    from functools import partial

    from .render.sheets import write_variants

    try:
        with progress("handout variants"):
            result = write_variants(partial(load, args), args.variants, args.seed, args.output,
                                    jobs=args.jobs or os.cpu_count() or 1,
                                    gammas=_gammas(args.gamma), exercise=args.exercise,
                                    notation=_notation(args),
                                    closed_forms=_closed_forms(args), slides=args.slides)
    except MissingDependency as exc:
        raise _suggest_tex_free(exc, args.output) from None
    for number, values in result["variants"]:
        print(f"variant {number}: {values}")
    _report(result["files"], result["notes"])
    return 0


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}")
    return int(text)


def _range(text: str | None) -> tuple:
    if not text:
        return 0, 1
    parts = text.split(",")
    if len(parts) != 2:
        raise ModelError(f"--range expects LOW,HIGH, got {text!r}", place="--range",
                         hint="for example --range 0,1")
    values = tuple(parse_expression(x.strip(), place="--range") for x in parts)
    if any(v.free_symbols for v in values):
        raise ModelError("--range expects two numbers", place="--range")
    return values


def _actions(policy) -> dict:
    return {s: list(actions) for s, actions in policy.items()}


def cmd_optimal(args) -> int:
    from .optimal import optimal, optimal_pieces
    from .policy import with_symbolic_discount

    mdp, _ = load(args)
    over = args.over
    if over == "gamma" and not mdp.discount.free_symbols:
        # --over gamma on a model with a numeric discount: vary the discount instead
        mdp, _ = with_symbolic_discount(mdp)
    if over is None and not isinstance(mdp.discount, sympy.Symbol):
        if args.range:
            raise ModelError("--range needs a variable: a symbolic discount or --over",
                             place="--range")
        with progress("optimal"), _cli_words():
            best = optimal(mdp)
        return _print_optimal(mdp, best, args)
    low, high = _range(args.range)
    with progress("optimal pieces"), _cli_words():
        pieces = optimal_pieces(mdp, over=over, low=low, high=high)
    return _print_pieces(mdp, pieces, args)


@contextlib.contextmanager
def _cli_words():
    """The library says "give values with at={...}"; on the command line that is --at."""
    import re

    try:
        yield
    except SolveError as exc:
        text = str(exc)
        if "at={...}" not in text:
            raise
        # "... but c, p have no value: ..." or "... give values to c, p with at={...}"
        found = re.search(r"(?:but|values to) (\w+(?:, \w+)*) (?:has|have|with)", text)
        names = found.group(1).split(", ") if found else ["NAME"]
        example = " ".join(f"--at {name}=1/2" for name in names)
        raise SolveError(text.replace("at={...}", f"{example} (for example)")
                         .replace("use optimal_pieces for", "use --over NAME for")
                         .replace("optimal_pieces varies one symbol",
                                  "the pieces (over gamma, or --over NAME) vary one symbol")
                         ) from None


def _print_optimal(mdp, best, args) -> int:
    if args.json:
        out = {"model": mdp.name, "discount": str(mdp.discount),
               "v_star": _strings(best.v_star),
               "q_star": {s: {a: best.q_star.text((s, a)) for a in mdp.actions(s)}
                          for s in mdp.nonterminal},
               "policy": _actions(best.policy)}
        print(json.dumps(out, indent=2))
        return 0
    print(f"{mdp.name or args.model}: the optimum at discount {mdp.discount} "
          f"({best.iterations} exact policy iteration{'s' if best.iterations != 1 else ''}, "
          "certificate "
          f"{'holds' if best.certificate().holds else 'FAILS'})")
    print()
    print(_table([[s, str(best.v_star[s]), _decimal(best.v_star[s]),
                   ", ".join(best.policy.get(s, ()))] for s in mdp.states],
                 ["state", "v* (exact)", "decimal", "optimal actions"]))
    print()
    print(_table([[s, a, str(best.q_star[s, a]), _decimal(best.q_star[s, a])]
                  for s, a in mdp.state_action_pairs],
                 ["state", "action", "q* (exact)", "decimal"]))
    return 0


def _print_pieces(mdp, pieces, args) -> int:
    x = pieces.variable
    if args.json:
        out = {"model": mdp.name, "discount": str(mdp.discount), "variable": str(x),
               "pieces": [{"from": str(p.start), "to": str(p.end),
                           "from_decimal": p.start_decimal, "to_decimal": p.end_decimal,
                           "policy": _actions(p.policy),
                           "tie": None if p.tie is None else _actions(p.tie),
                           "verified_at": str(p.point),
                           "v_star": _strings(p.v_star),
                           "q_star": {s: {a: p.q_star.text((s, a)) for a in mdp.actions(s)}
                                      for s in mdp.nonterminal}}
                          for p in pieces],
               "blackwell": None if pieces.blackwell is None else _actions(pieces.blackwell)}
        print(json.dumps(out, indent=2))
        return 0
    print(f"{mdp.name or args.model}: the optimum for {x} in [{pieces.low}, {pieces.high}): "
          f"{len(pieces)} piece{'s' if len(pieces) != 1 else ''}")
    small = len(mdp.nonterminal) <= SMALL_MODEL
    for i, p in enumerate(pieces):
        print()
        print(f"piece {i + 1}: {p.start} <= {x} < {p.end}   "
              f"(~ {p.start_decimal} to {p.end_decimal}; certified at {x} = {p.point})")
        tie = [] if p.tie is None else [f"tie at {x} = {p.end_decimal}"]
        rows = [[s, ", ".join(p.policy[s]), *([", ".join(p.tie[s])] if tie else []),
                 str(p.v_star.factored(s)) if small else p.v_star.text(s)]
                for s in mdp.nonterminal]
        print(_table(rows, ["state", "optimal actions", *tie, f"v*({x})"]))
    if pieces.blackwell is not None:
        print()
        print("Blackwell-optimal (optimal for every discount close to 1): "
              + "; ".join(f"{s}: {', '.join(a)}" for s, a in pieces.blackwell.items()))
    return 0


# -- many models, equations as data, import and export -------------------------------------------
def cmd_solve_many(args) -> int:
    """``solve A.yaml B.yaml ...``: with --json one JSON object per line, else one table each."""
    if not args.json:
        status = 0
        for i, path in enumerate(args.model):
            if i:
                print()
            status = max(status, main(["solve", path, *_repeat("--at", args.at),
                                       *(["--policy", args.policy] if args.policy else [])]))
        return status
    from .batch import solve_many

    if args.policy:
        raise ModelError("--policy applies to one model", place="--policy",
                         hint="give each model file its own policy key")
    at = parse_assignments(args.at)
    executor = None
    if args.jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        executor = ProcessPoolExecutor(args.jobs)
    try:
        results = solve_many(args.model, executor, at=at, errors="return")
    finally:
        if executor is not None:
            executor.shutdown()
    for result in results:
        print(json.dumps(result), flush=True)
    return 2 if any("error" in r for r in results) else 0


def _repeat(flag: str, values) -> list[str]:
    return [x for v in values or () for x in (flag, v)]


def _equations_json(mdp, policy, args) -> int:
    from . import equations as eqs

    notation = _notation(args)
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


def _keyword(text: str):
    """``is_slippery=false`` -> ``("is_slippery", False)``: booleans, integers, else text."""
    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise ModelError(f"expected NAME=VALUE, got {text!r}", place="import",
                         hint="for example is_slippery=false or map_name=8x8")
    lowered = value.strip().lower()
    if lowered in ("true", "false"):
        return name, lowered == "true"
    try:
        return name, int(value)
    except ValueError:
        pass
    try:
        return name, float(value)
    except ValueError:
        return name, value


def cmd_import(args) -> int:
    from .io.arrays import import_gymnasium
    from .io.writer import write_model

    kind, sep, env_id = args.source.partition(":")
    if not sep or kind != "gymnasium" or not env_id:
        raise ModelError(f"cannot import {args.source!r}", place="import",
                         hint="write gymnasium:ENV_ID, e.g. gymnasium:FrozenLake-v1")
    keywords = dict(_keyword(k) for k in args.keywords)
    with progress("import"):
        mdp, layout = import_gymnasium(env_id, keywords, discount=args.discount)
        path = write_model(mdp, None, args.output, layout=layout)
    print(f"wrote {path} ({len(mdp.states)} states, {len(mdp.state_action_pairs)} "
          f"state-action pairs{', with a layout' if layout else ''})")
    return 0


def cmd_export(args) -> int:
    from .io.prism import prism_properties, to_prism

    mdp, policy = load(args)
    text = to_prism(mdp, policy, what=args.what, gamma=args.gamma)
    properties = prism_properties(mdp, what=args.what)
    if not args.output:
        print(text + "\n" + properties, end="")
        return 0
    from pathlib import Path

    model_path = Path(args.output)
    props_path = model_path.with_suffix(".props")
    model_path.write_text(text, encoding="utf-8")
    props_path.write_text(properties, encoding="utf-8")
    print(f"wrote {model_path}")
    print(f"wrote {props_path}")
    return 0


def _add_interop_commands(sub) -> None:
    p = sub.add_parser("import", help="a model file from a gymnasium environment",
                       description="Write a model file from a registered gymnasium "
                                   "environment with a transition table P (FrozenLake, "
                                   "CliffWalking, Taxi), with a grid layout where it has one.")
    p.add_argument("source", help="gymnasium:ENV_ID, e.g. gymnasium:FrozenLake-v1")
    p.add_argument("keywords", nargs="*", metavar="NAME=VALUE",
                   help="arguments for gymnasium.make, e.g. is_slippery=false map_name=8x8")
    p.add_argument("-o", "--output", metavar="FILE", required=True,
                   help="the model file: FILE.yaml, FILE.json or FILE.toml")
    p.add_argument("--discount", metavar="VALUE",
                   help="the discount written to the file (default: the symbol gamma)")
    p.set_defaults(run=cmd_import)

    p = sub.add_parser("export", help="the model for a model checker (PRISM, Storm)",
                       description="Write the policy's chain (a dtmc) or the MDP in the "
                                   "PRISM language, with discounting as a stop with "
                                   "probability 1 - gamma, and the property that asks "
                                   "for the values; check it with Storm or PRISM.")
    _add_model_arguments(p)
    p.add_argument("--to", choices=("prism",), default="prism", help="the format (prism)")
    p.add_argument("--what", choices=("chain", "mdp"), default="chain",
                   help="the policy's chain (default) or the MDP")
    p.add_argument("--gamma", choices=("constant", "parameter"),
                   help="gamma as a constant with the model's value, or an open parameter "
                        "(default: a constant when the discount is a number)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write FILE (e.g. model.pm) and FILE's .props beside it")
    p.set_defaults(run=cmd_export)


# -- the parser ----------------------------------------------------------------------------------
def _add_model_arguments(p: argparse.ArgumentParser, *, at: bool = True,
                         many: bool = False) -> None:
    if many:
        p.add_argument("model", nargs="+", help="model files (.yaml, .yml, .json or .toml); "
                                                "with several, --json prints one line each")
    else:
        p.add_argument("model", help="model file (.yaml, .yml, .json or .toml)")
    p.add_argument("--policy", metavar="FILE",
                   help="a policy file, instead of the model's own policy")
    if at:
        p.add_argument("--at", metavar="NAME=VALUE", action="append",
                       help="substitute an exact value first (repeatable), e.g. gamma=9/10")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="symbellman",
        description="Derive, solve and typeset Bellman equations exactly.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("solve", help="v_pi and q_pi of the model's policy, exactly",
                       description="Print v_pi and q_pi of the model's policy as exact "
                                   "values (numeric discount) or closed forms in it.")
    _add_model_arguments(p, many=True)
    p.add_argument("--json", action="store_true", help="print one JSON object (see the spec)")
    p.add_argument("--jobs", metavar="N", type=int, default=1,
                   help="solve several models in N processes at once (default 1)")
    p.set_defaults(run=cmd_solve)

    p = sub.add_parser("equations", help="the Bellman expectation equations",
                       description="Print the Bellman expectation equations of v_pi and "
                                   "q_pi, the half-steps joining them and the matrix form.")
    _add_model_arguments(p)
    p.add_argument("--latex", action="store_true", help="print LaTeX instead of text")
    p.add_argument("--json", action="store_true",
                   help="print each equation's right-hand side as exact text, in JSON")
    _add_notation_arguments(p)
    p.set_defaults(run=cmd_equations)

    p = sub.add_parser("latex", help="LaTeX of the equations and solutions",
                       description="Print the model's Bellman equations and their solution "
                                   "as LaTeX (align* blocks that need amsmath).")
    _add_model_arguments(p)
    p.add_argument("--what", metavar="LIST",
                   help="comma-separated parts: v,q,halfsteps,matrix,solution,optimal "
                        "(default: all), and grid: the values and optimal arrows drawn on "
                        "the model's layout grid (TikZ)")
    p.add_argument("--only", metavar="STATES",
                   help="comma-separated states whose equations and closed forms print "
                        "(in full, however long); default: every state, with closed forms "
                        "longer than a few lines summarised")
    p.add_argument("--gamma", metavar="LIST",
                   help="discounts at which a summarised closed form shows its value "
                        "(default: 0.9)")
    p.add_argument("--standalone", action="store_true",
                   help="a complete document (article with amsmath) instead of a fragment")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of printing")
    _add_notation_arguments(p)
    p.set_defaults(run=cmd_latex)

    p = sub.add_parser("handout", help="a teaching handout (PDF, .tex or Markdown)",
                       description="Write a handout: the model, its state diagram, the "
                                   "equations, the exact solution, a plot, the optimal "
                                   "policy and worked steps. PDF needs pdflatex and dot.")
    _add_model_arguments(p)
    p.add_argument("-o", "--output", metavar="FILE", required=True,
                   help="the handout: FILE.pdf, FILE.tex or FILE.md; FILE.html is an "
                        "interactive page (sliders, stepping; one offline file)")
    p.add_argument("--gamma", metavar="LIST",
                   help="discounts for the table of values, e.g. 0,0.9,1")
    p.add_argument("--exercise", action="store_true",
                   help="leave the answers blank and write the key to FILE-key.EXT")
    p.add_argument("--slides", action="store_true",
                   help="write Beamer slides of the same content (FILE.pdf or FILE.tex)")
    p.add_argument("--closed-forms", metavar="STATES",
                   help="print the closed forms in gamma of these states however long, "
                        "e.g. r0c0,r0c1 (all of them are in FILE-closed-forms.json)")
    p.add_argument("--variants", metavar="N", type=_count,
                   help="write N sheets FILE-1.EXT, ... whose numbers are drawn from the "
                        "model's 'vary' ranges (with --exercise, each with its key)")
    p.add_argument("--seed", metavar="S", type=_count, default=0,
                   help="the seed that draws the variants (default 0): the same seed "
                        "gives the same sheets")
    p.add_argument("--jobs", metavar="J", type=_count, default=1,
                   help="write the variants with J processes (0: one per CPU; default 1)")
    _add_notation_arguments(p)
    p.set_defaults(run=cmd_handout)

    p = sub.add_parser("optimal", help="v*, q* and the optimal actions, exactly",
                       description="Solve the Bellman optimality equations exactly: v*, q* "
                                   "and every optimal action at a numeric discount; for a "
                                   "symbolic discount (or --over SYMBOL) the pieces of the "
                                   "range with their optimal policies and exact breakpoints.")
    p.add_argument("model", help="model file (.yaml, .yml, .json or .toml)")
    p.add_argument("--at", metavar="NAME=VALUE", action="append",
                   help="substitute an exact value first (repeatable), e.g. gamma=9/10")
    p.add_argument("--over", metavar="SYMBOL",
                   help="the variable of the pieces: gamma (the default when the discount is "
                        "a symbol) or a parameter, with the others given by --at")
    p.add_argument("--range", metavar="LOW,HIGH",
                   help="the range of the variable (default 0,1; write --range=-5,5 "
                        "when LOW is negative)")
    p.add_argument("--json", action="store_true", help="print one JSON object (see the spec)")
    p.set_defaults(run=cmd_optimal)
    _add_interop_commands(sub)
    _add_run_limits(parser, sub)
    return parser


def _add_run_limits(parser: argparse.ArgumentParser, sub) -> None:
    """--timeout and --max-memory, before or after the command's name."""
    for i, p in enumerate([parser, *sub.choices.values()]):
        default = None if i == 0 else argparse.SUPPRESS  # a command's own copy wins if given
        p.add_argument("--timeout", metavar="SECONDS", type=_positive(float), default=default,
                       help="stop with an error after SECONDS (default: "
                            f"${ENVIRONMENT['timeout']}, else no limit)")
        p.add_argument("--max-memory", metavar="MB", type=_positive(int), default=default,
                       help=f"memory ceiling of the run (default: "
                            f"${ENVIRONMENT['memory_mb']}, else {Limits().memory_mb})")


def _positive(kind):
    def convert(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
        return value
    return convert


def reference() -> str:
    """The command-line reference in Markdown, made from ``--help`` (docs/cli.md)."""
    import os

    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "88"  # argparse wraps to the terminal: fix it for the docs
    try:
        return _reference(build_parser())
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved


def _reference(parser) -> str:
    parts = ["# Command-line reference", "",
             "Generated from `symbellman --help` by `python -m symbellman.cli`; "
             "do not edit by hand.", "", "```", parser.format_help().rstrip(), "```"]
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in subparsers.choices.items():
        parts += ["", f"## symbellman {name}", "", "```", sub.format_help().rstrip(), "```"]
    return "\n".join(parts) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    digits = _digit_limit()
    stdout = sys.stdout
    sys.stdout = _SafeStream(stdout)
    try:
        limits = current_limits()
        memory = args.max_memory if args.max_memory is not None else limits.memory_mb
        timeout = args.timeout if args.timeout is not None else limits.timeout
        with bounded_run(timeout=timeout, memory_mb=memory):
            return args.run(args)
    except SymbellmanError as exc:
        message = str(exc)
        if isinstance(exc, SolveError) and getattr(args, "model", None):
            message = f"{args.model}: {message}"  # e.g. γ = 1 on a policy that never ends
        _error(message)
        return 2
    except MemoryError:
        _error(out_of_memory(memory))
        return 2
    except KeyboardInterrupt:
        print("symbellman: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    finally:
        sys.stdout = stdout
        _set_digit_limit(digits)


def _error(message: str) -> None:
    # one line, whatever a file name or a state name holds
    print(f"symbellman: error: {safe_text(message)}", file=sys.stderr)


class _SafeStream:
    """Standard output that shows control characters in what it prints as escapes.

    A state named ``"\\x1b[2J"`` must not clear the terminal, and a lone surrogate
    (which UTF-8 cannot encode) must not crash the printing of the results.
    """

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(safe_text(text, lines=True))

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _digit_limit() -> int | None:
    get = getattr(sys, "get_int_max_str_digits", None)  # Python >= 3.11 (and patched 3.10)
    return get() if get else None


def _set_digit_limit(digits: int | None) -> None:
    if digits is not None:
        sys.set_int_max_str_digits(digits)


def _print_all_digits() -> None:
    """Let symbellman's own exact integers print in full, past Python's 4,300 digits.

    Python's limit guards text-to-int conversion of untrusted input; a model's text is
    read before this is called (and bounded by the limits), so only symbellman's own
    exact results are converted while it is lifted; :func:`main` restores it.
    """
    _set_digit_limit(0 if _digit_limit() is not None else None)


if __name__ == "__main__":  # python -m symbellman.cli > docs/cli.md
    sys.stdout.write(reference())
