"""Benchmarks of paycalc (not part of the package; run from the repository root).

See docs/performance.md for what each one measures and how to run it.
"""
