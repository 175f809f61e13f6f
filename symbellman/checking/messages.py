"""Every human-language sentence that ``check`` and class grading write, in one place.

Each message is a whole sentence with named placeholders (``{state}``, ``{given}``), so a
translator sees the sentence as a reader does and may reorder its parts. :func:`_` marks a
message for extraction (Babel's default keyword) and leaves it in English here, at import;
:func:`say` translates it through the catalogs (:mod:`symbellman.core.i18n`) when it is said. Numbers, mathematics and state names are put in by the
placeholders and are the same in every language.
"""

from __future__ import annotations

from ..core.i18n import _ as translate

__all__ = ["_", "MISTAKES", "say"]


def _(message: str) -> str:
    """Mark ``message`` for extraction; :func:`say` translates it when it is said."""
    return message


#: What each named mistake means, addressed to the student (the ids are the spec's).
MISTAKES = {
    "other-policy": _("These are the values of another policy ({policy}), not of the "
                      "policy asked for."),
    "optimal-instead": _("These are the optimal values, but the values of the policy were "
                         "asked for."),
    "policy-instead": _("These are the values of the policy, but the optimal values were "
                        "asked for."),
    "no-discount": _("The discount was left out: these are the values at discount 1, not at "
                     "discount {discount}."),
    "double-discount": _("The discount was applied twice: these are the values at discount "
                         "{squared}, not at {discount}."),
    "state-reward": _("Each reward was taken as a reward r(s') of the state reached (the "
                      "average of its own rewards, 0 at a terminal state) instead of "
                      "r(s, a, s')."),
    "terminal-nonzero": _("A terminal state's value is 0, but {value} was used for "
                          "{state}."),
    "one-sweep": _("These are the values after one synchronous sweep from zero, not the "
                   "fixed point of the Bellman equation."),
    "missed-tie": _("The optimal action {actions} was left out: it attains the maximum too."),
    "stage-off-by-one": _("These are the values of stage {shift}: the stage is off by one "
                          "(k counts the decisions still to make, and v_0 is the terminal "
                          "reward)."),
    "epoch-for-stage": _("The stages were read as epochs: these are the values with "
                         "H − k + 1 decisions to go (H = {horizon}), but k counts the "
                         "decisions still to make."),
    "relative-bias": _("These are relative values with h({state}) = 0; the bias asked for "
                       "is normalised by P* h = 0 instead, and differs from them by a "
                       "constant."),
    "one-step-reward": _("This is the expected reward of one step, r_π(s), not the gain: "
                         "the gain is the long-run average reward g = P* r."),
    "gain-optimal-only": _("These are every gain-optimal action; the optimal actions asked "
                           "for are the bias-optimal ones, which also make the bias h "
                           "largest among the gain-optimal policies."),
    "true-values": _("This is the best fit of the true values v_π (the D-weighted least "
                     "squares θ), not the TD fixed point, which solves A θ = b."),
}

#: Policies named in the other-policy message.
POLICIES = {
    "greedy": _("the greedy policy of the values asked for"),
    "greedy-first": _("the greedy policy of the values asked for, taking the first best "
                      "action"),
    "uniform": _("the uniform random policy"),
    "model": _("the model's own policy"),
}

_SENTENCES = {
    "right": _("right"),
    "wrong": _("wrong"),
    "expected": _("expected {expected}"),
    "summary": _("{title}: {right} right, {wrong} wrong (decimals within {tolerance})."),
    "equation": _("The Bellman equation of {head} with these numbers put in: {equation}; "
                  "the residual (right side minus left side) is {residual}."),
    "closed-form": _("A closed form in {symbol} was expected, not a number."),
    "not-a-closed-form": _("A number was expected, not an expression in {symbols}."),
    "extra-action": _("{action} is not optimal: q*({state}, {action}) = {value}, less than "
                      "v*({state}) = {best}."),
    "missing-action": _("{action} is optimal too: q*({state}, {action}) = v*({state}) = "
                        "{best}."),
    "breakpoints": _("The breakpoints are {expected}."),
    "stage-hint": _("Backward induction: v_k = r_π + γ P_π v_(k−1), from v_0 the terminal "
                    "reward; k counts the decisions still to make."),
    "gain-hint": _("The gain is g = P* r, the long-run average reward per step."),
    "bias-hint": _("The bias h solves g + h = r + P h with P* h = 0."),
    "bias-star-hint": _("h* is the bias of a bias-optimal policy: among the policies of "
                        "gain g*, the one whose h (with P* h = 0) is largest."),
    "theta-hint": _("θ_TD solves A θ = b, with A = Xᵀ D (I − γ P) X and b = Xᵀ D r."),
    "large-function": _("a rational function of degree {numerator} over {denominator} in "
                        "{symbols}, not 0"),
    "terminal": _("{state} is terminal: its value is 0."),
    "undefined": _("{head} has no value at discount {discount}: from {state} the process may "
                   "reach a cycle that earns something and never ends."),
    "graded": _("Graded {count} submissions against {keys} keys in {seconds} s."),
    "wrote-table": _("Wrote the grade table {path}."),
    "wrote-feedback": _("Wrote {count} feedback files to {path}."),
    "column-given": _("given"),
    "column-expected": _("expected"),
    "column-mistake": _("mistake"),
    "column-why": _("why"),
    "variant-id": _("Variant id {id}: write variant: {id} in your answer file."),
    "feedback-title": _("Feedback for {student}, variant {variant}"),
    "feedback-score": _("{right} of {total} answers are right."),
    "feedback-all-right": _("Every answer is right. Well done."),
    "feedback-error": _("Your answer file could not be read: {error}"),
    "feedback-no-key": _("No key matches the variant id {variant!r} in your answer file; "
                         "copy the id from your exercise sheet."),
}


def say(name: str, **values) -> str:
    """The sentence ``name`` with its placeholders filled in.

    >>> say("expected", expected="-30/13")
    'expected -30/13'
    >>> say("missed-tie", actions="sleep")
    'The optimal action sleep was left out: it attains the maximum too.'
    """
    text = _SENTENCES.get(name) or MISTAKES.get(name) or POLICIES[name]
    return translate(text).format(**values)
