"""The commands that solve: ``solve`` (v_pi, q_pi, one or many models) and ``optimal``."""

from __future__ import annotations

import contextlib
import json
import sys

import sympy

from ..text.canonical import canonical_entry
from ..core.errors import ModelError, SolveError
from ..core.expressions import parse_expression
from ..equations.families import family, nested
from ..core.i18n import _, using
from ..progress import progress
from .arguments import load_study, parse_assignments
from .messages import error_line, said
from .criteria import criterion_of, laurent_data, optimal_other, solve_other, study_of
from .output import (POLICY_KINDS, Lazy, plain_text, raw_writer, table, value_columns,
                     value_headers, write_json)



#: Up to this many non-terminal states, closed forms are printed factored.
SMALL_MODEL = 12


def _plain(function) -> bool:
    """Whether every text of ``function`` is plain JSON text (its symbols' names are)."""
    vector = getattr(function, "_vector", None)
    names = [str(s) for s in vector.ring.symbols] if vector is not None else ["?"]
    return all(plain_text(name) for name in names)


def _lazy_family(key: str, result) -> Lazy:
    """``family(key).data(result)`` as a :class:`~.output.Lazy` object: the same keys,
    nested the same way, each text made only when it is written."""
    plain = _plain(result)
    if len(family(key).arguments) == 1:
        return Lazy(result.keys(), result.text, plain)
    tree = nested(result.keys(), lambda k: k)

    def lazy(node: dict) -> Lazy:
        return Lazy(list(node), lambda name: lazy(node[name]) if isinstance(node[name], dict)
                    else result.text(node[name]), plain)
    return lazy(tree)


def _lazy_family_data(**results) -> dict:
    """``{family(key).json: family(key).data(result)}`` of each family's result, each
    text made only when it is written."""
    return {family(key).json: _lazy_family(key, result) for key, result in results.items()}


def _write_json(value) -> None:
    """Write ``value`` (a dict, possibly holding :class:`~.output.Lazy` objects) as
    ``print(json.dumps(value, indent=2))`` would, piece by piece."""
    if isinstance(value, dict):
        value = Lazy(list(value), value.get)
    write = raw_writer(sys.stdout)
    write_json(value, write)
    write("\n")
    sys.stdout.flush()


def cmd_solve(args) -> int:
    from ..solve.budget import check_budget

    what = parse_what(args.what)
    if len(args.model) > 1:
        if args.horizon or args.criterion or args.laurent or args.relative:
            raise ModelError("--horizon, --criterion, --laurent and --relative apply to one "
                             "model", place="solve")
        return cmd_solve_many(args)
    args.model = args.model[0]
    study = load_study(args)
    kind, changed = criterion_of(args, study.mdp)
    if kind != "discounted":
        with progress("solve"):
            return solve_other(args, study_of(study, changed), kind)
    mdp, policy = study.mdp, study.policy
    check_budget(mdp, policy, what, timeout=timeout_of(args))
    with progress("solve"):
        v = study.v
        q = None if mdp.is_mrp or "q" not in what else study.q
    if args.json:
        # the text of json.dumps(solution_data(mdp, v or None, q), indent=2), written
        # state by state
        results = {**({"v_pi": v} if "v" in what else {}), **({"q_pi": q} if q is not None
                                                                 else {})}
        out = {"model": mdp.name, "discount": str(mdp.discount),
               **_lazy_family_data(**results)}
        if args.laurent:
            out["laurent"] = laurent_data(study)
        _write_json(out)
        return 0
    title = mdp.name or args.model
    kind = _(POLICY_KINDS.get(policy.kind, policy.kind))
    print(_("{title}: {what} under the {kind}, discount {discount}").format(
        title=title, what="v_pi" if "v" in what else "q_pi", kind=kind, discount=mdp.discount))
    numeric = not mdp.discount.free_symbols
    if numeric:
        if "v" in what:
            print()
            print(table([[s, *value_columns(v[s], args)] for s in mdp.states],
                        [_("state"), *value_headers(family("v_pi").column, args)]))
        if q is not None:
            print()
            print(table([[s, a, *value_columns(q[s, a], args)]
                         for s, a in mdp.state_action_pairs],
                        [_("state"), _("action"), *value_headers(family("q_pi").column, args)]))
        _note_undefined(v)
    else:
        # the one printed form of every surface (symbellman.text.canonical): factored when
        # short; on a big model nothing is factored (that costs seconds)
        small = len(mdp.nonterminal) <= SMALL_MODEL
        show = lambda f, k: canonical_entry(f, k, None if small else False).text()  # noqa: E731
        if "v" in what:
            print()
            for s in mdp.states:
                print(f"v_pi({s}) = {show(v, s)}")
        if q is not None:
            print()
            for s, a in mdp.state_action_pairs:
                print(f"q_pi({s}, {a}) = {show(q, (s, a))}")
    if args.laurent:
        terms = laurent_data(study)
        print()
        print(_("Laurent series at gamma = 1: {series}").format(
            series="v_gamma = gain/(1 - gamma) + bias + c1 (1 - gamma) + O((1 - gamma)^2)"))
        print(table([[s, terms["gain"][s], terms["bias"][s], terms["c1"][s]] for s in mdp.states],
                    [_("state"), _("gain"), _("bias"), "c1"]))
    return 0


