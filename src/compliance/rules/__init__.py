"""Stage 2 — rules: the YAML rule language and the pack.

The rule-file models, loading and validating a pack (all problems at once), the
rules in Chinese words, message placeholders, the examples runner, coverage,
scaffolding and generated docs.
"""
