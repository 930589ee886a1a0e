"""Stage 3 — engine: everything that knows durable-rules.

Operators, operands and the compiler turn rules into durable-rules rulesets;
aggregates are computed exactly beforehand; the host runs a project's facts and
hands back plain matches. No other package speaks the engine's dialect.
"""
