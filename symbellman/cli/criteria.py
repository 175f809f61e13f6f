"""``solve`` and ``optimal`` under the other criteria: a finite horizon and average reward.

The model's keys (``horizon``, ``criterion: average``) choose the criterion, and
``--horizon H`` / ``--criterion average`` override them. The ``--json`` shapes are the
spec's ("Other criteria"): stage keys are strings of k, the number of decisions left.
"""

from __future__ import annotations

import json
import sys

from ..core.errors import ModelError
from ..core.i18n import _

# The parser reads add_criteria_arguments without SymPy (`symbellman --help` is quick):
# what the commands print with is imported when a command runs.


def family(key: str):
    from ..equations.families import family as record

    return record(key)


def column_decimal(value, *digits) -> str:
    from .output import column_decimal as decimal

    return decimal(value, *digits)


def table(rows, header) -> str:
    from .output import table as text

    return text(rows, header)


#: Up to this many states a stage table has one column per state; beyond, one row each.
WIDE_STATES = 8


def add_criteria_arguments(p, *, solve: bool = False, equations: bool = False) -> None:
    """--horizon, --criterion and the options that belong to them."""
    p.add_argument("--horizon", metavar="H", type=_positive_int,
                   help="the finite-horizon problem with H decisions (overrides the "
                        "model's horizon key)")
    p.add_argument("--criterion", choices=("discounted", "average"),
                   help="discounted (default) or average: gain and bias (overrides the "
                        "model's criterion key)")
    if equations:
        return
    if solve:
        p.add_argument("--laurent", action="store_true",
                       help="add the Laurent terms of v_gamma at gamma = 1: "
                            "gain/(1 - gamma) + bias + c1 (1 - gamma) + ...")
        p.add_argument("--relative", metavar="STATE",
                       help="with --criterion average: relative values h(STATE) = 0 "
                            "(one closed class only)")
    p.add_argument("--value-iteration", metavar="N", type=_positive_int,
                   help="with --criterion average: N steps of exact value iteration ("
                        + ("under the policy" if solve else "v_n = max_a [r + P v_(n-1)]")
                        + "), with the span and the gain estimate of each")
    p.add_argument("--transform", metavar="TAU",
                   help="with --value-iteration: the aperiodicity transform with weight "
                        "TAU in (0, 1), e.g. 1/2")


def _positive_int(text: str) -> int:
    import argparse

    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return int(text)


def criterion_of(args, mdp):
    """The criterion to solve ('discounted', 'finite-horizon', 'average') and the model
    with the command line's choice recorded in its criteria."""
    criteria = mdp.criteria
    if getattr(args, "criterion", None):
        criteria = criteria.with_criterion(args.criterion)
    if getattr(args, "horizon", None):
        if getattr(args, "criterion", None) == "average":
            raise ModelError("--horizon and --criterion average ask for two different "
                             "problems", hint="give one of them")
        criteria = criteria.with_horizon(args.horizon)
    if criteria is not mdp.criteria:
        mdp = mdp.replace(criteria=criteria)
    kind = criteria.kind
    _check_options(args, kind)
    return kind, mdp


def _check_options(args, kind: str) -> None:
    for option, needs in (("relative", "average"), ("value_iteration", "average")):
        if getattr(args, option, None) and kind != needs:
            flag = "--" + option.replace("_", "-")
            raise ModelError(f"{flag} belongs to the average-reward criterion",
                             hint="add --criterion average")
    if getattr(args, "transform", None) and not getattr(args, "value_iteration", None):
        raise ModelError("--transform applies to --value-iteration",
                         hint="add --value-iteration N")


def _text(value) -> str:
    return str(value)


def _stage(k: int) -> str:
    return str(k)  # JSON keys: the spec's strings of integers


# -- solve -----------------------------------------------------------------------------
def study_of(study, mdp):
    """The study of ``mdp`` (the model with the command line's criterion) and the same policy."""
    from ..study import Study

    return study if mdp is study.mdp else Study(mdp, study.policy.bound_to(mdp))


def _policy_words(policy) -> str:
    """"uniform policy", ... in the reader's language (the words ``solve`` prints)."""
    from .output import POLICY_KINDS

    return _(POLICY_KINDS.get(policy.kind, policy.kind))


def solve_other(args, study, kind: str) -> int:
    if kind == "finite-horizon":
        return _solve_horizon(args, study)
    return _solve_average(args, study)


def _data(study, *keys) -> dict:
    """The families' results as ``--json`` writes them, under their records' keys."""
    return {family(key).json: family(key).data(study.result(key)) for key in keys}


def laurent_data(study) -> dict:
    """The spec's ``"laurent"`` object: gain, bias and c1 of v_gamma at gamma = 1."""
    result = study.result("g_pi").source
    return {name: {s: _text(x) for s, x in values.items()}
            for name, values in result.laurent().items()}


