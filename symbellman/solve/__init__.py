"""The solution: results (exact value functions), v_pi and q_pi, traces, numeric
evaluation, series and Laurent expansions, finite horizon, average reward and what a
solve would cost (budget). With optimal/ and projected/, the layer above the equations
and below the study.
"""