def timeout_of(args) -> float | None:
    """The run's time limit, from --timeout or SYMBELLMAN_TIMEOUT (None: no limit)."""
    from ..core.limits import current

    given = getattr(args, "timeout", None)
    return given if given is not None else current().timeout


def parse_what(text: str | None) -> tuple[str, ...]:
    """``--what v``, ``q`` or ``v,q`` (the default): what ``solve`` computes and writes.

    >>> parse_what(None), parse_what("q"), parse_what(" q, v ")
    (('v', 'q'), ('q',), ('v', 'q'))
    """
    if text is None:
        return ("v", "q")
    parts = {x.strip() for x in text.split(",") if x.strip()}
    if not parts or parts - {"v", "q"}:
        raise ModelError(f"expected v, q or v,q, got {text!r}", place="--what",
                         hint="--what v writes v_pi only (q_pi takes more time and output)")
    return tuple(x for x in ("v", "q") if x in parts)


def cmd_solve_many(args) -> int:
    """``solve A.yaml B.yaml ...``: with --json one JSON object per line, else one table each.

    A model that fails (a bad file, a budget, a crash) is reported on its own line (text:
    on standard error; JSON: ``{"source": ..., "error": ...}``) and every other result is
    kept; the exit status is then 2. At the time limit the lines already known are
    printed, the rest get the time limit's error, and the status is 2.
    """
    what = parse_what(args.what)
    if not args.json:
        import argparse

        from ..core.errors import SymbellmanError
        from ..core.limits import TimeLimit

        status = 0
        for i, path in enumerate(args.model):
            if i:
                print()
            one = argparse.Namespace(**{**vars(args), "model": [path]})
            try:
                with using(None):  # each model its own `lang:`
                    cmd_solve(one)
            except TimeLimit:
                raise  # the run's time is up: the models after this one are not started
            except Exception as exc:  # noqa: BLE001 - one model's failure is its own
                message = (said(exc) if isinstance(exc, SymbellmanError)
                           else f"internal error ({type(exc).__name__}): {exc}")
                if not message.startswith(path):
                    message = f"{path}: {message}"
                print(error_line(message.splitlines()[0]), file=sys.stderr, flush=True)
                status = 2
        return status
    from contextlib import closing

    from ..batch import solve_each
    from ..core.limits import TimeLimit

    if args.policy:
        raise ModelError("--policy applies to one model", place="--policy",
                         hint="give each model file its own policy key")
    at = parse_assignments(args.at)
    factory = None
    if args.jobs > 1:
        from concurrent.futures import ProcessPoolExecutor
        from functools import partial

        factory = partial(ProcessPoolExecutor, min(args.jobs, len(args.model)))
    paths = list(args.model)
    results: list = [None] * len(paths)
    printed = 0

    def flush() -> None:  # each line as soon as it and every line before it are known
        nonlocal printed
        while printed < len(paths) and results[printed] is not None:
            print(json.dumps(results[printed]), flush=True)
            printed += 1
    try:
        with closing(solve_each(paths, factory, at=at, what=what,
                                budget=timeout_of(args) is None)) as solved:
            for i, result in solved:
                results[i] = result
                flush()
    except TimeLimit as exc:
        # the models solved so far keep their lines; the others get the time limit's
        for i, path in enumerate(paths):
            if results[i] is None:
                results[i] = {"source": path, "error": str(exc)}
        flush()
        raise
    failed = [r for r in results if "error" in r]
    if failed:
        print(error_line(_("{n} of {total} models failed (their lines hold the errors)").format(
            n=len(failed), total=len(paths))), file=sys.stderr)
    return 2 if failed else 0


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
    from ..solve.budget import check_budget

    study = load_study(args)
    kind, changed = criterion_of(args, study.mdp)
    if kind != "discounted":
        if args.over or args.range:
            raise ModelError("--over and --range belong to the discounted criterion",
                             place="--over" if args.over else "--range")
        with progress("optimal"), _cli_words():
            return optimal_other(args, study_of(study, changed), kind)
    # v* and q* cost one solve at least
    check_budget(study.mdp, None, ("v", "q"), timeout=timeout_of(args), choose=False)
    over = args.over
    if over == "gamma" and not study.mdp.discount.free_symbols:
        # --over gamma on a model with a numeric discount: vary the discount instead
        study = study.symbolic
    mdp = study.mdp
    if over is None and not isinstance(mdp.discount, sympy.Symbol):
        if args.range:
            raise ModelError("--range needs a variable: a symbolic discount or --over",
                             place="--range")
        with progress("optimal"), _cli_words():
            best = study.optimum
        return _print_optimal(mdp, best, args)
    low, high = _range(args.range)
    with progress("optimal pieces"), _cli_words():
        pieces = study.pieces(over=over, low=low, high=high)
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
               **_lazy_family_data(v_star=best.v_star, q_star=best.q_star),
               "policy": _actions(best.policy)}
        _write_json(out)
        return 0
    # one message per number (Babel's extraction here reads _ and N_ only)
    print((_("{model}: the optimum at discount {discount} ({n} exact policy iteration, "
             "certificate {verdict})") if best.iterations == 1 else
           _("{model}: the optimum at discount {discount} ({n} exact policy iterations, "
             "certificate {verdict})")).format(
        model=mdp.name or args.model, discount=mdp.discount, n=best.iterations,
        verdict=_("holds") if best.certificate().holds else _("FAILS")))
    print()
    print(table([[s, *value_columns(best.v_star[s], args), ", ".join(best.policy.get(s, ()))]
                 for s in mdp.states],
                [_("state"), *value_headers(family("v_star").column, args),
                 _("optimal actions")]))
    print()
    print(table([[s, a, *value_columns(best.q_star[s, a], args)]
                 for s, a in mdp.state_action_pairs],
                [_("state"), _("action"), *value_headers(family("q_star").column, args)]))
    _note_undefined(best.v_star)
    return 0