def _solve_horizon(args, study) -> int:
    if getattr(args, "laurent", False):
        raise ModelError("--laurent belongs to the infinite horizon", place="--laurent")
    mdp, policy = study.mdp, study.policy
    result = study.result("v_pi_k").source
    H = result.horizon
    if args.json:
        out = {"model": mdp.name, "discount": str(mdp.discount), "horizon": H,
               **_data(study, "v_pi_k", *(() if mdp.is_mrp else ("q_pi_k",)))}
        print(json.dumps(out, indent=2))
        return 0
    print(_("{model}: v_k under the {policy}, horizon H = {H}, discount "
            "{discount}").format(model=mdp.name or args.model, policy=_policy_words(policy), H=H,
                                 discount=mdp.discount))
    print(_stage_note(H))
    print()
    values = {k: result.v(k) for k in range(H, 0, -1)}
    _print_stage_table(mdp, values, None, "v_k")
    return 0


def _stage_note(H: int) -> str:
    return _("k counts the decisions still to make: k = {H} is the first decision "
             "(epoch 1), k = 1 the last (epoch {H}); v_0 is the terminal reward").format(H=H)


def _cell(value, actions=None) -> str:
    shown = column_decimal(value) if not value.free_symbols else str(value)
    exact = str(value)
    text = exact if shown == exact or not shown else f"{exact} ({shown})"
    return text + (f" [{', '.join(actions)}]" if actions else "")


def _print_stage_table(mdp, values, policies, head: str) -> None:
    states = mdp.states
    stages = list(values)
    if len(states) <= WIDE_STATES:
        rows = [[str(k), str(stages[0] - k + 1),
                 *(_cell(values[k][s], policies[k].get(s) if policies else None)
                   for s in states)] for k in stages]
        print(table(rows, ["k", _("epoch"), *(f"{head}({s})" for s in states)]))
    else:
        rows = [[s, *(_cell(values[k][s], policies[k].get(s) if policies else None)
                      for k in stages)] for s in states]
        print(table(rows, [_("state"), *(f"k={k}" for k in stages)]))


def _solve_average(args, study) -> int:
    from ..solve.average_optimal import average_value_iteration

    mdp, policy = study.mdp, study.policy
    result = study.result("g_pi").source
    relative = result.relative(args.relative) if getattr(args, "relative", None) else None
    structure = result.structure
    trace = None
    if getattr(args, "value_iteration", None):
        trace = average_value_iteration(mdp, policy, iterations=args.value_iteration,
                                        transform=args.transform)
    if args.json:
        out = {"model": mdp.name, "criterion": "average", **_data(study, "g_pi", "h_pi"),
               "classes": [list(c) for c in structure.classes],
               "transient": list(structure.transient),
               "periods": list(structure.periods)}
        if relative is not None:
            out["relative"] = {s: _text(x) for s, x in relative.items()}
        if getattr(args, "laurent", False):
            out["laurent"] = {name: {s: _text(x) for s, x in values.items()}
                              for name, values in result.laurent().items()}
        _trace_json(out, trace)
        print(json.dumps(out, indent=2))
        return 0
    print(_("{model}: gain and bias under the {policy} (average "
            "reward)").format(model=mdp.name or args.model, policy=_policy_words(policy)))
    print(_("chain: {structure}").format(structure=structure.describe()))
    print()
    header = [_("state"), _("gain g"), _("bias h (P* h = 0)")]
    rows = [[s, _cell(result.gain[s]), _cell(result.bias[s])] for s in mdp.states]
    if relative is not None:
        header.append(_("relative h - h({state})").format(state=args.relative))
        for row, s in zip(rows, mdp.states):
            row.append(_cell(relative[s]))
    if getattr(args, "laurent", False):
        header.append("c1")
        for row, s in zip(rows, mdp.states):
            row.append(_cell(result.c1[s]))
    print(table(rows, header))
    if getattr(args, "laurent", False):
        print()
        print(_("v_gamma = g/(1 - gamma) + h + c1 (1 - gamma) + O((1 - gamma)^2): the "
                "Laurent series at gamma = 1 in powers of (1 - gamma)"))
    _print_trace(mdp, trace, "v_n = r_pi + P_pi v_(n-1)")
    return 0


# -- optimal ---------------------------------------------------------------------------
def optimal_other(args, study, kind: str) -> int:
    if kind == "finite-horizon":
        return _optimal_horizon(args, study)
    return _optimal_average(args, study)


def _actions(choice) -> dict:
    return {s: list(a) for s, a in choice.items()}


def _optimal_horizon(args, study) -> int:
    mdp = study.mdp
    best = study.result("v_star_k").source
    H = best.horizon
    if best.symbolic:
        return _print_horizon_pieces(args, mdp, best)
    if args.json:
        out = {"model": mdp.name, "discount": str(mdp.discount), "horizon": H,
               **_data(study, "v_star_k", "q_star_k"),
               "policy": {_stage(k): _actions(best.policy(k)) for k in range(1, H + 1)}}
        print(json.dumps(out, indent=2))
        return 0
    print(_("{model}: v_k* and every optimal action [in brackets], horizon H = {H}, "
            "discount {discount}").format(model=mdp.name or args.model, H=H,
                                          discount=mdp.discount))
    print(_stage_note(H))
    print()
    values = {k: best.v_star(k) for k in range(H, 0, -1)}
    policies = {k: best.policy(k) for k in range(H, 0, -1)}
    _print_stage_table(mdp, values, policies, "v*_k")
    for line in time_left_callouts(best):
        print()
        print(line)
    return 0


