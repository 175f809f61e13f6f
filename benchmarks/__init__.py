"""symbellman's benchmark suite: ``python -m benchmarks [--quick]``.

Every measurement runs in a fresh subprocess (:mod:`benchmarks.worker`), so peak memory
is per case and the pure-Python rows really run without python-flint. See
``docs/performance.md`` for what is measured and the latest full table.
"""
