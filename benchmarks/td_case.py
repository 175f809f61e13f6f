"""The TD(0) fixed point of a 100-state gridworld with 10 features (issue 20's target: <= 2 s).

``python -m benchmarks.td_case [--quick]`` prints the row; ``python -m benchmarks`` adds it
to the suite's table. The model is Sutton & Barto's gridworld (Example 3.5) on a 10 x 10
grid under the uniform random policy, γ symbolic; the features are the ten monomials
1, i, j, i², ij, j², i³, i²j, ij², j³ of the cell's row i and column j; D is the on-policy
(stationary) distribution. Timed: the stationary distribution, A(γ) = Xᵀ D (I − γP) X,
b and θ_TD(γ) = A⁻¹b exactly, and the stability band over γ (Routh–Hurwitz, exact
breakpoints); the median of several runs in this process.
"""

from __future__ import annotations

import sys
import time


def features(n: int) -> list[list[int]]:
    """The ten cubic monomials of each cell (row-major), as the gridworld lists its states."""
    return [[1, i, j, i * i, i * j, j * j, i ** 3, i * i * j, i * j * j, j ** 3]
            for i in range(n) for j in range(n)]


def run(n: int):
    from symbellman.model.examples import gridworld
    from symbellman.projected import td_fixed_point

    mdp = gridworld(n, n)
    td = td_fixed_point(mdp, None, features(n), "on-policy")
    theta = td.theta
    band = td.stability
    return td, theta, band


def rows(quick: bool = False) -> list[dict]:
    n, repeats = (5, 1) if quick else (10, 3)
    times, cpu, result = [], [], None
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = run(n)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    td, theta, band = result
    median = sorted(times)[len(times) // 2]
    degree = max(sympy_degree(x, td.variable) for x in theta.values())
    stable = ", ".join(f"[{i.start_decimal}, {i.end_decimal})" for i in band.intervals)
    return [{"case": "TD(0) fixed point, 10 features", "size": f"{n}x{n}={n * n}",
             "method": "flint", "median_s": median, "cpu_s": sorted(cpu)[len(cpu) // 2],
             "degree": degree,
             "notes": f"A, b, theta(gamma) exact (degree {degree}) and the stability band "
                      f"({stable}); CPU {sorted(cpu)[len(cpu) // 2]:.2f} s; target <= 2 s",
             "spec": {"case": "td", "size": n, "method": "flint"}}]


def sympy_degree(expr, x) -> int:
    import sympy

    num, den = sympy.fraction(sympy.cancel(expr))
    return int(max(sympy.degree(num, x), sympy.degree(den, x)))


def main(argv=None) -> int:
    quick = "--quick" in (argv if argv is not None else sys.argv[1:])
    for row in rows(quick):
        print(f"{row['case']}  {row['size']}  {row['median_s']:.2f} s  {row['notes']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