def time_left_callouts(best) -> list[str]:
    """One sentence per state whose optimal action depends on the time left."""
    out = []
    for s, runs in best.time_dependent().items():
        parts = [f"{', '.join(actions)} with "
                 + (f"k = {high} decision{'s' if high > 1 else ''}" if high == low
                    else f"k = {low}..{high} decisions") + " left"
                 for high, low, actions in runs]
        out.append(f"note: in {s} the optimal action depends on the time left: "
                   + "; ".join(parts))
    return out


def _print_horizon_pieces(args, mdp, best) -> int:
    H = best.horizon
    if args.json:
        out = {"model": mdp.name, "discount": str(mdp.discount), "horizon": H,
               "pieces": {_stage(k): [{"from": str(p.start), "to": str(p.end),
                                       "policy": _actions(p.policy)} for p in best.pieces(k)]
                          for k in range(1, H + 1)}}
        print(json.dumps(out, indent=2))
        return 0
    x = mdp.discount
    print(_("{model}: the optimal actions for {x} in [0, 1], per stage, horizon "
            "H = {H}").format(model=mdp.name or args.model, x=x, H=H))
    print(_stage_note(H))
    for k in range(H, 0, -1):
        print()
        pieces = best.pieces(k)
        print(f"k = {k} ({len(pieces)} piece{'s' if len(pieces) != 1 else ''}):")
        rows = [[f"[{p.start}, {p.end}]", f"{p.start_decimal} to {p.end_decimal}",
                 "; ".join(f"{s}: {', '.join(a)}" for s, a in p.policy.items())]
                for p in pieces]
        print(table(rows, [f"{x}", _("decimal"), _("optimal actions")]))
    return 0


def _optimal_average(args, study) -> int:
    from ..solve.average_optimal import average_value_iteration, optimality_equations_hold

    mdp = study.mdp
    best = study.result("g_star").source
    trace = None
    if getattr(args, "value_iteration", None):
        trace = average_value_iteration(mdp, iterations=args.value_iteration,
                                        transform=args.transform)
    if args.json:
        out = {"model": mdp.name, "criterion": "average", **_data(study, "g_star", "h_star"),
               "policy": _actions(best.policy),
               "gain_optimal": _actions(best.gain_optimal)}
        _trace_json(out, trace)
        print(json.dumps(out, indent=2))
        return 0
    holds = optimality_equations_hold(mdp, best.gain, best.bias)
    print((_("{model}: optimal gain g* and bias h* (average reward; the nested optimality "
             "equations hold)") if holds else
           _("{model}: optimal gain g* and bias h* (average reward; the nested optimality "
             "equations FAIL)")).format(model=mdp.name or args.model))
    print(_("chain under the bias-optimal policy: {structure}").format(
        structure=best.structure.describe()))
    print()
    rows = [[s, _cell(best.gain[s]), _cell(best.bias[s]),
             ", ".join(best.policy.get(s, ())), ", ".join(best.gain_optimal.get(s, ()))]
            for s in mdp.states]
    print(table(rows, [_("state"), "g*", "h* (P* h = 0)", _("bias-optimal (Blackwell)"),
                       _("gain-optimal")]))
    _print_trace(mdp, trace, "v_n = max_a [r + P v_(n-1)]")
    return 0


def _trace_json(out: dict, trace) -> None:
    if trace is None:
        return
    out["value_iteration"] = [
        {"n": n, "v": {s: _text(x) for s, x in v.items()},
         "span": None if span is None else _text(span),
         "gain_estimate": None if estimate is None else _text(estimate)}
        for n, v, span, estimate in trace.rows]
    out["oscillates"] = trace.period


def _print_trace(mdp, trace, rule: str) -> None:
    if trace is None:
        return
    print()
    title = (_("value iteration") if trace.transform is None else
             _("value iteration with the aperiodicity transform tau = {tau}").format(
                 tau=trace.transform))
    print(_("{title}: {rule}, span sp(v_n - v_(n-1)), gain estimate (max + min)/2").format(
        title=title, rule=rule))
    rows = [[str(n), *(column_decimal(v[s]) for s in mdp.states),
             "" if span is None else column_decimal(span),
             "" if estimate is None else column_decimal(estimate)]
            for n, v, span, estimate in trace.rows]
    print(table(rows, ["n", *(f"v_n({s})" for s in mdp.states), _("span"),
                       _("gain estimate")]))
    if trace.warning():
        print(f"warning: {trace.warning()}", file=sys.stderr)
