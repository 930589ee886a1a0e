"""Foundations every stage uses: located errors, exact numbers, YAML with positions.

Nothing here knows about records, rules or the engine.
"""
