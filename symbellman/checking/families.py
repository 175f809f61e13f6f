"""``check`` for the other criteria: a finite horizon, average reward and the TD fixed point.

An answer file for a model with ``horizon: H`` keys its values by stage (the spec's
``solve --json`` shape: ``v: {"2": {s1: 37/5}}``, k counting the decisions still to
make); for ``criterion: average`` it gives ``gain`` and ``bias`` (P* h = 0) of the
policy, ``gain_star``, ``bias_star`` and the bias-optimal ``optimal_actions``; for a model
with ``features`` it gives ``theta`` (the TD fixed point, at the model's discount). Wrong
answers that a named mistake explains as a whole carry its id:

- ``stage-off-by-one``: the values of stage k − 1 or k + 1 given for stage k;
- ``epoch-for-stage``: stage k read as epoch k (the values of stage H − k + 1);
- ``relative-bias``: relative values h(s0) = 0 given for the bias, which is normalised by
  P* h = 0;
- ``one-step-reward``: the expected one-step reward r_π(s) given for the gain;
- ``policy-instead``: the policy's gain or bias given for g* or h*;
- ``gain-optimal-only``: every gain-optimal action given where the bias-optimal ones were
  asked for (they also maximise h among the gain-optimal policies);
- ``true-values``: the best fit of the true values v_π (the D-weighted least-squares θ)
  given for the TD fixed point.

Every expected value comes from the family's solver (:mod:`symbellman.solve.horizon`,
:mod:`symbellman.solve.average`, :mod:`symbellman.solve.average_optimal`,
:mod:`symbellman.projected`); each mistake's values are
computed the same exact way.

See Also
--------
symbellman.checking.core.check : the entry point, which hands these keys here.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Mapping

import sympy

from ..core.errors import ModelError
from ..core.names import did_you_mean
from ..model.mdp import MDP
from ..model.policy import Policy
from .answers import _action, _given, _map, _names, _read_actions, _state, compare
from .messages import say

__all__ = ["FAMILY_KEYS", "STAGE_KEYS", "family_answers", "read_family", "family_entries",
           "split"]

#: Keys of the average-reward and TD answers (new, optional keys of the answer file).
FAMILY_KEYS = ("gain", "bias", "gain_star", "bias_star", "theta")
#: The average-reward keys read state by state.
_AVERAGE_KEYS = ("gain", "bias", "gain_star", "bias_star")
#: Keys that a finite-horizon model's answer file keys by stage.
STAGE_KEYS = ("v", "q", "v_star", "q_star", "optimal_actions")


def family_answers(mdp: MDP, data: Mapping) -> bool:
    """Whether ``data`` has answers this module checks (stage-keyed, gain, bias, their
    optima, theta).

    >>> from symbellman.model.examples import student_mdp
    >>> family_answers(student_mdp(), {"v": {"Class1": 1}}), family_answers(
    ...     student_mdp(), {"theta": {"w1": 0}})
    (False, True)
    """
    return mdp.criteria.kind in ("finite-horizon", "average") or any(
        k in data for k in FAMILY_KEYS)


def _stage(key, H: int, place: str) -> int:
    text = str(key).strip()
    if not text.isdigit() or not 1 <= int(text) <= H:
        raise ModelError(f"stage {key!r} is not one of 1..{H}", place=place,
                         hint="key the values by k, the decisions still to make "
                              "(k = 1 is the last decision)")
    return int(text)


def _read_stage_key(key: str, data, mdp: MDP, names, H: int) -> dict:
    """``{(k, state, action or None): Given or tuple of actions}`` of one stage-keyed key."""
    out = {}
    for k_text, item in _map(data, key, "stages to states").items():
        k = _stage(k_text, H, f"{key}.{k_text}")
        for s, value in _map(item, f"{key}.{k_text}", "states to values").items():
            place = f"{key}.{k_text}.{s}"
            state = _state(s, mdp, place)
            if key == "optimal_actions":
                items = [value] if isinstance(value, str) else value
                if not isinstance(items, list) or not items:
                    raise ModelError("expected a list of actions", place=place)
                out[k, state, None] = tuple(dict.fromkeys(
                    _action(a, state, mdp, f"{place}[{i}]") for i, a in enumerate(items)))
            elif key in ("v", "v_star"):
                out[k, state, None] = _given(value, names, place)
            else:
                for a, number in _map(value, place, "actions to values").items():
                    out[k, state, _action(a, state, mdp, f"{place}.{a}")] = _given(
                        number, names, f"{place}.{a}")
    return out


def _read_plain(key: str, data, names, keys: tuple, what: str) -> dict:
    out = {}
    for name, value in _map(data, key, what).items():
        place = f"{key}.{name}"
        if name not in keys:
            raise ModelError(f"unknown {'feature' if key == 'theta' else 'state'} {name!r}",
                             place=place, hint=did_you_mean(str(name), keys,
                                                            f"they are {', '.join(keys)}"))
        out[None, name, None] = _given(value, names, place)
    return out


def read_family(data: Mapping, mdp: MDP) -> dict[str, dict]:
    """The stage-keyed, gain, bias (and g*, h*, the optimal actions) and theta answers of
    ``data``, read exactly.

    >>> from symbellman.model.examples import puterman_two_state
    >>> read_family({"v": {"2": {"s1": "37/5"}}}, puterman_two_state())["v"]
    {(2, 's1', None): Given(text='37/5', value=37/5, decimal=False)}
    """
    names = _names(mdp)
    out: dict[str, dict] = {}
    kind = mdp.criteria.kind
    for key in STAGE_KEYS:
        if key in data and kind == "finite-horizon":
            if key in ("q", "q_star") and mdp.is_mrp:
                raise ModelError("a Markov reward process has no actions, so no q", place=key)
            out[key] = _read_stage_key(key, data[key], mdp, names, mdp.criteria.horizon)
        elif key == "optimal_actions" and key in data and kind == "average":
            out[key] = {(None, s, None): actions for (s, _), actions
                        in _read_actions(data[key], mdp).items()}
        elif key in data and kind == "average":
            raise ModelError(f"{key} is not asked for under average reward", place=key,
                             hint="give gain and bias (P* h = 0), gain_star, bias_star "
                                  "or optimal_actions")
    for key in _AVERAGE_KEYS:
        if key in data:
            if kind != "average":
                raise ModelError(f"{key} is for a model with 'criterion: average'", place=key)
            out[key] = _read_plain(key, data[key], names, tuple(mdp.states),
                                   "states to values")
    if "theta" in data:
        projection = mdp.criteria.projection
        if projection is None:
            raise ModelError("theta is for a model with 'features'", place="theta")
        from ..projected import td_fixed_point  # the feature names, as the solver gives them

        out["theta"] = _read_plain("theta", data["theta"], names,
                                   tuple(_feature_names(mdp, td_fixed_point)),
                                   "features to values")
    return out


def _feature_names(mdp: MDP, td_fixed_point: Callable) -> tuple:
    names = getattr(mdp.criteria.projection, "feature_names", None)
    if names:
        return tuple(names)
    return tuple(td_fixed_point(mdp, None).feature_names)


# -- the exact answers and the mistakes' ---------------------------------------------------
class _Stages:
    """Exact stage values (policy and optimal) of a finite-horizon model, made when asked."""

    def __init__(self, mdp: MDP, policy: Policy | None):
        from ..solve.horizon import finite_horizon, finite_horizon_optimal

        self.mdp, self.policy, self.H = mdp, policy, mdp.criteria.horizon
        self._made: dict = {}
        self._fh, self._opt = finite_horizon, finite_horizon_optimal

    def solved(self, optimal: bool, H: int):
        if (optimal, H) not in self._made:
            try:
                self._made[optimal, H] = (self._opt(self.mdp, horizon=H) if optimal else
                                          self._fh(self.mdp, self.policy, horizon=H))
            except ModelError:
                raise
            except Exception as exc:  # a symbolic discount the optimum needs a value of
                raise ModelError(f"the optimal stage values need numbers: {exc}",
                                 hint="give at: {gamma: ...} in the answer file") from None
        return self._made[optimal, H]

    def table(self, key: str, k: int, H: int | None = None) -> dict:
        """``{(state, action or None): value}`` of ``key`` at stage k (0 <= k <= H)."""
        H = H or self.H
        optimal = key in ("v_star", "q_star", "optimal_actions")
        result = self.solved(optimal, H)
        if key == "optimal_actions":
            return {(s, None): tuple(a) for s, a in result.policy(k).items()}
        if key in ("v", "v_star"):
            values = result.v(k) if key == "v" else result.v_star(k)
            return {(s, None): x for s, x in values.items()}
        if k == 0:
            return {}
        return dict(result.q(k) if key == "q" else result.q_star(k))


def _fits(entries: dict, candidate: Callable[[tuple], Any], wrong: list, tolerance) -> bool:
    found = [candidate(k) for k in wrong]
    return bool(wrong) and all(x is not None and (
        set(entries[k]) == set(x) if isinstance(x, tuple) else compare(entries[k], x, tolerance))
        for k, x in zip(wrong, found))


def _first_fit(entries: dict, wrong: list, tolerance, candidates) -> tuple[str | None, dict]:
    """The first (name, details) of ``candidates`` (name, value per key, details) whose
    values explain every wrong entry, else (None, {}); later candidates are not computed."""
    for name, candidate, extra in candidates:
        if _fits(entries, candidate, wrong, tolerance):
            return name, extra
    return None, {}


def _stage_entries(key: str, entries: dict, stages: _Stages, tolerance, Entry) -> list:
    H = stages.H
    expected = {k: stages.table(key, k[0]).get((k[1], k[2])) for k in entries}

    def right(k) -> bool:
        x = expected[k]
        return (set(entries[k]) == set(x)) if key == "optimal_actions" else \
            compare(entries[k], x, tolerance)
    ok = {k: right(k) for k in entries}
    wrong = [k for k in entries if not ok[k] and not stages.mdp.is_terminal(k[1])]

    def at(shift: Callable[[int], int]):
        def value(k):
            j = shift(k[0])
            if j < 0 or (key in ("q", "q_star", "optimal_actions") and j < 1):
                return None
            return stages.table(key, j, max(H, j)).get((k[1], k[2]))
        return value
    shifts = (("stage-off-by-one", lambda k: k - 1, {"shift": "k − 1"}),
              ("stage-off-by-one", lambda k: k + 1, {"shift": "k + 1"}),
              ("epoch-for-stage", lambda k: H - k + 1, {"horizon": H}))
    mistake, details = _first_fit(entries, wrong, tolerance, (
        (name, at(shift), extra) for name, shift, extra in shifts
        if not (name == "epoch-for-stage" and all(H - k[0] + 1 == k[0] for k in wrong))))
    out = []
    for k, given in entries.items():
        stage, s, a = k
        want = expected[k]
        text = ", ".join(given) if key == "optimal_actions" else given.text
        want_text = ", ".join(want) if key == "optimal_actions" else str(want)
        if ok[k]:
            out.append(Entry(key, s, a, text, want_text, True, stage=stage))
            continue
        parts = [say(mistake, **details)] if mistake and k in wrong else []
        if key == "optimal_actions" and not parts and set(given) < set(want):
            parts.append(say("missed-tie", actions=", ".join(a for a in want
                                                               if a not in given)))
            out.append(Entry(key, s, a, text, want_text, False, "missed-tie", " ".join(parts),
                             stage=stage))
            continue
        parts.append(say("stage-hint"))
        out.append(Entry(key, s, a, text, want_text, False, mistake if k in wrong else None,
                         " ".join(parts), stage=stage))
    return out


def _plain_entries(key: str, entries: dict, expected: dict, candidates, hint: str,
                   tolerance, Entry, *, whole: bool | None = None) -> list:
    """Entries of a key per state or feature; ``candidates`` yields (id, values, details)."""
    ok = {k: (whole if whole is not None else compare(g, expected[k[1]], tolerance))
          for k, g in entries.items()}
    wrong = [k for k in entries if not ok[k]]
    mistake, details = _first_fit(entries, wrong, tolerance, (
        (name, lambda k, values=values: values.get(k[1]), extra)
        for name, values, extra in candidates()))
    out = []
    for k, given in entries.items():
        name = k[1]
        state, feature = (None, name) if key == "theta" else (name, None)
        if ok[k]:
            out.append(Entry(key, state, None, given.text, str(expected[name]), True,
                             feature=feature))
            continue
        parts = ([say(mistake, **details)] if mistake else []) + [say(hint)]
        out.append(Entry(key, state, None, given.text, str(expected[name]), False, mistake,
                         " ".join(parts), feature=feature))
    return out


def _average_entries(read: dict, result, mdp: MDP, policy: Policy | None, tolerance,
                     Entry) -> list:
    from ..solve.horizon import finite_horizon

    out = []
    if "gain" in read:
        def one_step():
            r = finite_horizon(mdp, policy, horizon=1,
                               terminal_reward={s: 0 for s in mdp.nonterminal}).v(1)
            yield "one-step-reward", r, {}
        out += _plain_entries("gain", read["gain"], result.gain, one_step, "gain-hint",
                              tolerance, Entry)
    if "bias" in read:
        def relative():
            if not result.structure.unichain:
                return
            for s0 in mdp.states:
                yield "relative-bias", result.relative(s0), {"state": s0}
        out += _plain_entries("bias", read["bias"], result.bias, relative, "bias-hint",
                              tolerance, Entry)
    return out


def _average_optimal_entries(read: dict, policy_result: Callable, mdp: MDP, tolerance,
                             Entry) -> list:
    from ..core.errors import SolveError
    from ..solve.average_optimal import average_optimal

    best = average_optimal(mdp)

    def of_policy(field: str):  # the policy's gain or bias given for the optimum's
        try:
            result = policy_result()
        except (ModelError, SolveError):  # no policy to mistake it for
            return
        if getattr(result, field) != getattr(best, field):
            yield "policy-instead", getattr(result, field), {}

    def bias_mistakes():
        if best.structure.unichain:
            for s0 in mdp.states:
                yield "relative-bias", best.result.relative(s0), {"state": s0}
        yield from of_policy("bias")

    out = []
    if "gain_star" in read:
        out += _plain_entries("gain_star", read["gain_star"], best.gain,
                              lambda: of_policy("gain"), "gain-hint", tolerance, Entry)
    if "bias_star" in read:
        out += _plain_entries("bias_star", read["bias_star"], best.bias, bias_mistakes,
                              "bias-star-hint", tolerance, Entry)
    for (_, s, _), given in read.get("optimal_actions", {}).items():
        right = tuple(best.policy[s])
        text, want = ", ".join(given), ", ".join(right)
        if set(given) == set(right):
            out.append(Entry("optimal_actions", s, None, text, want, True))
            continue
        mistake = "gain-optimal-only" if set(given) == set(best.gain_optimal[s]) else None
        parts = ([say(mistake)] if mistake else []) + [say("bias-star-hint")]
        out.append(Entry("optimal_actions", s, None, text, want, False, mistake,
                         " ".join(parts)))
    return out


def _theta_entries(entries: dict, mdp: MDP, policy: Policy | None, tolerance, Entry) -> list:
    from ..solve.evaluate import solve_v
    from ..projected import td_fixed_point

    td = td_fixed_point(mdp, policy)
    if td.theta is None:
        raise ModelError("A θ = b has no solution here, so there is no θ_TD to check",
                         place="theta")
    expected = dict(td.theta)
    whole = None
    if td.directions:  # an affine set of fixed points: right when A θ = b as a whole
        if len(entries) < len(td.feature_names):
            raise ModelError("A is singular here, so θ_TD is checked as a whole",
                             place="theta", hint="give every feature: "
                                                 + ", ".join(td.feature_names))
        theta = sympy.Matrix([entries[None, w, None].value for w in td.feature_names])
        residual = td.A * theta - td.b
        whole = all(sympy.simplify(x) == 0 for x in residual)
        span = "; ".join("(" + ", ".join(str(d[w]) for w in td.feature_names) + ")"
                         for d in td.directions)
        expected = {w: f"{td.theta[w]} + span{{{span}}}" for w in td.feature_names}

    def fitted():
        v = solve_v(td.mdp, td.policy)
        X = td.X
        D = sympy.diag(*[td.distribution[s] for s in td.states])
        G = X.T * D * X
        if G.det() == 0:
            return
        fit = G.LUsolve(X.T * D * sympy.Matrix([v[s] for s in td.states]))
        yield "true-values", {w: sympy.factor(x) for w, x in zip(td.feature_names, fit)}, {}
    return _plain_entries("theta", entries, expected, fitted, "theta-hint", tolerance, Entry,
                          whole=whole)


def family_entries(read: dict, mdp: MDP, policy: Policy | None, tolerance, Entry) -> list:
    """The checked entries of every family key in ``read`` (see :func:`read_family`)."""
    from ..solve.average import average_reward

    out: list = []
    if mdp.criteria.kind == "finite-horizon":
        stages = _Stages(mdp, policy)
        for key in STAGE_KEYS:
            if key in read:
                out += _stage_entries(key, read[key], stages, tolerance, Entry)
    # the policy's gain and bias, solved once for the keys of the policy and for the
    # mistakes of the optimum's keys
    policy_result = functools.cache(lambda: average_reward(mdp, policy))
    if "gain" in read or "bias" in read:
        out += _average_entries(read, policy_result(), mdp, policy, tolerance, Entry)
    if mdp.criteria.kind == "average" and any(
            k in read for k in ("gain_star", "bias_star", "optimal_actions")):
        out += _average_optimal_entries(read, policy_result, mdp, tolerance, Entry)
    if "theta" in read:
        out += _theta_entries(read["theta"], mdp, policy, tolerance, Entry)
    return out


def split(data: Mapping, mdp: MDP) -> tuple[dict, dict]:
    """``data`` as (the keys this module checks, the rest for the ordinary check).

    >>> from symbellman.model.examples import student_mdp
    >>> split({"v": {"Class1": 1}, "theta": {"w1": 0}, "at": {}}, student_mdp())
    ({'theta': {'w1': 0}}, {'v': {'Class1': 1}, 'at': {}})
    """
    ours = set(FAMILY_KEYS)
    if mdp.criteria.kind in ("finite-horizon", "average"):
        ours |= set(STAGE_KEYS)
    return ({k: v for k, v in data.items() if k in ours},
            {k: v for k, v in data.items() if k not in ours})

