"""Batch runs (``ttx batch``): many seeded runs of one scenario, one row per run, and the
summary of the rows (docs/design.md, "Storage": batch results).

``rows`` makes the row of one run, ``runner`` runs the pool and writes the rows as runs
finish, ``summary`` sums rows up, ``commands`` is the ``ttx batch`` command. Nothing here
imports pyarrow or Textual until it is used.
"""
