"""Stage 1 — records: what a project's records are and how they load.

Pydantic models of the project, its sub-projects, indicators, registers and
self-evaluation form; their vocabularies; target and actual values as written;
the domain formulas (rates, grades, attainment); loading case folders with every
record's ``file:line``.
"""
