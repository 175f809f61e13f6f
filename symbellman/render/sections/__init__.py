"""The sections of a handout, one function each: ``(facts) -> Section``.

- :mod:`.common`: the budgets, the facts a builder knows, shared helpers;
- :mod:`.model`: 1. the model (words, table, diagram);
- :mod:`.definitions`: 2. definitions and derivations, 3. the equations of this model;
- :mod:`.solution`: 4. matrix form and solution, 5. closed forms and values, 6. the plot;
- :mod:`.optimality`: 7. optimality, 8. the worked solution.

:func:`symbellman.render.handout.build_handout` calls them in order.
"""