def _note_undefined(values) -> None:
    undefined = getattr(values, "undefined", ())
    if undefined:
        print(_("note: no value (nan) for {states}: from there the process may reach a cycle "
                "that earns something and never ends").format(
            states=_(", ").join(map(str, undefined))), file=sys.stderr)


def _print_pieces(mdp, pieces, args) -> int:
    from ..optimal.breakpoints import name_breakpoints

    x = pieces.variable
    if args.json:
        out = {"model": mdp.name, "discount": str(mdp.discount), "variable": str(x),
               "pieces": [{"from": str(p.start), "to": str(p.end),
                           "from_decimal": p.start_decimal, "to_decimal": p.end_decimal,
                           "policy": _actions(p.policy),
                           "tie": None if p.tie is None else _actions(p.tie),
                           "verified_at": str(p.point),
                           **_lazy_family_data(v_star=p.v_star, q_star=p.q_star)}
                          for p in pieces],
               "blackwell": None if pieces.blackwell is None else _actions(pieces.blackwell)}
        _write_json(out)
        return 0
    print((_("{model}: the optimum for {x} in [{low}, {high}): {n} piece") if len(pieces) == 1
           else _("{model}: the optimum for {x} in [{low}, {high}): {n} pieces")).format(
        model=mdp.name or args.model, x=x, low=pieces.low, high=pieces.high, n=len(pieces)))
    small = len(mdp.nonterminal) <= SMALL_MODEL
    # an irrational breakpoint of degree > 2 is named (β1, ...) and defined once, below
    points = name_breakpoints([e for p in pieces for e in (p.start, p.end)], x,
                              decimals=[d for p in pieces for d in (p.start_decimal, p.end_decimal)])

    def end(value) -> str:
        point, name = points[value]
        return f"{name} {point.short}" if name else point.short
    for i, p in enumerate(pieces):
        print()
        print(_("piece {i}: {start} <= {x} < {end}   (~ {low} to {high}; certified at "
                "{x} = {point})").format(i=i + 1, start=end(p.start), x=x, end=end(p.end),
                                         low=p.start_decimal, high=p.end_decimal,
                                         point=p.point))
        tie = [] if p.tie is None else [_("tie at {x} = {at}").format(x=x, at=p.end_decimal)]
        rows = [[s, ", ".join(p.policy[s]), *([", ".join(p.tie[s])] if tie else []),
                 canonical_entry(p.v_star, s, None if small else False).text()]
                for s in mdp.nonterminal]
        print(table(rows, [_("state"), _("optimal actions"), *tie, f"v*({x})"]))
    named = [(name, point) for point, name in points.values() if name]
    if named:
        print()
        for name, point in named:
            print(point.definition(name))
    if pieces.blackwell is not None:
        print()
        print(_("Blackwell-optimal (optimal for every discount close to 1): {actions}").format(
            actions="; ".join(f"{s}: {_(', ').join(a)}" for s, a in pieces.blackwell.items())))
    return 0
