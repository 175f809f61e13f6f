"""Run one benchmark case in this process and print its measurements as one JSON line.

``python -m benchmarks.worker '{"case": "grid", "size": 10, "method": "flint", "repeats": 5}'``

The runner (:mod:`benchmarks.__main__`) starts one worker per case. For the
``python`` method it hides python-flint and sets SymPy's pure-Python ground types
before anything is imported, as on a machine without flint.
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time


def timed(function, repeats: int, cpu: list | None = None):
    """(median wall seconds, every run's, the last result); each run's CPU seconds are
    appended to ``cpu`` when given."""
    times, result = [], None
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = function()
        if cpu is not None:
            cpu.append(time.process_time() - start_cpu)
        times.append(time.perf_counter() - start)
    return statistics.median(times), times, result


def result_size(function) -> dict:
    """The largest degree and coefficient bits, and how much a solve writes: nonzero
    coefficients and their bits, over every entry."""
    degree, bits, coefficients, output_bits = 0, 0, 0, 0
    for key in function.keys():
        for terms in function.terms(key):
            coefficients += len(terms)
            for m, c in terms.items():
                degree = max(degree, m[0] if m else 0)
                size = abs(int(c)).bit_length()
                bits = max(bits, size)
                output_bits += size
    return {"degree": degree, "bits": bits, "coefficients": coefficients,
            "output_bits": output_bits}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def grid(size, method, repeats):
    from symbellman import Policy, solve_v
    from benchmarks.models import gridworld

    m = gridworld(size, size)
    policy = Policy.uniform(m)
    if method == "linsolve":
        import sympy
        from symbellman.model.induced import induced_chain

        def baseline():
            chain = induced_chain(m, policy)
            n = len(chain.states)
            A = sympy.eye(n) - m.discount * chain.P
            unknowns = sympy.symbols(f"x0:{n}")
            (x,) = sympy.linsolve((A, chain.r), unknowns)
            return [sympy.cancel(e) for e in x]
        median, times, _ = timed(baseline, repeats)
        return {"median_s": median, "times": times}
    cpu = []
    median, times, v = timed(lambda: solve_v(m, policy, backend=method), repeats, cpu)
    size = result_size(v)
    cpu_s = statistics.median(cpu)
    return {"median_s": median, "times": times, "cpu_s": cpu_s, "cpu_times": cpu, **size,
            "us_per_coefficient": cpu_s / size["coefficients"] * 1e6,
            "ns_per_output_bit": cpu_s / size["output_bits"] * 1e9}


def grid_q(size, method, repeats):
    from symbellman import Policy, solve_q, solve_v
    from benchmarks.models import gridworld

    m = gridworld(size, size)
    policy = Policy.uniform(m)
    v_time, _, v = timed(lambda: solve_v(m, policy, backend=method), repeats)
    median, times, q = timed(lambda: solve_q(m, policy, v=v, backend=method), repeats)

    def read_all(function):  # the integer terms of every entry, made lazily on first read
        return [function.terms(key) for key in function.keys()]
    # reading cost, on fresh results (the timed ones may already have been read)
    v_read, _, _ = timed(lambda: read_all(solve_v(m, policy, backend=method)), 1)
    q_read, _, _ = timed(lambda: read_all(solve_q(m, policy, v=v, backend=method)), 1)
    return {"median_s": median, "times": times, "v_median_s": v_time,
            "ratio_to_v": median / v_time, "v_with_terms_read_s": v_read,
            "q_with_terms_read_s": q_read, **result_size(q)}


def grid_expr(size, method, repeats):
    from symbellman import Policy, solve_v
    from benchmarks.models import gridworld

    m = gridworld(size, size)
    policy = Policy.uniform(m)
    times = []
    for _ in range(repeats):
        v = solve_v(m, policy, backend=method)
        start = time.perf_counter()
        v.as_dict()
        times.append(time.perf_counter() - start)
    return {"median_s": statistics.median(times), "times": times}


def numeric(size, method, repeats):
    import numpy as np
    from symbellman import Policy, solve_v
    from symbellman.model.induced import induced_chain
    from symbellman.solve.numeric import lambdify
    from benchmarks.models import gridworld

    m = gridworld(size, size)
    v = solve_v(m)
    ready, _, f = timed(lambda: lambdify(v), repeats)
    one = np.linspace(0.0, 0.999, 10**6)
    first = m.states[0]
    one_state, _, _ = timed(lambda: f(one, keys=[first]), repeats)
    grid_points = np.linspace(0.0, 0.999, 10**4)
    all_states, _, values = timed(lambda: f(grid_points), repeats)
    chain = induced_chain(m, Policy.uniform(m))
    n = len(chain.states)
    P = np.zeros((n, n))
    for i, row in enumerate(chain.rows):
        for j, p in row.items():
            P[i, j] = float(p)
    r = np.array([float(x) for x in chain.rewards])
    error = 0.0
    for k in range(0, 10**4, 50):
        reference = np.linalg.solve(np.eye(n) - grid_points[k] * P, r)
        error = max(error, float(np.max(np.abs(values[:, k] - reference)
                                        / np.maximum(1.0, np.abs(reference)))))
    return {"median_s": ready, "ready_s": ready, "eval_1e6_one_state_s": one_state,
            "eval_1e4_all_states_s": all_states, "max_relative_error": error}


def taxi(size, method, repeats):
    from symbellman import solve_v
    from benchmarks.models import taxi as make

    build, _, m = timed(make, 1)
    median, times, v = timed(lambda: solve_v(m, backend=method), repeats)
    return {"median_s": median, "times": times, "mdp_construction_s": build,
            "states": len(m.states), **result_size(v)}


def symbolic4(size, method, repeats):
    from symbellman import solve_v
    from benchmarks.models import symbolic_four

    m = symbolic_four()
    median, times, v = timed(lambda: solve_v(m, backend=method), repeats)
    return {"median_s": median, "times": times, "method_used": v.method}


def pieces(size, method, repeats):
    """``optimal_pieces`` over γ in [0, 1) on the n × n gridworld (Sutton & Barto's 5 × 5
    took under a minute when this was a test's wall-clock assertion)."""
    from symbellman.optimal import optimal_pieces
    from symbellman.model.examples import gridworld

    m = gridworld(size, size)
    median, times, result = timed(lambda: optimal_pieces(m, backend=method), repeats)
    return {"median_s": median, "times": times, "pieces": len(result)}


def frozenlake_pieces(size, method, repeats):
    """``optimal --over gamma`` on FrozenLake 8×8 (65 states): issue 13 measured 60 s
    with flint's complex_roots and factoring of every advantage; target ≤ 5 s."""
    import gymnasium
    from symbellman.io import from_gymnasium
    from symbellman.optimal import optimal_pieces

    m = from_gymnasium(gymnasium.make("FrozenLake-v1", map_name="8x8"))
    median, times, result = timed(lambda: optimal_pieces(m, backend=method), repeats)
    return {"median_s": median, "times": times, "pieces": len(result)}


def taxi_optimal(size, method, repeats):
    """``optimal --at gamma=9/10`` on Taxi (500 states): issue 13 measured 11 s
    (15 exact iterations, q through SymPy's rings); target ≤ 2 s."""
    import sympy
    from symbellman.optimal import optimal
    from benchmarks.models import taxi as make

    m = make(discount=sympy.Symbol("gamma"))
    median, times, best = timed(lambda: optimal(m, at={"gamma": sympy.Rational(9, 10)},
                                                backend=method), repeats)
    return {"median_s": median, "times": times, "iterations": best.iterations}


def ring(size, method, repeats):
    """v_π of a ring of n states with symbolic p_i and r_i (fraction-free route):
    issue 13 measured 87 s at n = 10; target ≤ 5 s."""
    from symbellman import solve_v
    from benchmarks.models import symbolic_ring

    m = symbolic_ring(size)
    median, times, v = timed(lambda: solve_v(m, backend=method), repeats)
    return {"median_s": median, "times": times, "method_used": v.method}


def horizon(size, method, repeats):
    """Issue 20: the finite-horizon table (H = 20) of the n × n gridworld: v_k* with every
    maximiser at gamma = 9/10, and v_k^pi of the uniform policy as polynomials in gamma."""
    import sympy
    from symbellman.solve.horizon import finite_horizon, finite_horizon_optimal
    from benchmarks.models import gridworld

    m = gridworld(size, size)
    median, times, best = timed(lambda: finite_horizon_optimal(
        m, horizon=20, at={"gamma": sympy.Rational(9, 10)}).v_star(20), repeats)
    symbolic, _, _ = timed(lambda: finite_horizon(m, horizon=20).v(20), repeats)
    return {"median_s": median, "times": times, "symbolic_policy_s": symbolic}


def average(size, method, repeats):
    """Issue 20: gain and bias (P* h = 0, exact) of the uniform policy on the n × n
    gridworld, with its chain structure."""
    from symbellman.solve.average import average_reward
    from benchmarks.models import gridworld

    m = gridworld(size, size)

    def run():
        result = average_reward(m)
        return result.gain, result.bias, result.structure

    median, times, (_, _, structure) = timed(run, repeats)
    return {"median_s": median, "times": times, "classes": len(structure.classes)}


def storm(size, method, repeats):
    """Storm's parametric engine on the same gridworld's v_π (:mod:`benchmarks.storm`)."""
    from benchmarks.storm import measure

    row = measure(size)
    return {**row, "cpu_s": row["median_s"]}


CASES = {"storm": storm, "grid": grid, "pieces": pieces, "frozenlake-pieces": frozenlake_pieces,
         "taxi-optimal": taxi_optimal, "ring": ring, "grid-q": grid_q, "grid-expr": grid_expr, "numeric": numeric,
         "taxi": taxi, "symbolic4": symbolic4, "horizon": horizon, "average": average}


def main(argv=None) -> int:
    spec = json.loads((argv or sys.argv[1:])[0])
    if spec["method"] == "python":
        sys.modules["flint"] = None  # type: ignore[assignment]
    out = CASES[spec["case"]](spec.get("size"), spec["method"], spec.get("repeats", 3))
    out["peak_rss_mb"] = peak_mb()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
