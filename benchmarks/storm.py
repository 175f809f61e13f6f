"""Storm's parametric engine on the gridworld, beside symbellman's closed forms.

Storm (through ``stormpy``) builds the uniform policy's chain of the gridworld from
``symbellman export --to prism`` with γ an open parameter, as a parametric DTMC with
γ as the probability of going on (and 1 − γ of stopping), and computes every state's
expected total reward as a rational function of γ: the same closed forms
``solve_v`` gives. Both are timed in the same worker process (CPU seconds, which a busy
machine disturbs less than wall clock), and Storm's value of every state is checked
against symbellman's at γ = 1/2 and 9/10, exactly.

``python -m benchmarks`` runs it (``benchmarks.worker``'s ``storm`` case) when
``stormpy`` imports; alone, ``python -m benchmarks.storm [N]`` prints it as JSON.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(n: int) -> dict:
    """Time Storm and symbellman on the n × n gridworld; check they agree."""
    import stormpy

    from benchmarks.models import gridworld
    from symbellman import Policy, solve_v
    from symbellman.io.prism import prism_properties, to_prism

    mdp = gridworld(n, n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gridworld.pm"
        path.write_text(to_prism(mdp, what="chain", gamma="parameter"))
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        program = stormpy.parse_prism_program(str(path))
        formulas = stormpy.parse_properties(prism_properties(mdp, what="chain"), program)
        options = stormpy.BuilderOptions([f.get_raw_formula() for f in formulas])
        options.set_build_state_valuations()
        options.set_build_all_reward_models()
        model = stormpy.build_model[stormpy.RationalFunction](program, options=options)
        result = stormpy.model_checking(model, formulas[0], only_initial_states=False)
        storm_cpu = time.process_time() - start_cpu
        storm_wall = time.perf_counter() - start_wall
    start_cpu = time.process_time()
    ours = solve_v(mdp, Policy.uniform(mdp))
    ours_cpu = time.process_time() - start_cpu

    variable = program.modules[0].get_integer_variable("s").expression_variable
    index = {int(model.state_valuations.get_int64_value(state.id, variable)): state.id
             for state in model.states}
    disagree = 0
    for point in (Fraction(1, 2), Fraction(9, 10)):
        exact = ours.at(gamma=point)
        for i, s in enumerate(mdp.states):
            if _storm_at(result.get_value(index[i]), point) != Fraction(str(exact[s])):
                disagree += 1
    return {"median_s": storm_cpu, "times": [storm_cpu], "wall_s": storm_wall,
            "symbellman_cpu_s": ours_cpu, "states": len(mdp.states),
            "disagreements": disagree}


def _storm_at(value, point: Fraction) -> Fraction:
    """Storm's rational function of γ (a constant for a state worth the same at every
    γ) at ``point``, exactly."""
    import stormpy.pars

    variables = value.gather_variables()
    if variables:
        (gamma,) = variables
        value = value.evaluate({gamma: stormpy.pars.RationalFunctionCoefficient(str(point))})
    return Fraction(str(value))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 10)))
