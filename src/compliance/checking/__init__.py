"""Stage 4 — checking: records and rules in, findings out.

The checker runs each project on its own, findings carry their evidence and
location, recommendations group them, and explain shows why a rule fires.
"""
